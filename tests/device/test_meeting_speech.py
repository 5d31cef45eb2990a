"""A whole dev meeting through real speech: espeak-ng voices, whisper-base, the tagger, the draft.

`barn-elsa` from ../shared/meetings-dev (about 80 s of speech) is spoken exactly as
../shared/eval/score_meeting.py speaks it and transcribed once with `fredag draft`'s options.
The full scoring of every meeting is `python -m bench meetings`; this keeps the product's
promise in `make test`: a denial is noted, and nothing forbidden is ever found.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bench.meetings import SHARED, draft_from_transcript, score, spec_of
from device.capture.audio import decode_file
from device.stages.transcribe import TranscribeOptions

MEETING = SHARED / "meetings-dev" / "barn-elsa.txt"


@pytest.fixture(scope="module")
def heard(transcriber: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not MEETING.exists():
        pytest.skip("../shared/meetings-dev is not here")
    from bench.meetings import _shared_scorer

    old = os.environ.get("FREDAG_EVAL_CACHE")
    os.environ["FREDAG_EVAL_CACHE"] = str(tmp_path_factory.mktemp("speech"))
    try:
        wav = Path(_shared_scorer().speak(MEETING, "clean"))
    finally:
        if old is None:
            os.environ.pop("FREDAG_EVAL_CACHE", None)
        else:
            os.environ["FREDAG_EVAL_CACHE"] = old
    options = TranscribeOptions(word_timestamps=True)
    first = transcriber.transcribe(decode_file(wav), options).to_json()
    again = transcriber.transcribe(decode_file(wav), options).to_json()
    return {"first": first, "again": again}


@pytest.mark.slow
class TestDevMeetingThroughSpeech:
    def test_denial_noted_and_nothing_forbidden(self, heard: dict[str, Any]) -> None:
        """The question 'Har barnen blivit slagna?' and its 'Nej, …' are noted as asked and
        denied; no forbidden factor (the denied maltreatment, school failure, truancy) is found."""
        spec = spec_of(MEETING)
        draft = draft_from_transcript(heard["first"], MEETING.stem, spec["case_type"])
        result = score(MEETING.stem, spec, draft, None)
        assert result.forbidden == [], draft["factors"]
        assert result.denied == result.denied_expected == 1, draft["denied"]
        assert result.problems == []

    def test_same_recording_same_draft(self, heard: dict[str, Any]) -> None:
        """Transcribing the same recording twice gives the same words and the same findings
        (no sampling fallback), so a caseworker who runs the file twice gets the same draft."""
        assert heard["first"]["segments"] == heard["again"]["segments"]
        spec = spec_of(MEETING)
        drafts = [
            draft_from_transcript(heard[k], MEETING.stem, spec["case_type"])
            for k in ("first", "again")
        ]
        assert drafts[0]["factors"] == drafts[1]["factors"]
        assert drafts[0]["denied"] == drafts[1]["denied"]
