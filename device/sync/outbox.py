"""The persistent outbox: which signed drafts wait for the server, and what became of them.

A finished session's journal holds its signed envelope (`device.journal.session`); the outbox is one
more journal in the encrypted store (``journals/outbox.fj``) that records, append-only:

* ``queued``     a draft (by draft_id, in session S) waits for upload;
* ``attempt``    an upload attempt failed (error in words; ``permanent`` for a refusal);
* ``confirmed``  the server holds it (its received_at; whether it was a duplicate);
* ``deleted``    the device removed its local copy after confirmation and retention;
* ``run``        a sync run ended (how many uploaded, the error that ended it, if any).

`Outbox.reconcile` queues every finished session's draft not yet in the outbox (found through
the index of signed drafts, `device.sync.index`), so a draft signed while the sync was not
running (or just before a crash) is never forgotten. Only the sync
(under its lock) writes the outbox, so two processes never append to it at once.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from device.journal.session import load_session
from device.journal.store import Journal, Store
from device.sync.index import DraftIndex
from fredag.errors import StoreError

JOURNAL = "outbox"
COMPACT_AFTER = 2_000  # records; then the journal is rewritten with what still matters
KEEP_SENT = 200  # confirmed drafts kept in the history `fredag status` shows


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Entry:
    draft_id: str
    session_id: str
    case_ref: str
    queued_at: datetime
    attempts: int = 0
    last_error: str | None = None
    refused: bool = False
    confirmed_at: datetime | None = None
    received_at: datetime | None = None
    duplicate: bool = False
    deleted_at: datetime | None = None

    @property
    def pending(self) -> bool:
        return self.confirmed_at is None


@dataclass
class OutboxState:
    entries: dict[str, Entry] = field(default_factory=dict)
    last_run_at: datetime | None = None
    last_run_error: str | None = None
    last_success_at: datetime | None = None
    catalogue_error: str | None = None

    def pending(self) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.pending), key=lambda e: e.queued_at)

    def confirmed(self) -> list[Entry]:
        done = [e for e in self.entries.values() if not e.pending]
        return sorted(done, key=lambda e: e.confirmed_at or e.queued_at)


def _at(record: dict[str, Any], key: str = "at") -> datetime:
    return datetime.fromisoformat(str(record[key]))


def _apply(state: OutboxState, rec: dict[str, Any]) -> None:
    kind = rec.get("type")
    if kind == "run":
        state.last_run_at = _at(rec)
        state.last_run_error = rec.get("error")
        state.catalogue_error = rec.get("catalogue_error")
        if rec.get("error") is None:
            state.last_success_at = state.last_run_at
        return
    draft_id = str(rec.get("draft_id"))
    if kind == "queued":
        state.entries.setdefault(
            draft_id,
            Entry(draft_id, str(rec["session_id"]), str(rec.get("case_ref", "")), _at(rec)),
        )
        return
    entry = state.entries.get(draft_id)
    if entry is None:
        return
    if kind == "attempt":
        state.entries[draft_id] = replace(
            entry,
            attempts=entry.attempts + int(rec.get("count", 1)),
            last_error=str(rec.get("error")),
            refused=bool(rec.get("permanent")),
        )
    elif kind == "confirmed":
        state.entries[draft_id] = replace(
            entry,
            confirmed_at=_at(rec),
            received_at=_at(rec, "received_at"),
            duplicate=bool(rec.get("duplicate")),
            last_error=None,
            refused=False,
        )
    elif kind == "deleted":
        state.entries[draft_id] = replace(entry, deleted_at=_at(rec))


class Outbox:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.journal: Journal = store.journal(JOURNAL)

    def record_count(self) -> int:
        return len(self.journal.read_all().records)

    def state(self) -> OutboxState:
        state = OutboxState()
        for rec in self.journal.read_all().records:
            try:
                _apply(state, rec)
            except (KeyError, TypeError, ValueError) as exc:
                raise StoreError(f"the outbox has a damaged record ({exc})") from exc
        return state

    def _append(self, kind: str, **fields: Any) -> None:
        self.journal.append({"type": kind, "at": now().isoformat(), **fields})

    def reconcile(self) -> OutboxState:
        """Queue every signed draft in a finished session that the outbox does not know yet.

        The sessions are found through the index of signed drafts (`device.sync.index`), so
        only sessions that changed since the last look are decrypted."""
        state = self.state()
        known = set(state.entries)
        queued = False
        for ref in DraftIndex(self.store).signed_drafts():
            if ref.draft_id in known:
                continue
            self._append(
                "queued",
                draft_id=ref.draft_id,
                session_id=ref.session_id,
                case_ref=ref.case_ref,
            )
            known.add(ref.draft_id)
            queued = True
        return self.state() if queued else state

    def envelope(self, entry: Entry) -> dict[str, Any]:
        """The signed envelope of a queued draft, from its session's journal."""
        record = load_session(self.store, entry.session_id)
        if record.envelope is None:
            raise StoreError(f"session {entry.session_id[:8]} has lost its signed draft")
        return record.envelope

    def failed(self, entry: Entry, error: str, *, permanent: bool) -> None:
        self._append("attempt", draft_id=entry.draft_id, error=error, permanent=permanent)

    def confirmed(self, entry: Entry, received_at: datetime, duplicate: bool) -> None:
        self._append(
            "confirmed",
            draft_id=entry.draft_id,
            received_at=received_at.isoformat(),
            duplicate=duplicate,
        )

    def run_ended(self, uploaded: int, error: str | None, catalogue_error: str | None) -> None:
        self._append("run", uploaded=uploaded, error=error, catalogue_error=catalogue_error)

    def purge(self, retention: timedelta, at: datetime | None = None) -> int:
        """Delete the local copies of confirmed drafts older than `retention`; how many."""
        at = at or now()
        removed = 0
        for entry in self.state().confirmed():
            if entry.deleted_at is not None or entry.confirmed_at is None:
                continue
            if at - entry.confirmed_at < retention:
                continue
            path = self.store.session_dir(entry.session_id)
            try:
                shutil.rmtree(path, ignore_errors=False)
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise StoreError(f"cannot delete the local copy {path}: {exc.strerror}") from exc
            self._append("deleted", draft_id=entry.draft_id)
            removed += 1
        return removed


def _entry_records(entry: Entry) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [
        {
            "type": "queued",
            "at": entry.queued_at.isoformat(),
            "draft_id": entry.draft_id,
            "session_id": entry.session_id,
            "case_ref": entry.case_ref,
        }
    ]
    if entry.attempts and entry.pending:
        records.append(
            {
                "type": "attempt",
                "at": entry.queued_at.isoformat(),
                "draft_id": entry.draft_id,
                "error": entry.last_error,
                "permanent": entry.refused,
                "count": entry.attempts,
            }
        )
    if entry.confirmed_at is not None and entry.received_at is not None:
        records.append(
            {
                "type": "confirmed",
                "at": entry.confirmed_at.isoformat(),
                "draft_id": entry.draft_id,
                "received_at": entry.received_at.isoformat(),
                "duplicate": entry.duplicate,
            }
        )
    if entry.deleted_at is not None:
        records.append(
            {"type": "deleted", "at": entry.deleted_at.isoformat(), "draft_id": entry.draft_id}
        )
    return records


def compact(outbox: Outbox, *, keep_sent: int = KEEP_SENT) -> int:
    """Rewrite the outbox with every pending draft, every sent one still on the device, the
    newest `keep_sent` sent ones and the last run. The old file is replaced atomically (a crash
    leaves it as it was). Returns the number of records written. Call under the sync lock."""
    state = outbox.state()
    sent = state.confirmed()
    newest = sent[max(0, len(sent) - keep_sent) :]
    still_local = [e for e in sent if e.deleted_at is None and e not in newest]  # retention
    keep = [*state.pending(), *still_local, *newest]
    records = [
        r for entry in sorted(keep, key=lambda e: e.queued_at) for r in _entry_records(entry)
    ]
    if state.last_run_at is not None:
        records.append(
            {
                "type": "run",
                "at": state.last_run_at.isoformat(),
                "error": state.last_run_error,
                "catalogue_error": state.catalogue_error,
            }
        )
    path = outbox.journal.path
    tmp = path.with_name(path.name + ".compact")
    tmp.unlink(missing_ok=True)
    fresh = Journal(tmp, outbox.store.cipher())
    for record in records:
        fresh.append(record)
    try:
        tmp.replace(path)
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StoreError(f"cannot replace the outbox: {exc.strerror}") from exc
    outbox.journal = outbox.store.journal(JOURNAL)
    return len(records)
