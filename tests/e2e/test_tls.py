"""Sync over HTTPS: the server's certificate is verified; a municipality's own CA is accepted
only when configured."""

from __future__ import annotations

from pathlib import Path

import pytest

from device.journal.store import Store
from device.sync import enrollment
from device.sync.client import run_sync
from device.sync.enroll import enroll
from device.sync.settings import SyncSettings
from fredag.errors import ServerUnreachable, SyncError
from tests.server.harness import ServerProcess, new_caseworker
from tests.server.test_cli import _self_signed
from tests.sync.support import queue_draft


class TestTls:
    def test_own_ca_is_needed_and_enough(self, tmp_path: Path) -> None:
        """Without --ca-file an unknown certificate is refused clearly; with it, sync works."""
        certfile, keyfile = _self_signed(tmp_path)
        server = ServerProcess.start(
            f"sqlite:///{tmp_path / 'tls.db'}",
            tmp_path / "server",
            extra_args=("--certfile", str(certfile), "--keyfile", str(keyfile)),
        )
        try:
            admin = server.admin()
            name, caseworker = new_caseworker(server, admin)
            code = admin.post("/api/v1/admin/enrollment-codes", json={"caseworker": name})
            admin.close()  # an open keep-alive TLS connection would hold up the shutdown
            caseworker.close()
            home = tmp_path / "dev"
            with pytest.raises(SyncError, match="--ca-file") as refused:
                enroll(home, server.base_url, code.json()["code"])
            assert not isinstance(refused.value, ServerUnreachable)
            assert enrollment.load_optional(Store(home)) is None
            record = enroll(home, server.base_url, code.json()["code"], ca_file=certfile)
            assert record.ca_file == str(certfile.resolve())
            draft = queue_draft(home)
            report = run_sync(home, SyncSettings(attempts=1))
            assert report.uploaded == [str(draft.draft_id)] and report.ok
        finally:
            server.stop()
