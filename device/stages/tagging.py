"""The seam between the device and the factor tagger in `risk_factors`.

The device needs one thing from the tagger: given the committed transcript segments and the
case type, the factors found (each with its quote, its place in a segment and its time), the
factors explicitly denied, and the catalogue version and hash they came from. `SegmentTagger`
is that interface (tests inject their own); `load_tagger` gives the `risk_factors` tagger on
the catalogue this device should use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from fredag.journal import AreaName
from fredag.protocol import CaseType, FactorKind, Segment
from risk_factors.catalogue import validate_catalogue
from risk_factors.schema import Catalogue
from risk_factors.tagger import NOBODY, Denial, Persons, Tag, Tagger, persons


@dataclass(frozen=True)
class FoundTag:
    """One factor shown by words in one transcript segment."""

    factor: str
    kind: FactorKind
    name_sv: str
    quote: str
    segment: int
    char_start: int
    char_end: int
    start: float
    end: float
    confidence: float
    reason: str | None = None
    """A denial's reason as the tagger gave it: "negated" (denied), "resolved" (told as past
    and over) or "uncertain"; None for a factor found."""
    asked: bool = False
    """A denial that answers a question about the factor. Told as over without being asked
    ("Pappan drack förut, men han har slutat") is no asked-and-denied finding: the draft
    quotes it in "Vad som framkom" but does not list it as denied."""


@dataclass(frozen=True)
class Tagging:
    tags: tuple[FoundTag, ...]
    denied: tuple[FoundTag, ...]
    catalogue_version: str
    catalogue_sha256: str
    areas: Mapping[str, AreaName] = field(default_factory=dict)
    """Each factor's life area for this case type (factor slug → area), from the catalogue."""
    persons: Persons | None = None
    """Who is who as the tagger read it while tagging (whom each "han"/"hon" it read as
    another person stands for, and the words naming them), in these segments' numbers: the
    draft shows the words its reading rests on. None when not known (a tagger that does not
    say, a session journaled before taggings carried it): the draft then reads the meeting
    again (`persons_of`)."""


def factor_areas(catalogue: Catalogue, case_type: CaseType) -> dict[str, AreaName]:
    """Factor slug → its life area in a `case_type` case, areas numbered in catalogue order."""
    order = {a.slug: i for i, a in enumerate(catalogue.areas)}
    out: dict[str, AreaName] = {}
    for factor in catalogue.factors:
        area = catalogue.area_of(factor.slug, case_type)
        if area is not None:
            out[factor.slug] = AreaName(area.slug, area.name.sv, area.name.en, order[area.slug])
    return out


class SegmentTagger(Protocol):
    def tag_segments(self, segments: Sequence[Segment], case_type: CaseType) -> Tagging: ...


def _found(tag: Tag) -> FoundTag:
    assert tag.segment is not None and tag.char_start is not None and tag.char_end is not None
    return FoundTag(
        factor=tag.factor,
        kind="protective" if tag.kind == "protective" else "risk",
        name_sv=tag.name_sv,
        quote=tag.quote,
        segment=tag.segment,
        char_start=tag.char_start,
        char_end=max(tag.char_start, tag.char_end),
        start=float(tag.start_s or 0.0),
        end=float(tag.end_s or 0.0),
        confidence=min(1.0, max(0.0, float(tag.confidence))),
        reason=tag.reason if isinstance(tag, Denial) else None,
        asked=tag.asked if isinstance(tag, Denial) else False,
    )


def told_over(tag: FoundTag | Denial) -> bool:
    """A denial that is only something told as past and over, not asked about."""
    return getattr(tag, "reason", None) == "resolved" and not getattr(tag, "asked", False)


class RiskFactorsTagger:
    """The team's Swedish tagger over a catalogue, as a `SegmentTagger`."""

    def __init__(self, tagger: Tagger) -> None:
        self.tagger = tagger

    def tag_segments(self, segments: Sequence[Segment], case_type: CaseType) -> Tagging:
        from device.stages.speakers import with_heard_speakers

        # Attributed speakers as the tagger reads them ('handläggare' = the caseworker).
        named = with_heard_speakers(None, segments)
        heard: list[Any] = list(segments) if named is None else named
        return self.tag_heard(heard, case_type)

    def tag_heard(self, heard: Sequence[Any], case_type: CaseType) -> Tagging:
        """Tag segments together with what is known of how they were heard: dicts (or
        objects) with start, end, text and optionally `speaker` and the recogniser's `words`
        with probabilities (see `risk_factors.conversation`)."""
        areas = factor_areas(self.tagger.catalogue, case_type)
        if not heard:
            return Tagging((), (), self.tagger.version, self.tagger.sha256, areas, NOBODY)
        result = self.tagger.tag_segments(heard, case_type)
        denied = [d for group in result.denied_by_factor().values() for d in group]
        # Told as over without being asked: no denial, but what was said (see `told_over`).
        present = result.factors()
        denied += [d for d in result.denied if told_over(d) and d.factor not in present]
        return Tagging(
            tuple(_found(t) for t in result.tags),
            tuple(_found(d) for d in denied),
            result.catalogue_version,
            result.catalogue_sha256,
            areas,
            result.persons,
        )


def tag_meeting(
    tagger: SegmentTagger,
    segments: Sequence[Segment],
    case_type: CaseType,
    heard: Sequence[Any] | None = None,
) -> Tagging:
    """Tag a meeting's segments, with how they were heard (`heard`: speaker, word
    probabilities per segment) when the tagger can use it."""
    from device.stages.speakers import with_heard_speakers

    heard = with_heard_speakers(heard, segments)  # the caseworker's words are read as hers
    tag_heard = getattr(tagger, "tag_heard", None)
    if heard is not None and tag_heard is not None:
        result: Tagging = tag_heard(heard, case_type)
        return result
    return tagger.tag_segments(segments, case_type)


def persons_of(tagging: Tagging, segments: Sequence[Segment], case_type: CaseType) -> Persons:
    """Who, other than the client, the meeting's words name and whom each "han"/"hon" the
    tagger read as such a person stands for: the tagging's own reading; only when it has none
    (`Tagging.persons`) the segments read again with their attributed speakers
    (`risk_factors.tagger.persons`)."""
    if tagging.persons is not None:
        return tagging.persons
    from device.stages.speakers import with_heard_speakers

    named = with_heard_speakers(None, segments)
    return persons(list(segments) if named is None else named, case_type)


def load_tagger(catalogue: dict[str, Any] | None = None) -> SegmentTagger:
    """The tagger on `catalogue` (plain data), else on the catalogue last synced from the
    server (verified again), else on the catalogue packaged with `risk_factors`."""
    if catalogue is None:
        from device.sync.catalogue import for_next_session
        from fredag.settings import get_settings

        catalogue = for_next_session(get_settings().home)
    if catalogue is None:
        return RiskFactorsTagger(Tagger.default())
    return RiskFactorsTagger(Tagger.from_catalogue(validate_catalogue(catalogue)))
