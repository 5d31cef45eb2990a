"""Load: many devices syncing at once; every draft stored exactly once (the full 50 × 20 runs
in `make bench`, bench/sync.py)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from tests.e2e.load import prepare, run_load
from tests.server.harness import Api, ServerProcess

DEVICES, DRAFTS_EACH = 12, 5


class TestLoad:
    def test_concurrent_devices_store_every_draft_once(
        self, server: ServerProcess, admin: Api, db: sa.Engine, tmp_path: Path
    ) -> None:
        """12 devices × 5 drafts synced at the same moment: all 60 stored, none twice."""
        devices = prepare(server, admin, tmp_path, DEVICES, DRAFTS_EACH)
        result = run_load(devices, db)
        assert result.errors == []
        assert result.missing == 0 and result.duplicated == 0
        assert sum(len(r.uploaded) for r in result.reports) == DEVICES * DRAFTS_EACH
        assert all(not list(d.home.glob("device/sessions/*")) for d in devices)
