"""Settings of the handheld and the CLI, from the environment or `$FREDAG_HOME/config.toml`.

This is the one place the transcription model is chosen (`FREDAG_MODEL` or `model = "..."`
in the settings file); `fredag transcribe`, `fredag draft` and `fredag record` all read it.
The server has its own settings class in `server/config.py`, the sync its own in
`device/sync/settings.py`; all of them are built by `load_settings`, the one place where a
value they do not accept becomes `SettingsInvalid`: one line naming the variable (or the
settings file's key, or the flag) and the values that are accepted, exit code 2.
"""

from __future__ import annotations

import os
import tomllib
import types
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

import platformdirs
from pydantic import Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from fredag.errors import SettingsInvalid

S = TypeVar("S", bound=BaseSettings)


def fredag_home() -> Path:
    """The per-user data directory: `$FREDAG_HOME`, else the platform's user data dir."""
    env = os.environ.get("FREDAG_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("fredag", appauthor=False))


def settings_file() -> Path:
    """The device's settings file, `$FREDAG_HOME/config.toml` (`fredag models use` writes it)."""
    return fredag_home() / "config.toml"


class DeviceSettings(BaseSettings):
    """What the handheld runs with. Environment variables are `FREDAG_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="FREDAG_", extra="ignore")

    home: Path = Field(default_factory=fredag_home)
    model: str = "whisper-base"
    language: str = "sv"
    compute_type: str = "int8"
    cpu_threads: int = Field(0, ge=0)
    # Threads for decoding in the live loop (`fredag record`): one leaves the other core to
    # capture, the view and speaker attribution, and costs 20 % less CPU per decode than
    # two (docs/benchmarks.md). 0: CTranslate2's default.
    live_cpu_threads: int = Field(1, ge=0)
    beam_size: int = Field(5, ge=1)
    # Set by the municipality: after this many wrong passphrases in a row the device wipes
    # its case data (0: never). See docs/device.md, "Keys and locking".
    unlock_wipe_after: int = Field(default=0, ge=0)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=settings_file())
        return (init_settings, env_settings, toml)

    @classmethod
    def settings_source_file(cls) -> Path:
        """The file these settings are read from besides the environment (for error messages)."""
        return settings_file()

    @property
    def models_dir(self) -> Path:
        return self.home / "models"


def get_settings(**overrides: Any) -> DeviceSettings:
    """The current settings; keyword overrides (from CLI flags) win over everything else."""
    return load_settings(DeviceSettings, **overrides)


# -- the one mapping from pydantic's validation errors to a line for the user -------------------


def load_settings(cls: type[S], **overrides: Any) -> S:
    """`cls` from flags (`overrides`; None means "not given"), the environment and its settings
    file. Anything they hold that `cls` does not accept raises `SettingsInvalid` (exit code 2)
    naming where the value came from and what is accepted; a settings file that is not TOML
    too. Device, sync and server settings are all built through here."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return cls(**given)
    except ValidationError as exc:
        problems = "; ".join(_problem(cls, error, given) for error in exc.errors())
        raise SettingsInvalid(f"settings: {problems}") from exc
    except tomllib.TOMLDecodeError as exc:
        where = _source_file(cls)
        raise SettingsInvalid(f"settings: {where} is not valid TOML ({exc})") from exc


def _source_file(cls: type[BaseSettings]) -> Path | None:
    source = getattr(cls, "settings_source_file", None)
    return source() if callable(source) else None


def _problem(cls: type[BaseSettings], error: ErrorDetails, given: dict[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if not error["loc"]:
        return message  # a check across fields: its message names the variables itself
    name = str(error["loc"][0])
    field = cls.model_fields.get(name)
    where = _where(cls, name, given)
    if field is None:
        return f"{where}: {message}"
    shown = f"{error['input']!r} is" if _shows_value(field) and "input" in error else "value"
    return f"{where}: {shown} not accepted (expected {_accepted(field) or message})"


def _where(cls: type[BaseSettings], name: str, given: dict[str, Any]) -> str:
    """The flag, environment variable or settings-file key the bad value came from."""
    if name in given:
        return f"--{name.replace('_', '-')}"
    variable = f"{cls.model_config.get('env_prefix', '')}{name}".upper()
    if any(key.upper() == variable for key in os.environ):
        return variable
    path = _source_file(cls)
    if path is not None and path.is_file():
        try:
            in_file = name in tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            in_file = False
        if in_file:
            return f"{name} in {path}"
    return variable


def _plain(annotation: Any) -> Any:
    """The annotation without `| None`."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _shows_value(field: FieldInfo) -> bool:
    """Echo only short, harmless values: never text (secrets, URLs with passwords)."""
    kind = _plain(field.annotation)
    return kind in (bool, int, float) or get_origin(kind) is Literal


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bounds(field: FieldInfo) -> str:
    found: dict[str, Any] = {}
    for item in field.metadata:  # annotated_types.Ge(ge=1), MinLen(min_length=8) and the like
        for key in ("ge", "gt", "le", "lt", "min_length", "max_length"):
            if getattr(item, key, None) is not None:
                found[key] = getattr(item, key)
    if "ge" in found and "le" in found:
        return f" from {_number(found['ge'])} to {_number(found['le'])}"
    words = {
        "ge": "at least {}",
        "gt": "above {}",
        "le": "at most {}",
        "lt": "below {}",
        "min_length": "at least {} characters",
        "max_length": "at most {} characters",
    }
    return "".join(f", {words[k].format(_number(v))}" for k, v in found.items())


def _accepted(field: FieldInfo) -> str | None:
    """The values a field accepts, in words, from its type and bounds."""
    kind = _plain(field.annotation)
    if get_origin(kind) is Literal:
        return " or ".join(str(v) for v in get_args(kind))
    names = {
        bool: "true or false (also 1/0, yes/no, on/off)",
        int: "a whole number",
        float: "a number",
        str: "text",
        SecretStr: "text",
        Path: "a path",
    }
    base = names.get(kind)
    return None if base is None else base + _bounds(field)
