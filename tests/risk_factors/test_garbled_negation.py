"""Through speech, say less where the words that decide a finding were not heard: a denial is
never reported as its opposite (a negation the recogniser ran into the next word leaves whether
the clause states or denies unknown), and another person's problem is never the client's (a
possessive and a noun not heard as a word is someone of the speaker's). Conversations of our
own (none from the meeting sets), with near ones that stay found."""

from __future__ import annotations

from risk_factors.tagger import Tagger, TagResult
from tests.risk_factors.support import heard_segments as _heard


def _found(result: TagResult) -> set[str]:
    return result.factors()


class TestNegationRunIntoTheNextWord:
    """A non-word that begins with the sounds of "inte" and goes on ("intämt", "intämer") may
    be "inte" run into the word after it: no finding in its clause, whichever way it was said."""

    def test_a_merged_negation_before_the_cue(self, tagger: Tagger) -> None:
        """ "Han har intämt slagit mig." gives no violence; "Han har slagit mig." does."""
        assert "escalating_ipv" not in _found(
            tagger.tag_segments(_heard("Han har intämt slagit mig."), "vuxen")
        )
        assert "escalating_ipv" in _found(
            tagger.tag_segments(_heard("Han har slagit mig."), "vuxen")
        )

    def test_a_merged_negation_after_the_cue(self, tagger: Tagger) -> None:
        """ "Jag dricker intämer än två öl i veckan." gives no alcohol problem; "Jag dricker
        mer än två öl i veckan." does."""
        assert "alcohol_problem" not in _found(
            tagger.tag_segments(_heard("Jag dricker intämer än två öl i veckan."), "vuxen")
        )
        assert "alcohol_problem" in _found(
            tagger.tag_segments(_heard("Jag dricker mer än två öl i veckan."), "vuxen")
        )

    def test_not_across_a_new_subject(self, tagger: Tagger) -> None:
        """ "Hyran är intäbetald och jag har fått två inkassokrav.": the debt collection after
        "och jag" is its own clause, still found."""
        result = tagger.tag_segments(
            _heard("Hyran är intäbetald och jag har fått två inkassokrav."), "vuxen"
        )
        assert "economic_hardship" in _found(result)


class TestWordBegunAsANegationHeardUnsurely:
    """A word of the language that begins with "inte" ("interna"), heard unsurely beside a
    cue, may be "inte" and more: no finding; heard surely, it is the word it is."""

    def test_heard_unsurely(self, tagger: Tagger) -> None:
        """ "Jag använder interna droger varje dag." with "interna" at 0.55 gives no drug use;
        at 0.95 it does."""
        text = "Jag använder interna droger varje dag."
        unsure = tagger.tag_segments(_heard(text, unsure={"interna": 0.55}), "vuxen")
        assert "drug_problem" not in _found(unsure)
        assert "drug_problem" in _found(tagger.tag_segments(_heard(text), "vuxen"))


class TestPossessedNounNotHeard:
    """A possessive and a word the recogniser did not hear as a word, as the subject of a
    cue's clause, is someone of the speaker's: no finding of the client's own."""

    def test_a_possessed_non_word_subject(self, tagger: Tagger) -> None:
        """ "Ja, min brug har suttit inne för rån." ("bror") and "Min kolleka dricker varje
        kväll." give no legal problem or drinking of the client's, in an adult's case and in
        a child's."""
        for case_type in ("vuxen", "barn"):
            result = tagger.tag_segments(_heard("Ja, min brug har suttit inne för rån."), case_type)
            assert "legal_problems" not in _found(result)
        drinks = tagger.tag_segments(_heard("Min kolleka dricker varje kväll."), "vuxen")
        assert "alcohol_problem" not in _found(drinks)

    def test_the_client_as_subject_or_object_stays(self, tagger: Tagger) -> None:
        """ "Ja, jag har suttit inne för rån.", "Min brug sa att jag har suttit inne för rån."
        (the client's "jag" is the nearer subject) and "Min parare slog mig när jag var
        liten." (the client was hit) stay found."""
        for text, slug in (
            ("Ja, jag har suttit inne för rån.", "legal_problems"),
            ("Min brug sa att jag har suttit inne för rån.", "legal_problems"),
            ("Min parare slog mig när jag var liten.", "prior_victimisation"),
        ):
            assert slug in _found(tagger.tag_segments(_heard(text), "vuxen")), text


class TestPronounForSomeoneNotHeard:
    """In a child's case, "han"/"hon" heard unsurely right after someone was named by a
    possessive and a word not heard gives no finding of the child's own."""

    def test_someone_named_but_not_heard(self, tagger: Tagger) -> None:
        """ "Du nämnde din klurre." / "Han(0.3) röker på med sina kompisar varje helg." and
        "Du nämnde din lilla(0.3) krull." / "Hon(0.4) dricker sig full varje helg." give no
        early substance use of the child's."""
        smokes = tagger.tag_segments(
            _heard(
                "Du nämnde din klurre.",
                "Han röker på med sina kompisar varje helg.",
                unsure={"han": 0.3},
            ),
            "barn",
        )
        assert "early_substance_use" not in _found(smokes)
        drinks = tagger.tag_segments(
            _heard(
                "Du nämnde din lilla krull.",
                "Hon dricker sig full varje helg.",
                unsure={"lilla": 0.3, "hon": 0.4},
            ),
            "barn",
        )
        assert "early_substance_use" not in _found(drinks)

    def test_a_pronoun_heard_surely_or_no_one_unheard(self, tagger: Tagger) -> None:
        """The same with "han" heard surely, "Du nämnde skolan." before an unsure "han", and
        "din lilla krull" heard surely stay the child's own."""
        for texts, unsure in (
            (("Du nämnde din klurre.", "Han röker på med sina kompisar varje helg."), {}),
            (("Du nämnde skolan.", "Han röker på med sina kompisar varje helg."), {"han": 0.3}),
            (("Du nämnde din lilla krull.", "Hon dricker sig full varje helg."), {"hon": 0.4}),
        ):
            result = tagger.tag_segments(_heard(*texts, unsure=unsure), "barn")
            assert "early_substance_use" in _found(result), texts


class TestSureNoThenTheRiskHeardUnsurely:
    """A sure no to a question naming a risk, then that risk read from words heard unsurely or
    alike in the same answer: the no's own "aldrig" or "inte" was lost, no finding."""

    def test_the_risk_heard_unsurely_after_a_no(self, tagger: Tagger) -> None:
        """ "Hur ser det ut med alkohol?" / "Nej, jag dricker(0.5) varje dag." and "Nej, jag
        tricker varje dag." give no alcohol problem."""
        asked = "Hur ser det ut med alkohol?"
        unsure = tagger.tag_segments(
            _heard(asked, "Nej, jag dricker varje dag.", unsure={"dricker": 0.5}), "vuxen"
        )
        assert "alcohol_problem" not in _found(unsure)
        alike = tagger.tag_segments(_heard(asked, "Nej, jag tricker varje dag."), "vuxen")
        assert "alcohol_problem" not in _found(alike)

    def test_heard_surely_after_but_or_another_question(self, tagger: Tagger) -> None:
        """The same words heard surely, "Nej, men jag dricker(0.5) varje dag.", and an unsure
        "dricker" after "Hur har veckan varit?" (no risk named) stay found."""
        for texts, unsure in (
            (("Hur ser det ut med alkohol?", "Nej, jag dricker varje dag."), {}),
            (("Hur ser det ut med alkohol?", "Nej, men jag dricker varje dag."), {"dricker": 0.5}),
            (("Hur har veckan varit?", "Nej, jag dricker varje dag."), {"dricker": 0.5}),
        ):
            result = tagger.tag_segments(_heard(*texts, unsure=unsure), "vuxen")
            assert "alcohol_problem" in _found(result), texts
