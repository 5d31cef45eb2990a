"""End-to-end helpers: a device home driven through the real `fredag` CLI, server restarts on
the same port, and direct counts in the server's database."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from device.journal.store import Store
from device.sync import enrollment
from tests.server.harness import Api, ServerProcess, new_caseworker
from tests.support.cli import FREDAG, run_fredag
from tests.sync.support import queue_draft


@dataclass
class Device:
    """A handheld: its own FREDAG_HOME, used through `fredag` subprocesses."""

    home: Path

    @property
    def env(self) -> dict[str, str]:
        return {"FREDAG_HOME": str(self.home), "FREDAG_SYNC_BACKOFF_INITIAL_S": "0.2"}

    def fredag(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return run_fredag(*args, env=self.env, timeout=timeout)

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(FREDAG), *args],
            env={**os.environ, **self.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def queue(self, n: int, **kwargs: object) -> list[str]:
        """n finished sessions with signed drafts; their draft ids."""
        return [str(queue_draft(self.home, **kwargs).draft_id) for _ in range(n)]  # type: ignore[arg-type]

    @property
    def key_id(self) -> str:
        return enrollment.load(Store(self.home)).key_id

    def sessions(self) -> int:
        return len(Store(self.home).session_ids())


def enrolled_device(
    server: ServerProcess, admin: Api, home: Path, *, via_cli: bool = False
) -> tuple[Device, str, Api]:
    """A new caseworker and a device enrolled for them (with `fredag device enroll` if
    `via_cli`, else the same code in-process, which is quicker)."""
    from device.sync.enroll import enroll

    name, caseworker = new_caseworker(server, admin)
    code = admin.post("/api/v1/admin/enrollment-codes", json={"caseworker": name})
    assert code.status_code == 201, code.text
    device = Device(home)
    if via_cli:
        done = device.fredag("device", "enroll", server.base_url, code.json()["code"])
        assert done.returncode == 0, done.stderr
    else:
        enroll(home, server.base_url, code.json()["code"], name="test")
    return device, name, caseworker


def status_text(device: Device) -> str:
    from device.sync.status import status_lines

    return "\n".join(status_lines(Store(device.home)))


def stored_ids(engine: sa.Engine, key_id: str) -> Counter[str]:
    """How many rows each draft_id has on the server, for one device key."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id FROM drafts WHERE key_id = :k"), {"k": key_id}
        ).scalars()
        return Counter(str(r).replace("-", "") for r in rows)


def exactly_once(engine: sa.Engine, key_id: str, draft_ids: list[str]) -> bool:
    counts = stored_ids(engine, key_id)
    return counts == Counter(d.replace("-", "") for d in draft_ids)


def all_drafts(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM drafts")).scalar_one())


def kill_server(server: ServerProcess, sig: signal.Signals) -> None:
    os.killpg(server.process.pid, sig)
    server.process.wait(timeout=30)


def restart_server(server: ServerProcess) -> None:
    """Serve the same database on the same port again (the device's pinned URL)."""
    env = {
        **os.environ,
        "FREDAG_HOME": str(server.home),
        "FREDAG_ENV": "production",
        "FREDAG_SECRET_KEY": server.secret,
    }
    env.pop("FREDAG_DATABASE_URL", None)
    deadline = time.monotonic() + 30
    with server.log.open("ab") as out:
        while True:
            server.process = subprocess.Popen(
                [
                    str(FREDAG), "server", "serve", "--host", "127.0.0.1",
                    "--port", str(server.port), "--database-url", server.database_url,
                    "--log-level", "warning",
                ],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            try:
                server.wait_ready()
                return
            except RuntimeError:
                if time.monotonic() > deadline:  # the port may linger for a moment
                    raise
                time.sleep(0.5)
