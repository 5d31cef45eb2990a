"""Conversations typed as segments for the tagger tests: one sentence or turn a segment, two
seconds apart."""

from __future__ import annotations

from typing import Any

from risk_factors.tagger import Tagger, TagResult


def typed_segments(*texts: str) -> list[dict[str, Any]]:
    """One segment per text, in order, as `fredag transcribe --json` gives them."""
    return [
        {"start": float(2 * i), "end": float(2 * i + 1.5), "text": text}
        for i, text in enumerate(texts)
    ]


def heard_segments(
    *texts: str, p: float = 0.95, unsure: dict[str, float] | None = None
) -> list[dict[str, Any]]:
    """Segments as the recogniser gives them, each with its words: every word at probability
    `p`, except the words in `unsure` (lower case, without punctuation), heard at the
    probability given there."""
    unsure = unsure or {}
    return [
        {
            "start": float(2 * i),
            "end": float(2 * i + 1.5),
            "text": text,
            "words": [
                {"word": w, "probability": unsure.get(w.strip(".,?!").lower(), p)}
                for w in text.split()
            ],
        }
        for i, text in enumerate(texts)
    ]


def factors_found(tagger: Tagger, case_type: str, *texts: str) -> set[str]:
    """The factor slugs `tagger` finds in the conversation `texts`."""
    return tagger.tag_segments(typed_segments(*texts), case_type).factors()


def denied(result: TagResult) -> set[str]:
    """The factor slugs of every denial in `result`, sure or uncertain."""
    return {d.factor for d in result.denied}


def uncertain(result: TagResult) -> set[str]:
    """The factor slugs denied only as uncertain in `result`."""
    return {d.factor for d in result.denied if d.reason == "uncertain"}
