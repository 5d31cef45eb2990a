"""Recall through speech: general readings of what whisper-base does to Swedish words, each
tested on sentences written for the test (never the recogniser's output on a meeting set),
with near sentences that must stay unfound."""

from __future__ import annotations

import pytest

from risk_factors.cues import Lexicon, Matcher, compile_cue
from risk_factors.tagger import Tagger, TagResult
from risk_factors.text import split_sentences

from .support import heard_segments


def _read(tagger: Tagger, case_type: str, *texts: str, p: float = 0.5) -> TagResult:
    return tagger.tag_segments(heard_segments(*texts, p=p), case_type)


def _same_reading(a: TagResult, b: TagResult) -> bool:
    return (a.factors(), set(a.denied_by_factor())) == (b.factors(), set(b.denied_by_factor()))


class TestSomeoneHeardBadly:
    """In "Finns det någon …?", "Har du/ni någon …?", "Känner du någon …?" the recogniser often
    writes "någon" as a non-word that keeps its opening sound; the question is read as if
    "någon" had been heard."""

    PAIRS = (
        ("vuxen", "Finns det {} du kan prata med?", "Min moster."),
        ("barn", "Har ni {} som hjälper er med barnen?", "Farmor, hon bor nära."),
        ("barn", "Har ni {} som slår er?", "Nej."),
        ("vuxen", "Finns det {} du kan prata med?", "Nej, ingen."),
        ("vuxen", "Har du {} fråga om tiden?", "Min fråga gäller bussen."),
    )

    @pytest.mark.parametrize(("case_type", "question", "answer"), PAIRS)
    @pytest.mark.parametrize("heard", ["nolgon", "nåvon"])
    def test_a_non_word_opening_like_nagon_reads_as_it(
        self, tagger: Tagger, case_type: str, question: str, answer: str, heard: str
    ) -> None:
        """ "Finns det nolgon du kan prata med?" / "Min moster." is read exactly as with
        "någon": a supporting person named; a no, or a person who is no support, gives no
        finding."""
        misheard = _read(tagger, case_type, question.format(heard), answer)
        said = _read(tagger, case_type, question.format("någon"), answer)
        assert _same_reading(misheard, said)

    def test_the_person_named_is_found(self, tagger: Tagger) -> None:
        """The answer that names a person to a question heard with "nolgon" is the finding."""
        result = _read(tagger, "vuxen", "Finns det nolgon du kan prata med?", "Min moster.")
        assert result.factors() == {"supportive_network"}

    @pytest.mark.parametrize(
        "question",
        [
            "Finns det kalon du kan prata med?",  # a non-word opening with another sound
            "Finns det nomen du kan prata med?",  # a real word ("nomen") is not "någon"
            "Finns det nolgonstansvis du kan prata med?",  # too long to be the pronoun
            "Vill du nolgon prata med?",  # not a question whether there is someone
        ],
    )
    def test_near_questions_lend_no_topic(self, tagger: Tagger, question: str) -> None:
        """Another opening sound, a real word, a long non-word, or another question form:
        "Min moster." after it names nobody asked for."""
        assert _read(tagger, "vuxen", question, "Min moster.").factors() == set()


class TestCompoundWrittenApart:
    """Whisper often writes a compound as two Swedish words ("drog fri"); two unsure
    neighbours that spell a cue word together are read as that word, never by sound."""

    @pytest.mark.parametrize(
        ("text", "case_type", "slug", "quote"),
        [
            ("Jag har varit drog fri i ett år nu.", "vuxen", "sobriety", "drog fri"),
            ("Hon kände sig helt själv mord på tv.", "barn", "self_harm_suicidality", "själv mord"),
        ],
    )
    def test_two_unsure_words_that_spell_a_cue_word(
        self, tagger: Tagger, text: str, case_type: str, slug: str, quote: str
    ) -> None:
        """Heard unsurely, the two words are the compound, and both are quoted; heard surely
        they are two words."""
        unsure = _read(tagger, case_type, text)
        assert slug in unsure.factors()
        assert quote in {t.quote for t in unsure.tags if t.factor == slug}
        assert slug not in _read(tagger, case_type, text, p=0.95).factors()

    @pytest.mark.parametrize(
        ("text", "case_type"),
        [
            ("Det var hör mord på honom i går.", "barn"),  # sounds like "självmord", spells nothing
            ("Han är fri tid efter skolan.", "barn"),  # "fritid" is no cue word alone
            ("Vi tog kontakt, person till person.", "vuxen"),  # no compound across a comma
        ],
    )
    def test_near_pairs_stay_two_words(self, tagger: Tagger, text: str, case_type: str) -> None:
        """A pair that only sounds like a cue word, or spells none, gives no finding."""
        assert _read(tagger, case_type, text).factors() == set()


def _matched(match: str, unless: str | None, text: str, unsure: frozenset[int]) -> bool:
    """Whether a one-cue matcher finds `match` in `text`, the words `unsure` heard unsurely."""
    lexicon = Lexicon()
    matcher = Matcher([compile_cue("x", match, lexicon, unless=unless)], lexicon)
    return bool(matcher.matches(text, split_sentences(text)[0], unsure))


class TestUnlessWordsLendNoForms:
    """A word written in a cue's `unless` is read exactly; it lends the match word of its
    normal form no written form for a misheard word to be alike (the unless "ärligt talat"
    made a misheard "ärligt" honesty)."""

    def test_a_form_written_only_in_unless_is_no_likeness(self) -> None:
        """ "Erligt" (unsure) is not the cue "ärlig" because an unless writes "ärligt"."""
        assert not _matched("ärlig", "ärligt talat", "Erligt sa hon nej.", frozenset({0}))

    def test_a_form_written_in_the_match_still_is(self) -> None:
        """The same form written in the match itself is still heard alike, and the unless
        still cancels what it names."""
        assert _matched("ärligt", None, "Erligt sa hon nej.", frozenset({0}))
        assert not _matched("ärlig", "ärligt talat", "Han är ärlig, ärligt talat.", frozenset())
        assert _matched("ärlig", "ärligt talat", "Hon är ärlig.", frozenset())
