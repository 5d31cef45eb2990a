"""What a cue's surroundings say: asked as a question, negated, or past and resolved.

Swedish puts the negation after the finite verb in main clauses ("pappa dricker inte",
"det har inte förekommit något våld") and before it in subordinate ones ("att han inte
dricker"). So a negation word negates a cue when it stands in the same clause (commas and
"men"/"utan" split clauses) before the cue's words, between them, or right after them.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Literal

from rapidfuzz.distance import Levenshtein

from risk_factors.cues import phonetic_key
from risk_factors.text import Sentence, Token, is_swedish_word

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
_INTE_KEY = phonetic_key("inte")
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
    if words[0] in QUESTION_VERBS and _subject_heard(words[1]):
        return True
    if words[0] in {"har", "hade"} and len(words) > 2 and words[2] in _SUPINES:
        # "Har markus varit dömd …" (a name the recogniser wrote small): auxiliary, subject,
        # supine is question word order; a statement never opens with the auxiliary.
        return words[1] not in _ADVERBS
    if words[0] in _QUESTION_OPENERS and len(words) > 2 and not is_swedish_word(words[1]):
        return True  # a name no dictionary knows as the subject
    if words[0] in _QUESTION_OPENERS and len(words) > 2 and _short_pronoun_alike(words[1]):
        return True  # "Har dit förekommit …": "det" heard one letter off

    return words[0] in QUESTION_WORDS and words[1] in _WH_FOLLOWERS


def _short_pronoun_alike(word: str) -> bool:
    """A three-letter word one letter from the subject "det", "han", "hon" or "dom" ("dit",
    "hun"): after "Har", "Kan", "Finns" … it stands where only a subject can, so the sentence
    asks, whatever the recogniser wrote."""
    return len(word) == 3 and any(
        Levenshtein.distance(word, s) == 1 for s in ("det", "han", "hon", "dom")
    )


_SUPINES = frozenset(
    {"varit", "blivit", "haft", "fått", "gjort", "druckit", "använt", "slagit", "hotat"}
    | {"suttit", "tagit", "provat", "testat", "rökt", "skadat", "försökt", "pratat"}
)
_ADVERBS = frozenset({"alltid", "aldrig", "inte", "ju", "nog", "redan", "också", "bara", "just"})


def _subject_heard(word: str) -> bool:
    """A subject, or a pronoun of three letters or more misheard by one letter ("nogon")."""
    if word in _SUBJECTS:
        return True
    return len(word) >= 4 and any(
        Levenshtein.distance(word, s) == 1
        for s in _PRONOUN_SUBJECTS | {"någon", "barnen"}
        if len(s) >= 4
    )


def status(
    sentence: Sentence, used: tuple[int, ...], past_counts: bool, protective: bool = False
) -> Status:
    """Whether the cue on token indices `used` is stated as present, negated, or over; or
    "uncertain": hedged ("jag vet inte om …"), or beside a non-word that may be a misheard
    negation ("pengarna räcker intät"), which gives no finding. `protective`: the cue is a
    protective factor's, whose own word of completion is the resource it states ("skulden
    är avbetald" is a stable economy, `_completed`)."""
    tokens = sentence.tokens
    clauses = {sentence.clause_of[i] for i in used}
    last = used[-1]
    if _uncertain(sentence, used[0]):
        return "uncertain"
    for i in used:
        if _negator(tokens[i].lower) and any(_new_subject_between(tokens, i, k) for k in used):
            # A negation the cue needs ("inte … längre") negates nothing in another main
            # clause: "Vi bråkar och han lyssnar inte längre" says nothing of not smoking.
            return "uncertain"
    if not past_counts and _contrasted_with_now(sentence, last):
        return "resolved"
    if not past_counts and _completed(sentence, used, own_word_ends=not protective):
        return "resolved"
    own_negation = any(_negator(tokens[i].lower) for i in used)
    negated = maybe_negated = False
    for i, token in enumerate(tokens):
        if i in used or sentence.clause_of[i] not in clauses:
            continue
        negator = _negator(token.lower)
        if negator and (
            _coordinated_apart(tokens, i, used)
            # "inget jobb och ingen inkomst": each negation is of its own noun
            or (own_negation and _own_phrase_negator(tokens, i, used))
            # "Skulden är inte betald": the debt is not over, it is there
            or _negates_completion(tokens, i)
        ):
            continue
        if i > last and any(tokens[k].lower == "som" for k in range(last + 1, i)):
            continue  # a relative clause: "bra kompisar som inte håller på med något"
        if not past_counts and token.lower in _RESOLVED_WORDS:
            if i > 0 and tokens[i - 1].lower == "än":
                continue  # a comparison is no past: "Vi bråkar mer än förut"
            return "resolved"
        if not negator:
            if (
                _maybe_negator(token.lower)
                or (merged_negation(token.lower) and not _coordinated_apart(tokens, i, used))
            ) and (i < last or i - last <= AFTER_REACH):
                maybe_negated = True
            if not past_counts and _maybe_past(token.lower):
                maybe_negated = True
            continue
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        prev = tokens[i - 1].lower if i > 0 else ""
        if nxt in _NOT_NEGATING_AFTER or prev in _NOT_NEGATING_BEFORE:
            continue
        if i < last or i - last <= AFTER_REACH or _fronted(sentence, used, i):
            if not past_counts and nxt in _RESOLVED_AFTER_NEGATOR:
                return "resolved"
            negated = True
    if negated:
        return "negated"
    return "uncertain" if maybe_negated else "present"


# A subject pronoun right after the finite verb: the word order of a main clause whose first
# place holds something else ("Tabletter tar du inte", "Alkohol dricker jag aldrig").
_INVERTED_SUBJECTS = frozenset({"jag", "du", "han", "hon", "vi", "ni", "de", "dom", "man", "hen"})
_FRONTED_MAX = 5
"""The most words before the finite verb that `_fronted` reads as the clause's first place."""


def _fronted(sentence: Sentence, used: tuple[int, ...], i: int) -> bool:
    """True when the negation at `i` stands in a main clause's adverb place, after the finite
    verb and an inverted subject pronoun, and the cue is the clause's first place, before the
    verb, one of the common finite verbs of `QUESTION_VERBS` ("Tabletter utöver recept tar du
    inte", "Alkohol dricker du inte, sa du"): Swedish fronts what the clause is about, and the
    negation after the verb negates the whole clause.
    Not when the first place is a subordinate clause or holds a subject of its own ("När
    pappa dricker vågar jag inte gå hem" says nothing against the drinking)."""
    tokens = sentence.tokens
    clause = sentence.clause_of[i]
    start = sentence.clause_of.index(clause)
    verb = i - 2
    if verb <= used[-1] or tokens[i - 1].lower not in _INVERTED_SUBJECTS:
        return False
    if tokens[verb].lower not in QUESTION_VERBS:
        return False  # "Pappa slår honom när han inte lyder": no finite verb before "han"
    if used[0] < start or verb - start > _FRONTED_MAX:
        return False
    first = [t.lower for t in tokens[start:verb]]
    return not (set(first) & (_INVERTED_SUBJECTS | _SUBORDINATORS | {"och", "men", "så", "eller"}))


# Words that say something is paid, served or finished: "Skulden är avbetald", "Domen är
# avtjänad sedan länge", "Jag har betalat av skulderna", "Behandlingen är avslutad".
_COMPLETION = frozenset(
    {"betald", "betalda", "betalt", "betalat", "avbetald", "avbetalda", "avbetalt", "avbetalat"}
    | {"avtjänad", "avtjänat", "avslutad", "avslutat", "avslutade", "återbetald", "återbetalda"}
    | {"återbetalt", "återbetalat"}
)
_COMPLETION_REACH = 4
"""How many words from the cue a completion word (`_COMPLETION`) still speaks of it."""


def _completed(sentence: Sentence, used: tuple[int, ...], own_word_ends: bool = True) -> bool:
    """True when the cue is told as paid, served or finished in its own clause: a completion
    word of `_COMPLETION` near the cue (or, when `own_word_ends`, the cue's own word, "Den är
    avtjänad") that no negation takes back ("Skulden är inte betald" is still a debt), and not
    "betalat av på" (paying towards it). A protective factor's cue that names a completion
    states the resource ("räkningarna är betalda", "huset är betalt"): its own word ends
    nothing."""
    tokens = sentence.tokens
    words = [t.lower for t in tokens]
    clauses = {sentence.clause_of[i] for i in used}
    lo, hi = used[0] - _COMPLETION_REACH, used[-1] + _COMPLETION_REACH
    for k in range(max(0, lo), min(len(words), hi + 1)):
        if words[k] not in _COMPLETION or sentence.clause_of[k] not in clauses:
            continue
        if k in used and (
            not own_word_ends or k == 0 or words[k - 1] not in {"är", "var", "blev", "blivit"}
        ):
            continue  # the cue's own word only as "är avtjänad": "har avtjänat" is a history
        if words[k + 1 : k + 3] == ["av", "på"]:
            continue
        if any(_negator(w) for w in words[max(0, k - 2) : k]):
            continue
        return True
    return False


def _negates_completion(tokens: tuple[Token, ...], i: int) -> bool:
    """True when the negation at `i` negates a completion word right after it ("inte
    betald", "inte betalat", "aldrig avbetald"), not the cue."""
    return any(t.lower in _COMPLETION for t in tokens[i + 1 : i + 3])


def _own_phrase_negator(tokens: tuple[Token, ...], i: int, used: tuple[int, ...]) -> bool:
    """For a cue that holds its own negation ("ingen inkomst", "inte haft något jobb"): True
    when the negation at `i` belongs to another phrase, a determiner of its own noun
    ("inget jobb och ingen inkomst") or set apart by "och"/"eller"."""
    if tokens[i].lower in {"ingen", "inget", "inga"}:
        return True
    lo, hi = (i, used[0]) if i < used[0] else (used[-1], i)
    return any(tokens[k].lower in {"och", "eller", "utan"} for k in range(lo + 1, hi))


# "och" before a subject or a finite verb begins a new main clause ("Han kan inte sitta still
# och har svårt att koncentrera sig", "Det finns ingen mat och han har smutsiga kläder"): a
# negation in one conjunct does not reach into the other.
_CONJUNCT_OPENERS = frozenset(
    {"jag", "du", "han", "hon", "vi", "ni", "de", "dom", "det", "man", "hen"}
    | {"har", "hade", "är", "var", "kan", "kunde", "får", "fick", "vill", "ska", "blir", "blev"}
    | {"går", "gick", "gör", "gjorde", "säger", "sa", "tar", "tog"}
)


def _new_subject_between(tokens: tuple[Token, ...], i: int, k: int) -> bool:
    """True when "och" + a subject pronoun (a new main clause with its own subject) stands
    between tokens `i` and `k`."""
    lo, hi = min(i, k), max(i, k)
    return any(
        tokens[j].lower == "och" and tokens[j + 1].lower in _CONDITION_SUBJECTS
        for j in range(lo + 1, hi)
    )


def _coordinated_apart(tokens: tuple[Token, ...], i: int, used: tuple[int, ...]) -> bool:
    """True when "och" + a subject or finite verb stands between token `i` and the cue."""
    lo, hi = (i, used[0]) if i < used[0] else (used[-1], i)
    return any(
        tokens[k].lower == "och" and tokens[k + 1].lower in _CONJUNCT_OPENERS
        for k in range(lo + 1, hi)
        if k + 1 < len(tokens)
    )


def _negator(word: str) -> bool:
    """A negation word, or a non-word that sounds like "inte" ("intä" as the recogniser
    writes it): when unsure, a misheard negation still negates, which says less."""
    if word in NEGATORS:
        return True
    return len(word) == 4 and not is_swedish_word(word) and phonetic_key(word) == _INTE_KEY


def _one_sound_off(key: str, other: str) -> bool:
    """Two sound keys (`phonetic_key`) with the same first sound and at most one sound apart."""
    return key[:1] == other[:1] and Levenshtein.distance(key, other) <= 1


_NEGATOR_KEYS = frozenset(phonetic_key(w) for w in ("inte", "aldrig", "ingen", "inget", "inga"))


def _maybe_negator(word: str) -> bool:
    """A non-word one sound from a negation ("intät", "aldri"): the recogniser may have heard
    "inte" or "aldrig" there, so whether the clause states or denies is unknown."""
    if len(word) < 4 or is_swedish_word(word):
        return False
    key = phonetic_key(word)
    return any(_one_sound_off(key, neg) for neg in _NEGATOR_KEYS)


def merged_negation(word: str) -> bool:
    """A non-word whose sounds begin with those of "inte" and go on ("intämt", "intätsovit"):
    the recogniser often runs an unstressed "inte" into the word after it, so whether the
    clause states or denies is unknown. (A word of the language so begun, "interna", is read
    so only when heard unsurely, `sounds_like_negation`.)"""
    if word in NEGATORS:
        return False
    key = phonetic_key(word)
    return len(key) > len(_INTE_KEY) and key.startswith(_INTE_KEY) and not is_swedish_word(word)


def sounds_like_negation(word: str) -> bool:
    """A Swedish word of four letters or more, no negation itself, one sound from one
    ("intet", "inne" for "inte"; "inge" for "inga") or begun with the sounds of "inte"
    ("interna": an "inte" run into the next word, `merged_negation`): when the recogniser was
    unsure of it, a negation may have been said there (`Tagger._state`)."""
    if len(word) < 4 or word in NEGATORS or not is_swedish_word(word):
        return False
    key = phonetic_key(word)
    return key.startswith(_INTE_KEY) or any(_one_sound_off(key, neg) for neg in _NEGATOR_KEYS)


# The words of past and over and of paying off with their sound keys (4+ sounds).
_PAST_KEYS = tuple(
    (w, k)
    for w, k in ((w, phonetic_key(w)) for w in sorted(_RESOLVED_WORDS | _COMPLETION))
    if len(k) >= 4
)


def _maybe_past(word: str) -> bool:
    """A non-word one sound and at most two letters (three in a word of seven or more) from
    a word of past and over or of paying off ("förgut" for "förut", "avbättad" for
    "avbetald"): the recogniser may have heard that the cue is over, so whether it holds now
    is unknown."""
    if len(word) < 5 or is_swedish_word(word):
        return False
    key = phonetic_key(word)
    return any(
        _one_sound_off(key, k) and Levenshtein.distance(word, w) <= (2 if len(w) < 7 else 3)
        for w, k in _PAST_KEYS
    )


def _uncertain(sentence: Sentence, first: int) -> bool:
    words = [t.lower for t in sentence.tokens[:first]]
    return any(
        words[i : i + len(pattern)] == list(pattern)
        for pattern in _UNCERTAIN
        for i in range(len(words) - len(pattern) + 1)
    )


# What a "men" clause after a cue says to make the cue past and over: "…, men jag har varit
# ren i två år nu", "…, men sedan i våras är jag nykter", "…, men det har jag slutat med".
_OVER_WORDS = frozenset(
    {"slutat", "slutade", "ren", "drogfri", "nykter", "spelfri", "upphört", "längre"}
)


def opens_with_now(sentence: Sentence) -> bool:
    """True for a statement that opens by setting now against what was just said ("Men nu
    har vi det bra.", "Men idag går det bättre"): the sentence before it is over, as with
    ", men nu …" inside one sentence."""
    words = [t.lower for t in sentence.tokens]
    return (
        len(words) >= 2
        and words[0] == "men"
        and words[1] in _NOW_WORDS
        and not is_question(sentence)
    )


def _contrasted_with_now(sentence: Sentence, last: int) -> bool:
    """True when a "men" clause after the cue says it is over: "men nu …", or a "men" clause
    with "nu"/"idag" or a word of having stopped or being clean."""
    tokens = sentence.tokens
    for i in range(last + 1, len(tokens) - 1):
        if tokens[i].lower != "men":
            continue
        if tokens[i + 1].lower in _NOW_WORDS:
            return True
        clause = sentence.clause_of[i]
        rest = {
            t.lower
            for t, c in zip(tokens[i + 1 :], sentence.clause_of[i + 1 :], strict=True)
            if c == clause
        }
        if rest & (_OVER_WORDS | _NOW_WORDS) and not rest & NEGATORS:
            return True
        said = [
            t.lower
            for t, c in zip(tokens[i + 1 :], sentence.clause_of[i + 1 :], strict=True)
            if c == clause
        ]
        if _said_of_it(said)[:2] in _LONG_AGO:
            return True  # "…, men det är länge sedan"
    return False


# ---------------------------------------------------------------- not facts: conditionals, wishes
# "om jag lämnar honom", "ifall han kommer tillbaka": a conditional clause states no fact. "om"
# is also a preposition ("prata om det"), so it opens a condition only before a subject.
_CONDITIONALS = frozenset({"om", "ifall", "såvida", "förutsatt"})
_CONDITION_SUBJECTS = frozenset(
    {"jag", "du", "han", "hon", "vi", "ni", "de", "dom", "man", "någon", "barnen", "hen"}
)
# Modal verbs of the unreal: "det skulle bli lättare", "det vore skönt".
_UNREAL = frozenset({"skulle", "vore"})
# What someone wants, plans, considers or fears is not yet a fact ("jag vill börja plugga",
# "jag har funderat på att lämna honom"), in every form of the verb.
_WISHES = frozenset(
    {"vill", "ville", "velat", "önskar", "önskade", "önskat", "hoppas", "hoppades", "hoppats"}
    | {"drömmer", "drömde", "drömt", "planerar", "planerade", "planerat", "planera"}
    | {"funderar", "funderade", "funderat", "fundera", "överväger", "övervägde", "övervägt"}
    | {"överväga"}
)


def hypothetical(sentence: Sentence, used: tuple[int, ...], wish_counts: bool = False) -> bool:
    """True when the cue on `used` is in a condition ("om jag lämnar honom"), in a sentence
    that opens with one ("Om jag inte betalar kan jag bli vräkt"), or in the same clause after
    a wish ("jag vill börja plugga") or the unreal "skulle"/"vore" (unless `wish_counts`: the
    factor is itself about wanting, like motivation for change)."""
    tokens = sentence.tokens
    words = [t.lower for t in tokens]
    first = used[0]
    if (words and words[0] in _CONDITIONALS) or opens_condition(sentence):
        return True  # "Om …", "Och om Kronofogden tar en del av lönen, …"
    for i in range(used[-1]):  # any of the cue's words inside a condition
        if words[i] in _CONDITIONALS and i + 1 < len(words) and _opens_condition(words, i):
            if wish_counts and _wished(words, i):
                continue  # "det vore bättre om jag inte fanns": what is wished, not a condition
            return True
    if wish_counts:
        return False
    clauses = {sentence.clause_of[i] for i in used}
    for i in range(first):
        if sentence.clause_of[i] not in clauses:
            continue
        if (words[i] in _WISHES or words[i] in _UNREAL) and not _coordinated_apart(tokens, i, used):
            return True
    return False


def _wished(words: list[str], i: int) -> bool:
    """The "om" at `i` follows an unreal judgement ("det vore bättre/skönt/lika bra om …",
    "det skulle vara bäst om …"): the clause it opens is what is wished, which a factor about
    wanting (`wish_counts`) reads as said, not a condition of something else."""
    before = words[max(0, i - 3) : i]
    return "vore" in before or ("skulle" in words[max(0, i - 4) : i] and "vara" in before)


def _opens_condition(words: list[str], i: int) -> bool:
    nxt = words[i + 1]
    if words[i] != "om":
        return True
    if nxt not in _CONDITION_SUBJECTS:
        return False
    # "frågade om han", "pratade om hon" are rare; "om han" + a verb is the condition.
    return i == 0 or words[i - 1] not in {"tycker", "bryr", "pratar", "pratade", "frågar"}


# ---------------------------------------------------------------- lost: a protective factor gone
_LOSS = frozenset(
    {
        "förlora",
        "förlorade",
        "förlorat",
        "förlorar",
        "mista",
        "miste",
        "mist",
        "mister",
        "sparkad",
        "sparkades",
        "sparkats",
        "uppsagd",
        "avskedad",
        "tappade",
        "tappat",
    }
)


def lost(sentence: Sentence, used: tuple[int, ...]) -> bool:
    """True when the cue's words are something lost ("sedan jag förlorade jobbet", "blev av
    med lägenheten"): said of a protective factor, it is not there now."""
    words = [t.lower for t in sentence.tokens]
    clauses = {sentence.clause_of[i] for i in used}
    for i in range(used[0]):
        if sentence.clause_of[i] not in clauses:
            continue
        if words[i] in _LOSS:
            return True
        if words[i] == "av" and i >= 1 and words[i - 1] == "blev" and i + 1 < len(words):
            return words[i + 1] == "med"
    return False


# ---------------------------------------------------------------- whose problem it is
# People other than the client a sentence can be about. "Hans mamma dricker" is the mother's
# drinking (parental substance abuse), never the child's own early substance use.
OTHER_PEOPLE = frozenset(
    {
        "mamma",
        "mamman",
        "pappa",
        "pappan",
        "mor",
        "modern",
        "far",
        "fadern",
        "förälder",
        "föräldern",
        "föräldrarna",
        "bror",
        "brodern",
        "brorsan",
        "bröder",
        "syster",
        "systern",
        "syrran",
        "systrar",
        "sambo",
        "sambon",
        "pojkvän",
        "flickvän",
        "fru",
        "frun",
        "exet",
        "exmannen",
        "exfrun",
        "styvpappa",
        "styvpappan",
        "styvmamma",
        "kompis",
        "kompisen",
        "kompisar",
        "kompisarna",
        "kamrater",
        "killar",
        "killarna",
        "tjejer",
        "tjejerna",
        "grannen",
        "grannar",
        "farmor",
        "farfar",
        "mormor",
        "morfar",
        "kusin",
        "kusinen",
    }
    # People from work: "Kollegorna från jobbet har slutat höra av sig" says nothing of the
    # client's own work now.
    | {"kollega", "kollegan", "kollegor", "kollegorna", "arbetskamrat", "arbetskamraten"}
    | {"arbetskamrater", "arbetskamraterna", "gubbar", "gubbarna", "jobbarkompisar"}
    | {"jobbarkompisarna"}
)
_SELF = frozenset({"jag", "mig", "själv", "själva"})
_CLIENT_OBJECTS = frozenset({"mig", "oss"})
"""In an adult's case the client as the object of a cue's own words ("gjort mig illa")."""


def about_someone_else(
    sentence: Sentence,
    used: tuple[int, ...],
    case_type: str,
    others: frozenset[int] = frozenset(),
    conversation: bool = False,
    people: frozenset[str] = OTHER_PEOPLE,
    selves: frozenset[int] = frozenset(),
) -> bool:
    """True when the clause of the cue is about another person than the client: it opens with
    one ("Min bror använder kokain", "Hans mamma dricker") and, in an adult's case, the client
    ("jag") does not come between that person and the cue; or its subject is a word in
    `others` (start offsets of words that refer to someone else: a name, "han" for a father
    named before, see `risk_factors.persons`), as the subject of a statement before or in the
    cue ("Han dricker") or of a question after its verb ("Dricker Marcus?"). In an adult's
    case a yes/no question about "han"/"hon" is about that person; so is a statement in a
    `conversation` (a text where the client is "jag" and "du"): the client never calls
    themself "han". `people`: the words for other persons an opening may name (the tagger
    leaves out the peers' own words when the factor is about peers). `selves`: start offsets
    of words that name the client in the third person (the client's name, and a "han"/"hon"
    standing for it: "Hugo tog en moped med några killar och har tagit saker …", "Nadia bor …
    Som barn blev hon slagen …"), a subject as "jag" is."""
    tokens = sentence.tokens
    words = [t.lower for t in tokens]
    clause = sentence.clause_of[used[0]]
    start = sentence.clause_of.index(clause)
    after = words[used[-1] + 1 :]
    if any(after[i : i + 2] == ["inte", "jag"] for i in range(len(after) - 1)):
        return True  # "Min bror använder kokain, men inte jag."
    if case_type == "vuxen" and _CLIENT_OBJECTS & {words[i] for i in used}:
        # "Han har gjort mig illa", and asked "Har han gjort dig illa?" (read as said, "dig"
        # as "mig"): the cue names the client as the one it was done to; its subject is the
        # one who did it, not the person the factor is about.
        return False
    start = _with_elided_subject(sentence, start, others)
    before = words[start : used[0]]
    if _subject_is_other(sentence, used, start, others, case_type, conversation, selves):
        return True
    for j, word in enumerate(before):
        if tokens[start + j].start in selves:
            return False
        if word in people:
            later = before[j + 1 :]
            return not (case_type == "vuxen" and _SELF & set(later))
        if word in _SELF or word in {"han", "hon", "hen"}:
            return False
    return False


_CLIENT_SUBJECTS = frozenset({"jag", "du", "vi", "ni", "man"})
_ELIDING = frozenset({"men", "fast", "och", "utan", "eller", "med"})
_ANY_SUBJECT = _SUBJECTS | _CLIENT_SUBJECTS | {"hen", "ingen", "alla"}


def _with_elided_subject(sentence: Sentence, start: int, others: frozenset[int]) -> int:
    """Where the clause opening at `start` begins to be read for its subject: a clause that
    opens with "men"/"fast"/"och" and has no subject of its own shares the clause before it
    ("Min man jobbar natt, men dricker mycket": the husband drinks), so that clause's start;
    so does an afterthought that opens with "med" ("Min bror har det tufft, med spriten och
    allt": the brother's drinking); else `start`."""
    tokens = sentence.tokens
    words = [t.lower for t in tokens]
    if start == 0 or words[start] not in _ELIDING:
        return start
    clause = sentence.clause_of[start]
    own = [i for i in range(start + 1, len(words)) if sentence.clause_of[i] == clause]
    if any(
        words[i] in _ANY_SUBJECT or words[i] in OTHER_PEOPLE or tokens[i].start in others
        for i in own
    ):
        return start
    before = sentence.clause_of[start - 1]
    return sentence.clause_of.index(before)


_POSSESSIVE_WORDS = frozenset(
    {"min", "mitt", "mina", "din", "ditt", "dina", "hans", "hennes", "sin", "sitt", "sina"}
    | {"vår", "vårt", "våra", "er", "ert", "era", "deras"}
)


def _subject_is_other(
    sentence: Sentence,
    used: tuple[int, ...],
    start: int,
    others: frozenset[int],
    case_type: str = "barn",
    conversation: bool = False,
    selves: frozenset[int] = frozenset(),
) -> bool:
    """True when the nearest subject before or inside the cue refers to someone else, or the
    clause asks in question word order (verb first) about someone else ("Dricker Marcus?",
    "Har hon druckit?"). In an adult's case "han"/"hon" is never the client: the client is
    "jag" to themself and "du" to the caseworker ("Dricker han?" / "Ja, mycket." is the
    partner's drinking); a statement's "han"/"hon" only in a `conversation` (a single note
    may speak of the client in the third person: "Hon har ett alkoholmissbruk")."""
    asked = {"han", "hon"} if case_type == "vuxen" else set()
    third = asked if conversation else set()
    tokens = sentence.tokens
    words = [t.lower for t in tokens]
    first = start
    while first < len(words) and words[first] in {"och", "men", "så"}:
        first += 1
    opens_with_cue = first in used and words[first] not in _POSSESSIVE_WORDS
    if first + 1 < len(words) and (words[first] in QUESTION_VERBS or opens_with_cue):
        # Verb first: the subject follows the verb ("Dricker Marcus?", and "Har du …" read
        # as the client would say it, "har jag …"); also when the clause opens with the
        # cue's own word, a verb the recogniser may have misheard ("Tricker markus."), but
        # never a possessive: a cue's "min pappa + slog mig" is no verb and its subject
        # ("Min pappa slog mig när jag var tolv": the client was hit).
        if words[first + 1] in _CLIENT_SUBJECTS:
            return False
        if tokens[first + 1].start in others:
            return True  # only a question puts a name right after the verb
        if (
            case_type == "vuxen"
            and first in used
            and not is_question(sentence)
            and _unknown_subject(words[first + 1])
        ):
            # "…, dricker matias.": the cue's verb, then a word no dictionary knows where
            # only the subject can stand (a name, or a subject misheard): an adult is "jag"
            # to themself, so not the client's. (In a child's case a name may be the
            # child's own: "Har Oskar druckit?")
            return True
        if (
            words[first + 1] in _POSSESSIVE_WORDS
            and first + 2 < len(words)
            and tokens[first + 2].start in others
        ):
            return True  # "Dricker din pappa?", "Har din man varit dömd?"
        if is_question(sentence):
            return words[first + 1] in asked
    for k in range(used[-1], start - 1, -1):
        opening_other = k == first and tokens[k].start in others and words[k] in OTHER_PEOPLE
        if k in used and words[k] not in {"han", "hon"} and not opening_other:
            continue  # (a cue's word for the child may open it as others: "Killarna …")
        if tokens[k].start in selves:
            return False  # the client named, or a "han"/"hon" standing for the client's name
        if words[k] in third or (tokens[k].start in others and words[k] in {"han", "hon"}):
            return True
        if tokens[k].start not in others and (
            words[k] in _CLIENT_SUBJECTS or words[k] in {"han", "hon", "hen"}
        ):
            return False  # ("man" after a possessive is a person: "min man dricker")
        if tokens[k].start in others and (k == start or words[k - 1] not in _PREPOSITIONS):
            # "Jag och min man dricker", "Han och killarna röker": the client is a subject too.
            return not any(
                words[i + 1] == "och"
                and (
                    words[i] in {"jag", "vi"}
                    or (words[i] in {"han", "hon"} and tokens[i].start not in others)
                )
                for i in range(start, k)
            )
    return False


def _unknown_subject(word: str) -> bool:
    """A word of four letters or more that no dictionary knows and that is no subject the
    tagger reads (not a pronoun misheard by one letter, see `_subject_heard`)."""
    return len(word) >= 4 and not is_swedish_word(word) and not _subject_heard(word)


# A person after a preposition is no subject: "när jag är hos honom", "hemma hos Lisa".
_PREPOSITIONS = frozenset(
    {"hos", "med", "till", "av", "från", "om", "för", "åt", "på", "mot", "i", "vid", "under"}
    | {"efter", "genom", "inom", "utanför", "bredvid", "hemma", "än", "som", "utan"}
)


# ---------------------------------------------------------------- an answer and a question in one
_QUESTION_OPENING_WORDS = frozenset({"hur", "vad", "varför", "vem", "vilka", "vilken", "vilket"})


def part(sentence: Sentence, a: int, b: int, question_mark: bool) -> Sentence:
    """The tokens `a:b` of a sentence as a sentence of their own."""
    tokens = sentence.tokens[a:b]
    end = sentence.end if b == len(sentence.tokens) else tokens[-1].end
    return Sentence(tokens[0].start, end, tokens, sentence.clause_of[a:b], question_mark)


def question_start(sentence: Sentence) -> int:
    """Where the question begins in a question-marked sentence that opens with something else,
    as when the recogniser runs an answer and the next question together ("Nej, hur mår du
    själv?", "Det säljs gräs, har du provat?"); 0 when the whole sentence asks."""
    if not sentence.is_question_mark:
        return 0
    words = [t.lower for t in sentence.tokens]
    for k in range(1, len(words)):
        if sentence.clause_of[k] == sentence.clause_of[k - 1]:
            continue
        if words[k] in _QUESTION_OPENING_WORDS:
            return k
        if is_question(part(sentence, k, len(words), question_mark=False)):
            return k
    return 0


def asks_openly(sentence: Sentence) -> bool:
    """True for an open question ("Hur går det i skolan?", "Vad gör han på kvällarna?"), whose
    answer speaks of the topic it names without repeating it."""
    words = [t.lower for t in sentence.tokens]
    while words and words[0] in {"och", "men", "så", "okej"}:
        words = words[1:]
    if len(words) > 2 and words[0] in _PLACE_TIME_WORDS and is_question(sentence):
        # "Var bor du?", "När började det?": where or when, if a verb follows (not "Var du
        # hemma?", the past of "vara" before its subject, which asks yes or no).
        return words[1] not in _ANY_SUBJECT and words[2] in _ANY_SUBJECT
    return bool(words) and words[0] in _QUESTION_OPENING_WORDS


_PLACE_TIME_WORDS = frozenset({"var", "vart", "när"})


# "Finns det någon du litar på?", "Har du någon som hjälper dig?": who it is, not whether.
_SOMEONE_OPENINGS = (("finns", "det"), ("har", "du"), ("har", "ni"), ("känner", "du"))
_SOMEONE = frozenset({"någon", "några"})
_SOMEONE_SOUND = phonetic_key("någon")[:2]


def _someone_heard(word: str) -> bool:
    """ "någon"/"några", or a non-word that opens with their sound ("nå", keyed "no") heard
    where only they can stand, after "Finns det", "Har du/ni", "Känner du": the recogniser
    writes the soft g of "någon" as another consonant or two, or none, far more often than
    it hears the word (roughly two in five times on our meeting sets)."""
    if word in _SOMEONE:
        return True
    return (
        MIN_SOMEONE_HEARD <= len(word) <= MAX_SOMEONE_HEARD
        and not is_swedish_word(word)
        and phonetic_key(word)[:2] == _SOMEONE_SOUND
    )


MIN_SOMEONE_HEARD = 4
MAX_SOMEONE_HEARD = 10
"""The lengths of a non-word read as "någon" in a question whether there is someone (4:
"nogn"; 10: "nordonton")."""


def asks_for_someone(sentence: Sentence) -> bool:
    """True for a question whether there is someone ("Finns det någon vuxen som han lyssnar
    på?", "Har ni någon omkring er som hjälper till?"; "någon" may be heard as a non-word,
    see `_someone_heard`): an answer that names the person says yes and who, and what the
    question says of that person is the answer's topic."""
    if not is_question(sentence):
        return False
    words = [t.lower for t in sentence.tokens]
    while words and words[0] in {"och", "men", "så", "okej"}:
        words = words[1:]
    return len(words) > 2 and (words[0], words[1]) in _SOMEONE_OPENINGS and _someone_heard(words[2])


ANSWER_OPENERS = frozenset(
    {"jag", "han", "hon", "vi", "de", "dom", "hans", "hennes", "min", "mitt", "mina", "ja", "nej"}
)


def answer_start(sentence: Sentence) -> int:
    """Where an answer begins in a sentence that opens as a question or a request but has no
    question mark, as when the recogniser runs a question and its answer together ("Berätta
    vad du har sett, hans mamma dricker mycket"); 0 when there is none."""
    if sentence.is_question_mark or not is_question(sentence):
        return 0
    words = [t.lower for t in sentence.tokens]
    for k in range(2, len(words)):
        if sentence.clause_of[k] != sentence.clause_of[k - 1] and words[k] in ANSWER_OPENERS:
            return k
    return 0


_SUBORDINATORS = frozenset(
    {"om", "ifall", "när", "då", "eftersom", "innan", "efter", "medan", "sedan", "fast", "att"}
)


def inner_question_start(sentence: Sentence) -> int:
    """Where a question begins inside a sentence that opens as a statement and has no question
    mark, as when the recogniser runs an answer and the next question together without one
    ("Jag känner ingen utanför familjen, använder någon i familjen droger"): a clause in
    question word order that does not follow a subordinate clause ("När han dricker, slår han
    henne" is a statement). 0 when there is none."""
    if sentence.is_question_mark or is_question(sentence):
        return 0
    words = [t.lower for t in sentence.tokens]
    clause_start = 0
    for k in range(1, len(words)):
        if sentence.clause_of[k] == sentence.clause_of[k - 1]:
            continue
        after_subordinate = words[clause_start] in _SUBORDINATORS
        clause_start = k
        if after_subordinate or words[k] in _REQUEST_VERBS:
            continue
        if is_question(part(sentence, k, len(words), question_mark=False)):
            return k
    return 0


_TOLD_SUBJECTS = frozenset({"du", "ni"})
_SPEAKER_SELF = frozenset({"jag", "mig", "min", "mitt", "mina", "vi", "oss", "vår", "vårt", "våra"})
_THIRD_SUBJECTS = frozenset({"han", "hon", "hen", "de", "dom"})


def told_to_client(sentence: Sentence) -> bool:
    """True for a statement made to the client about the client ("I anmälan står det att du
    har slutat gå till skolan", "Ni har fått en varning"): its subject is "du"/"ni" and the
    speaker says nothing of themself nor of a third person. It is the caseworker's (or a
    report's) account, not the client's own words: no finding, but what a following yes or no
    answers."""
    words = {t.lower for t in sentence.tokens}
    return bool(_TOLD_SUBJECTS & words) and not (_SPEAKER_SELF | _THIRD_SUBJECTS) & words


# ---------------------------------------------------------------- over, said in a later sentence
# "Då var jag hemlös i tre år. Jag sov på härbärgen. Men det är över nu.", "I anmälan står det
# om slagsmål. Hur är det nu?" / "Det var i tvåan. Men det har slutat.": a sentence that says
# of what was just told ("det") that it is over, or of someone that they stopped ("han slutade
# förra våren": the verb with no object of its own), ends it.
_STOP_VERBS = frozenset({"slutat", "slutade", "upphört", "upphörde", "lagt", "la"})
_OVER_SUBJECTS = frozenset({"det", "han", "hon", "jag", "vi", "de", "dom", "hen"})
# What may follow a stop verb when it has no object: a time, "nu", "med det", the end.
_AFTER_STOP = frozenset(
    {"förra", "för", "i", "när", "efter", "sedan", "nu", "helt", "med", "då", "redan", "innan"}
    | {"ju", "faktiskt", "också", "numera", "och", "men"}
)
_PAST_TIMES = (
    ("förra", "året"),
    ("förra", "våren"),
    ("förra", "hösten"),
    ("förra", "sommaren"),
    ("förra", "vintern"),
    ("i", "fjol"),
    ("länge", "sedan"),
    ("på", "den", "tiden"),
    ("när", "jag", "var"),
    ("när", "han", "var"),
    ("när", "hon", "var"),
    ("som", "liten"),
    ("som", "barn"),
)
# A school year ("i tvåan", "i sjuan") or "för två år sedan" is a time in the past as well.
_GRADES = frozenset(
    {"ettan", "tvåan", "trean", "fyran", "femman", "sexan", "sjuan", "åttan", "nian"}
)
_TIME_SUBORDINATORS = frozenset({"innan", "när", "efter", "sedan", "tills", "att", "om", "ifall"})
_STILL = frozenset({"fortfarande", "nu", "idag", "numera", "längre", "än"})
_OVER = frozenset({"över"})
"""What "det är …" says to tell that what was just told has ended ("Men det är över nu")."""
# "det är slut" ends what was just told, but "det är slut på pengarna" says something ran out
# and "det är slut mellan oss" that a relationship ended, not what was told before.
_NOT_OVER_AFTER_SLUT = frozenset({"på", "mellan"})


def _has_past_time(words: list[str]) -> bool:
    if any(words[i : i + len(p)] == list(p) for p in _PAST_TIMES for i in range(len(words))):
        return True
    if any(a == "i" and b in _GRADES for a, b in pairwise(words)):
        return True
    return any(w == "för" and "sedan" in words[i + 2 : i + 5] for i, w in enumerate(words))


def _ago_short(words: list[str]) -> bool:
    """ "för tre år sen": the short "sen" after a unit of time ("för att jag sen …" is no time
    in the past). Read only where "det var" opens a short sentence: after a stop verb a
    misheard question before it would carry the end too far back (held-out 2 clean)."""
    return any(
        w == "för" and "sen" in words[i + 2 : i + 5] and _TIME_UNITS & set(words[i + 1 : i + 4])
        for i, w in enumerate(words)
    )


_TIME_UNITS = frozenset(
    {"år", "månad", "månader", "vecka", "veckor", "dag", "dagar", "timme", "timmar", "sekel"}
)


def says_over(sentence: Sentence) -> bool:
    """True when the sentence tells that what was just said is over: "det är över (nu)", "det
    har slutat", "han slutade förra våren", "det har inte hänt sedan jul", "det var i tvåan"
    (the subject "det" placed in a time of the past). Not a question, not negated."""
    if is_question(sentence):
        return False
    words = [t.lower for t in sentence.tokens]
    for i, word in enumerate(words):
        prev = set(words[max(0, i - 3) : i])
        if not prev & _OVER_SUBJECTS or prev & _TIME_SUBORDINATORS:
            continue  # "ett bedrägeri från innan jag slutade": a time, not an end
        nxt = words[i + 1] if i + 1 < len(words) else ""
        ends = i + 1 == len(words) or sentence.clause_of[i + 1] != sentence.clause_of[i]
        if word in _STOP_VERBS and not prev & NEGATORS and (ends or nxt in _AFTER_STOP):
            return True
        if word == "slutar" and not prev & NEGATORS and _has_past_time(words[i + 1 :]):
            return True  # "jag slutar med för tre år sedan": "slutade" said (or heard) so
        if word in _OVER and words[i - 1] in {"är", "var"} and not prev & NEGATORS:
            return True
        if (
            word == "slut"
            and words[i - 2 : i] in (["det", "är"], ["det", "var"])
            and nxt not in _NOT_OVER_AFTER_SLUT
            and not prev & NEGATORS
        ):
            return True  # "Men det är slut nu"; not "det är slut på pengarna", nor "jag är slut"
        if word == "hänt" and prev & NEGATORS and "sedan" in words[i + 1 :]:
            return True
    said = words[1:] if words[:1] in (["men"], ["och"], ["fast"]) else words
    if (
        len(said) <= 6
        and said[:2] == ["det", "var"]
        and (_has_past_time(said[2:]) or _ago_short(said[2:]))
    ):
        return True  # "Det var i tvåan", "Men det var för tre år sen"
    return _long_ago_or_nothing_now(sentence)


_LONG_AGO = (("länge", "sedan"), ("länge", "sen"))
_NOTHING = frozenset({"inget", "ingenting"})


def _long_ago_or_nothing_now(sentence: Sentence) -> bool:
    """True when a statement's first clause says of "det" (what was just told) that it was
    long ago ("Men det är länge sedan", "Det var länge sen") or is nothing now ("Det är
    inget nu", "det är ingenting längre"). A clause that only says it is nothing ("Det är
    inget problem") says nothing of when: a minimised drinking is still drinking."""
    words = [t.lower for t in sentence.tokens]
    clause = [
        w for w, c in zip(words, sentence.clause_of, strict=True) if c == sentence.clause_of[0]
    ]
    while clause and clause[0] in {"men", "och", "så", "fast"}:
        clause = clause[1:]
    rest = _said_of_it(clause)
    if rest[:2] in _LONG_AGO:
        return True
    return bool(rest) and rest[0] in _NOTHING and bool(_NOW_AFTER & set(rest[1:]))


def _said_of_it(clause: list[str]) -> tuple[str, ...]:
    """What a clause that opens "det är"/"det var" says of "det" (what was just told): the
    words after, or () for any other clause."""
    return tuple(clause[2:]) if clause[:2] in (["det", "är"], ["det", "var"]) else ()


_NOW_AFTER = _NOW_WORDS | {"längre"}


_NOT_A_VERB = ANSWER_OPENERS | _PRONOUN_SUBJECTS | {"jo", "nu", "då", "och", "men", "så"}


def _verb_first(sentence: Sentence) -> bool:
    """True when a short sentence's second word is a subject pronoun and its first word can
    only be the verb: question word order, as when the recogniser writes "Gör han det
    fortfarande?" with its verb misheard and no question mark ("Ur han dit fotfarande.")."""
    words = [t.lower for t in sentence.tokens]
    return (
        3 <= len(words) <= 6
        and words[1] in _PRONOUN_SUBJECTS
        and words[0] not in _NOT_A_VERB
        and sentence.clause_of[1] == sentence.clause_of[0]
    )


def _still_word(word: str) -> bool:
    return word == "fortfarande" or (
        len(word) >= 8 and Levenshtein.distance(word, "fortfarande") <= 1
    )


def _short_still(words: list[str]) -> bool:
    """True for a sentence of at most three words ending in "fortfarande" that neither
    answers nor negates: "Gör han det fortfarande?" with its words run together
    ("Jörhandit, fotfarande.")."""
    return (
        1 <= len(words) <= 3
        and _still_word(words[-1])
        and words[0] not in {"ja", "nej", "jo", "nä", "japp"}
        and not NEGATORS & set(words)
    )


def asks_if_still(sentence: Sentence) -> bool:
    """True for a question whether what was just told still holds ("Gör han det
    fortfarande?", "Hur är det nu?"): it names no topic of its own but "det"."""
    ordered = [t.lower for t in sentence.tokens]
    words = set(ordered)
    if _short_still(ordered):
        return True
    if not is_question(sentence) and not _verb_first(sentence):
        return False
    # One letter off, as the recogniser writes them ("Ur han dit fotfarande?").
    det = any(Levenshtein.distance(w, "det") <= 1 and len(w) == 3 for w in words)
    still = any(w in _STILL or _still_word(w) for w in words)
    if det and still:
        return True
    # "Hur är det?" with no topic word of its own (as heard: "hur är dit nöd dit var dit?").
    return (
        det
        and ordered[:2] == ["hur", "är"]
        and len(ordered) <= 8
        and all(len(w) <= 5 for w in ordered)
        and not {"dig", "du", "ni", "er", "han", "hon", "honom", "henne"} & words
    )


# ---------------------------------------------------------------- quoting a cue shorter
# `device.journal.draft` may quote a clause of a sentence rather than the whole sentence; these
# say which words must stay in the quote so that it cannot read as its opposite.
_PRONOUN_PERSONS = frozenset(
    {"jag", "mig", "min", "mitt", "mina", "du", "dig", "din", "ditt", "dina", "han", "honom"}
    | {"hans", "hon", "henne", "hennes", "hen", "vi", "oss", "vår", "vårt", "våra", "ni", "er"}
    | {"ert", "era", "de", "dem", "dom", "deras", "sig", "sin", "sitt", "sina", "man", "någon"}
    | {"själv", "själva", "ingen"}
)
_YES_NO = frozenset({"ja", "nej", "nä", "jo", "japp", "nja", "nope"})
CHILD_WORDS: dict[str, tuple[str, str]] = {
    "son": ("m", "kin"),
    "sonen": ("m", "kin"),
    "söner": ("n", "kin"),
    "sönerna": ("p", "kin"),
    "dotter": ("f", "kin"),
    "dottern": ("f", "kin"),
    "döttrar": ("n", "kin"),
    "döttrarna": ("p", "kin"),
    "barnbarn": ("mf", "grand"),
    "barnbarnet": ("mf", "grand"),
    "barnbarnen": ("p", "grand"),
    "barnet": ("mf", "the"),
    "barnen": ("p", "the"),
    "pojken": ("m", "the"),
    "flickan": ("f", "the"),
    "barn": ("n", "any"),
    "pojkar": ("n", "any"),
    "flickor": ("n", "any"),
    "killen": ("m", "young"),
    "tjejen": ("f", "young"),
    "grabben": ("m", "young"),
}
"""Every word for a child, the one table the readings of children are taken from: (gender,
kind). Gender "m"/"f", "mf" either, "p" several named together ("barnen": no "han"/"hon"
stands for them), "n" several and none in particular ("två söner", "mina barn"). Kind "kin"
a child by kinship ("sonen", "döttrar"), "grand" a grandchild, "the" a child as such
("barnet", "pojken"), "any" children as such, without an article ("barn", "pojkar": a
client's own only after a possessive), "young" a young person ("killen", "tjejen"), who may
be a peer."""


def reading_words() -> frozenset[str]:
    """Every word whose presence in a sentence can change how the tagger reads a cue in it:
    negation, past and over, "nu", conditions, the unreal, wishes, uncertainty, yes and no,
    and people (pronouns and words for persons; a name is any capitalised word after the
    first). A quote cut shorter than its sentence keeps every clause that holds one."""
    uncertain = {w for pattern in _UNCERTAIN for w in pattern}
    return (
        tense_words()
        | {"när", "jag", "han", "hon", "barn", "liten"}  # of the past times: "när jag var"
        | _CONDITIONALS
        | _UNREAL
        | _WISHES
        | uncertain
        | _YES_NO
        | _PRONOUN_PERSONS
        | frozenset(CHILD_WORDS)
        | OTHER_PEOPLE
    )


def tense_words() -> frozenset[str]:
    """The words that say when something holds, taken from the word sets `status`,
    `says_over` and their helpers read: negation, past and over ("förut", "slutat", "förra
    året", "i sjuan", "det är över"), paid or served ("avbetald", "avtjänad"), long ago or
    nothing now ("länge sen", "det är ingenting nu"), "nu", "fortfarande", "längre"."""
    past = {w for pattern in _PAST_TIMES + _LONG_AGO for w in pattern}
    past -= {"i", "på", "som", "var", "den", "när", "jag", "han", "hon", "barn", "liten"}
    return (
        NEGATORS
        | _RESOLVED_WORDS
        | _RESOLVED_AFTER_NEGATOR
        | _NOW_WORDS
        | _NOW_AFTER
        | _OVER_WORDS
        | _OVER
        | _STOP_VERBS
        | _COMPLETION
        | _NOTHING
        | _STILL
        | _GRADES
        | past
    )


def clause_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """The sentence's clauses as character spans (first word to last word): where the tagger
    stops a negation reaching (commas, "men", "utan", …), and "och" before a new subject or
    finite verb ("… två gånger och det kändes bra")."""
    out: list[tuple[int, int]] = []
    tokens = sentence.tokens
    begin = 0
    for k in range(1, len(tokens) + 1):
        ends = k == len(tokens) or sentence.clause_of[k] != sentence.clause_of[k - 1]
        if not ends and tokens[k].lower == "och" and k + 1 < len(tokens):
            ends = tokens[k + 1].lower in _CONJUNCT_OPENERS
        if ends:
            out.append((tokens[begin].start, tokens[k - 1].end))
            begin = k
    return out


# ---------------------------------------------------------------- a speaker introducing themself
_INTRODUCTIONS = (("jag", "heter"), ("mitt", "namn", "är"))


def introduction_end(sentence: Sentence) -> int:
    """Where a speaker's introduction of themself by name ends ("Jag heter Eva och jobbar i
    relationsvåldsteamet", "Mitt namn är Ali, jag är tolk"): the token index of the first
    clause with a subject of its own after it (0 when the sentence is no introduction). In a
    meeting it is the caseworker, a relative or an interpreter presenting themself; what it
    says of the speaker's work or role is no finding about the client."""
    words = [t.lower for t in sentence.tokens]
    if not any(tuple(words[: len(p)]) == p for p in _INTRODUCTIONS):
        return 0
    for k in range(2, len(words)):
        new_clause = sentence.clause_of[k] != sentence.clause_of[k - 1]
        if words[k] in {"och", "men"} and k + 1 < len(words):
            if words[k + 1] in _CONDITION_SUBJECTS:
                return k
        elif new_clause and words[k] in _CONDITION_SUBJECTS:
            return k
    return len(words)


# ---------------------------------------------------------------- a question of one topic word
_ELLIPTIC_OPENERS = frozenset({"och", "men", "än", "så"})


def elliptic_topic(sentence: Sentence) -> int | None:
    """The index of the one word a question without a verb asks about ("Och alkohol?",
    "Spriten då?"), as caseworkers go through a list; None for any other sentence."""
    if not sentence.is_question_mark:
        return None
    indices = list(range(len(sentence.tokens)))
    while indices and sentence.tokens[indices[0]].lower in _ELLIPTIC_OPENERS:
        indices = indices[1:]
    if indices and sentence.tokens[indices[-1]].lower == "då":
        indices = indices[:-1]
    if len(indices) != 1:
        return None
    word = sentence.tokens[indices[0]].lower
    if word in QUESTION_VERBS or word in QUESTION_WORDS or word in _PRONOUN_PERSONS:
        return None
    return indices[0]


def topics_past_lost_verb(text: str, sentence: Sentence, lost: frozenset[int]) -> list[int]:
    """The topic words of a yes/no question to "du" whose verb the recogniser lost. Each
    question of `sentence` (a question told to the client may come joined to the next one)
    and each of its alternatives (the pieces between "eller") that reads as a lost word (or
    the pieces the reading split it into), "du" and one word heard whole, and is asked ("?"
    or "eller" after it), gives the index of that word: "Dricker du alkohol?" heard "Rikar
    du alkohol?", "Tricker du alkohol eller använder du frågor?"; so does an alternative of
    one word after such a one ("Rikar du narkotika eller alkohol?"). `lost`: the indices of
    the words the recogniser did not hear as words (`tagger._lost_words`). Nothing else is
    read: a lost word anywhere but in the verb's place may be what the question turns on
    ("Har du slutat med alkohol?" heard "Har du slutfatt alkohol?")."""
    tokens = sentence.tokens
    words = [t.lower for t in tokens]
    marked = {  # the words a "?" follows
        i
        for i, token in enumerate(tokens)
        if "?" in text[token.end : tokens[i + 1].start if i + 1 < len(tokens) else sentence.end]
    }
    pieces: list[list[int]] = [[]]
    for i, word in enumerate(words):
        if word == "eller":
            pieces.append([])
            continue
        pieces[-1].append(i)
        if i in marked:
            pieces.append([])
    out: list[int] = []
    for piece in pieces:
        while piece and words[piece[0]] in _ELLIPTIC_OPENERS:
            piece = piece[1:]
        # one lost word, or the pieces the reading split it into ("drick rar"); after such
        # an alternative, one of a topic word alone ("Rikar du narkotika eller alkohol?")
        alone = bool(out) and len(piece) == 1
        if not alone and (
            len(piece) < 3 or not set(piece[:-2]) <= lost or words[piece[-2]] != "du"
        ):
            continue
        k = piece[-1]
        asked = k in marked or (k + 1 < len(tokens) and words[k + 1] == "eller")
        word = words[k]
        if not asked or k in lost or word in QUESTION_VERBS or word in QUESTION_WORDS:
            continue
        if word in _PRONOUN_PERSONS:
            continue
        out.append(k)
    return out


_QUALIFIERS = frozenset({"när", "om", "ifall", "innan", "medan", "efter", "sedan"})
_NOW_OR_THEN = frozenset({"nu", "tidigare", "förut", "då", "efteråt", "innan", "sedan", "idag"})


def continues_question(sentence: Sentence) -> bool:
    """True for a piece that only qualifies the question before it and that the recogniser
    wrote as a sentence of its own: a clause of time or condition with its subject right
    after the subordinator ("Har det blivit våld mellan er. När det har varit som värst?",
    "När ni bodde ihop eller efteråt?"), or alternatives of a time ("Nu eller tidigare.").
    Not a question of its own: "När hände det?" (the verb first), "Om du flyttar, vad gör
    du då?" (a question word), "Om du vill kan vi ta det sen." (a main clause after it)."""
    words = [t.lower for t in sentence.tokens]
    while words and words[0] in {"och", "eller"}:
        words = words[1:]
    if _QUESTION_OPENING_WORDS & set(words):
        return False
    if len(words) >= 3 and words[0] in _QUALIFIERS:
        if any(  # a main clause after it ("Om du vill kan vi ta det sen.") asks or tells more
            a in QUESTION_VERBS and b in _INVERTED_SUBJECTS for a, b in pairwise(words[2:])
        ):
            return False
        return _subject_heard(words[1]) or _short_pronoun_alike(words[1])
    return 2 <= len(words) <= 4 and "eller" in words and set(words) <= _NOW_OR_THEN | {"eller"}


def opens_condition(sentence: Sentence) -> bool:
    """True for a sentence (or piece) that opens with a condition: "Om du skulle …", "Ifall
    han …", "Om din depression …" (after "och", "men", "så")."""
    words = [t.lower for t in sentence.tokens]
    skipped = 0
    while words and words[0] in {"och", "men", "så"}:
        words = words[1:]
        skipped += 1
    if len(words) < 2 or words[0] not in _CONDITIONALS:
        return False
    if _opens_condition(words, 0) or words[1] in _POSSESSIVES:  # "Om din depression …"
        return True
    # "Och om Kronofogden tar en del av lönen, hur klarar ni er då?": a clause of its own
    # with a subject and a verb after "om" ("Om skolan, hur går det?" names only a topic).
    clauses = sentence.clause_of[skipped:]
    first = sum(1 for c in clauses if c == clauses[0])
    return first >= 4 and words[2] not in {"och", "eller"}


_POSSESSIVES = _POSSESSIVE_WORDS - {"sin", "sitt", "sina"}


def asks_hypothetically(sentence: Sentence) -> bool:
    """True for a question that opens with a condition ("Om din depression skulle bli
    sämre, vad händer då?", "Ifall han hittar dig, vad gör du?"): its answer tells what would
    happen, no fact."""
    words = {t.lower for t in sentence.tokens}
    return opens_condition(sentence) and (
        is_question(sentence) or bool(words & _QUESTION_OPENING_WORDS)
    )


def answers_with_then(sentence: Sentence) -> bool:
    """True for an answer that opens with "Då" or "I så fall": the consequence of the
    condition just asked about ("Då får hon bo hos mamma.")."""
    words = [t.lower for t in sentence.tokens]
    return bool(words) and (words[0] == "då" or words[:3] == ["i", "så", "fall"])


def in_phrase_of_other(sentence: Sentence, used: tuple[int, ...]) -> bool:
    """True when the cue stands in a "från" phrase right after the noun its clause opens with
    ("Domarna från jobbet har flyttat", "Gubbarna från klubben …"): it names where those
    people come from, not what the client has."""
    first = used[0]
    if first < 2 or sentence.tokens[first - 1].lower != "från":
        return False
    clause = sentence.clause_of[first]
    start = sentence.clause_of.index(clause)
    while start < first and sentence.tokens[start].lower in {"och", "men", "så"}:
        start += 1
    head = sentence.tokens[first - 2].lower
    return (
        first - 2 == start
        and head not in _PRONOUN_PERSONS
        and head not in QUESTION_WORDS
        and head not in _NOT_A_VERB
    )
