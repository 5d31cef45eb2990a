"""An utterance: one stretch of speech, from the VAD that found it to the commit that ends it.

It carries its audio (numpy, in RAM only) from segmentation through decoding to the
post-decode stages that need it (speaker attribution), and is dropped after the commit.
Nothing writes an utterance's audio anywhere; `--keep-audio` keeps the capture stream
(`device.meeting.controller`), not this object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from device.capture.audio import SAMPLE_RATE, AudioArray

if TYPE_CHECKING:
    from device.stages.decoding import Heard


class Utterance:
    """Audio of one utterance, by absolute sample position in the stream, plus the latest
    hypothesis of a long one (for local agreement)."""

    def __init__(self, uid: int, start_sample: int, offset_s: float = 0.0) -> None:
        self.uid = uid
        self.start_sample = start_sample
        self.offset_s = offset_s  # stream time 0 in meeting time (a resumed session)
        self.chunks: list[AudioArray] = []
        self.n = 0
        self.last_split_n = 0
        self.hypothesis: list[Heard] = []

    def add(self, chunk: AudioArray) -> None:
        if chunk.size:
            self.chunks.append(chunk)
            self.n += chunk.size

    def audio(self) -> AudioArray:
        if len(self.chunks) > 1:
            self.chunks = [np.concatenate(self.chunks)]
        return self.chunks[0] if self.chunks else np.zeros(0, dtype=np.float32)

    def cut_before(self, sample: int) -> None:
        """Drop audio before absolute `sample` (already committed)."""
        drop = min(self.n, max(0, sample - self.start_sample))
        if drop:
            rest = self.audio()[drop:]
            self.chunks = [rest] if rest.size else []
            self.n = rest.size
            self.start_sample += drop
            self.last_split_n = max(0, self.last_split_n - drop)

    def head(self, end_sample: int) -> Utterance:
        """A new utterance with this one's audio up to absolute `end_sample` (copied)."""
        out = Utterance(self.uid, self.start_sample, self.offset_s)
        out.add(self.audio()[: max(0, end_sample - self.start_sample)].copy())
        return out

    @property
    def end_sample(self) -> int:
        return self.start_sample + self.n

    @property
    def start_s(self) -> float:
        """Start in meeting time (seconds), like the committed segments' times."""
        return self.offset_s + self.start_sample / SAMPLE_RATE

    @property
    def end_s(self) -> float:
        return self.offset_s + self.end_sample / SAMPLE_RATE

    @property
    def key(self) -> tuple[int, int, int]:
        return self.uid, self.start_sample, self.end_sample

    def __repr__(self) -> str:
        return f"Utterance(uid={self.uid}, {self.start_s:.2f}-{self.end_s:.2f} s)"
