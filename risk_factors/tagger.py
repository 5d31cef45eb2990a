"""The Swedish factor tagger: which catalogue factors were mentioned, with the words that show it.

    from risk_factors.tagger import Tagger
    tagger = Tagger.default()                       # or Tagger.from_catalogue(catalogue)
    result = tagger.tag_text("Pappa dricker varje kväll.", "barn")
    result = tagger.tag_segments(transcript.segments, "barn")   # objects with start/end/text

A `Tag` is a factor stated as present; a `Denial` is one asked about and denied, or told as
over ("inte längre", "slutat"). Denials are never tags. Something told as over without being
asked ("Pappan drack förut, men han har slutat") is kept in `TagResult.denied` (reason
resolved) but is no asked-and-denied finding: `denied_by_factor` leaves it out. Questions
("Dricker ni?") give neither. Every tag and denial carries the quote, its character span in
the input (and, for segments, the segment index, span within that segment's text and the
segment times), a confidence and the catalogue version: what `fredag.protocol.Evidence` needs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any, Literal, Protocol, TypeVar

from fredag.errors import UsageError
from risk_factors.catalogue import catalogue_sha256, load_catalogue
from risk_factors.context import (
    _CLIENT_OBJECTS,
    _INVERTED_SUBJECTS,
    _POSSESSIVE_WORDS,
    AFTER_REACH,
    ANSWER_OPENERS,
    CHILD_WORDS,
    NEGATORS,
    OTHER_PEOPLE,
    QUESTION_VERBS,
    about_someone_else,
    answer_start,
    answers_with_then,
    asks_for_someone,
    asks_hypothetically,
    asks_if_still,
    asks_openly,
    continues_question,
    elliptic_topic,
    hypothetical,
    in_phrase_of_other,
    inner_question_start,
    introduction_end,
    is_question,
    lost,
    opens_condition,
    opens_with_now,
    part,
    question_start,
    says_over,
    sounds_like_negation,
    status,
    told_to_client,
    topics_past_lost_verb,
)
from risk_factors.conversation import (
    Polarity,
    Utterance,
    answer_polarity,
    utterance,
    word_pauses,
    word_probabilities,
)
from risk_factors.cues import CompiledCue, CueMatch, Lexicon, Matcher, compile_cue, phonetic_key
from risk_factors.persons import (
    _PRONOUNS,
    SPOKEN_TO,
    Addressed,
    Resolution,
    addressed,
    answer_opening,
    is_peer,
    peers_doing,
    person_gender,
    resolution,
)
from risk_factors.schema import Catalogue, Factor
from risk_factors.text import Sentence, Token, is_swedish_word, normalize, split_sentences

__all__ = ["CASE_TYPES", "Denial", "Persons", "Tag", "TagResult", "Tagger", "persons"]

CASE_TYPES = ("barn", "vuxen")
FUZZY_FACTOR = 0.7
ANSWER_FACTOR = 0.9
"""A factor found or denied by a yes or no to a question about it: the question's cue weight
times this."""
UNSURE_WORD = 0.8
"""A heard word below this probability is one the recogniser was unsure of (it may be matched
to a cue word by likeness); a yes or no below it is not a clear answer."""
UNCLEAR_SENTENCE = 0.45
"""A sentence whose heard words average below this probability gives no finding, and a
denial in it is at most uncertain."""
FOLLOW_UP_REACH = 4
"""How many sentences back the question before a follow-up question may stand (its answer
between them): "Hur är det i skolan?" / "Bra. Jag har A i nästan allt." / "Har du varit borta
mycket?"."""
FOLLOW_UP_FACTOR = 0.8
"""A denial read from a follow-up question with the question before it (`_follow_up`): the
cue weight times this."""
_INDEFINITE = frozenset({"något", "någonting"})
_PERSON_PRONOUNS = frozenset(
    {"jag", "mig", "du", "dig", "han", "honom", "hon", "henne", "hen", "vi", "oss", "ni", "er"}
    | {"de", "dem", "dom", "min", "din", "hans", "hennes", "någon", "ingen"}
)
_BUT_WORDS = frozenset({"men", "bara", "utom", "förutom", "fast"})
"""A no with one of these goes on to say something else ("Nej, men jag dricker på helgerna")."""
_CONTINUES = re.compile(r"och\b", re.IGNORECASE)
BARE_ANSWER_WORDS = 6
ANSWER_PAUSE = 0.5
"""A pause (seconds, from the recogniser's word times) at which a question and an answer
written as one sentence are read apart (`Tagger._paused_turns`)."""
"""An answer of at most this many words that says no and states no factor is a bare no."""
_NO_SOUNDS = frozenset({phonetic_key("nej"), phonetic_key("nä")})
UNCERTAIN_CONFIDENCE = 0.4
"""The highest confidence an uncertain denial (heard unclearly) is given."""
DENIAL_REACH = 2
"""How many sentences after a denial a finding of the same factor is read as contradicting it
(the same answer: "Nej." / "Nej, han har kompisar." / "Men ibland …")."""
OWN_LEVELS = frozenset({"individ", "vuxen"})
"""Factor levels that are about the client themself: never found in what is said of another
person ("Hans mamma dricker" is not the child's drinking)."""
PEER_LEVELS = frozenset({"kamrater"})
"""Factor levels about the client's own peers: never found in what is said of another
person's peers ("Han röker på med sina kompisar", "han" the brother)."""
WISH_FACTORS = frozenset({"motivation_for_change", "self_esteem", "self_harm_suicidality"})
"""Factors that are about wanting, hoping or thinking: a wish does state them."""
_CLIENT_SELF = frozenset({"jag", "mig", "vi", "oss", "min", "mitt", "mina"})
PARENT_FACTORS = frozenset(
    {
        "parental_support",
        "parental_sensitivity",
        "parental_monitoring",
        "parental_substance_abuse",
        "parental_mental_illness",
        "parental_criminality",
    }
)
"""Factors about the child's parent as a person: never found in what a parent says of their
own parent, the children's grandparent (`_speakers_parent`)."""
_OWN_PARENT = frozenset({"mamma", "pappa", "mor", "far", "föräldrar", "morsa", "farsa"})
_CHILDREN = frozenset(w for w, (g, kind) in CHILD_WORDS.items() if kind == "grand" or g == "p")
"""Child words that are the speaker's children alone: grandchildren, and several named
together ("barnen", "döttrarna")."""
_MY_CHILD = frozenset(w for w, (_g, kind) in CHILD_WORDS.items() if kind != "young")
"""Child words that are the speaker's children after "min"/"mina" ("min son", "mina barn")."""
_ALSO = frozenset({"också", "även", "själv", "båda", "bägge"})
_FIRST_SECOND = frozenset({"jag", "mig", "du", "dig", "vi", "oss", "ni", "er"})
EXCLUDED_BY = {"stable_housing": "housing_instability", "stable_economy": "economic_hardship"}
"""A resource and the risk that says the same thing is not so (by the catalogue's definitions:
a home of one's own that lasts, or a home one is losing; money that suffices, or money that
does not): both cannot hold at once (`Tagger._contradicted`)."""
LACKED_AS = {
    "employment_education": "unemployment_income",
    "stable_housing": "housing_instability",
    "stable_economy": "economic_hardship",
}
"""A resource and the risk that is its lack, by the catalogue's definitions (work or studies /
no work or income of one's own; a home of one's own that lasts / no home of one's own; money
that suffices / money that does not): a no to a question whether the client has the resource
finds the risk (`Tagger._lacked`)."""
NOT_SO_BY = {
    "sobriety": ("alcohol_problem", "drug_problem"),
    "unemployment_income": ("employment_education",),
}
"""A factor found in an answer and the factors it says are not so now (by the catalogue's
definitions: sober or drug-free now, no work or studies now), when the question asked about
them now (`Tagger._not_so_now`)."""
NOW_REACH = 3
"""How many sentences before a question about now, and after it, `Tagger._not_so_now` reads."""
_NOW_ASKED = frozenset({"nu", "idag", "numera", "fortfarande", "längre"})
"""The words that ask how a thing is now."""
CaseType = Literal["barn", "vuxen"]
_T = TypeVar("_T", bound="Tag")


class SegmentLike(Protocol):
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Tag:
    """A factor stated as present, with its evidence.

    `start`/`end` index the tagged text (for segments: the segments joined by single spaces);
    `segment`, `char_start`/`char_end` (within that segment's text) and `start_s`/`end_s`
    (seconds) are set when segments were tagged.
    """

    factor: str
    kind: str
    name_sv: str
    quote: str
    start: int
    end: int
    confidence: float
    catalogue_version: str
    segment: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    start_s: float | None = None
    end_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Denial(Tag):
    """A factor asked about and denied ("negated") or told as over ("resolved"): never a tag.
    `asked`: the denial answers a question about the factor (the question and the answer are
    its evidence)."""

    reason: str = "negated"
    asked: bool = False


Place = tuple[int, int, int]
"""(segment, char_start, char_end): words in one transcript segment."""


@dataclass(frozen=True)
class Persons:
    """Who, other than the client, a meeting's words name, as the tagger reads them
    (`risk_factors.persons`), in transcript segments: `naming` the words that name such a
    person ("pappa", "Marcus", "storebror"); `named`, for each "han"/"hon" the tagger reads as
    such a person, (segment, char_start) → the word that last named them."""

    naming: frozenset[Place]
    named: Mapping[tuple[int, int], Place]


NOBODY = Persons(frozenset(), {})


@dataclass(frozen=True)
class TagResult:
    tags: tuple[Tag, ...]
    denied: tuple[Denial, ...]
    catalogue_version: str
    catalogue_sha256: str
    persons: Persons = NOBODY
    """Who is who as this reading took it (`tag_segments`: the same walk that decided whose
    each factor is, in transcript segments); nobody for `tag_text`."""

    def factors(self) -> set[str]:
        """The slugs tagged as present."""
        return {t.factor for t in self.tags}

    def by_factor(self) -> dict[str, list[Tag]]:
        """Tags grouped by factor in order of first mention (one FactorFinding each)."""
        out: dict[str, list[Tag]] = {}
        for tag in self.tags:
            out.setdefault(tag.factor, []).append(tag)
        return out

    def denied_by_factor(self) -> dict[str, list[Denial]]:
        """Asked-and-denied findings grouped by factor: denials, leaving out factors that are
        also tagged as present, and what was only told as over without being asked ("Han
        spelade fotboll förut, men han slutade" is no denial of leisure; "Dricker du?" / "Nej,
        inte längre." is)."""
        present = self.factors()
        out: dict[str, list[Denial]] = {}
        for d in self.denied:
            if d.reason == "resolved" and not d.asked:
                continue
            if d.factor not in present:
                out.setdefault(d.factor, []).append(d)
        return out


class Tagger:
    """Tags Swedish text with catalogue factors. Build once; tagging is thread-safe for reading."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.version = catalogue.version
        self.sha256 = catalogue_sha256(catalogue)
        self.factors: dict[str, Factor] = {f.slug: f for f in catalogue.factors}
        lexicon = Lexicon()
        compiled: list[CompiledCue] = []
        for factor in catalogue.factors:
            if factor.retired:
                continue
            for cue in factor.cues:
                compiled.append(
                    compile_cue(
                        factor.slug,
                        cue.match,
                        lexicon,
                        unless=cue.unless,
                        window=cue.window,
                        weight=cue.weight,
                        case_type=cue.case_type,
                    )
                )
        self._matcher = Matcher(compiled, lexicon)

    @classmethod
    def from_catalogue(cls, catalogue: Catalogue) -> Tagger:
        return cls(catalogue)

    @classmethod
    def default(cls) -> Tagger:
        """The tagger on the packaged catalogue, built once per process and then shared."""
        return _default_tagger()

    def _applies(self, cue: CompiledCue, case_type: str) -> bool:
        applies_to = self.factors[cue.factor].applies_to
        return applies_to in ("alla", case_type) and cue.case_type in (None, case_type)

    def tag_text(self, text: str, case_type: str) -> TagResult:
        """Tag one text (a sentence or a whole transcript) for a `barn` or `vuxen` case.

        Questions give no finding; a yes or no that answers a question about a factor finds
        or denies it, with the question and the answer as its evidence."""
        return self._read(_Reading(text), case_type)

    def _read(self, reading: _Reading, case_type: str) -> TagResult:
        if case_type not in CASE_TYPES:
            raise UsageError(f"case type must be barn or vuxen, not {case_type!r}")
        tags: list[Tag] = []
        denied: list[Denial] = []
        question: Sentence | None = None
        sentences = _sentences(reading, self._matcher.split_merged)
        unsure = _unsure_words(reading, sentences)
        reading.resolution = resolution(reading.text, sentences, case_type, unsure)
        if case_type == "barn":
            reading.peers = peers_doing(reading.text, sentences)
            reading.asked_whom = addressed(
                reading.text, sentences, reading.others, reading.later_starts, unsure
            )
        reading.conversation = len(sentences) > 1 and any(
            t.lower in _FIRST_SECOND for s in sentences for t in s.tokens
        )
        asked_at: tuple[int, Sentence] | None = None  # the last question and where
        reading.denied = denied
        reading.before = {s.start: sentences[i - 1] for i, s in enumerate(sentences) if i > 0}
        for i, sentence in enumerate(sentences):
            if (
                question is not None
                and question.start >= sentences[i - 1].start
                and continues_question(sentence)
            ):
                # "Har det blivit våld mellan er. När det har varit som värst?" / "Nej.": the
                # no answers the question the piece qualifies (`_answer`).
                reading.continued[sentence.start] = question
            if question is not None and (asked_at is None or asked_at[1] is not question):
                if asked_at is not None and i - 1 - asked_at[0] <= FOLLOW_UP_REACH:
                    reading.earlier_question[question.start] = asked_at[1]
                asked_at = (i - 1, question)
            if (
                i + 1 < len(sentences)
                and not is_question(sentence)
                and answer_polarity(sentence) is None
                and (
                    self._bare_no(reading, sentences[i + 1], case_type)
                    or self._no_to_statement(reading, sentences, i, case_type)
                )
            ):
                # Nobody answers a statement with a bare "Nej": what came before was a
                # question the recogniser did not hear as one ("Uka ni skrikar på honom" /
                # "Nej."). It is no finding; what it asks is denied, as uncertain. A yes or
                # no is no such question: a second voice (or the same) says no again ("Nej,
                # aldrig." / "Nej. Det skulle vi aldrig göra."). The caseworker's own sentence
                # too (with speakers): hers is never a finding, but the client's no answers it.
                reading.guessed_questions.add(sentence.start)
                question = sentence
                continue
            if (
                i > 0
                and is_question(sentence)
                and opens_condition(sentences[i - 1])
                and not re.search(r"[.!?]", reading.text[sentences[i - 1].end : sentence.start])
            ):
                # "Om du skulle förlora lägenheten, vad gör du då?" read as two pieces.
                reading.hypothetical_questions.add(sentence.start)
            question = self._next(reading, question, sentence, case_type, tags, denied)
        denied += self._parents_say_not(reading, sentences, tags, denied, case_type)
        tags = self._over_later(sentences, tags, denied)
        tags = self._not_so_now(reading, sentences, tags, denied, case_type)
        tags = self._asked_of_then(reading, sentences, tags, denied)
        tags = self._denied_just_before(sentences, tags, denied)
        tags = self._outweighed(reading, tags, case_type)
        tags = self._contradicted(reading, tags, case_type)
        return TagResult(tuple(tags), tuple(denied), self.version, self.sha256)

    def _over_later(
        self, sentences: list[Sentence], tags: list[Tag], denied: list[Denial]
    ) -> list[Tag]:
        """Tags told as over in a later sentence become resolved (never asked-and-denied):

        * a sentence that says what was just told is over ("Men det är över nu", "han slutade
          förra våren", "Det var i tvåan") ends the factors found in the sentences before it
          in the same answer, and, across a question whether it still holds ("Hur är det
          nu?", "Gör han det fortfarande?"), in the sentence before that question; so does a
          no to such a question ("Nej, han slutade …");
        * a factor told as over right after it was found ("Förra gången pratade vi om
          levern." / "Jag hade hepatit C, men nu är jag frisk.") is over.

        Only factors whose past does not count, and every protective factor; when unsure, say
        less."""
        if not tags:
            return tags
        index = _sentence_at(sentences)

        ended: dict[int, set[str] | None] = {}  # sentence index -> factors (None: all)
        for j, sentence in enumerate(sentences):
            over = says_over(sentence) or (
                j > 0 and asks_if_still(sentences[j - 1]) and answer_polarity(sentence) == "no"
            )
            if over:
                for k in self._before_over(sentences, j):
                    ended[k] = None
            elif j > 0 and opens_with_now(sentence) and not is_question(sentences[j - 1]):
                ended[j - 1] = None  # "Vi bråkade mycket förut." / "Men nu har vi det bra."
        for d in denied:
            if d.reason != "resolved":
                continue
            j = index(d.start)
            for k in range(j - 1, max(-1, j - 3), -1):
                if is_question(sentences[k]):
                    break
                found = ended.setdefault(k, set())
                if found is not None:
                    found.add(d.factor)
        kept: list[Tag] = []
        for tag in tags:
            k = index(tag.start)
            factor = self.factors[tag.factor]
            # A risk whose past counts still shows when over; a resource said to be over
            # ("Ja, i två år." / "Men det är slut nu") is none now, whatever its past, unless
            # its own sentence says it holds now: then what is over is what it ended ("Men
            # jag har varit nykter i elva år nu." / "Det är över.": the drinking).
            if k in ended and (
                not factor.past_counts
                or (factor.kind == "protective" and not _said_now(sentences[k]))
            ):
                factors = ended[k]
                if factors is None or tag.factor in factors:
                    denied.append(Denial(**{**asdict(tag), "reason": "resolved"}))
                    continue
            kept.append(tag)
        return kept

    def _asked_of_then(
        self,
        reading: _Reading,
        sentences: list[Sentence],
        tags: list[Tag],
        denied: list[Denial],
    ) -> list[Tag]:
        """An answer to a question about the client's childhood ("… tills du var tretton.
        Vill du säga något om det?", "Hur var det när du var liten?") tells of a time that is
        over: its factors whose past does not count are resolved ("Han slog mig." is no
        violence in a relationship now). The time in the question or in the sentence of the
        same turn just before it; the answer up to the next question, at most NOW_REACH
        sentences."""
        if not tags:
            return tags
        index = _sentence_at(sentences)

        then: set[int] = set()
        for q, question in enumerate(sentences):
            if not is_question(question):
                continue
            asked = [question]
            if q > 0 and not reading.starts_segment(question.start):
                asked.append(sentences[q - 1])
            if not any(_of_childhood([t.lower for t in s.tokens]) for s in asked):
                continue
            for m in range(q + 1, min(len(sentences), q + 1 + NOW_REACH)):
                if is_question(sentences[m]):
                    break
                then.add(m)
        kept: list[Tag] = []
        for tag in tags:
            if index(tag.start) in then and not self.factors[tag.factor].past_counts:
                denied.append(Denial(**{**asdict(tag), "reason": "resolved"}))
                continue
            kept.append(tag)
        return kept

    def _not_so_now(
        self,
        reading: _Reading,
        sentences: list[Sentence],
        tags: list[Tag],
        denied: list[Denial],
        case_type: str,
    ) -> list[Tag]:
        """A factor found in an answer, then asked about as it is now ("Jobbar du något nu?",
        "Hur är det med drogerna idag?") and answered no, or answered with what excludes it
        (`NOT_SO_BY`: "Jag har varit drogfri i fjorton månader"), was told of a time that is
        over: resolved, never a finding ("… föll jag i en trappa på jobbet för två år sen" /
        "Jobbar du något nu?" / "Nej."). The answer before: at most NOW_REACH sentences
        before the question, no question between; the answer after: the sentences up to the
        next question, at most NOW_REACH. Only factors whose past does not count, and every
        protective factor."""
        if not tags:
            return tags
        index = _sentence_at(sentences)

        ended: dict[int, set[str]] = {}
        for q, question in enumerate(sentences):
            if not is_question(question) or not _NOW_ASKED & {t.lower for t in question.tokens}:
                continue
            after = []
            for m in range(q + 1, min(len(sentences), q + 1 + NOW_REACH)):
                if is_question(sentences[m]):
                    break
                after.append(m)
            if not after:
                continue
            named = self._named(reading, question, case_type)
            said_no = {
                d.factor for d in denied if d.reason == "negated" and index(d.start) in after
            }
            excluding = {
                x for t in tags if index(t.start) in after for x in NOT_SO_BY.get(t.factor, ())
            }
            over = named & (said_no | excluding)
            if not over:
                continue
            for k in range(q - 1, max(-1, q - 1 - NOW_REACH), -1):
                if is_question(sentences[k]):
                    break
                ended.setdefault(k, set()).update(over)
        kept: list[Tag] = []
        for tag in tags:
            factor = self.factors[tag.factor]
            if tag.factor in ended.get(index(tag.start), ()) and (
                not factor.past_counts or factor.kind == "protective"
            ):
                denied.append(Denial(**{**asdict(tag), "reason": "resolved"}))
                continue
            kept.append(tag)
        return kept

    @staticmethod
    def _denied_just_before(
        sentences: list[Sentence], tags: list[Tag], denied: list[Denial]
    ) -> list[Tag]:
        """A factor denied in an answer and found again in the same answer from other words
        ("Är det någon som är dum mot dig?" / "Nej." / "… Men ibland slåss han på rasterna.")
        is contradictory: at most uncertain, never a finding. The same answer: at most
        DENIAL_REACH sentences after the denial, no question between."""
        if not tags or not denied:
            return tags
        index = _sentence_at(sentences)

        said_no: dict[str, list[int]] = {}
        for d in denied:
            if d.reason == "negated":
                said_no.setdefault(d.factor, []).append(index(d.start))
        kept: list[Tag] = []
        for tag in tags:
            k = index(tag.start)
            if any(
                0 < k - j <= DENIAL_REACH
                and not any(is_question(sentences[m]) for m in range(j + 1, k + 1))
                for j in said_no.get(tag.factor, ())
            ):
                conf = min(tag.confidence, UNCERTAIN_CONFIDENCE)
                denied.append(Denial(**{**asdict(tag), "confidence": conf, "reason": "uncertain"}))
                continue
            kept.append(tag)
        return kept

    @staticmethod
    def _before_over(sentences: list[Sentence], j: int) -> list[int]:
        """The sentences an over-statement at `j` speaks of: back through the answer it is
        in (and the question it answers, where a yes put what it asks: "Har du varit ren
        någon period?" / "Ja, i två år." / "Men det är slut nu.") and, past a question
        whether it still holds, the one sentence before it."""
        out: list[int] = []
        k = j - 1
        while k >= 0 and j - k <= 4:
            if is_question(sentences[k]) or asks_if_still(sentences[k]):
                if not asks_if_still(sentences[k]):
                    if out and out[-1] == k + 1:
                        out.append(k)
                    break
                if k > 0 and not is_question(sentences[k - 1]):
                    out.append(k - 1)
                break
            out.append(k)
            k -= 1
        return out

    def _outweighed(self, reading: _Reading, tags: list[Tag], case_type: str) -> list[Tag]:
        """Leave out a protective factor read only from an open question's topic ("Hur länge
        har du bott där?" / "Ett och ett halvt år.") or only from words heard alike (not
        exactly: "Jag har butt här i tjugo år" for "bott") when a risk factor of the same life
        area is found in the meeting in the client's own words: when unsure, say less."""
        direct = [t for t in tags if id(t) not in reading.inferred]
        risk_areas = {
            self._area(t.factor, case_type) for t in direct if self.factors[t.factor].kind == "risk"
        }
        direct_slugs = {t.factor for t in direct if id(t) not in reading.alike}
        return [
            t
            for t in tags
            if t.factor in direct_slugs
            or self.factors[t.factor].kind != "protective"
            or self._area(t.factor, case_type) not in risk_areas
        ]

    def _contradicted(self, reading: _Reading, tags: list[Tag], case_type: str) -> list[Tag]:
        """Leave out one of two findings of a life area that contradict each other, the one
        that stands on what the recogniser was less sure of.

        * A risk whose words are a resource's words with a negation the recogniser was unsure
          of ("Du har inget kontrakt", "inget" below UNSURE_WORD, where "Jag har eget
          kontrakt" was heard exactly in the same meeting): "eget"/"inget" are one sound
          apart, and the meeting said it the other way. The risk is no finding.
        * A resource and the risk that excludes it (`EXCLUDED_BY`), the risk heard surely (in
          typed text, or every word of its quote at UNSURE_WORD or above, not alike): "Jag
          har bott här i tjugo år" while the flat is being lost ("hyresvärden har sagt upp
          kontraktet") is no stable housing. The resource is no finding: say less."""
        sure = [t for t in tags if id(t) not in reading.alike and id(t) not in reading.inferred]
        resources = [t for t in sure if self.factors[t.factor].kind == "protective"]
        kept = [t for t in tags if not self._negated_resource(reading, t, resources, case_type)]
        sure_ids = {id(t) for t in sure}
        surely = {
            t.factor
            for t in kept
            if id(t) in sure_ids
            and self.factors[t.factor].kind == "risk"
            and _heard_surely(reading, t)
        }
        return [t for t in kept if EXCLUDED_BY.get(t.factor) not in surely]

    def _negated_resource(
        self, reading: _Reading, tag: Tag, resources: list[Tag], case_type: str
    ) -> bool:
        """True when `tag` is a risk read from a resource's own words (a resource of its life
        area found exactly in the meeting) with a negation heard below UNSURE_WORD."""
        if self.factors[tag.factor].kind != "risk" or reading.probs is None:
            return False
        words = _quote_words(reading, tag)
        negations = [p for w, p in words if w in NEGATORS]
        rest = {w for w, _p in words if w not in NEGATORS}
        if not rest or not any(p is not None and p < UNSURE_WORD for p in negations):
            return False
        area = self._area(tag.factor, case_type)
        for resource in resources:
            said = {w for w, _p in _quote_words(reading, resource)}
            if self._area(resource.factor, case_type) == area and rest <= said - NEGATORS:
                return not said & NEGATORS
        return False

    def _area(self, slug: str, case_type: str) -> str | None:
        area = self.factors[slug].area
        return getattr(area, case_type, None) if area else None

    @staticmethod
    def _trailing_answer(reading: _Reading, sentence: Sentence) -> list[Sentence]:
        """A sentence, or the sentence and the short "Nej …" run onto its end at a comma or a
        segment boundary ("Skålkanfum, nej.", "hann utsatt för mommning" + "nöj
        intervalls" joined into one sentence)."""
        n = len(sentence.tokens)
        for k in range(max(1, n - BARE_ANSWER_WORDS), n):
            at_break = sentence.clause_of[k] != sentence.clause_of[k - 1] or (
                reading.starts_segment(sentence.tokens[k].start)
            )
            if not at_break:
                continue
            if phonetic_key(sentence.tokens[k].lower) not in _NO_SOUNDS:
                continue  # the answer opens with "nej" itself (not "aldrig": "…, aldrig mer")
            head = part(sentence, 0, k, question_mark=sentence.is_question_mark)
            tail = part(sentence, k, n, question_mark=False)
            if answer_polarity(head) is None and Tagger._polarity(reading, tail)[0] == "no":
                return [head, tail]
        return [sentence]

    @staticmethod
    def _paused_turns(reading: _Reading, sentence: Sentence) -> list[Sentence]:
        """A question and its answer (or an answer and the next question) that the recogniser
        wrote as one sentence, cut where it heard a pause of ANSWER_PAUSE seconds or more
        between them: a part in question word order ("Finns det någon vuxen som han har
        förtroende för") and, after the pause, a part that is none, opening as an answer
        does (a subject such as "hans", "min", "jag", or a word no dictionary knows, most
        often a misheard pronoun), or the reverse (a statement, then a question in question
        word order). The question keeps the question mark; without word times nothing is
        cut."""
        n = len(sentence.tokens)
        for k in range(2, n - 1):
            if reading.pauses.get(sentence.tokens[k].start, 0.0) < ANSWER_PAUSE:
                continue
            head = part(sentence, 0, k, question_mark=False)
            tail = part(sentence, k, n, question_mark=False)
            first = tail.tokens[0].lower
            opens_answer = first in ANSWER_OPENERS or not is_swedish_word(first)
            if is_question(head) and not is_question(tail) and opens_answer:
                head = part(sentence, 0, k, question_mark=True)
            elif not is_question(head) and is_question(tail) and len(tail.tokens) >= 3:
                tail = part(sentence, k, n, question_mark=True)
            else:
                continue
            return [head, *Tagger._paused_turns(reading, tail)]
        return [sentence]

    def _bare_no(self, reading: _Reading, sentence: Sentence, case_type: str) -> bool:
        """True for a short answer that only says no ("Nej.", "Nej, aldrig.", "Nöj." heard
        unsurely) and states no factor itself."""
        if len(sentence.tokens) > BARE_ANSWER_WORDS or is_question(sentence):
            return False
        if reading.by_caseworker(sentence):
            return False  # the caseworker's "Nej" answers no question of the client's
        if self._polarity(reading, sentence)[0] != "no":
            return False
        return not any(
            self._applies(m.cue, case_type)
            for m in self._matcher.matches(reading.text, sentence, reading.unsure(sentence))
        )

    def _no_to_statement(
        self, reading: _Reading, sentences: list[Sentence], i: int, case_type: str
    ) -> bool:
        """True when a heard statement that speaks to the client ("du", "ni", "dig") and
        states a factor is answered by the next sentence with a no ("Nej, han var aldrig
        våldsam mot mig."): the recogniser lost the question it was ("…, förekom det något
        våld mellan dig och honom?" heard as "… hon ditt något våld mellan dig och honom.").
        So is one whose opening "jag"/"vi" the recogniser barely heard (`_self_lost`: "Tar
        du några tabletter …?" heard as "Jag(0.04) tar … tabletter …" / "Nej, bara …").
        So is a statement the recogniser began in lower case right after a question: the
        rest of that question ("Har du haft?" + "som kan på att ta dit liv"). Only for heard
        text, where whisper, not a person, wrote the question mark; typed text keeps its
        sentences as written. A denial read so is at most uncertain (a guessed question)."""
        if reading.probs is None:
            return False
        sentence, answer = sentences[i], sentences[i + 1]
        if is_question(answer) or reading.by_caseworker(answer):
            return False
        if self._polarity(reading, answer)[0] != "no":
            return False
        addressed = bool(SPOKEN_TO & {t.lower for t in sentence.tokens}) or _self_lost(
            reading, sentence
        )
        continued = (
            i > 0
            and is_question(sentences[i - 1])
            and bool(sentence.tokens)
            and reading.text[sentence.tokens[0].start].islower()
        )
        if not (addressed or continued):
            return False
        return any(
            self._applies(m.cue, case_type)
            for m in self._matcher.matches(reading.text, sentence, reading.unsure(sentence))
        )

    @staticmethod
    def _polarity(reading: _Reading, answer: Sentence) -> tuple[Polarity | None, bool]:
        """The answer's yes or no, and whether it was only heard alike: a first word the
        recogniser was unsure of that sounds like "nej" ("nöj") is an uncertain no, never a
        yes."""
        polarity = answer_polarity(answer)
        if polarity is not None or not answer.tokens:
            return polarity, False
        first = answer.tokens[0].lower
        unsure = reading.unsure(answer)
        if unsure is not None and 0 in unsure and phonetic_key(first) in _NO_SOUNDS:
            return "no", True
        return None, False

    def _next(
        self,
        reading: _Reading,
        question: Sentence | None,
        sentence: Sentence,
        case_type: str,
        tags: list[Tag],
        denied: list[Denial],
    ) -> Sentence | None:
        """Read one sentence after `question` (the sentence before, if it asked); add what it
        shows to `tags` and `denied`; return it if it asks a question, else None."""
        asks = is_question(sentence)
        if asks and question is not None and told_to_client(question) and not reading.speakers:
            # "Skolan skriver att du har varit borta mycket. Stämmer det?": the question asks
            # about what was just told.
            joined = _joined(question, sentence)
            reading.told.add(joined.start)
            return joined
        if asks or reading.by_caseworker(sentence):
            return sentence if asks else None
        if told_to_client(sentence) and not reading.speakers and question is None:
            return sentence  # who said it is unknown: the caseworker, most likely
        t, d = self._tag_sentence(reading, sentence, case_type)
        intro = introduction_end(sentence)
        if intro:
            # "Jag heter Eva och jobbar i …": the speaker presents themself, not the client.
            end = sentence.tokens[intro - 1].end
            t = [x for x in t if x.start >= end]
            d = [x for x in d if x.start >= end]
        if question is not None and self._asks_about_other(reading, question, case_type):
            # "Använder han droger?" / "Ja, kokain.": an answer with no subject of its own
            # speaks of the person asked about, not of the client.
            # An answer that says again what was asked about that person ("Har Markus varit
            # dömd?" / "Ja, han dömdes …" heard "Jag hann dömdes …") is that person's too,
            # unless it says the client did so as well ("jag också").
            words = {t.lower for t in sentence.tokens}
            own = words & _CLIENT_SELF
            asked = set() if words & _ALSO else self._named(reading, question, case_type)
            t = [
                x
                for x in t
                if self.factors[x.factor].level not in OWN_LEVELS or (own and x.factor not in asked)
            ]
        if question is not None:
            t2, d2 = self._answer(reading, question, sentence, case_type, t, d)
            t += t2
            d += d2
            inferred = self._topic(reading, question, sentence, case_type, t, d)
            reading.inferred.update(id(tag) for tag in inferred)
            t += inferred
            if (
                asks_hypothetically(question) or question.start in reading.hypothetical_questions
            ) and answers_with_then(sentence):
                # "Om din depression skulle bli sämre, vad händer då?" / "Då får hon bo hos
                # mamma.": what would happen is no risk found; a resource named stays.
                t = [x for x in t if self.factors[x.factor].kind != "risk"]
                d = []
        tags += t
        denied += d
        return None

    def _named(self, reading: _Reading, question: Sentence, case_type: str) -> set[str]:
        """The factors a question's words name, whoever it asks about."""
        return {
            m.cue.factor
            for m in self._matcher.matches(reading.text, question, reading.unsure(question))
            if self._applies(m.cue, case_type)
        }

    def _asks_about_other(self, reading: _Reading, question: Sentence, case_type: str) -> bool:
        """True when a yes/no question's subject is someone else ("Dricker Marcus?", in an
        adult's case "Använder han …?")."""
        words = [t.lower for t in question.tokens]
        while words and words[0] in {"och", "men", "så"}:
            words = words[1:]
        if len(words) < 2 or words[0] not in QUESTION_VERBS or not is_question(question):
            return False
        k = len(question.tokens) - len(words) + 1
        return question.tokens[k].start in reading.others or (
            case_type == "vuxen" and words[1] in {"han", "hon"}
        )

    def _state(
        self,
        reading: _Reading,
        sentence: Sentence,
        match: CueMatch,
        case_type: str,
        original: Sentence | None = None,
    ) -> str:
        """`original`: the sentence as said, when `sentence` has a "han" replaced by its
        referent ("om han börjar" stays a condition when read as "om pappa börjar")."""
        factor = self.factors[match.cue.factor]
        if factor.level in OWN_LEVELS and about_someone_else(
            sentence,
            match.tokens,
            case_type,
            reading.others,
            reading.conversation,
            selves=reading.selves,
        ):
            return "someone_else"
        if factor.level in OWN_LEVELS and (
            _fragment_of_other(reading, sentence, match, case_type)
            or _possessive_of_other(reading, sentence, match)
        ):
            return "someone_else"
        if factor.level in PEER_LEVELS and _peers_of_someone_else(
            reading, sentence, match, case_type
        ):
            return "someone_else"
        if (
            case_type == "barn"
            and factor.slug in PARENT_FACTORS
            and _speakers_parent(sentence, match.tokens)
        ):
            return "someone_else"
        if hypothetical(
            original or sentence, match.tokens, wish_counts=factor.slug in WISH_FACTORS
        ):
            return "hypothetical"
        if (
            factor.kind == "protective"
            and in_phrase_of_other(sentence, match.tokens)
            and not self._matcher.naming(sentence.tokens[match.tokens[0] - 2])
        ):
            # "Domarna från jobbet har flyttat": not the client's work ("Pengarna från
            # jobbet …" opens with a word of the catalogue's own and is read as usual).
            return "someone_else"
        state = status(sentence, match.tokens, factor.past_counts, factor.kind == "protective")
        if state == "present" and factor.kind == "protective" and lost(sentence, match.tokens):
            return "resolved"
        if state == "present" and _negation_heard_unsurely(reading, sentence, match):
            return "uncertain"
        return state

    def _tag_sentence(
        self, reading: _Reading, sentence: Sentence, case_type: str
    ) -> tuple[list[Tag], list[Denial]]:
        text = reading.text
        best: dict[str, tuple[float, CueMatch]] = {}
        worst: dict[str, tuple[str, CueMatch]] = {}
        unsure = reading.unsure(sentence)
        readings = [(sentence, m) for m in self._matcher.matches(text, sentence, unsure)]
        named = _with_referents(sentence, reading.referents)
        if named is not None:
            # "Han dricker" where "han" is the father named before is read as "pappa
            # dricker" too: the parent's factor, never the client's own.
            readings += [
                (named, m)
                for m in self._matcher.matches(text, named, unsure)
                if self.factors[m.cue.factor].level not in OWN_LEVELS
            ]
        for read, match in readings:
            if not self._applies(match.cue, case_type):
                continue
            if match.fuzzy and _person_apart(read, match):
                continue  # a guess that also joins a person to words of another clause
            family = self.factors[match.cue.factor].level == "familj"
            if _relative_of_other(reading, read, match, family):
                continue
            if self.factors[match.cue.factor].level in OWN_LEVELS and _same_subject_as_named(
                read, match
            ):
                continue  # "Hans pappa drack förut, men han har varit nykter": the father
            factor = self.factors[match.cue.factor]
            state = self._state(reading, read, match, case_type, sentence)
            if state == "present" and _done_by_peers(reading, read, match, factor.slug):
                continue
            if state == "present" and factor.level in OWN_LEVELS:
                # whose it is stands on a word the recogniser barely heard, or did not hear
                if case_type == "barn" and _third_person_heard_unsurely(reading, read, match):
                    continue
                if case_type == "barn" and _pronoun_for_unheard(reading, read, match, sentence):
                    continue  # "din lilla rull, hur är det med honom?" / "Han(0.2) …"
                if _possessed_unheard(reading, read, match):
                    continue  # "min brug har suttit inne": someone's, whoever it was
            if state == "present":
                conf = match.cue.weight * FUZZY_FACTOR**match.fuzzy
                if factor.slug not in best or conf > best[factor.slug][0]:
                    best[factor.slug] = (conf, match)
            elif state in ("negated", "resolved") and match.fuzzy == 0:
                worst.setdefault(factor.slug, (state, match))
        if case_type == "barn":
            best = self._parent_speaking(sentence, best)
        unclear = reading.unclear(sentence)
        made = [] if unclear else [(self._make(Tag, m, conf, text), m) for conf, m in best.values()]
        reading.alike.update(id(tag) for tag, m in made if m.fuzzy)
        tags = [tag for tag, _m in made]
        denied = [
            self._make(
                Denial,
                m,
                min(UNCERTAIN_CONFIDENCE, m.cue.weight) if unclear else m.cue.weight,
                text,
                reason="uncertain" if unclear else state,
            )
            for slug, (state, m) in worst.items()
            if slug not in best
        ]
        tags.sort(key=lambda t: (t.start, t.factor))
        denied.sort(key=lambda t: (t.start, t.factor))
        return tags, denied

    def _parent_speaking(
        self, sentence: Sentence, best: dict[str, tuple[float, CueMatch]]
    ) -> dict[str, tuple[float, CueMatch]]:
        """In a child's case, words the catalogue reads as the parent speaking of themself (a
        family-level cue that takes "jag" as the parent: "Jag har haft en depression" is the
        parent's mental illness) are not also the child's own (youth mental ill health from
        "depression", physical ill health from "cancer"): one person's illness, not two."""
        parent: set[int] = set()
        for slug, (_conf, match) in best.items():
            if self.factors[slug].level == "familj" and any(
                sentence.tokens[i].lower == "jag" for i in match.tokens
            ):
                parent.update(i for i in match.tokens if sentence.tokens[i].lower != "jag")
        if not parent:
            return best
        return {
            slug: found
            for slug, found in best.items()
            if self.factors[slug].level not in OWN_LEVELS or not parent & set(found[1].tokens)
        }

    def _asked(
        self, reading: _Reading, question: Sentence, case_type: str
    ) -> dict[str, tuple[float, bool]]:
        """The factors a question asks about (as if it were stated): their cue weights, and
        whether only a word heard alike (not exactly) showed it."""
        asked: dict[str, tuple[float, bool]] = {}
        unsure = reading.unsure(question)
        readings = [question]
        said = _as_said(question)
        if said is not None:
            readings.append(said)
        for sentence in readings:
            for match in self._matcher.matches(reading.text, sentence, unsure, lone_fuzzy=True):
                if not self._applies(match.cue, case_type):
                    continue
                if self._state(reading, sentence, match, case_type) != "present":
                    continue
                slug = match.cue.factor
                weight = match.cue.weight * FUZZY_FACTOR**match.fuzzy
                alike = match.fuzzy >= len(match.tokens)
                old = asked.get(slug)
                if old is None or (old[1], -old[0]) > (alike, -weight):
                    asked[slug] = (weight, alike)
        return asked

    def _asked_of(
        self,
        reading: _Reading,
        question: Sentence,
        case_type: str,
        whom: Literal["child", "parent", "parents"],
    ) -> dict[str, tuple[float, bool]]:
        """What a question to the child (`whom` "child", `Addressed.child`:
        `_SECOND_TO_THIRD`), to a parent ("parent", `Addressed.parent`: `_SECOND_TO_PARENT`)
        or to the parents together ("parents", `_to_parents`: `_PLURAL_TO_PARENTS`) asks about
        that person's own life, read as said of them: "Dricker du alkohol?" to the child as
        "Dricker han alkohol?" (the child's own cues speak of the child as "han"/"hon", as a
        parent would), "Har du haft perioder av psykisk ohälsa?" to a parent as "Har
        föräldern haft …?", "Har någon av er slagit honom?" as "Har någon av föräldrarna
        slagit honom?". Only that person's own risk factors (level individ for the child,
        `PARENT_OWN` for a parent, the family's, level familj, for the parents together); only
        a no reads it so (`_answer`): a denial, never a finding."""
        words = {
            "child": _SECOND_TO_THIRD,
            "parent": _SECOND_TO_PARENT,
            "parents": _PLURAL_TO_PARENTS,
        }[whom]
        said = _replaced(question, lambda t: words.get(t.lower))
        if said is None:
            return {}
        asked: dict[str, tuple[float, bool]] = {}
        for match in self._matcher.matches(reading.text, said, reading.unsure(question)):
            factor = self.factors[match.cue.factor]
            if not self._applies(match.cue, case_type) or match.fuzzy:
                continue
            own = {
                "child": factor.level in OWN_LEVELS,
                "parent": factor.slug in PARENT_OWN,
                "parents": factor.level == "familj",
            }[whom]
            if factor.kind != "risk" or not own:
                continue
            if self._state(reading, said, match, case_type) != "present":
                continue
            weight = match.cue.weight * FOLLOW_UP_FACTOR
            if weight > asked.get(factor.slug, (0.0, False))[0]:
                asked[factor.slug] = (weight, False)
        return asked

    def _parents_say_not(
        self,
        reading: _Reading,
        sentences: list[Sentence],
        tags: list[Tag],
        denied: list[Denial],
        case_type: str,
    ) -> list[Denial]:
        """In a child's case, a question to the parents together or about the home (plural
        address, `_to_parents`, or "hemma"; no "du"/"dig") answered by each parent in turn
        with a statement of their own that says no to what it asks ("Hur ser det ut med
        alkohol hos er?" / "Vi dricker nästan aldrig." / "Jag dricker inte alls."): each such
        answer, up to the next question and at most NOW_REACH sentences, whose subject
        "jag"/"vi" is read as the parent ("föräldern"/"föräldrarna", `_PARENT_SUBJECTS`),
        denies the parent's own risk factor (`PARENT_OWN`) that the question's words name
        and the answer's words state negated; question and answer are quoted. Only a
        negation reads it so: a denial, never a finding ("Vi dricker knappt." gives nothing);
        uncertain when the answer was heard unclearly."""
        if case_type != "barn":
            return []
        found = {t.factor for t in tags}
        out: list[Denial] = []
        for i, question in enumerate(sentences):
            if not is_question(question):
                continue
            words = {t.lower for t in question.tokens}
            if words & {"du", "dig"} or not (
                "hemma" in words or self._to_parents(reading, question, case_type)
            ):
                continue
            named = {slug for t in question.tokens for slug in self._matcher.naming(t)}
            named &= PARENT_OWN
            if not named:
                continue
            for answer in sentences[i + 1 : i + 1 + NOW_REACH]:
                if is_question(answer) or reading.by_caseworker(answer):
                    break
                said = _replaced(answer, lambda t: _PARENT_SUBJECTS.get(t.lower))
                if said is None:
                    continue
                unsure = reading.unsure(answer)
                for match in self._matcher.matches(reading.text, said, unsure):
                    slug = match.cue.factor
                    if slug not in named or slug in found or match.fuzzy:
                        continue
                    if not self._applies(match.cue, case_type):
                        continue
                    if self._state(reading, said, match, case_type) != "negated":
                        continue
                    if any(d.factor == slug and d.start == answer.start for d in out):
                        continue
                    conf = match.cue.weight * ANSWER_FACTOR
                    reason = "negated"
                    if reading.unclear(answer) or (unsure and unsure & set(match.tokens)):
                        reason, conf = "uncertain", min(conf, UNCERTAIN_CONFIDENCE)
                    out += [
                        self._whole(Denial, s, slug, conf, reading.text, reason=reason, asked=True)
                        for s in (question, answer)
                    ]
        return out

    @staticmethod
    def _to_parents(reading: _Reading, question: Sentence, case_type: str) -> bool:
        """True for a question in a child's case to several, in the plural ("ni", "er", heard
        surely: "ni" may be "nu" misheard) and to nobody alone ("du", "dig"): asked of the
        adults who came with the child, the parents (`_PLURAL_TO_PARENTS`)."""
        if case_type != "barn":
            return False
        unsure = reading.unsure(question) or frozenset()
        words = {t.lower for i, t in enumerate(question.tokens) if i not in unsure}
        return bool(words & _PLURAL_TO_PARENTS.keys()) and not words & {"du", "dig"}

    def _topic_word(
        self, reading: _Reading, question: Sentence, case_type: str
    ) -> dict[str, tuple[float, bool]]:
        """What a question of one topic word ("Och alkohol?", "Spriten då?") asks in an
        adult's case: the one risk factor about the client whose cues name that word, when no
        protective factor's cues name it ("pengar", "skolan" name several things). Only a no
        reads it so (`_answer`): a denial, never a finding. Not in a child's case, where "du"
        may be the child or a parent. A topic word the recogniser was unsure of but heard as
        that very word (a word of the language, whole: "alkohol" at 0.77) asks it only as
        uncertain; one heard as no word, or as a piece, asks nothing."""
        k = elliptic_topic(question)
        if k is None or case_type != "vuxen":
            return {}
        token = question.tokens[k]
        unsure = reading.unsure(question)
        unsurely = bool(unsure and k in unsure)
        if unsurely and (token.piece or not is_swedish_word(token.lower)):
            return {}
        slug = self._own_risk_named(token, case_type)
        if slug is None:
            return {}
        return {slug: (self._best_weight(slug) * FOLLOW_UP_FACTOR, unsurely)}

    def _risks_named(self, reading: _Reading, question: Sentence, case_type: str) -> set[str]:
        """The own risks a question's words heard surely each name alone (`_own_risk_named`:
        "alkohol" in "Hur ser det ut med alkohol?")."""
        unsure = reading.unsure(question) or frozenset()
        return {
            slug
            for i, token in enumerate(question.tokens)
            if i not in unsure and (slug := self._own_risk_named(token, case_type)) is not None
        }

    def _own_risk_named(self, token: Token, case_type: str) -> str | None:
        """The one risk factor about the client whose cues name `token` ("alkohol"), when no
        protective factor's cues name it too ("pengar", "skolan" name several things): what
        a question of that topic word asks (`_topic_word`, `_lost_verb`). None otherwise."""
        named = {
            slug
            for slug in self._matcher.naming(token)
            if self.factors[slug].applies_to in ("alla", case_type)
        }
        own = [
            slug
            for slug in named
            if self.factors[slug].kind == "risk" and self.factors[slug].level in OWN_LEVELS
        ]
        if len(own) != 1 or any(self.factors[slug].kind == "protective" for slug in named):
            return None
        return own[0]

    def _lost_verb(
        self, reading: _Reading, question: Sentence, case_type: str
    ) -> dict[str, tuple[float, bool]]:
        """What a yes/no question to "du" asks when the recogniser lost its verb but heard
        its topic word ("Dricker du alkohol?" heard "Rikar du alkohol?",
        `context.topics_past_lost_verb`): the one risk factor of the person "du" is whose
        cues name that word, read as `_topic_word` reads a question of one topic word. In a
        child's case only a question surely to the child (`Addressed.client`), and only
        the child's own factors. Only a no reads it so (`_answer`), and at most as an
        uncertain denial: the question was guessed from what was left of it."""
        if not reading.asked_whom.client(question, case_type):
            return {}
        lost = _lost_words(reading, question)
        asked: dict[str, tuple[float, bool]] = {}
        for k in topics_past_lost_verb(reading.text, question, lost):
            slug = self._own_risk_named(question.tokens[k], case_type)
            if slug is not None:
                asked[slug] = (self._best_weight(slug) * FOLLOW_UP_FACTOR, True)
        return asked

    def _qualified(
        self, reading: _Reading, question: Sentence, case_type: str
    ) -> dict[str, tuple[float, bool]]:
        """What a question asks whose qualifying piece the recogniser wrote as a sentence of
        its own, answered after that piece (`context.continues_question`): the question's own
        risk factors (`_asked`). Only a no reads it so (`_answer`): a denial, never a
        finding; uncertain when the question itself was not heard with its "?"."""
        unsure = not question.is_question_mark or question.start in reading.guessed_questions
        return {
            slug: (weight, alike or unsure)
            for slug, (weight, alike) in self._asked(reading, question, case_type).items()
            if self.factors[slug].kind == "risk"
        }

    def _best_weight(self, slug: str) -> float:
        return max((c.weight for c in self.factors[slug].cues), default=1.0)

    def _follow_up(
        self, reading: _Reading, earlier: Sentence, question: Sentence, case_type: str
    ) -> dict[str, tuple[float, bool]]:
        """What a follow-up question that names no factor of its own asks, read with the
        question just before it: a cue made of words of both ("Hur är det i skolan?" … "Har
        du varit borta mycket?": truancy), or, when the follow-up asks about "något" or
        "någonting" (standing for what was just asked about: "Hur går det med spelandet?" …
        "Har du spelat något sedan sist?"), the earlier question's own factors. Only a no
        reads it so (`_answer`): a denial of a risk asked about, never a finding; the earlier
        question must be one as heard (not one guessed from a bare no), and its words in the
        cue must name no person ("Hur är det med Elias pappa?" … "Röker du?" asks about
        someone else)."""
        if asks_openly(question) or not is_question(earlier):
            return {}
        if earlier.start in reading.guessed_questions:
            return {}
        joined = _joined(earlier, question)
        joined = replace(joined, is_question_mark=True)
        n_earlier = len(earlier.tokens)
        indefinite = bool(_INDEFINITE & {t.lower for t in question.tokens})
        asked: dict[str, tuple[float, bool]] = {}
        readings = [joined]
        said = _as_said(joined)
        if said is not None:
            readings.append(said)
        for sentence in readings:
            unsure = reading.unsure(sentence)
            for match in self._matcher.matches(reading.text, sentence, unsure):
                if not self._applies(match.cue, case_type) or match.fuzzy:
                    continue
                if unsure and unsure & set(match.tokens):
                    continue  # only words heard surely carry a topic across questions
                if self.factors[match.cue.factor].kind != "risk":
                    continue  # a no to a follow-up denies a risk asked about, nothing else
                if any(self._person(reading, joined, i) for i in match.tokens if i < n_earlier):
                    continue  # "Hur är det med pappa?" … "Dricker du?": another person now
                both = match.tokens[0] < n_earlier <= match.tokens[-1]
                if not (both or (indefinite and match.tokens[-1] < n_earlier)):
                    continue
                if self._state(reading, sentence, match, case_type) != "present":
                    continue
                weight = match.cue.weight * FOLLOW_UP_FACTOR
                if weight > asked.get(match.cue.factor, (0.0, False))[0]:
                    asked[match.cue.factor] = (weight, False)
        return asked

    def _over_since(
        self, reading: _Reading, earlier: Sentence, question: Sentence, case_type: str
    ) -> dict[str, tuple[float, bool]]:
        """What a yes/no question about "något" asks right after the client told a risk of
        their own as over: "Hur länge har du varit drogfri?" / "… Jag slutade med
        amfetaminet …" / "Har du använt något den senaste tiden?" asks whether the drugs came
        back. Only a no reads it so (`_answer`): a denial, never a finding; the question must
        speak to "du" and name nobody else, and in a child's case be one to the child
        (`_Reading.asked_whom`)."""
        words = [t.lower for t in question.tokens]
        if asks_openly(question) or not _INDEFINITE & set(words) or "du" not in words:
            return {}
        if not reading.asked_whom.client(question, case_type):
            return {}
        if any(
            self._person(reading, question, i)
            for i, w in enumerate(words)
            if w not in {"du", "dig", "någon"}
        ):
            return {}
        return {
            d.factor: (d.confidence * FOLLOW_UP_FACTOR, False)
            for d in reading.denied
            if d.reason == "resolved"
            and not d.asked
            and earlier.end <= d.start < question.start
            and self.factors[d.factor].kind == "risk"
            and not reading.by_caseworker_at(d.start)
        }

    @staticmethod
    def _person(reading: _Reading, sentence: Sentence, i: int) -> bool:
        """True when token `i` names a person: a person word ("pappa"), a pronoun, a name."""
        token = sentence.tokens[i]
        return (
            bool(person_gender(token.lower))
            or token.lower in _PERSON_PRONOUNS
            or token.start in reading.others
        )

    def _answer(
        self,
        reading: _Reading,
        question: Sentence,
        answer: Sentence,
        case_type: str,
        said: list[Tag],
        said_denied: list[Denial],
    ) -> tuple[list[Tag], list[Denial]]:
        """A yes or no to a question about factors: found (yes) or asked-and-denied (no, or
        "inte längre"), each with the question and the answer as evidence. What the answer
        says itself about a factor wins; an unclear yes gives nothing, an unclear no is at
        most an uncertain denial."""
        polarity, by_sound = self._polarity(reading, answer)
        only_own = polarity is None and case_type == "vuxen" and _not_me_at_end(answer)
        if only_own:
            polarity = "no"  # "Använder någon … droger?" / "Min bror gör det, men inte jag."
        if polarity is None:
            return [], []
        asked = self._asked(reading, question, case_type)
        direct = {slug for slug, (_w, alike) in asked.items() if not alike}
        if only_own:  # "men inte jag" denies the client's own, nobody else's
            asked = {k: v for k, v in asked.items() if self.factors[k].level in OWN_LEVELS}
        if polarity != "yes" and _within(question, reading.asked_whom.child):
            of_child = self._asked_of(reading, question, case_type, "child")
            if _within(question, reading.asked_whom.alike) or _lost_words(reading, question):
                # "alla undumar", or a word of the question lost ("Har du helbråkigt
                # alkohol?"): what it asked is a guess, at most uncertain.
                of_child = {slug: (weight, True) for slug, (weight, _) in of_child.items()}
            asked = {**of_child, **asked}
        if polarity != "yes" and _within(question, reading.asked_whom.parent):
            asked = {**self._asked_of(reading, question, case_type, "parent"), **asked}
        if polarity != "yes" and self._to_parents(reading, question, case_type):
            asked = {**self._asked_of(reading, question, case_type, "parents"), **asked}
        earlier: Sentence | None = None
        if polarity == "no":  # "Rikar du alkohol eller droger?": the alcohol too
            asked = {**self._lost_verb(reading, question, case_type), **asked}
        if not asked and polarity == "no":
            asked = self._topic_word(reading, question, case_type)
        if not asked and polarity == "no":
            earlier = reading.earlier_question.get(question.start)
            if earlier is not None:
                asked = self._follow_up(reading, earlier, question, case_type)
            if not asked and earlier is not None:
                asked = self._over_since(reading, earlier, question, case_type)
        if not asked and polarity == "no" and question.start in reading.continued:
            earlier = reading.continued[question.start]
            asked = self._qualified(reading, earlier, case_type)
        confirmed = (
            self._told_negated(reading, question, case_type)
            if polarity == "yes" and question.start in reading.told
            else {}
        )
        if (
            polarity == "no"
            and not by_sound
            and not reading.unsure_at(answer, 0)
            and not _BUT_WORDS & {t.lower for t in answer.tokens}
        ):
            # "Hur ser det ut med alkohol?" / "Nej, jag Ricker, nästan har vi råger.": a sure
            # no to a question naming a risk, then that risk read from words heard unsurely
            # or alike, is the no's own "aldrig" lost, not a finding.
            named = self._risks_named(reading, question, case_type)
            said[:] = [
                t
                for t in said
                if t.factor not in named
                or (id(t) not in reading.alike and _heard_surely(reading, t))
            ]
        if not asked and not confirmed:
            return [], []
        contradicted: list[str] = []
        if polarity == "no" and not _BUT_WORDS & {t.lower for t in answer.tokens}:
            # "Brukar du dricka?" / "Nej, jag dricker aldrig." heard as "Nej, jag dricker på
            # dricker.": a no whose own words state what was asked contradicts itself; it is
            # no finding (a denial lost to the recogniser must not become one), only uncertain.
            contradicted = sorted({t.factor for t in said if t.factor in asked})
            said[:] = [t for t in said if t.factor not in contradicted]
        spoken = {t.factor for t in said} | {d.factor for d in said_denied}
        if polarity != "yes":
            # "Dricker du?" / "Nej, jag dricker inte längre.": the answer's own words were
            # asked for, so what they tell as over is an asked-and-denied finding too.
            said_denied[:] = [
                replace(d, asked=True) if d.factor in asked else d for d in said_denied
            ]
        unclear = (
            reading.unclear(answer)
            or reading.unsure_at(answer, 0)
            or by_sound
            or question.start in reading.guessed_questions
        )
        tags: list[Tag] = []
        denied: list[Denial] = []
        if polarity == "no" and not unclear and earlier is None and not only_own:
            own = spoken | set(contradicted)  # "Nej, jag studerar.": what the answer says
            tags += self._lacked(reading, question, answer, case_type, direct, asked, own)
        for slug, (weight, alike) in sorted(asked.items()):
            if slug in spoken:
                continue
            conf = weight * ANSWER_FACTOR
            if polarity == "yes":
                if not unclear and not alike:
                    tags += [
                        self._whole(Tag, s, slug, conf, reading.text) for s in (question, answer)
                    ]
                continue
            reason = "negated" if polarity == "no" else "resolved"
            if unclear or alike or slug in contradicted:
                reason, conf = "uncertain", min(conf, UNCERTAIN_CONFIDENCE)
            denied += [
                self._whole(Denial, s, slug, conf, reading.text, reason=reason, asked=True)
                for s in ((question, answer) if earlier is None else (earlier, question, answer))
            ]
        for slug, weight in sorted(confirmed.items()):
            if slug in spoken or slug in asked:
                continue
            conf = weight * ANSWER_FACTOR
            reason = "negated"
            if unclear:
                reason, conf = "uncertain", min(conf, UNCERTAIN_CONFIDENCE)
            denied += [
                self._whole(Denial, s, slug, conf, reading.text, reason=reason, asked=True)
                for s in (question, answer)
            ]
        return tags, denied

    def _lacked(
        self,
        reading: _Reading,
        question: Sentence,
        answer: Sentence,
        case_type: str,
        direct: set[str],
        asked: dict[str, tuple[float, bool]],
        spoken: set[str],
    ) -> list[Tag]:
        """A no to a question whether the client has a resource finds the risk that is its
        lack (`LACKED_AS`): "Jobbar du något nu?" / "Nej." is no work (unemployment), "Har
        du något eget boende?" / "Nej." no home of one's own. Only a resource the question
        itself asks about (`direct`, heard surely), of the client ("du" surely the client),
        never a hypothetical question, never when the answer says something of its own about
        the resource or the risk ("Nej, jag studerar."). Both sentences are quoted."""
        if not reading.asked_whom.client(question, case_type):
            return []
        if asks_hypothetically(question) or question.start in reading.hypothetical_questions:
            return []
        out: list[Tag] = []
        for slug in sorted(direct):
            risk = LACKED_AS.get(slug)
            if risk is None or slug in spoken or risk in spoken:
                continue
            if self.factors[risk].applies_to not in ("alla", case_type):
                continue
            conf = asked[slug][0] * ANSWER_FACTOR
            out += [self._whole(Tag, s, risk, conf, reading.text) for s in (question, answer)]
        return out

    def _told_negated(self, reading: _Reading, told: Sentence, case_type: str) -> dict[str, float]:
        """The risk factors a statement told to the client says they do not have, confirmed by
        a yes ("Du sa att du inte dricker eller tar droger. Stämmer det?" / "Ja."): each is
        asked and denied (`_answer`), with its cue weight. The statement is the caseworker's,
        read as the client would say it ("du" as "jag"); only words heard surely; only when
        "du" is surely the client (`Addressed.client`: always in an adult's case; in a child's
        case only when the reading is sure the child was told, and then, as every question to
        the child is read, "du" as "han" and only the child's own risk factors, `_asked_of`).
        A no to such a statement says nothing sure ("Nej" to "Du dricker inte?" may mean
        either)."""
        if not reading.asked_whom.client(told, case_type):
            return {}
        child = case_type == "barn"
        said = _replaced(told, lambda t: _SECOND_TO_THIRD.get(t.lower)) if child else _as_said(told)
        if said is None:
            return {}
        unsure = reading.unsure(told)
        out: dict[str, float] = {}
        for match in self._matcher.matches(reading.text, said, unsure):
            factor = self.factors[match.cue.factor]
            if not self._applies(match.cue, case_type) or match.fuzzy or factor.kind != "risk":
                continue
            if child and factor.level not in OWN_LEVELS:
                continue
            if unsure and unsure & set(match.tokens):
                continue
            if self._state(reading, said, match, case_type) != "negated":
                continue
            out[factor.slug] = max(out.get(factor.slug, 0.0), match.cue.weight)
        return out

    def _topic(
        self,
        reading: _Reading,
        question: Sentence,
        answer: Sentence,
        case_type: str,
        said: list[Tag],
        said_denied: list[Denial],
    ) -> list[Tag]:
        """What an answer says about the topic an open question named: "Hur går det i
        skolan?" / "Han har varit borta i tre veckor." The question and the answer are read
        as one statement; a cue found there must use words of the answer, and both are quoted."""
        if reading.unclear(answer):
            return []
        if (
            not asks_openly(question)
            and elliptic_topic(question) is None
            and not (asks_for_someone(question) and _names_someone(reading, answer))
        ):
            return []
        joined = _joined(question, answer)
        n_question = len(question.tokens)
        spoken = {t.factor for t in said} | {d.factor for d in said_denied}
        best: dict[str, float] = {}
        for match in self._matcher.matches(reading.text, joined, reading.unsure(joined)):
            if match.cue.factor in spoken or not self._applies(match.cue, case_type):
                continue
            if match.tokens[-1] < n_question or match.tokens[0] >= n_question:
                continue  # the question alone, or the answer alone (already read)
            if self._state(reading, joined, match, case_type) != "present":
                continue
            conf = match.cue.weight * ANSWER_FACTOR * FUZZY_FACTOR**match.fuzzy
            best[match.cue.factor] = max(best.get(match.cue.factor, 0.0), conf)
        return [
            self._whole(Tag, s, slug, conf, reading.text)
            for slug, conf in sorted(best.items())
            for s in (question, answer)
        ]

    def _whole(
        self, cls: type[Any], sentence: Sentence, slug: str, conf: float, text: str, **extra: Any
    ) -> Any:
        """A tag or denial quoting a whole sentence (a question, or the answer to it)."""
        factor = self.factors[slug]
        return cls(
            factor=slug,
            kind=factor.kind,
            name_sv=factor.name.sv,
            quote=text[sentence.start : sentence.end].strip(),
            start=sentence.start,
            end=sentence.start + len(text[sentence.start : sentence.end].strip()),
            confidence=round(conf, 3),
            catalogue_version=self.version,
            **extra,
        )

    def _make(self, cls: type[Any], m: CueMatch, conf: float, text: str, **extra: Any) -> Any:
        factor = self.factors[m.cue.factor]
        return cls(
            factor=factor.slug,
            kind=factor.kind,
            name_sv=factor.name.sv,
            quote=text[m.char_start : m.char_end],
            start=m.char_start,
            end=m.char_end,
            confidence=round(conf, 3),
            catalogue_version=self.version,
            **extra,
        )

    def tag_segments(
        self, segments: Sequence[SegmentLike] | Sequence[Mapping[str, Any]], case_type: str
    ) -> TagResult:
        """Tag transcript segments (objects or dicts with start, end, text; optionally
        `speaker` and the recogniser's `words` with probabilities, see
        `risk_factors.conversation`) read as one conversation.

        Segments are joined into one text so a sentence split across segments is still read
        whole, except that a segment which begins a new sentence (a capital letter) or another
        speaker's turn always begins a new sentence. Each tag is then mapped back to the
        segment where its quote begins: `segment` is that segment's index,
        `char_start`/`char_end` the span within its text (so `quote ==
        segments[segment].text[char_start:char_end]` unless the quote runs on into the next
        segment, when `char_end` is the end of the first segment's text and `quote` holds all
        the words), `start_s` the first segment's start and `end_s` the last covered
        segment's end.
        """
        heard = [utterance(s) for s in segments]
        items = [(u.start, u.end, u.text) for u in heard]
        reading = _Reading.of(heard)
        result = self._read(reading, case_type)
        return TagResult(
            tuple(_place(t, items, reading.offsets) for t in result.tags),
            tuple(_place(d, items, reading.offsets) for d in result.denied),
            result.catalogue_version,
            result.catalogue_sha256,
            _persons(reading),
        )


def _said_now(sentence: Sentence) -> bool:
    """True when a sentence says what it tells holds now ("nu", "numera", "idag")."""
    return any(t.lower in {"nu", "numera", "idag"} for t in sentence.tokens)


@dataclass
class _Reading:
    """One text to read, with what is known about how it was said: which characters the
    caseworker said, and the recogniser's probability for each heard character."""

    text: str
    offsets: list[int] = field(default_factory=list)
    caseworker: list[tuple[int, int]] = field(default_factory=list)
    probs: dict[int, float] | None = None
    pauses: dict[int, float] = field(default_factory=dict)
    """For the start of a heard word with times, the silence before it (seconds)."""
    hypothetical_questions: set[int] = field(default_factory=set)
    """Starts of questions that follow a condition of their own sentence ("Om …, vad …?")."""
    earlier_question: dict[int, Sentence] = field(default_factory=dict)
    """For a question (by start), the question asked just before it, when at most
    FOLLOW_UP_REACH sentences lie between them (`Tagger._follow_up`)."""
    guessed_questions: set[int] = field(default_factory=set)
    """Starts of sentences read as questions only because a bare "Nej" answered them."""
    continued: dict[int, Sentence] = field(default_factory=dict)
    """For a piece that only qualifies the question just before it (by start), that question
    (`context.continues_question`)."""
    resolution: Resolution | None = None
    """Who is who, as read (`risk_factors.persons.resolution`)."""
    before: dict[int, Sentence] = field(default_factory=dict)
    """For a sentence (by start), the sentence before it."""
    peers: frozenset[int] = frozenset()
    """Starts of the "de"/"dom" that stand for the child's peers (`persons.peers_doing`)."""
    inferred: set[int] = field(default_factory=set)
    """ids of the tags read only from an open question's topic."""
    alike: set[int] = field(default_factory=set)
    """ids of the tags read from words heard only alike (not exactly) by the recogniser."""
    denied: list[Denial] = field(default_factory=list)
    """The denials read so far (`Tagger._read` appends to it as it reads)."""
    told: set[int] = field(default_factory=set)
    """Starts of the questions that are a statement told to the client read with the question
    after it ("Du dricker inte. Stämmer det?")."""
    asked_whom: Addressed = field(default_factory=Addressed)
    """In a child's case, the questions whose "du" is surely the child or surely a parent
    (`persons.addressed`)."""
    speakers: bool = False
    """True when the segments say who spoke."""
    conversation: bool = False
    """True when the text is a conversation in which the client is "jag" and "du" (more
    than one sentence, with a first or second person): "han"/"hon" is then someone else."""
    """Starts of the words that refer to someone other than the client (`persons`)."""

    @classmethod
    def of(cls, heard: Sequence[Utterance]) -> _Reading:
        parts: list[str] = []
        offsets: list[int] = []
        caseworker: list[tuple[int, int]] = []
        probs: dict[int, float] | None = None
        pauses: dict[int, float] = {}
        last_end: float | None = None
        pos = 0
        for i, u in enumerate(heard):
            if i:
                prev = heard[i - 1]
                new_turn = u.speaker is not None and u.speaker != prev.speaker
                # A capital letter begins a new sentence, except "Och …": the recogniser
                # capitalises every segment, and "och" goes on with the sentence before
                # ("Hans mamma dricker mycket" / "Och ligger ofta full …").
                new_sentence = u.text[:1].isupper() and not _CONTINUES.match(u.text)
                parts.append("\n" if new_turn or new_sentence else " ")
                pos += 1
            offsets.append(pos)
            if u.by_caseworker:
                caseworker.append((pos, pos + len(u.text)))
            if u.words is not None:
                probs = probs if probs is not None else {}
                probs.update(word_probabilities(u.text, pos, u.words))
                heard_pauses, last_end = word_pauses(u.text, pos, u.words, last_end)
                pauses.update(heard_pauses)
            parts.append(u.text)
            pos += len(u.text)
        speakers = any(u.speaker is not None for u in heard)
        return cls("".join(parts), offsets, caseworker, probs, pauses=pauses, speakers=speakers)

    @property
    def others(self) -> frozenset[int]:
        """Starts of the words that refer to a person other than the client."""
        return self.resolution.others if self.resolution is not None else frozenset()

    @property
    def selves(self) -> frozenset[int]:
        """Starts of the words that name the client in the third person."""
        return self.resolution.selves if self.resolution is not None else frozenset()

    @property
    def referents(self) -> dict[int, str]:
        """For a "han"/"hon" (by start) whose referent is a person noun, that noun."""
        return self.resolution.nouns if self.resolution is not None else {}

    def starts_segment(self, pos: int) -> bool:
        """True when a transcript segment begins at character `pos`."""
        return pos in self.later_starts

    @cached_property
    def later_starts(self) -> frozenset[int]:
        """Where every segment but the first begins (a set: looked up per word)."""
        return frozenset(self.offsets[1:])

    def by_caseworker(self, sentence: Sentence) -> bool:
        return self.by_caseworker_at(sentence.start)

    def by_caseworker_at(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.caseworker)

    def _token_prob(self, sentence: Sentence, index: int) -> float | None:
        token = sentence.tokens[index]
        return self.span_prob(token.start, token.end)

    def span_prob(self, start: int, end: int) -> float | None:
        """The recogniser's probability for the characters `start`…`end` of the text: the
        lowest of theirs. None for typed text or characters it did not hear."""
        if self.probs is None:
            return None
        known = [self.probs[i] for i in range(start, end) if i in self.probs]
        return min(known) if known else None

    def unsure(self, sentence: Sentence) -> frozenset[int] | None:
        """Indices of the tokens the recogniser was unsure of: heard with a probability below
        UNSURE_WORD, or heard as no Swedish word at all ("arkutika", "lemnade": a non-word
        is a mishearing however sure the decoder was). None for typed text."""
        if self.probs is None:
            return None
        return frozenset(
            i
            for i in range(len(sentence.tokens))
            if (p := self._token_prob(sentence, i)) is not None
            and (
                p < UNSURE_WORD
                or sentence.tokens[i].piece
                or not is_swedish_word(sentence.tokens[i].lower)
            )
        )

    def unsure_at(self, sentence: Sentence, index: int) -> bool:
        p = self._token_prob(sentence, index) if sentence.tokens else None
        return p is not None and p < UNSURE_WORD

    def unclear(self, sentence: Sentence) -> bool:
        """True when the recogniser could barely read the sentence at all."""
        known = [
            p
            for i in range(len(sentence.tokens))
            if (p := self._token_prob(sentence, i)) is not None
        ]
        return bool(known) and sum(known) / len(known) < UNCLEAR_SENTENCE


HEARD_ANSWER_WORDS = 4
"""The fewest words of a question-marked statement that `_answers_heard_as_questions` reads
as an answer (a short "Och pappa?" still asks)."""


def _answers_heard_as_questions(sentences: list[Sentence]) -> list[Sentence]:
    """Whisper often ends an answer with a question mark when it follows a question ("hur
    mår du?" / "jag är sjukskriven för utmattning sedan i våras?"). A heard sentence with a
    question mark but in statement word order, addressing nobody ("du", "ni"), of
    HEARD_ANSWER_WORDS words or more, right after a question (or after another such answer),
    is read as the answer it is. Typed text keeps its question marks."""
    out: list[Sentence] = []
    after_question = False
    for sentence in sentences:
        plain = replace(sentence, is_question_mark=False)
        if (
            after_question
            and sentence.is_question_mark
            and len(sentence.tokens) >= HEARD_ANSWER_WORDS
            and not is_question(plain)
            and not SPOKEN_TO & {t.lower for t in sentence.tokens}
        ):
            out.append(plain)
            continue  # the next may be read as an answer too
        out.append(sentence)
        after_question = is_question(sentence)
    return out


DONE_AT_HOME = frozenset({"child_maltreatment"})
"""Harm that is, by definition, done to the child by an adult of the family."""
_DOERS = frozenset({"vuxen", "vuxna", "någon", "han", "hon", "de", "dom", "föräldrarna"})


_SUBJECT_PRONOUNS = _INVERTED_SUBJECTS


def _third_person_heard_unsurely(reading: _Reading, sentence: Sentence, match: CueMatch) -> bool:
    """True when the subject of a cue's clause (the nearest subject pronoun before or in the
    cue) is "han" or "hon" heard below UNSURE_WORD inside a heard sentence (not as the first
    word of a sentence or of a segment, where whisper's first word is often unsure however
    plainly it was said). In a child's case "han"/"hon" is the child or someone else (a
    brother, a father) by what was said before, and a pronoun barely heard mid-sentence is
    most often a mishearing of more ("pappan", "din bror"): no finding of the child's own."""
    clause = sentence.clause_of[match.tokens[0]]
    start = sentence.clause_of.index(clause)
    for k in range(match.tokens[-1], start - 1, -1):
        word = sentence.tokens[k].lower
        if word in _SUBJECT_PRONOUNS:
            return (
                word in {"han", "hon"}
                and k > 0
                and not reading.starts_segment(sentence.tokens[k].start)
                and reading.unsure_at(sentence, k)
            )
    return False


def _possessed_unheard(reading: _Reading, sentence: Sentence, match: CueMatch) -> bool:
    """True when the subject of a cue's clause is a possessive and a word the recogniser did
    not hear as a word (`_lost_words`: no word of the language, or below LOST_WORD): "Min
    brug har suttit inne" ("bror"), "Din sambu dricker". A possessive's noun in the subject's
    place is someone or something of the speaker's, never the speaker ("min pappa", "min
    kropp"): when that noun was not heard, whose the cue is stands on nothing, and it gives
    no finding of the client's own. The nearest subject before the cue in its clause decides:
    "Min brug sa att jag dricker" keeps the client's "jag"; a cue that names the client as
    the one it was done to ("min parare slug mig") is the client's whoever did it."""
    lost = _lost_words(reading, sentence)
    tokens = sentence.tokens
    if not lost or any(tokens[i].lower in _CLIENT_OBJECTS for i in match.tokens):
        return False
    clause = sentence.clause_of[match.tokens[0]]
    start = sentence.clause_of.index(clause)
    for k in range(match.tokens[0] - 1, start, -1):
        word = tokens[k].lower
        if word in _SUBJECT_PRONOUNS:
            return False
        if k in lost and tokens[k - 1].lower in _OWNING:
            return True
    return False


UNHEARD_REACH = 2
"""How many sentences back `_pronoun_for_unheard` looks for someone named but not heard."""


def _pronoun_for_unheard(
    reading: _Reading, sentence: Sentence, match: CueMatch, said: Sentence
) -> bool:
    """True when the subject of a cue's clause is "han"/"hon" heard below UNSURE_WORD and one
    of the UNHEARD_REACH sentences before names someone by a possessive and a word the
    recogniser did not hear as a word (`_lost_words`; one word may stand between: "din lilla
    rull"): "Du nämnde din bror" heard "Nämnda din rum(0.14)", then "Han(0.01) röker på".
    In a child's case "han" is the child or the one just named, and who that was was not
    heard: no finding of the child's own."""
    clause = sentence.clause_of[match.tokens[0]]
    start = sentence.clause_of.index(clause)
    own = [k for k in match.tokens if sentence.tokens[k].lower in {"han", "hon"}]
    subject = (
        own[0]
        if own
        else next(
            (
                k
                for k in range(match.tokens[0], start - 1, -1)
                if sentence.tokens[k].lower in _SUBJECT_PRONOUNS
            ),
            None,
        )
    )
    if subject is None or sentence.tokens[subject].lower not in {"han", "hon"}:
        return False
    if not reading.unsure_at(sentence, subject):
        return False
    at = said.start
    for _ in range(UNHEARD_REACH):
        before = reading.before.get(at)
        if before is None:
            return False
        at = before.start
        lost = _lost_words(reading, before)
        words = [t.lower for t in before.tokens]
        if any(
            words[k - 1] in _OWNING or (k > 1 and words[k - 2] in _OWNING) for k in lost if k > 0
        ):
            return True
    return False


_OWNING = frozenset({"min", "mitt", "mina", "din", "ditt", "dina", "hans", "hennes"})
_OWNING |= frozenset({"vår", "vårt", "våra", "deras"})


def _negation_heard_unsurely(reading: _Reading, sentence: Sentence, match: CueMatch) -> bool:
    """True when whether a cue is stated or denied stands on a word the recogniser was unsure
    of (below UNSURE_WORD): in the cue's clause, outside the cue, a real word one sound from a
    negation ("räcker intet", "inne" for "inte"; a non-word so is read by `status`). Such a
    finding is uncertain: no finding, whichever way it was said. Not a negation the cue
    itself needs ("inget kontrakt", where "eget kontrakt" may have been said): read so
    everywhere it lost 30 expected findings for 1 forbidden (9a7b46e); it is weighed only
    against the resource heard exactly in the same meeting (`Tagger._contradicted`)."""
    used = set(match.tokens)
    clauses = {sentence.clause_of[i] for i in used}
    last = match.tokens[-1]
    return any(
        i not in used
        and sentence.clause_of[i] in clauses
        and i <= last + AFTER_REACH
        and sounds_like_negation(token.lower)
        and reading.unsure_at(sentence, i)
        for i, token in enumerate(sentence.tokens)
    )


LOST_WORD = 0.5
"""Below this probability a word the recogniser wrote stands for nothing sure, even a word of
the language ("Vickar du alkohol?" for "Dricker …")."""


def _lost_words(reading: _Reading, sentence: Sentence) -> frozenset[int]:
    """The indices of `sentence`'s words the recogniser did not hear as words: heard unsurely
    and no word of the language (or a piece of one, `Matcher.split_merged`), or heard below
    LOST_WORD. Empty for typed text."""
    unsure = reading.unsure(sentence)
    if not unsure:
        return frozenset()
    return frozenset(
        i
        for i in unsure
        if sentence.tokens[i].piece
        or not is_swedish_word(sentence.tokens[i].lower)
        or ((p := reading._token_prob(sentence, i)) is not None and p < LOST_WORD)
    )


_SELF_OPENINGS = frozenset({"jag", "vi"})


def _self_lost(reading: _Reading, sentence: Sentence) -> bool:
    """True when a heard sentence opens with "jag"/"vi" heard below LOST_WORD: whether the
    client spoke of themself or was asked ("Tar du …?" heard "Jag tar …") stands on a word the
    recogniser did not hear as said."""
    if not sentence.tokens or sentence.tokens[0].lower not in _SELF_OPENINGS:
        return False
    p = reading._token_prob(sentence, 0)
    return p is not None and p < LOST_WORD


def _quote_words(reading: _Reading, tag: Tag) -> list[tuple[str, float | None]]:
    """The words of a tag's quote (lower case) with the recogniser's probability for each (the
    lowest of its characters'; None for typed text)."""
    return [
        (m.group().lower(), reading.span_prob(tag.start + m.start(), tag.start + m.end()))
        for m in re.finditer(r"\w+", reading.text[tag.start : tag.end])
    ]


def _heard_surely(reading: _Reading, tag: Tag) -> bool:
    """True when every word of a tag's quote was heard at UNSURE_WORD or above (or typed)."""
    return all(p is None or p >= UNSURE_WORD for _w, p in _quote_words(reading, tag))


def _unsure_words(reading: _Reading, sentences: Sequence[Sentence]) -> frozenset[int]:
    """Starts of the words the recogniser was unsure of (none for typed text)."""
    return frozenset(
        s.tokens[i].start for s in sentences for i in (reading.unsure(s) or frozenset())
    )


def _done_by_peers(reading: _Reading, sentence: Sentence, match: CueMatch, slug: str) -> bool:
    """True for harm done at home (`DONE_AT_HOME`) read from words that name nobody who did
    it ("blåmärken på benet") in a sentence whose doers are the child's peers ("efter att de
    sparkat honom", "de" the boys in the class named just before; "när killarna sparkade
    honom"): the peers' doing, not an adult's at home. Words that name a doer ("pappa slår
    honom") are read as before."""
    if slug not in DONE_AT_HOME:
        return False
    words = [t.lower for t in sentence.tokens]
    if any(person_gender(words[i]) or words[i] in _DOERS for i in match.tokens):
        return False
    return any(t.start in reading.peers or is_peer(words, k) for k, t in enumerate(sentence.tokens))


_PEER_WORDS = frozenset(w for w in OTHER_PEOPLE if is_peer([w], 0))


def _speakers_parent(sentence: Sentence, used: tuple[int, ...]) -> bool:
    """True when the cue's parent is the speaker's own ("min mamma", "mina föräldrar") in a
    sentence that speaks of the speaker's children ("barnen", "min son", "mina barn"): in a
    child's case the speaker is then the parent, and "min mamma" the children's grandmother
    ("Min mamma hämtar barnen på fredagar" is a network, not parental support)."""
    words = [t.lower for t in sentence.tokens]
    own_parent = any(
        words[k] in _OWN_PARENT and k > 0 and words[k - 1] in {"min", "mina"} for k in used
    )
    if not own_parent:
        return False
    return any(
        w in _CHILDREN or (k > 0 and words[k - 1] in {"min", "mina"} and w in _MY_CHILD)
        for k, w in enumerate(words)
    )


_CHILDHOOD = (("när", "du", "var"), ("tills", "du", "var"), ("som", "barn"), ("som", "liten"))


def _of_childhood(words: list[str]) -> bool:
    """True when the words place what is asked in the client's childhood: "när du var liten",
    "tills du var tretton", "som barn"."""
    return any(words[i : i + len(p)] == list(p) for p in _CHILDHOOD for i in range(len(words)))


FRAGMENT_MAX = 3
"""The most words of a sentence without a subject that `_fragment_of_other` reads as the end
of the statement before it."""
_FRAGMENT_SUBJECTS = frozenset(
    {"jag", "du", "han", "hon", "hen", "vi", "ni", "de", "dom", "man", "ja", "nej", "jo", "nä"}
)


def _fragment_of_other(
    reading: _Reading, sentence: Sentence, match: CueMatch, case_type: str
) -> bool:
    """True when a sentence of at most FRAGMENT_MAX words, with no subject or yes/no of its
    own, ends the statement before it, and that statement read with it is about someone
    else: "Hon använder fortfarande. Heroin." is the mother's heroin, not the client's."""
    before = reading.before.get(sentence.start)
    words = [t.lower for t in sentence.tokens]
    if (
        before is None
        or len(words) > FRAGMENT_MAX
        or _FRAGMENT_SUBJECTS & set(words)
        or is_question(sentence)
        or is_question(before)
    ):
        return False
    joined = Sentence(
        before.start,
        sentence.end,
        before.tokens + sentence.tokens,
        before.clause_of + (before.clause_of[-1],) * len(sentence.tokens),
        False,
    )
    used = tuple(len(before.tokens) + i for i in match.tokens)
    return about_someone_else(joined, used, case_type, reading.others, reading.conversation)


_OWNER_REACH = 200
"""How many characters back `_possessive_of_other` looks for the person a "hans"/"hennes"
stands for."""
_OWNER_OF = {
    "hans": re.compile(r"\b(?:han|honom)\b", re.I),
    "hennes": re.compile(r"\b(?:hon|henne)\b", re.I),
}


def _possessive_of_other(reading: _Reading, sentence: Sentence, match: CueMatch) -> bool:
    """True when a "hans"/"hennes" in the cue or right before one of its words ("snus i hans
    jacka") stands for someone else: the nearest "han"/"honom" ("hon"/"henne") before it is a
    person other than the client (`reading.others`: "Din lillebror, hur är det med honom?" /
    "Han är tolv. Vi hittade snus och cigaretter i hans jacka.")."""
    tokens = sentence.tokens
    near = set(match.tokens) | {i - 1 for i in match.tokens if i > 0}
    for i in sorted(near):
        owner = _OWNER_OF.get(tokens[i].lower)
        if owner is None:
            continue
        lo = max(0, tokens[i].start - _OWNER_REACH)
        found = list(owner.finditer(reading.text, lo, tokens[i].start))
        if found and found[-1].start() in reading.others:
            return True
    return False


def _peers_of_someone_else(
    reading: _Reading, sentence: Sentence, match: CueMatch, case_type: str
) -> bool:
    """True when the clause of a cue about peers ("röker på med sina kompisar", "umgås med
    ett gäng som snattar") is about another person than the client, by the same reading
    as a factor of the client's own (`about_someone_else`, `reading.others`): its subject
    or opening is a sibling, a parent, a "han" standing for one ("Du nämnde din bror. Hur
    har han det?" / "Han röker på med sina kompisar"). The peers themselves ("Kompisarna
    röker på", "de" for them) are what the factor is about, so they do not count as
    someone else here."""
    words = [t.lower for t in sentence.tokens]
    peers = frozenset(t.start for k, t in enumerate(sentence.tokens) if is_peer(words, k))
    return about_someone_else(
        sentence,
        match.tokens,
        case_type,
        reading.others - peers,
        reading.conversation,
        people=OTHER_PEOPLE - _PEER_WORDS,
    )


def _not_me_at_end(answer: Sentence) -> bool:
    """True for an answer that ends "…, men inte jag" (or "men aldrig jag"): someone else
    does what was asked, the client says they do not."""
    words = [t.lower for t in answer.tokens]
    return (
        len(words) >= 4
        and words[-3] == "men"
        and words[-2] in {"inte", "aldrig"}
        and (words[-1] == "jag")
    )


def _relative_of_other(
    reading: _Reading, sentence: Sentence, match: CueMatch, family: bool = False
) -> bool:
    """True when the match's person word is a relative of a friend's or of the peers', not
    of the client's family, by the reading of who is who (`Resolution.owners`, `peers`):
    after a "hans"/"hennes" that stands for a friend ("Du nämnde din kompis Amira. Hur har
    hon det?" / "Hennes pappa slår henne."), after "sin/sitt/sina" whose clause's subject
    is such a friend ("Hon bråkar med sin pappa som dricker"), or after a "deras" that
    stands for the child's peers ("Hur är det med kompisarna?" / "Deras pappa dricker");
    and, for harm done to the child at home, when the one harmed is that friend ("…
    slår henne"); and for a factor of the client's `family`, when the clause's subject is
    that friend ("Hon blir slagen av …", "Hon bråkar med …"). In a child's case a parent's
    "hennes pappa" (the child's father) is read as before: its "hon" is the child. ("Du
    lämnade honom" keeps its "honom": the other person is what a cue may be about.)"""
    owners = reading.resolution.owners if reading.resolution is not None else frozenset()
    if not owners and not reading.peers:
        return False
    tokens = sentence.tokens

    def owned(j: int) -> bool:  # the possessive at `j` is a friend's or the peers'
        word = tokens[j].lower
        if word in _REFLEXIVES:
            return _friend_subject(sentence, j, owners)
        return tokens[j].start in owners or (word == "deras" and tokens[j].start in reading.peers)

    harmed_friend = (
        match.cue.factor in DONE_AT_HOME
        and any(
            tokens[i].start in owners and tokens[i].lower in {"honom", "henne"}
            for i in match.tokens
        )
    ) or (family and _friend_subject(sentence, match.tokens[0], owners))
    return harmed_friend or any(
        i > 0 and person_gender(tokens[i].lower) is not None and owned(i - 1) for i in match.tokens
    )


_REFLEXIVES = frozenset({"sin", "sitt", "sina"})
_CLAUSE_LINKS = frozenset({"men", "och", "fast", "så"})
_OBJECT_OF_GENDER = {"m": "honom", "f": "henne"}


def _same_subject_as_named(sentence: Sentence, match: CueMatch) -> bool:
    """True when the match's clause opens (after "men"/"och") with "han"/"hon" right after a
    clause of the same sentence whose subject is a person other than the client of that
    gender, named by a person word ("Hans pappa drack mycket förut, men han har varit nykter
    i fem år nu": the father), and that clause has no "honom"/"henne" the pronoun could
    answer to instead ("Pappa slog honom, men han sa inget")."""
    tokens = sentence.tokens
    clause = sentence.clause_of[match.tokens[0]]
    if clause == 0:
        return False
    mine = [i for i, c in enumerate(sentence.clause_of) if c == clause]
    before = [t.lower for t, c in zip(tokens, sentence.clause_of, strict=True) if c == clause - 1]
    words = [tokens[i].lower for i in mine]
    while words and words[0] in _CLAUSE_LINKS:
        words = words[1:]
    gender = _PRONOUNS.get(words[0]) if words else None
    while before and before[0] in _CLAUSE_LINKS:
        before = before[1:]
    if gender is None or not before:
        return False
    head = before[1] if len(before) > 1 and before[0] in _POSSESSIVE_WORDS else before[0]
    named = person_gender(head)
    return named is not None and gender in named and _OBJECT_OF_GENDER[gender] not in before


def _friend_subject(sentence: Sentence, j: int, owners: frozenset[int]) -> bool:
    """True when the nearest "han"/"hon" before token `j` in its clause stands for a friend
    of the client's (`Resolution.owners`): the subject that a "sin" or a passive there
    speaks of ("Hon blir slagen av sin pappa")."""
    clause = sentence.clause_of[j]
    for k in range(j - 1, -1, -1):
        if sentence.clause_of[k] != clause:
            return False
        if sentence.tokens[k].lower in {"han", "hon"}:
            return sentence.tokens[k].start in owners
    return False


def _person_apart(sentence: Sentence, match: CueMatch) -> bool:
    """True when the match joins a person word ("mamma") to cue words all in other clauses,
    the person's own clause saying something of its own ("mamma sa det, …")."""
    people = [i for i in match.tokens if person_gender(sentence.tokens[i].lower)]
    rest = [i for i in match.tokens if i not in people]
    if not people or not rest:
        return False
    clauses = {sentence.clause_of[i] for i in people}
    if any(sentence.clause_of.count(c) == 1 for c in clauses):
        return False  # the person alone before a comma is the topic of what follows ("Mamma, …")
    return not clauses & {sentence.clause_of[i] for i in rest}


def _names_someone(reading: _Reading, answer: Sentence) -> bool:
    """True when an answer opens by naming a person and denies nothing ("Min syster.",
    "Mormor, hon bor nära.", "Tränaren i laget.", "Yusuf på fritidsgården."): its opening
    word (`persons.answer_opening`) is someone other than the client by the meeting's one
    reading of who is who (`reading.others`, `persons.resolution`)."""
    k = answer_opening(answer)
    return k is not None and answer.tokens[k].start in reading.others


def _sentence_at(sentences: Sequence[Sentence]) -> Callable[[int], int]:
    """The index of the sentence a character position lies in (the first sentence for a
    position before it)."""
    starts = [s.start for s in sentences]
    return lambda pos: max(0, bisect_right(starts, pos) - 1)


def _within(sentence: Sentence, starts: frozenset[int]) -> bool:
    """True when one of `starts` (of sentences read apart) lies in `sentence`, which may be
    several read as one (`_joined`)."""
    return any(sentence.start <= p < sentence.end for p in starts)


def _joined(question: Sentence, answer: Sentence) -> Sentence:
    """A question and its answer as one sentence (the answer's clauses after the question's)."""
    shift = max(question.clause_of) + 1
    return Sentence(
        question.start,
        answer.end,
        question.tokens + answer.tokens,
        question.clause_of + tuple(c + shift for c in answer.clause_of),
        False,
    )


# A question asks the client about themself in the second person; the cues are written as
# the client would say it ("Har han slagit dig?" asks about "han har slagit mig").
_SECOND_TO_FIRST = {"du": "jag", "dig": "mig", "din": "min", "ditt": "mitt", "dina": "mina"}
# A question to the child, read as a parent would say it of the child.
_SECOND_TO_THIRD = {"du": "han", "dig": "honom", "din": "hans", "ditt": "hans", "dina": "hans"}
# A question to a parent, read as said of the parent (only the subject: "dig" would make the
# parent the one harmed, and the cues read "slagit föräldern" as harm to the child).
_SECOND_TO_PARENT = {"du": "föräldern"}
# A question to several in a child's case ("Har någon av er …?", "Dricker ni …?") is to the
# adults who came with the child: the parents.
_PLURAL_TO_PARENTS = {"ni": "föräldrarna", "er": "föräldrarna"}
# The subject of a parent's answer to a question to the parents together.
_PARENT_SUBJECTS = {"jag": "föräldern", "vi": "föräldrarna"}
PARENT_OWN = frozenset(
    {"parental_substance_abuse", "parental_mental_illness", "parental_criminality"}
)
"""A parent's own condition in a child's case: what "du" asks about when it is a parent (not
what was done to or in front of the child, whose cues a parent as subject also match)."""


def _replaced(sentence: Sentence, word_for: Callable[[Token], str | None]) -> Sentence | None:
    """The sentence with each token for which `word_for` gives a word read as that word (same
    place in the text), or None when it gives none."""
    words = [word_for(t) for t in sentence.tokens]
    if not any(w is not None for w in words):
        return None
    tokens = tuple(
        t if w is None else Token(w, normalize(w), t.start, t.end, t.piece)
        for t, w in zip(sentence.tokens, words, strict=True)
    )
    return Sentence(
        sentence.start, sentence.end, tokens, sentence.clause_of, sentence.is_question_mark
    )


def _as_said(question: Sentence) -> Sentence | None:
    """A question in the second person as the client would say it (du → jag, dig → mig,
    din → min), or None when it has no second person."""
    return _replaced(question, lambda t: _SECOND_TO_FIRST.get(t.lower))


def _with_referents(sentence: Sentence, referents: dict[int, str]) -> Sentence | None:
    """The sentence with each "han"/"hon" that refers to a person noun replaced by it, or
    None when it has none."""
    return _replaced(sentence, lambda t: referents.get(t.start))


def _answer_then_question(sentence: Sentence) -> list[Sentence]:
    """A sentence, or the answer and question (or question and answer) the recogniser ran
    together in it."""
    n = len(sentence.tokens)
    k = question_start(sentence)
    if k:
        return [part(sentence, 0, k, question_mark=False), part(sentence, k, n, question_mark=True)]
    k = answer_start(sentence)
    if k:
        return [part(sentence, 0, k, question_mark=True), part(sentence, k, n, question_mark=False)]
    k = inner_question_start(sentence)
    if k:
        return [part(sentence, 0, k, question_mark=False), part(sentence, k, n, question_mark=True)]
    return [sentence]


def _sentences(
    reading: _Reading, split_merged: Callable[[Sentence, frozenset[int] | None], Sentence] | None
) -> list[Sentence]:
    """The sentences the tagger reads, in order: split at sentence ends, a question and its
    answer run together read apart, and (`split_merged`, the matcher's) two words the
    recogniser ran together read as two; with word probabilities, an answer heard with a
    question mark read as the answer."""
    sentences = [
        piece if split_merged is None else split_merged(piece, reading.unsure(piece))
        for whole in split_sentences(reading.text)
        for s in _answer_then_question(whole)
        for heard in Tagger._trailing_answer(reading, s)
        for piece in Tagger._paused_turns(reading, heard)
    ]
    if reading.probs is not None:
        sentences = _answers_heard_as_questions(sentences)
    return sentences


def persons(
    segments: Sequence[SegmentLike] | Sequence[Mapping[str, Any]], case_type: str
) -> Persons:
    """Who is who in `segments` read again without the catalogue, for what was tagged before
    a tagging reported it (`TagResult.persons` is the tagger's own reading: use that). Two
    words the recogniser ran together are not read apart here (that takes the catalogue's
    words), so with word probabilities a pronoun's sentence count may differ from the
    tagger's by such a split."""
    heard = [utterance(s) for s in segments]
    if not heard:
        return NOBODY
    reading = _Reading.of(heard)
    sentences = _sentences(reading, None)
    reading.resolution = resolution(
        reading.text, sentences, case_type, _unsure_words(reading, sentences)
    )
    return _persons(reading)


def _persons(reading: _Reading) -> Persons:
    """A reading's who-is-who in transcript segments."""
    found = reading.resolution
    if found is None or not reading.offsets:
        return NOBODY

    def place(span: tuple[int, int]) -> Place:
        k = _segment_at(reading.offsets, span[0])
        return (k, span[0] - reading.offsets[k], span[1] - reading.offsets[k])

    out: dict[tuple[int, int], Place] = {}
    for pronoun, naming in found.named.items():
        k = _segment_at(reading.offsets, pronoun)
        out[(k, pronoun - reading.offsets[k])] = place(naming)
    return Persons(frozenset(place(w) for w in found.naming), out)


@lru_cache(maxsize=1)
def _default_tagger() -> Tagger:
    return Tagger(load_catalogue())


def _place(tag: _T, items: list[tuple[float, float, str]], offsets: list[int]) -> _T:
    first = _segment_at(offsets, tag.start)
    last = _segment_at(offsets, max(tag.start, tag.end - 1))
    seg_start, _seg_end, seg_text = items[first]
    char_start = tag.start - offsets[first]
    char_end = min(tag.end - offsets[first], len(seg_text))
    return type(tag)(
        **{
            **asdict(tag),
            "segment": first,
            "char_start": char_start,
            "char_end": char_end,
            "start_s": seg_start,
            "end_s": items[last][1],
        }
    )


def _segment_at(offsets: list[int], pos: int) -> int:
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo
