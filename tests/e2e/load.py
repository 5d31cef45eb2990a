"""Many simulated devices syncing at once (shared by tests/e2e/test_load.py and bench/sync.py).

Each simulated device is a real device home (encrypted store, signed finished sessions, its
own outbox) enrolled with the server through the real enrollment; all devices then run the
real sync client (`run_sync`) at the same moment, one thread each, against one uvicorn
process. Every upload's latency is measured at the HTTP transport.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

from device.sync.client import SyncReport, run_sync
from device.sync.enroll import enroll
from device.sync.settings import SyncSettings
from tests.e2e.support import stored_ids
from tests.server.harness import Api, ServerProcess, new_caseworker
from tests.sync.support import queue_draft


class TimedTransport(httpx.HTTPTransport):
    """An HTTP transport that records how long each draft upload took, answer included."""

    def __init__(self, sink: list[float], lock: threading.Lock) -> None:
        super().__init__()
        self.sink = sink
        self.lock = lock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        start = time.perf_counter()
        response = super().handle_request(request)
        response.read()
        if request.url.path.endswith("/drafts"):
            with self.lock:
                self.sink.append(time.perf_counter() - start)
        return response


@dataclass
class SimulatedDevice:
    home: Path
    key_id: str
    draft_ids: list[str]


@dataclass
class LoadResult:
    devices: int
    drafts: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    reports: list[SyncReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    missing: int = 0
    duplicated: int = 0

    @property
    def throughput(self) -> float:
        return self.drafts / self.seconds if self.seconds else 0.0

    @property
    def p95_ms(self) -> float:
        if len(self.latencies) < 2:
            return 1000 * (self.latencies[0] if self.latencies else 0.0)
        return 1000 * statistics.quantiles(self.latencies, n=20)[-1]

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.latencies) if self.latencies else 0.0

    @property
    def exactly_once(self) -> bool:
        return not self.errors and self.missing == 0 and self.duplicated == 0


def prepare(
    server: ServerProcess, admin: Api, root: Path, devices: int, drafts_each: int
) -> list[SimulatedDevice]:
    """`devices` enrolled device homes with `drafts_each` signed drafts queued in each."""
    name, caseworker = new_caseworker(server, admin)
    caseworker.close()
    made = []
    for i in range(devices):
        code = admin.post("/api/v1/admin/enrollment-codes", json={"caseworker": name})
        home = root / f"device-{i:03d}"
        record = enroll(home, server.base_url, code.json()["code"], name=f"sim-{i}")
        ids = [
            str(queue_draft(home, case_ref=f"LOAD-{i}-{j}").draft_id) for j in range(drafts_each)
        ]
        made.append(SimulatedDevice(home, record.key_id, ids))
    return made


def run_load(
    devices: list[SimulatedDevice], db: sa.Engine, settings: SyncSettings | None = None
) -> LoadResult:
    """Start every device's sync at the same moment; wait for all; check what was stored."""
    settings = settings or SyncSettings(attempts=8, backoff_initial_s=0.2, backoff_max_s=5)
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(devices) + 1)
    result = LoadResult(len(devices), sum(len(d.draft_ids) for d in devices), 0.0)

    def one(device: SimulatedDevice) -> None:
        transport = TimedTransport(latencies, lock)
        barrier.wait()
        try:
            report = run_sync(device.home, settings, transport=transport, pull_catalogue=False)
        except Exception as exc:  # collected and reported by the caller
            with lock:
                result.errors.append(f"{type(exc).__name__}: {exc}")
            return
        with lock:
            result.reports.append(report)
            if not report.ok:
                result.errors.append(report.error or str(report.refused[:1]))

    threads = [threading.Thread(target=one, args=(d,)) for d in devices]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - start
    result.latencies = latencies
    for device in devices:
        counts = stored_ids(db, device.key_id)
        want = Counter(d.replace("-", "") for d in device.draft_ids)
        result.missing += sum((want - counts).values())
        result.duplicated += sum((counts - want).values())
    return result
