"""Server fixtures: one real server per database backend (SQLite, PostgreSQL) per session.

Tests share the server and make their own users and devices with unique names, so they stay
independent without restarting it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.server.harness import (
    FAST_ARGON2,
    Api,
    EnrolledDevice,
    ServerProcess,
    enroll_device,
    new_caseworker,
)
from tests.support.postgres import PostgresCluster, postgres_cluster  # noqa: F401


@pytest.fixture(scope="session", autouse=True)
def fast_argon2() -> Iterator[None]:
    """Cheap argon2 parameters in this process and the servers it starts."""
    old = {k: os.environ.get(k) for k in FAST_ARGON2}
    os.environ.update(FAST_ARGON2)
    from server.security import _hasher

    _hasher.cache_clear()
    yield
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def database_url(request: pytest.FixtureRequest, backend: str, home: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{home / 'fredag.db'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    return cluster.create_database()


@pytest.fixture(scope="session", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """A running `fredag server serve` on 127.0.0.1 backed by SQLite or PostgreSQL."""
    backend: str = request.param
    home = tmp_path_factory.mktemp(f"server-{backend}")
    process = ServerProcess.start(database_url(request, backend, home), home)
    yield process
    process.stop()


@pytest.fixture(scope="session")
def db_engine(server: ServerProcess) -> Iterator[sa.Engine]:
    """A direct connection to the server's database, for checking what was (not) stored."""
    from server.db import make_engine

    engine = make_engine(server.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def admin(server: ServerProcess) -> Iterator[Api]:
    """The server's administrator, logged in (one session per server)."""
    api = server.admin()
    yield api
    api.close()


@pytest.fixture(scope="module")
def caseworker(server: ServerProcess, admin: Api) -> Iterator[tuple[str, Api]]:
    """A caseworker for this test module, logged in: (user name, client)."""
    name, api = new_caseworker(server, admin)
    yield name, api
    api.close()


@pytest.fixture
def device(server: ServerProcess, admin: Api, caseworker: tuple[str, Api]) -> EnrolledDevice:
    """A device enrolled for the `caseworker` fixture."""
    return enroll_device(server, admin, caseworker[0])


@pytest.fixture
def make_device(server: ServerProcess, admin: Api) -> Callable[[str], EnrolledDevice]:
    """Enroll more devices: make_device(caseworker_name)."""
    return lambda name: enroll_device(server, admin, name)
