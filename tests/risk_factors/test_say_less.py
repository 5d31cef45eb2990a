"""When the reading is uncertain, say less: what is only considered is no fact, and what the
recogniser heard unclearly (a negation, a person, a question) never turns into a finding."""

from __future__ import annotations

from risk_factors.persons import resolve
from risk_factors.tagger import Tagger, TagResult
from risk_factors.text import split_sentences
from tests.risk_factors.support import heard_segments as _heard


def _found(result: TagResult) -> set[str]:
    return result.factors()


class TestConsideredIsNoFact:
    def test_considering_in_any_form_is_no_fact(self, tagger: Tagger) -> None:
        """ "Jag har övervägt att skilja mig" and "vi har funderat på att separera" are plans,
        in whatever form the verb of considering takes; "Jag har skilt mig" is a fact."""
        for text in (
            "Jag har övervägt att skilja mig från min fru.",
            "Vi har funderat på att separera, men inte bestämt något.",
            "Hon funderade på att flytta ifrån honom.",
            "Jag har velat lämna honom länge.",
        ):
            assert "recent_separation" not in _found(tagger.tag_text(text, "vuxen")), text
        assert "recent_separation" in _found(tagger.tag_text("Vi har separerat.", "vuxen"))


class TestMisheardNegation:
    def test_a_non_word_one_sound_from_a_negation_gives_no_finding(self, tagger: Tagger) -> None:
        """ "Lönen räcker inte hela månaden" heard with "intät" (no word, one sound from
        "inte") may deny as well as state: no finding, while "räcker gott" states it; so
        for "aldri" and "ingän" beside violence and drinking."""
        misheard = tagger.tag_segments(_heard("Lönen räcker intät hela månaden."), "vuxen")
        assert "stable_economy" not in _found(misheard)
        stated = tagger.tag_segments(_heard("Lönen räcker gott hela månaden."), "vuxen")
        assert "stable_economy" in _found(stated)
        hit = tagger.tag_segments(_heard("Han har slagit mig."), "vuxen")
        assert "escalating_ipv" in _found(hit)
        for text in ("Han har aldri slagit mig.", "Jag dricker ingän alkohol."):
            result = tagger.tag_segments(_heard(text), "vuxen")
            assert not _found(result), text


class TestStillQuestionHeardUnclearly:
    def test_still_question_without_its_verb_or_question_mark(self, tagger: Tagger) -> None:
        """ "Gör hon det fortfarande?" heard as "Kör hon dit fortfarande." is still a question
        in question word order: a no to it ends the club told just before, a yes keeps it."""
        told = "Hon simmar i en klubb två gånger i veckan."
        asked = "Kör hon dit fortfarande."
        no = tagger.tag_segments(_heard(told, asked, "Nej, hon var med där i fyra år."), "barn")
        assert "structured_leisure" not in _found(no)
        yes = tagger.tag_segments(_heard(told, asked, "Ja, varje tisdag."), "barn")
        assert "structured_leisure" in _found(yes)


class TestNegationInItsOwnClause:
    def test_a_cues_negation_in_another_main_clause_negates_nothing(self, tagger: Tagger) -> None:
        """Sobriety's "inte … längre" must negate the substance word: in "Vi röker ute på
        balkongen och han pratar inte med mig längre" it belongs to another main clause
        ("och han …"), so it states no sobriety; "Jag har inte druckit på tre månader" does."""
        text = "Vi röker ute på balkongen och han pratar inte med mig längre."
        assert "sobriety" not in _found(tagger.tag_text(text, "vuxen"))
        stated = tagger.tag_text("Jag har inte druckit på tre månader.", "vuxen")
        assert "sobriety" in _found(stated)


class TestPersonHeardAlike:
    def test_a_person_word_heard_as_a_non_word_is_still_that_person(self, tagger: Tagger) -> None:
        """ "Berätta om din mamma" heard "mama" (no word, the sound of "mamma") names the
        mother: "Hon dricker varje helg" is her drinking, not the child's; so does a compound
        ending in a person's sound ("storasistern")."""
        mother = tagger.tag_segments(
            _heard("Berätta om din mama.", "Hon dricker varje helg."), "barn"
        )
        assert "early_substance_use" not in _found(mother)
        assert "parental_substance_abuse" in _found(mother)
        sister = tagger.tag_segments(
            _heard("Hur har du det med storasistern?", "Hon röker på med sina kompisar."), "barn"
        )
        assert "early_substance_use" not in _found(sister)
        child = tagger.tag_segments(
            _heard("Hur mår du?", "Hon röker på med sina kompisar."), "barn"
        )
        assert "early_substance_use" in _found(child)


class TestSomeoneElseAskedAbout:
    def test_other_children_are_not_the_familys_children(self, tagger: Tagger) -> None:
        """ "har blivit slagen av de andra barnen" is about other children, never the
        family's children beaten at home; "barnen har blivit slagna hemma" is."""
        text = "Förskolan säger att sonen har blivit slagen av de andra barnen på gården."
        assert "child_maltreatment" not in _found(tagger.tag_text(text, "barn"))
        home = tagger.tag_text("Pedagogen berättar att barnen har blivit slagna hemma.", "barn")
        assert "child_maltreatment" in _found(home)

    def test_an_answer_saying_again_what_was_asked_of_another_is_theirs(
        self, tagger: Tagger
    ) -> None:
        """ "Har Jonas varit dömd för något?" / "Ja, han dömdes …" heard as "Jag dömdes för
        misshandel." is Jonas's conviction, not the client's; "jag … också" is the client's."""
        asked = "Har Jonas varit dömd för något?"
        misheard = tagger.tag_segments(_heard(asked, "Jag dömdes för misshandel."), "vuxen")
        assert "legal_problems" not in _found(misheard)
        also = _heard(asked, "Ja, och jag dömdes också för misshandel.")
        assert "legal_problems" in _found(tagger.tag_segments(also, "vuxen"))

    def test_a_name_is_a_name_wherever_it_is_written(self, tagger: Tagger) -> None:
        """ "jonas", known as a name from "Har jonas varit dömd?", is the subject of
        "Dricker jonas." (its verb first, its question mark lost): his drinking, not the
        client's; with nothing showing it is a name, the old reading stays."""
        named = _heard("Dricker jonas.", "Ja, varje kväll.", "Har jonas varit dömd?")
        assert "alcohol_problem" not in _found(tagger.tag_segments(named, "vuxen"))
        alone = _heard("Dricker mycket.", "Ja, varje kväll.", "Har jonas varit dömd?")
        assert "alcohol_problem" in _found(tagger.tag_segments(alone, "vuxen"))


class TestOverInTheNextSentence:
    def test_men_nu_opening_the_next_sentence_ends_the_one_before(self, tagger: Tagger) -> None:
        """ "Vi bråkade mycket." / "Men nu har vi det lugnt." is over, as ", men nu …" in one
        sentence is; without it the quarrels are found."""
        asked = "Hur har ni det hemma?"
        over = tagger.tag_segments(
            _heard(asked, "Vi bråkade mycket.", "Men nu har vi det lugnt."), "barn"
        )
        assert "family_conflict" not in _found(over)
        told = tagger.tag_segments(_heard(asked, "Vi bråkade mycket."), "barn")
        assert "family_conflict" in _found(told)

    def test_a_still_question_run_together(self, tagger: Tagger) -> None:
        """ "Gör han det fortfarande?" heard as "Görhandet, fortfarande." still asks: a no
        ends the club told before it, a yes keeps it."""
        told = "Han tränar judo i en klubb två kvällar i veckan."
        asked = "Görhandet, fortfarande."
        no = tagger.tag_segments(_heard(told, asked, "Nej, inte efter jul."), "barn")
        assert "structured_leisure" not in _found(no)
        yes = tagger.tag_segments(_heard(told, asked, "Ja, varje vecka."), "barn")
        assert "structured_leisure" in _found(yes)


class TestPersonJoinedToAGuess:
    def test_a_person_and_a_guessed_word_of_another_clause_are_no_finding(
        self, tagger: Tagger
    ) -> None:
        """ "Ja, mamma sa det, läraren skriver om ett brått." ("brått" heard unsurely, alike
        "brott") joins the mother to a guess in another clause: no finding; "Mamma har gjort
        ett brått." says it of her in one clause."""
        unsure = {"brått": 0.5}
        apart = _heard("Ja, mamma sa det, läraren skriver om ett brått.", unsure=unsure)
        assert "parental_criminality" not in _found(tagger.tag_segments(apart, "barn"))
        one = _heard("Mamma har gjort ett brått.", unsure=unsure)
        assert "parental_criminality" in _found(tagger.tag_segments(one, "barn"))

    def test_a_sentences_first_word_is_not_taken_for_a_name_seen_elsewhere(self) -> None:
        """The recogniser capitalises every sentence's first word, so a name seen elsewhere
        ("Har jonas varit dömd?") is that name later in a sentence ("Det vet jonas."), but a
        first word written alike (a misheard "Jag") is not taken for it."""
        text = "Har jonas varit dömd? Ja. Jonas har ett jobb. Det vet jonas."
        sentences = split_sentences(text)
        others, _ = resolve(text, sentences, "vuxen")
        marked = [t.start in others for s in sentences for t in s.tokens if t.lower == "jonas"]
        assert marked == [True, False, True]
