"""Two findings of one life area that contradict each other: the one that stands on what
the recogniser was less sure of is left out (`Tagger._contradicted`). Conversations of their
own (none from the meeting sets), with near ones that stay as they were."""

from __future__ import annotations

from risk_factors.tagger import Tagger, TagResult
from tests.risk_factors.support import heard_segments as _heard
from tests.risk_factors.support import typed_segments


def _found(result: TagResult) -> set[str]:
    return result.factors()


class TestAResourceNegatedUnsurely:
    """A risk read from a resource's own words with a negation heard unsurely, where the
    resource was heard without it, is no finding."""

    def test_the_same_words_heard_with_an_unsure_negation(self, tagger: Tagger) -> None:
        """ "Jag har eget kontrakt på en etta" and later "inget kontrakt" with "inget" heard
        unsurely ("eget" and "inget" are one sound apart): the meeting said it the other
        way, no housing instability; the resource stays."""
        own = "Jag har eget kontrakt på en etta i Hässleby."
        later = "Så nu har jag inget kontrakt alls."
        result = tagger.tag_segments(_heard(own, later, unsure={"inget": 0.6}), "vuxen")
        assert "housing_instability" not in _found(result)
        assert "stable_housing" in _found(result)

    def test_a_negation_heard_surely_or_other_words_stay(self, tagger: Tagger) -> None:
        """The negation heard surely is found (and the resource then gives way to it); so is
        the unsure "inget kontrakt" alone, or beside a resource said in other words ("en
        egen lägenhet")."""
        later = "Så nu har jag inget kontrakt alls."
        surely = tagger.tag_segments(
            _heard("Jag har eget kontrakt på en etta i Hässleby.", later), "vuxen"
        )
        assert "housing_instability" in _found(surely)
        assert "stable_housing" not in _found(surely)
        alone = tagger.tag_segments(_heard(later, unsure={"inget": 0.6}), "vuxen")
        assert "housing_instability" in _found(alone)
        other = tagger.tag_segments(
            _heard("Jag har en egen lägenhet.", later, unsure={"inget": 0.6}), "vuxen"
        )
        assert {"housing_instability", "stable_housing"} <= _found(other)


class TestAResourceAndTheRiskThatExcludesIt:
    """A resource whose very opposite is stated surely in the meeting (a home that lasts and a
    home being lost; money that suffices and money that does not) is no finding."""

    def test_years_in_a_home_that_is_being_lost(self, tagger: Tagger) -> None:
        """ "Jag har bott i lägenheten i femton år" after "Hyresvärden har sagt upp mig och
        jag blir vräkt i mars": no stable housing, the eviction is found. The same years
        alone are stable housing."""
        evicted = "Hyresvärden har sagt upp mig och jag blir vräkt i mars."
        years = "Jag har bott i lägenheten i femton år."
        both = tagger.tag_segments(typed_segments(evicted, years), "vuxen")
        assert "housing_instability" in _found(both)
        assert "stable_housing" not in _found(both)
        assert "stable_housing" in _found(tagger.tag_segments(typed_segments(years), "vuxen"))

    def test_the_risk_heard_unsurely_or_another_resource_of_the_area(self, tagger: Tagger) -> None:
        """Through speech with "vräkt" heard unsurely the resource stays (the risk may be a
        mishearing); a resource of the same life area that the eviction does not exclude (a
        neighbourhood one likes) stays found beside it; so does work beside debts."""
        evicted = "Hyresvärden har sagt upp mig och jag blir vräkt i mars."
        unsure = tagger.tag_segments(
            _heard(evicted, "Jag har bott i lägenheten i femton år.", unsure={"vräkt": 0.5}),
            "vuxen",
        )
        assert "stable_housing" in _found(unsure)
        area = tagger.tag_segments(
            typed_segments(evicted, "Vi trivs i området och grannarna hjälper varandra."),
            "vuxen",
        )
        assert {"housing_instability", "safe_neighbourhood"} <= _found(area)
        work = tagger.tag_segments(
            typed_segments(
                "Jag har skulder hos Kronofogden och räkningarna växer.",
                "Jag jobbar heltid på ett lager.",
            ),
            "vuxen",
        )
        assert {"economic_hardship", "employment_education"} <= _found(work)

    def test_money_that_suffices_and_money_that_does_not(self, tagger: Tagger) -> None:
        """ "Lönen räcker till mat och hyra" beside growing debts is no stable economy; alone
        it is."""
        enough = "Lönen räcker till mat och hyra."
        debts = "Jag har skulder hos Kronofogden och räkningarna växer."
        both = tagger.tag_segments(typed_segments(debts, enough), "vuxen")
        assert "economic_hardship" in _found(both)
        assert "stable_economy" not in _found(both)
        assert "stable_economy" in _found(tagger.tag_segments(typed_segments(enough), "vuxen"))
