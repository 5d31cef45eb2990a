"""Streaming transcription: Silero frame by frame, endpointed commits, splits, bounded memory."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.stages.decoding import Decoder
from device.stages.scheduling import Budget
from device.stages.streaming import (
    Commit,
    StreamingOptions,
    StreamingTranscriber,
    garbled,
    join_speech,
    repeats,
)
from device.stages.transcribe import Continued, TranscribeOptions
from device.stages.utterance import Utterance
from device.stages.vad import Endpointer, SileroStream, VadSettings
from fredag.protocol import Segment
from tests.device.doubles import InstantTranscriber
from tests.support.speech import conversation, read_wav, silence, speak, wer

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
            cur = engine.segmenter.current
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
            preview_min_s=0.5,
            preview_interval_s=0.0,
            preview_max_load=1.1,
            preview_max_cpu=99,
            lag_previews_s=999,
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


class TestContextGuards:
    @pytest.mark.parametrize(
        "text",
        [
            "Hymn, Summe, Han, Po, Net, Han,",
            "U, M, S, T, M, H, O, V, D, D, H",
            "hon hon hon hon hon hon hon hon I",
        ],
    )
    def test_collapsed_decodes_are_garbled(self, text: str) -> None:
        """Whisper's comma-after-every-word and one-word-loop outputs are recognised."""
        assert garbled(text)

    @pytest.mark.parametrize(
        "text",
        [
            "U, se dit ut, hemma, just nu, vilka bo, i raginheten.",
            "Ja, ja, jag förstår.",
            "Jag har varit sjukskriven en period för att jag var väldigt stressad.",
        ],
    )
    def test_ordinary_sentences_are_not_garbled(self, text: str) -> None:
        """Sentences with a few commas, or short replies, are kept as context."""
        assert not garbled(text)

    def test_a_copy_of_the_previous_sentence_is_a_repeat(self) -> None:
        """A near copy of the last context sentence is a repeat; a new sentence is not."""
        before = "Han har en bästa män i klassen. Som han spelar doton stil med bokmellan."
        assert repeats("Han har en bästa män i klassen som han spelar doton stil.", before)
        assert not repeats("Hur är stämningen hemma på vardagarna?", before)
        assert not repeats("Ja.", "Ja.")  # short replies may well be said twice

    def test_a_sentence_said_twice_is_a_repeat(self) -> None:
        """A decode holding a near copy of a context piece, or of one sentence of it, is a
        repeat even where the whole is no near copy (measured: "X. X." after "X.")."""
        x = "Han har en bästa män i klassen som han spelar doton stil med bokmellan."
        assert repeats(f"{x} {x}", x)
        assert repeats(x, f"Har han kompisar som han träffar? {x}")
        assert not repeats(f"Hur är stämningen hemma på vardagarna? {x[:20]}", x)
        assert not repeats("Han sitter uppe sent med mobilen och är trött.", f"Dåligt. {x}")


class ScriptedContinuations:
    """No model: each decode after the context answers the next scripted text, and records
    the prefix it was forced through (decodes alone are not expected)."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers
        self.prefixes: list[str] = []

    def continuation(self, audio: np.ndarray, prefix: str, options: Any) -> Continued | None:
        self.prefixes.append(prefix)
        return Continued(self.answers.pop(0))

    def segments(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("decoded alone")


class TestRepeatGuard:
    X = "Han har en bästa män i klassen som han spelar doton stil med bokmellan."
    Q = "Hur är stämningen hemma på vardagarna?"

    def decoder(self, answers: list[str]) -> tuple[Decoder, ScriptedContinuations]:
        scripted = ScriptedContinuations(answers)
        options = StreamingOptions(previews=False)
        decoder = Decoder(scripted, options, Budget(options.load_window_s))  # type: ignore[arg-type]
        one_s = np.full(16000, 0.1, dtype=np.float32)
        decoder.remember_context([one_s], [Segment(start=0, end=1, text="Har han kompisar?")])
        decoder.remember_context([one_s], [Segment(start=1, end=2, text=self.X)])
        return decoder, scripted

    def utterance(self) -> Utterance:
        utt = Utterance(9, 48000)
        utt.add(np.full(16000, 0.1, dtype=np.float32))
        return utt

    def test_the_last_sentence_said_twice_is_retried_with_older_context(self) -> None:
        """A decode that says the context's last sentence twice is not committed: the decode
        is retried without that sentence, on every path that decodes after the context."""
        decoder, scripted = self.decoder([f"{self.X} {self.X}", self.Q])
        segments = decoder.final([self.utterance()])
        assert [s.text for s in segments] == [self.Q]
        assert scripted.prefixes == [f"Har han kompisar? {self.X}", "Har han kompisar?"]
        assert decoder.calls["context_retry"] == 1

        decoder, _ = self.decoder([f"{self.X} {self.X}", self.Q])
        decoder.speculate(self.utterance())
        assert [s.text for s in decoder.final([self.utterance()])] == [self.Q]

    def test_a_retry_that_brings_the_left_out_sentence_back_is_given_up(self) -> None:
        """The retry is checked against the sentence it left out too: a copy of it is no
        commit, the utterance is decoded alone instead."""
        decoder, _ = self.decoder([self.X, self.X])
        with pytest.raises(AssertionError, match="decoded alone"):
            decoder.final([self.utterance()])
        assert decoder.calls["context_retry"] == 2


class SpyTranscriber:
    """The real transcriber, counting how each call decodes (no transcription is faked)."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.prefixes: list[str] = []
        self.alone = 0

    def segments(self, *args: Any, **kwargs: Any) -> Any:
        self.alone += 1
        return self.real.segments(*args, **kwargs)

    def continuation(self, audio: np.ndarray, prefix: str, options: TranscribeOptions) -> Any:
        self.prefixes.append(prefix)
        return self.real.continuation(audio, prefix, options)


@pytest.mark.slow
class TestContinuation:
    def test_returns_only_the_text_after_the_prefix(self, transcriber: Any, tmp_path: Path) -> None:
        """Decoding after a transcribed first sentence gives the second one, not the first again."""
        one = read_wav(speak(ONE, tmp_path / "one.wav"))[0]
        two = read_wav(speak(TWO, tmp_path / "two.wav"))[0]
        heard = transcriber.continuation(join_speech([one, two]), ONE, TranscribeOptions())
        assert heard is not None
        new = heard.text
        assert "pojk" in new.lower(), new
        assert "familjen" not in new.lower() and "farmor" not in new.lower(), new

    def test_prefix_that_cannot_be_forced_gives_none(
        self, transcriber: Any, tmp_path: Path
    ) -> None:
        """A prefix longer than the decoder can be forced through is reported, not half-used."""
        two = read_wav(speak(TWO, tmp_path / "two.wav"))[0]
        prefix = " ".join(f"ord{i}" for i in range(400))
        assert transcriber.continuation(two, prefix, TranscribeOptions()) is None


@pytest.mark.slow
class TestContext:
    def test_later_utterance_is_decoded_after_the_committed_one(
        self, transcriber: Any, tmp_path: Path
    ) -> None:
        """The second turn is decoded after the first one's committed text; only its own text
        is committed, as one segment spanning it."""
        turns = [
            (0, "Kan du berätta lite mer om vad som har hänt i skolan?"),
            (1, "Han har varit borta många dagar och han säger att han inte orkar gå dit."),
        ]
        audio = read_wav(conversation(turns, tmp_path / "talk.wav"))[0]
        spy = SpyTranscriber(transcriber)
        commits, engine = stream(spy, audio, StreamingOptions(previews=False), idle=True)
        assert engine.calls["context_miss"] == 0, engine.calls
        first, second = (c.segments for c in commits)
        assert "berätta" in first[0].text.lower(), first
        assert spy.alone == 1 and spy.prefixes == [" ".join(s.text for s in first)]
        assert len(second) == 1
        text = second[0].text.lower()
        assert "dagar" in text and "berätta" not in text, text
        assert second[0].start >= first[-1].end - 0.5 and second[0].end > second[0].start

    def test_context_stops_growing_once_it_is_long_enough(
        self, transcriber: Any, tmp_path: Path
    ) -> None:
        """With `context_enough_s` reached by the latest utterance, older ones are left out of
        the prefix (they would only cost decoder steps)."""
        turns = [
            (0, "Kan du berätta lite mer om vad som har hänt i skolan?"),
            (1, "Han har varit borta många dagar och han säger att han inte orkar gå dit."),
            (0, "Hur sover han på nätterna?"),
        ]
        audio = read_wav(conversation(turns, tmp_path / "talk.wav"))[0]
        spy = SpyTranscriber(transcriber)
        options = StreamingOptions(previews=False, speculate=False, context_enough_s=0.1)
        commits, _ = stream(spy, audio, options, idle=True)
        texts = [" ".join(s.text for s in c.segments) for c in commits]
        assert len(texts) == 3 and spy.prefixes == texts[:2], (spy.prefixes, texts)

    def test_context_is_bounded(self, transcriber: Any, two_utterances: np.ndarray) -> None:
        """However long the meeting, the context holds at most 2 × `context_s` seconds of audio."""
        options = StreamingOptions(previews=False, context_s=4.0)
        held: list[float] = []
        engine: StreamingTranscriber | None = None

        def on_commit(commit: Commit) -> None:
            assert engine is not None
            held.append(sum(a.size for a, _ in engine.decoder.context) / 16000)

        engine = StreamingTranscriber(transcriber, on_commit, options)
        audio = np.tile(two_utterances, 3)
        for pos in range(0, audio.size, 1600):
            engine.feed(audio[pos : pos + 1600])
            engine.wait_idle()
        engine.close()
        assert len(held) == 6
        assert max(held) <= 8.0 and max(held) > 0

    def test_no_context_when_turned_off(self, transcriber: Any, two_utterances: np.ndarray) -> None:
        """With `context_s=0`, every utterance is transcribed on its own."""
        spy = SpyTranscriber(transcriber)
        options = StreamingOptions(previews=False, context_s=0)
        commits, _ = stream(spy, two_utterances, options, idle=True)
        assert spy.prefixes == [] and spy.alone == len(commits) == 2

    # With Whisper's 30 s encoder window the last question is decoded as the sentence
    # before it said twice ("X. X."); the repeat guard must catch that, whatever the window.
    @pytest.mark.parametrize("window", [15.0, None])
    def test_short_questions_are_as_accurate_as_batch(
        self, transcriber: Any, tmp_path: Path, window: float | None
    ) -> None:
        """Streamed turn by turn, a conversation of short questions and answers is transcribed
        about as well as `fredag transcribe` does with the whole recording."""
        turns = [
            (0, "Kan du berätta lite mer om vad som har hänt i skolan?"),
            (1, "Han har varit borta många dagar och han säger att han inte orkar gå dit."),
            (0, "Hur sover han på nätterna?"),
            (1, "Dåligt. Han sitter uppe sent med mobilen och är mycket trött på morgonen."),
            (0, "Har han kompisar som han träffar?"),
            (1, "Han har en bästa vän i klassen som han spelar datorspel med på kvällarna."),
            (0, "Hur är stämningen hemma på vardagarna?"),
        ]
        audio = read_wav(conversation(turns, tmp_path / "talk.wav"))[0]
        script = " ".join(text for _, text in turns)
        options = StreamingOptions(previews=False, encoder_window_s=window)
        commits, _ = stream(transcriber, audio, options, idle=True)
        streamed = " ".join(s.text for c in commits for s in c.segments)
        batch = transcriber.transcribe(audio, TranscribeOptions()).text
        assert wer(script, streamed) <= wer(script, batch) + 0.05, (streamed, batch)
        texts = [" ".join(s.text for s in c.segments) for c in commits]
        assert not any(repeats(b, a) for a, b in itertools.pairwise(texts)), texts


@pytest.mark.slow
class TestSpeculation:
    def test_decode_made_in_the_pause_is_committed_at_the_endpoint(
        self, transcriber: Any, two_utterances: np.ndarray
    ) -> None:
        """A decode started once the pause is `pad_s` long is the one committed: at the
        endpoint nothing is decoded again."""
        eager = StreamingOptions(previews=False, speculate_max_cpu=99, lag_speculation_s=999)
        commits, engine = stream(transcriber, two_utterances, eager, idle=True)
        calls = engine.calls
        assert calls["speculation_used"] == calls["final"] == calls["speculative"] == 2, calls
        assert len(commits) == 2 and all(c.segments for c in commits)

    def test_no_speculation_when_the_cpu_is_busy(
        self, transcriber: Any, two_utterances: np.ndarray
    ) -> None:
        """Above `speculate_max_cpu`, the worker waits for the endpoint instead."""
        options = StreamingOptions(previews=False, speculate_max_cpu=0.0)
        commits, engine = stream(transcriber, two_utterances, options, idle=True)
        assert engine.calls["speculative"] == 0 and engine.calls["final"] == len(commits) == 2

    def test_speech_after_the_pause_discards_the_speculation(
        self, transcriber: Any, tmp_path: Path
    ) -> None:
        """When speech resumes within `min_silence_s`, the speculative decode is dropped and
        the whole utterance is decoded and committed once."""
        one = read_wav(speak(ONE, tmp_path / "one.wav"))[0]
        two = read_wav(speak(TWO, tmp_path / "two.wav"))[0]
        audio = np.concatenate([silence(0.5), one, silence(0.6), two, silence(1.6)])
        options = StreamingOptions(
            previews=False,
            speculate_max_cpu=99,
            lag_speculation_s=999,
            vad=VadSettings(min_silence_s=1.2),
        )
        commits, engine = stream(transcriber, audio, options, idle=True)
        assert engine.calls["final"] == 1 and engine.calls["speculative"] == 2, engine.calls
        assert engine.calls["speculation_used"] == 1
        text = " ".join(s.text for c in commits for s in c.segments).lower()
        assert text.count("pojk") == 1, text


class GatedTranscriber:
    """The real transcriber, whose first call waits until the test opens the gate."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.gate = threading.Event()
        self.calls = 0

    def segments(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls == 1:
            self.gate.wait(60)
        return self.real.segments(*args, **kwargs)

    def continuation(self, *args: Any, **kwargs: Any) -> Any:
        return self.real.continuation(*args, **kwargs)


@pytest.mark.slow
class TestBacklog:
    def test_waiting_utterances_are_decoded_in_one_call_with_their_own_times(
        self, transcriber: Any, two_utterances: np.ndarray
    ) -> None:
        """Utterances that queue up while the worker is busy are decoded together, and each
        segment's time falls inside the audio it came from."""
        gated = GatedTranscriber(transcriber)
        options = StreamingOptions(previews=False, speculate=False, context_s=0)
        commits: list[Commit] = []
        engine = StreamingTranscriber(gated, commits.append, options)
        audio = np.tile(two_utterances, 2)  # four utterances, about 11 s apart in pairs
        for pos in range(0, audio.size, 1600):
            engine.feed(audio[pos : pos + 1600])
        engine.flush()
        gated.gate.set()
        engine.close()
        assert engine.calls["final"] == 2 and engine.calls["joined"] == 2, engine.calls
        segments = [s for c in commits for s in c.segments]
        half = two_utterances.size / 16000
        later = [s for c in commits[1:] for s in c.segments]
        assert later and all(s.start >= 4.0 for s in later), later
        assert any(s.start >= half for s in later), later  # mapped back past the joins
        assert all(s.end <= 2 * half + 0.01 for s in segments)
        assert [s.start for s in segments] == sorted(s.start for s in segments)


class TestFeedNeverBlocks:
    def test_capture_keeps_running_while_the_commit_path_is_held(
        self, two_utterances: np.ndarray
    ) -> None:
        """While the commit path (journal, tagging, views) is held, `feed` accepts every chunk;
        the held commits arrive in order once it is released."""
        entered, gate = threading.Event(), threading.Event()
        commits: list[Commit] = []

        def held(commit: Commit) -> None:
            entered.set()
            gate.wait(300)
            commits.append(commit)

        # No endpoint for 5 s: a long utterance, committed by agreement while it goes on.
        options = StreamingOptions(
            previews=False,
            speculate=False,
            split_s=2.0,
            split_every_s=0.5,
            vad=VadSettings(min_silence_s=5.0),
        )
        engine = StreamingTranscriber(InstantTranscriber(), held, options)  # type: ignore[arg-type]
        speech = np.tile(two_utterances, 4)
        chunks = [speech[pos : pos + 1600] for pos in range(0, speech.size, 1600)]
        fed = 0
        while not entered.is_set() and fed < len(chunks):
            engine.feed(chunks[fed])
            fed += 1
        assert entered.wait(60), "no commit reached the commit path"
        accepted: list[int] = []

        def capture() -> None:
            for chunk in chunks[fed:]:
                engine.feed(chunk)
                accepted.append(chunk.size)

        feeder = threading.Thread(target=capture, daemon=True)
        feeder.start()
        feeder.join(60)  # a liveness bound, not a speed assertion
        blocked = feeder.is_alive()
        held_throughout = not commits
        gate.set()
        assert not blocked, "feed() waited for the commit path"
        assert held_throughout
        assert len(accepted) == len(chunks) - fed > 50
        engine.close()
        assert commits
        starts = [s.start for c in commits for s in c.segments]
        assert starts == sorted(starts)
        assert all(c.utterances for c in commits)  # each commit carries its audio
