"""`fredag draft --transcript FILE`: a draft from an existing transcript, without audio or model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from device.stages.transcript_file import parse_transcript
from fredag.errors import UsageError
from tests.support.cli import run_fredag

TRANSCRIPT: dict[str, Any] = {
    "language": "sv",
    "duration_s": 9.0,
    "model": {"name": "whisper-base", "sha256": "a" * 64},
    "segments": [
        {"start": 0.0, "end": 2.0, "text": "Hur ser det ut med alkohol?"},
        {"start": 2.5, "end": 4.5, "text": "Jag dricker en flaska vin varje kväll."},
        {"start": 5.0, "end": 6.5, "text": "Använder du narkotika?"},
        {
            "start": 7.0,
            "end": 7.6,
            "text": "Nej.",
            "words": [{"start": 7.0, "end": 7.5, "word": " Nej.", "probability": 0.97}],
        },
    ],
    "text": "…",
}


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("draft-transcript")
    path = base / "meeting.json"
    path.write_text(json.dumps(TRANSCRIPT, ensure_ascii=False), encoding="utf-8")
    proc = run_fredag(
        "draft",
        "--transcript",
        str(path),
        "--case",
        "V-1",
        "--case-type",
        "vuxen",
        "--json",
        env={"FREDAG_HOME": str(base / "home"), "FREDAG_MODEL": str(base / "no-model-here")},
    )
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


class TestDraftFromTranscript:
    def test_segments_and_model_come_from_the_file(self, drafted: dict[str, Any]) -> None:
        """The draft's transcript is the file's segments and model; no model is loaded."""
        segs = drafted["transcript"]["segments"]
        assert [s["text"] for s in segs] == [s["text"] for s in TRANSCRIPT["segments"]]
        assert drafted["transcript"]["model"]["name"] == "whisper-base"

    def test_findings_and_a_denial_across_turns(self, drafted: dict[str, Any]) -> None:
        """The client's drinking is found; "Nej." after the drug question is asked and denied,
        quoting the question and the answer."""
        assert "alcohol_problem" in {f["factor"] for f in drafted["factors"]}
        denied = {f["factor"]: f for f in drafted["denied"]}
        assert "drug_problem" in denied
        quotes = {e["quote"] for e in denied["drug_problem"]["evidence"]}
        assert quotes == {"Använder du narkotika?", "Nej."}

    def test_both_or_neither_source_is_a_usage_error(self, tmp_path: Path) -> None:
        """A recording and --transcript together, or neither, exit 2 with one line."""
        proc = run_fredag("draft", "--case", "V-1", "--case-type", "vuxen")
        assert proc.returncode == 2 and "--transcript" in proc.stderr

    def test_a_file_that_is_not_a_transcript_is_a_usage_error(self, tmp_path: Path) -> None:
        """JSON without segments is refused with a message, never a traceback."""
        path = tmp_path / "x.json"
        path.write_text('{"hello": 1}', encoding="utf-8")
        proc = run_fredag(
            "draft", "--transcript", str(path), "--case", "V-1", "--case-type", "vuxen"
        )
        assert proc.returncode == 2 and "Traceback" not in proc.stderr


class TestParseTranscript:
    def test_speaker_and_word_probabilities_are_kept_for_the_tagger(self) -> None:
        """A segment's speaker and heard words (with their times) reach the tagger's input;
        the draft's segments stay start, end and text (a file's free-form speaker is not an
        attributed one)."""
        data = {**TRANSCRIPT, "segments": [{**TRANSCRIPT["segments"][3], "speaker": "klient"}]}
        parsed = parse_transcript(data)
        assert parsed.heard[0]["speaker"] == "klient"
        [word] = parsed.heard[0]["words"]
        assert word["word"] == " Nej." and word["probability"] == 0.97
        assert {"start", "end"} <= set(word)  # the pause before a word is read by the tagger
        dumped = parsed.segments[0].model_dump()
        assert set(dumped) == {"start", "end", "text", "speaker"} and dumped["speaker"] is None

    def test_bad_model_is_a_usage_error(self) -> None:
        """A model without a sha256 is not a transcript of this device."""
        with pytest.raises(UsageError):
            parse_transcript({**TRANSCRIPT, "model": {"name": "x"}})
