"""`fredag draft` on a two-voice meeting: speakers in the signed draft, and no voice embedding
anywhere but the caseworker's own enrolment (real whisper-base, real speaker model)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.journal.store import Store
from device.voice.enrolment import BLOB, ENROL_TEXT
from fredag.protocol import SignedEnvelope, b64url_decode
from tests.support.cli import run_fredag
from tests.support.speech import read_wav, silence, speak, write_wav

CASEWORKER = ("-v", "sv", "-s", "135", "-g", "6")
CLIENT = ("-v", "sv+f2", "-s", "135", "-g", "6")
TURNS = [
    (CASEWORKER, "Har det förekommit något våld hemma hos er?"),
    (CLIENT, "Nej, det har aldrig förekommit något våld hemma, det är jag säker på."),
    (CASEWORKER, "Hur sover barnen på nätterna när det är skola dagen efter?"),
    (CLIENT, "De sover ganska bra, men lillebror vaknar ofta och vill komma till mig."),
]
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
            expected = "handläggare" if seg["text"].rstrip().endswith("?") else "person 1"
            assert seg["speaker"]["label"] == expected, seg
            assert seg["speaker"]["role"] == (
                "caseworker" if expected == "handläggare" else "other"
            )

    def test_vad_som_framkom_lines_name_their_speaker(
        self, drafted: tuple[Path, dict[str, Any]]
    ) -> None:
        """Each transcript line of the rendered draft starts with its speaker's label."""
        _, draft = drafted
        said = draft["rendered"].split("Vad som framkom\n", 1)[1].split("\n\n", 1)[0]
        lines = said.splitlines()
        assert lines and all(
            re.match(r"^\[\d\d:\d\d\] (handläggare|person 1): ", ln) for ln in lines
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
