"""Whose it is and when it was, read across sentences: a short time of the past said after
the fact ("Men det var för två år sen"), a "var" that is the verb and not "where", a subject-
less fragment that ends another person's statement ("Hon röker. Cigaretter."), a "hans"/
"hennes" that stands for someone else, and a no (or the resource that excludes it) to a
question about now after the factor was told."""

from __future__ import annotations

from typing import Any

from risk_factors.context import says_over
from risk_factors.tagger import Tagger
from risk_factors.text import split_sentences
from tests.risk_factors.support import factors_found as _found
from tests.risk_factors.support import typed_segments


def _one(text: str) -> Any:
    return split_sentences(text)[0]


class TestShortTimeOfThePast:
    """ "Men det var för två år sen" ends what was just told, as "Det var för två år sedan"
    does; "sen" only after a unit of time."""

    def test_over(self) -> None:
        """A leading "men"/"och" and the short "sen" after a unit of time are a time of the
        past."""
        for text in (
            "Men det var för två år sen.",
            "Och det var för sex månader sen.",
            "Det var för fem veckor sen.",
            "Fast det var för länge sedan.",
        ):
            assert says_over(_one(text)), text

    def test_not_over(self) -> None:
        """ "sen" as "then", a longer sentence and a question are no end."""
        for text in (
            "Men det var för att jag sen sa något.",
            "Men det var för två år sen som det började bli värre.",
            "Var det för två år sen?",
        ):
            assert not says_over(_one(text)), text

    def test_ends_a_teasing(self, tagger: Tagger) -> None:
        """Teasing told and then placed years back is no finding; told without it, it is."""
        asked = "Hur var det på fritids?"
        assert "bullying_peer_rejection" not in _found(
            tagger, "barn", asked, "Där blev jag retad för mina kläder. Men det var för två år sen."
        )
        assert "bullying_peer_rejection" in _found(
            tagger, "barn", asked, "Där blir jag retad för mina kläder. Men jag bryr mig inte."
        )


class TestWasIsNotWhere:
    """The verb "var" (was) near "ringer"/"kollar" is no knowing where the child is."""

    def test_was_is_no_monitoring(self, tagger: Tagger) -> None:
        """ "Det var … ringde hem" and "Det var … kollade" say nothing of monitoring."""
        for text in (
            "Det var andra gången som skolan ringde hem.",
            "Det var fritidsledaren som kollade biljetterna.",
        ):
            assert "parental_monitoring" not in _found(tagger, "barn", "Vad hände?", text), text

    def test_where_still_is(self, tagger: Tagger) -> None:
        """Asking or checking where the child is, and with whom, still is."""
        for text in (
            "Pappa ringer och frågar var jag är.",
            "Mamma har koll på var jag är.",
            "Hon kollar alltid var jag är.",
            "Pappa kollar alltid vem jag är med.",
        ):
            assert "parental_monitoring" in _found(tagger, "barn", "Hur är det hemma?", text), text


class TestFragmentEndsAnothersStatement:
    """A short sentence with no subject of its own ends the statement before it."""

    def test_anothers(self, tagger: Tagger) -> None:
        """ "Han dricker fortfarande. Sprit." (the brother) and "Hon röker på. Hasch." (the
        sister) are not the client's own."""
        assert "alcohol_problem" not in _found(
            tagger, "vuxen", "Hur är det med din bror?", "Han dricker fortfarande. Sprit."
        )
        assert "drug_problem" not in _found(
            tagger, "vuxen", "Och din syster?", "Hon röker fortfarande. Hasch. Varje dag."
        )

    def test_own(self, tagger: Tagger) -> None:
        """After the client's own statement, or with a subject of its own, it is the client's."""
        assert "drug_problem" in _found(
            tagger, "vuxen", "Hur är det med dig?", "Jag röker fortfarande. Hasch. Varje dag."
        )
        assert "drug_problem" in _found(
            tagger, "vuxen", "Och din syster?", "Hon mår bra. Jag röker hasch varje dag."
        )


class TestPossessiveOfAnother:
    """A "hans"/"hennes" whose "han"/"hon" is someone else makes the cue that person's."""

    def test_anothers(self, tagger: Tagger) -> None:
        """The brother asked about: the snus in his room is his."""
        assert "early_substance_use" not in _found(
            tagger,
            "barn",
            "Din storebror, hur går det för honom?",
            "Han är femton. Jag hittade snus i hans rum i söndags.",
        )

    def test_the_childs(self, tagger: Tagger) -> None:
        """The child asked about: the snus in his room is the child's."""
        assert "early_substance_use" in _found(
            tagger,
            "barn",
            "Hur går det för Elias?",
            "Han är femton. Jag hittade snus i hans rum i söndags.",
        )


class TestNotSoNow:
    """A factor told, then asked about as it is now and answered no (or with what excludes
    it), was of a time that is over."""

    def test_no_now(self, tagger: Tagger) -> None:
        """ "… på jobbet för tre år sen" / "Jobbar du nu?" / "Nej." is no work now."""
        result = tagger.tag_segments(
            typed_segments(
                "Berätta.",
                "Jag skadade knät på jobbet för tre år sen.",
                "Jobbar du nu?",
                "Nej, jag är sjukskriven.",
            ),
            "vuxen",
        )
        assert "employment_education" not in result.factors()

    def test_excluded_now(self, tagger: Tagger) -> None:
        """Cocaine told as before, then "drogfri" asked about now: no drug problem."""
        found = _found(
            tagger,
            "vuxen",
            "Vad handlade domen om?",
            "Det handlade om kokainet.",
            "Hur ser det ut med drogerna nu?",
            "Jag har varit drogfri i två år.",
        )
        assert "drug_problem" not in found
        assert "sobriety" in found

    def test_yes_now_keeps_it(self, tagger: Tagger) -> None:
        """A yes, or a question without "nu", keeps it."""
        assert "employment_education" in _found(
            tagger, "vuxen", "Berätta.", "Jag jobbar på ett lager.", "Jobbar du där nu?", "Ja."
        )
        assert "drug_problem" in _found(
            tagger,
            "vuxen",
            "Vad handlade domen om?",
            "Det handlade om kokainet.",
            "Hur ser det ut med jobbet?",
            "Jag har inget jobb.",
        )


class TestAskedOfChildhood:
    """An answer to a question about the client's childhood tells of a time that is over."""

    def test_childhood(self, tagger: Tagger) -> None:
        """ "… tills du var tio. Hur var det?" / "Han slog mig." and "Hur var det när du var
        liten?" / "Han slog mig." are no violence in a relationship now."""
        for asked in (
            "Du bodde med din pappa och hans fru tills du var tio. Hur var det?",
            "Hur var det hemma när du var liten?",
        ):
            assert "escalating_ipv" not in _found(tagger, "vuxen", asked, "Han slog mig."), asked

    def test_now(self, tagger: Tagger) -> None:
        """Asked about now, or with the childhood in an earlier turn, it is found."""
        assert "escalating_ipv" in _found(
            tagger, "vuxen", "Hur är det hemma nu?", "Han slår mig när han är full."
        )
        assert "escalating_ipv" in _found(
            tagger,
            "vuxen",
            "Du bodde hos din mormor tills du var tio.",
            "Ja.",
            "Hur är det med din sambo?",
            "Han slår mig när han är full.",
        )
