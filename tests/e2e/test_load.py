"""Load: many devices syncing at once; every draft stored exactly once (the full 50 × 20 runs
in `make bench`, bench/sync.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.load import prepare, run_load
from tests.server.harness import ServerProcess
from tests.support.postgres import PostgresCluster, postgres_cluster  # noqa: F401

DEVICES, DRAFTS_EACH = 12, 5


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def load_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    """A fresh server on SQLite or on the throw-away PostgreSQL cluster."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fredag.db'}"
    else:
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        url = cluster.create_database("load")
    process = ServerProcess.start(url, tmp_path / "server")
    yield process
    process.stop()


class TestLoad:
    def test_concurrent_devices_store_every_draft_once(
        self, load_server: ServerProcess, tmp_path: Path
    ) -> None:
        """12 devices × 5 drafts synced at the same moment: all 60 stored, none twice."""
        from server.db import make_engine

        engine = make_engine(load_server.database_url)
        try:
            devices = prepare(load_server, load_server.admin(), tmp_path, DEVICES, DRAFTS_EACH)
            result = run_load(devices, engine)
        finally:
            engine.dispose()
        assert result.errors == []
        assert result.missing == 0 and result.duplicated == 0
        assert sum(len(r.uploaded) for r in result.reports) == DEVICES * DRAFTS_EACH
        assert all(not list(d.home.glob("device/sessions/*")) for d in devices)
