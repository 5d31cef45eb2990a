"""The caseworker's line operations on an entry's journal: edit, drop, move, pull.

Pure functions from one `fredag.protocol.Journal` to the next; `server.web.review` stores each
result as a new text version. A block is addressed by its key: an area's slug, `_none` for
lines outside any area (an old draft's transcript) and `_marks` for the meeting's marks. A
block left without lines disappears, so an area without content has no heading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fredag.protocol import Journal, JournalArea, JournalLine, Segment
from server.web.content import MARKS_KEY, NO_AREA_KEY, block_key
from server.web.speakers import segment_label


class LineError(ValueError):
    """The line or area addressed does not exist (the page was out of date)."""


class EmptyLine(LineError):
    """A line's words edited away: dropping the line is how a line goes."""


class AlreadyThere(LineError):
    """A transcript line pulled into an area that already has it, word for word."""


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
    """The line's words replaced by the caseworker's; `edited` unless they are the words the
    line quotes (its span of the utterance: a line may quote one sentence of several)."""
    line = _line(journal, key, index)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise EmptyLine("empty line")
    original = (
        segments[line.segment].text[line.char_start : line.char_end].strip()
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
    """The line out of its block into area `target`; a mark becomes an ordinary line there.
    An area that already quotes the same words of the same utterance keeps its line and the
    moved one goes (the entry never quotes the same words twice in one area)."""
    line = _line(journal, key, index)
    if block_key(target.slug) == key:
        return journal
    rest = drop(journal, key, index)
    there = next((a for a in rest.areas if a.area == target.slug), None)
    if there is not None and any(_same_words(ln, line) for ln in there.lines):
        return rest
    moved = line.model_copy(update={"kind": "said"}) if line.kind == "mark" else line
    return _insert(rest, target, moved, order)


def _same_words(a: JournalLine, b: JournalLine) -> bool:
    return (a.segment, a.char_start, a.text) == (b.segment, b.char_start, b.text)


def pull(
    journal: Journal,
    segment: int,
    segments: Sequence[Segment],
    target: AreaChoice,
    order: Sequence[str],
) -> Journal:
    """Transcript segment `segment`, verbatim, as a new line of area `target`; `AlreadyThere`
    when that area has it already (a line of another area may quote it too)."""
    if not 0 <= segment < len(segments):
        raise LineError(f"no segment {segment}")
    seg = segments[segment]
    there = next((a for a in journal.areas if a.area == target.slug), None)
    if there is not None and any(
        ln.segment == segment and ln.text == seg.text for ln in there.lines
    ):
        raise AlreadyThere(f"segment {segment} is in {target.slug}")
    # The device's label: the version's names (`server.web.speakers`) show it as she named it.
    line = JournalLine(segment=segment, start=seg.start, text=seg.text, speaker=segment_label(seg))
    return _insert(journal, target, line, order)


__all__ = [
    "NO_AREA_KEY",
    "AlreadyThere",
    "AreaChoice",
    "EmptyLine",
    "LineError",
    "drop",
    "edit",
    "move",
    "pull",
]
