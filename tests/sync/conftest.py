"""Sync fixtures: the real server app in-process (one per test, on its own copy of a migrated
SQLite database) and a device home enrolled with it through the real enrollment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from device.sync.enroll import enroll
from device.sync.settings import SyncSettings
from tests.sync.server import URL, SyncServer, make_template


@pytest.fixture(scope="session")
def server_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated server database with an administrator and a caseworker, made once."""
    return make_template(tmp_path_factory.mktemp("sync-server-template"))


@pytest.fixture
def make_server(server_template: Path, tmp_path: Path) -> Iterator[Callable[[], SyncServer]]:
    """More real servers for one test (e.g. enrolling with a second server)."""
    made: list[SyncServer] = []

    def make() -> SyncServer:
        made.append(SyncServer(server_template, tmp_path / f"server-{len(made)}"))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture
def server(make_server: Callable[[], SyncServer]) -> SyncServer:
    """The real server app in-process, reached through a transport that injects faults."""
    return make_server()


@pytest.fixture
def home(tmp_path: Path, server: SyncServer) -> Path:
    """A device home enrolled with the server for the caseworker `anna`."""
    device_home = tmp_path / "device-home"
    enroll(device_home, URL, server.issue_code(), name="test", transport=server.transport())
    return device_home


@pytest.fixture
def sleeps() -> list[float]:
    """The backoff delays the client asked for (it never really sleeps in unit tests)."""
    return []


@pytest.fixture
def settings() -> SyncSettings:
    """Fast settings: 4 attempts, backoff from 1 s up to 8 s."""
    return SyncSettings(attempts=4, backoff_initial_s=1.0, backoff_max_s=8.0)
