"""The caseworker's line operations on an entry's journal: edit, drop, move, pull.

Pure functions from one `fredag.protocol.Journal` to the next; `server.web.review` stores each
result as a new text version. A block is addressed by its key: an area's slug, `_none` for
lines outside any area (an old draft's transcript) and `_marks` for the meeting's marks. A
block left without lines disappears, so an area without content has no heading.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from fredag.protocol import Journal, JournalArea, JournalLine, Quote, Segment
from server.web.content import MARKS_KEY, NO_AREA_KEY, block_key
from server.web.highlight import speaker_label

QuoteT = TypeVar("QuoteT", bound=Quote)


class LineError(ValueError):
    """The line or area addressed does not exist (the page was out of date)."""


@dataclass(frozen=True)
class AreaChoice:
    """An area a line can be moved or pulled into."""

    slug: str
    name_sv: str
    name_en: str


def _blocks(journal: Journal) -> dict[str, list[JournalLine]]:
    out = {block_key(a.area): list(a.lines) for a in journal.areas}
    out[MARKS_KEY] = list(journal.marks)
    return out


def _line(journal: Journal, key: str, index: int) -> JournalLine:
    lines = _blocks(journal).get(key)
    if lines is None or not 0 <= index < len(lines):
        raise LineError(f"no line {index} in {key}")
    return lines[index]


def _replace(journal: Journal, key: str, lines: list[JournalLine]) -> Journal:
    if key == MARKS_KEY:
        return journal.model_copy(update={"marks": lines})
    areas = [
        a.model_copy(update={"lines": lines}) if block_key(a.area) == key else a
        for a in journal.areas
    ]
    return journal.model_copy(update={"areas": [a for a in areas if a.lines]})


def edit(journal: Journal, key: str, index: int, text: str, segments: Sequence[Segment]) -> Journal:
    """The line's words replaced by the caseworker's; `edited` unless they are the original."""
    line = _line(journal, key, index)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise LineError("empty line")
    original = (
        segments[line.segment].text
        if line.segment is not None and line.segment < len(segments)
        else None
    )
    changed = line.model_copy(update={"text": text, "edited": text != original})
    lines = _blocks(journal)[key]
    lines[index] = changed
    return _replace(journal, key, lines)


def drop(journal: Journal, key: str, index: int) -> Journal:
    _line(journal, key, index)
    lines = _blocks(journal)[key]
    del lines[index]
    return _replace(journal, key, lines)


def _insert(
    journal: Journal, target: AreaChoice, line: JournalLine, order: Sequence[str]
) -> Journal:
    """`line` into the area `target` (made when missing, in catalogue order), meeting order."""
    areas = list(journal.areas)
    at = next((i for i, a in enumerate(areas) if a.area == target.slug), None)
    if at is None:
        rank = {slug: i for i, slug in enumerate(order)}
        new = JournalArea(
            area=target.slug, name_sv=target.name_sv, name_en=target.name_en, lines=[]
        )
        at = next(
            (
                i
                for i, a in enumerate(areas)
                if rank.get(a.area or "", len(rank)) > rank.get(target.slug, len(rank))
            ),
            len(areas),
        )
        areas.insert(at, new)
    lines = [*areas[at].lines, line]
    lines.sort(key=lambda ln: (ln.start, ln.segment if ln.segment is not None else -1))
    areas[at] = areas[at].model_copy(update={"lines": lines})
    return journal.model_copy(update={"areas": areas})


def move(
    journal: Journal, key: str, index: int, target: AreaChoice, order: Sequence[str]
) -> Journal:
    """The line out of its block into area `target`; a mark becomes an ordinary line there."""
    line = _line(journal, key, index)
    if block_key(target.slug) == key:
        return journal
    moved = line.model_copy(update={"kind": "said"}) if line.kind == "mark" else line
    return _insert(drop(journal, key, index), target, moved, order)


def pull(
    journal: Journal,
    segment: int,
    segments: Sequence[Segment],
    target: AreaChoice,
    order: Sequence[str],
) -> Journal:
    """Transcript segment `segment`, verbatim, as a new line of area `target`."""
    if not 0 <= segment < len(segments):
        raise LineError(f"no segment {segment}")
    seg = segments[segment]
    # Said by a speaker the caseworker renamed: the line comes in under her name for them.
    speaker = speaker_label(seg, speaker_names(journal, segments))
    line = JournalLine(segment=segment, start=seg.start, text=seg.text, speaker=speaker)
    return _insert(journal, target, line, order)


def _quotes(journal: Journal) -> Iterator[Quote]:
    """Every quote of the entry: each line's referents, held referents, question and words."""
    for line in [ln for a in journal.areas for ln in a.lines] + list(journal.marks):
        for quote in (*line.referents, *line.held, line.question, line):
            if quote is not None:
                yield quote


def speakers(journal: Journal) -> list[str]:
    """The speaker labels in the entry (lines, the questions they answer, their referents),
    in order."""
    found: dict[str, None] = {}
    for quote in _quotes(journal):
        if quote.speaker:
            found.setdefault(quote.speaker)
    return list(found)


def speaker_names(journal: Journal, segments: Sequence[Segment]) -> dict[str, str]:
    """The caseworker's names for the device's speaker labels ("person 1" → "mamma"), as
    her renaming left them in the entry: a label whose every quote in the entry shows one
    other name. What the transcript (on the review page, and as the export's attachment)
    and a line pulled from it show for that label; the signed transcript keeps the
    device's."""
    shown: dict[str, set[str]] = {}
    for quote in _quotes(journal):
        if quote.speaker and quote.segment is not None and quote.segment < len(segments):
            label = speaker_label(segments[quote.segment])
            if label:
                shown.setdefault(label, set()).add(quote.speaker)
    return {label: next(iter(s)) for label, s in shown.items() if len(s) == 1 and label not in s}


def rename_speaker(journal: Journal, old: str, new: str) -> Journal:
    """Every line (question, referent) said by `old` now says `new` ("person 1" → "mamma")."""
    new = " ".join(new.split())
    if not new or len(new) > MAX_SPEAKER or old not in speakers(journal):
        raise LineError(f"no speaker {old!r} to rename, or no new name")

    def quote(q: QuoteT) -> QuoteT:
        return q.model_copy(update={"speaker": new}) if q.speaker == old else q

    def renamed(line: JournalLine) -> JournalLine:
        return quote(line).model_copy(
            update={
                "question": None if line.question is None else quote(line.question),
                "referents": [quote(r) for r in line.referents],
                "held": [quote(h) for h in line.held],
            }
        )

    areas = [a.model_copy(update={"lines": [renamed(ln) for ln in a.lines]}) for a in journal.areas]
    marks = [renamed(ln) for ln in journal.marks]
    return journal.model_copy(update={"areas": areas, "marks": marks})


MAX_SPEAKER = 200

__all__ = [
    "NO_AREA_KEY",
    "AreaChoice",
    "LineError",
    "drop",
    "edit",
    "move",
    "pull",
    "rename_speaker",
    "speaker_names",
    "speakers",
]
