"""What a commit is, and the protocol for stages that process one after decoding.

A `Commit` is committed text for good: its segments, plus the utterances (with their audio,
RAM only) they were decoded from. It goes through the meeting's post-decode stages in order,
then to the journal (fsynced), the tagger and the views (`device.meeting.committer`), and is
then dropped together with its audio.

A post-decode stage is one module in `device/stages/` with a callable that takes a `Commit`
and returns it, possibly annotated (e.g. segments with a speaker). Stages run on the
transcription worker, one commit at a time, in the order they are composed in
`device.meeting.compose.post_decode_stages`; never on the audio thread, so a slow stage
delays commits, never capture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

from device.capture.audio import SAMPLE_RATE, AudioArray
from device.stages.transcribe import HeardWord
from device.stages.utterance import Utterance
from fredag.protocol import Segment

Words = tuple[HeardWord, ...]


@dataclass(frozen=True)
class Commit:
    segments: tuple[Segment, ...]
    covered_until: float  # audio time up to which everything is now committed
    wall: float  # time.monotonic() when committed
    # What the segments were decoded from (several for a backlog decoded in one call).
    utterances: tuple[Utterance, ...] = ()
    # Free-form notes stages leave for later stages (e.g. {"speaker": ...}); not journaled.
    notes: dict[str, Any] = field(default_factory=dict)
    # The words heard in each segment (meeting times, the recogniser's probabilities), one
    # tuple per segment; () when the decodes had no word times. Journaled with the segments
    # and read by the tagger.
    words: tuple[Words, ...] = ()

    def __post_init__(self) -> None:
        if self.words and len(self.words) != len(self.segments):
            raise ValueError("a commit's words are one tuple per segment")

    def words_of(self) -> tuple[Words, ...]:
        """The words of each segment (empty ones when none were heard)."""
        return self.words or tuple(() for _ in self.segments)

    def audio_between(self, start_s: float, end_s: float) -> AudioArray:
        """The commit's audio between two meeting times (e.g. one segment's), joined across
        utterances; empty where there was no speech."""
        pieces = []
        for utt in self.utterances:
            lo = max(start_s, utt.start_s)
            hi = min(end_s, utt.end_s)
            if hi > lo:
                a = round((lo - utt.start_s) * SAMPLE_RATE)
                b = round((hi - utt.start_s) * SAMPLE_RATE)
                pieces.append(utt.audio()[a:b])
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)

    def with_segments(
        self, segments: Sequence[Segment], words: Sequence[Words] | None = None
    ) -> Commit:
        """The same commit with annotated segments (same number, same times), or, given
        the words of each, with a segment cut in pieces where its words say (a change of
        voice): the pieces' words are the segment's, in order, none added or dropped."""
        if words is None:
            if len(segments) != len(self.segments):
                raise ValueError("a stage may annotate segments, not add or drop them")
            return replace(self, segments=tuple(segments))
        if len(words) != len(segments) or [w for ws in words for w in ws] != [
            w for ws in self.words_of() for w in ws
        ]:
            raise ValueError("a stage may cut segments at their words, not add or drop words")
        return replace(self, segments=tuple(segments), words=tuple(tuple(w) for w in words))


class Stage(Protocol):
    """Post-decode processing of one commit: gets it with its audio, returns it (annotated).

    A stage that holds state for the meeting (voices heard so far, say) may also have a
    `close()`; it is called once when the meeting has ended, after the last commit."""

    def __call__(self, commit: Commit) -> Commit: ...


def run_stages(stages: Sequence[Stage], commit: Commit) -> Commit:
    for stage in stages:
        commit = stage(commit)
    return commit


def close_stages(stages: Sequence[Stage]) -> None:
    for stage in stages:
        close = getattr(stage, "close", None)
        if callable(close):
            close()
