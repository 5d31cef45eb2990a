"""The seam between the device and the factor tagger in `risk_factors`.

The device needs one thing from the tagger: given the committed transcript segments and the
case type, the factors found (each with its quote, its place in a segment and its time), the
factors explicitly denied, and the catalogue version and hash they came from. `SegmentTagger`
is that interface; `load_tagger` adapts whatever `risk_factors` provides to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from fredag.protocol import CaseType, FactorKind, Segment


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


@dataclass(frozen=True)
class Tagging:
    tags: tuple[FoundTag, ...]
    denied: tuple[FoundTag, ...]
    catalogue_version: str
    catalogue_sha256: str


class SegmentTagger(Protocol):
    def tag_segments(self, segments: Sequence[Segment], case_type: CaseType) -> Tagging: ...


NO_CATALOGUE_VERSION = "ingen-katalog"


class NullTagger:
    """Used only while no catalogue is installed: tags nothing, and says so in the draft."""

    def tag_segments(self, segments: Sequence[Segment], case_type: CaseType) -> Tagging:
        return Tagging((), (), NO_CATALOGUE_VERSION, hashlib.sha256(b"").hexdigest())


def load_tagger(catalogue: dict[str, Any] | None = None) -> SegmentTagger:
    """The risk_factors tagger on `catalogue` (plain data, e.g. the one the sync client
    verified), else on the packaged catalogue; a `NullTagger` if risk_factors is missing."""
    from device import tagger_adapter

    if catalogue is None:  # the catalogue last synced from the server, verified again
        from device.sync.catalogue import for_next_session
        from fredag.settings import get_settings

        catalogue = for_next_session(get_settings().home)
    return tagger_adapter.load(catalogue)
