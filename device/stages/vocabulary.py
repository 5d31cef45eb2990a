"""The catalogue's vocabulary as decoder hints (faster-whisper `hotwords`), for measuring.

Whisper can be biased toward words by putting them in its prompt (before the window's own
text). The words here come from the factor catalogue only: every word of every cue of the
factors that apply to the case type, ranked by how many factors' cues use it (the words that
show most factors first), stems and exact-form markers dropped, as many as fit in a token
budget. Nothing here knows how the recogniser mishears anything.

Decoder biasing is off by default: measured on whole meetings it did not help (docs/device.md,
"Decoder biasing"); `bench.meetings --bias cues|examples` measures it.
"""

from __future__ import annotations

import re
from collections import Counter

from risk_factors.schema import Catalogue

MIN_LETTERS = 4
"""Shorter cue words are mostly function words ("har", "inte", "och")."""

_FUNCTION_WORDS = """
    inte ingen inget inga något någon några till från efter innan sedan utan under över
    henne honom hans hennes deras mitt min mina sin sina sitt själv själva hela alla andra
    varje alltid aldrig ofta bara också redan längre mycket mera mest vill kan ska skulle
    måste blev blir varit vara hade haft gjort göra detta dessa där här när som
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
"""Swedish function words: Whisper hears them without help, and they are no topic."""

_SPLIT = re.compile(r"[+|]")


def cue_words(catalogue: Catalogue, case_type: str) -> list[str]:
    """The catalogue's cue words for `case_type`, most factors first, then alphabetically."""
    used: Counter[str] = Counter()
    for factor in catalogue.factors:
        if factor.retired or factor.applies_to not in (case_type, "alla"):
            continue
        words: set[str] = set()
        for cue in factor.cues:
            if cue.case_type not in (None, case_type):
                continue
            for alternative in _SPLIT.split(cue.match):
                for word in alternative.split():
                    word = word.strip("*=").lower()
                    if len(word) >= MIN_LETTERS and word.isalpha() and word not in FUNCTION_WORDS:
                        words.add(word)
        used.update(words)
    return sorted(used, key=lambda w: (-used[w], w))


def hotwords(catalogue: Catalogue, case_type: str, max_words: int = 40) -> str:
    """The first `max_words` cue words for `case_type`, space-separated (faster-whisper keeps
    at most 223 tokens of hotwords; 40 Swedish words are about 100)."""
    return " ".join(cue_words(catalogue, case_type)[:max_words])


def example_sentences(catalogue: Catalogue, case_type: str, max_chars: int = 500) -> str:
    """The first positive example sentence of each factor for `case_type`, in catalogue
    order, as long as they fit in `max_chars` (natural, punctuated text as a prompt)."""
    out: list[str] = []
    used = 0
    for factor in catalogue.factors:
        if factor.retired or factor.applies_to not in (case_type, "alla"):
            continue
        sentence = factor.examples.positive[0].strip()
        if used + len(sentence) + 1 > max_chars:
            break
        out.append(sentence)
        used += len(sentence) + 1
    return " ".join(out)
