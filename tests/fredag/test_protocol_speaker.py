"""Schema fredag.draft/2: segments carry their speaker; fredag.draft/1 keeps its exact bytes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from fredag.protocol import (
    DRAFT_SCHEMA,
    DRAFT_SCHEMA_V1,
    Draft,
    Speaker,
    canonical_json,
    draft_bytes,
    sign_draft,
    sign_payload,
    verify_draft,
)
from tests.server.factory import make_draft

MOTHER = Speaker(role="other", label="person 1", confidence=0.8)
CASEWORKER = Speaker(role="caseworker", label="handläggare", confidence=0.97)


def v2_with_speakers(key: Ed25519PrivateKey, *speakers: Speaker) -> Draft:
    """The factory's v2 draft with speakers on its segments (texts, so journal, unchanged)."""
    data = make_draft(key).model_dump(mode="json", by_alias=True)
    for segment, speaker in zip(data["transcript"]["segments"], speakers, strict=False):
        segment["speaker"] = speaker.model_dump()
    return Draft.model_validate(data)


def as_v1(draft: Draft) -> dict[str, Any]:
    """A draft's data as an older device sends it: fredag.draft/1, no v2 fields."""
    data: dict[str, Any] = draft.model_dump(mode="json", by_alias=True)
    data["schema"] = DRAFT_SCHEMA_V1
    del data["journal"], data["marks"]
    for finding in (*data["factors"], *data["denied"]):
        del finding["area"]
    return data


class TestSpeakerInTheDraft:
    def test_new_drafts_are_version_2_with_speakers_signed_and_verified(self) -> None:
        """A v2 draft's segments carry role, label and confidence through signing."""
        key = Ed25519PrivateKey.generate()
        draft = v2_with_speakers(key, MOTHER)
        assert DRAFT_SCHEMA == "fredag.draft/2" and draft.schema_ == DRAFT_SCHEMA
        back = verify_draft(sign_draft(draft, key), key.public_key())
        assert back.transcript.segments[0].speaker == MOTHER
        segment = json.loads(draft_bytes(draft))["transcript"]["segments"][0]
        assert segment["speaker"] == {
            "role": "other",
            "label": "person 1",
            "confidence": 0.8,
            "uncertain": False,
            "revised": False,
        }

    def test_a_label_the_device_revised_is_marked_and_old_v2_drafts_still_verify(self) -> None:
        """A speaker the device relabelled with hindsight is signed with `revised`; a v2 draft
        signed before the field existed (no `revised` key) verifies from its own bytes and
        reads as not revised."""
        key = Ed25519PrivateKey.generate()
        revised = MOTHER.model_copy(update={"label": "person 2", "revised": True})
        back = verify_draft(sign_draft(v2_with_speakers(key, revised), key), key.public_key())
        assert back.transcript.segments[0].speaker == revised
        data = v2_with_speakers(key, MOTHER).model_dump(mode="json", by_alias=True)
        for segment in data["transcript"]["segments"]:
            if segment["speaker"] is not None:
                del segment["speaker"]["revised"]
        old = verify_draft(sign_payload(canonical_json(data), key), key.public_key())
        speaker = old.transcript.segments[0].speaker
        assert speaker is not None and speaker.label == "person 1" and not speaker.revised

    def test_version_1_drafts_keep_exactly_their_fields(self) -> None:
        """An old device's v1 draft serializes without speaker keys and still verifies."""
        key = Ed25519PrivateKey.generate()
        data = as_v1(make_draft(key))
        for segment in data["transcript"]["segments"]:
            del segment["speaker"]
        old = Draft.model_validate(data)
        assert json.loads(draft_bytes(old)) == data
        assert verify_draft(sign_draft(old, key), key.public_key()) == old

    def test_a_version_1_draft_with_speakers_is_invalid(self) -> None:
        """Speakers are a v2 field: a v1 draft that has them is refused."""
        data = as_v1(v2_with_speakers(Ed25519PrivateKey.generate(), CASEWORKER))
        with pytest.raises(ValidationError, match="no segment speakers"):
            Draft.model_validate(data)

    def test_a_speaker_is_a_label_never_a_vector(self) -> None:
        """Unknown fields (an embedding, say) are refused in a speaker."""
        with pytest.raises(ValidationError):
            Speaker.model_validate({**MOTHER.model_dump(), "embedding": [0.1] * 256})
