"""Past and over, and polarity: what was long ago or is paid off is over; a negation of
paying is no denial of the debt; a negation after a fronted word negates it; a cue that is
itself a negation ("ingen lön") is not undone by the negation of the next noun."""

from __future__ import annotations

from risk_factors.context import is_question
from risk_factors.tagger import Tagger, TagResult
from risk_factors.text import split_sentences
from tests.risk_factors.support import typed_segments


def _read(tagger: Tagger, case_type: str, *texts: str) -> TagResult:
    return tagger.tag_segments(typed_segments(*texts), case_type)


class TestLongAgo:
    def test_long_ago_in_the_next_sentence(self, tagger: Tagger) -> None:
        """ "… retad av klasskamraterna i trean." / "Men det var länge sen, …" is over."""
        result = _read(
            tagger,
            "barn",
            "Hur har det varit med kamraterna?",
            "Han blev retad av klasskamraterna i trean. Men det var länge sen, nu trivs han.",
        )
        assert "bullying_peer_rejection" not in result.factors()

    def test_nothing_now(self, tagger: Tagger) -> None:
        """ "Hon blev utfryst på mellanstadiet. Det är ingenting nu." is over."""
        result = _read(tagger, "barn", "Hon blev utfryst på mellanstadiet. Det är ingenting nu.")
        assert "bullying_peer_rejection" not in result.factors()

    def test_long_ago_in_a_men_clause(self, tagger: Tagger) -> None:
        """ "…, men det är länge sedan." after the cue in one sentence is over."""
        result = _read(tagger, "barn", "Jag blev mobbad i sexan, men det är länge sedan.")
        assert "bullying_peer_rejection" not in result.factors()

    def test_nothing_without_now_is_still_there(self, tagger: Tagger) -> None:
        """ "Det är inget problem" says nothing of when: still found; "sedan länge" after a
        verb is "for a long time" ("Han har blivit retad sedan länge")."""
        assert (
            "bullying_peer_rejection"
            in _read(
                tagger, "barn", "Han blir retad varje dag. Det är inget problem, säger han."
            ).factors()
        )
        assert (
            "bullying_peer_rejection"
            in _read(
                tagger, "barn", "Han blir retad i klassen, men han har blivit retad sedan länge."
            ).factors()
        )


class TestPaidAndServed:
    def test_paid_debt_is_over(self, tagger: Tagger) -> None:
        """ "Skulderna hos inkasso är betalda sedan i våras." is no economic hardship now."""
        result = _read(tagger, "vuxen", "Skulderna hos inkasso är betalda sedan i våras.")
        assert "economic_hardship" not in result.factors()

    def test_served_sentence_is_over(self, tagger: Tagger) -> None:
        """ "Straffet är avtjänat sedan flera år." is no legal problem now; "Jag har avtjänat
        två straff" is a history and still noted."""
        assert (
            "legal_problems"
            not in _read(tagger, "vuxen", "Straffet är avtjänat sedan flera år.").factors()
        )
        assert (
            "legal_problems"
            in _read(tagger, "vuxen", "Jag har avtjänat två straff för inbrott.").factors()
        )

    def test_unpaid_debt_is_no_denial(self, tagger: Tagger) -> None:
        """ "Hyresskulden är inte betald än" and "Jag har inte betalat av lånen hos
        Kronofogden" state a debt: found, never denied."""
        for text in (
            "Hyresskulden är inte betald än.",
            "Jag har inte betalat av lånen hos Kronofogden.",
        ):
            result = _read(tagger, "vuxen", text)
            assert "economic_hardship" in result.factors(), text
            assert "economic_hardship" not in result.denied_by_factor(), text

    def test_paying_towards_is_not_paid(self, tagger: Tagger) -> None:
        """ "Jag har betalat av på skulden varje månad" pays towards a debt that is still
        there."""
        result = _read(tagger, "vuxen", "Jag har betalat av på skulden varje månad.")
        assert "economic_hardship" in result.factors()


class TestFrontedNegation:
    def test_negation_after_verb_and_subject(self, tagger: Tagger) -> None:
        """ "Narkotika har jag aldrig provat." and "Sprit dricker jag inte alls." deny what
        stands first in the clause."""
        result = _read(tagger, "vuxen", "Narkotika har jag aldrig provat.")
        assert "drug_problem" not in result.factors()
        assert "drug_problem" in result.denied_by_factor()
        result = _read(tagger, "vuxen", "Sprit dricker jag inte alls.")
        assert "alcohol_problem" not in result.factors()

    def test_fronted_time_clause_is_not_negated(self, tagger: Tagger) -> None:
        """ "När mamma dricker vågar jag inte sova." still tells of the mother's drinking."""
        result = _read(tagger, "barn", "När mamma dricker vågar jag inte sova hemma.")
        assert "parental_substance_abuse" in result.factors()

    def test_negation_in_a_later_time_clause(self, tagger: Tagger) -> None:
        """ "Mamma slår henne när hon inte gör läxorna." states the hitting: the negation
        after "när hon" is the time clause's own."""
        result = _read(tagger, "barn", "Mamma slår henne när hon inte gör läxorna.")
        assert "child_maltreatment" in result.factors()


class TestNegationOfItsOwnNoun:
    def test_two_negated_nouns(self, tagger: Tagger) -> None:
        """ "Jag har ingen lön och inga sparpengar." and "Jag har inget arbete och ingen
        inkomst." state no income: found, not denied."""
        for text in (
            "Jag har ingen lön och inga sparpengar.",
            "Jag har inget arbete och ingen inkomst just nu.",
        ):
            result = _read(tagger, "vuxen", text)
            assert "unemployment_income" in result.factors(), text
            assert "unemployment_income" not in result.denied_by_factor(), text


class TestPastHeardAlike:
    def test_non_word_near_a_past_word(self, tagger: Tagger) -> None:
        """ "Hon spelar fotboll i ett lag förutt." ("förut" heard one sound off) may be over:
        no finding; without it, found."""
        assert (
            "structured_leisure"
            not in _read(tagger, "barn", "Hon spelar fotboll i ett lag förutt.").factors()
        )
        assert (
            "structured_leisure" in _read(tagger, "barn", "Hon spelar fotboll i ett lag.").factors()
        )

    def test_non_word_near_a_paid_word(self, tagger: Tagger) -> None:
        """ "Hyresskulden är avbetalld sedan maj." may be paid: no finding."""
        result = _read(tagger, "vuxen", "Hyresskulden är avbetalld sedan maj.")
        assert "economic_hardship" not in result.factors()


class TestQuestionWithSubjectHeardOff:
    def test_three_letter_subject_one_letter_off(self) -> None:
        """ "Har dit förekommit bråk hemma." and "Kan hun sova på nätterna." stand in question
        order ("det", "hon" heard one letter off); "Har varit hemma hela veckan." does not."""
        assert is_question(split_sentences("Har dit förekommit bråk hemma.")[0])
        assert is_question(split_sentences("Kan hun sova på nätterna.")[0])
        assert not is_question(split_sentences("Har varit hemma hela veckan.")[0])


class TestQuestionsNameWhoDidIt:
    def test_hit_by_an_adult_denied(self, tagger: Tagger) -> None:
        """ "Har Elin någon gång blivit slagen av en vuxen?" / "Nej." denies maltreatment, not
        bullying."""
        denied = _read(
            tagger, "barn", "Har Elin någon gång blivit slagen av en vuxen?", "Nej."
        ).denied_by_factor()
        assert "child_maltreatment" in denied
        assert "bullying_peer_rejection" not in denied

    def test_violence_between_you_and_him_denied(self, tagger: Tagger) -> None:
        """ "Var det något våld mellan dig och henne?" / "Nej." denies the violence a child
        lives with."""
        denied = _read(
            tagger, "barn", "Var det något våld mellan dig och henne?", "Nej."
        ).denied_by_factor()
        assert "child_exposed_ipv" in denied

    def test_mistreated_is_no_treatment(self, tagger: Tagger) -> None:
        """ "Har Lisa blivit slagen eller illa behandlad?" / "Nej." denies no professional
        support."""
        denied = _read(
            tagger, "barn", "Har Lisa blivit slagen eller illa behandlad?", "Nej."
        ).denied_by_factor()
        assert "ongoing_professional_support" not in denied


class TestFollowUpQuestion:
    def test_no_to_a_follow_up_denies_the_earlier_topic(self, tagger: Tagger) -> None:
        """ "Hur går det i skolan nu?" … "Har hon varit borta mycket den här terminen?" /
        "Nej." denies truancy: the follow-up names no topic of its own."""
        denied = _read(
            tagger,
            "barn",
            "Hur går det i skolan nu?",
            "Det går okej.",
            "Har hon varit borta mycket den här terminen?",
            "Nej.",
        ).denied_by_factor()
        assert "truancy" in denied

    def test_something_stands_for_the_topic(self, tagger: Tagger) -> None:
        """ "Hur ser det ut med narkotika nuförtiden?" … "Har du använt något den senaste
        månaden?" / "Nej." denies drug use; a yes to it finds nothing (say less)."""
        texts = (
            "Hur ser det ut med narkotika nuförtiden?",
            "Jag håller mig undan från det.",
            "Har du använt något den senaste månaden?",
        )
        assert "drug_problem" in _read(tagger, "vuxen", *texts, "Nej.").denied_by_factor()
        assert "drug_problem" not in _read(tagger, "vuxen", *texts, "Ja.").factors()

    def test_a_follow_up_about_another_person(self, tagger: Tagger) -> None:
        """ "Hur är det med hennes mamma?" … "Dricker du alkohol?" / "Nej." denies nothing of
        the mother's."""
        denied = _read(
            tagger,
            "barn",
            "Hur är det med hennes mamma?",
            "Hon mår bättre nu.",
            "Dricker du alkohol?",
            "Nej.",
        ).denied_by_factor()
        assert "parental_substance_abuse" not in denied


class TestNotTheClientsWork:
    def test_a_speaker_introducing_themself(self, tagger: Tagger) -> None:
        """ "Jag heter Sofia och arbetar på familjeenheten." presents the speaker: no finding;
        "…, och jag jobbar som undersköterska" has a subject of its own and is read."""
        assert (
            "employment_education"
            not in _read(
                tagger,
                "vuxen",
                "Hej, välkommen hit.",
                "Jag heter Sofia och arbetar på familjeenheten.",
                "Hur mår du?",
            ).factors()
        )
        assert (
            "employment_education"
            in _read(
                tagger,
                "vuxen",
                "Hej, välkommen hit.",
                "Jag heter Sofia och jag jobbar som undersköterska.",
            ).factors()
        )

    def test_people_from_work(self, tagger: Tagger) -> None:
        """ "Arbetskamraterna från jobbet ringer ibland." is about colleagues, not the
        client's work now."""
        result = _read(tagger, "vuxen", "Arbetskamraterna från jobbet ringer ibland.")
        assert "employment_education" not in result.factors()


class TestOneTopicWordQuestion:
    def test_no_to_a_topic_word_denies_it(self, tagger: Tagger) -> None:
        """ "Röker du cannabis?" / "Nej." / "Och spriten då?" / "Nej, det har jag aldrig
        gillat." denies alcohol in an adult's case; a yes to it finds nothing."""
        texts = ("Röker du cannabis?", "Nej.", "Och spriten då?")
        denied = _read(
            tagger, "vuxen", *texts, "Nej, det har jag aldrig gillat."
        ).denied_by_factor()
        assert "alcohol_problem" in denied
        assert "alcohol_problem" not in _read(tagger, "vuxen", *texts, "Ja.").factors()

    def test_a_word_of_many_things_asks_nothing(self, tagger: Tagger) -> None:
        """ "Och pengar?" / "Nej." names a protective factor too: nothing denied; nor in a
        child's case, where "du" may be the child or a parent."""
        assert not _read(tagger, "vuxen", "Och pengar?", "Nej.").denied_by_factor()
        assert not _read(tagger, "barn", "Och spriten?", "Nej.").denied_by_factor()


class TestWhatWouldHappen:
    def test_then_after_a_conditional_question(self, tagger: Tagger) -> None:
        """ "Om du skulle förlora lägenheten, vad gör du då?" / "Då får jag bo hos min bror
        ett tag." is what would happen: no housing instability, the brother stays a
        resource."""
        found = _read(
            tagger,
            "vuxen",
            "Om du skulle förlora lägenheten, vad gör du då?",
            "Då får jag bo hos min bror ett tag.",
        ).factors()
        assert "housing_instability" not in found
        assert "supportive_network" in found

    def test_condition_with_a_possessive(self, tagger: Tagger) -> None:
        """ "Om er ekonomi skulle bli sämre, vad gör ni då?" / "Då får vi låna pengar av
        mormor." states no economic hardship."""
        found = _read(
            tagger,
            "barn",
            "Om er ekonomi skulle bli sämre, vad gör ni då?",
            "Då får vi låna pengar av mormor.",
        ).factors()
        assert "economic_hardship" not in found


class TestViolenceBetweenAsked:
    def test_between_you_and_anyone(self, tagger: Tagger) -> None:
        """ "Har det varit våld mellan dig och hennes pappa?" / "Nej, aldrig." denies the
        violence a child lives with, whoever the other parent is called."""
        denied = _read(
            tagger, "barn", "Har det varit våld mellan dig och hennes pappa?", "Nej, aldrig."
        ).denied_by_factor()
        assert "child_exposed_ipv" in denied

    def test_between_you_in_an_adults_case(self, tagger: Tagger) -> None:
        """ "Har det hänt att det blivit våld mellan er?" / "Nej." denies intimate partner
        violence in an adult's case."""
        denied = _read(
            tagger, "vuxen", "Har det hänt att det blivit våld mellan er?", "Nej."
        ).denied_by_factor()
        assert "escalating_ipv" in denied


class TestFromPhrase:
    def test_people_from_work_are_no_work_of_ones_own(self, tagger: Tagger) -> None:
        """ "Chefen från arbetet ringer aldrig." neither finds nor denies the client's work
        (the negation is of calling); "Pengarna från jobbet räcker till hyran." opens with a
        word of the catalogue's own and still tells of work."""
        result = _read(tagger, "vuxen", "Chefen från arbetet ringer aldrig.")
        assert "employment_education" not in result.factors()
        assert "employment_education" not in result.denied_by_factor()
        assert (
            "employment_education"
            in _read(tagger, "vuxen", "Pengarna från jobbet räcker till hyran.").factors()
        )


class TestButNotMe:
    def test_someone_else_but_not_me(self, tagger: Tagger) -> None:
        """ "Dricker någon hemma mycket?" / "Min
        sambo dricker varje kväll, men inte jag." denies the client's own drinking."""
        denied = _read(
            tagger,
            "vuxen",
            "Dricker någon hemma mycket?",
            "Min sambo dricker varje kväll, men inte jag.",
        ).denied_by_factor()
        assert "alcohol_problem" in denied

    def test_only_the_clients_own_and_only_for_an_adult(self, tagger: Tagger) -> None:
        """In a child's case "… men inte jag" denies nothing: "jag" may be the child or a
        parent, and the parent's own drinking said just before must never be denied."""
        result = _read(tagger, "barn", "Dricker någon hemma mycket?", "Farsan super, men inte jag.")
        assert not result.denied_by_factor()
