"""`fredag status`: what is queued, what was sent when, and the last error in plain words."""

from __future__ import annotations

from datetime import datetime

from device.journal.store import Store
from device.sync import catalogue, enrollment
from device.sync.index import DraftIndex
from device.sync.outbox import Outbox, OutboxState
from fredag.clock import local_text

SHOWN_SENT = 10


def _when(at: datetime | None) -> str:
    """Swedish time with its zone (CET/CEST), whatever the machine's own zone is."""
    return local_text(at, "%Y-%m-%d %H:%M:%S", zone=True) if at is not None else "aldrig"


def _unsent_drafts(store: Store, state: OutboxState) -> int:
    """Signed drafts the outbox has not seen yet (queued on the next sync), from the index."""
    return sum(1 for ref in DraftIndex(store).signed_drafts() if ref.draft_id not in state.entries)


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
    waiting = len(pending) + _unsent_drafts(store, state)
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
