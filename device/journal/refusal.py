"""Consent refused: the meeting is noted without audio or transcript.

When the client does not agree to the recording, nothing is captured and no session is made
(a session needs consent, `SessionMeta`). What is kept is that the meeting took place and
consent was refused, in the encrypted journal ``consent-refusals``; it is never uploaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from device.journal.session import CASE_REF
from device.journal.store import Store
from fredag.errors import UsageError

JOURNAL = "consent-refusals"


@dataclass(frozen=True)
class Refusal:
    case_ref: str
    case_type: str
    contact_type: str
    present: tuple[str, ...]
    caseworker: str
    at: datetime

    def to_record(self) -> dict[str, Any]:
        return {
            "type": "consent_refused",
            "case_ref": self.case_ref,
            "case_type": self.case_type,
            "contact_type": self.contact_type,
            "present": list(self.present),
            "caseworker": self.caseworker,
            "at": self.at.isoformat(),
        }


def note_refusal(
    store: Store,
    *,
    case_ref: str,
    case_type: str,
    contact_type: str,
    present: tuple[str, ...],
    caseworker: str,
) -> Refusal:
    """Keep that consent was refused for this meeting (no audio, no transcript)."""
    if not CASE_REF.match(case_ref):
        raise UsageError(f"not a valid case reference: {case_ref!r}")
    refusal = Refusal(case_ref, case_type, contact_type, present, caseworker, datetime.now(UTC))
    store.journal(JOURNAL).append(refusal.to_record())
    return refusal


def refusals(store: Store) -> list[Refusal]:
    """Every refusal noted on this device, oldest first."""
    path = store.root / "journals" / f"{JOURNAL}.fj"
    if not path.exists():
        return []
    return [
        Refusal(
            r["case_ref"],
            r["case_type"],
            r["contact_type"],
            tuple(r["present"]),
            r["caseworker"],
            datetime.fromisoformat(r["at"]),
        )
        for r in store.journal(JOURNAL)
        if r.get("type") == "consent_refused"
    ]
