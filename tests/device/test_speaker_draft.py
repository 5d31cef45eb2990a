"""`fredag draft` on a two-voice meeting: speakers in the signed draft, and no voice embedding
anywhere but the caseworker's own enrolment (real whisper-base, real speaker model)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.journal.identity import DeviceIdentity
from device.journal.signing import sign_segments
from device.journal.store import Store
from device.stages.tagging import tag_meeting
from device.voice.enrolment import BLOB, ENROL_TEXT
from fredag.protocol import ModelInfo, Segment, SignedEnvelope, Speaker, b64url_decode
from tests.device.conftest import KeywordTagger, make_meta
from tests.support.cli import run_fredag
from tests.support.speech import read_wav, silence, speak, write_wav

CASEWORKER = ("-v", "sv", "-s", "135", "-g", "6")
CLIENT = ("-v", "sv+f2", "-s", "135", "-g", "6")
TURNS = [
    (CASEWORKER, "Hur har ni det hemma just nu, hur ser en vanlig helg ut?"),
    (CLIENT, "Mamma slår mig ibland när hon är arg."),
    (CASEWORKER, "Har han några kompisar som han träffar efter skolan?"),
    (CLIENT, "Han har inga kompisar i skolan."),
]
TURN_ENDS: list[float] = []  # where each turn's pause ends, in s (set by the fixture)
# A run of many numbers: what a stored or sent embedding would look like in JSON.
NUMBER_RUN = re.compile(r"(-?\d+\.\d+\s*,\s*){15,}")


@pytest.fixture(scope="module")
def drafted(
    tmp_path_factory: pytest.TempPathFactory, whisper_base: Any
) -> tuple[Path, dict[str, Any]]:
    base = tmp_path_factory.mktemp("speaker-draft")
    pieces = []
    for i, (voice, text) in enumerate(TURNS):
        pieces += [read_wav(speak(text, base / f"t{i}.wav", voice))[0], silence(0.9)]
    TURN_ENDS[:] = list(np.cumsum([p.size / 16_000 for p in pieces])[1::2])
    meeting = write_wav(base / "meeting.wav", np.concatenate(pieces))
    enrol = speak(ENROL_TEXT, base / "enrol.wav", CASEWORKER)
    env = {"FREDAG_HOME": str(base / "home"), "FREDAG_MODEL": str(whisper_base.path)}
    done = run_fredag("voice", "enroll", "--input", str(enrol), env=env)
    assert done.returncode == 0, done.stderr
    args = ["draft", str(meeting), "--case", "BoU-15", "--case-type", "barn", "--json"]
    proc = run_fredag(*args, "--present", "mamma", "--caseworker", "Kim", env=env)
    assert proc.returncode == 0, proc.stderr
    return base / "home", json.loads(proc.stdout)


def plaintexts(home: Path) -> dict[str, str]:
    """Everything in the device's encrypted store, decrypted, by where it is."""
    store = Store(home)
    out: dict[str, str] = {}
    for sid in store.session_ids():
        out[f"session {sid}"] = json.dumps(store.session_journal(sid).read_all().records)
    for path in sorted((store.root / "journals").glob("*.fj")):
        out[f"journal {path.stem}"] = json.dumps(store.journal(path.stem).read_all().records)
    for path in sorted((store.root / "blobs").glob("*.fb")):
        data = store.get_blob(path.stem) or b""
        out[f"blob {path.stem}"] = data.decode("utf-8", "replace")
    return out


@pytest.mark.slow
class TestSpeakersInTheDraft:
    def test_every_segment_has_a_speaker_and_questions_are_the_caseworkers(
        self, drafted: tuple[Path, dict[str, Any]]
    ) -> None:
        """The v2 draft labels the enrolled caseworker's questions 'handläggare' and the
        client's answers 'person 1'."""
        _, draft = drafted
        assert draft["schema"] == "fredag.draft/2"
        segments = draft["transcript"]["segments"]
        assert segments and all(s["speaker"] is not None for s in segments)
        for seg in segments:
            middle = (seg["start"] + seg["end"]) / 2
            turn = next(i for i, end in enumerate(TURN_ENDS) if middle < end)
            expected = "handläggare" if TURNS[turn][0] == CASEWORKER else "person 1"
            assert seg["speaker"]["label"] == expected, seg
            assert seg["speaker"]["role"] == (
                "caseworker" if expected == "handläggare" else "other"
            )

    def test_no_embedding_in_the_store_or_the_draft_but_the_enrolment(
        self, drafted: tuple[Path, dict[str, Any]]
    ) -> None:
        """Decrypted, the store holds a run of numbers only in the caseworker's enrolment blob;
        the signed draft holds none."""
        home, draft = drafted
        found = {where for where, text in plaintexts(home).items() if NUMBER_RUN.search(text)}
        assert found == {f"blob {BLOB}"}
        assert not NUMBER_RUN.search(json.dumps(draft))
        (sid,) = Store(home).session_ids()
        records = Store(home).session_journal(sid).read_all().records
        (envelope,) = [
            SignedEnvelope.model_validate(r["envelope"]) for r in records if "envelope" in r
        ]
        signed = b64url_decode(envelope.payload).decode()
        assert '"label":"person 1"' in signed and not NUMBER_RUN.search(signed)


class TestSpeakersInTheEntry:
    def test_vad_som_framkom_lines_and_questions_name_their_speaker(
        self, identity: DeviceIdentity
    ) -> None:
        """A line of "Vad som framkom" carries its segment's speaker label, and so does the
        question it answers; the rendered entry shows the label."""
        cw = Speaker(role="caseworker", label="handläggare", confidence=0.95)
        mother = Speaker(role="other", label="person 1", confidence=0.8)
        segments = [
            Segment(start=1.0, end=3.0, text="Dricker pappa på helgerna?", speaker=cw),
            Segment(start=4.0, end=7.0, text="Ja, pappa dricker mycket då.", speaker=mother),
        ]
        tagger = KeywordTagger({"dricker": ("parental_substance_abuse", "risk", "Missbruk")})
        draft = sign_segments(
            meta=make_meta(),
            ended_at=datetime(2026, 11, 20, 13, 45, tzinfo=UTC),
            segments=segments,
            duration_s=8.0,
            language="sv",
            model=ModelInfo(name="whisper-base", sha256="0" * 64),
            tagging=tag_meeting(tagger, segments, "barn"),
            identity=identity,
        ).draft
        assert draft.journal is not None
        lines = [line for area in draft.journal.areas for line in area.lines]
        assert lines and {line.speaker for line in lines} <= {"handläggare", "person 1"}
        answer = next(line for line in lines if line.segment == 1)
        assert answer.speaker == "person 1"
        assert answer.question is None or answer.question.speaker == "handläggare"
        assert 'person 1: "' in draft.rendered
