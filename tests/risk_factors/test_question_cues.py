"""A caseworker asks about a factor in words of their own: a case with the police or in court,
something used beside drinking, someone who has been threatening, a threat to "er". Those
words are cues (catalogue 2026.11-43), so a no to such a question denies the factor and a
statement in the same words is found. Sentences of my own (none from a meeting set), each
with near sentences that must stay as they are."""

from __future__ import annotations

import pytest

from risk_factors.tagger import Tagger
from tests.risk_factors.support import denied, factors_found, typed_segments


def _denied(tagger: Tagger, case_type: str, *texts: str) -> set[str]:
    result = tagger.tag_segments(typed_segments(*texts), case_type)
    assert not result.factors(), result.factors()
    return denied(result)


# (case type, question, answer, the factor the no denies)
DENIED = [
    ("vuxen", "Finns det något ärende mot dig hos polisen?", "Nej, inget.", "legal_problems"),
    ("vuxen", "Har du haft något ärende i tingsrätten?", "Nej, aldrig.", "legal_problems"),
    ("vuxen", "Dricker du alkohol, eller använder du något annat?", "Nej.", "drug_problem"),
    ("vuxen", "Dricker du på helgerna, och använder du nåt då?", "Nej.", "drug_problem"),
    ("vuxen", "Har din granne varit hotfull mot dig?", "Nej, han är bara sur.", "threats_weapons"),
    ("barn", "Har hans kompisar hotat er någon gång?", "Nej.", "threats_weapons"),
]

# (case type, sentence, factor found)
FOUND = [
    ("vuxen", "Jag har ett ärende hos polisen för en stöld i våras.", "legal_problems"),
    ("vuxen", "Jag dricker varje helg och använder något annat ibland.", "drug_problem"),
    ("vuxen", "Han blir hotfull mot mig när han har druckit.", "threats_weapons"),
]

# (case type, sentence, factor that must not be found)
NOT_FOUND = [
    ("vuxen", "Jag har anmält honom, så det finns ett ärende hos polisen nu.", "legal_problems"),
    ("vuxen", "Vi har ett ärende i tingsrätten om vårdnaden.", "legal_problems"),
    ("vuxen", "Jag var vittne, så jag har ett ärende i domstol i maj.", "legal_problems"),
    ("vuxen", "Jag dricker te och använder inget socker.", "drug_problem"),
    ("vuxen", "Jag använder något hjälpmedel när jag dricker.", "drug_problem"),
    ("vuxen", "Stämningen i området har varit hotfull i vinter.", "threats_weapons"),
    ("vuxen", "Hans kusin har nog varit hotfull.", "threats_weapons"),
]


class TestQuestionCues:
    """A no to a question asked in these words denies the factor; the same words said of
    oneself are found; a report, a family-law case, an aid or a place's mood is no factor."""

    @pytest.mark.parametrize(("case_type", "question", "answer", "factor"), DENIED)
    def test_a_no_denies_the_factor(
        self, tagger: Tagger, case_type: str, question: str, answer: str, factor: str
    ) -> None:
        """The question answered no gives a denial of the factor and no finding."""
        assert factor in _denied(tagger, case_type, question, answer)

    @pytest.mark.parametrize(("case_type", "text", "factor"), FOUND)
    def test_the_same_words_told_are_found(
        self, tagger: Tagger, case_type: str, text: str, factor: str
    ) -> None:
        """The words told of oneself are a finding of the factor."""
        assert factor in factors_found(tagger, case_type, text)

    @pytest.mark.parametrize(("case_type", "text", "factor"), NOT_FOUND)
    def test_near_sentences_are_not_found(
        self, tagger: Tagger, case_type: str, text: str, factor: str
    ) -> None:
        """A report one made, a witness, a custody case, an aid, a mood, or threatening
        towards nobody named (a question heard without its "?") is no finding."""
        assert factor not in factors_found(tagger, case_type, text)

    def test_near_questions_deny_nothing_new(self, tagger: Tagger) -> None:
        """A question about an aid or about coffee, or about someone else's case, denies no
        drug or legal problem."""
        assert "drug_problem" not in _denied(
            tagger, "vuxen", "Använder du något hjälpmedel hemma?", "Nej."
        )
        assert "drug_problem" not in _denied(
            tagger, "vuxen", "Dricker du kaffe och använder du något socker?", "Nej."
        )
        assert "legal_problems" not in _denied(
            tagger, "vuxen", "Har du anmält honom, finns det ett ärende hos polisen?", "Nej."
        )

    def test_a_topic_question_still_asks_about_drinking(self, tagger: Tagger) -> None:
        """ "Och alkohol?" after a question about using something still asks about drinking
        alone: the new cue for something used beside drinking does not name alcohol."""
        denied = _denied(
            tagger, "vuxen", "Har du tagit något i vinter?", "Nej.", "Och alkohol?", "Nej, inget."
        )
        assert "alcohol_problem" in denied


class TestHurtBySomeone:
    """Someone who "gjort dig illa" hurt the person (prior_victimisation, catalogue
    2026.11-44): a no to the question denies it, the same words told find it; hurting
    oneself is no victimisation."""

    def test_a_no_denies_being_hurt(self, tagger: Tagger) -> None:
        """In a child's case "Har Kevin någonsin gjort dig illa?" or "Har någon på fritids
        gjort dig illa?" answered "Nej." denies prior victimisation."""
        for question in (
            "Har Kevin någonsin gjort dig illa?",
            "Har någon på fritids gjort dig illa?",
        ):
            denied = _denied(tagger, "barn", question, "Nej.")
            assert "prior_victimisation" in denied, (question, denied)

    def test_told_it_is_found(self, tagger: Tagger) -> None:
        """ "Han har gjort mig illa flera gånger." is prior victimisation."""
        found = factors_found(tagger, "vuxen", "Han har gjort mig illa flera gånger.")
        assert "prior_victimisation" in found, found

    def test_hurting_oneself_is_not_victimisation(self, tagger: Tagger) -> None:
        """ "Jag har velat göra mig själv illa." and its question are no victimisation."""
        found = factors_found(tagger, "vuxen", "Jag har velat göra mig själv illa.")
        assert "prior_victimisation" not in found, found
        result = tagger.tag_segments(
            typed_segments("Har du funderat på att göra dig själv illa?", "Nej."), "vuxen"
        )
        assert "prior_victimisation" not in denied(result)
