"""Sync unit fixtures: an enrolled device home and the in-process fake server."""

from __future__ import annotations

from pathlib import Path

import pytest

from device.sync.enroll import enroll
from device.sync.settings import SyncSettings
from tests.sync.fake_server import URL, FakeServer


@pytest.fixture
def fake() -> FakeServer:
    """A fresh in-process server behind httpx.MockTransport."""
    return FakeServer()


@pytest.fixture
def home(tmp_path: Path, fake: FakeServer) -> Path:
    """A device home enrolled with the fake server."""
    device_home = tmp_path / "device-home"
    enroll(device_home, URL, "ABCD-EFGH-JKLM", name="test", transport=fake.transport())
    return device_home


@pytest.fixture
def sleeps() -> list[float]:
    """The backoff delays the client asked for (it never really sleeps in unit tests)."""
    return []


@pytest.fixture
def settings() -> SyncSettings:
    """Fast settings: 4 attempts, backoff from 1 s up to 8 s."""
    return SyncSettings(attempts=4, backoff_initial_s=1.0, backoff_max_s=8.0)
