"""Transcribing speech with faster-whisper: options, loading, and the guards against invented text.

Whisper invents text in silence and noise and loops on its own output. The guards here:
Silero VAD removes non-speech before decoding; no conditioning on previous text (no loops);
compression-ratio, log-probability and no-speech thresholds make the decoder give up on
gibberish; and a final filter drops segments that are likely non-speech or that repeat
themselves.

A loop can hide real speech: at temperature 0 a whole 30 s window sometimes comes back as
one looping segment ("HÖB MÅ BÅ LÅ LÅ SÅ MÅ …") whose timestamps span everything in it, or as
one sentence said again and again, each copy a segment of its own; without a sampling
fallback the speech under it would be lost or replaced. Such a span (a looping segment, or a
whole window whose text compresses too well) is decoded again in shorter pieces cut at the
VAD's pauses (`retry_loops_s`); the retry is a function of the audio alone, so the transcript
stays deterministic.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import groupby, islice
from typing import Any

import numpy as np

from device.capture.audio import SAMPLE_RATE, AudioArray, duration_s
from fredag.errors import ModelInvalid
from fredag.protocol import ModelInfo
from models.registry import ResolvedModel


@dataclass(frozen=True)
class VadOptions:
    threshold: float = 0.5
    min_speech_duration_ms: int = 250
    min_silence_duration_ms: int = 500
    speech_pad_ms: int = 300


@dataclass(frozen=True)
class TranscribeOptions:
    language: str = "sv"
    beam_size: int = 5
    vad: VadOptions = field(default_factory=VadOptions)
    condition_on_previous_text: bool = False
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    no_speech_threshold: float = 0.6
    # Greedy-to-beam decoding only: the usual fallback to sampling at higher temperatures
    # makes the same recording give different transcripts (and drafts) from run to run.
    temperature: tuple[float, ...] = (0.0,)
    # Each word's probability (faster-whisper's word timestamps): the tagger matches a cue
    # word by likeness only where the recogniser was unsure, and ignores what it could not read.
    # On for `fredag transcribe`, `fredag draft` and the live loop's committed decodes
    # (`StreamingOptions.words`); off for the live previews.
    word_timestamps: bool = False
    # Decoder biasing: words put in every window's prompt (faster-whisper's `hotwords`), e.g.
    # the catalogue's cue words (device.stages.vocabulary). Off: measured, it did not help.
    hotwords: str | None = None
    # The encoder's window. None: Whisper's 30 s, as it was trained (`fredag transcribe`).
    # A number: the speech in the window rounded up to WINDOW_STEP_S, at least this many
    # seconds; the live loop decodes a few seconds of context and one utterance, and 30 s
    # of encoder over that is 2-4× the encoder work it needs (docs/benchmarks.md).
    encoder_window_s: float | None = None
    # Post-filter: a segment this likely to be non-speech and this unsure is dropped.
    drop_no_speech_prob: float = 0.6
    drop_avg_logprob: float = -1.0
    # A segment whose text compresses better than this is a loop ("ja ja ja ja ...").
    drop_compression_ratio: float = 2.4
    # A loop's span is decoded again in pieces of at most this much speech, cut at the VAD's
    # pauses, and a piece that loops again once more utterance by utterance (None: a loop is
    # dropped, and the speech under it with it).
    retry_loops_s: float | None = 10.0


@dataclass(frozen=True)
class HeardWord:
    """One word as the recogniser heard it: times, text and probability."""

    start: float
    end: float
    word: str
    probability: float


@dataclass(frozen=True)
class TranscribedSegment:
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    words: tuple[HeardWord, ...] = ()


@dataclass(frozen=True)
class TranscriptionResult:
    language: str
    duration_s: float
    model: ModelInfo
    segments: tuple[TranscribedSegment, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments).strip()

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "duration_s": round(self.duration_s, 3),
            "model": self.model.model_dump(),
            "segments": [
                {
                    "start": round(s.start, 2),
                    "end": round(s.end, 2),
                    "text": s.text,
                    "avg_logprob": round(s.avg_logprob, 4),
                    "no_speech_prob": round(s.no_speech_prob, 4),
                    **({"words": [_word_json(w) for w in s.words]} if s.words else {}),
                }
                for s in self.segments
            ],
            "text": self.text,
        }


def _word_json(w: HeardWord) -> dict[str, Any]:
    return {
        "start": round(w.start, 2),
        "end": round(w.end, 2),
        "word": w.word,
        "probability": round(w.probability, 4),
    }


def word_json(w: HeardWord) -> dict[str, Any]:
    """A heard word as the transcript JSON, the session journal and the tagger read it (times
    to 0.01 s, probability to 4 decimals)."""
    return _word_json(w)


def word_from_json(data: dict[str, Any]) -> HeardWord:
    return HeardWord(
        float(data["start"]), float(data["end"]), str(data["word"]), float(data["probability"])
    )


def rounded(w: HeardWord) -> HeardWord:
    """The word as `word_json` writes it: the live loop tags what the journal keeps, so a
    meeting finished from its journal reads exactly as it was read live."""
    return word_from_json(_word_json(w))


@dataclass(frozen=True)
class Continued:
    """What `Transcriber.continuation` heard after the prefix: its text and, with word
    timestamps, its words (times in seconds from the start of the decoded audio)."""

    text: str
    words: tuple[HeardWord, ...] = ()


def _heard_segment(s: Any, offset_s: float) -> TranscribedSegment:
    """A faster-whisper segment as ours, times shifted by `offset_s`."""
    return TranscribedSegment(
        start=offset_s + float(s.start),
        end=offset_s + float(s.end),
        text=s.text.strip(),
        avg_logprob=float(s.avg_logprob),
        no_speech_prob=float(s.no_speech_prob),
        words=tuple(
            HeardWord(
                offset_s + float(w.start),
                offset_s + float(w.end),
                w.word.strip(),
                float(w.probability),
            )
            for w in (s.words or ())
        ),
    )


def _after_prefix(words: list[Any], prefix_chars: int) -> tuple[HeardWord, ...]:
    """The words (faster-whisper's) of a decode's text that come after its first
    `prefix_chars` characters (the forced prefix): the words' text put together is the
    decoded text, so a word belongs to the new text when it begins after the prefix. A word
    that straddles the prefix's end (the decoder continued its last word) is left out."""
    out = []
    said = ""
    for w in words:
        said += w.word
        end = len(said.lstrip())
        if end - len(w.word.strip()) >= prefix_chars:
            word = HeardWord(float(w.start), float(w.end), w.word.strip(), float(w.probability))
            out.append(word)
    return tuple(out)


def compression_ratio(text: str) -> float:
    data = text.encode()
    return len(data) / max(1, len(zlib.compress(data)))


def is_loop(seg: TranscribedSegment, options: TranscribeOptions) -> bool:
    """The decoder repeated itself: the text is long and compresses too well."""
    return len(seg.text) > 20 and compression_ratio(seg.text) > options.drop_compression_ratio


def keep_segment(seg: TranscribedSegment, options: TranscribeOptions) -> bool:
    if not seg.text:
        return False
    if (
        seg.no_speech_prob > options.drop_no_speech_prob
        and seg.avg_logprob < options.drop_avg_logprob
    ):
        return False
    return not is_loop(seg, options)


def speech_pieces(audio: AudioArray, vad: VadOptions, max_s: float) -> list[tuple[int, int]]:
    """`audio` cut at the VAD's pauses into (start, end) sample ranges, consecutive speech
    chunks grouped while a piece holds at most `max_s` seconds (a longer chunk is its own)."""
    from faster_whisper.vad import VadOptions as FwVadOptions
    from faster_whisper.vad import get_speech_timestamps

    chunks = get_speech_timestamps(
        audio,
        FwVadOptions(
            threshold=vad.threshold,
            min_speech_duration_ms=vad.min_speech_duration_ms,
            min_silence_duration_ms=vad.min_silence_duration_ms,
            speech_pad_ms=vad.speech_pad_ms,
        ),
    )
    pieces: list[tuple[int, int]] = []
    limit = int(max_s * SAMPLE_RATE)
    for chunk in chunks:
        start, end = int(chunk["start"]), int(chunk["end"])
        if pieces and end - pieces[-1][0] <= limit:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
    return pieces


WINDOW_S = 30.0  # Whisper's window
WINDOW_STEP_S = 5.0
FRAMES_PER_S = 100  # log-mel frames per second of audio


def window_frames(features: np.ndarray, min_s: float) -> int:
    """Frames of `features` (…, mel bins, frames) the encoder needs: up to the last frame
    that is not padding (faster-whisper pads the window with exact zeros) rounded up to
    WINDOW_STEP_S, at least `min_s` seconds, at most what there is."""
    frames = int(features.shape[-1])
    used = np.flatnonzero(np.any(features.reshape(-1, frames) != 0, axis=0))
    speech = int(used[-1]) + 1 if used.size else 0
    step = int(WINDOW_STEP_S * FRAMES_PER_S)
    return min(frames, max(int(min_s * FRAMES_PER_S), -(-speech // step) * step))


def _decode_kwargs(options: TranscribeOptions) -> dict[str, Any]:
    """faster-whisper's `transcribe` arguments for `options`."""
    vad = options.vad
    return {
        "language": options.language,
        "beam_size": options.beam_size,
        "vad_filter": True,
        "vad_parameters": {
            "threshold": vad.threshold,
            "min_speech_duration_ms": vad.min_speech_duration_ms,
            "min_silence_duration_ms": vad.min_silence_duration_ms,
            "speech_pad_ms": vad.speech_pad_ms,
        },
        "condition_on_previous_text": options.condition_on_previous_text,
        "compression_ratio_threshold": options.compression_ratio_threshold,
        "log_prob_threshold": options.log_prob_threshold,
        "no_speech_threshold": options.no_speech_threshold,
        "temperature": list(options.temperature),
        "word_timestamps": options.word_timestamps,
        "hotwords": options.hotwords,
    }


REVISION = "mel-einsum, loops retried by window"
"""How this module decodes beyond its options (the features' `MelFilters`, the loop retry):
part of a cached transcript's key, since the same audio, model and options decode
differently when this changes. Change it with either."""


class MelFilters(np.ndarray):
    """faster-whisper's mel filter bank, multiplied without BLAS.

    faster-whisper computes the log-mel features as `mel_filters @ magnitudes`, a float32
    GEMM in numpy's OpenBLAS, whose rounding depends on how many threads OpenBLAS splits it
    over: the number of cores, or OPENBLAS_NUM_THREADS / OMP_NUM_THREADS. One feature in 250
    came out one unit in the last place apart, and that was enough to decode a 12 s clip
    differently on one thread than on two. `np.einsum` multiplies in one fixed order on one
    thread (and is faster than the threaded GEMM at this size: about 4 ms per 30 s window).
    """

    def __matmul__(self, other: Any) -> Any:
        return np.einsum("mf,...fn->...mn", np.asarray(self), other)


class Transcriber:
    """A loaded Whisper model; create once, call `transcribe` many times (thread-safe in CT2)."""

    def __init__(
        self, model: ResolvedModel, *, compute_type: str = "int8", cpu_threads: int = 0
    ) -> None:
        from faster_whisper import WhisperModel

        self.model = model
        try:
            self._whisper = WhisperModel(
                str(model.path),
                device="cpu",
                compute_type=compute_type,
                cpu_threads=cpu_threads,
                local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelInvalid(f"cannot load the model at {model.path}: {exc}") from exc
        features = self._whisper.feature_extractor
        features.mel_filters = features.mel_filters.view(MelFilters)
        # The window of the call in progress, per thread (`TranscribeOptions.encoder_window_s`).
        self._window = threading.local()
        encode = self._whisper.encode

        def windowed(features: np.ndarray) -> Any:
            min_s = getattr(self._window, "min_s", None)
            if min_s is not None:
                features = features[..., : window_frames(features, min_s)]
            return encode(features)

        self._whisper.encode = windowed

    @contextmanager
    def _encoder_window(self, options: TranscribeOptions) -> Iterator[None]:
        old = getattr(self._window, "min_s", None)
        self._window.min_s = options.encoder_window_s
        try:
            yield
        finally:
            self._window.min_s = old

    def segments(
        self, audio: AudioArray, options: TranscribeOptions, *, offset_s: float = 0.0
    ) -> Iterator[TranscribedSegment]:
        """Yield kept segments as they are decoded, times shifted by `offset_s`."""
        with self._encoder_window(options):
            yield from self._segments(audio, options, offset_s)

    def _segments(
        self, audio: AudioArray, options: TranscribeOptions, offset_s: float, depth: int = 0
    ) -> Iterator[TranscribedSegment]:
        raw, _info = self._whisper.transcribe(audio, **_decode_kwargs(options))
        retry = bool(options.retry_loops_s) and depth < 2
        for _seek, decoded in groupby(raw, key=lambda s: getattr(s, "seek", 0)):
            window = list(decoded)
            heard = [_heard_segment(s, offset_s) for s in window]
            # One decode's text as a whole (faster-whisper gives each of its segments the
            # window's ratio): a sentence said again and again, each copy a segment of its own.
            if retry and float(window[0].compression_ratio) > options.drop_compression_ratio:
                span = replace(heard[0], end=heard[-1].end)
                yield from self._retry(audio, options, offset_s, span, depth + 1)
                continue
            for seg in heard:
                if keep_segment(seg, options):
                    yield seg
                elif retry and is_loop(seg, options):
                    yield from self._retry(audio, options, offset_s, seg, depth + 1)

    def _retry(
        self,
        audio: AudioArray,
        options: TranscribeOptions,
        offset_s: float,
        loop: TranscribedSegment,
        depth: int,
    ) -> Iterator[TranscribedSegment]:
        """The speech under a dropped loop, decoded again in pieces: at most
        `retry_loops_s` of speech each at the first retry, one VAD chunk each at the second."""
        assert options.retry_loops_s
        first = max(0, int((loop.start - offset_s) * SAMPLE_RATE))
        last = min(len(audio), int(np.ceil((loop.end - offset_s) * SAMPLE_RATE)))
        span = audio[first:last]
        max_s = options.retry_loops_s if depth == 1 else 0.0
        pieces = speech_pieces(span, options.vad, max_s)
        if depth > 1 and len(pieces) < 2:
            return  # one chunk: the same audio again would loop the same way
        for start, end in pieces:
            yield from self._segments(
                span[start:end], options, offset_s + (first + start) / SAMPLE_RATE, depth
            )

    def continuation(
        self, audio: AudioArray, prefix: str, options: TranscribeOptions
    ) -> Continued | None:
        """What `audio` says after its already transcribed beginning `prefix`.

        `audio` starts with speech whose transcript is `prefix`; the decoder is forced through
        `prefix` and continues from there, so a short utterance is decoded with the context of
        the ones before it instead of alone at the start of an empty 30 s window (where
        whisper-base often falls apart). Decoding is without timestamps: after a forced prefix,
        timestamp decoding tends to close the segment and stop. Returns the new text ("" when
        there is none or it is filtered out), or None when the output does not begin with
        `prefix` (a window skipped as silence, or a prefix too long to force): the caller
        then transcribes the new audio on its own.

        With `options.word_timestamps`, the new text's words come with their times and
        probabilities (faster-whisper aligns the prefix and the new text against the audio;
        the prefix's words are left out). The text is the same with and without: the words
        are aligned after decoding. Only the first 30 s window is decoded when the audio fits
        in one, as without word times: faster-whisper would otherwise go on from the last
        word's end and decode the tail after it as a window of its own.
        """
        prefix = prefix.strip()
        kwargs = {**_decode_kwargs(options), "condition_on_previous_text": False}
        with self._encoder_window(options):
            raw, _info = self._whisper.transcribe(
                audio, prefix=prefix, without_timestamps=True, **kwargs
            )
            one_window = options.word_timestamps and duration_s(audio) <= WINDOW_S
            segments = list(islice(raw, 1) if one_window else raw)
        text = " ".join(s.text.strip() for s in segments).strip()
        if not prefix or not text.startswith(prefix):
            return None
        new = text[len(prefix) :].strip()
        if not new:
            return Continued("")
        last = segments[-1]
        seg = TranscribedSegment(
            start=0.0,
            end=float(last.end),
            text=new,
            avg_logprob=min(float(s.avg_logprob) for s in segments),
            no_speech_prob=float(last.no_speech_prob),
        )
        if not keep_segment(seg, options):
            return Continued("")
        heard = [w for s in segments for w in (s.words or ())]
        return Continued(new, _after_prefix(heard, len(prefix)))

    def transcribe(
        self,
        audio: AudioArray,
        options: TranscribeOptions,
        progress: Callable[[float], None] | None = None,
    ) -> TranscriptionResult:
        """Transcribe a whole buffer; `progress` is called with seconds of audio done."""
        kept = []
        for seg in self.segments(audio, options):
            kept.append(seg)
            if progress is not None:
                progress(seg.end)
        return TranscriptionResult(
            language=options.language,
            duration_s=duration_s(audio),
            model=self.model.info,
            segments=tuple(kept),
        )


__all__ = [
    "SAMPLE_RATE",
    "Continued",
    "HeardWord",
    "TranscribeOptions",
    "TranscribedSegment",
    "Transcriber",
    "TranscriptionResult",
    "VadOptions",
]
