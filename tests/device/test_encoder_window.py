"""The encoder window: Whisper's 30 s by default, the speech rounded up to 5 s when asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.stages.transcribe import TranscribeOptions, window_frames
from tests.support.speech import read_wav, speak, wer

SENTENCE = (
    "Hej, jag heter Anna och jag arbetar som socialsekreterare i kommunen. "
    "Vi har träffats i dag för att prata om hur det går för barnen i skolan."
)


def features(speech_frames: int, total: int = 3000) -> np.ndarray:
    """Log-mel-like features: `speech_frames` of non-zero values, then zero padding."""
    out = np.zeros((1, 80, total), dtype=np.float32)
    out[..., :speech_frames] = -0.4
    return out


class TestWindowFrames:
    def test_speech_is_rounded_up_to_five_seconds(self) -> None:
        """7.2 s of speech gets a 10 s window when the minimum is shorter."""
        assert window_frames(features(720), 5.0) == 1000

    def test_minimum_window_is_kept(self) -> None:
        """A short utterance still gets the minimum window."""
        assert window_frames(features(180), 15.0) == 1500

    def test_never_more_than_the_features(self) -> None:
        """Speech filling the window keeps all of Whisper's 30 s."""
        assert window_frames(features(2990), 15.0) == 3000

    def test_two_dimensional_features(self) -> None:
        """Features without a batch axis are measured the same way."""
        assert window_frames(features(1600)[0], 10.0) == 2000


@pytest.fixture
def encoder_frames(transcriber: Any) -> Iterator[list[int]]:
    """Frames of every encoder call on the shared transcriber (its model spied, then restored)."""
    whisper = transcriber._whisper
    model = whisper.model
    seen: list[int] = []

    class Spy:
        def __getattr__(self, key: str) -> Any:
            return getattr(model, key)

        def encode(self, feats: Any, **kwargs: Any) -> Any:
            seen.append(int(feats.shape[-1]))
            return model.encode(feats, **kwargs)

    whisper.model = Spy()
    try:
        yield seen
    finally:
        whisper.model = model


class TestEncoderWindow:
    def test_default_encodes_thirty_seconds(
        self, transcriber: Any, encoder_frames: list[int], tmp_path: Path
    ) -> None:
        """Without a window the encoder sees Whisper's full 3000 frames."""
        clip = read_wav(speak(SENTENCE, tmp_path / "s.wav"))[0]
        list(transcriber.segments(clip, TranscribeOptions()))
        assert encoder_frames == [3000]

    def test_window_encodes_the_speech_and_hears_the_same(
        self, transcriber: Any, encoder_frames: list[int], tmp_path: Path
    ) -> None:
        """A window shorter than 30 s, in 5 s steps, hears the speech as well as 30 s do."""
        clip = read_wav(speak(SENTENCE, tmp_path / "s.wav"))[0]
        windowed = TranscribeOptions(encoder_window_s=15.0)
        text = " ".join(s.text for s in transcriber.segments(clip, windowed))
        seconds = clip.size / 16000
        assert len(encoder_frames) == 1
        assert encoder_frames[0] % 500 == 0
        assert 1500 <= encoder_frames[0] < min(3000, seconds * 100 + 500)
        full = " ".join(s.text for s in transcriber.segments(clip, TranscribeOptions()))
        assert wer(SENTENCE, text) <= max(0.15, wer(SENTENCE, full) + 0.05), (text, full)

    def test_forced_prefix_decode_uses_the_window(
        self, transcriber: Any, encoder_frames: list[int], tmp_path: Path
    ) -> None:
        """A continuation after a forced prefix is encoded in the window too."""
        first = read_wav(speak("Farmor hjälper familjen varje vecka.", tmp_path / "a.wav"))[0]
        second = read_wav(speak("Hur sover han på nätterna?", tmp_path / "b.wav"))[0]
        gap = np.zeros(6400, dtype=np.float32)
        audio = np.concatenate([first, gap, second])
        transcriber.continuation(
            audio, "Farmor hjälper familjen varje vecka.", TranscribeOptions(encoder_window_s=10.0)
        )
        assert encoder_frames == [1000]
