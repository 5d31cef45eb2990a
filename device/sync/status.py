"""`fredag status`: what is queued, what was sent when, and the last error in plain words."""

from __future__ import annotations

from datetime import datetime

from device.store import Store
from device.sync import catalogue, enrollment
from device.sync.outbox import Outbox, OutboxState
from fredag.errors import StoreError, UsageError

SHOWN_SENT = 10


def _when(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if at is not None else "aldrig"


def _unsent_sessions(store: Store, state: OutboxState) -> int:
    """Finished sessions whose draft the outbox has not seen yet (queued on the next sync)."""
    from device.session import load_session
    from device.sync.outbox import draft_id_of

    count = 0
    for session_id in store.session_ids():
        try:
            record = load_session(store, session_id)
        except (StoreError, UsageError):
            continue  # a damaged session is `fredag sessions`' to report
        draft_id = draft_id_of(record)
        if record.finished and draft_id is not None and draft_id not in state.entries:
            count += 1
    return count


def status_lines(store: Store) -> list[str]:
    enrolled = enrollment.load_optional(store)
    state = Outbox(store).state()
    lines = []
    if enrolled is None:
        lines.append("Server: ej registrerad (fredag device enroll URL KOD)")
    else:
        lines.append(
            f"Server: {enrolled.server_url} (enhet {enrolled.device_id}, "
            f"handläggare {enrolled.caseworker})"
        )
    version = catalogue.current_version(store)
    lines.append(f"Faktorkatalog: {version or 'den inbyggda (ingen synkad än)'}")
    pending = state.pending()
    waiting = len(pending) + _unsent_sessions(store, state)
    lines.append(f"I kö: {waiting} utkast")
    for entry in pending:
        note = ""
        if entry.last_error:
            kind = "avvisat" if entry.refused else f"{entry.attempts} försök"
            note = f" – {kind}: {entry.last_error}"
        lines.append(f"  {entry.draft_id}  {entry.case_ref}  köat {_when(entry.queued_at)}{note}")
    sent = state.confirmed()
    lines.append(f"Skickade: {len(sent)} utkast")
    for entry in sent[-SHOWN_SENT:]:
        local = "raderat på enheten" if entry.deleted_at else "kvar på enheten"
        lines.append(
            f"  {entry.draft_id}  {entry.case_ref}  bekräftat {_when(entry.confirmed_at)} ({local})"
        )
    lines.append(f"Senaste synk: {_when(state.last_run_at)}")
    lines.append(f"Senaste lyckade synk: {_when(state.last_success_at)}")
    if state.last_run_error:
        lines.append(f"Senaste fel: {state.last_run_error}")
    if state.catalogue_error:
        lines.append(f"Katalogen avvisades: {state.catalogue_error}")
    return lines
