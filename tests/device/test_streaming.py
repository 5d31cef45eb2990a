"""Streaming transcription: Silero frame by frame, endpointed commits, splits, bounded memory."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.streaming import Commit, StreamingOptions, StreamingTranscriber
from device.vad import Endpointer, SileroStream, VadSettings
from tests.support.speech import read_wav, silence, speak

ONE = "Farmor hjälper familjen varje vecka."
TWO = "Pojken har svårt att sova på nätterna."


@pytest.fixture(scope="module")
def two_utterances(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    base = tmp_path_factory.mktemp("stream")
    a = read_wav(speak(ONE, base / "one.wav"))[0]
    b = read_wav(speak(TWO, base / "two.wav"))[0]
    return np.concatenate([silence(0.5), a, silence(1.2), b, silence(1.2)])


def stream(
    transcriber: Any,
    audio: np.ndarray,
    options: StreamingOptions,
    *,
    idle: bool = False,
    previews: list[str] | None = None,
) -> tuple[list[Commit], StreamingTranscriber]:
    """Feed `audio` in 0.1 s chunks; with `idle`, wait for the worker after each chunk."""
    commits: list[Commit] = []
    on_tentative = previews.append if previews is not None else None
    engine = StreamingTranscriber(transcriber, commits.append, options, on_tentative=on_tentative)
    for pos in range(0, audio.size, 1600):
        engine.feed(audio[pos : pos + 1600])
        if idle:
            engine.wait_idle()
    engine.close()
    return commits, engine


class TestStreamingVad:
    def test_same_probabilities_as_batch_silero(self, two_utterances: np.ndarray) -> None:
        """Frame-by-frame Silero in odd chunk sizes gives faster-whisper's batch probabilities."""
        from faster_whisper.vad import get_vad_model

        audio = two_utterances[: two_utterances.size // 512 * 512]
        batch = np.asarray(get_vad_model()(audio)).reshape(-1)
        vad = SileroStream()
        got = np.concatenate([vad.feed(audio[i : i + 777]) for i in range(0, audio.size, 777)])
        assert np.allclose(got, batch[: got.size], atol=1e-5)

    def test_endpoints_two_utterances(self, two_utterances: np.ndarray) -> None:
        """The endpointer finds two utterances separated by the pause."""
        probs = SileroStream().feed(two_utterances)
        events = Endpointer(VadSettings()).push(probs)
        assert [e.kind for e in events] == ["start", "end", "start", "end"]


@pytest.mark.slow
class TestCommits:
    def test_each_utterance_committed_once_in_order(
        self, transcriber: Any, two_utterances: np.ndarray
    ) -> None:
        """Two utterances give ordered commits; with no CPU room (load limit 0), no previews."""
        options = StreamingOptions(preview_max_load=0.0)
        commits, engine = stream(transcriber, two_utterances, options, previews=[])
        assert engine.calls["preview"] == 0
        segments = [s for c in commits for s in c.segments]
        assert segments, "nothing committed"
        starts = [s.start for s in segments]
        assert starts == sorted(starts)
        covered = [c.covered_until for c in commits]
        assert covered == sorted(covered)
        text = " ".join(s.text for s in segments).lower()
        assert "familjen" in text and "pojk" in text, text
        assert engine.calls["split"] == 0

    def test_long_utterance_is_split_by_agreement(
        self, transcriber: Any, two_utterances: np.ndarray
    ) -> None:
        """Without a long enough pause, the buffer is split and committed piecewise, no repeats."""
        options = StreamingOptions(
            previews=False,
            vad=VadSettings(min_silence_s=3.0),
            split_s=3.0,
            split_every_s=2.0,
            max_utterance_s=6.0,
        )
        commits, engine = stream(transcriber, two_utterances, options, idle=True)
        assert engine.calls["split"] >= 2
        assert len(commits) >= 2
        words = " ".join(s.text for c in commits for s in c.segments).lower()
        assert words.count("familjen") == 1 and "pojk" in words, words
        segments = [s for c in commits for s in c.segments]
        assert all(b.start >= a.start for a, b in itertools.pairwise(segments))

    def test_audio_buffer_is_bounded(self, transcriber: Any, two_utterances: np.ndarray) -> None:
        """Continuous speech never grows the utterance buffer past max_utterance_s."""
        options = StreamingOptions(
            previews=False, vad=VadSettings(min_silence_s=5.0), max_utterance_s=4.0, split_s=99
        )
        commits: list[Commit] = []
        engine = StreamingTranscriber(transcriber, commits.append, options)
        speech = np.tile(two_utterances, 2)
        largest = 0
        for pos in range(0, speech.size, 1600):
            engine.feed(speech[pos : pos + 1600])
            cur = engine._cur
            largest = max(largest, cur.n if cur is not None else 0)
        engine.close()
        assert largest <= 4.0 * 16000 + 1600
        assert commits

    def test_tentative_previews_when_idle(self, transcriber: Any, tmp_path: Path) -> None:
        """With room on the CPU, a preview of the utterance in progress is offered."""
        said = "Farmor hjälper familjen varje vecka och pojken har svårt att sova på nätterna"
        audio = read_wav(speak(said, tmp_path / "long.wav"))[0]
        previews: list[str] = []
        options = StreamingOptions(
            preview_min_s=0.5, preview_interval_s=0.0, preview_max_load=1.1, preview_max_cpu=99
        )
        engine = StreamingTranscriber(
            transcriber, lambda c: None, options, on_tentative=previews.append
        )
        half = audio[: audio.size * 2 // 3]
        for pos in range(0, half.size, 1600):
            engine.feed(half[pos : pos + 1600])
        deadline = time.monotonic() + 120
        while not any(previews) and time.monotonic() < deadline:
            time.sleep(0.1)
        engine.close()
        assert any(previews), previews
