"""Faults on loopback with real processes: after recovery every draft is on the server once."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from device.journal.store import Store
from device.sync.client import run_sync
from device.sync.outbox import Outbox
from device.sync.settings import SyncSettings
from fredag.errors import ServerUnreachable
from tests.e2e.support import (
    Device,
    all_drafts,
    enrolled_device,
    exactly_once,
    kill_server,
    restart_server,
    status_text,
    stored_ids,
)
from tests.server.harness import Api, ServerProcess

FAST = SyncSettings(attempts=2, backoff_initial_s=0.1, backoff_max_s=0.5)
MANY = 20


def wait_for_stored(db: sa.Engine, key_id: str, at_least: int, proc: subprocess.Popen[str]) -> None:
    """Poll the server's database until the device has `at_least` drafts stored."""
    deadline = time.monotonic() + 120
    while sum(stored_ids(db, key_id).values()) < at_least:
        assert proc.poll() is None, f"the sync ended before the fault: {proc.communicate()}"
        assert time.monotonic() < deadline, "the sync made no progress"
        time.sleep(0.01)


def recover_and_check(device: Device, db: sa.Engine, ids: list[str]) -> None:
    done = device.fredag("sync", "--no-catalogue")
    assert done.returncode == 0, done.stderr
    assert exactly_once(db, device.key_id, ids)
    assert device.sessions() == 0
    assert "I kö: 0 utkast" in status_text(device)


class TestServerFaults:
    def test_connection_refused_keeps_drafts_until_the_server_is_back(
        self, own_server: ServerProcess, own_db: sa.Engine, tmp_path: Path
    ) -> None:
        """With the server down the sync fails clearly, and a later sync sends each draft once."""
        admin = own_server.admin()
        device, _name, _cw = enrolled_device(own_server, admin, tmp_path / "dev")
        ids = device.queue(3)
        kill_server(own_server, signal.SIGTERM)
        report = run_sync(device.home, FAST, sleep=lambda _s: None)
        assert isinstance(report.failure, ServerUnreachable)
        assert "Connection refused" in str(report.failure)
        assert report.pending == 3 and device.sessions() == 3
        cli = device.fredag("sync", "--attempts", "1")
        assert cli.returncode == 11 and "Connection refused" in cli.stderr
        assert "Traceback" not in cli.stderr
        restart_server(own_server)
        recover_and_check(device, own_db, ids)

    @pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
    def test_server_dies_mid_sync(
        self, own_server: ServerProcess, own_db: sa.Engine, tmp_path: Path, sig: signal.Signals
    ) -> None:
        """Killing (SIGKILL) or stopping (SIGTERM) the server during uploads loses nothing."""
        admin = own_server.admin()
        device, _name, _cw = enrolled_device(own_server, admin, tmp_path / "dev")
        ids = device.queue(MANY)
        proc = device.popen("sync", "--no-catalogue", "--attempts", "2")
        wait_for_stored(own_db, device.key_id, 1, proc)
        kill_server(own_server, sig)
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode in (0, 11), err
        if proc.returncode == 11:
            assert "Traceback" not in err and "server" in err
        restart_server(own_server)
        recover_and_check(device, own_db, ids)


class TestDeviceFaults:
    def test_device_killed_mid_sync(
        self, server: ServerProcess, admin: Api, db: sa.Engine, tmp_path: Path
    ) -> None:
        """A sync killed with SIGKILL between uploads resumes and duplicates nothing."""
        device, _name, _cw = enrolled_device(server, admin, tmp_path / "dev")
        ids = device.queue(MANY)
        proc = device.popen("sync", "--no-catalogue")
        wait_for_stored(db, device.key_id, 3, proc)
        proc.kill()
        proc.wait(timeout=30)
        assert device.sessions() > 0  # unconfirmed drafts are still on the device
        recover_and_check(device, db, ids)

    def test_disk_full_keeps_the_session_and_says_so(
        self, server: ServerProcess, admin: Api, db: sa.Engine, tmpfs: Path
    ) -> None:
        """A full device disk after upload: clear error, session kept, sent once after recovery."""
        device, _name, _cw = enrolled_device(server, admin, tmpfs / "dev")
        ids = device.queue(30)
        Outbox(Store(device.home)).reconcile()  # queued while there was room
        filler = fill(tmpfs)  # confirmations no longer fit once the last page is used up
        done = device.fredag("sync", "--no-catalogue")
        assert done.returncode == 9, done.stdout + done.stderr
        assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
        assert device.sessions() == 30
        assert 1 <= sum(stored_ids(db, device.key_id).values()) < 30
        filler.unlink()
        recover_and_check(device, db, ids)
        assert all_drafts(db) >= 3


def fill(directory: Path) -> Path:
    """Fill the file system to the last byte; the filler file to delete afterwards."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        size = 1 << 20
        while size:
            try:
                os.write(fd, b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                size //= 2
    finally:
        os.close(fd)
    return filler


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs (needs root, which `make test` has); skipped where mounting is refused."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
