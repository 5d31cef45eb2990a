"""Streaming voice activity detection with faster-whisper's bundled Silero model (offline).

`faster_whisper.vad` runs Silero over a whole buffer at once; the live loop needs it frame by
frame, carrying the model's recurrent state and context across calls. `StreamingVad` does
that and turns speech probabilities into utterances (start and end sample), with the same
threshold, minimum silence and padding semantics as faster-whisper's batch VAD.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from device.capture.audio import SAMPLE_RATE, AudioArray

FRAME = 512  # samples per Silero frame at 16 kHz (32 ms)
CONTEXT = 64


def _session() -> Any:
    from faster_whisper.vad import get_vad_model

    return get_vad_model().session


class SileroStream:
    """Speech probability per 512-sample frame, fed in any chunk sizes."""

    def __init__(self) -> None:
        self._session = _session()
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._rest = np.zeros(0, dtype=np.float32)

    def feed(self, chunk: AudioArray) -> npt.NDArray[np.float32]:
        data = np.concatenate([self._rest, chunk]) if self._rest.size else chunk
        n = data.size // FRAME
        self._rest = data[n * FRAME :].copy()
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        frames = data[: n * FRAME].reshape(n, FRAME)
        contexts = np.vstack([self._context[None, :], frames[:-1, -CONTEXT:]])
        batch = np.concatenate([contexts, frames], axis=1).astype(np.float32)
        out, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        self._context = frames[-1, -CONTEXT:].copy()
        return np.asarray(out, dtype=np.float32).reshape(-1)


@dataclass(frozen=True)
class VadSettings:
    threshold: float = 0.5
    min_speech_s: float = 0.25
    min_silence_s: float = 0.5
    pad_s: float = 0.3


@dataclass(frozen=True)
class SpeechEvent:
    kind: str  # "start" or "end"
    sample: int  # absolute sample index (start: padded start; end: padded end)


@dataclass(frozen=True)
class Pause:
    end_sample: int  # the "end" event's sample if this pause becomes an endpoint
    length_s: float  # silence so far


class Endpointer:
    """Turns frame probabilities into speech start and end events."""

    def __init__(self, settings: VadSettings) -> None:
        self.s = settings
        self._neg = max(settings.threshold - 0.15, 0.01)
        self._frames = 0
        self._triggered = False
        self._speech_start = 0
        self._silence_start: int | None = None
        self._pad = int(settings.pad_s * SAMPLE_RATE)
        self._min_silence = int(settings.min_silence_s * SAMPLE_RATE)
        self._min_speech = int(settings.min_speech_s * SAMPLE_RATE)

    @property
    def in_speech(self) -> bool:
        return self._triggered

    @property
    def pausing(self) -> bool:
        """In an utterance, but the last frames were silence: it may be about to end."""
        return self._triggered and self._silence_start is not None

    @property
    def pause(self) -> Pause | None:
        """In a pause within an utterance: where the utterance ends if the pause lasts."""
        if not self.pausing:
            return None
        assert self._silence_start is not None
        length = (self._frames * FRAME - self._silence_start) / SAMPLE_RATE
        return Pause(end_sample=self._silence_start + self._pad, length_s=length)

    def push(self, probs: npt.NDArray[np.float32]) -> list[SpeechEvent]:
        events: list[SpeechEvent] = []
        for p in probs:
            start = self._frames * FRAME
            self._frames += 1
            if not self._triggered:
                if p >= self.s.threshold:
                    self._triggered = True
                    self._speech_start = start
                    self._silence_start = None
                    events.append(SpeechEvent("start", max(0, start - self._pad)))
                continue
            if p >= self.s.threshold:
                self._silence_start = None
            elif p < self._neg:
                if self._silence_start is None:
                    self._silence_start = start
                if start + FRAME - self._silence_start >= self._min_silence:
                    self._triggered = False
                    short = self._silence_start - self._speech_start < self._min_speech
                    kind = "cancel" if short else "end"
                    events.append(SpeechEvent(kind, self._silence_start + self._pad))
        return events

    def force_end(self) -> SpeechEvent | None:
        """End the current utterance now (stop, pause, end of input)."""
        if not self._triggered:
            return None
        self._triggered = False
        return SpeechEvent("end", self._frames * FRAME)
