"""From committed segments to a signed draft, stored in the session's journal.

Used by `fredag record` when a meeting ends, by `fredag sessions finish` for an interrupted
one, and by `fredag draft` on a recording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from device.journal.draft import build_draft
from device.journal.guard import Checker
from device.journal.identity import DeviceIdentity
from device.journal.session import SessionLog, SessionMeta
from device.stages.tagging import Tagging
from fredag.protocol import Draft, Mark, ModelInfo, Segment, SignedEnvelope


@dataclass(frozen=True)
class SignedDraft:
    draft: Draft
    envelope: SignedEnvelope


def sign_segments(
    *,
    meta: SessionMeta,
    ended_at: datetime,
    segments: Sequence[Segment],
    duration_s: float,
    language: str,
    model: ModelInfo,
    tagging: Tagging,
    identity: DeviceIdentity,
    marks: Sequence[float] = (),
    checker: Checker | None = None,
) -> SignedDraft:
    """The draft built from the factors noted while the segments were committed (tag once,
    `device.stages.factors`), signed with the device key."""
    draft = build_draft(
        meta=meta,
        ended_at=ended_at,
        segments=segments,
        duration_s=duration_s,
        language=language,
        model=model,
        tagging=tagging,
        device_key_id=identity.key_id,
        marks=[Mark(at=at) for at in marks],
        checker=checker,
    )
    return SignedDraft(draft, identity.sign(draft))


def finish(log: SessionLog, signed: SignedDraft, audio_s: float) -> None:
    """Store the signed envelope in the session and mark the session finished."""
    log.draft(signed.envelope.model_dump(mode="json"))
    log.state("finished", audio_s)
