"""Conversations typed as segments for the tagger tests: one sentence or turn a segment, two
seconds apart."""

from __future__ import annotations

from typing import Any

from risk_factors.tagger import Tagger


def typed_segments(*texts: str) -> list[dict[str, Any]]:
    """One segment per text, in order, as `fredag transcribe --json` gives them."""
    return [
        {"start": float(2 * i), "end": float(2 * i + 1.5), "text": text}
        for i, text in enumerate(texts)
    ]


def factors_found(tagger: Tagger, case_type: str, *texts: str) -> set[str]:
    """The factor slugs `tagger` finds in the conversation `texts`."""
    return tagger.tag_segments(typed_segments(*texts), case_type).factors()
