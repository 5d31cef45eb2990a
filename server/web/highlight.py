"""The transcript as HTML with every factor's evidence marked, escaping everything said.

Each segment becomes a paragraph; each quote becomes one or more `<mark>` elements carrying
the keys of the factors it shows (`data-f`), so choosing a factor lights up its quotes. The
first mark of each quote has the quote's anchor id for scrolling. Transcript text only ever
reaches the page through `markupsafe.escape`: a transcript containing markup renders as text.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from fredag.journal import Lang, clock, speaker_revised
from fredag.journal import label as journal_label
from fredag.protocol import Segment
from server.web.speakers import segment_label
from server.web.view import FactorView


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    key: str
    anchor: str
    rejected: bool


def locate(text: str, quote: str, start: int, end: int) -> tuple[int, int] | None:
    """Where `quote` is in `text`: at the given offsets if they match, else its first match."""
    if 0 <= start < end <= len(text) and text[start:end] == quote:
        return start, end
    at = text.find(quote) if quote else -1
    if at < 0:
        at = text.lower().find(quote.lower()) if quote else -1
    return (at, at + len(quote)) if at >= 0 else None


def spans_by_segment(
    segments: Sequence[Segment], factors: Sequence[FactorView]
) -> dict[int, list[Span]]:
    out: dict[int, list[Span]] = {}
    for factor in factors:
        for ev in factor.evidence:
            e = ev.evidence
            if e.segment >= len(segments):
                continue
            where = locate(segments[e.segment].text, e.quote, e.char_start, e.char_end)
            if where is None:
                continue
            out.setdefault(e.segment, []).append(
                Span(where[0], where[1], factor.key, ev.anchor, factor.rejected)
            )
    return out


def _segment_html(text: str, spans: Sequence[Span]) -> Markup:
    if not spans:
        return escape(text)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    started: set[str] = set()
    parts: list[str] = []
    for a, b in itertools.pairwise(cuts):
        if a == b:
            continue
        piece = escape(text[a:b])
        covering = [s for s in spans if s.start <= a and b <= s.end]
        if not covering:
            parts.append(piece)
            continue
        keys = " ".join(sorted({s.key for s in covering}))
        anchors = [s.anchor for s in covering if s.start == a and s.anchor not in started]
        started.update(anchors)
        id_attr = Markup(' id="{}"').format(anchors[0]) if anchors else Markup("")
        more = " ".join(anchors[1:])
        extra = Markup(' data-anchors="{}"').format(more) if more else Markup("")
        cls = "ev rejected" if all(s.rejected for s in covering) else "ev"
        parts.append(
            Markup('<mark class="{}" data-f="{}"{}{}>{}</mark>').format(
                cls, keys, id_attr, extra, piece
            )
        )
    return Markup("").join(parts)


_PULL = Markup(
    '<button type="submit" form="pull-form" name="segment" value="{i}" class="small pull" '
    'aria-label="Till journalen: stycke {n}" title="Till journalen">+</button> '
)


def speaker_label(segment: Segment, names: Mapping[str, str] | None = None) -> str | None:
    """The label the device attributed to a segment (v2 drafts), if any; with `names`, as
    the caseworker named it in the entry's version (`server.web.speakers`)."""
    label = segment_label(segment)
    return None if label is None else (names or {}).get(label, label)


def _revised(segment: Segment, lang: Lang = "sv") -> Markup:
    """The mark of a label the device changed with hindsight (`Speaker.revised`)."""
    if not speaker_revised(segment):
        return Markup("")
    mark = journal_label("speaker_revised", lang)
    return Markup(' <span class="revised">{}</span>').format(mark)


def transcript_speakers(
    segments: Sequence[Segment], names: Mapping[str, str] | None = None
) -> list[str]:
    """The speaker labels of a transcript (as renamed, `names`), in order of first
    appearance: what the transcript filters by."""
    return list(dict.fromkeys(label for s in segments if (label := speaker_label(s, names))))


def transcript_html(
    segments: Sequence[Segment],
    factors: Sequence[FactorView],
    *,
    pull: bool = False,
    names: Mapping[str, str] | None = None,
    lang: Lang = "sv",
) -> Markup:
    """The transcript as paragraphs, each speaker as the caseworker named them (`names`);
    with `pull`, each has a button that takes it into the journal (it submits the page's one
    pull form, which names the area)."""
    spans = spans_by_segment(segments, factors)
    rows = [
        Markup(
            '<p class="seg" id="seg-{i}" data-seg="{i}" data-speaker="{who}">{pull}'
            '<a class="ts" href="#seg-{i}" aria-label="Stycke {n}, {t}">{t}</a> {label}'
            '<span class="seg-text" data-seg="{i}">{body}</span></p>'
        ).format(
            i=i,
            n=i + 1,
            t=clock(seg.start),
            who=speaker_label(seg, names) or "",
            label=Markup('<span class="who">{}{}:</span> ').format(
                speaker_label(seg, names), _revised(seg, lang)
            )
            if speaker_label(seg)
            else Markup(""),
            pull=_PULL.format(i=i, n=i + 1) if pull else Markup(""),
            body=_segment_html(seg.text, spans.get(i, [])),
        )
        for i, seg in enumerate(segments)
    ]
    return Markup("\n").join(rows)
