"""Speaker stage: each committed segment gets its speaker (`fredag.protocol.Speaker`).

The work is `device.voice.attribution.SpeakerTracker` (one per meeting, RAM only); this module
turns its `Attribution`s into the protocol's `Speaker` labels on segments, for a live commit
(`SpeakerStage`, given the commit's audio) and for a whole recording (`attribute_recording`,
`fredag draft AUDIO`). It also says what the tagger reads as each segment's speaker
(`heard_speaker`): the label, except for an uncertain one, which is read as unknown, so a
segment where the caseworker may have handed over to the client is never dismissed as the
caseworker's own words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from device.capture.audio import SAMPLE_RATE, AudioArray
from device.journal.store import Store
from device.voice.attribution import Attribution, SpeakerTracker
from fredag.protocol import Segment, Speaker

MIN_SEGMENT_S = 0.2  # less audio than this holds no voice to speak of


def speaker_of(attribution: Attribution) -> Speaker:
    return Speaker(
        role=attribution.role,
        label=attribution.label,
        confidence=attribution.confidence,
        uncertain=attribution.uncertain,
    )


def open_tracker(store: Store) -> SpeakerTracker:
    """A tracker for one meeting, with the caseworker's enrolment if there is one. The model
    missing is `ModelPackageMissing` (never a download)."""
    from device.voice import enrolment
    from device.voice.encoder import shared_encoder

    encoder = shared_encoder()
    enrolled = enrolment.load(store, encoder.sha256)
    if enrolled is None:
        return SpeakerTracker(encoder)
    return SpeakerTracker(encoder, enrolled.embedding, enrolled_pitch=enrolled.pitch)


def attribute_segments(
    tracker: SpeakerTracker,
    segments: Sequence[Segment],
    audio_of: Callable[[Segment], AudioArray],
) -> list[Segment]:
    """The segments, in order, each with its speaker (none where it has almost no audio)."""
    out = []
    for segment in segments:
        audio = audio_of(segment)
        if audio.size < MIN_SEGMENT_S * SAMPLE_RATE:
            out.append(segment)
            continue
        speaker = speaker_of(tracker.attribute(audio, segment.text))
        out.append(segment.model_copy(update={"speaker": speaker}))
    return out


def attribute_recording(
    tracker: SpeakerTracker, segments: Sequence[Segment], samples: AudioArray
) -> list[Segment]:
    """Speakers for the segments of one recording (16 kHz), each from its own stretch."""

    def audio_of(segment: Segment) -> AudioArray:
        return samples[round(segment.start * SAMPLE_RATE) : round(segment.end * SAMPLE_RATE)]

    try:
        return attribute_segments(tracker, segments, audio_of)
    finally:
        tracker.close()


class _Commit(Protocol):
    """What the stage needs of a live commit (`device.stages.commit.Commit`)."""

    @property
    def segments(self) -> tuple[Segment, ...]: ...

    def audio_between(self, start_s: float, end_s: float) -> AudioArray: ...

    def with_segments(self, segments: Sequence[Segment]) -> Any: ...


class SpeakerStage:
    """A post-decode stage: the commit's segments come out with their speakers."""

    def __init__(self, tracker: SpeakerTracker) -> None:
        self.tracker = tracker

    def __call__(self, commit: Any) -> Any:
        c: _Commit = commit
        segments = attribute_segments(
            self.tracker, c.segments, lambda s: c.audio_between(s.start, s.end)
        )
        return c.with_segments(segments)

    def label_taken(self, label: str) -> None:
        """A label the caseworker gave a line (`device.stages.relabel`)."""
        self.tracker.label_taken(label)

    def close(self) -> None:
        self.tracker.close()


def heard_speaker(segment: Segment) -> str | None:
    """The speaker the tagger reads: the label (`handläggare` = the caseworker), or None
    (possibly the client) when there is none or it is uncertain."""
    speaker = segment.speaker
    return None if speaker is None or speaker.uncertain else speaker.label


def with_heard_speakers(
    heard: Sequence[dict[str, Any]] | None, segments: Sequence[Segment]
) -> list[dict[str, Any]] | None:
    """The tagger's view of the segments (`heard`, or made from the segments) with each
    attributed speaker added; unchanged if no segment has one."""
    if not any(s.speaker is not None for s in segments):
        return None if heard is None else list(heard)
    if heard is None or len(heard) != len(segments):
        heard = [{"start": s.start, "end": s.end, "text": s.text} for s in segments]
    out = []
    for item, segment in zip(heard, segments, strict=True):
        name = heard_speaker(segment)
        out.append({**item, "speaker": name} if name is not None else dict(item))
    return out
