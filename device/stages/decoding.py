"""Decoding strategy: how an utterance becomes committed text.

* Context: alone at the start of an empty 30 s window, whisper-base garbles short utterances
  ("Hur sover han på nätterna?" came out as "Hymn, Summe, Han, Po, Net, Han,"). So committed
  speech is kept in memory with its committed text, and an utterance is decoded after the
  latest whole utterances of it (until they last `context_enough_s`, at most `context_s`),
  with the decoder forced through their text (the `prefix`); only what follows is committed,
  as one segment spanning the utterance. The context is RAM only and ages out.
* Backlog: utterances that queued up while the worker was busy are decoded in one call
  (joined with short silences, times mapped back).
* Speculation: a decode made during a pause, kept until the endpoint shows whether the
  utterance really ended there (`Decoder.speculate`); used instead of decoding again.
* Local agreement for a long utterance (`Decoder.hypothesis`, `agreed`), and a quick greedy
  preview of the utterance in progress (`Decoder.preview`).
* Words: every committed decode comes with the words heard in it, their meeting times and the
  recogniser's probability for each (`Heard`; `StreamingOptions.words`), as `fredag draft
  AUDIO` has them: the tagger accepts a sound-alike cue word only where the recogniser was
  unsure, and the speaker stage can cut an utterance where the voice changes.

Runs on the transcription worker only; `Budget` learns how long each call took.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

import numpy as np

from device.capture.audio import SAMPLE_RATE, AudioArray
from device.stages.scheduling import Budget
from device.stages.transcribe import (
    HeardWord,
    TranscribedSegment,
    TranscribeOptions,
    Transcriber,
    rounded,
)
from device.stages.utterance import Utterance
from fredag.protocol import Segment

if TYPE_CHECKING:
    from device.stages.streaming import StreamingOptions

JOIN_GAP_S = 0.4
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def garbled(text: str) -> bool:
    """Whisper's collapse modes on speech it cannot follow: a comma after most words
    ("Hymn, Summe, Han, Po, Net, Han,") or one word over and over ("hon hon hon hon …")."""
    words = text.split()
    if len(words) < 5:
        return False
    commas = sum(w.endswith(",") for w in words)
    norm = ["".join(c for c in w.lower() if c.isalnum()) for w in words]
    top = max(norm.count(w) for w in set(norm))
    return commas > len(words) / 2 or top > len(words) / 2


def repeats(new: str, previous: str) -> bool:
    """The decoder, forced through the context, said a context piece over again: a near copy
    of it (measured: "Hur är stämningen hemma?" came out as a copy of the sentence before it),
    or a text with a near copy of it inside (measured: the same question came out as that
    sentence twice, "X. X.", which as a whole is no near copy of "X.")."""
    from rapidfuzz import fuzz

    a = _words(new)
    if len(a.split()) < 4:
        return False
    # The whole piece, or one sentence of it (a piece committed from a backlog is several).
    for b in {_words(previous), *(_words(s) for s in _SENTENCE_END.split(previous))}:
        if not b:
            continue
        if fuzz.ratio(a, b) >= 80:
            return True
        # A piece of at least 4 words nearly verbatim inside a longer new text.
        if len(b.split()) >= 4 and len(a) > len(b) and fuzz.partial_ratio(b, a) >= 90:
            return True
    return False


def _words(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


@dataclass(frozen=True)
class Heard:
    """A decoded segment with the words heard in it: meeting times (0.01 s) and the
    recogniser's probability of each (`device.stages.transcribe.rounded`); none where the
    decode gave no word times (word timestamps off)."""

    segment: Segment
    words: tuple[HeardWord, ...] = ()

    @property
    def start(self) -> float:
        return self.segment.start

    @property
    def end(self) -> float:
        return self.segment.end

    @property
    def text(self) -> str:
        return self.segment.text


class _Text(Protocol):
    @property
    def text(self) -> str: ...


def _to_heard(seg: TranscribedSegment) -> Heard:
    segment = Segment(
        start=round(seg.start, 2), end=round(max(seg.end, seg.start), 2), text=seg.text
    )
    return Heard(segment, tuple(rounded(w) for w in seg.words))


def _same(a: Heard, b: Heard) -> bool:
    return _words(a.text) == _words(b.text)


def agreed(previous: list[Heard], hypothesis: list[Heard]) -> list[Heard]:
    """Local agreement: the leading segments two consecutive hypotheses agree on, but the
    last segment of the newer one (it may still change)."""
    out: list[Heard] = []
    for a, b in zip(previous, hypothesis[:-1], strict=False):
        if not _same(a, b):
            break
        out.append(b)
    return out


def join_speech(pieces: list[AudioArray]) -> AudioArray:
    """Pieces of speech one after another, with a short silence between them."""
    gap = np.zeros(int(JOIN_GAP_S * SAMPLE_RATE), dtype=np.float32)
    out: list[AudioArray] = []
    for piece in pieces:
        out += [piece, gap]
    return np.concatenate(out[:-1]) if out else np.zeros(0, dtype=np.float32)


class _Spans:
    """Where pieces of audio joined one after another (`join_speech`) came from: a time in
    the joined audio back to meeting time, inside the piece it falls in."""

    def __init__(self, lead_samples: int, starts: Sequence[float], sizes: Sequence[int]) -> None:
        gap = int(JOIN_GAP_S * SAMPLE_RATE)
        self.spans: list[tuple[float, float, float]] = []  # (joined start, meeting start, s)
        pos = lead_samples
        for start, size in zip(starts, sizes, strict=True):
            self.spans.append((pos / SAMPLE_RATE, start, size / SAMPLE_RATE))
            pos += size + gap

    def back(self, t: float) -> float:
        joined, start, length = next(
            (s for s in reversed(self.spans) if s[0] <= t + 1e-6), self.spans[0]
        )
        return round(start + min(length, max(0.0, t - joined)), 2)

    def word(self, w: HeardWord) -> HeardWord:
        """A word of the joined audio in meeting time, both ends in the piece its middle is in
        (a word aligned into the silence between pieces is kept at that piece's edge)."""
        joined, start, length = next(
            (s for s in reversed(self.spans) if s[0] <= (w.start + w.end) / 2 + 1e-6),
            self.spans[0],
        )

        def at(t: float) -> float:
            return start + min(length, max(0.0, t - joined))

        return rounded(HeardWord(at(w.start), at(w.end), w.word, w.probability))


class Decoder:
    def __init__(
        self,
        transcriber: Transcriber,
        options: StreamingOptions,
        budget: Budget,
        offset_s: float = 0.0,
    ) -> None:
        self.t = transcriber
        self.opts = options
        # Committed decodes hear words with their times and probabilities (previews do not).
        self.transcribe = replace(options.transcribe, word_timestamps=options.words)
        self.budget = budget
        self.offset_s = offset_s
        self.calls = {
            "final": 0,
            "split": 0,
            "preview": 0,
            "joined": 0,
            "context_miss": 0,
            "context_retry": 0,
            "speculative": 0,
            "speculation_used": 0,
        }
        # (audio, committed text) of the latest committed speech.
        self.context: deque[tuple[AudioArray, str]] = deque()
        # A speculative decode: its utterance's key and its result.
        self._spec: tuple[tuple[int, int, int], list[Heard]] | None = None

    # -- strategies ----------------------------------------------------------------------------
    def final(self, batch: list[Utterance]) -> list[Heard]:
        """The committed text of utterances that ended: the speculation made in their pause
        if it decoded exactly this audio, else a decode; remembered as context."""
        self.calls["final"] += 1
        self.calls["joined"] += len(batch) - 1
        spec, self._spec = self._spec, None
        if len(batch) == 1 and spec is not None and spec[0] == batch[0].key:
            self.calls["speculation_used"] += 1
            segments = spec[1]
        else:
            segments = self._decode(batch)
        self.remember_context([u.audio() for u in batch], segments)
        return segments

    def speculate(self, guess: Utterance) -> None:
        """Decode the utterance as it will be if the current pause is its end."""
        self.calls["speculative"] += 1
        self._spec = (guess.key, self._decode([guess]))

    def hypothesis(self, utt: Utterance) -> list[Heard]:
        """A full decode of a long utterance in progress, for local agreement."""
        self.calls["split"] += 1
        return self._run(utt.audio(), utt.start_sample, self.transcribe)

    def preview(self, utt: Utterance) -> str:
        """Quick greedy text of the utterance in progress."""
        self.calls["preview"] += 1
        quick = replace(self.transcribe, beam_size=1, temperature=(0.0,), word_timestamps=False)
        audio = utt.audio()
        segments = self._after_context([audio], [utt.start_sample], utt.end_sample, quick)
        if segments is None:
            segments = self._run(audio, utt.start_sample, quick)
        return " ".join(s.text for s in segments)

    # -- building blocks -------------------------------------------------------------------------
    def _run(self, audio: AudioArray, start_sample: int, options: TranscribeOptions) -> list[Heard]:
        began = time.monotonic()
        try:
            offset = self.offset_s + start_sample / SAMPLE_RATE
            return [_to_heard(s) for s in self.t.segments(audio, options, offset_s=offset)]
        finally:
            self.budget.record_busy(began)

    def _decode(self, batch: list[Utterance]) -> list[Heard]:
        """Transcribe utterances after the committed context, or on their own without one."""
        audios = [u.audio() for u in batch]
        starts = [u.start_sample for u in batch]
        segments = self._after_context(audios, starts, batch[-1].end_sample)
        if segments is not None:
            return segments
        if len(batch) == 1:
            return self._run(audios[0], batch[0].start_sample, self.transcribe)
        return self._joined(batch)

    def _after_context(
        self,
        audios: list[AudioArray],
        starts: list[int],
        end_sample: int,
        options: TranscribeOptions | None = None,
    ) -> list[Heard] | None:
        """Decode `audios` (starting at absolute samples `starts`) after the committed
        context; None when no context gave usable text. The commit is one segment from the
        first audio's start to `end_sample`, with the words heard in it in meeting time.

        A decode that repeats a sentence of the context or collapses (`repeats`, `garbled`)
        is tried once more with the context before the last sentence, then given up (the
        caller decodes alone). The retry is checked against every sentence of the first
        attempt's context too: the one it left out is the likeliest to come back.
        """
        pieces = list(self.context)
        said = [text for _, text in self._recent(pieces)]
        for _attempt in range(2):
            context = self._recent(pieces)
            if not context:
                break
            prefix = " ".join(text for _, text in context)
            audio = join_speech([*(a for a, _ in context), *audios])
            began = time.monotonic()
            try:
                heard = self.t.continuation(audio, prefix, self._windowed(options))
            finally:
                self.budget.record_busy(began)
            if heard is None:
                break
            text = heard.text
            if not text:
                return []
            if not (any(repeats(text, before) for before in said) or garbled(text)):
                start = round(self.offset_s + starts[0] / SAMPLE_RATE, 2)
                end = round(self.offset_s + end_sample / SAMPLE_RATE, 2)
                lead = sum(a.size for a, _ in context) + len(context) * int(
                    JOIN_GAP_S * SAMPLE_RATE
                )
                spans = _Spans(
                    lead,
                    [self.offset_s + s / SAMPLE_RATE for s in starts],
                    [a.size for a in audios],
                )
                words = tuple(spans.word(w) for w in heard.words)
                return [Heard(Segment(start=start, end=max(start, end), text=text), words)]
            self.calls["context_retry"] += 1
            pieces.pop()
        if self.context:
            self.calls["context_miss"] += 1
        return None

    def _windowed(self, options: TranscribeOptions | None) -> TranscribeOptions:
        """A decode after the context in the live loop's encoder window (`encoder_window_s`).
        Only these: the window was measured on them (the bench meeting's WER unchanged),
        while a short utterance alone in a short window fared worse than in 30 s."""
        base = options or self.transcribe
        return replace(base, encoder_window_s=self.opts.encoder_window_s)

    def _recent(self, pieces: list[tuple[AudioArray, str]]) -> list[tuple[AudioArray, str]]:
        """The newest pieces that together last at most `context_s`."""
        out: list[tuple[AudioArray, str]] = []
        total = 0
        for audio, text in reversed(pieces):
            if total >= self.opts.context_enough_s * SAMPLE_RATE:
                break
            total += audio.size
            if total > self.opts.context_s * SAMPLE_RATE:
                break
            out.insert(0, (audio, text))
        return out

    def remember_context(self, audios: list[AudioArray], segments: Sequence[_Text]) -> None:
        """Keep committed speech with its text as context: at most 2 × `context_s` seconds
        (`context_s` for a decode, and as much again for a retry that skips the newest)."""
        text = " ".join(s.text for s in segments).strip()
        if self.opts.context_s <= 0 or not text or garbled(text):
            # Speech without text cannot be described by a prefix; garbled text would pull
            # the next decodes into the same failure (measured: "U, M, S, T, …" was followed
            # by ", M, S, L, R, …"). Leave both out.
            return
        self.context.append((join_speech(audios), text))
        total = sum(a.size for a, _ in self.context)
        while self.context and total > 2 * self.opts.context_s * SAMPLE_RATE:
            total -= self.context.popleft()[0].size

    def _joined(self, batch: list[Utterance]) -> list[Heard]:
        """One call for several utterances: joined with silences, times mapped back."""
        spans = _Spans(0, [self.offset_s + u.start_sample / SAMPLE_RATE for u in batch],
                       [u.n for u in batch])  # fmt: skip
        began = time.monotonic()
        try:
            audio = join_speech([u.audio() for u in batch])
            raw = list(self.t.segments(audio, self.transcribe))
        finally:
            self.budget.record_busy(began)
        out = []
        for s in raw:
            start = spans.back(s.start)
            end = max(start, spans.back(max(s.start, s.end - 0.01)))
            words = tuple(spans.word(w) for w in s.words)
            out.append(Heard(Segment(start=start, end=end, text=s.text), words))
        return out
