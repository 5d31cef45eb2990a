"""The server's settings: one pydantic-settings class, `FREDAG_*` environment variables.

Outside development the server refuses to start without a real secret: `FREDAG_SECRET_KEY`
must be set to at least 32 random characters. `FREDAG_ENV=development` allows a generated,
throw-away secret (sessions then end when the server restarts).
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from typing import Any, Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from fredag.protocol import MAX_ENVELOPE_BYTES
from fredag.settings import fredag_home
from fredag.settings import load_settings as load

API_V1 = "/api/v1"
# Values that must never be a production secret (template placeholders, empty strings).
_KNOWN_DEFAULTS = frozenset({"", "changethis", "change-me", "secret", "fredag", "development"})
MIN_SECRET_CHARS = 32


def default_database_url() -> str:
    """The embedded default: an SQLite file in the server's data directory."""
    return f"sqlite:///{fredag_home() / 'server' / 'fredag.db'}"


class ServerSettings(BaseSettings):
    """What the server runs with. Environment variables are `FREDAG_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="FREDAG_", extra="ignore", frozen=True)

    env: Literal["development", "production"] = "production"
    database_url: str = Field(default_factory=default_database_url)
    secret_key: SecretStr = SecretStr("")

    # Sessions and login throttling (all kept in the database, so any worker can answer).
    session_hours: float = 10.0
    cookie_name: str = "fredag_session"
    cookie_samesite: Literal["lax", "strict"] = "lax"
    cookie_secure: bool = False
    login_max_failures: int = 5
    login_window_minutes: float = 15.0

    # Devices and the sync API.
    enrollment_code_minutes: float = 60.0
    max_upload_bytes: int = MAX_ENVELOPE_BYTES + 64 * 1024

    generated_secret: bool = False

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Self:
        value = self.secret_key.get_secret_value()
        if value.strip().lower() in _KNOWN_DEFAULTS:
            if self.env != "development":
                raise ValueError(
                    "FREDAG_SECRET_KEY is not set (or is a placeholder); set it to at least "
                    f"{MIN_SECRET_CHARS} random characters, or FREDAG_ENV=development for a "
                    "throw-away secret"
                )
            object.__setattr__(self, "secret_key", SecretStr(secrets.token_urlsafe(32)))
            object.__setattr__(self, "generated_secret", True)
        elif len(value) < MIN_SECRET_CHARS and self.env != "development":
            raise ValueError(f"FREDAG_SECRET_KEY must be at least {MIN_SECRET_CHARS} characters")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def database_url_from_env(explicit: str | None = None) -> str:
    """The database URL without the rest of the settings: flag, FREDAG_DATABASE_URL, default."""
    return explicit or os.environ.get("FREDAG_DATABASE_URL") or default_database_url()


def load_settings(**overrides: Any) -> ServerSettings:
    """Settings from the environment with CLI overrides; bad settings are one SettingsInvalid
    line naming the variable and what it accepts (`fredag.settings.load_settings`)."""
    return load(ServerSettings, **overrides)


@lru_cache
def get_settings() -> ServerSettings:
    """The process's settings, read once from the environment."""
    return load(ServerSettings)
