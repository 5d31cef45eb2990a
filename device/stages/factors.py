"""Tag once: the factors noted during a meeting are the factors in its signed draft.

Each commit is tagged when it is committed, with the few segments before it as context (a
question and its answer are often two segments); only tags that begin in the new segments
are kept, with their segment numbers in the whole meeting. `tagging()` is the sum of what
was noted, and is what the draft is built from: nothing is tagged a second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from device.stages.tagging import FoundTag, SegmentTagger, Tagging
from fredag.protocol import CaseType, Segment

CONTEXT_SEGMENTS = 4


class MeetingFactors:
    def __init__(
        self,
        tagger: SegmentTagger,
        case_type: CaseType,
        *,
        previous: Sequence[Segment] = (),
        noted: Tagging | None = None,
        tagged_through: int = 0,
    ) -> None:
        """`previous`: the session's segments so far (a resumed session), of which the first
        `tagged_through` were tagged already with the result `noted`."""
        self.tagger = tagger
        self.case_type = case_type
        self.segments: list[Segment] = list(previous)
        self.tagged_through = tagged_through
        base = noted if noted is not None else tagger.tag_segments([], case_type)
        self._tagging = base

    def add(self, segments: Sequence[Segment]) -> Tagging:
        """Tag newly committed `segments`; what was found in them (segment numbers in the
        whole meeting). Segments left untagged before (a crash) are tagged along."""
        self.segments.extend(segments)
        return self.catch_up()

    def catch_up(self) -> Tagging:
        first = self.tagged_through
        if first >= len(self.segments):
            return replace(self._tagging, tags=(), denied=())
        context = self.segments[max(0, first - CONTEXT_SEGMENTS) : first]
        result = self.tagger.tag_segments([*context, *self.segments[first:]], self.case_type)
        shift = first - len(context)
        new = replace(
            result, tags=_placed(result.tags, len(context), shift),
            denied=_placed(result.denied, len(context), shift),
        )  # fmt: skip
        self.tagged_through = len(self.segments)
        self._tagging = replace(
            new,
            tags=self._tagging.tags + new.tags,
            denied=self._tagging.denied + new.denied,
        )
        return new

    def tagging(self) -> Tagging:
        """Everything noted in the meeting so far."""
        return self._tagging


def _placed(tags: Sequence[FoundTag], skip: int, shift: int) -> tuple[FoundTag, ...]:
    """Tags beginning after the `skip` context segments, renumbered by `shift`."""
    return tuple(replace(t, segment=t.segment + shift) for t in tags if t.segment >= skip)
