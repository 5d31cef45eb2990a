"""Adapts `risk_factors.tagger.Tagger` to `device.tagging.SegmentTagger`.

Kept apart from `device.tagging` so the interface the device codes against stays stable while
the tagger evolves. `load(catalogue)` takes a catalogue as plain data (e.g. the one the sync
client verified and kept); without one, the catalogue packaged with `risk_factors` is used.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from device.tagging import FoundTag, NullTagger, SegmentTagger, Tagging
from fredag.protocol import CaseType, Segment

if TYPE_CHECKING:
    from risk_factors.tagger import Tag, Tagger


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
    )


class RiskFactorsTagger:
    """The team's Swedish tagger over a catalogue."""

    def __init__(self, tagger: Tagger) -> None:
        self.tagger = tagger

    def tag_segments(self, segments: Sequence[Segment], case_type: CaseType) -> Tagging:
        if not segments:
            return Tagging((), (), self.tagger.version, self.tagger.sha256)
        result = self.tagger.tag_segments(list(segments), case_type)
        denied = [d for group in result.denied_by_factor().values() for d in group]
        return Tagging(
            tuple(_found(t) for t in result.tags),
            tuple(_found(d) for d in denied),
            result.catalogue_version,
            result.catalogue_sha256,
        )


def load(catalogue: dict[str, Any] | None = None) -> SegmentTagger:
    try:
        from risk_factors.catalogue import validate_catalogue
        from risk_factors.tagger import Tagger
    except ModuleNotFoundError:
        print(
            "fredag: no factor catalogue/tagger installed; the draft lists no factors",
            file=sys.stderr,
        )
        return NullTagger()
    if catalogue is None:
        return RiskFactorsTagger(Tagger.default())
    return RiskFactorsTagger(Tagger.from_catalogue(validate_catalogue(catalogue)))
