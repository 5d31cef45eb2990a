"""Tag once: the factors noted during a meeting are the factors in its signed draft.

Each commit is tagged when it is committed, with the segments before it as context (a
question and its answer are often two segments; a "han" is read as the person named up to
`risk_factors.persons.REFERENT_SENTENCES` sentences back, so the context reaches that far);
only tags that begin in the new segments are kept, with their segment numbers in the whole
meeting. `tagging()` is the sum of what
was noted, and is what the draft is built from: nothing is tagged a second time.

One thing changes what was noted: the caseworker correcting who said a line (a line read as
the caseworker's gives no finding, a client's answer is read with the question before it).
`reread` reads that line's neighbourhood again (`Revision`: the line before, the line and the
line after, and further while a sentence runs on across lines without a capital letter, read
with the same context as at commit time and one line after), and `revise`
puts its reading in place of what was noted there. The revision is journaled with the
correction (`device.journal.session`) and replayed from it with `revised`, so the factors
shown, journaled and signed stay the same.

Who is who (`Tagging.persons`: whom a "han" the tagger read as another person stands for)
is kept the same way, from the reading that noted each segment's factors: the draft shows
the words the tagger's own reading rests on, never a second reading of the meeting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from device.stages.tagging import FoundTag, SegmentTagger, Tagging, tag_meeting
from device.stages.transcribe import HeardWord, word_json
from fredag.protocol import CaseType, Segment
from risk_factors.persons import REFERENT_SENTENCES
from risk_factors.tagger import Persons
from risk_factors.text import split_sentences

Words = tuple[HeardWord, ...]

CONTEXT_SEGMENTS = 4  # segments before the new ones read as context, at least
MAX_CONTEXT_SEGMENTS = 16  # ... and at most, while they hold fewer than REFERENT_SENTENCES
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
    persons: Persons | None = None
    """Who is who in the window as now read (segment numbers of the whole meeting); None:
    the tagger does not say."""
    factors_changed: bool = True
    """False when only who is who changed, not a factor."""

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
        words: Sequence[Words] = (),
    ) -> None:
        """`previous`: the session's segments so far (a resumed session), of which the first
        `tagged_through` were tagged already with the result `noted`; `words`: the words heard
        in each of them (`SessionRecord.words`; none for a session journaled without)."""
        self.tagger = tagger
        self.case_type = case_type
        self.segments: list[Segment] = list(previous)
        # The words heard in each segment (times, probabilities), read by the tagger with it.
        self.words: list[Words] = _padded(words, len(self.segments))
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

    def add(self, segments: Sequence[Segment], words: Sequence[Words] = ()) -> Tagging:
        """Tag newly committed `segments` (with the `words` heard in each, if known); what
        was found in them (segment numbers in the whole meeting). Segments left untagged
        before (a crash) are tagged along."""
        self.words = _padded(self.words, len(self.segments)) + _padded(words, len(segments))
        self.segments.extend(segments)
        return self.catch_up()

    def reset(self, segments: Sequence[Segment], words: Sequence[Words]) -> None:
        """The meeting's segments and words as read back from its journal (after an unlock)."""
        self.segments = list(segments)
        self.words = _padded(words, len(self.segments))

    def _tag(self, segments: Sequence[Segment], first: int, through: int) -> Tagging:
        """`segments[first:through]` (this meeting's, numbered as `self.segments`) read
        together, each with the words heard in it, as `fredag draft AUDIO` reads a recording
        (`tag_meeting`)."""
        chosen = list(segments[first:through])
        words = _padded(self.words, len(segments))[first:through]
        heard: list[dict[str, Any]] | None = None
        if any(words):
            heard = [_heard(s, w) for s, w in zip(chosen, words, strict=True)]
        return tag_meeting(self.tagger, chosen, self.case_type, heard)

    def catch_up(self) -> Tagging:
        first = self.tagged_through
        if first >= len(self.segments):
            nobody = persons_in(self._tagging.persons, 0, 0, 0)
            return replace(self._tagging, tags=(), denied=(), persons=nobody)
        lo = context_start(self.segments, first)
        context = self.segments[lo:first]
        result = self._tag(self.segments, lo, len(self.segments))
        shift = first - len(context)
        new = replace(
            result, tags=_placed(result.tags, len(context), shift),
            denied=_placed(result.denied, len(context), shift),
            persons=persons_in(result.persons, len(context), len(self.segments) - lo, shift),
        )  # fmt: skip
        self.tagged_through = len(self.segments)
        self._tagging = replace(
            new,
            tags=self._tagging.tags + new.tags,
            denied=self._tagging.denied + new.denied,
            persons=persons_replaced(
                self._tagging.persons, first, self.tagged_through, new.persons
            ),
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
        lo = context_start(segments, first)
        hi = min(len(segments), through + FOLLOWING_CONTEXT)
        result = self._tag(segments, lo, hi)
        tags = _window(result.tags, first - lo, through - lo, lo)
        denied = _window(result.denied, first - lo, through - lo, lo)
        persons = persons_in(result.persons, first - lo, through - lo, lo)
        old = self._tagging
        old_tags = tuple(t for t in old.tags if first <= t.segment < through)
        old_denied = tuple(t for t in old.denied if first <= t.segment < through)
        old_persons = persons_in(old.persons, first, through, 0)
        changed = (tags, denied) != (old_tags, old_denied)
        if not changed and persons == old_persons:
            return None
        return Revision(first, through, tags, denied, old_tags, persons, changed)

    def revise(self, revision: Revision) -> None:
        """Put a revision's reading in place of what was noted in its window."""
        self._tagging = revised(
            self._tagging,
            revision.first,
            revision.through,
            revision.tags,
            revision.denied,
            revision.persons,
        )


def context_start(segments: Sequence[Segment], first: int) -> int:
    """Where the context of a reading from segment `first` begins: CONTEXT_SEGMENTS back, and
    further (up to MAX_CONTEXT_SEGMENTS) until it holds REFERENT_SENTENCES sentences and one
    more, so a "han" in the new segments is read as whoever the whole meeting's reading would
    take him for (`risk_factors.persons`), and the draft's words naming him are that one
    reading's."""
    lo = max(0, first - CONTEXT_SEGMENTS)
    held = sum(len(split_sentences(s.text)) for s in segments[lo:first])
    while lo > 0 and first - lo < MAX_CONTEXT_SEGMENTS and held <= REFERENT_SENTENCES:
        lo -= 1
        held += len(split_sentences(segments[lo].text))
    return lo


def _padded(words: Sequence[Words], n: int) -> list[Words]:
    """`words` as one tuple per segment of `n` (segments without words get none)."""
    out = [tuple(w) for w in words[:n]]
    return out + [()] * (n - len(out))


def _heard(segment: Segment, words: Words) -> dict[str, Any]:
    """A segment as the tagger reads it with the words heard in it (the transcript JSON's
    form, `device.stages.transcript_file`; the speaker is added by `tag_meeting`)."""
    out: dict[str, Any] = {"start": segment.start, "end": segment.end, "text": segment.text}
    if words:
        out["words"] = [word_json(w) for w in words]
    return out


def _runs_on(segment: Segment) -> bool:
    """The segment may continue the sentence of the one before (no capital letter first)."""
    return not segment.text[:1].isupper()


def revised(
    tagging: Tagging,
    first: int,
    through: int,
    tags: Sequence[FoundTag],
    denied: Sequence[FoundTag],
    persons: Persons | None = None,
) -> Tagging:
    """`tagging` with what was noted in segments `first` ≤ i < `through` replaced by `tags`
    and `denied` (kept in place: before the first noted tag of a later segment), and who is
    who there by `persons` (None: left as it was). Used live and when a session is replayed
    from its journal, so both give the same factors."""
    return replace(
        tagging,
        tags=_replaced(tagging.tags, first, through, tags),
        denied=_replaced(tagging.denied, first, through, denied),
        persons=tagging.persons
        if persons is None
        else persons_replaced(tagging.persons, first, through, persons),
    )


def persons_in(persons: Persons | None, first: int, through: int, shift: int) -> Persons | None:
    """Who is who as a reading took it in its segments `first` ≤ i < `through` (the pronouns
    there and the words there naming someone), renumbered by `shift` (the reading's first
    segment in the whole meeting). A pronoun keeps the word that named it wherever that is."""

    def moved(place: tuple[int, int, int]) -> tuple[int, int, int]:
        return (place[0] + shift, place[1], place[2])

    if persons is None:
        return None
    return Persons(
        frozenset(moved(w) for w in persons.naming if first <= w[0] < through),
        {
            (k + shift, at): moved(word)
            for (k, at), word in persons.named.items()
            if first <= k < through
        },
    )


def persons_replaced(
    noted: Persons | None, first: int, through: int, new: Persons | None
) -> Persons | None:
    """`noted` with who is who in segments `first` ≤ i < `through` taken from `new`; None
    (not known) when either is not known."""
    if noted is None or new is None:
        return None
    return Persons(
        frozenset(w for w in noted.naming if not first <= w[0] < through) | new.naming,
        {
            **{k: w for k, w in noted.named.items() if not first <= k[0] < through},
            **new.named,
        },
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
