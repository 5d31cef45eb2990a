"""What the tagger needs to read a meeting as a conversation rather than as loose sentences.

A meeting reaches the tagger as utterances (transcript segments): text with times and,
optionally,

* ``speaker``: who said it. A caseworker's words (`CASEWORKER_SPEAKERS`) are never a
  finding about the client; they can be the question a client's answer refers to. Any other
  value, or none, is read as possibly the client (segments carry no speaker until speaker
  attribution fills it in).
* ``words``: the recogniser's words with their probabilities (faster-whisper's
  ``word_timestamps``), ``[{"word", "start", "end", "probability"}, ...]``. They say where the
  recogniser itself was unsure: only there may a cue word be matched by its likeness to a
  heard word, and an utterance the recogniser could barely read gives no finding at all.

The question before an answer is read with it: "Har Noah blivit utsatt för våld?" / "Nej."
notes violence as asked about and denied, "... ?" / "Ja, ibland." as found
(`answer_polarity`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fredag.errors import UsageError
from risk_factors.text import Sentence

CASEWORKER_SPEAKERS = frozenset({"handläggare", "handlaggare", "caseworker", "h"})
"""Speaker values that mean the caseworker (compared in lower case)."""

Polarity = Literal["yes", "no", "resolved"]

_NO = frozenset({"nej", "nä", "nää", "nejdå", "nix", "aldrig", "icke"})
_YES = frozenset(
    {"ja", "jo", "japp", "jadå", "javisst", "jajamen", "absolut", "visst", "ibland", "ofta"}
)
# "Nej, jag vet inte" / "Ja, kanske": the answer hedges; it neither affirms nor denies.
_HEDGES = frozenset({"vet", "tror", "kanske", "möjligen", "eventuellt", "osäker", "minns"})
_OVER = frozenset({"längre", "slutat", "slutade", "förut", "förr", "numera"})
_NEGATORS = frozenset({"inte", "ej", "aldrig", "ingen", "inget", "inga"})
HEDGE_REACH = 4
"""How many words after the yes or no a hedge still takes the answer back."""


@dataclass(frozen=True, slots=True)
class HeardWord:
    """One word as the recogniser heard it, with its probability (0..1)."""

    word: str
    probability: float
    start: float | None = None
    end: float | None = None
    """When the word was heard (seconds), if the recogniser said (``word_timestamps``)."""


@dataclass(frozen=True, slots=True)
class Utterance:
    start: float
    end: float
    text: str
    speaker: str | None = None
    words: tuple[HeardWord, ...] | None = None

    @property
    def by_caseworker(self) -> bool:
        return self.speaker is not None and self.speaker.strip().lower() in CASEWORKER_SPEAKERS


def _getter(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return obj.get
    return lambda key, default=None: getattr(obj, key, default)


def utterance(seg: Any) -> Utterance:
    """An `Utterance` from a segment object or dict (start, end, text; speaker and words
    optional)."""
    get = _getter(seg)
    try:
        start, end, text = float(get("start")), float(get("end")), str(get("text"))
    except (TypeError, ValueError) as exc:
        raise UsageError(f"a segment needs start, end and text: {seg!r}") from exc
    if get("text") is None:
        raise UsageError(f"a segment needs start, end and text: {seg!r}")
    speaker = get("speaker", None)
    raw_words = get("words", None)
    words: tuple[HeardWord, ...] | None = None
    if raw_words is not None:
        words = tuple(_heard_word(w) for w in raw_words)
    return Utterance(start, end, text, None if speaker is None else str(speaker), words)


def _heard_word(raw: Any) -> HeardWord:
    get = _getter(raw)
    try:
        start, end = get("start", None), get("end", None)
        return HeardWord(
            str(get("word")),
            min(1.0, max(0.0, float(get("probability")))),
            None if start is None else float(start),
            None if end is None else float(end),
        )
    except (TypeError, ValueError) as exc:
        raise UsageError(f"a heard word needs word and probability: {raw!r}") from exc


def _aligned(text: str, words: Sequence[HeardWord]) -> Iterator[tuple[int, int, HeardWord]]:
    """The heard words found in order in `text` (case-insensitively): each word's start and
    end in the text, with the word; a word not found there is passed over."""
    pos = 0
    lowered = text.lower()
    for w in words:
        needle = w.word.strip().lower()
        if not needle:
            continue
        at = lowered.find(needle, pos)
        if at < 0:
            continue
        pos = at + len(needle)
        yield at, pos, w


def word_probabilities(text: str, offset: int, words: Sequence[HeardWord]) -> dict[int, float]:
    """For each character position of `text` (plus `offset`) that a heard word covers, that
    word's probability: the recogniser's words are found in order in the segment's text."""
    out: dict[int, float] = {}
    for at, end, w in _aligned(text, words):
        for i in range(at, end):
            out[offset + i] = w.probability
    return out


def word_pauses(
    text: str, offset: int, words: Sequence[HeardWord], before: float | None
) -> tuple[dict[int, float], float | None]:
    """For each heard word with times, found in order in the segment's text (plus `offset`),
    the silence before it in seconds (from the end of the word before, `before` for the
    segment's first); and the end of the segment's last timed word."""
    out: dict[int, float] = {}
    last = before
    for at, _end, w in _aligned(text, words):
        if w.start is None or w.end is None:
            continue
        if last is not None:
            out[offset + at] = max(0.0, w.start - last)
        last = w.end
    return out, last


def answer_polarity(sentence: Sentence) -> Polarity | None:
    """Whether a sentence that answers a yes/no question says yes, no, or that it is over
    ("Nej, inte längre"); None when it does not open with a clear yes or no, or hedges."""
    words = [t.lower for t in sentence.tokens]
    if not words:
        return None
    first, rest = words[0], words[1 : 1 + HEDGE_REACH]
    if first not in _NO and first not in _YES:
        return None
    if _HEDGES & set(rest):
        return None
    if _OVER & set(words[1:]):
        return "resolved"
    if first in _NO:
        return "no"
    if _NEGATORS & set(rest):
        return None  # "Ja, men inte ..." takes the yes back
    return "yes"


__all__ = [
    "CASEWORKER_SPEAKERS",
    "HeardWord",
    "Polarity",
    "Utterance",
    "answer_polarity",
    "utterance",
    "word_pauses",
    "word_probabilities",
]
