"""Tag once: the factors noted during a meeting are the factors in its signed draft.

Each commit is tagged when it is committed, with the few segments before it as context (a
question and its answer are often two segments); only tags that begin in the new segments
are kept, with their segment numbers in the whole meeting. `tagging()` is the sum of what
was noted, and is what the draft is built from: nothing is tagged a second time.

One thing changes what was noted: the caseworker correcting who said a line (a line read as
the caseworker's gives no finding, a client's answer is read with the question before it).
`reread` reads that line's neighbourhood again (`Revision`: the line before, the line and the
line after, and further while a sentence runs on across lines without a capital letter, read
with the same context as at commit time and one line after), and `revise`
puts its reading in place of what was noted there. The revision is journaled with the
correction (`device.journal.session`) and replayed from it with `revised`, so the factors
shown, journaled and signed stay the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from device.stages.tagging import FoundTag, SegmentTagger, Tagging
from fredag.protocol import CaseType, Segment

CONTEXT_SEGMENTS = 4
REREAD_BEFORE = 1  # segments before a corrected one whose reading can depend on its speaker
REREAD_AFTER = 1  # ... and after it; more over a sentence run on across lines (`_runs_on`)
FOLLOWING_CONTEXT = 1  # read after the window too: a question's answer makes it evidence


@dataclass(frozen=True)
class Revision:
    """What segments `first` ≤ i < `through` now show: `tags` and `denied` replace every
    factor noted there before (`before`: the found tags noted there until now)."""

    first: int
    through: int
    tags: tuple[FoundTag, ...]
    denied: tuple[FoundTag, ...]
    before: tuple[FoundTag, ...] = ()

    @property
    def withdrawn(self) -> tuple[FoundTag, ...]:
        """Found tags noted before that this revision withdraws."""
        return tuple(t for t in self.before if t not in self.tags)

    @property
    def added(self) -> tuple[FoundTag, ...]:
        """Found tags this revision notes that were not noted before."""
        return tuple(t for t in self.tags if t not in self.before)


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
        empty = tagger.tag_segments([], case_type)
        if (
            noted is not None
            and not noted.areas
            and noted.catalogue_sha256 == empty.catalogue_sha256
        ):
            # The journal keeps the factors, not the catalogue's life areas: looked up again
            # in the same catalogue (a session finished from its journal keeps its areas).
            noted = replace(noted, areas=empty.areas)
        self._tagging = noted if noted is not None else empty

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

    def reread(self, segments: Sequence[Segment], index: int) -> Revision | None:
        """Segment `index`'s neighbourhood read again in `segments` (this meeting's segments
        with `index` corrected); None when nothing noted there would change. Only segments
        tagged already are revised: the rest is read, with the correction, when tagged."""
        first = max(0, index - REREAD_BEFORE)
        through = index + 1 + REREAD_AFTER
        # A line that does not begin a sentence is read with the one before it (unless
        # another speaker said it): the window grows over such runs, whose reading the
        # corrected line can change ("Mamma" / "har" / "slagit mig.").
        while first > 0 and index - first < CONTEXT_SEGMENTS and _runs_on(segments[first]):
            first -= 1
        while (
            through < len(segments)
            and through - index <= CONTEXT_SEGMENTS
            and _runs_on(segments[through])
        ):
            through += 1
        through = min(self.tagged_through, through, len(segments))
        if first >= through:
            return None
        lo = max(0, first - CONTEXT_SEGMENTS)
        hi = min(len(segments), through + FOLLOWING_CONTEXT)
        result = self.tagger.tag_segments(list(segments[lo:hi]), self.case_type)
        tags = _window(result.tags, first - lo, through - lo, lo)
        denied = _window(result.denied, first - lo, through - lo, lo)
        old = self._tagging
        old_tags = tuple(t for t in old.tags if first <= t.segment < through)
        old_denied = tuple(t for t in old.denied if first <= t.segment < through)
        if (tags, denied) == (old_tags, old_denied):
            return None
        return Revision(first, through, tags, denied, old_tags)

    def revise(self, revision: Revision) -> None:
        """Put a revision's reading in place of what was noted in its window."""
        self._tagging = revised(
            self._tagging, revision.first, revision.through, revision.tags, revision.denied
        )


def _runs_on(segment: Segment) -> bool:
    """The segment may continue the sentence of the one before (no capital letter first)."""
    return not segment.text[:1].isupper()


def revised(
    tagging: Tagging,
    first: int,
    through: int,
    tags: Sequence[FoundTag],
    denied: Sequence[FoundTag],
) -> Tagging:
    """`tagging` with what was noted in segments `first` ≤ i < `through` replaced by `tags`
    and `denied` (kept in place: before the first noted tag of a later segment). Used live
    and when a session is replayed from its journal, so both give the same factors."""
    return replace(
        tagging,
        tags=_replaced(tagging.tags, first, through, tags),
        denied=_replaced(tagging.denied, first, through, denied),
    )


def _replaced(
    noted: Sequence[FoundTag], first: int, through: int, new: Sequence[FoundTag]
) -> tuple[FoundTag, ...]:
    kept = [t for t in noted if not first <= t.segment < through]
    at = next((i for i, t in enumerate(kept) if t.segment >= through), len(kept))
    return (*kept[:at], *new, *kept[at:])


def _window(tags: Sequence[FoundTag], first: int, through: int, shift: int) -> tuple[FoundTag, ...]:
    """Tags beginning in segments `first` ≤ i < `through` of a reading, renumbered by
    `shift` (the reading's first segment in the whole meeting)."""
    inside = (t for t in tags if first <= t.segment < through)
    return tuple(replace(t, segment=t.segment + shift) for t in inside)


def _placed(tags: Sequence[FoundTag], skip: int, shift: int) -> tuple[FoundTag, ...]:
    """Tags beginning after the `skip` context segments, renumbered by `shift`."""
    return tuple(replace(t, segment=t.segment + shift) for t in tags if t.segment >= skip)
