"""Test doubles for the device's seams."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from device.stages.tagging import Tagging
from device.stages.transcribe import Continued, TranscribedSegment
from fredag.protocol import CaseType, Segment


class NullTagger:
    """A tagger that finds nothing: for tests about everything but the factors."""

    def tag_segments(self, segments: Sequence[Segment], case_type: CaseType) -> Tagging:
        return Tagging((), (), "ingen-katalog", hashlib.sha256(b"").hexdigest())


class InstantTranscriber:
    """No model: every decode answers at once with the same two segments over its audio, so
    consecutive hypotheses of a long utterance agree on the first (for tests of the plumbing)."""

    def segments(
        self, audio: np.ndarray, options: Any, *, offset_s: float = 0.0
    ) -> list[TranscribedSegment]:
        half = offset_s + audio.size / 32000
        end = offset_s + audio.size / 16000
        return [
            TranscribedSegment(offset_s, half, "ett två", -0.1, 0.0),
            TranscribedSegment(half, end, "tre", -0.1, 0.0),
        ]

    def continuation(self, audio: np.ndarray, prefix: str, options: Any) -> Continued | None:
        return None
