"""The index of signed drafts: which session holds a signed draft, under which draft_id,
without decrypting every session on each `fredag sync` and `fredag status`.

It is one encrypted blob in the device store (``blobs/drafts-index.fb``, written atomically),
mapping each session id to what its journal held when it was last read: the draft_id of its
signed envelope (or none), whether it is finished, its case reference and start time, and the
journal file's size and modification time. Journals are append-only, so a session whose file
still has that size and time has not changed and is not read again; any other session (new,
appended to, finished since, or never indexed because the process died between writing the
draft and updating the index) is read once and the index saved. Sessions that are gone (their
local copy deleted after the server confirmed them) drop out.

The index is only a cache of what the session journals say: if the blob is missing, damaged
or of another version, it is rebuilt from the sessions. So it can never lose a draft, and it
needs no lock: two processes refreshing at once both write a correct index.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from device.journal.session import load_session
from device.journal.store import Store
from fredag.errors import StoreError, UsageError
from fredag.protocol import b64url_decode

BLOB = "drafts-index"
VERSION = 1


@dataclass(frozen=True)
class IndexedSession:
    """What one session's journal held when it was last read."""

    size: int
    mtime_ns: int
    draft_id: str | None = None
    finished: bool = False
    case_ref: str = ""
    started_at: str = ""
    damaged: bool = False  # cannot be read; `fredag sessions` reports it, the sync skips it

    @property
    def signed_draft(self) -> bool:
        """A finished session with a signed draft: what the sync uploads."""
        return self.finished and self.draft_id is not None and not self.damaged


@dataclass(frozen=True)
class SignedDraftRef:
    """A signed draft found through the index."""

    draft_id: str
    session_id: str
    case_ref: str
    started_at: datetime


def draft_id_of(envelope: Any) -> str | None:
    """The draft_id inside a signed envelope (read without trusting it further)."""
    if not isinstance(envelope, dict):
        return None
    payload = str(envelope.get("payload", ""))
    try:
        return str(json.loads(b64url_decode(payload))["draft_id"])
    except (ValueError, KeyError, TypeError):
        return None


def _read(store: Store, session_id: str, size: int, mtime_ns: int) -> IndexedSession:
    try:
        record = load_session(store, session_id)
    except (StoreError, UsageError):
        return IndexedSession(size, mtime_ns, damaged=True)
    return IndexedSession(
        size,
        mtime_ns,
        draft_id=draft_id_of(record.envelope),
        finished=record.finished,
        case_ref=record.meta.case_ref,
        started_at=record.meta.started_at.isoformat(),
    )


class DraftIndex:
    """The index of one device's store. `refresh()` brings it up to date and saves it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.sessions_read = 0  # sessions decrypted by the last refresh (tests, bench)
        self.rebuilt = False  # whether the last refresh found no usable index

    def _load(self) -> dict[str, IndexedSession] | None:
        try:
            raw = self.store.get_blob(BLOB)
        except StoreError:
            return None  # damaged or tampered with: rebuilt from the sessions
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            if data.get("version") != VERSION:
                return None
            return {sid: IndexedSession(**entry) for sid, entry in data["sessions"].items()}
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def _save(self, sessions: dict[str, IndexedSession]) -> None:
        data = {"version": VERSION, "sessions": {k: asdict(v) for k, v in sessions.items()}}
        self.store.put_blob(BLOB, json.dumps(data, separators=(",", ":")).encode())

    def refresh(self) -> dict[str, IndexedSession]:
        """Every session on the device as the index knows it, re-reading only changed ones."""
        known = self._load()
        self.rebuilt = known is None
        known = known or {}
        current: dict[str, IndexedSession] = {}
        self.sessions_read = 0
        for session_id, stamp in sorted(self.store.session_stamps().items()):
            entry = known.get(session_id)
            if entry is None or (entry.size, entry.mtime_ns) != stamp:
                entry = _read(self.store, session_id, *stamp)
                self.sessions_read += 1
            current[session_id] = entry
        if self.rebuilt or current != known:
            # Disk full: the index is only a cache; the next refresh reads these sessions again.
            with contextlib.suppress(StoreError):
                self._save(current)
        return current

    def signed_drafts(self) -> list[SignedDraftRef]:
        """Every finished session's signed draft on the device, oldest meeting first."""
        found = [
            SignedDraftRef(
                str(entry.draft_id),
                session_id,
                entry.case_ref,
                datetime.fromisoformat(entry.started_at),
            )
            for session_id, entry in self.refresh().items()
            if entry.signed_draft
        ]
        return sorted(found, key=lambda ref: ref.started_at)
