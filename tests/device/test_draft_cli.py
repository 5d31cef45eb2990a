"""`fredag draft AUDIO --json`: the contract other tools rely on, on real espeak speech."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from device.journal.identity import load_identity
from device.journal.session import list_sessions
from device.journal.store import Store
from fredag.protocol import SignedEnvelope, verify_draft
from tests.support.cli import run_fredag
from tests.support.speech import speak

SCRIPT = (
    "Mamma berättar att pojken har svårt att sova. "
    "Farmor hjälper familjen varje vecka och barnen tycker om att vara hos henne."
)


def draft_of(audio: Path, home: Path, whisper_base: Any, **env: str) -> dict[str, Any]:
    """`fredag draft AUDIO --json` in a home of its own, with `env` added."""
    proc = run_fredag(
        "draft",
        str(audio),
        "--case",
        "BoU-7",
        "--case-type",
        "barn",
        "--present",
        "mamma",
        "--caseworker",
        "Anna",
        "--json",
        env={"FREDAG_HOME": str(home), "FREDAG_MODEL": str(whisper_base.path), **env},
    )
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speak(SCRIPT, tmp_path_factory.mktemp("draft-cli") / "meeting.wav")


@pytest.fixture(scope="module")
def drafted(spoken: Path, whisper_base: Any) -> tuple[Path, dict[str, Any]]:
    home = spoken.parent / "home"
    return home, draft_of(spoken, home, whisper_base)


@pytest.mark.slow
class TestDraftJsonContract:
    def test_required_fields(self, drafted: tuple[Path, dict[str, Any]]) -> None:
        """The JSON has segments, factors, denied, empty assessment/planning, version, rendered."""
        out = drafted[1]
        segs = out["transcript"]["segments"]
        assert segs and all({"start", "end", "text"} <= set(s) for s in segs)
        assert all(s["end"] >= s["start"] for s in segs)
        assert isinstance(out["factors"], list) and isinstance(out["denied"], list)
        for finding in out["factors"] + out["denied"]:
            assert {"factor", "kind"} <= set(finding)
            assert all({"quote", "start", "end"} <= set(e) for e in finding["evidence"])
        assert out["assessment"] is None and out["planning"] is None
        assert out["catalogue_version"] == out["catalogue"]["version"]
        assert "Vad som framkom" in out["rendered"] and "Bedömning" in out["rendered"]

    def test_transcript_is_the_speech(self, drafted: tuple[Path, dict[str, Any]]) -> None:
        """The transcript holds words of the spoken script and the meeting facts given."""
        out = drafted[1]
        text = " ".join(s["text"] for s in out["transcript"]["segments"]).lower()
        assert "farmor" in text or "familjen" in text, text
        assert out["meeting"]["case_ref"] == "BoU-7"
        assert out["meeting"]["present"] == ["mamma"]

    def test_signed_draft_is_stored(self, drafted: tuple[Path, dict[str, Any]]) -> None:
        """The draft is stored, signed, in a finished session that verifies with the device key."""
        home, out = drafted
        sessions = list_sessions(Store(home))
        assert len(sessions) == 1 and sessions[0].finished
        assert sessions[0].envelope is not None
        envelope = SignedEnvelope.model_validate(sessions[0].envelope)
        draft = verify_draft(envelope, load_identity(home).public_key)
        assert str(draft.draft_id) == out["draft_id"]


@pytest.mark.slow
class TestSameDraftEveryTime:
    def test_one_thread_gives_the_same_draft(
        self, spoken: Path, drafted: tuple[Path, dict[str, Any]], whisper_base: Any
    ) -> None:
        """The same recording drafted again on a fresh device, with one thread for the
        recogniser and for numpy, gives the same transcript, speakers, findings and denials."""
        one = {"FREDAG_CPU_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        again = draft_of(spoken, spoken.parent / "home-one-thread", whisper_base, **one)
        first = drafted[1]
        assert again["transcript"]["segments"] == first["transcript"]["segments"]
        assert again["factors"] == first["factors"]
        assert again["denied"] == first["denied"]


class TestDraftCliErrors:
    def test_no_consent_is_refused(self, tmp_path: Path) -> None:
        """--no-consent refuses to make a draft, in one line and without a traceback."""
        proc = run_fredag(
            "draft",
            str(tmp_path / "x.wav"),
            "--case",
            "A1",
            "--case-type",
            "barn",
            "--no-consent",
            env={"FREDAG_HOME": str(tmp_path)},
        )
        assert proc.returncode == 2
        assert "consent" in proc.stderr and "Traceback" not in proc.stderr

    def test_missing_audio(self, tmp_path: Path) -> None:
        """A missing recording is a one-line audio error."""
        proc = run_fredag(
            "draft",
            str(tmp_path / "x.wav"),
            "--case",
            "A1",
            "--case-type",
            "vuxen",
            env={"FREDAG_HOME": str(tmp_path)},
        )
        assert proc.returncode == 4 and "Traceback" not in proc.stderr


class TestDictionaryAtStart:
    def test_a_missing_dictionary_fails_before_the_recording_is_transcribed(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`fredag draft AUDIO` without the Hunspell dictionary says so (ExtraMissing, naming
        hunspell-sv) before it looks for the model or transcribes anything."""
        from device.cli import draft
        from fredag.errors import ExtraMissing
        from risk_factors import dictionary
        from tests.support.speech import silence, write_wav

        monkeypatch.setattr(dictionary, "SEARCH", (tmp_path,))
        monkeypatch.setenv("FREDAG_HUNSPELL_DIR", str(tmp_path))
        monkeypatch.setattr(dictionary, "_loaded", None)
        audio = write_wav(tmp_path / "meeting.wav", silence(1.0))
        with pytest.raises(ExtraMissing, match="hunspell-sv"):
            draft(
                audio=audio,
                case="BoU-7",
                case_type="barn",
                contact_type="besök",
                present=["mamma"],
                caseworker="Anna",
                consent=True,
                model=str(tmp_path / "no-model"),  # would fail next, as ModelMissing
                transcript=None,
                as_json=True,
            )
