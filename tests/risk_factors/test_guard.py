"""The no-intervention guard on tool-authored text."""

from __future__ import annotations

import pytest

from fredag.errors import GuardError
from risk_factors.guard import assert_no_prescription, find_prescriptions, first_prescription


class TestFindsPrescriptions:
    @pytest.mark.parametrize(
        ("text", "phrase"),
        [
            ("Familjebehandling rekommenderas.", "rekommenderas"),
            ("Vi rekommenderar kontakt med BUP.", "rekommenderar"),
            ("Barnet bör placeras.", "bör"),
            ("Insats: stödfamilj", "Insats:"),
            ("Handläggaren föreslår öppenvård.", "föreslår"),
            ("Pojken behöver placeras skyndsamt.", "behöver placeras"),
            ("Risken bedöms som hög.", "bedöms"),
            ("Bedömning: omsorgssvikt", "Bedömning:"),
            ("LVU bör övervägas.", "LVU bör"),
            ("Barnet ska omhändertas.", "ska omhändertas"),
            ("Det finns en hög risk för återfall.", "hög risk"),
            ("The child should be placed in care.", "should be placed"),
            ("We recommend a referral.", "recommend"),
            ("Assessment: high risk", "Assessment:"),
            ("Omedelbar placering av barnet.", "Omedelbar placering"),
        ],
    )
    def test_phrase_is_found(self, text: str, phrase: str) -> None:
        """A prescribing or assessing phrase is returned with its exact words and span."""
        hit = first_prescription(text)
        assert hit is not None
        assert hit.phrase == phrase
        assert text[hit.start : hit.end] == phrase

    def test_all_phrases_in_order(self) -> None:
        """Several phrases in one text are all returned, in order of position."""
        hits = find_prescriptions("Vi föreslår att barnet placeras. Insats: LVU.")
        assert [h.phrase for h in hits] == ["föreslår", "placeras", "Insats:"]


class TestLetsDescriptionsPass:
    @pytest.mark.parametrize(
        "text",
        [
            "Förälderns förmåga att se vad barnet behöver.",
            "Bedömning",
            "Nyligen genomförd eller pågående separation.",
            "Spousal Assault Risk Assessment Guide (SARA)",
            "Bostadsproblem, hemlöshet, risk för vräkning",
            "Faktorer som nämndes under mötet.",
            "Barnet har tidigare varit placerat.",
        ],
    )
    def test_neutral_text_passes(self, text: str) -> None:
        """Neutral descriptions, empty headings and citations are not flagged."""
        assert find_prescriptions(text) == []
        assert_no_prescription(text, where="test")


class TestAssert:
    def test_raises_guard_error_naming_where_and_phrase(self) -> None:
        """assert_no_prescription raises GuardError naming the place and the phrase."""
        with pytest.raises(GuardError) as info:
            assert_no_prescription("Placering rekommenderas.", where="draft.summary")
        assert "draft.summary" in str(info.value)
        assert "rekommenderas" in str(info.value)
        assert info.value.exit_code == 7
