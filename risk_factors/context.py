"""What a cue's surroundings say: asked as a question, negated, or past and resolved.

Swedish puts the negation after the finite verb in main clauses ("pappa dricker inte",
"det har inte förekommit något våld") and before it in subordinate ones ("att han inte
dricker"). So a negation word negates a cue when it stands in the same clause (commas and
"men"/"utan" split clauses) before the cue's words, between them, or right after them.
"""

from __future__ import annotations

from typing import Literal

from rapidfuzz.distance import Levenshtein

from risk_factors.text import Sentence

Status = Literal["present", "negated", "resolved", "uncertain"]

NEGATORS = frozenset({"inte", "ej", "icke", "aldrig", "ingen", "inget", "inga", "varken"})
# A negator followed by these does not negate ("inte bara", "inte minst").
_NOT_NEGATING_AFTER = frozenset({"bara", "minst", "sällan", "ovanligt", "konstigt", "alltid"})
# ... nor one preceded by these ("jag vet inte om ...").
_NOT_NEGATING_BEFORE = frozenset({"vet", "vete", "förstår", "minns", "kommer"})
_RESOLVED_WORDS = frozenset(
    {"slutat", "slutade", "upphört", "upphörde", "förr", "förut", "brukade", "förrut"}
)
_RESOLVED_AFTER_NEGATOR = frozenset({"längre", "mer", "numera"})
AFTER_REACH = 2
# "... men nu ..." after a cue: what came before is over ("skolkade förut men nu går han").
_NOW_WORDS = frozenset({"nu", "numera", "idag"})
# Words that make what follows uncertain rather than stated: "jag vet inte om han har vapen".
_UNCERTAIN = (
    ("vet", "inte", "om"),
    ("vet", "inte", "ifall"),
    ("osäker", "på", "om"),
    ("undrar", "om"),
    ("tveksam", "om"),
    ("inte", "säker", "på", "om"),
)

QUESTION_WORDS = frozenset(
    {"hur", "vad", "varför", "vem", "vilka", "vilken", "vilket", "när", "var"}
)
# A sentence that starts with one of these verbs followed by a subject is a yes/no question.
QUESTION_VERBS = frozenset(
    [
        "har",
        "hade",
        "är",
        "var",
        "kan",
        "brukar",
        "finns",
        "fanns",
        "får",
        "fick",
        "blir",
        "blev",
        "går",
        "gick",
        "tar",
        "tog",
        "dricker",
        "drack",
        "använder",
        "röker",
        "slår",
        "slog",
        "känner",
        "mår",
        "vill",
        "ska",
        "skulle",
        "kommer",
        "gör",
        "gjorde",
        "hotar",
        "hotade",
        "bor",
        "jobbar",
        "arbetar",
        "sover",
        "äter",
        "träffar",
        "umgås",
        "skolkar",
        "stjäl",
        "bråkar",
        "tycker",
        "tror",
        "vet",
    ]
)
_SUBJECTS = frozenset(
    [
        "du",
        "ni",
        "han",
        "hon",
        "de",
        "dom",
        "det",
        "någon",
        "pappa",
        "mamma",
        "barnen",
        "barnet",
        "ditt",
        "din",
        "dina",
        "hans",
        "hennes",
        "er",
        "era",
        "föräldrarna",
        "pojken",
        "flickan",
        "sonen",
        "dottern",
        "man",
    ]
)
_WH_FOLLOWERS = frozenset(["ofta", "mycket", "länge", "många", "gammal", "dags"]) | QUESTION_VERBS
# Whisper often mishears the verb that opens a yes/no question ("Har det förekommit något
# våld?" comes out as "Han det förekommit något våld."). A first word one edit away from one of
# these openers, followed by a subject pronoun, is not Swedish statement word order: a question.
_QUESTION_OPENERS = frozenset(["har", "hade", "kan", "finns", "fanns"])
_PRONOUN_SUBJECTS = frozenset(["det", "du", "ni", "han", "hon", "de", "dom", "någon", "man"])
# A caseworker's request to tell ("Berätta hur det har varit hemma", "Kan du beskriva …") asks
# for information exactly like a question does: it is never a finding.
_REQUEST_VERBS = frozenset(["berätta", "beskriv", "förklara", "tänk"])
_REQUEST_OPENERS = frozenset(["kan", "kunde", "skulle", "vill"])


def _misheard_opener(first: str, second: str) -> bool:
    if first in QUESTION_VERBS or first == second or second not in _PRONOUN_SUBJECTS:
        return False
    return any(Levenshtein.distance(first, verb) == 1 for verb in _QUESTION_OPENERS)


def is_question(sentence: Sentence) -> bool:
    """True when the sentence asks rather than states: a question mark, question word order, or
    a request to tell ("Berätta om …")."""
    if sentence.is_question_mark:
        return True
    words = [t.lower for t in sentence.tokens]
    # Skip a leading "och", "men", "så" the way people start follow-up questions.
    while words and words[0] in {"och", "men", "så", "eh", "öh", "okej"}:
        words = words[1:]
    if words and words[0] in _REQUEST_VERBS:
        return True
    if len(words) < 2:
        return False
    if (
        words[0] in _REQUEST_OPENERS
        and words[1] in {"du", "ni"}
        and _REQUEST_VERBS & set(words[2:4])
    ):
        return True
    if _misheard_opener(words[0], words[1]):
        return True
    if words[0] in QUESTION_VERBS and words[1] in _SUBJECTS:
        return True
    return words[0] in QUESTION_WORDS and words[1] in _WH_FOLLOWERS


def status(sentence: Sentence, used: tuple[int, ...], past_counts: bool) -> Status:
    """Whether the cue on token indices `used` is stated as present, negated, or over."""
    tokens = sentence.tokens
    clauses = {sentence.clause_of[i] for i in used}
    last = used[-1]
    if _uncertain(sentence, used[0]):
        return "uncertain"
    if not past_counts and _contrasted_with_now(sentence, last):
        return "resolved"
    negated = False
    for i, token in enumerate(tokens):
        if i in used or sentence.clause_of[i] not in clauses:
            continue
        if not past_counts and token.lower in _RESOLVED_WORDS:
            return "resolved"
        if token.lower not in NEGATORS:
            continue
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        prev = tokens[i - 1].lower if i > 0 else ""
        if nxt in _NOT_NEGATING_AFTER or prev in _NOT_NEGATING_BEFORE:
            continue
        if i < last or i - last <= AFTER_REACH:
            if not past_counts and nxt in _RESOLVED_AFTER_NEGATOR:
                return "resolved"
            negated = True
    return "negated" if negated else "present"


def _uncertain(sentence: Sentence, first: int) -> bool:
    words = [t.lower for t in sentence.tokens[:first]]
    return any(
        words[i : i + len(pattern)] == list(pattern)
        for pattern in _UNCERTAIN
        for i in range(len(words) - len(pattern) + 1)
    )


def _contrasted_with_now(sentence: Sentence, last: int) -> bool:
    tokens = sentence.tokens
    return any(
        tokens[i].lower == "men" and tokens[i + 1].lower in _NOW_WORDS
        for i in range(last + 1, len(tokens) - 1)
    )
