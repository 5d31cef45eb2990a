"""Settings of the handheld and the CLI, from the environment or `$FREDAG_HOME/config.toml`.

This is the one place the transcription model is chosen (`FREDAG_MODEL` or `model = "..."`
in the settings file); `fredag transcribe`, `fredag draft` and `fredag record` all read it.
The server has its own settings class in `server/config.py`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


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
    cpu_threads: int = 0
    beam_size: int = 5

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

    @property
    def models_dir(self) -> Path:
        return self.home / "models"


def get_settings(**overrides: Any) -> DeviceSettings:
    """The current settings; keyword overrides (from CLI flags) win over everything else."""
    return DeviceSettings(**{k: v for k, v in overrides.items() if v is not None})
