"""When the reading is uncertain, say less: what is only considered is no fact, and what the
recogniser heard unclearly (a negation, a person, a question) never turns into a finding."""

from __future__ import annotations

from typing import Any

from risk_factors.tagger import Tagger, TagResult


def _heard(*texts: str, p: float = 0.95, unsure: dict[str, float] | None = None) -> list[Any]:
    """Segments as the recogniser gives them: every word at probability `p`, except the words
    in `unsure`, heard at the probability given there."""
    unsure = unsure or {}
    return [
        {
            "start": float(2 * i),
            "end": float(2 * i + 1.5),
            "text": text,
            "words": [
                {"word": w, "probability": unsure.get(w.strip(".,?!").lower(), p)}
                for w in text.split()
            ],
        }
        for i, text in enumerate(texts)
    ]


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
