"""Who a sentence is about: the client, or another person named or referred to earlier.

A conversation about a client is full of other people: "Vill du berätta om pappa?" / "Han
dricker." is the father's drinking, "Dricker Marcus?" / "Ja, mycket." the partner's, and "Din
storebror då?" / "Han sitter på anstalt." the brother's prison term. None of them is the
client's own problem. This module marks, for a whole conversation, the words that refer to
someone other than the client:

* a person noun ("pappa", "sambon", and compounds ending in one: "storebror", "lillasyster");
* in an adult's case, a name (a capitalised word inside a sentence, or the subject of a
  yes/no question as the recogniser writes it: "Har markus varit dömd") that is not the
  client's own: the client's names are those the caseworker calls out to, read once for
  both this and who "du" is (`client_names`, `_called`: "Linnea, hur mår du?", "Hej
  Linnea"). In a child's case a name is taken for the child's
  ("Melvins föräldrar", "Hur mår Elsa?"), also opening a sentence when written as a name
  inside one elsewhere, unless the other person it would take "han"/"hon" back from was the
  one asked about;
* "han"/"hon" while the last person of that gender named in the last few sentences is another
  person ("På pappa mest." / "Han dricker."). A child word ("sonen", "flickan") or the client's
  name makes the pronoun the client's again; a possessive ("hans pappa") makes it ambiguous,
  and an ambiguous pronoun is left as the client's, as before.

The referent is not resolved beyond that: when the subject is unclear the tagger keeps its
earlier reading of the client, and the rules above only ever remove findings about the client.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from risk_factors.context import (
    _POSSESSIVE_WORDS,
    _SUPINES,
    CHILD_WORDS,
    NEGATORS,
    QUESTION_VERBS,
    QUESTION_WORDS,
    _maybe_negator,
    _one_sound_off,
    _subject_heard,
    asks_for_someone,
    is_question,
)
from risk_factors.conversation import answer_polarity
from risk_factors.cues import GRAMMAR_WORDS, phonetic_key
from risk_factors.text import Sentence, Token, is_swedish_word

_MALE = frozenset(
    {
        "pappa",
        "pappan",
        "far",
        "fadern",
        "farsan",
        "bror",
        "brodern",
        "brorsan",
        "morfar",
        "farfar",
        "styvpappa",
        "styvpappan",
        "styvfar",
        "bonuspappa",
        "pojkvän",
        "pojkvännen",
        "exmannen",
        "maken",
        "make",
        "mannen",
        "exman",
        "morbror",
        "farbror",
        "svåger",
        "svärfar",
    }
)
_FEMALE = frozenset(
    {
        "mamma",
        "mamman",
        "mor",
        "modern",
        "morsan",
        "syster",
        "systern",
        "syrran",
        "mormor",
        "farmor",
        "styvmamma",
        "styvmamman",
        "styvmor",
        "bonusmamma",
        "flickvän",
        "flickvännen",
        "fru",
        "frun",
        "hustru",
        "hustrun",
        "exfru",
        "exfrun",
        "väninna",
        "väninnan",
        "moster",
        "faster",
        "svägerska",
        "svärmor",
    }
)
_EITHER = frozenset(
    {
        "sambo",
        "sambon",
        "partner",
        "partnern",
        "kusin",
        "kusinen",
        "granne",
        "grannen",
        "kompis",
        "kompisen",
        "polare",
        "polaren",
        "bästis",
        "bästisen",
        "vän",
        "vännen",
        "kollega",
        "kollegan",
        "exet",
    }
)
# Compounds whose last part is one of these are persons too ("storebror", "halvsyster",
# "lillebrorsan", "bonuspappan"). Short heads ("far", "mor") are left out: "humor", "tiofar".
_HEADS_MALE = ("bror", "brodern", "brorsan", "pappa", "pappan")
_HEADS_FEMALE = ("syster", "systern", "syrran", "mamma", "mamman")
# Words for the child in a child's case: "han"/"hon" after them is the child again. In an
# adult's case they are the client's children, other people ("Min son har fastnat i
# narkotika" is the son's drugs). Not "n": several, none in particular, name no referent.
_CHILD_GENDER = {w: g for w, (g, _kind) in CHILD_WORDS.items() if g != "n"}
_CHILD = frozenset(_CHILD_GENDER)
# Words that name another person only after a possessive ("min man", "hennes kille"): alone
# "man" is "one", "ex" a prefix, and "en kille från klassen" no one "han" stands for later.
_POSSESSED = {"man": "m", "kille": "m", "tjej": "f", "ex": "mf"}
# Several other people: the subject of what they do ("när killarna slog honom"), never
# anyone a "han"/"hon" stands for.
_SEVERAL = frozenset(
    {"kompisar", "kompisarna", "kamrater", "kamraterna", "killar", "killarna", "tjejer"}
    | {"tjejerna", "grabbar", "grabbarna", "polarna", "vänner", "vännerna", "bröder"}
    | {"bröderna", "systrar", "systrarna", "föräldrar", "föräldrarna", "grannarna"}
)
_POSSESSIVES = _POSSESSIVE_WORDS
_PRONOUNS = {"han": "m", "hon": "f"}
# The possessive and object forms of "han"/"hon".
_OWNERS = {"hans": "m", "hennes": "f", "honom": "m", "henne": "f"}
_HEADS = frozenset(_HEADS_MALE + _HEADS_FEMALE)
_SOUND_NOUNS = tuple(
    [(w, "m") for w in sorted(_MALE)]
    + [(w, "f") for w in sorted(_FEMALE)]
    + [(w, "mf") for w in sorted(_EITHER)]
)
_QUESTION_SUBJECTS = frozenset(
    {"du", "ni", "han", "hon", "hen", "de", "dom", "det", "någon", "man", "vi", "jag", "ingen"}
    | {"din", "ditt", "dina", "er", "ert", "era", "hans", "hennes", "deras", "barnen", "barnet"}
    | {"alla", "något", "nåt", "inget", "ingenting", "detta", "den", "dessa"}
)
_YOU = frozenset({"du", "dig", "din", "ditt", "dina"})
"""One person spoken to."""
SPOKEN_TO = _YOU | {"ni", "er", "era", "ert"}
"""The words by which a sentence speaks to someone, one person or several ("du", "ni",
"dig", "ert"): the one set every reading of who is spoken to starts from."""
_PARENT_WORDS = frozenset({"föräldrar", "föräldrarna", "mamma", "pappa", "förälder"})
REFERENT_SENTENCES = 6
"""How many sentences a named other person stays the referent of "han"/"hon"."""


@lru_cache(maxsize=8192)
def person_gender(word: str) -> str | None:
    """ "m", "f" or "mf" when the lower-case word is a person other than the client ("pappa",
    "storebror", "sambon"); None otherwise."""
    if word in _MALE:
        return "m"
    if word in _FEMALE:
        return "f"
    if word in _EITHER:
        return "mf"
    for heads, gender in ((_HEADS_MALE, "m"), (_HEADS_FEMALE, "f")):
        if any(word.endswith(h) and len(word) - len(h) >= 3 for h in heads):
            return gender
    return None


# Inflection endings as sounds (`phonetic_key`): definite -n, genitive -s, plural -r.
_ENDING_SOUNDS = ("", "n", "s", "l")
_HEARD_MIN_KEY = 4


def heard_person(word: str) -> tuple[str, str] | None:
    """(gender, noun) when a heard non-word sounds like a person noun or a compound ending in
    one ("papa" for "pappa", "lukaspapar" for "Lucas pappa"): the recogniser's slip of a
    person word still names someone other than the client. Real words and short sounds are
    never read so."""
    if is_swedish_word(word):
        return None
    key = phonetic_key(word)
    for noun, gender in _SOUND_NOUNS:
        noun_key = phonetic_key(noun)
        if len(noun_key) < _HEARD_MIN_KEY:
            continue
        for ending in _ENDING_SOUNDS:
            whole = noun_key + ending
            if key == whole or (key.endswith(whole) and noun in _HEADS):
                return gender, noun
    return None


# A capitalised word after these is a place ("Min familj bor i Polen", "hon kommer från
# Syrien"), not a person: it names nobody "han"/"hon" could stand for.
_PLACE_BEFORE = frozenset({"i", "från", "ifrån"})


def _a_place(sentence: Sentence, k: int) -> bool:
    """True when token `k` comes right after "i"/"från": a place, whatever its letters."""
    return k > 0 and sentence.tokens[k - 1].lower in _PLACE_BEFORE


def _other_by_place(words: Sequence[str], k: int, case_type: str) -> str | None:
    """The gender of word `k` when where it stands makes it another person: after a
    possessive ("min man", "hennes ex"), or, in an adult's case, a word for a child ("Min
    son …", "Dottern …": the client's child, not the client)."""
    if k > 0 and words[k - 1] in _POSSESSIVES and words[k] in _POSSESSED:
        return _POSSESSED[words[k]]
    if words[k] in _SEVERAL:
        return "p"
    if case_type == "vuxen":
        return _CHILD_GENDER.get(words[k])
    return None


def _heard_possessed(words: Sequence[str], k: int, case_type: str) -> tuple[str, str] | None:
    """(gender, noun) for a word the recogniser was unsure of, right after a possessive, that
    sounds like a person noun with at most one sound added at its end ("min sond" heard for
    "min son"; in an adult's case child words count): after "min" a person is the likeliest
    word, and short nouns ("son", "bror") are read so only there."""
    if k == 0 or words[k - 1] not in _POSSESSIVES:
        return None
    key = phonetic_key(words[k])
    nouns = list(_SOUND_NOUNS)
    if case_type == "vuxen":
        nouns += [(w, g) for w, g in _CHILD_GENDER.items() if g != "p"]
    for noun, gender in nouns:
        noun_key = phonetic_key(noun)
        if len(noun_key) >= 3 and key.startswith(noun_key) and len(key) - len(noun_key) <= 1:
            return gender, noun
    return None


# What an answer naming someone may open with before who it is: "Ja, min syster.", "En
# kompis.", "Hans tränare …".
_ANSWER_LEADS = frozenset({"ja", "jo", "en", "ett"}) | _POSSESSIVES
_NO_WORDS = NEGATORS | {"nej", "nä", "nja", "nope"}
# Swedish nouns for someone who does something end so: tränare(n), sjuksköterska(n),
# kurator(n), chaufför, terapeut(en), psykolog(en), specialist(en).
_ROLE_NOUN = re.compile(
    r"..(?:are|aren|erska|erskan|tor|torn|ör|ören|eut|euten|log|logen|ist|isten)$"
)


def answer_opening(sentence: Sentence) -> int | None:
    """The index of the word an answer opens with after "ja", "en" and possessives ("Ja,
    min syster." → "syster"); None when there is none or the answer says no anywhere ("Nej",
    "Ingen", "Inte direkt" name nobody)."""
    words = [t.lower for t in sentence.tokens]
    if _NO_WORDS & set(words):
        return None
    k = 0
    while k < len(words) - 1 and words[k] in _ANSWER_LEADS:
        k += 1
    return k if words and words[k] not in _ANSWER_LEADS else None


def _named_when_asked(text: str, sentence: Sentence, k: int) -> str | None:
    """The gender ("m", "f", "mf") of who an answer to a question for someone names at its
    opening word `k` (`answer_opening`), when that word is no person noun: a role noun
    ("Tränaren i fotbollslaget.", "Min mentor på skolan …"), or a name written with a
    capital that no dictionary knows ("Amina.", "Yusuf på fritidsgården."). Not a word that
    may be a misheard negation ("Inten." heard for "Inte än"): when unsure, nobody."""
    token = sentence.tokens[k]
    word = token.lower
    if _ROLE_NOUN.search(word) and is_swedish_word(word):
        return "mf"
    surface = text[token.start : token.end]
    if not surface[:1].isupper() or surface.isupper() or is_swedish_word(word):
        return None
    if _maybe_negator(word) or word in _NEVER_NAMES:
        return None
    return _name_gender(word)


def _several(word: str, case_type: str) -> bool:
    """True for a word that names several other people ("killarna", in an adult's case
    "barnen"): no "han"/"hon" stands for them, so they name no referent."""
    return word in _SEVERAL or (case_type == "vuxen" and _CHILD_GENDER.get(word) == "p")


def _is_name(text: str, sentence: Sentence, k: int) -> bool:
    """True when token `k` is a person's name: capitalised inside a sentence (a sentence's
    first word may be any word; after "i"/"från" it is a place), or the subject of a yes/no
    question that is no pronoun nor person word and is either no word of the language or
    followed by a supine ("Har markus varit dömd?" as the recogniser writes it)."""
    token = sentence.tokens[k]
    word = token.lower
    surface = text[token.start : token.end]
    if word in _PRONOUNS or word in {"jag", "ja", "nej"} or person_gender(word) or word in _CHILD:
        return False
    if _a_place(sentence, k):
        return False
    if k == 1 and sentence.tokens[0].lower in QUESTION_VERBS and is_question(sentence):
        after = sentence.tokens[2].lower if len(sentence.tokens) > 2 else ""
        if word in _QUESTION_SUBJECTS or _subject_heard(word):
            return False
        if after in _SUPINES or (len(word) >= 4 and not is_swedish_word(word)):
            return True  # a short non-word is more likely a misheard pronoun ("gu" for "du")
    return k > 0 and surface[:1].isupper() and not surface.isupper() and not _institution(word)


_VOWELS = frozenset("aeiouyåäö")
INSTITUTION_MIN_STEM = 6
"""The shortest indefinite form read as an authority's noun (`_institution`)."""


def _institution(word: str) -> bool:
    """True for a capitalised noun in its definite form that names an authority or a place
    of care, not a person ("hos Kronofogden", "Försäkringskassan", "på Vårdcentralen"): a
    word of the language whose form without the definite ending ("-en", "-et", or "-n"/"-t"
    after a vowel) is a word of the language of at least INSTITUTION_MIN_STEM letters.
    Names end so rarely ("Kristian", "Stefan", "Helen" are not read so)."""
    if len(word) < INSTITUTION_MIN_STEM + 2 or not is_swedish_word(word):
        return False
    stems = [word[:-2]] if word.endswith(("en", "et")) else []
    if word[-1] in "nt" and word[-2] in _VOWELS:
        stems.append(word[:-1])
    return any(len(s) >= INSTITUTION_MIN_STEM and is_swedish_word(s) for s in stems)


# Words a recogniser's capital letter may land on that are never a name elsewhere.
_NEVER_NAMES = QUESTION_VERBS | QUESTION_WORDS | _QUESTION_SUBJECTS | {"ja", "nej", "jo", "mm"}


def _names_seen(
    text: str, sentences: Sequence[Sentence], clients: frozenset[str]
) -> frozenset[str]:
    """Others' names as found anywhere in the conversation: a name the recogniser once wrote
    so that it reads as one ("Har markus varit dömd?") is that name wherever it is written
    ("Det är min sambo markus."), before or after; never a sentence's first word, which the
    recogniser capitalises anyway (a misheard "Jag" as "Jod")."""
    never = clients | GRAMMAR_WORDS | _NEVER_NAMES
    return frozenset(
        s.tokens[k].lower
        for s in sentences
        for k in range(len(s.tokens))
        if s.tokens[k].lower not in never
        and not person_gender(s.tokens[k].lower)
        and _is_name(text, s, k)
        and not _introduced(s, k)
    )


# Words after which no subject stands, so a capitalised word there is no misheard "jag"
# ("Jod vet att Jod klarar det"): prepositions ("om", "för", "efter" also open clauses).
_OBJECT_BEFORE = frozenset(
    {"med", "hos", "till", "av", "åt", "på", "mot", "vid", "bredvid", "kring", "runt"}
)


def _written_inside(
    text: str, sentences: Sequence[Sentence], named: frozenset[str]
) -> frozenset[str]:
    """The names of `named` written with a capital letter inside a sentence where no
    subject could stand: after a preposition ("Mest med Tommy"), after a person word ("min
    kompis Tommy") or after "den där" ("Den där Tommy som du nämnde"). Such a name is a name
    as a sentence's first word too ("Tommy dricker från morgon till kväll"), where every word
    has a capital; a word the recogniser writes for "jag" ("Jod vet att Jod klarar det")
    stands where subjects do."""
    out: set[str] = set()
    for s in sentences:
        words = [t.lower for t in s.tokens]
        for k in range(1, len(words)):
            t = s.tokens[k]
            if words[k] not in named or not text[t.start : t.start + 1].isupper():
                continue
            before = words[k - 1]
            pointed = before == "där" and k > 1 and words[k - 2] in {"den", "det"}
            if before in _OBJECT_BEFORE or person_gender(before) or pointed:
                out.add(words[k])
    return frozenset(out)


def _introduced(sentence: Sentence, k: int) -> bool:
    """True for the name in "Jag heter Eva": the speaker's own."""
    return k > 0 and sentence.tokens[k - 1].lower in {"heter", "är"}


_GREETINGS = frozenset({"hej", "hejsan", "tjena"})
"""Words after which a name is called out to ("Hej Omar")."""


def client_names(text: str, sentences: Sequence[Sentence]) -> frozenset[str]:
    """Names that are the client's, by the one reading of names the question-address reading
    uses too (`addressed`): the names called out to (`_called`: "Hej Linnea", "Linnea, hur
    mår du?", "Hur går det i skolan, Yusuf?") and the names whose genitive names a parent
    (`_genitive_names`: "Melvins föräldrar", both "melvins" and "melvin")."""
    capitalised = _capitalised_inside(text, sentences)
    return _client_names(text, sentences, capitalised, _called(text, sentences, capitalised))


def _client_names(
    text: str,
    sentences: Sequence[Sentence],
    capitalised: frozenset[str],
    called: dict[str, list[int]],
) -> frozenset[str]:
    """`client_names` from the names written with a capital inside a sentence and those
    called out to (`_capitalised_inside`, `_called`), read once by the caller."""
    return frozenset(called) | _genitive_names(text, sentences, capitalised | set(called))


def _name_gender(name: str) -> str:
    """A guess good enough to know which pronoun a client's name resets: Swedish women's
    names mostly end in -a (Wilma, Linnea), men's mostly not (Melvin, Omar)."""
    return "f" if name.endswith("a") else "m"


# The child's peers: "kompisar", "killarna i klassen", "andra barn", "en kille".
_PEERS = frozenset(
    {"kompis", "kompisen", "kompisar", "kompisarna", "kamrat", "kamraten", "kamrater"}
    | {"kamraterna", "killar", "killarna", "tjejer", "tjejerna", "grabbar", "grabbarna"}
    | {"elev", "eleven", "elever", "eleverna", "polare", "polarna", "gäng", "gänget"}
)
_PEER_HEADS = ("kompis", "kompisen", "kompisar", "kompisarna", "kamrater", "kamraterna")
_ONE_OF = frozenset({"en", "ett", "någon", "några", "andra"})
# "de"/"dom" followed by these is a determiner or "those who", not a doer.
_NOT_THEY = frozenset({"andra", "här", "där", "som", "flesta", "båda", "två", "tre"})


def is_peer(words: Sequence[str], k: int) -> bool:
    """True when word `k` names one or more of the child's peers: a peer word or a compound
    ending in one ("klasskompisar"), or "en kille", "några tjejer", "andra barn"."""
    word = words[k]
    if word in _PEERS or any(word.endswith(h) and len(word) > len(h) + 2 for h in _PEER_HEADS):
        return True
    before = words[k - 1] if k > 0 else ""
    return before in _ONE_OF and word in {"kille", "tjej", "barn", "barnen", "pojkar", "flickor"}


_THEY = frozenset({"de", "dom", "deras"})


def peers_doing(text: str, sentences: Sequence[Sentence]) -> frozenset[int]:
    """Starts of the "de"/"dom"/"deras" that stand for the child's peers: peers were the
    last people named, at most REFERENT_SENTENCES sentences before, with no family member
    named since ("Några killar i klassen retar honom." … "… efter att de sparkat honom";
    "Hur är det med kompisarna?" / "… Deras pappa dricker": the peers' father)."""
    out: set[int] = set()
    last: int | None = None
    for n, s in enumerate(sentences):
        words = [t.lower for t in s.tokens]
        for k, word in enumerate(words):
            if is_peer(words, k):
                last = n
            elif person_gender(word) or word in _PARENT_WORDS:
                last = None  # a parent or a sibling named since: "de" may be the family
            elif word in _THEY and _within_reach(last, n):
                nxt = words[k + 1] if k + 1 < len(words) else ""
                if nxt not in _NOT_THEY:
                    out.add(s.tokens[k].start)
    return frozenset(out)


def other_references(
    text: str, sentences: Sequence[Sentence], case_type: str = "vuxen"
) -> frozenset[int]:
    """Start offsets of the tokens that refer to a person other than the client (see
    `resolve`)."""
    return resolve(text, sentences, case_type)[0]


def resolve(
    text: str, sentences: Sequence[Sentence], case_type: str = "vuxen"
) -> tuple[frozenset[int], dict[int, str]]:
    """See `_resolution`."""
    out, nouns, _named, _owners, _selves = _resolution(text, sentences, case_type)
    return out, nouns


@dataclass(frozen=True)
class Resolution:
    """`resolve` and where the others are named, from one walk: the tagger reads with it
    and reports it."""

    others: frozenset[int]
    nouns: dict[int, str]
    naming: frozenset[tuple[int, int]]
    named: dict[int, tuple[int, int]]
    owners: frozenset[int] = frozenset()
    """Starts of the "han"/"hon"/"hans"/"hennes"/"honom"/"henne" that stand for a friend of
    the client's ("din kompis Amira" … "Hennes pappa slår henne": Amira's father hits Amira;
    "Hon blir slagen av sin pappa": Amira is)."""
    selves: frozenset[int] = frozenset()
    """Starts of the words that name the client in the third person: the client's own name
    and the "han"/"hon" that stand for it ("Nadia bor i egen lägenhet. … Som barn blev hon
    slagen …": the caseworker speaks of the client, who is then no other person)."""


def resolution(
    text: str,
    sentences: Sequence[Sentence],
    case_type: str = "vuxen",
    unsure: frozenset[int] = frozenset(),
) -> Resolution:
    """Who is who in `sentences`, in one walk: what `resolve` gives (the others' words, the
    nouns of pronouns asked about), and where the others are named: `naming` the spans of the
    words that name a person other than the client (person nouns, others' names; no
    pronouns), `named` for each "han"/"hon" (by start) read as such a person the span of the
    word that last named them ("Vill du berätta om pappa?" … "Han dricker": "pappa").
    `unsure`: starts of the words the recogniser was unsure of (see `_heard_possessed`)."""
    out, nouns, named, owners, selves = _resolution(text, sentences, case_type, unsure)
    words = frozenset(
        (t.start, t.end)
        for s in sentences
        for t in s.tokens
        if t.start in out and t.start not in named and not _several(t.lower, case_type)
    )
    return Resolution(out, nouns, words, named, owners, selves)


def _resolution(
    text: str,
    sentences: Sequence[Sentence],
    case_type: str,
    unsure: frozenset[int] = frozenset(),
) -> tuple[
    frozenset[int], dict[int, str], dict[int, tuple[int, int]], frozenset[int], frozenset[int]
]:
    """Start offsets of the tokens in `sentences` (in conversation order) that refer to a
    person other than the client: person nouns, others' names, and "han"/"hon" whose referent
    is such a person; and, for each "han"/"hon" whose referent is a person noun named in a
    question, that noun ("Vill du berätta om pappa?" / "Han dricker": "pappa"), and for each
    later use of a name first named after a possessive and a person noun, that noun ("Min
    syster Therese." … "Therese stöttar mig": "syster"). In a
    child's case a name is taken for the child's: the child is the person most talked about
    by name, and the recogniser's slips make counting names unsafe; not a name that follows a
    possessive and a person word ("din kompis Amira", "hans bror Ali"), which is that person.
    Also the starts of the "hans"/"hennes"/"honom"/"henne" whose "han"/"hon" would be a
    friend named so ("kompisen", "din kompis Amira"): only a friend, because in a child's case
    a parent's "hennes" is most often the child, whoever else "hon" might be. Last, the
    starts of the words that name the client in the third person (`Resolution.selves`): the
    client's own name (in an adult's case a name called out to, in a child's case the child's
    names, `_child_names`) and a "han"/"hon" while that name is the last person of its gender
    named in the last REFERENT_SENTENCES sentences."""
    capitalised = _capitalised_inside(text, sentences)
    called = _called(text, sentences, capitalised)
    clients = _client_names(text, sentences, capitalised, called)
    # The client's own names: in a child's case the child's as `addressed` reads them, never a
    # parent's name called out to.
    own = clients if case_type == "vuxen" else _child_names(text, sentences, called, capitalised)
    named = _names_seen(text, sentences, clients) if case_type == "vuxen" else frozenset()
    # In a child's case, names written as names inside a sentence somewhere: such a word
    # opening a sentence is that name too ("Elias är med en stund." … "Elias går i skolan …").
    inside = _names_seen(text, sentences, frozenset()) if case_type == "barn" else frozenset()
    others_named: set[str] = set()  # names read as someone else's ("din kompis Amira")
    written = _written_inside(text, sentences, named) if named else frozenset()
    out: set[int] = set()
    owners: set[int] = set()
    nouns: dict[int, str] = {}
    pointed: dict[int, tuple[int, int]] = {}  # a pronoun's start -> the word that named it
    where: dict[str, tuple[int, int]] = {}
    # For "m" and "f": the sentence index where another person of that gender was last
    # named, or None when the pronoun is the client's (or ambiguous); and the noun if any.
    last: dict[str, int | None] = {"m": None, "f": None}
    noun: dict[str, str | None] = {"m": None, "f": None}
    spoken: dict[str, str | None] = {"m": None, "f": None}  # the person noun last named
    friend: dict[str, bool] = {"m": False, "f": False}  # last named as a friend ("din kompis X")
    selves: set[int] = set()
    self_at: dict[str, int | None] = {"m": None, "f": None}  # where the client was last named
    relation: dict[str, str] = {}  # a name apposed to a person word ("min syster Therese")
    for n, s in enumerate(sentences):
        words = [t.lower for t in s.tokens]
        asks = is_question(s)  # a person asked about is the topic of the answers
        # "Finns det någon vuxen som han lyssnar på?" / "Yusuf på fritidsgården.": the
        # answer's opening word names that someone, not the client.
        opening = None
        if n > 0 and not asks and asks_for_someone(sentences[n - 1]):
            opening = answer_opening(s)
        for k, token in enumerate(s.tokens):
            word = words[k]
            gender = _PRONOUNS.get(word)
            if gender is not None:
                if _within_reach(last[gender], n):
                    out.add(token.start)
                    pointed[token.start] = where[gender]
                    if asks and noun[gender] is None:
                        # A question about "han" asks about the person noun it stands for
                        # ("Pappa, har han kontakt med henne?", read as "Pappa," + question).
                        noun[gender] = spoken[gender]
                    referent = noun[gender]
                    if referent is not None:
                        nouns[token.start] = referent
                    if friend[gender]:
                        owners.add(token.start)
                elif _within_reach(self_at[gender], n):
                    selves.add(token.start)  # "Nadia bor … Som barn blev hon slagen …"
                continue
            owner = _OWNERS.get(word)
            if owner is not None:
                if _within_reach(last[owner], n) and friend[owner]:
                    owners.add(token.start)
                continue
            found = person_gender(word) or _other_by_place(words, k, case_type)
            heard = None if found else heard_person(word)
            if heard is None and not found and token.start in unsure:
                heard = _heard_possessed(words, k, case_type)
            if heard is not None:
                found, word = heard  # read as the person word it sounds like
            asked = None if found or k != opening else _named_when_asked(text, s, k)
            if asked == "mf":
                found = asked  # "Tränaren …": a role, as a person noun
            name = found is None and (
                asked is not None
                or _is_name(text, s, k)
                or (word in named and not _a_place(s, k) and (k > 0 or word in written))
                or (
                    # In an adult's case the client's name opening a statement, not called
                    # out to ("Nadia bor i egen lägenhet."): the caseworker speaks of her.
                    case_type == "vuxen"
                    and k == 0
                    and word in clients
                    and len(words) > 1
                    and s.clause_of[1] == s.clause_of[0]
                    and not asks
                )
                or (
                    # The child's name opening a sentence takes "han"/"hon" back from another
                    # person named before, unless that person was the one asked about
                    # ("Hur är kontakten med pappan?" / "Lukas är där varannan helg. Men han
                    # dricker.": the father).
                    k == 0
                    and word in inside
                    and word not in others_named
                    and all(
                        noun[g] is None or not _within_reach(last[g], n) for g in _name_gender(word)
                    )
                )
            )
            if name and _introduced(s, k):
                continue  # "Jag heter Eva": the speaker's own name
            if name and word.endswith("s") and word[:-1] in clients:
                word = word[:-1]  # "Melvins föräldrar"
            child = word in _CHILD and case_type == "barn"
            apposed = (
                name
                and k >= 2
                and words[k - 2] in _POSSESSIVES
                and person_gender(words[k - 1]) is not None
                and words[k - 1] not in _CHILD
                and word not in clients
            ) or (asked is not None and name and word not in clients)
            # "din kompis Amira": the friend, not the child
            if apposed:
                others_named.add(word)
                if person_gender(words[k - 1]) is not None:
                    relation[word] = words[k - 1]
            if not apposed and (child or (name and (word in clients or case_type == "barn"))):
                for g in ("m", "f") if child else _name_gender(word):
                    last[g] = None
                    if name and word in own:
                        self_at[g] = n
                if name and word in own:
                    selves.add(token.start)
                continue
            if found is None and not name:
                continue
            out.add(token.start)
            if name and not apposed and word in relation:
                nouns[token.start] = relation[word]  # "Therese." after "Min syster Therese."
            possessor = words[k - 1] if k > 0 else ""
            for g in found or (_name_gender(word) if apposed else "mf"):
                if g not in last:
                    continue  # several ("barnen"): no "han"/"hon" stands for them
                self_at[g] = None
                if possessor in {"hans", "hennes"} and _OWNERS[possessor] == g:
                    last[g] = None  # "hans pappa … han": which one is unclear
                else:
                    last[g] = n
                    where[g] = (token.start, token.end)
                    noun[g] = word if found and asks else None
                    spoken[g] = word if found else None
                    friend[g] = word in _PEERS or (apposed and k > 0 and words[k - 1] in _PEERS)
    return frozenset(out), nouns, pointed, frozenset(owners), frozenset(selves)


def _within_reach(named_at: int | None, n: int) -> bool:
    """True when someone named in sentence `named_at` may still be the "han"/"hon" (or
    "hans", "de", …) of sentence `n` (at most REFERENT_SENTENCES before)."""
    return named_at is not None and n - named_at <= REFERENT_SENTENCES


# Who "du" is in a child's case. The child and a parent may both be in the room (or only
# one of them), and both are "du" to the caseworker: "Dricker du alkohol?" / "Nej." denies
# the child's drinking only when the reading is sure the child was asked.
_PLURAL_ADDRESS = (SPOKEN_TO - _YOU) | {"välkomna"}
"""Words that address more than one person: the child is not alone with the caseworker."""
_CLIENTS_CHILD = frozenset(w for w, (_g, kind) in CHILD_WORDS.items() if kind in {"kin", "the"})
"""Words for the client's own child (`CHILD_WORDS`, by kinship or "barnet", "pojken"): a
parent is in the conversation."""
_CHILD_OWNED = frozenset(w for w, (_g, kind) in CHILD_WORDS.items() if kind == "any")
"""Child words that are the client's own only after a possessive ("mitt barn", "dina
pojkar")."""
_CHILDS_PEOPLE = _PARENT_WORDS | {"föräldrarnas", "mammas", "pappas", "styvpappa", "styvmamma"}


_NOT_CALLED = frozenset(
    {"okej", "ok", "bra", "ja", "nej", "jo", "jaha", "jaså", "tack", "hej", "precis", "alltså"}
    | {"men", "och", "så", "nu", "då", "sen", "förresten", "visst", "absolut", "just"}
)
"""Words that open a sentence before a comma as a name would ("Okej, har du …?")."""


def _vocative(text: str, sentence: Sentence, k: int, speaks_to: bool, apart: bool) -> bool:
    """True when token `k` is a name the sentence calls out to: after "hej" ("Hej Omar",
    capitalised or no word of the language), or alone at an edge of a sentence that speaks to
    "du" (`speaks_to`: "Elias, röker du …?", "Hur går det i skolan, Yusuf?"); a word read as
    a sentence of its own only when a comma parts it from the next (`apart`: "Elias" + ", vet
    du …?")."""
    token = sentence.tokens[k]
    surface = text[token.start : token.end]
    word = token.lower
    words = [t.lower for t in sentence.tokens]
    if surface.isupper() or word in _NOT_CALLED | _NEVER_NAMES:
        return False
    if word in GRAMMAR_WORDS or person_gender(word) or word in _CHILD or _a_place(sentence, k):
        return False
    if _apposed_to_person(words, k):
        return False  # "Karin nämnde ditt barnbarn, Robin?": the grandchild, not called out to
    after_hej = k > 0 and words[k - 1] in _GREETINGS
    if after_hej and (surface[:1].isupper() or not is_swedish_word(word)):
        return True  # the recogniser may write a name in lower case ("Hej umar")
    if not surface[:1].isupper():
        return False
    if not speaks_to:
        return False
    if len(words) == 1:
        return apart
    if k == 0:
        return sentence.clause_of[1] != sentence.clause_of[0]
    return (
        k == len(words) - 1
        and sentence.clause_of[k] != sentence.clause_of[k - 1]
        and bool(SPOKEN_TO & set(words))
    )


def _apposed_to_person(words: Sequence[str], k: int) -> bool:
    """True when word `k` follows a possessive and a person or child word ("ditt barnbarn,
    Robin", "min syster Therese"): the name of that person."""
    return (
        k >= 2
        and words[k - 2] in _POSSESSIVES
        and (person_gender(words[k - 1]) is not None or words[k - 1] in CHILD_WORDS)
    )


def _capitalised_inside(text: str, sentences: Sequence[Sentence]) -> frozenset[str]:
    """The words written with a capital letter somewhere after a sentence's first word."""
    return frozenset(
        t.lower for s in sentences for t in s.tokens[1:] if text[t.start : t.start + 1].isupper()
    )


def _called(
    text: str, sentences: Sequence[Sentence], inside: frozenset[str]
) -> dict[str, list[int]]:
    """For each name called out to (`_vocative`), the indices of the sentences that do so: a
    name read apart from its question ("Elias" + ", röker du …?") calls out with it. (A
    name at a sentence's end speaks to "du" only in its own sentence.) `inside`: the words
    written with a capital inside a sentence (`_capitalised_inside`)."""
    out: dict[str, list[int]] = {}
    for n, s in enumerate(sentences):
        words = {t.lower for t in s.tokens}
        apart = (
            len(s.tokens) == 1
            and n + 1 < len(sentences)
            and text[s.end : sentences[n + 1].start].strip() == ","
        )
        # what follows speaks to "du": the name's own sentence, or the next ("Wilma, jag
        # behöver fråga om några saker. Har du …?")
        nxt = {t.lower for t in sentences[n + 1].tokens} if n + 1 < len(sentences) else set()
        speaks_to = bool(SPOKEN_TO & (words | nxt))
        for k in range(len(s.tokens)):
            # a question may call out with no "du" ("Jessica, stämmer det?"): a name written
            # as one inside a sentence somewhere ("Vatten, te?" calls nobody)
            asks = is_question(s) and s.tokens[k].lower in inside
            # a sentence's first word before a comma only if read apart from its question, a
            # name somewhere else too, or no word of the language ("Berätta, jag är här …",
            # "Ibland, när …?" call nobody)
            word = s.tokens[k].lower
            first = k == 0 and (apart or word in inside or not is_swedish_word(word))
            if (k > 0 or first) and _vocative(text, s, k, speaks_to or asks, apart):
                out.setdefault(s.tokens[k].lower, []).extend([n, n + 1] if apart else [n])
    return out


def _child_names(
    text: str,
    sentences: Sequence[Sentence],
    called: dict[str, list[int]],
    capitalised: frozenset[str],
) -> frozenset[str]:
    """In a child's case, the child's names: a name whose genitive names a parent ("Yusufs
    mamma", "Elias pappa", "Melvins föräldrar"; at a sentence's start only a name written so
    elsewhere too: "Leos pappa bor i Umeå."), and a name called out to (in the room) that
    a sentence calling out to someone else speaks of ("Annika, hur märker du när Wilma mår
    dåligt?": the parent is asked about the child). `capitalised`: the words written with a
    capital inside a sentence (`_capitalised_inside`)."""
    out: set[str] = set(_genitive_names(text, sentences, capitalised | set(called)))
    for n, s in enumerate(sentences):
        words = [t.lower for t in s.tokens]
        if not any(n in ns for ns in called.values()):
            continue
        for k in range(1, len(words)):
            if _written_as_name(text, s, k) and (
                words[k] in called and n not in called[words[k]] and not _a_place(s, k)
            ):
                out.add(words[k])
    return frozenset(out)


def _written_as_name(text: str, sentence: Sentence, k: int) -> bool:
    """True when token `k` is written as a name may be: a capital first letter (not all
    capitals), and no grammar word, question word or person word."""
    surface = text[sentence.tokens[k].start : sentence.tokens[k].end]
    word = sentence.tokens[k].lower
    if not surface[:1].isupper() or surface.isupper() or word in _NEVER_NAMES:
        return False
    return word not in GRAMMAR_WORDS and not person_gender(word)


def _genitive_names(
    text: str, sentences: Sequence[Sentence], inside: frozenset[str] | set[str]
) -> frozenset[str]:
    """The names whose genitive names one of the child's people ("Yusufs mamma", "Elias
    pappa", "Melvins föräldrar"), in both forms ("melvins" and "melvin": a name may end in
    s): inside a sentence, written as a name (`_written_as_name`); opening a sentence, only a
    name written so elsewhere too (`inside`: capitalised inside a sentence or called out to;
    "Leos pappa bor i Umeå.")."""
    out: set[str] = set()
    for s in sentences:
        words = [t.lower for t in s.tokens]
        if (
            len(words) > 1
            and words[1] in _CHILDS_PEOPLE
            and words[0].endswith("s")
            and {words[0], words[0][:-1]} & inside
            and not person_gender(words[0])
        ):  # "Leos pappa bor i Umeå."; a name ending in s: "Elias pappa bor i Umeå."
            out.update({words[0], words[0][:-1]})
        for k in range(1, len(words) - 1):
            genitive = words[k].endswith("s") and words[k + 1] in _CHILDS_PEOPLE
            if genitive and _written_as_name(text, s, k):
                out.update({words[k], words[k][:-1]})
    return frozenset(out)


_ASKED_OF_ALL_YOUNG = frozenset({"ungdomar", "unga", "tonåringar", "ungdomarna"})
"""After "alla": the caseworker asks what she asks every young person ("Jag frågar alla
ungdomar det här.")."""
_OF_YOUR_AGE = ("i", "din", "ålder")
"""After "alla" too: every child of the child's age ("Jag frågar alla i din ålder."), and
"alla barn"."""


def _all_young(words: Sequence[str], i: int) -> bool:
    """True when "alla" at `i` is followed by words for every young person: "alla
    ungdomar", "alla barn", "alla i din ålder"."""
    after = tuple(words[i + 1 : i + 1 + len(_OF_YOUR_AGE)])
    return words[i] == "alla" and (
        (bool(after) and after[0] in _ASKED_OF_ALL_YOUNG | {"barn", "barnen"})
        or after == _OF_YOUR_AGE
    )


@dataclass(frozen=True)
class Addressed:
    """In a child's case, the questions (by start) whose "du" is surely the child, and those
    whose "du" is surely a parent (`addressed`)."""

    child: frozenset[int] = frozenset()
    parent: frozenset[int] = frozenset()
    alike: frozenset[int] = frozenset()
    """Of `child`, the questions read so only from a word heard alike ("alla undumar"): a
    denial read from them is at most uncertain."""
    alone: bool = False
    """The child is alone with the caseworker: every "du" is the child's."""

    def client(self, sentence: Sentence, case_type: str) -> bool:
        """True when the "du" of `sentence` (a question, or several sentences read as one)
        is surely the client: always in an adult's case, where the client is the one spoken
        to; in a child's case only when the reading is sure the child is (`child`). The one
        answer to who "du" is that every reading of the client's own from a "du" asks."""
        if case_type != "barn" or self.alone:
            return True
        return any(sentence.start <= p < sentence.end for p in self.child)


def addressed(
    text: str,
    sentences: Sequence[Sentence],
    others: frozenset[int],
    segment_starts: frozenset[int] = frozenset(),
    unsure: frozenset[int] = frozenset(),
) -> Addressed:
    """Starts of the questions in a child's case whose "du" is surely the child:

    * the child alone with the caseworker: one name is called out to ("Hej Omar") and only
      so, never spoken of; nobody is addressed as several ("ni", "välkomna"); no word names
      a child of the client's ("sonen", "min dotter", "dina barn"); every "han"/"hon" a
      question asks about is another person named before (a parent talking about the child
      is asked "Hur mår han?"). Then every question's "du" is the child;
    * with others in the room: the question calls out to the child by name, in its own
      sentence or one before it in the same transcript segment ("Elias, röker du eller
      dricker du alkohol?"), the child's name being the one whose genitive names a parent
      ("Elias pappa", "Yusufs mamma"); and the next question in the second person after a
      short answer that says yes or no (`_asked_on`) and speaks of no third person ("Wilma, har
      du …?" / "Nej." / "Har du …?": the same person is asked on).

    "du" is surely a parent when the question calls out to a name that a sentence calling out
    to it speaks of the child with ("Annika, hur märker du när Wilma mår dåligt?"), or asks
    "du själv" right after a question that spoke of the child by name ("Har Lucas blivit
    slagen …?" / "Nej." / "Och du själv, hur mår du? Har du haft …?"). Otherwise "du" is
    left undecided. `unsure`: starts of the words the recogniser was unsure of, which
    address nobody as several ("ni" heard for "nu") nor name a child of the client's."""
    words_of = [[t.lower for t in s.tokens] for s in sentences]
    capitalised = _capitalised_inside(text, sentences)
    called = _called(text, sentences, capitalised)
    spoken_of: set[str] = set()
    for n, s in enumerate(sentences):
        for k, token in enumerate(s.tokens):
            if (
                k > 0
                and n not in called.get(token.lower, ())
                and _is_name(text, s, k)
                and not _introduced(s, k)
                and token.lower not in _NEVER_NAMES
            ):
                spoken_of.add(token.lower)
    every = {t.lower for s in sentences for t in s.tokens if t.start not in unsure}
    owned = any(
        ws[k] in _CHILD_OWNED and k > 0 and ws[k - 1] in _POSSESSIVES
        for ws in words_of
        for k in range(len(ws))
    )
    asked_pronoun = any(
        is_question(s) and t.lower in _PRONOUNS and t.start not in others
        for s in sentences
        for t in s.tokens
    )
    spoken_of |= {n[:-1] for n in spoken_of if n.endswith("s")}
    alone = (
        len(called) == 1
        and not set(called) & spoken_of
        and not every & (_PLURAL_ADDRESS | _CLIENTS_CHILD)
        and not owned
        and not asked_pronoun
    )
    out: set[int] = set()
    if alone:
        return Addressed(
            frozenset(
                s.start
                for s, ws in zip(sentences, words_of, strict=True)
                if is_question(s) and SPOKEN_TO & set(ws)
            ),
            alone=True,
        )
    parent: set[int] = set()
    alike: set[int] = set()
    child = _child_names(text, sentences, called, capitalised)
    to_child = {n for name, ns in called.items() if name in child for n in ns}
    to_other = {n for name, ns in called.items() if name not in child for n in ns}
    # A parent surely: a name called out to in a sentence that speaks of the child ("Annika,
    # hur märker du när Wilma mår dåligt?"), and not the sound of one of the child's names.
    child_keys = {phonetic_key(c) for c in child}
    to_parent = {
        n
        for name, ns in called.items()
        if name not in child
        and phonetic_key(name) not in child_keys
        and any(_speaks_of(text, sentences[m], child - {name}) for m in ns)
        for n in ns
    }
    last_child: int | None = None  # the last question asked of the child
    for n, s in enumerate(sentences):
        ws = words_of[n]
        if not is_question(s):
            continue
        if not _YOU & set(ws):
            continue
        turn = {n}  # the question and what the same voice said just before it
        j = n
        while j > 0 and n - j < 2 and not _new_segment(sentences[j - 1], s, segment_starts):
            j -= 1
            turn.add(j)
        before = next((i for i in range(min(turn) - 1, -1, -1) if is_question(sentences[i])), None)
        if to_other & turn and not to_parent & turn:
            last_child = None
            continue
        if to_parent & turn or (
            before is not None
            and _speaks_of(text, sentences[before], child)
            and any(
                words_of[j][i : i + 2] == ["du", "själv"]
                for j in turn
                for i in range(len(words_of[j]))
            )
        ):
            if child:
                parent.add(s.start)
            last_child = None
            continue
        # "Jag frågar alla i din ålder." may end the segment before the question's.
        framed = turn | ({min(turn) - 1} if min(turn) > 0 else set())
        young = any(_all_young(words_of[j], i) for j in framed for i in range(len(words_of[j]) - 1))
        heard_young = not young and any(
            words_of[j][i] == "alla" and _heard_young(sentences[j].tokens[i + 1], unsure)
            for j in turn
            for i in range(len(words_of[j]) - 1)
        )
        if (
            to_child & turn
            or young
            or heard_young
            or (last_child is not None and _asked_on(sentences, words_of, last_child, n))
        ):
            out.add(s.start)
            if heard_young:
                alike.add(s.start)
            last_child = n
        else:
            last_child = None
    return Addressed(frozenset(out), frozenset(parent), frozenset(alike))


_YOUNG_KEYS = frozenset(phonetic_key(w) for w in _ASKED_OF_ALL_YOUNG)


def _heard_young(token: Token, unsure: frozenset[int]) -> bool:
    """True for a word the recogniser was unsure of, no word of the language, one sound from
    "ungdomar" ("undumar"): the caseworker may have said she asks every young person."""
    if token.start not in unsure or is_swedish_word(token.lower):
        return False
    key = phonetic_key(token.lower)
    return any(_one_sound_off(key, k) for k in _YOUNG_KEYS)


def _speaks_of(text: str, sentence: Sentence, child: frozenset[str]) -> bool:
    """True when the sentence names the child (one of `child`) without calling out to them
    ("Har Lucas blivit slagen av någon vuxen?")."""
    return any(
        t.lower in child and text[t.start : t.start + 1].isupper() and k > 0
        for k, t in enumerate(sentence.tokens)
    )


def _new_segment(before: Sentence, sentence: Sentence, segment_starts: frozenset[int]) -> bool:
    """True when a transcript segment begins after `before`, up to `sentence` (always, for
    text given as one piece: no turn is known)."""
    return not segment_starts or any(before.end <= p <= sentence.start for p in segment_starts)


def _asked_on(
    sentences: Sequence[Sentence], words_of: Sequence[Sequence[str]], last: int, n: int
) -> bool:
    """True when the question at `n` follows the question at `last` with only a short answer
    between them that says yes or no (`conversation.answer_polarity`, as every answer is
    read: "Aldrig." is a no, "Nej, jag vet inte." hedges) and speaks of nobody in the third
    person."""
    between = list(range(last + 1, n))
    if not between or len(between) > 3 or any(is_question(sentences[j]) for j in between):
        return False
    if answer_polarity(sentences[between[0]]) is None:
        return False
    said = {w for j in between for w in words_of[j]}
    return not said & (_PRONOUNS.keys() | _OWNERS.keys() | _CHILDS_PEOPLE)
