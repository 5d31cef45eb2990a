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


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of the test's own, which the test may kill and restart."""
    process = _start(tmp_path / "server")
    yield process
    process.stop()


def _engine(server: ServerProcess) -> Iterator[sa.Engine]:
    from server.db import make_engine

    engine = make_engine(server.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def db(server: ServerProcess) -> Iterator[sa.Engine]:
    """The module server's database, to check what was (not) stored."""
    yield from _engine(server)


@pytest.fixture
def own_db(own_server: ServerProcess) -> Iterator[sa.Engine]:
    """The test server's database."""
    yield from _engine(own_server)


@pytest.fixture(scope="module")
def admin(server: ServerProcess) -> Iterator[Api]:
    """The module server's administrator, logged in."""
    api = server.admin()
    yield api
    api.close()
