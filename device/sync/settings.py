"""Sync settings from the environment (`FREDAG_SYNC_*`); CLI flags override them."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from fredag.settings import load_settings


class SyncSettings(BaseSettings):
    """How the device syncs. `retention_hours`: how long a confirmed draft stays on the device
    (0 = deleted as soon as the server confirms it, so a lost handheld holds as little as
    possible)."""

    model_config = SettingsConfigDict(env_prefix="FREDAG_SYNC_", extra="ignore", frozen=True)

    retention_hours: float = Field(0.0, ge=0)
    attempts: int = Field(6, ge=1, le=100)
    backoff_initial_s: float = Field(0.5, ge=0)
    backoff_max_s: float = Field(30.0, ge=0)
    timeout_s: float = Field(30.0, gt=0)
    auto: bool = True


def sync_settings(**overrides: Any) -> SyncSettings:
    """The sync settings; flags (`overrides`) win; bad values are one `SettingsInvalid` line."""
    return load_settings(SyncSettings, **overrides)
