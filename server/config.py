"""The server's settings: one pydantic-settings class, `FREDAG_*` environment variables.

Outside development the server refuses to start without a real secret: `FREDAG_SECRET_KEY`
must be set to at least 32 random characters. `FREDAG_ENV=development` allows a generated,
throw-away secret (sessions then end when the server restarts).

Sign-in with the municipality's identity provider (OpenID Connect) is configured with the
`FREDAG_OIDC_*` settings (see docs/server.md); `FREDAG_LOCAL_PASSWORDS=false` switches the
local passwords off once it is.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from ipaddress import ip_address
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from fredag.protocol import MAX_ENVELOPE_BYTES
from fredag.settings import fredag_home
from fredag.settings import load_settings as load

API_V1 = "/api/v1"
# Values that must never be a production secret (template placeholders, empty strings).
_KNOWN_DEFAULTS = frozenset({"", "changethis", "change-me", "secret", "fredag", "development"})
MIN_SECRET_CHARS = 32


def is_loopback_url(url: str) -> bool:
    """An http(s) URL whose host is this machine (where plain http is acceptable)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


# A comma-separated list in the environment: FREDAG_OIDC_ADMIN_VALUES="fredag-admin,it-drift".
CommaList = Annotated[tuple[str, ...], NoDecode]


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

    # Local argon2 passwords; switch off once the municipality's sign-in is configured.
    local_passwords: bool = True

    # OpenID Connect sign-in (off while oidc_issuer is empty); see docs/server.md.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr = SecretStr("")
    oidc_token_auth_method: Literal["client_secret_basic", "client_secret_post", "none"] = (
        "client_secret_basic"  # noqa: S105 (a method's name, not a secret)
    )
    oidc_scopes: str = "openid profile email"
    oidc_subject_claim: str = "sub"
    oidc_username_claim: str = "preferred_username"
    oidc_name_claim: str = "name"
    oidc_roles_claim: str = "groups"
    oidc_caseworker_values: CommaList = ()
    oidc_admin_values: CommaList = ()
    oidc_caseworker_acr: CommaList = ()
    oidc_display_name: str = ""
    oidc_public_url: str = ""
    oidc_ca_file: str = ""
    oidc_timeout_seconds: float = Field(10.0, gt=0, le=120)
    oidc_leeway_seconds: int = Field(60, ge=0, le=600)
    oidc_metadata_minutes: float = Field(60.0, ge=0)
    oidc_login_minutes: float = Field(10.0, gt=0, le=60)

    generated_secret: bool = False

    @field_validator(
        "oidc_caseworker_values", "oidc_admin_values", "oidc_caseworker_acr", mode="before"
    )
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @model_validator(mode="after")
    def _check_sign_in(self) -> Self:
        issuer = self.oidc_issuer.strip()
        if not issuer:
            if not self.local_passwords:
                raise ValueError(
                    "FREDAG_LOCAL_PASSWORDS=false needs FREDAG_OIDC_ISSUER: nobody could sign in"
                )
            return self
        parts = urlsplit(issuer)
        if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback_url(issuer)):
            raise ValueError("FREDAG_OIDC_ISSUER must be an https:// URL")
        if parts.query or parts.fragment:
            raise ValueError("FREDAG_OIDC_ISSUER must not have a query or fragment")
        if not self.oidc_client_id:
            raise ValueError("FREDAG_OIDC_CLIENT_ID is needed with FREDAG_OIDC_ISSUER")
        if not (self.oidc_caseworker_values or self.oidc_admin_values):
            raise ValueError(
                "set FREDAG_OIDC_CASEWORKER_VALUES and/or FREDAG_OIDC_ADMIN_VALUES: "
                "without them nobody is allowed in"
            )
        secret = self.oidc_client_secret.get_secret_value()
        if self.oidc_token_auth_method != "none" and not secret:  # noqa: S105
            raise ValueError(
                "FREDAG_OIDC_CLIENT_SECRET is needed (or FREDAG_OIDC_TOKEN_AUTH_METHOD=none "
                "for a public client)"
            )
        if "openid" not in self.oidc_scopes.split():
            raise ValueError("FREDAG_OIDC_SCOPES must include openid")
        public = self.oidc_public_url
        if public and urlsplit(public).scheme not in ("http", "https"):
            raise ValueError("FREDAG_OIDC_PUBLIC_URL must be an http(s):// URL")
        return self

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

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer.strip())


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
