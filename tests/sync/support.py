"""Helpers for sync tests: finished sessions with signed drafts in a device's store, without
running Whisper (the drafts are built with `fredag.protocol`, like the server tests' factory)."""

from __future__ import annotations

import uuid
from pathlib import Path

from device.journal.identity import load_or_init_identity
from device.journal.session import SessionLog, SessionMeta
from device.journal.signing import SignedDraft, finish
from device.journal.store import Store
from fredag.protocol import Draft, ModelInfo, Segment
from tests.server.factory import SHA, TEXT, make_draft


def stopped_meeting(
    home: Path, *, text: str = TEXT, case_ref: str = "BU-2026-0001", **overrides: object
) -> tuple[SessionLog, SignedDraft]:
    """A stopped session on the device at `home` and its signed draft, not yet written to it."""
    store = Store(home)
    identity, _created = load_or_init_identity(home)
    meta = SessionMeta(
        case_ref=case_ref,
        case_type="barn",
        contact_type="hembesök",
        present=("klienten", "mamma"),
        caseworker="Anna Andersson",
        consent_confirmed=True,
    )
    log = SessionLog.create(store, meta)
    log.model(ModelInfo(name="whisper-base", sha256=SHA), "sv")
    log.segment(Segment(start=0.0, end=4.0, text=text))
    log.state("stopped", 4.0)
    draft = make_draft(
        identity.private_key, draft_id=uuid.uuid4(), case_ref=case_ref, text=text, **overrides
    )
    return log, SignedDraft(draft, identity.sign(draft))


def queue_draft(
    home: Path, *, text: str = TEXT, case_ref: str = "BU-2026-0001", **overrides: object
) -> Draft:
    """A finished session on the device at `home` whose signed draft waits for sync."""
    log, signed = stopped_meeting(home, text=text, case_ref=case_ref, **overrides)
    finish(log, signed, 4.0)
    return signed.draft
