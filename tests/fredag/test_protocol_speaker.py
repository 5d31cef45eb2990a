"""Schema fredag.draft/2: segments carry their speaker; fredag.draft/1 keeps its exact bytes."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from fredag.protocol import (
    DRAFT_SCHEMA,
    DRAFT_SCHEMA_V1,
    Draft,
    Segment,
    Speaker,
    draft_bytes,
    sign_draft,
    verify_draft,
)
from tests.server.factory import make_draft

MOTHER = Speaker(role="other", label="person 1", confidence=0.8)
CASEWORKER = Speaker(role="caseworker", label="handläggare", confidence=0.97)


def with_segments(key: Ed25519PrivateKey, schema: str, *segments: Segment) -> Draft:
    draft = make_draft(key)
    transcript = draft.transcript.model_copy(update={"segments": list(segments)})
    return Draft.model_validate(
        {**draft.model_dump(by_alias=True), "schema": schema, "transcript": transcript}
    )


class TestSpeakerInTheDraft:
    def test_new_drafts_are_version_2_with_speakers_signed_and_verified(self) -> None:
        """A v2 draft's segments carry role, label and confidence through signing."""
        key = Ed25519PrivateKey.generate()
        draft = with_segments(
            key,
            DRAFT_SCHEMA,
            Segment(start=0, end=2, text="Har det förekommit våld hemma?", speaker=CASEWORKER),
            Segment(start=2, end=3, text="Nej.", speaker=MOTHER),
        )
        assert DRAFT_SCHEMA == "fredag.draft/2"
        back = verify_draft(sign_draft(draft, key), key.public_key())
        assert [s.speaker for s in back.transcript.segments] == [CASEWORKER, MOTHER]
        segment = json.loads(draft_bytes(draft))["transcript"]["segments"][1]
        assert segment["speaker"] == {
            "role": "other",
            "label": "person 1",
            "confidence": 0.8,
            "uncertain": False,
        }

    def test_version_1_drafts_keep_exactly_their_fields(self) -> None:
        """An old device's v1 draft serializes without speaker keys and still verifies."""
        key = Ed25519PrivateKey.generate()
        draft = with_segments(key, DRAFT_SCHEMA_V1, Segment(start=0, end=2, text="Hej."))
        data = json.loads(draft_bytes(draft))
        assert data["schema"] == "fredag.draft/1"
        assert "speaker" not in data["transcript"]["segments"][0]
        assert verify_draft(sign_draft(draft, key), key.public_key()) == draft

    def test_a_version_1_draft_with_speakers_is_invalid(self) -> None:
        """Speakers are a v2 field: a v1 draft that has them is refused."""
        key = Ed25519PrivateKey.generate()
        with pytest.raises(ValidationError, match="draft/1"):
            with_segments(
                key, DRAFT_SCHEMA_V1, Segment(start=0, end=1, text="Nej.", speaker=MOTHER)
            )

    def test_a_speaker_is_a_label_never_a_vector(self) -> None:
        """Unknown fields (an embedding, say) are refused in a speaker."""
        with pytest.raises(ValidationError):
            Speaker.model_validate({**MOTHER.model_dump(), "embedding": [0.1] * 256})
