"""Valid signed drafts for server tests: a small Swedish meeting with one risk factor."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fredag.journal import journal_from_findings
from fredag.protocol import (
    DRAFT_SCHEMA,
    CatalogueRef,
    Draft,
    Evidence,
    FactorFinding,
    Meeting,
    ModelInfo,
    Segment,
    SignedEnvelope,
    Transcript,
    key_id,
    sign_draft,
)

SHA = "a" * 64
TEXT = "Pappa dricker mycket på helgerna och då blir det bråk hemma."


def make_draft(
    key: Ed25519PrivateKey,
    *,
    draft_id: uuid.UUID | None = None,
    case_ref: str = "BU-2026-0001",
    text: str = TEXT,
    **overrides: Any,
) -> Draft:
    """A valid draft signed-for by `key` (not yet signed)."""
    start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    quote = "dricker mycket"
    at = text.find(quote)
    evidence = Evidence(
        quote=quote if at >= 0 else text[:10],
        segment=0,
        char_start=max(at, 0),
        char_end=max(at, 0) + len(quote),
        start=1.0,
        end=2.0,
        confidence=0.9,
        catalogue_version="2026.1",
        model="whisper-base",
    )
    fields: dict[str, Any] = {
        "draft_id": draft_id or uuid.uuid4(),
        "device_key_id": key_id(key.public_key()),
        "created_at": start + timedelta(minutes=31),
        "meeting": Meeting(
            case_ref=case_ref,
            case_type="barn",
            contact_type="Hembesök",
            present=["Handläggare", "Förälder"],
            caseworker="Anna Andersson",
            consent_confirmed=True,
            started_at=start,
            ended_at=start + timedelta(minutes=30),
        ),
        "transcript": Transcript(
            language="sv",
            duration_s=30.0,
            model=ModelInfo(name="whisper-base", sha256=SHA),
            segments=[Segment(start=0.0, end=4.0, text=text)],
        ),
        "catalogue": CatalogueRef(version="2026.1", sha256=SHA),
        "factors": [
            FactorFinding(
                factor="foralders_missbruk",
                kind="risk",
                name_sv="Förälders missbruk",
                evidence=[evidence],
            )
        ],
        "denied": [],
        "rendered": f"Utkast\n\n{text}\n",
    }
    fields.update(overrides)
    if "journal" not in overrides and fields.get("schema", DRAFT_SCHEMA) == DRAFT_SCHEMA:
        segments = fields["transcript"].segments
        fields["journal"] = journal_from_findings(segments, fields["factors"], fields["denied"], {})
    return Draft(**fields)


def signed(key: Ed25519PrivateKey, draft: Draft | None = None, **kwargs: Any) -> SignedEnvelope:
    """A signed envelope for `draft` (or a fresh valid one)."""
    return sign_draft(draft or make_draft(key, **kwargs), key)


def envelope_json(envelope: SignedEnvelope) -> dict[str, Any]:
    return envelope.model_dump(mode="json")
