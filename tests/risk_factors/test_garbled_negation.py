"""Through speech, a denial is never reported as its opposite: a negation the recogniser ran
into the next word, or wrote as a word of its own, leaves whether the clause states or denies
unknown, and the tagger says less. Conversations of our own (none from the meeting sets), with
near ones that stay found."""

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
