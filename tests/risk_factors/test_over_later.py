"""Past and over, told after the fact: a later sentence that says what was just told is over
("Men det är slut nu", "hon slutade i fjol", a no to "Är det så fortfarande?") ends the
factors found just before it; and in an adult's conversation a "han"/"hon" (in a yes/no
question, or as a statement's subject) is someone else, never the client."""

from __future__ import annotations

from typing import Any

from risk_factors.context import asks_if_still, says_over
from risk_factors.tagger import Tagger
from risk_factors.text import split_sentences
from tests.risk_factors.support import factors_found as _found
from tests.risk_factors.support import typed_segments


def _one(text: str) -> Any:
    return split_sentences(text)[0]


class TestSaysOver:
    def test_over_statements(self) -> None:
        """ "Det är över", "det har slutat", "hon slutade i fjol", "det har inte hänt sedan
        påsk" and "Det var i femman" tell that what was just said is over."""
        for text in (
            "Men det är över sedan länge.",
            "Det har slutat helt.",
            "Hon slutade i fjol.",
            "Det har inte hänt en gång sedan påsk.",
            "Det var i femman.",
            "Det var för fyra år sedan.",
        ):
            assert says_over(_one(text)), text

    def test_not_over(self) -> None:
        """A stop verb with an object ("slutade gymnasiet"), in a time clause ("från innan jag
        slutade"), negated ("det har inte slutat") or asked is no end."""
        for text in (
            "Jag slutade gymnasiet och började jobba.",
            "Skulden är från innan jag slutade.",
            "Det har inte slutat.",
            "Har det slutat?",
            "Det var roligt.",
        ):
            assert not says_over(_one(text)), text

    def test_still_question(self) -> None:
        """ "Är det så fortfarande?" asks if what was just told still holds; "Hur är det i
        skolan?" names a topic of its own."""
        assert asks_if_still(_one("Är det så fortfarande?"))
        assert asks_if_still(_one("Hur ser det ut nu?"))
        assert not asks_if_still(_one("Hur mår du i skolan?"))
        assert asks_if_still(_one("Hur är dit?"))
        assert not asks_if_still(_one("Hur är det med dig?"))
        assert not asks_if_still(_one("Hur är det på fritidsgården?"))


class TestOverLater:
    def test_over_two_sentences_later(self, tagger: Tagger) -> None:
        """ "Jag bodde på ett vandrarhem … Jag sov i bilen. Men det är över nu." is past."""
        found = _found(
            tagger,
            "vuxen",
            "Hur bodde du förut?",
            "Jag bodde på ett vandrarhem i två år. Sedan sov jag i bilen. Men det är över nu.",
        )
        assert "housing_instability" not in found

    def test_over_across_a_still_question(self, tagger: Tagger) -> None:
        """A report's word, then "Hur ser det ut nu?" / "Det var i femman. Det har slutat."."""
        found = _found(
            tagger,
            "barn",
            "Förskolan skrev att hon slogs med de andra barnen.",
            "Hur ser det ut nu?",
            "Det var i femman. Det har slutat.",
        )
        assert "aggressive_behaviour" not in found

    def test_no_to_still_question(self, tagger: Tagger) -> None:
        """ "Hon spelade handboll förut?" … "Gör hon det fortfarande?" / "Nej." ends leisure."""
        found = _found(
            tagger,
            "barn",
            "Du berättade att hon spelade handboll.",
            "Gör hon det fortfarande?",
            "Nej.",
        )
        assert "structured_leisure" not in found

    def test_still_yes_keeps_it(self, tagger: Tagger) -> None:
        """A yes to the same question keeps the factor."""
        found = _found(
            tagger,
            "barn",
            "Du berättade att hon spelade handboll.",
            "Gör hon det fortfarande?",
            "Ja, tre gånger i veckan.",
        )
        assert "structured_leisure" in found

    def test_later_question_is_a_new_topic(self, tagger: Tagger) -> None:
        """An over-statement does not reach back past a question with a topic of its own."""
        found = _found(
            tagger,
            "vuxen",
            "Hur bor du?",
            "Jag har ett förstahandskontrakt sedan i höstas.",
            "Och innan dess?",
            "Då sov jag på ett härbärge. Men det är över.",
        )
        assert "stable_housing" in found
        assert "housing_instability" not in found

    def test_over_right_after(self, tagger: Tagger) -> None:
        """A factor told as over in the next sentence ("Jag hade diabetes, men nu är jag
        frisk") ends the same factor found just before it."""
        found = _found(
            tagger,
            "vuxen",
            "Hur är hälsan?",
            "Förra året pratade vi om din astma.",
            "Jag hade astma, men nu är jag frisk.",
        )
        assert "physical_ill_health" not in found

    def test_present_after_is_kept(self, tagger: Tagger) -> None:
        """No over-statement: the factor stays."""
        found = _found(tagger, "vuxen", "Hur bor du?", "Jag sover på ett härbärge. Det är jobbigt.")
        assert "housing_instability" in found


class TestThirdPersonInAdultCase:
    def test_yes_to_a_question_about_him(self, tagger: Tagger) -> None:
        """ "Använder han droger?" / "Ja, kokain." is the partner's, not the client's."""
        found = _found(tagger, "vuxen", "Använder han droger?", "Ja, kokain varje helg.")
        assert "drug_problem" not in found

    def test_his_prison_term(self, tagger: Tagger) -> None:
        """ "Han har suttit på kåken" in a conversation is his, not the client's."""
        found = _found(
            tagger,
            "vuxen",
            "Hur länge har ni varit tillsammans?",
            "I fem år. Han har suttit på anstalt för rån.",
        )
        assert "legal_problems" not in found

    def test_her_own_words_count(self, tagger: Tagger) -> None:
        """The client's own "jag" still counts in the same conversation."""
        found = _found(
            tagger, "vuxen", "Hur är det med alkoholen?", "Jag dricker en flaska vin varje kväll."
        )
        assert "alcohol_problem" in found

    def test_a_note_in_the_third_person(self, tagger: Tagger) -> None:
        """A single note about the client in the third person is still the client's."""
        assert "alcohol_problem" in tagger.tag_text("Hon dricker varje dag.", "vuxen").factors()


class TestTemporaryHousing:
    def test_a_time_limited_stay_is_not_stable(self, tagger: Tagger) -> None:
        """A stay with a limit ("i max sex veckor", "tillfälligt") is no stable housing."""
        for text in (
            "Vi bor hos en väninna nu och vi får bo där i max sex veckor.",
            "Jag har fått en egen lägenhet tillfälligt genom kommunen.",
        ):
            assert "stable_housing" not in tagger.tag_text(text, "vuxen").factors(), text

    def test_years_in_the_same_flat_is_stable(self, tagger: Tagger) -> None:
        """Without a limit the same words are stable housing."""
        found = tagger.tag_text("Vi har bott där i nio år.", "vuxen").factors()
        assert "stable_housing" in found


class TestHeardUnclearly:
    def test_a_misheard_negation_still_negates(self, tagger: Tagger) -> None:
        """ "Jag röker intä" (a non-word that sounds like "inte") is no finding."""
        found = _found(tagger, "vuxen", "Hur är det med droger?", "Nej, jag röker intä hasch.")
        assert "drug_problem" not in found

    def test_still_question_heard_a_letter_off(self, tagger: Tagger) -> None:
        """ "Gör hon dit fortfarnde?" is still a question whether it still holds."""
        assert asks_if_still(_one("Gör hon dit fortfarnde?"))

    def test_a_condition_about_the_father_stays_a_condition(self, tagger: Tagger) -> None:
        """ "om han börjar dricka igen", with "han" the father, is no finding of his drinking."""
        found = _found(
            tagger,
            "barn",
            "Hur är det med pappa?",
            "Han jobbar mycket.",
            "Men om han börjar dricka igen, då vet jag inte vad jag gör.",
        )
        assert "parental_substance_abuse" not in found


class TestNoToStillQuestion:
    def test_a_long_no_to_a_still_question(self, tagger: Tagger) -> None:
        """ "Nej, hon höll på i fyra år men la av i våras." ends the leisure told before."""
        found = _found(
            tagger,
            "barn",
            "Du berättade att hon spelade handboll.",
            "Gör hon det fortfarande?",
            "Nej, hon höll på i fyra år men tröttnade i våras.",
        )
        assert "structured_leisure" not in found


class TestResourceSaidOver:
    def test_it_is_over_ends_a_resource(self, tagger: Tagger) -> None:
        """A resource answered yes to and then said to be over ("Ja, i tre år." / "Det var
        slut i julas.") is no resource now, though its past otherwise counts."""
        for answer in (
            "Ja, i tre år på behandlingshemmet. Men det är slut nu, jag dricker igen.",
            "Ja, ett och ett halvt år. Det var slut i julas.",
        ):
            found = _found(tagger, "vuxen", "Har du varit nykter någon längre tid?", answer)
            assert "sobriety" not in found, answer

    def test_other_ends_keep_it(self, tagger: Tagger) -> None:
        """ "Det är slut på pengarna" (something ran out), "det är slut mellan oss" (a
        relationship ended) and "jag är slut" (tired) end nothing just told."""
        for answer in (
            "Ja, i tre år. Det är slut på pengarna dock.",
            "Ja, i tre år. Det är slut mellan mig och Anna.",
            "Ja, i tre år. Jag är helt slut efter jobbet.",
        ):
            found = _found(tagger, "vuxen", "Har du varit nykter någon längre tid?", answer)
            assert "sobriety" in found, answer

    def test_what_it_ended_is_over(self, tagger: Tagger) -> None:
        """A resource its own sentence says holds now, then "Det är över": what is over is
        what it ended ("Jag rökte på varje dag. Men jag är drogfri sedan tre år nu.")."""
        found = _found(
            tagger,
            "vuxen",
            "Hur är det med droger?",
            "Jag rökte på varje dag förut. Men jag är drogfri sedan tre år nu. Det är över.",
        )
        assert "sobriety" in found


class TestABudgetIsAPlan:
    def test_a_budget_alone_is_no_stable_economy(self, tagger: Tagger) -> None:
        """Having or making a budget ("Vi har en budget nu.") says nothing of whether the
        money suffices: no stable economy."""
        for text in ("Vi har en budget nu.", "Det är trångt, men vi har gjort en budget."):
            assert "stable_economy" not in _found(tagger, "vuxen", "Hur är ekonomin?", text)

    def test_a_budget_that_holds(self, tagger: Tagger) -> None:
        """A budget that holds or adds up ("Budgeten håller varje månad.") is one."""
        for text in ("Budgeten håller varje månad.", "Vi har en budget som går ihop."):
            assert "stable_economy" in _found(tagger, "vuxen", "Hur är ekonomin?", text), text


class TestDeniedThenFound:
    def test_found_right_after_a_no_is_uncertain(self, tagger: Tagger) -> None:
        """A factor denied and then found from other words in the same answer ("Dricker
        du?" / "Nej, inte så mycket. Men i helgerna dricker jag en hel del.") contradicts
        itself: no finding, at most uncertain."""
        result = tagger.tag_segments(
            typed_segments(
                "Retar de andra barnen dig i skolan?",
                "Nej.",
                "Nej, hon har många vänner. Men ibland retar de henne för kläderna.",
            ),
            "barn",
        )
        assert "bullying_peer_rejection" not in result.factors()
        reasons = {d.reason for d in result.denied if d.factor == "bullying_peer_rejection"}
        assert "uncertain" in reasons
        found = _found(
            tagger,
            "vuxen",
            "Dricker du alkohol?",
            "Nej, inte så ofta. Men i helgerna dricker jag väldigt mycket.",
        )
        assert "alcohol_problem" not in found

    def test_found_after_a_new_question_stays(self, tagger: Tagger) -> None:
        """Past a new question it is a new answer ("Hur går det med läsningen?"), and a
        factor not denied is found as usual."""
        found = _found(
            tagger,
            "barn",
            "Retar de andra barnen dig i skolan?",
            "Nej.",
            "Hur har du det på rasterna?",
            "Ibland retar de andra barnen honom för kläderna.",
        )
        assert "bullying_peer_rejection" in found
        found = _found(
            tagger,
            "vuxen",
            "Har du några skulder?",
            "Nej. Men jag dricker nog för mycket i helgerna.",
        )
        assert "alcohol_problem" in found


class TestConditionOfANamedSubject:
    def test_a_condition_on_someone_named_is_no_fact(self, tagger: Tagger) -> None:
        """ "Och om Kronofogden tar en del av lönen, hur klarar ni er då?" opens a condition
        though its subject is no pronoun: neither the question's words nor a "Då …" answer
        are a risk found."""
        found = _found(
            tagger,
            "vuxen",
            "Och om Försäkringskassan drar in ersättningen, hur klarar du dig då?",
            "Då blir det svårt att betala hyran.",
        )
        assert "economic_hardship" not in found

    def test_a_topic_or_a_fact_stays(self, tagger: Tagger) -> None:
        """ "Om skolan, hur går det?" names a topic only; a fact told about the named is
        found."""
        found = _found(
            tagger, "vuxen", "Hur är det med ekonomin?", "Kronofogden tar en del av lönen nu."
        )
        assert "economic_hardship" in found
        found = _found(tagger, "barn", "Om skolan, hur går det där?", "Han skolkar varje vecka.")
        assert "truancy" in found


class TestStopsSaidInThePresent:
    def test_stops_with_a_past_time_is_over(self, tagger: Tagger) -> None:
        """ "Men jag slutar med för tre år sedan" (the present said or heard for "slutade",
        with a time in the past) ends what was just told."""
        found = _found(
            tagger,
            "vuxen",
            "Hur är det med droger?",
            "Jag rökte på alldeles för mycket. Men jag slutar med för fyra år sedan.",
        )
        assert "drug_problem" not in found

    def test_stopping_now_or_never_is_not(self, tagger: Tagger) -> None:
        """ "Men jag slutar med det nu" (a plan) or "Jag slutar aldrig" ends nothing."""
        for answer in (
            "Jag dricker alldeles för mycket. Men jag slutar med det nu.",
            "Jag dricker alldeles för mycket. Jag slutar aldrig.",
        ):
            assert "alcohol_problem" in _found(tagger, "vuxen", "Och alkohol?", answer), answer
