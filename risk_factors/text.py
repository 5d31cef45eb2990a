"""Swedish text handling for the tagger: tokens with character spans, sentences, normal forms.

Normal form of a word = the Snowball Swedish stem of its simplemma lemma, so "drack",
"druckit" and "dricker" all become "drick" and "våldet" becomes "våld". A derivational ending
the stemmer cuts (its last step: -ig, -lig, -els) stays, so "jobbigt" is "jobbig", not
"jobbar"'s "jobb". Both libraries are real linguistic resources from PyPI; the only endings
named here are those three of Snowball's own, kept, not cut. Results are cached
per distinct word, which is what keeps tagging fast on long transcripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma
import snowballstemmer

_WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)
# A sentence ends at . ! ? (kept with the sentence) or a line break.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”)]*(?=\s|$)|\n+")
_STEMMER = snowballstemmer.stemmer("swedish")
# The endings the Snowball Swedish stemmer deletes in its last step that derive a new word
# (an adjective of a noun or verb, a noun of a verb), not inflect one ("-fullt"/"-löst" are
# neuter forms: those it keeps cutting). "lig" before "ig": the longer ending first.
_DERIVATIONAL_ENDINGS = ("lig", "ig", "els")
MAX_SENTENCE_TOKENS = 60
SOFT_SENTENCE_TOKENS = 30


@dataclass(frozen=True, slots=True)
class Token:
    """One word: its lower-case surface form, normal form and span in the input text."""

    lower: str
    norm: str
    start: int
    end: int
    piece: bool = False
    """True for a piece of a heard word that the recogniser ran together from two
    (`risk_factors.cues.Matcher.split_merged`): at best strongly alike, never exact."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence's span in the input text, its tokens and where its clauses begin."""

    start: int
    end: int
    tokens: tuple[Token, ...]
    clause_of: tuple[int, ...]
    """For each token, the index of the clause it belongs to (commas, "men", "utan" split)."""
    is_question_mark: bool


_CLAUSE_WORDS = frozenset(
    {"men", "utan", "fast", "medan", "fastän", "annars", "eftersom", "därför", "så"}
)
_CLAUSE_PUNCT = re.compile(r"[,;:–—]|\s-\s")


# Closed-class words keep their own form. The auxiliary "ska"/"skall"/"skulle" is lemmatized
# as the verb "skola", whose stem is the noun's ("skolan": "Han ska vara borta i helgen" would
# be absence from school), and a pronoun's case is who does what to whom: "honom" is not "han"
# ("Han slår sina klasskamrater när han blir arg" is not "han slår honom"), "min" not "jag".
_AUXILIARIES = frozenset(
    {"ska", "skall", "skulle"}
    | {"honom", "henne", "mig", "dig", "oss", "dem", "hans", "hennes", "deras"}
    | {"min", "mitt", "mina", "din", "ditt", "dina", "vår", "vårt", "våra", "er", "ert", "era"}
    | {"sin", "sitt", "sina"}
)


@lru_cache(maxsize=200_000)
def normalize(word: str) -> str:
    """The normal form of one lower-case word (Snowball stem of the simplemma lemma)."""
    if word in _AUXILIARIES:
        return word
    lemma = simplemma.lemmatize(word, lang="sv").lower()
    if not lemma.isalpha() and "-" not in lemma:
        lemma = word
    stem: str = _STEMMER.stemWord(lemma)
    if not stem:
        return word
    # Snowball also takes off the derivational endings -ig, -lig and -els, which make another
    # word: "jobbig" (hard) would be "jobb" like "jobbar" (works), "hemlig" (secret) "hem"
    # like "hemmet", "betydelse" "betyd" like "betyder". The normal form keeps such an ending
    # (the stemmer cuts only from the end, so the lemma begins with the stem and what it cut).
    for ending in _DERIVATIONAL_ENDINGS:
        if lemma.startswith(stem + ending):
            return stem + ending
    return stem


# Swedish comparatives and superlatives not formed by -are/-ast on the positive (a closed class
# of grammar, not a list of heard words).
_IRREGULAR_GRADES = {
    "komparativ": frozenset(
        {"bättre", "sämre", "värre", "större", "mindre", "äldre", "yngre", "längre", "högre"}
        | {"lägre", "grövre", "tyngre", "trängre", "mer", "mera", "fler", "färre"}
        | {"hellre", "förre"}
    ),
    "superlativ": frozenset(
        {"bäst", "sämst", "värst", "störst", "minst", "äldst", "yngst", "längst", "högst"}
        | {"lägst", "grövst", "tyngst", "mest", "flest", "färst", "helst"}
    ),
}
_REGULAR_GRADES = (("komparativ", "are"), ("superlativ", "ast"))


@lru_cache(maxsize=200_000)
def grade(word: str) -> str:
    """The degree of comparison of one lower-case word: "komparativ" ("oftare", "värre"),
    "superlativ" ("oftast", "värst"), or "" for every other word. A comparative and its
    positive share one normal form ("oftare" and "ofta" are both "oft"); a cue word written in
    a degree is matched only by words of that degree (`risk_factors.cues`): "slår oftare" says
    more than "slog mig ofta"."""
    for degree, words in _IRREGULAR_GRADES.items():
        if word in words:
            return degree
    for degree, ending in _REGULAR_GRADES:
        if not word.endswith(ending) or len(word) <= len(ending) + 1:
            continue
        lemma = simplemma.lemmatize(word, lang="sv").lower()
        if lemma == word:
            continue
        # The positive as is ("hård"), without its last vowel ("ofta"), with the last
        # consonant doubled ("våldsam": "våldsammare") or without its e ("enkel": "enklare").
        body = word[: -len(ending)]
        if body in (lemma, lemma[:-1], lemma + lemma[-1:]) or (
            lemma[-2:-1] == "e" and body == lemma[:-2] + lemma[-1]
        ):
            return degree
    return ""


@lru_cache(maxsize=200_000)
def is_swedish_word(word: str) -> bool:
    """True when simplemma's Swedish dictionary knows the lower-case word (or its parts joined
    by '-'); numbers count as words."""
    return word.isdigit() or all(
        simplemma.is_known(part, lang="sv") for part in word.split("-") if part
    )


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of `text[start:end]` with spans relative to the whole `text`."""
    stop = len(text) if end is None else end
    return [
        Token(m.group(0).lower(), normalize(m.group(0).lower()), m.start(), m.end())
        for m in _WORD.finditer(text, start, stop)
    ]


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` with their tokens; clause indices mark the scope of negation."""
    sentences: list[Sentence] = []
    pos = 0
    bounds: list[tuple[int, int, bool]] = []
    for m in _SENTENCE_END.finditer(text):
        bounds.append((pos, m.end(), "?" in m.group(0)))
        pos = m.end()
    if pos < len(text):
        bounds.append((pos, len(text), False))
    for s_start, s_end, question in bounds:
        tokens = tokenize(text, s_start, s_end)
        chunks = _chunks(text, tokens)
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            sentences.append(
                Sentence(
                    chunk[0].start,
                    s_end if last else chunk[-1].end,
                    tuple(chunk),
                    _clauses(text, chunk),
                    question and last,
                )
            )
    return sentences


def _chunks(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Split a run-on "sentence" (ASR text without full stops) into pieces of at most
    MAX_SENTENCE_TOKENS words, preferring to cut where a clause ends."""
    if len(tokens) <= MAX_SENTENCE_TOKENS:
        return [tokens] if tokens else []
    out: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        at_boundary = bool(current) and (
            token.lower in _CLAUSE_WORDS
            or token.lower == "och"
            or _CLAUSE_PUNCT.search(text, current[-1].end, token.start) is not None
        )
        if len(current) >= MAX_SENTENCE_TOKENS or (
            len(current) >= SOFT_SENTENCE_TOKENS and at_boundary
        ):
            out.append(current)
            current = []
        current.append(token)
    if current:
        out.append(current)
    return out


def _clauses(text: str, tokens: list[Token]) -> tuple[int, ...]:
    clause = 0
    out: list[int] = []
    prev_end = tokens[0].start
    for token in tokens:
        if _CLAUSE_PUNCT.search(text, prev_end, token.start) or token.lower in _CLAUSE_WORDS:
            clause += 1
        out.append(clause)
        prev_end = token.end
    return tuple(out)
