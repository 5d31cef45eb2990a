"""The cue language of the catalogue and the matcher that finds cues in a sentence.

A cue says which words, found together in one sentence, show a factor::

    match: "mamma|pappa|förälder* + dricka|full|berusad|alkohol*"
    unless: "min pappa|min mamma"      # optional: words that cancel the cue in that sentence
    window: 8                          # optional: max distance in words, first to last match

* ``+`` separates groups; every group must be found (in any order) within ``window`` words.
* ``|`` separates alternatives; an alternative of several words is a phrase: its words in
  that order, at most one other word between two of them (fillers such as "ärligt talat",
  "faktiskt" not counted: `FILLERS`).
* a plain word matches every inflection: both sides are lemmatized and stemmed
  (see `risk_factors.text.normalize`), so ``dricka`` matches "drack", "druckit", "dricker";
  never a word derived from it (``jobbar`` is not "jobbigt", ``vän`` not "vänlig").
  A word written as a comparative or superlative (``oftare``, ``värre``, ``mest``;
  `risk_factors.text.grade`) matches only words of that degree: its positive ("ofta",
  "illa") says less. A positive cue word matches every degree (``dålig``: "sämre").
* ``alkohol*`` matches words that begin so (compounds: "alkoholproblem");
  ``*missbruk`` words that end so ("alkoholmissbruket"); ``*våld*`` words that contain it;
  ``=full`` only that exact word.
* ``re:<regex>`` is a regular expression on the lower-cased sentence instead.

Words the caller would treat as negation ("inte", "ingen") may be part of a cue ("ingen
vill vara med"); words a cue uses are never read as negating that cue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice, product

import simplemma
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from risk_factors.dictionary import is_dictionary_word
from risk_factors.text import Sentence, Token, grade, is_swedish_word, normalize

_WORD_SYNTAX = re.compile(r"^(=?)(\*?)([\wåäöéü-]+)(\*?)$", re.IGNORECASE)

# Words never matched fuzzily: short function words an ASR slip would turn into cue words.
_NO_FUZZ = frozenset(
    [
        "och",
        "att",
        "det",
        "som",
        "en",
        "ett",
        "han",
        "hon",
        "den",
        "de",
        "dom",
        "jag",
        "du",
        "vi",
        "ni",
        "man",
        "har",
        "hade",
        "var",
        "är",
        "inte",
        "med",
        "för",
        "på",
        "till",
        "av",
        "om",
        "så",
        "men",
        "när",
        "där",
        "här",
        "sig",
        "sin",
        "sitt",
        "sina",
        "mig",
        "dig",
        "oss",
        "er",
        "hans",
        "hennes",
        "deras",
    ]
)
GRAMMAR_WORDS = _NO_FUZZ
"""Pronouns, auxiliaries, prepositions and conjunctions: a sentence's grammar, never what it
is about."""
FUZZY_CUTOFF = 83.0
PHONETIC_DISTANCE = 1
PHONETIC_MIN_LEN = 5
"""An unsure heard word may differ from a cue word's sound (`phonetic_key`) by
PHONETIC_DISTANCE edits when its key is at least PHONETIC_MIN_LEN letters; shorter ones must
sound the same."""
FUZZY_MIN_LEN = 4
PREFIX_MIN_LEN = 4
"""A compound cue (``skol*``) is matched by sound only when its written part has this many
letters ("skol" in "skoran"); shorter ones would begin too many heard words."""
PREFIX_ENDING = 4
"""By sound, a compound cue's written part (``skola*``) may be followed by at most this many
sounds: an inflection ("skoran"), not the rest of a long misheard word ("superboligt")."""
STRONG_MIN_KEY = 5
STRONG_ONE_OFF_KEY = 7
"""A heard non-word that sounds exactly like a cue word whose sound key has at least
STRONG_MIN_KEY letters (or one sound off one of STRONG_ONE_OFF_KEY letters: "dronfri" for
"drogfri") may show the cue without an exactly heard word beside it."""
MERGED_MIN_LEN = 7
PIECE_MIN_LEN = 4
"""A heard non-word of at least MERGED_MIN_LEN letters that no dictionary accepts, not even as
a compound, may be two words the recogniser ran together ("märgökniv" for "bär du kniv"); a
piece of it counts when it has at least PIECE_MIN_LEN letters."""
PHRASE_GAP = 1
"""Words of a phrase may have this many other words between them ("vill verkligen förändra")."""
MAX_COMBINATIONS = 64
MAX_TRIED = 4096
"""Of one cue in one sentence at most MAX_COMBINATIONS matches are kept, from at most MAX_TRIED
combinations of its groups' occurrences (a long run-on heard text has many)."""
FILLERS = frozenset(
    {"ärligt", "talat", "faktiskt", "ju", "väl", "liksom", "typ", "alltså", "egentligen"}
)
"""Sentence adverbs and fillers that may stand inside any phrase without counting as one of
its PHRASE_GAP words: "Jag vet ärligt talat inte var han är" says "vet inte var han är"."""


EXACT, STRONG, ALIKE = 0, 1, 2
"""How a heard word matched a cue word: exactly, as a non-word that sounds exactly like it, or
only alike (spelled or sounding alike)."""


class CueSyntaxError(ValueError):
    """A cue that cannot be compiled; the message says what is wrong with it."""


@dataclass(frozen=True, slots=True)
class Term:
    mode: str  # norm | graded | prefix | suffix | contains | exact
    value: str
    surface: str = field(default="", compare=False, hash=False)
    """The word as written in the cue (compared with heard words when matching fuzzily)."""


@dataclass(frozen=True, slots=True)
class CompiledCue:
    """One compiled cue of one factor."""

    factor: str
    source: str
    groups: tuple[tuple[tuple[int, ...], ...], ...]
    unless: tuple[tuple[int, ...], ...]
    window: int
    weight: float
    case_type: str | None
    regex: re.Pattern[str] | None = None
    firsts: tuple[frozenset[int], ...] = ()
    """For each group, the term ids its alternatives start with (a quick presence check)."""


@dataclass(frozen=True, slots=True)
class CueMatch:
    """Where one cue matched: the token indices it used and how many were fuzzy matches."""

    cue: CompiledCue
    tokens: tuple[int, ...]
    fuzzy: int
    char_start: int
    char_end: int


@dataclass
class Lexicon:
    """Every term used by the compiled cues, and a cached lookup of which terms a word matches."""

    terms: list[Term] = field(default_factory=list)
    _ids: dict[Term, int] = field(default_factory=dict)
    _cache: dict[str, tuple[frozenset[int], frozenset[int]]] = field(default_factory=dict)
    _unsure_cache: dict[str, tuple[frozenset[int], frozenset[int], frozenset[int]]] = field(
        default_factory=dict
    )
    _fuzzy_choices: list[str] = field(default_factory=list)
    _fuzzy_ids: list[list[int]] = field(default_factory=list)
    _choice_keys: list[str] = field(default_factory=list)
    _sound_choices: list[str] = field(default_factory=list)
    _sound_ids: list[list[int]] = field(default_factory=list)
    _prefix_keys: list[tuple[str, int]] = field(default_factory=list)
    _surfaces: dict[int, set[str]] = field(default_factory=dict)
    _norm: dict[str, list[int]] = field(default_factory=dict)
    _graded: dict[str, list[int]] = field(default_factory=dict)
    _graded_norm: dict[str, list[int]] = field(default_factory=dict)
    _exact: dict[str, list[int]] = field(default_factory=dict)
    _affixes: list[tuple[int, Term]] = field(default_factory=list)
    _prefix: dict[str, list[int]] = field(default_factory=dict)
    _suffix: dict[str, list[int]] = field(default_factory=dict)
    _built: bool = False

    def add(self, term: Term) -> int:
        if term not in self._ids:
            self._ids[term] = len(self.terms)
            self.terms.append(term)
            self._cache.clear()
            self._unsure_cache.clear()
            self._built = False
        tid = self._ids[term]
        if term.surface and term.surface not in self._surfaces.setdefault(tid, set()):
            # "slår|slagit|slog" are one term (one normal form); remember each written form.
            self._surfaces[tid].add(term.surface)
            self._cache.clear()
            self._unsure_cache.clear()
            self._built = False
        return tid

    def _build_index(self) -> None:
        self._norm, self._exact, self._prefix, self._suffix = {}, {}, {}, {}
        self._graded = {}
        self._affixes = []
        by_mode = {
            "norm": self._norm,
            "graded": self._graded,
            "exact": self._exact,
            "prefix": self._prefix,
            "suffix": self._suffix,
        }
        self._graded_norm = {}
        for tid, term in enumerate(self.terms):
            if term.mode == "graded":
                self._graded_norm.setdefault(term.value.split()[0], []).append(tid)
            if term.mode in by_mode:
                by_mode[term.mode].setdefault(term.value, []).append(tid)
            else:
                self._affixes.append((tid, term))
        by_value: dict[str, list[int]] = {}
        for tid, term in enumerate(self.terms):
            if term.mode in ("norm", "prefix") and len(term.value) >= FUZZY_MIN_LEN - 1:
                by_value.setdefault(term.value, []).append(tid)
            if term.mode == "exact" and len(term.value) >= FUZZY_MIN_LEN + 1:
                by_value.setdefault(term.value, []).append(tid)  # "=dricker" heard "tricker"
            for surface in sorted(self._surfaces.get(tid, ())):
                if len(surface) >= FUZZY_MIN_LEN:
                    by_value.setdefault(surface, []).append(tid)
        self._fuzzy_choices = list(by_value)
        self._fuzzy_ids = list(by_value.values())
        # By sound, a heard word is compared with words as written in the cues (never with a
        # stem: "farm" of "farmor" is no word anyone says); compounds go by `_prefix_keys`.
        by_sound: dict[str, list[int]] = {}
        for tid, term in enumerate(self.terms):
            if term.mode == "exact" and len(term.value) >= FUZZY_MIN_LEN + 1:
                by_sound.setdefault(term.value, []).append(tid)
            for surface in sorted(self._surfaces.get(tid, ())):
                if len(surface) >= FUZZY_MIN_LEN:
                    by_sound.setdefault(surface, []).append(tid)
        self._sound_choices = list(by_sound)
        self._sound_ids = list(by_sound.values())
        self._choice_keys = [phonetic_key(v) for v in self._sound_choices]
        # A compound's written part is heard by sound only when its sound has PREFIX_MIN_LEN
        # letters too ("skjut*" keys as "ot" and would begin too many heard words).
        self._prefix_keys = [
            (key, tid)
            for tid, term in enumerate(self.terms)
            if term.mode == "prefix"
            and len(term.value) >= PREFIX_MIN_LEN
            and len(key := phonetic_key(term.value)) >= PREFIX_MIN_LEN
        ]
        self._built = True

    def surfaces(self, tid: int) -> set[str]:
        """The forms a term is written in, in the cues."""
        return self._surfaces.get(tid, set())

    def lookup(self, lower: str, norm: str) -> tuple[frozenset[int], frozenset[int]]:
        """(exactly matched term ids, fuzzily matched term ids) for one word."""
        hit = self._cache.get(lower)
        if hit is not None:
            return hit
        if not self._built:
            self._build_index()
        exact: set[int] = set(self._norm.get(norm, ())) | set(self._exact.get(lower, ()))
        if degree := grade(lower):
            exact.update(self._graded.get(_graded_value(norm, degree), ()))
        for k in range(1, len(lower) + 1):
            exact.update(self._prefix.get(lower[:k], ()))
            exact.update(self._suffix.get(lower[-k:], ()))
        for k in range(1, len(norm) + 1):
            exact.update(self._suffix.get(norm[-k:], ()))
        for tid, term in self._affixes:
            if term.value in lower:  # "contains"
                exact.add(tid)
        fuzzy: set[int] = set()
        if (
            not exact
            and len(lower) >= FUZZY_MIN_LEN
            and lower not in _NO_FUZZ
            and not simplemma.is_known(lower, lang="sv")
        ):
            fuzzy = self._fuzzy(lower, norm)
        result = (frozenset(exact), frozenset(fuzzy))
        self._cache[lower] = result
        return result

    def lookup_unsure(
        self, lower: str, norm: str, joined: bool = False
    ) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
        """`_lookup_unsure`; and a word the recogniser was unsure of is alike (never exactly) a
        cue word written in a degree whose normal form it shares: the ending is what is most
        often lost ("allt ofta det" heard for "allt oftare")."""
        exact, fuzzy, strong = self._lookup_unsure(lower, norm, joined)
        if joined or not self._graded_norm:
            return exact, fuzzy, strong
        degree = frozenset(self._graded_norm.get(norm, ())) - exact
        return exact, fuzzy | degree, strong

    def _lookup_unsure(
        self, lower: str, norm: str, joined: bool = False
    ) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
        """Like `lookup`, for a word the recogniser itself was unsure of: it may be a cue word
        misheard as another word ("slog" heard as "slug", "våld" as "vold"), so a cue word
        that is spelled alike, or sounds alike (`phonetic_key`), counts even when the heard
        word is a known Swedish word; a compound cue (``skol*``) counts when the heard word
        begins with its sound ("skoran" for "skolan").

        Returns (exact, alike, strong): `strong` ⊆ `alike` are the terms the heard word sounds
        exactly like (same sound key, at least STRONG_MIN_KEY letters) while it is no Swedish
        word itself: a mishearing with one likely reading, which may show a cue on its own."""
        exact, fuzzy = self.lookup(lower, norm)
        if joined:
            # Two heard pieces read as one word: a cue word found so is a likeness, however
            # exactly the pieces spell it, and compound prefixes must cover both pieces.
            exact = frozenset(t for t in exact if self.terms[t].mode in ("norm", "graded", "exact"))
            if exact:
                return frozenset(), exact, exact
        if exact or len(lower) < FUZZY_MIN_LEN or lower in _NO_FUZZ:
            return exact, fuzzy, frozenset()
        cache_key = "\0" + lower
        hit = self._unsure_cache.get(cache_key)
        if hit is None:
            key = phonetic_key(lower)
            reach = PHONETIC_DISTANCE if len(key) >= PHONETIC_MIN_LEN else 0
            found: set[int] = set(fuzzy)
            strong: set[int] = set()
            lost_first: set[int] = set()
            non_word = not simplemma.is_known(lower, lang="sv")
            for choice, dist, idx in process.extract(
                key, self._choice_keys, scorer=Levenshtein.distance, score_cutoff=reach, limit=50
            ):
                if _sounds_alike(key, choice):
                    found.update(self._sound_ids[idx])
                    if non_word and _strong(dist, choice):
                        strong.update(self._sound_ids[idx])
                    if key == choice[1:]:
                        lost_first.update(self._sound_ids[idx])
            for prefix_key, tid in self._prefix_keys:
                head = key[: len(prefix_key)]
                if len(key) < len(prefix_key) - PHONETIC_DISTANCE or not _sounds_alike(
                    head, prefix_key
                ):
                    continue
                if len(key) - len(prefix_key) > PREFIX_ENDING:
                    continue  # an ending ("skoran"), not a long misheard word ("superboligt")
                dist = Levenshtein.distance(head, prefix_key)
                if dist <= (PHONETIC_DISTANCE if len(prefix_key) >= PHONETIC_MIN_LEN else 0):
                    found.add(tid)
                    if non_word and _strong(dist, prefix_key):
                        strong.add(tid)
            if strong:
                # The likely readings: "souver" is "sover", not also "super"; a cue word with
                # only its first sound lost ("riker": "dricker") is as likely as an exact sound.
                found = strong | lost_first
            hit = (exact, frozenset(found), frozenset(strong))
            self._unsure_cache[cache_key] = hit
        return hit

    def _fuzzy(self, lower: str, norm: str) -> set[int]:
        out: set[int] = set()
        for query in {norm, lower}:
            for _choice, _score, idx in process.extract(
                query, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=3
            ):
                out.update(self._fuzzy_ids[idx])
        return out


# Sounds whisper confuses in Swedish, each class written as one letter: rounded back vowels,
# front vowels (rounded or not: "nöj" for "nej"), voiced/voiceless pairs, and r/l. General
# phonetics, not a list of heard words.
_SOUND_CLASSES = str.maketrans(
    {
        "å": "o",
        "u": "o",
        "ä": "e",
        "æ": "e",
        "ö": "e",
        "ø": "e",
        "y": "i",
        "b": "p",
        "d": "t",
        "g": "k",
        "c": "k",
        "q": "k",
        "v": "f",
        "w": "f",
        "z": "s",
        "r": "l",
    }
)


# The Swedish sj-sound written "sj" or "skj" at the start of a word ("själv", "sjuk",
# "skjuta") is a breathy fricative that the recogniser hears as an h ("själv" written
# "helv", "hel"): it is keyed like a silent h. General phonetics, not a list of heard words.
# (Its other spellings, "stj", "sk" before a front vowel, were measured to add unexpected
# findings: "stjäla" would key like any "h…ela".)
_SJ_SOUND = re.compile(r"^(?:skj|sj)(?=[aeiouyåäö])")


def phonetic_key(word: str) -> str:
    """A rough sound key of a Swedish word: letters that sound alike or that the recogniser
    confuses map to one letter, doubled letters collapse, and a silent initial h before a
    vowel is dropped ("hotat" and "otat" share a key), and so is the sj-sound the recogniser
    hears as one ("själv" and "helv")."""
    w = _SJ_SOUND.sub("", word.lower())
    if len(w) > 1 and w[0] == "h" and w[1] in "aeiouyåäö":
        w = w[1:]
    w = w.translate(_SOUND_CLASSES)
    return "".join(ch for i, ch in enumerate(w) if i == 0 or ch != w[i - 1])


def _strong(dist: int, cue_key: str) -> bool:
    """A heard non-word this far (in sound) from a cue word's key is a strong likeness: the
    same sound, or one sound off in a long word (STRONG_ONE_OFF_KEY letters or more)."""
    if dist == 0:
        return len(cue_key) >= STRONG_MIN_KEY
    return dist == 1 and len(cue_key) >= STRONG_ONE_OFF_KEY


def _sounds_alike(heard: str, cue: str) -> bool:
    """Two sound keys within reach (see `Lexicon.lookup_unsure`) that also begin alike: the
    same first sound, or the heard word is the cue word with its first sound lost
    ("arkotika" for "narkotika", "ricker" for "dricker"), which the recogniser often does.
    (A sound added in front is not accepted: "suttat" would be "hotat".)"""
    return heard[:1] == cue[:1] or heard == cue[1:]


def _parse_term(word: str) -> Term:
    m = _WORD_SYNTAX.match(word)
    if not m:
        raise CueSyntaxError(f"{word!r} is not a word, word*, *word, *word* or =word")
    exact, lead, body, trail = m.groups()
    body = body.lower()
    if exact and (lead or trail):
        raise CueSyntaxError(f"{word!r}: '=' cannot be combined with '*'")
    if exact:
        return Term("exact", body)
    if lead and trail:
        return Term("contains", body)
    if trail:
        return Term("prefix", body)
    if lead:
        return Term("suffix", normalize(body))
    if degree := grade(body):
        return Term("graded", _graded_value(normalize(body), degree), body)
    return Term("norm", normalize(body), body)


def _graded_value(norm: str, degree: str) -> str:
    """The key of a cue word written in a degree: its normal form and the degree."""
    return f"{norm} {degree}"


def _parse_group(text: str, lexicon: Lexicon, written: bool = True) -> tuple[tuple[int, ...], ...]:
    """The alternatives of one `|` group as term ids. `written`: the words' written forms are
    kept for matching heard words by likeness; an `unless` group's are not, for a form written
    there would become a form of the match word of the same normal form ("ärligt" of "ärligt
    talat" made the misheard "Erlikt" honesty)."""
    alternatives = []
    for alt in text.split("|"):
        words = alt.split()
        if not words:
            raise CueSyntaxError(f"empty alternative in {text.strip()!r}")
        terms = [_parse_term(w) for w in words]
        if not written:
            terms = [Term(t.mode, t.value) for t in terms]
        alternatives.append(tuple(lexicon.add(t) for t in terms))
    return tuple(alternatives)


def compile_cue(
    factor: str,
    match: str,
    lexicon: Lexicon,
    *,
    unless: str | None = None,
    window: int = 8,
    weight: float = 0.9,
    case_type: str | None = None,
) -> CompiledCue:
    """Compile one cue; raises CueSyntaxError with the reason when it cannot compile."""
    if match.startswith("re:"):
        try:
            regex = re.compile(match[3:].strip())
        except re.error as exc:
            raise CueSyntaxError(f"invalid regular expression: {exc}") from exc
        if regex.pattern == "" or regex.search(""):
            raise CueSyntaxError("the regular expression matches empty text")
        groups: tuple[tuple[tuple[int, ...], ...], ...] = ()
    else:
        regex = None
        if not match.strip():
            raise CueSyntaxError("empty cue")
        groups = tuple(_parse_group(g, lexicon) for g in match.split("+"))
    unless_alts = _parse_group(unless, lexicon, written=False) if unless else ()
    firsts = tuple(frozenset(alt[0] for alt in group) for group in groups)
    return CompiledCue(factor, match, groups, unless_alts, window, weight, case_type, regex, firsts)


class Matcher:
    """Finds every compiled cue in a sentence."""

    def __init__(self, cues: Iterable[CompiledCue], lexicon: Lexicon) -> None:
        self.cues = tuple(cues)
        self.lexicon = lexicon
        self._by_term: dict[int, list[int]] = {}
        self._regex_cues = [i for i, c in enumerate(self.cues) if c.regex is not None]
        self._splits: dict[str, int | None] = {}
        # The factors whose cues have a term as a one-word alternative of a group (`naming`).
        self._naming: dict[int, set[str]] = {}
        for index, cue in enumerate(self.cues):
            for alt in cue.groups[0] if cue.groups else ():
                self._by_term.setdefault(alt[0], []).append(index)
            for group in cue.groups:
                for alt in group:
                    if len(alt) == 1:
                        self._naming.setdefault(alt[0], set()).add(cue.factor)

    def naming(self, token: Token) -> frozenset[str]:
        """The factors one of whose cues names `token` exactly as a one-word alternative of a
        group ("alkohol*" of "problem med + alkohol*|spriten|…" names "alkoholen")."""
        exact, _fuzzy = self.lexicon.lookup(token.lower, token.norm)
        return frozenset(f for tid in exact for f in self._naming.get(tid, ()))

    def matches(
        self,
        text: str,
        sentence: Sentence,
        unsure: frozenset[int] | None = None,
        lone_fuzzy: bool = False,
    ) -> list[CueMatch]:
        """Every way each cue matches `sentence` (at most a few per cue), best first per cue.

        `unsure`: when the recogniser's word probabilities are known, the indices of the
        tokens it was unsure of. Only those may then match a cue word by likeness; without
        probabilities (typed text), unknown words may. A piece of a word the recogniser ran
        together (`split_merged`) is at best strongly alike, and alone shows no cue: a match
        needs a word heard whole, or both pieces of one word ("soverdoligt": "sover dåligt"),
        except in a question (`lone_fuzzy`), which can only be denied as uncertain.
        """
        positions: dict[int, list[tuple[int, int]]] = {}
        for i, token in enumerate(sentence.tokens):
            strong: frozenset[int] = frozenset()
            if unsure is None:
                exact, fuzzy = self.lexicon.lookup(token.lower, token.norm)
            elif i in unsure:
                exact, fuzzy, strong = self.lexicon.lookup_unsure(token.lower, token.norm)
            else:
                exact, fuzzy = self.lexicon.lookup(token.lower, token.norm)
                fuzzy = frozenset()
            # A piece of a word run together is at best strongly alike, never exact.
            lowest = STRONG if token.piece else EXACT
            for tid in exact:
                positions.setdefault(tid, []).append((i, lowest))
            for tid in fuzzy:
                level = STRONG if tid in strong and not token.piece else ALIKE
                positions.setdefault(tid, []).append((i, level))
        joins = self._joined_words(sentence, unsure, positions) if unsure else set()
        fillers = frozenset(i for i, t in enumerate(sentence.tokens) if t.lower in FILLERS)
        candidates: set[int] = set()
        for tid in positions:
            candidates.update(self._by_term.get(tid, ()))
        out: list[CueMatch] = []
        for index in sorted(candidates):
            for found in self._match_cue(
                self.cues[index], sentence, positions, lone_fuzzy, fillers
            ):
                if found.tokens[-1] in joins:  # quote both heard pieces of the word
                    end = sentence.tokens[found.tokens[-1] + 1].end
                    found = CueMatch(found.cue, found.tokens, found.fuzzy, found.char_start, end)
                if any(sentence.tokens[i].piece for i in found.tokens):
                    if not lone_fuzzy and not _whole_pieces(sentence, found.tokens):
                        continue
                    found = _whole_words(sentence, found)
                out.append(found)
        lowered: str | None = None
        for index in self._regex_cues:
            cue = self.cues[index]
            assert cue.regex is not None
            if lowered is None:
                lowered = text[sentence.start : sentence.end].lower()
            for m in cue.regex.finditer(lowered):
                start, end = sentence.start + m.start(), sentence.start + m.end()
                used = tuple(
                    i for i, t in enumerate(sentence.tokens) if t.start < end and t.end > start
                )
                if used and not _unless(cue, positions, len(sentence.tokens), fillers=fillers):
                    out.append(CueMatch(cue, used, 0, start, end))
        return out

    def split_merged(self, sentence: Sentence, unsure: frozenset[int] | None) -> Sentence:
        """The sentence with each unsure non-word that is two words run together ("märgökniv"
        for "bär du kniv", "soverdoligt" for "sover dåligt") read as two tokens, each marked
        `piece` (see `_split_point`); the sentence itself when no word is split or there are
        no word probabilities (typed text)."""
        if not unsure:
            return sentence
        tokens: list[Token] = []
        clause_of: list[int] = []
        for i, token in enumerate(sentence.tokens):
            k = self._split_point(token.lower) if i in unsure else None
            if k is None or len(token.lower) != token.end - token.start:
                tokens.append(token)
                clause_of.append(sentence.clause_of[i])
                continue
            for a, b in ((0, k), (k, len(token.lower))):
                word = token.lower[a:b]
                tokens.append(Token(word, normalize(word), token.start + a, token.start + b, True))
                clause_of.append(sentence.clause_of[i])
        if len(tokens) == len(sentence.tokens):
            return sentence
        return Sentence(
            sentence.start, sentence.end, tuple(tokens), tuple(clause_of), sentence.is_question_mark
        )

    def _split_point(self, word: str) -> int | None:
        """Where to cut a heard word into two that the recogniser ran together: only a
        non-word of MERGED_MIN_LEN letters or more that matches no cue word as it is and that
        no dictionary accepts, not even as a compound ("smörkniv" is a word); cut where a
        piece of PIECE_MIN_LEN letters is a Swedish word that is a cue word, or a non-word
        that sounds exactly like one ("doligt"). A cut into two Swedish words wins, then the
        longest such piece; None when there is none."""
        if len(word) < MERGED_MIN_LEN or not word.isalpha() or is_swedish_word(word):
            return None
        cached = self._splits.get(word, -1)
        if cached != -1:
            return cached
        best: tuple[int, int, int] | None = None
        exact, _fuzzy, strong = self.lexicon.lookup_unsure(word, normalize(word))
        if not exact and not strong and not is_dictionary_word(word):
            for k in range(2, len(word) - 1):
                pieces = (word[:k], word[k:])
                cue = sum(
                    len(p) for p in pieces if len(p) >= PIECE_MIN_LEN and self._piece_is_cue(p)
                )
                # Two Swedish words ("testat" + "droger") before a word and a sound.
                score = (sum(is_swedish_word(p) for p in pieces), cue, -k)
                if cue and (best is None or score > best):
                    best = score
        self._splits[word] = None if best is None else -best[2]
        return self._splits[word]

    def _piece_is_cue(self, piece: str) -> bool:
        """True for a piece that is a cue word as written ("kniv", not "hels" for "hela"),
        or a non-word that sounds exactly like one ("doligt")."""
        norm = normalize(piece)
        if is_swedish_word(piece):
            return any(
                piece == self.lexicon.terms[t].value or piece in self.lexicon.surfaces(t)
                for t in self.lexicon.lookup(piece, norm)[0]
            )
        return bool(self.lexicon.lookup_unsure(piece, norm)[2])

    def _joined_words(
        self,
        sentence: Sentence,
        unsure: frozenset[int],
        positions: dict[int, list[tuple[int, int]]],
    ) -> set[int]:
        """Where the recogniser split one word in two ("fron varum" for "frånvaron"): two
        unsure neighbours, one of them no Swedish word, read together as one word may be a cue
        word, never exactly (at best strongly alike, see `Lexicon.lookup_unsure`). Two unsure
        Swedish words, neither a grammar word, are read together only as a compound cue word
        (``drogfri*``, ``självmord*``) whose written part runs into the second piece ("drog
        fri", "själv mord"), never by sound, likeness or a plain cue word ("sjuk skriven"
        stays two words). Adds those readings to `positions` at the first piece; returns the
        indices of those pieces."""
        tokens = sentence.tokens
        joins: set[int] = set()
        for i in range(len(tokens) - 1):
            a, b = tokens[i].lower, tokens[i + 1].lower
            if i not in unsure or i + 1 not in unsure or (a in _NO_FUZZ and b in _NO_FUZZ):
                continue
            both_words = simplemma.is_known(a, lang="sv") and simplemma.is_known(b, lang="sv")
            if both_words and (a in _NO_FUZZ or b in _NO_FUZZ):
                continue
            word, norm = a + b, normalize(a + b)
            # A compound cue ("drogfri*") whose written part runs into the second piece.
            spanning = frozenset(
                t
                for t in self.lexicon.lookup(word, norm)[0]
                if self.lexicon.terms[t].mode == "prefix"
                and len(self.lexicon.terms[t].value) > len(a)
            )
            if both_words:
                # Only such a compound as written ("drog fri"), never a sound: "hör mord" is no
                # "självmord", "slags mor" no "slagsmål".
                exact = fuzzy = strong = spanning
            else:
                exact, fuzzy, strong = self.lexicon.lookup_unsure(word, norm, joined=True)
                exact |= spanning
            for tid in exact | fuzzy:
                level = STRONG if tid in exact or tid in strong else ALIKE
                positions.setdefault(tid, []).append((i, level))
                joins.add(i)
        return joins

    def _match_cue(
        self,
        cue: CompiledCue,
        sentence: Sentence,
        positions: dict[int, list[tuple[int, int]]],
        lone_fuzzy: bool = False,
        fillers: frozenset[int] = frozenset(),
    ) -> list[CueMatch]:
        n = len(sentence.tokens)
        per_group: list[list[tuple[tuple[int, ...], int, int]]] = []
        for group, firsts in zip(cue.groups, cue.firsts, strict=True):
            if firsts.isdisjoint(positions):
                return []
            found = [
                occ
                for alt in group
                if alt[0] in positions
                for occ in _phrase_occurrences(alt, positions, n, fillers)
            ]
            if not found:
                return []
            per_group.append(found)
        if _unless(cue, positions, n, fillers=fillers):
            return []
        results: list[CueMatch] = []
        for combo in islice(product(*per_group), MAX_TRIED):
            used = sorted({i for idxs, _f, _w in combo for i in idxs})
            if len(used) < sum(len(idxs) for idxs, _f, _w in combo):
                continue  # two groups on the same word
            extra = sum(idxs[-1] - idxs[0] for idxs, _f, _w in combo)
            if used[-1] - used[0] - extra > cue.window:
                continue
            fuzzy = sum(f for _idxs, f, _w in combo)
            weak = sum(w for _idxs, _f, w in combo)
            if fuzzy and _unless(cue, positions, n, frozenset(used), fillers):
                continue
            if weak >= len(used) and not lone_fuzzy:
                # Words merely heard alike are too weak alone: one word must be exact, or a
                # non-word that sounds exactly like the cue word (STRONG).
                continue
            toks = sentence.tokens
            results.append(
                CueMatch(cue, tuple(used), fuzzy, toks[used[0]].start, toks[used[-1]].end)
            )
            if len(results) >= MAX_COMBINATIONS:
                break
        results.sort(key=lambda m: (m.fuzzy, m.tokens[-1] - m.tokens[0]))
        return results


def _whole_pieces(sentence: Sentence, used: tuple[int, ...]) -> bool:
    """True when a match that uses a piece of a word run together uses every piece of it
    ("sover" and "dåligt" of "soverdoligt"), not one piece beside other words ("super" of
    "superdålit" with "hela")."""
    toks, chosen = sentence.tokens, set(used)
    for i in used:
        if not toks[i].piece:
            continue
        if i > 0 and toks[i - 1].piece and toks[i - 1].end == toks[i].start and i - 1 not in chosen:
            return False
        after = i + 1 < len(toks) and toks[i + 1].piece and toks[i + 1].start == toks[i].end
        if after and i + 1 not in chosen:
            return False
    return True


def _whole_words(sentence: Sentence, match: CueMatch) -> CueMatch:
    """A match that uses a piece of a word run together, quoting the whole heard word."""
    toks = sentence.tokens
    first, last = match.tokens[0], match.tokens[-1]
    while toks[first].piece and first > 0 and toks[first - 1].end == toks[first].start:
        first -= 1
    while toks[last].piece and last + 1 < len(toks) and toks[last + 1].start == toks[last].end:
        last += 1
    start = min(match.char_start, toks[first].start)
    end = max(match.char_end, toks[last].end)
    # Every word of it counts as heard alike: a question asked so is denied only as
    # uncertain, and a yes to it is no finding.
    return CueMatch(match.cue, match.tokens, len(match.tokens), start, end)


def _phrase_occurrences(
    alt: tuple[int, ...],
    positions: dict[int, list[tuple[int, int]]],
    n: int,
    fillers: frozenset[int] = frozenset(),
) -> list[tuple[tuple[int, ...], int, int]]:
    """Where a phrase occurs: (token indices, how many heard alike, how many of those weakly).
    Between two of its words at most PHRASE_GAP other words, not counting `fillers` (the
    indices of FILLERS words)."""
    first = positions.get(alt[0])
    if not first:
        return []
    out: list[tuple[tuple[int, ...], int, int]] = []
    for start, level in first:
        idxs = [start]
        fuzzy, weak = int(level != EXACT), int(level == ALIKE)
        for tid in alt[1:]:
            nxt = next(
                (
                    p
                    for p in positions.get(tid, ())
                    if 0 < p[0] - idxs[-1] <= 1 + PHRASE_GAP + _between(fillers, idxs[-1], p[0])
                ),
                None,
            )
            if nxt is None:
                break
            idxs.append(nxt[0])
            fuzzy += int(nxt[1] != EXACT)
            weak += int(nxt[1] == ALIKE)
        else:
            out.append((tuple(idxs), fuzzy, weak))
    return out


def _between(fillers: frozenset[int], a: int, b: int) -> int:
    """How many of `fillers` lie strictly between token indices `a` and `b`."""
    return sum(1 for i in fillers if a < i < b) if fillers else 0


def _unless(
    cue: CompiledCue,
    positions: dict[int, list[tuple[int, int]]],
    n: int,
    used: frozenset[int] = frozenset(),
    fillers: frozenset[int] = frozenset(),
) -> bool:
    """True when the cue's `unless` words are in the sentence: heard exactly, or heard alike
    only on words the match itself reads alike (reading "råkar" as "bråkar" for a cue, the
    unless "vi bråkar" must read it so too)."""
    for alt in cue.unless:
        if alt[0] not in positions:
            continue
        for idxs, occ_fuzzy, _weak in _phrase_occurrences(alt, positions, n, fillers):
            if occ_fuzzy == 0:
                return True
            alike = {
                i for i, tid in zip(idxs, alt, strict=True) if (i, EXACT) not in positions[tid]
            }
            if alike <= used:
                return True
    return False
