"""`fredag transcribe`: the real whisper-base model on Swedish speech from espeak-ng."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.capture.audio import SAMPLE_RATE, decode_file
from fredag.errors import AudioEmpty, AudioNotFound, AudioUnreadable
from tests.support.cli import run_fredag
from tests.support.encode import FORMATS, encode
from tests.support.speech import read_wav, speak, wer, write_wav

SCRIPT = (
    "Hej, jag heter Anna och jag arbetar som socialsekreterare i kommunen. "
    "Vi har träffats i dag för att prata om hur det går för barnen i skolan. "
    "Mamma berättar att pojken har svårt att sova och att han är trött på morgonen. "
    "Farmor hjälper familjen varje vecka och barnen tycker om att vara hos henne."
)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speak(SCRIPT, tmp_path_factory.mktemp("speech") / "script.wav")


@pytest.fixture(scope="module")
def transcribed(spoken: Path) -> dict[str, Any]:
    """One real `fredag transcribe --json` run of the script, shared by the checks on it."""
    proc = run_fredag("transcribe", str(spoken), "--json")
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


@pytest.mark.slow
class TestTranscribeSwedish:
    def test_wer_on_known_script_within_target(self, transcribed: dict[str, Any]) -> None:
        """The real model hears the synthesized Swedish script with a WER of at most 0.40."""
        assert wer(SCRIPT, transcribed["text"]) <= 0.40, transcribed["text"]

    def test_json_contract(self, spoken: Path, transcribed: dict[str, Any]) -> None:
        """--json carries language, duration, model, ordered segments with scores and the heard
        words with their probabilities, and text."""
        out = transcribed
        assert out["language"] == "sv"
        assert out["duration_s"] == pytest.approx(read_wav(spoken)[0].size / SAMPLE_RATE, abs=0.05)
        assert out["model"]["name"] == "whisper-base"
        assert len(out["model"]["sha256"]) == 64
        segs = out["segments"]
        assert segs, "no segments"
        assert set(segs[0]) == {"start", "end", "text", "avg_logprob", "no_speech_prob", "words"}
        for w in segs[0]["words"]:
            assert {"start", "end", "word", "probability"} == set(w)
            assert 0.0 <= w["probability"] <= 1.0
        starts = [s["start"] for s in segs]
        assert starts == sorted(starts)
        assert all(s["end"] > s["start"] for s in segs)
        assert out["text"] == " ".join(s["text"] for s in segs)

    def test_plain_output_lists_timestamped_segments(self, spoken: Path) -> None:
        """Without --json each segment is printed on its own line with its times."""
        proc = run_fredag("transcribe", str(spoken))
        assert proc.returncode == 0
        lines = proc.stdout.strip().splitlines()
        assert lines and all(line.startswith("[") and "→" in line for line in lines)

    def test_explicit_model_path_is_used(self, spoken: Path, whisper_base) -> None:  # type: ignore[no-untyped-def]
        """A CTranslate2 directory given by path transcribes like the named model."""
        out = json.loads(
            run_fredag(
                "transcribe", str(spoken), "--json", "--model", str(whisper_base.path)
            ).stdout
        )
        assert out["model"]["sha256"] == whisper_base.sha256
        assert wer(SCRIPT, out["text"]) <= 0.40


@pytest.mark.slow
class TestNoInventedText:
    @pytest.mark.parametrize(
        "make_audio",
        [
            pytest.param(lambda rng: np.zeros(30 * SAMPLE_RATE, np.float32), id="silence"),
            pytest.param(
                lambda rng: (rng.standard_normal(30 * SAMPLE_RATE) * 0.1).astype(np.float32),
                id="white-noise",
            ),
            pytest.param(
                lambda rng: (np.cumsum(rng.standard_normal(30 * SAMPLE_RATE)) * 0.002).astype(
                    np.float32
                ),
                id="brown-noise",
            ),
        ],
    )
    def test_thirty_seconds_give_no_words(self, tmp_path: Path, make_audio) -> None:  # type: ignore[no-untyped-def]
        """30 s without speech gives no invented words: a 'no speech' message and exit 5."""
        audio = make_audio(np.random.default_rng(7))
        path = write_wav(tmp_path / "nospeech.wav", np.clip(audio, -1, 1))
        proc = run_fredag("transcribe", str(path), "--json")
        assert proc.returncode == 5
        assert proc.stdout == ""
        assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
        assert "no speech" in proc.stderr

    def test_guards_drop_segments_in_silence_between_speech(
        self,
        transcriber,
        tmp_path: Path,  # type: ignore[no-untyped-def]
    ) -> None:
        """Speech, then 20 s of silence, then speech: no segment falls inside the silence."""
        from device.stages.transcribe import TranscribeOptions

        clip = read_wav(speak("Vi ses igen om två veckor.", tmp_path / "a.wav"))[0]
        audio = np.concatenate([clip, np.zeros(20 * SAMPLE_RATE, np.float32), clip])
        result = transcriber.transcribe(audio, TranscribeOptions())
        gap = (len(clip) / SAMPLE_RATE + 1.0, len(clip) / SAMPLE_RATE + 19.0)
        assert result.segments
        assert not [s for s in result.segments if s.start > gap[0] and s.end < gap[1]]


class TestBadInput:
    def _assert_one_line_error(self, proc, code: int) -> None:  # type: ignore[no-untyped-def]
        assert proc.returncode == code, proc.stderr
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
        assert proc.stderr.startswith("fredag: ")

    def test_missing_file(self, tmp_path: Path) -> None:
        """A path that does not exist is named in a one-line error, exit 4."""
        proc = run_fredag("transcribe", str(tmp_path / "finns-inte.wav"))
        self._assert_one_line_error(proc, 4)
        assert "finns-inte.wav" in proc.stderr

    def test_not_audio(self, tmp_path: Path) -> None:
        """A text file is refused as not audio, exit 4."""
        path = tmp_path / "anteckning.wav"
        path.write_text("det här är ingen ljudfil\n" * 50)
        self._assert_one_line_error(run_fredag("transcribe", str(path)), 4)

    def test_empty_file(self, tmp_path: Path) -> None:
        """A zero-byte file is refused as empty, exit 4."""
        path = tmp_path / "tom.wav"
        path.touch()
        proc = run_fredag("transcribe", str(path))
        self._assert_one_line_error(proc, 4)
        assert "empty" in proc.stderr

    def test_directory(self, tmp_path: Path) -> None:
        """A directory is refused as not a file, exit 4."""
        self._assert_one_line_error(run_fredag("transcribe", str(tmp_path)), 4)

    def test_unknown_model(self, tmp_path: Path) -> None:
        """An unknown model name is a clear error naming the known models, never a download."""
        path = write_wav(tmp_path / "x.wav", np.zeros(SAMPLE_RATE, np.float32))
        proc = run_fredag("transcribe", str(path), "--model", "kb-whisper-large")
        self._assert_one_line_error(proc, 3)
        assert "whisper-base" in proc.stderr


class TestDecoding:
    @pytest.mark.parametrize("suffix", sorted(FORMATS))
    def test_formats_decode_to_16k_mono(self, tmp_path: Path, suffix: str) -> None:
        """wav, flac, mp3, m4a and ogg decode to 16 kHz mono of the original's length."""
        t = np.arange(3 * SAMPLE_RATE) / SAMPLE_RATE
        tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        audio = decode_file(encode(tone, tmp_path / f"tone{suffix}"))
        assert audio.dtype == np.float32
        assert audio.ndim == 1
        assert abs(audio.size - tone.size) < 0.1 * SAMPLE_RATE
        assert 0.15 < float(np.abs(audio).max()) < 0.5

    def test_errors_are_typed(self, tmp_path: Path) -> None:
        """Missing, empty and non-audio files raise their own error classes."""
        with pytest.raises(AudioNotFound):
            decode_file(tmp_path / "nope.wav")
        (tmp_path / "empty.ogg").touch()
        with pytest.raises(AudioEmpty):
            decode_file(tmp_path / "empty.ogg")
        (tmp_path / "text.mp3").write_bytes(b"\x00\x01garbage" * 100)
        with pytest.raises(AudioUnreadable):
            decode_file(tmp_path / "text.mp3")


@pytest.mark.slow
class TestFormatsTranscribe:
    def test_mp3_transcribes_like_wav(self, spoken: Path, tmp_path: Path, transcriber) -> None:  # type: ignore[no-untyped-def]
        """An mp3 of the script decodes and transcribes within the same WER target as the WAV."""
        from device.stages.transcribe import TranscribeOptions

        mp3 = encode(read_wav(spoken)[0], tmp_path / "script.mp3")
        result = transcriber.transcribe(decode_file(mp3), TranscribeOptions())
        assert wer(SCRIPT, result.text) <= 0.40, result.text
