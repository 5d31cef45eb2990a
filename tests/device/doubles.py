"""Test doubles for the device's seams."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from device.stages.tagging import Tagging
from fredag.protocol import CaseType, Segment


class NullTagger:
    """A tagger that finds nothing: for tests about everything but the factors."""

    def tag_segments(self, segments: Sequence[Segment], case_type: CaseType) -> Tagging:
        return Tagging((), (), "ingen-katalog", hashlib.sha256(b"").hexdigest())
