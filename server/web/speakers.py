"""The caseworker's names for the device's speaker labels ("person 1" → "mamma"): the one
place every view reads them.

A text version stores the names beside its journal (`server.web.content`, fredag.entry/2):
the journal's quotes keep the device's labels, and `Named.shown()` is the journal with her
names, which the review page, the entry text (preview, approval, the versions page), the
transcript and its speaker filter, the export's attachment and a line pulled from the
transcript all use. So a rename holds when every line of that speaker is dropped, and an
earlier version shows the names it had.

A version saved before names were stored (fredag.entry/1) had a rename written into its
quotes: its names are read back from them as before (a label whose every quote shows one
other name) and its quotes given back their labels, so it shows exactly as it did.

What a name may be (`rename`): any words but the caseworker's own label ("handläggare": a
client's words would read as hers) or another voice's device label ("person 2"); empty is
refused (renaming to the label itself gives the device's label back); the caseworker's own
label is not renamed (the entry's header names her). Two labels may get the same name (the
device heard one person as two voices): each keeps its own entry, so that is undone by
renaming one of them again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, TypeVar

from fredag.journal import CASEWORKER_LABEL
from fredag.protocol import Journal, JournalLine, Quote, Segment
from server.web.content import Content

QuoteT = TypeVar("QuoteT", bound=Quote)

MAX_NAME: Final = 200
_CASEWORKER_WORDS: Final = frozenset({CASEWORKER_LABEL, "handläggaren"})


class NameRefused(ValueError):
    """A rename the caseworker cannot make; `key` is the message's key in `server.web.i18n`."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def segment_label(segment: Segment) -> str | None:
    """The label the device attributed to a segment (v2 drafts), if any."""
    speaker = getattr(segment, "speaker", None)
    return None if speaker is None else str(speaker.label)


def quotes(journal: Journal) -> Iterator[Quote]:
    """Every quote of the entry: each line's referents, held referents, question and words."""
    for line in [ln for a in journal.areas for ln in a.lines] + list(journal.marks):
        for quote in (*line.referents, *line.held, line.question, line):
            if quote is not None:
                yield quote


def map_speakers(journal: Journal, speaker: Callable[[Quote], str | None]) -> Journal:
    """The journal with every quote's speaker replaced by `speaker(quote)`."""

    def one(q: QuoteT) -> QuoteT:
        who = speaker(q)
        return q if who == q.speaker else q.model_copy(update={"speaker": who})

    def line(ln: JournalLine) -> JournalLine:
        return one(ln).model_copy(
            update={
                "question": None if ln.question is None else one(ln.question),
                "referents": [one(r) for r in ln.referents],
                "held": [one(h) for h in ln.held],
            }
        )

    areas = [a.model_copy(update={"lines": [line(ln) for ln in a.lines]}) for a in journal.areas]
    return journal.model_copy(update={"areas": areas, "marks": [line(m) for m in journal.marks]})


def _written_names(journal: Journal, segments: Sequence[Segment]) -> dict[str, str]:
    """A fredag.entry/1 version's names, as its rename left them in its quotes: a device
    label whose every quote there shows one other name."""
    shown: dict[str, set[str]] = {}
    for quote in quotes(journal):
        if quote.speaker and quote.segment is not None and quote.segment < len(segments):
            label = segment_label(segments[quote.segment])
            if label:
                shown.setdefault(label, set()).add(quote.speaker)
    return {label: next(iter(s)) for label, s in shown.items() if len(s) == 1 and label not in s}


@dataclass(frozen=True)
class Named:
    """One version's journal (its quotes with the device's labels) and her names for them."""

    journal: Journal
    names: Mapping[str, str] = field(default_factory=dict)

    def name(self, label: str) -> str:
        return self.names.get(label, label)

    def shown(self) -> Journal:
        """The journal as every view shows it: each label as she named it."""
        if not self.names:
            return self.journal
        return map_speakers(self.journal, lambda q: q.speaker and self.name(q.speaker))


def named(content: Content, segments: Sequence[Segment]) -> Named | None:
    """A version's journal and names (None for a plain-text version); a fredag.entry/1
    version's names read back from its quotes, which get their labels back."""
    if content.journal is None:
        return None
    if content.names is not None:
        return Named(content.journal, dict(content.names))
    names = _written_names(content.journal, segments)
    if not names:
        return Named(content.journal)

    def label(q: Quote) -> str | None:
        if q.segment is None or q.segment >= len(segments):
            return q.speaker
        own = segment_label(segments[q.segment])
        return own if own is not None and names.get(own) == q.speaker else q.speaker

    return Named(map_speakers(content.journal, label), names)


def _all_labels(journal: Journal, segments: Sequence[Segment]) -> list[str]:
    """The device's speaker labels: the transcript's, in order of first appearance, then
    any other the entry quotes."""
    found: dict[str, None] = {}
    for seg in segments:
        if (label := segment_label(seg)) is not None:
            found.setdefault(label)
    for quote in quotes(journal):
        if quote.speaker:
            found.setdefault(quote.speaker)
    return list(found)


def labels(journal: Journal, segments: Sequence[Segment]) -> list[str]:
    """The device's speaker labels she can rename (`journal` with its labels, `Named`):
    the transcript's, in order, then any other the entry quotes; never her own."""
    return [x for x in _all_labels(journal, segments) if not _caseworker(x)]


def _caseworker(name: str) -> bool:
    return name.strip().casefold() in _CASEWORKER_WORDS


def rename(current: Named, segments: Sequence[Segment], old: str, new: str) -> dict[str, str]:
    """Her names after renaming the label `old` (or the one label now shown as `old`) to
    `new`; renaming to the label itself gives the device's label back. `NameRefused` with
    the reason when the name cannot be given (see the module's docstring)."""
    known = _all_labels(current.journal, segments)
    label = old if old in known else None
    if label is None:
        shown_as = [x for x in known if current.name(x) == old]
        label = shown_as[0] if len(shown_as) == 1 else None
    if label is None:
        raise NameRefused("speaker_unknown")
    if _caseworker(label):
        raise NameRefused("speaker_caseworker_own")
    new = " ".join(new.split())
    if not new:
        raise NameRefused("speaker_name_empty")
    if len(new) > MAX_NAME:
        raise NameRefused("speaker_name_long")
    if _caseworker(new):
        raise NameRefused("speaker_name_caseworker")
    if any(x.casefold() == new.casefold() for x in known if x != label):
        raise NameRefused("speaker_name_label")
    names = dict(current.names)
    if new.casefold() == label.casefold():
        names.pop(label, None)
    else:
        names[label] = new
    return names


__all__ = [
    "MAX_NAME",
    "NameRefused",
    "Named",
    "labels",
    "map_speakers",
    "named",
    "quotes",
    "rename",
    "segment_label",
]
