"""`fredag status` and the sync's look for new drafts with 1,000 sessions on the device: through
the index of signed drafts (`device.sync.index`) against decrypting every session (how both
worked before the index; reproduced here by swapping the index's lookup for that scan).

Each of the 1,000 sessions is a finished meeting with 40 committed segments and a signed
draft, all already queued in the outbox (the steady state of a device that keeps its drafts,
or has been offline for long). Reported: the median (and max) of repeated runs of
`status_lines` and `Outbox.reconcile`, old and new, their ratio, and the one-off cost of
rebuilding a lost index.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

NAME = "drafts_index"
SESSIONS = int(os.environ.get("FREDAG_BENCH_INDEX_SESSIONS", "1000"))
SEGMENTS = 40
RUNS = int(os.environ.get("FREDAG_BENCH_INDEX_RUNS", "7"))


def _fill(home: Path) -> None:
    """SESSIONS finished meetings with signed drafts (fsync skipped while filling only)."""
    from device.journal.signing import finish
    from fredag.protocol import Segment
    from tests.sync.support import stopped_meeting

    with mock.patch("os.fsync"):
        for i in range(SESSIONS):
            log, signed = stopped_meeting(home, case_ref=f"BU-2026-{i:04d}")
            for n in range(1, SEGMENTS):
                start = 4.0 + 5.0 * n
                log.segment(Segment(start=start, end=start + 4.5, text=f"Mening nummer {n}."))
            finish(log, signed, 4.0 + 5.0 * SEGMENTS)


def _scan_every_session(self: Any) -> list[Any]:
    """The old way: decrypt and replay every session's journal to find its signed draft."""
    from device.journal.session import load_session
    from device.sync.index import SignedDraftRef, draft_id_of
    from fredag.errors import StoreError, UsageError

    found = []
    for session_id in self.store.session_ids():
        try:
            record = load_session(self.store, session_id)
        except (StoreError, UsageError):
            continue
        draft_id = draft_id_of(record.envelope)
        if record.finished and draft_id is not None:
            meta = record.meta
            found.append(SignedDraftRef(draft_id, session_id, meta.case_ref, meta.started_at))
    return sorted(found, key=lambda ref: ref.started_at)


@contextmanager
def _old_way() -> Iterator[None]:
    from device.sync.index import DraftIndex

    with mock.patch.object(DraftIndex, "signed_drafts", _scan_every_session):
        yield


def _times(action: Callable[[], object]) -> dict[str, float]:
    seconds = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
    }


def run() -> dict[str, Any]:
    from device.journal.store import Store
    from device.sync import index
    from device.sync.outbox import Outbox
    from device.sync.status import status_lines

    out: dict[str, Any] = {"sessions": SESSIONS, "segments_each": SEGMENTS, "runs": RUNS}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="fredag-bench-index-") as tmp:
        home = Path(tmp) / "home"
        start = time.perf_counter()
        _fill(home)
        out["fill_s"] = round(time.perf_counter() - start, 1)
        store = Store(home)
        outbox = Outbox(store)
        assert len(outbox.reconcile().pending()) == SESSIONS  # every draft queued once
        blob = home / "device" / "blobs" / f"{index.BLOB}.fb"
        out["index_bytes"] = blob.stat().st_size

        def status() -> object:
            return status_lines(Store(home))

        def reconcile() -> object:
            return Outbox(Store(home)).reconcile()

        def rebuild() -> object:
            blob.unlink()
            return index.DraftIndex(Store(home)).refresh()

        for name, action in (("status", status), ("reconcile", reconcile)):
            with _old_way():
                old = _times(action)
            new = _times(action)
            out[name] = {
                "old": old,
                "new": new,
                "ratio": round(old["median_ms"] / max(new["median_ms"], 0.001), 1),
            }
        out["rebuild"] = _times(rebuild)
    out["load_1min"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    return out


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "## Pending drafts: the index against decrypting every session",
        "",
        f"{result['sessions']} finished sessions on one device ({result['segments_each']} "
        "segments and a signed draft each, all queued in the outbox). Old: every session's "
        "journal decrypted and replayed on each call (as `fredag status` and the sync did "
        "before the index); new: the index of signed drafts (`device/sync/index.py`, one "
        f"encrypted blob of {result['index_bytes'] // 1024} KiB) plus a `stat` per session. "
        f"Median and max of {result['runs']} runs each. `python -m bench drafts_index`.",
        "",
        "| call | old median | old max | new median | new max | old / new |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, label in (
        ("status", "`fredag status` (`status_lines`)"),
        ("reconcile", "sync: `Outbox.reconcile`"),
    ):
        r = result[name]
        lines.append(
            f"| {label} | {r['old']['median_ms']} ms | {r['old']['max_ms']} ms | "
            f"{r['new']['median_ms']} ms | {r['new']['max_ms']} ms | {r['ratio']}× |"
        )
    rebuild = result["rebuild"]
    lines += [
        "",
        f"Rebuilding a lost or damaged index (every session read once, then saved): median "
        f"{rebuild['median_ms']} ms, max {rebuild['max_ms']} ms. What remains in the new figures "
        f"is reading the outbox journal ({result['sessions']} queued entries), one `stat` per "
        "session from one directory scan, and for status the formatting of one line per queued "
        "draft. The old figures come from the same run, with the index's lookup swapped for the "
        "scan the code did before (`_scan_every_session` in bench/drafts_index.py).",
        "",
        "Measured on this shared 2-core machine while other engineers' tests and benchmarks ran "
        f"(1-minute load average {result['load_1min'][0]} before, {result['load_1min'][1]} "
        "after), so the ratio says more than the absolute times.",
    ]
    return "\n".join(lines)
