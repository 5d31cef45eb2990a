"""Wrong passphrases and a wipe on the device reach the server's audit log at the next sync."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from device.keys import audit
from device.keys.vault import vault_for
from fredag.errors import WrongPassphrase
from tests.conftest import TEST_PASSPHRASE
from tests.e2e.support import enrolled_device
from tests.server.harness import Api, ServerProcess


def _security_rows(admin: Api, actor: str) -> list[dict[str, object]]:
    got = admin.get("/api/v1/admin/audit", params={"action": "device.security", "actor": actor})
    assert got.status_code == 200, got.text
    return list(got.json())


class TestSecurityEventsAtSync:
    def test_failures_and_wipe_are_reported_once(
        self, server: ServerProcess, admin: Api, tmp_path: Path
    ) -> None:
        """Two wrong passphrases and a wipe are in the admin's audit after `fredag sync`, each
        once: a second sync and a repeated report add nothing."""
        device, _name, _caseworker = enrolled_device(server, admin, tmp_path / "dev")
        vault = vault_for(device.home)
        vault.ensure_unlocked(TEST_PASSPHRASE)
        vault.wipe_after = 2
        vault.attempts.clock = lambda: 0.0
        vault.lock()
        for _ in range(2):
            with pytest.raises(WrongPassphrase):
                vault.unlock("fel lösenfras")
        vault.unlock(TEST_PASSPHRASE)
        pending = audit.unreported(vault)
        assert {"unlock_failed", "case_data_wiped"} <= {e["event"] for e in pending}

        done = device.fredag("sync")
        assert done.returncode == 0, done.stderr
        actor = f"device:{device.key_id[:16]}"
        rows = _security_rows(admin, actor)
        events = [json.loads(str(r["detail"]))["event"] for r in rows]
        assert events.count("unlock_failed") == 2 and events.count("case_data_wiped") == 1
        assert audit.unreported(vault) == []

        again = device.fredag("sync")
        assert again.returncode == 0, again.stderr
        assert len(_security_rows(admin, actor)) == len(rows)
        envelope = audit.signed_report(vault, pending)
        resent = httpx.post(f"{server.base_url}/api/v1/devices/security-events", json=envelope)
        assert resent.status_code == 200, resent.text
        assert resent.json() == {"accepted": 0, "duplicates": len(pending)}

    def test_unsigned_or_foreign_reports_are_refused(
        self, server: ServerProcess, admin: Api, tmp_path: Path
    ) -> None:
        """A report with a broken signature is refused with a 4xx and stores nothing."""
        device, _name, _caseworker = enrolled_device(server, admin, tmp_path / "dev2")
        vault = vault_for(device.home)
        vault.ensure_unlocked(TEST_PASSPHRASE)
        envelope = audit.signed_report(vault, audit.unreported(vault))
        envelope["signature"] = envelope["signature"][::-1]
        refused = httpx.post(f"{server.base_url}/api/v1/devices/security-events", json=envelope)
        assert refused.status_code in (400, 422), refused.text
        assert _security_rows(admin, f"device:{device.key_id[:16]}") == []
