"""End-to-end fixtures: real `fredag server serve` processes on 127.0.0.1 with SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.server.harness import Api, ServerProcess


def _start(home: Path) -> ServerProcess:
    return ServerProcess.start(f"sqlite:///{home / 'fredag.db'}", home)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server for a module's tests that do not kill it."""
    process = _start(tmp_path_factory.mktemp("e2e-server"))
    yield process
    process.stop()


@pytest.fixture(scope="module")
def _killable_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = _start(tmp_path_factory.mktemp("e2e-killable"))
    yield process
    process.stop()


@pytest.fixture
def own_server(_killable_server: ServerProcess) -> ServerProcess:
    """A server the test may kill and restart (running again if an earlier test left it dead)."""
    from tests.e2e.support import restart_server

    if _killable_server.process.poll() is not None:
        restart_server(_killable_server)
    return _killable_server


def _engine(server: ServerProcess) -> Iterator[sa.Engine]:
    from server.db import make_engine

    engine = make_engine(server.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def db(server: ServerProcess) -> Iterator[sa.Engine]:
    """The module server's database, to check what was (not) stored."""
    yield from _engine(server)


@pytest.fixture(scope="module")
def own_db(_killable_server: ServerProcess) -> Iterator[sa.Engine]:
    """The killable server's database."""
    yield from _engine(_killable_server)


@pytest.fixture(scope="module")
def admin(server: ServerProcess) -> Iterator[Api]:
    """The module server's administrator, logged in."""
    api = server.admin()
    yield api
    api.close()
