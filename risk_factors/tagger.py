"""The Swedish factor tagger: which catalogue factors were mentioned, with the words that show it.

    from risk_factors.tagger import Tagger
    tagger = Tagger.default()                       # or Tagger.from_catalogue(catalogue)
    result = tagger.tag_text("Pappa dricker varje kväll.", "barn")
    result = tagger.tag_segments(transcript.segments, "barn")   # objects with start/end/text

A `Tag` is a factor stated as present; a `Denial` is one asked about and denied, or told as
over ("inte längre", "slutat"). Denials are never tags. Questions ("Dricker ni?") give
neither. Every tag and denial carries the quote, its character span in the input (and, for
segments, the segment index, span within that segment's text and the segment times), a
confidence and the catalogue version: what `fredag.protocol.Evidence` needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Literal, Protocol, TypeVar

from fredag.errors import UsageError
from risk_factors.catalogue import catalogue_sha256, load_catalogue
from risk_factors.context import is_question, status
from risk_factors.cues import CompiledCue, CueMatch, Lexicon, Matcher, compile_cue
from risk_factors.schema import Catalogue, Factor
from risk_factors.text import Sentence, split_sentences

__all__ = ["CASE_TYPES", "Denial", "Tag", "TagResult", "Tagger"]

CASE_TYPES = ("barn", "vuxen")
FUZZY_FACTOR = 0.7
CaseType = Literal["barn", "vuxen"]
_T = TypeVar("_T", bound="Tag")


class SegmentLike(Protocol):
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Tag:
    """A factor stated as present, with its evidence.

    `start`/`end` index the tagged text (for segments: the segments joined by single spaces);
    `segment`, `char_start`/`char_end` (within that segment's text) and `start_s`/`end_s`
    (seconds) are set when segments were tagged.
    """

    factor: str
    kind: str
    name_sv: str
    quote: str
    start: int
    end: int
    confidence: float
    catalogue_version: str
    segment: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    start_s: float | None = None
    end_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Denial(Tag):
    """A factor asked about and denied ("negated") or told as over ("resolved"): never a tag."""

    reason: str = "negated"


@dataclass(frozen=True)
class TagResult:
    tags: tuple[Tag, ...]
    denied: tuple[Denial, ...]
    catalogue_version: str
    catalogue_sha256: str

    def factors(self) -> set[str]:
        """The slugs tagged as present."""
        return {t.factor for t in self.tags}

    def by_factor(self) -> dict[str, list[Tag]]:
        """Tags grouped by factor in order of first mention (one FactorFinding each)."""
        out: dict[str, list[Tag]] = {}
        for tag in self.tags:
            out.setdefault(tag.factor, []).append(tag)
        return out

    def denied_by_factor(self) -> dict[str, list[Denial]]:
        """Denials grouped by factor, leaving out factors that are also tagged as present."""
        present = self.factors()
        out: dict[str, list[Denial]] = {}
        for d in self.denied:
            if d.factor not in present:
                out.setdefault(d.factor, []).append(d)
        return out


class Tagger:
    """Tags Swedish text with catalogue factors. Build once; tagging is thread-safe for reading."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.version = catalogue.version
        self.sha256 = catalogue_sha256(catalogue)
        self.factors: dict[str, Factor] = {f.slug: f for f in catalogue.factors}
        lexicon = Lexicon()
        compiled: list[CompiledCue] = []
        for factor in catalogue.factors:
            if factor.retired:
                continue
            for cue in factor.cues:
                compiled.append(
                    compile_cue(
                        factor.slug,
                        cue.match,
                        lexicon,
                        unless=cue.unless,
                        window=cue.window,
                        weight=cue.weight,
                        case_type=cue.case_type,
                    )
                )
        self._matcher = Matcher(compiled, lexicon)

    @classmethod
    def from_catalogue(cls, catalogue: Catalogue) -> Tagger:
        return cls(catalogue)

    @classmethod
    def default(cls) -> Tagger:
        """The tagger on the packaged catalogue, built once per process and then shared."""
        return _default_tagger()

    def _applies(self, cue: CompiledCue, case_type: str) -> bool:
        applies_to = self.factors[cue.factor].applies_to
        return applies_to in ("alla", case_type) and cue.case_type in (None, case_type)

    def tag_text(self, text: str, case_type: str) -> TagResult:
        """Tag one text (a sentence or a whole transcript) for a `barn` or `vuxen` case."""
        if case_type not in CASE_TYPES:
            raise UsageError(f"case type must be barn or vuxen, not {case_type!r}")
        tags: list[Tag] = []
        denied: list[Denial] = []
        for sentence in split_sentences(text):
            if is_question(sentence):
                continue
            t, d = self._tag_sentence(text, sentence, case_type)
            tags += t
            denied += d
        return TagResult(tuple(tags), tuple(denied), self.version, self.sha256)

    def _tag_sentence(
        self, text: str, sentence: Sentence, case_type: str
    ) -> tuple[list[Tag], list[Denial]]:
        best: dict[str, tuple[float, CueMatch]] = {}
        worst: dict[str, tuple[str, CueMatch]] = {}
        for match in self._matcher.matches(text, sentence):
            if not self._applies(match.cue, case_type):
                continue
            factor = self.factors[match.cue.factor]
            state = status(sentence, match.tokens, factor.past_counts)
            if state == "present":
                conf = match.cue.weight * FUZZY_FACTOR**match.fuzzy
                if factor.slug not in best or conf > best[factor.slug][0]:
                    best[factor.slug] = (conf, match)
            elif state != "uncertain" and match.fuzzy == 0 and factor.slug not in worst:
                worst[factor.slug] = (state, match)
        tags = [self._make(Tag, m, conf, text) for slug, (conf, m) in best.items()]
        denied = [
            self._make(Denial, m, m.cue.weight, text, reason=state)
            for slug, (state, m) in worst.items()
            if slug not in best
        ]
        tags.sort(key=lambda t: (t.start, t.factor))
        denied.sort(key=lambda t: (t.start, t.factor))
        return tags, denied

    def _make(self, cls: type[Any], m: CueMatch, conf: float, text: str, **extra: Any) -> Any:
        factor = self.factors[m.cue.factor]
        return cls(
            factor=factor.slug,
            kind=factor.kind,
            name_sv=factor.name.sv,
            quote=text[m.char_start : m.char_end],
            start=m.char_start,
            end=m.char_end,
            confidence=round(conf, 3),
            catalogue_version=self.version,
            **extra,
        )

    def tag_segments(
        self, segments: Sequence[SegmentLike] | Sequence[Mapping[str, Any]], case_type: str
    ) -> TagResult:
        """Tag transcript segments (objects or dicts with start, end, text) as one text.

        Segments are joined with single spaces so a sentence split across segments is still
        read whole; each tag is then mapped back to the segment where its quote begins:
        `segment` is that segment's index, `char_start`/`char_end` the span within its text
        (so `quote == segments[segment].text[char_start:char_end]` unless the quote runs on
        into the next segment, when `char_end` is the end of the first segment's text and
        `quote` holds all the words), `start_s` the first segment's start and `end_s` the
        last covered segment's end.
        """
        items = [_segment_fields(s) for s in segments]
        offsets: list[int] = []
        pos = 0
        for _start, _end, seg_text in items:
            offsets.append(pos)
            pos += len(seg_text) + 1
        joined = " ".join(seg_text for _s, _e, seg_text in items)
        result = self.tag_text(joined, case_type)
        return TagResult(
            tuple(_place(t, items, offsets) for t in result.tags),
            tuple(_place(d, items, offsets) for d in result.denied),
            result.catalogue_version,
            result.catalogue_sha256,
        )


@lru_cache(maxsize=1)
def _default_tagger() -> Tagger:
    return Tagger(load_catalogue())


def _segment_fields(seg: SegmentLike | Mapping[str, Any]) -> tuple[float, float, str]:
    try:
        if isinstance(seg, Mapping):
            return float(seg["start"]), float(seg["end"]), str(seg["text"])
        return float(seg.start), float(seg.end), str(seg.text)
    except (KeyError, AttributeError, TypeError, ValueError) as exc:
        raise UsageError(f"a segment needs start, end and text: {seg!r}") from exc


def _place(tag: _T, items: list[tuple[float, float, str]], offsets: list[int]) -> _T:
    first = _segment_at(offsets, tag.start)
    last = _segment_at(offsets, max(tag.start, tag.end - 1))
    seg_start, _seg_end, seg_text = items[first]
    char_start = tag.start - offsets[first]
    char_end = min(tag.end - offsets[first], len(seg_text))
    return type(tag)(
        **{
            **asdict(tag),
            "segment": first,
            "char_start": char_start,
            "char_end": char_end,
            "start_s": seg_start,
            "end_s": items[last][1],
        }
    )


def _segment_at(offsets: list[int], pos: int) -> int:
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo
