"""Who "du" is in a child's case: a no to "Dricker du alkohol?" denies the child's own drinking
only when the reading is sure the child was asked (the child alone with the caseworker, or
called out to by name, or asked on after their own short answer, or asked what every young
person is asked); with a parent who may be "du", nothing is read as the child's; a yes never
becomes a finding this way."""

from __future__ import annotations

from risk_factors.tagger import Tagger, TagResult
from tests.risk_factors.support import heard_segments, typed_segments


def _read(tagger: Tagger, *texts: str) -> TagResult:
    return tagger.tag_segments(typed_segments(*texts), "barn")


def _denied(result: TagResult) -> set[str]:
    return set(result.denied_by_factor())


CHILD_ALONE = (
    "Hej Leo, jag heter Karin. Skönt att du kom hit efter lektionen.",
    "Hej.",
    "Hur är det hemma med din mamma?",
    "Det är lugnt, hon jobbar mycket.",
)


class TestChildAlone:
    """The child alone with the caseworker is the "du" asked: a no denies the child's own
    factor, a yes or a hedge gives nothing."""

    def test_a_no_denies_the_childs_drinking(self, tagger: Tagger) -> None:
        """The child alone, asked "Brukar du dricka alkohol på helgerna?" / "Nej.": the
        child's early substance use is asked and denied."""
        result = _read(tagger, *CHILD_ALONE, "Brukar du dricka alkohol på helgerna?", "Nej.")
        assert "early_substance_use" in _denied(result)
        assert "early_substance_use" not in result.factors()

    def test_two_topics_one_no(self, tagger: Tagger) -> None:
        """ "Snusar du eller röker du på ibland?" / "Nej, ingetdera." denies it too."""
        result = _read(
            tagger, *CHILD_ALONE, "Snusar du eller röker du på ibland?", "Nej, ingetdera."
        )
        assert "early_substance_use" in _denied(result)

    def test_a_yes_is_no_finding_this_way(self, tagger: Tagger) -> None:
        """ "Brukar du dricka alkohol på helgerna?" / "Ja, ibland." gives no denial, and the
        question read as the child's is no finding either (only a no reads it so)."""
        result = _read(tagger, *CHILD_ALONE, "Brukar du dricka alkohol på helgerna?", "Ja, ibland.")
        assert "early_substance_use" not in _denied(result)
        assert "early_substance_use" not in result.factors()

    def test_a_hedge_denies_nothing(self, tagger: Tagger) -> None:
        """ "Nej, jag vet inte." hedges: no denial."""
        result = _read(
            tagger, *CHILD_ALONE, "Brukar du dricka alkohol på helgerna?", "Nej, jag vet inte."
        )
        assert "early_substance_use" not in _denied(result)


class TestChildWordsOfOneTable:
    """A word for a child of the client's is taken from one table (`context.CHILD_WORDS`):
    "dina pojkar" is a parent's children as "dina barn" is, so the child is not alone."""

    def test_your_boys_is_a_parent_in_the_room(self, tagger: Tagger) -> None:
        """ "Dina pojkar mår bra, sa skolan." speaks to a parent: a later "Nej." to "Brukar
        du dricka alkohol?" is not read as the child's."""
        result = _read(
            tagger,
            *CHILD_ALONE[:2],
            "Dina pojkar mår bra, sa skolan.",
            "Brukar du dricka alkohol på helgerna?",
            "Nej.",
        )
        assert "early_substance_use" not in _denied(result)

    def test_boys_of_your_age_are_nobodys(self, tagger: Tagger) -> None:
        """Near: "Pojkar i din ålder …" names nobody's children: the child is still alone."""
        result = _read(
            tagger,
            *CHILD_ALONE[:2],
            "Pojkar i din ålder tränar mycket.",
            "Brukar du dricka alkohol på helgerna?",
            "Nej.",
        )
        assert "early_substance_use" in _denied(result)


class TestAParentMayBeAsked:
    """Where a parent may be the "du" asked, a no is not read as the child's."""

    def test_a_parent_alone(self, tagger: Tagger) -> None:
        """A parent greeted by name and asked about the child as "han" ("Hur sover han nu?")
        is "du": "Dricker du alkohol?" / "Nej." is no denial of the child's drinking."""
        result = _read(
            tagger,
            "Hej Maria, jag heter Karin. Skönt att du kom.",
            "Hej.",
            "Hur sover han nu?",
            "Bättre.",
            "Dricker du alkohol?",
            "Nej.",
        )
        assert "early_substance_use" not in _denied(result)

    def test_the_parent_called_out_to(self, tagger: Tagger) -> None:
        """With the child in the room ("Leos pappa" makes Leo the child), "Dricker du
        alkohol, Maria?" / "Nej." is Maria's no, not the child's."""
        result = _read(
            tagger,
            "Välkomna hit båda två.",
            "Tack.",
            "Träffar Leo sin pappa, Maria? Hur är det med Leos pappa?",
            "Han bor i Umeå.",
            "Dricker du alkohol, Maria?",
            "Nej.",
        )
        assert "early_substance_use" not in _denied(result)

    def test_several_in_the_room_and_nobody_named(self, tagger: Tagger) -> None:
        """ "Tack för att ni kom." … "Dricker du alkohol?" / "Nej.": who answered is
        unknown; nothing is read as the child's."""
        result = _read(
            tagger,
            "Hej, tack för att ni kom.",
            "Tack.",
            "Dricker du alkohol?",
            "Nej.",
        )
        assert "early_substance_use" not in _denied(result)


class TestChildInTheRoom:
    """With others in the room, "du" is the child when called out to by name, asked on after
    the child's own short answer, or asked as every young person is."""

    OPENING = (
        "Välkomna hit båda två. Maria, hur länge sedan träffade Leo sin pappa?",
        "Ett år. Leos pappa bor i Umeå.",
    )

    def test_the_child_called_out_to(self, tagger: Tagger) -> None:
        """ "Leo, snusar du?" / "Nej." (Leo's father named: Leo is the child) is the child's
        no."""
        result = _read(tagger, *self.OPENING, "Leo, snusar du?", "Nej.")
        assert "early_substance_use" in _denied(result)

    def test_a_name_ending_in_s_at_a_sentences_start(self, tagger: Tagger) -> None:
        """ "Elias pappa bor i Umeå." (a name ending in s, its genitive the same word) makes
        Elias the child as "Leos pappa" makes Leo."""
        result = _read(
            tagger,
            "Välkomna hit båda två. Maria, hur länge sedan träffade Elias sin pappa?",
            "Ett år. Elias pappa bor i Umeå.",
            "Elias, snusar du?",
            "Nej.",
        )
        assert "early_substance_use" in _denied(result)

    def test_asked_on_after_the_childs_short_answer(self, tagger: Tagger) -> None:
        """ "Leo, jag har några frågor. Har du blivit hotad av någon?" / "Nej." / "Röker du?"
        / "Nej.": the child asked on."""
        result = _read(
            tagger,
            *self.OPENING,
            "Leo, jag har några frågor. Har du blivit hotad av någon?",
            "Nej.",
            "Röker du?",
            "Nej.",
        )
        assert "early_substance_use" in _denied(result)

    def test_asked_on_after_never(self, tagger: Tagger) -> None:
        """The child's short answer reads its yes or no as every answer does
        (`conversation.answer_polarity`): "Aldrig." is a no, and the child is asked on."""
        result = _read(
            tagger,
            *self.OPENING,
            "Leo, jag har några frågor. Har du blivit hotad av någon?",
            "Aldrig.",
            "Röker du?",
            "Nej.",
        )
        assert "early_substance_use" in _denied(result)

    def test_not_asked_on_after_a_hedge(self, tagger: Tagger) -> None:
        """Near: "Nej, jag vet inte." hedges, a yes or no of nobody's: the next "Röker du?"
        / "Nej." is left undecided."""
        result = _read(
            tagger,
            *self.OPENING,
            "Leo, jag har några frågor. Har du blivit hotad av någon?",
            "Nej, jag vet inte.",
            "Röker du?",
            "Nej.",
        )
        assert "early_substance_use" not in _denied(result)

    def test_not_asked_on_after_a_parent_answered(self, tagger: Tagger) -> None:
        """An answer about the child in the third person ("Nej, han har aldrig blivit
        hotad.") was a parent's: the next "Röker du?" / "Nej." is not read as the child's."""
        result = _read(
            tagger,
            *self.OPENING,
            "Leo, jag har några frågor. Har du blivit hotad av någon?",
            "Nej, han har aldrig blivit hotad.",
            "Röker du?",
            "Nej.",
        )
        assert "early_substance_use" not in _denied(result)

    def test_asked_of_every_young_person(self, tagger: Tagger) -> None:
        """ "Det här frågar jag alla ungdomar. Dricker du?" / "Nej." asks the child."""
        result = _read(
            tagger, *self.OPENING, "Det här frågar jag alla ungdomar. Dricker du?", "Nej."
        )
        assert "early_substance_use" in _denied(result)


class TestAskedAfterToldOver:
    """A yes/no question about "något" right after the client told a risk of their own as over
    asks whether it came back: a no denies it, a yes finds nothing this way."""

    TOLD = (
        "Hur länge har du varit nykter nu?",
        "Sedan midsommar. Jag slutade med kokainet när jag flyttade hit.",
    )

    def test_a_no_denies_it(self, tagger: Tagger) -> None:
        """… / "Har du tagit något sedan dess?" / "Nej." denies the drugs."""
        result = tagger.tag_segments(
            typed_segments(*self.TOLD, "Har du tagit något sedan dess?", "Nej."), "vuxen"
        )
        assert "drug_problem" in result.denied_by_factor()

    def test_a_yes_finds_nothing(self, tagger: Tagger) -> None:
        """… / "Har du tagit något sedan dess?" / "Ja, en gång." is neither found nor
        denied this way."""
        result = tagger.tag_segments(
            typed_segments(*self.TOLD, "Har du tagit något sedan dess?", "Ja, en gång."),
            "vuxen",
        )
        assert "drug_problem" not in result.denied_by_factor()
        assert "drug_problem" not in result.factors()

    def test_someone_elses_over_is_not_asked(self, tagger: Tagger) -> None:
        """A brother who stopped ("Min bror slutade med kokainet.") and "Har han tagit något
        sedan dess?" / "Nej." deny nothing of the client's."""
        result = tagger.tag_segments(
            typed_segments(
                "Hur länge har du varit nykter nu?",
                "Sedan midsommar. Min bror slutade med kokainet samtidigt.",
                "Har han tagit något sedan dess?",
                "Nej.",
            ),
            "vuxen",
        )
        assert "drug_problem" not in result.denied_by_factor()


class TestAParentAsked:
    """ "du" surely a parent: a name called out to in a sentence that speaks of the child, or
    "du själv" right after a question about the child by name. A no denies the parent's own
    condition, never the child's; a yes finds nothing this way."""

    OPENING = (
        "Välkomna hit. Karin, hur märker du när Leo är ledsen?",
        "Han blir tyst. Leos pappa säger samma sak.",
        "Har Leo blivit slagen av någon vuxen?",
        "Nej.",
    )

    def test_du_sjalv_after_the_child(self, tagger: Tagger) -> None:
        """ "Och du själv, har du haft svår ångest?" / "Nej." denies the parent's mental
        illness."""
        result = _read(tagger, *self.OPENING, "Och du själv, har du haft svår ångest?", "Nej.")
        assert "parental_mental_illness" in _denied(result)

    def test_the_parent_called_out_to(self, tagger: Tagger) -> None:
        """ "Karin, dricker du alkohol?" / "Nej." (Karin asked about Leo before) denies the
        parent's drinking, not the child's."""
        result = _read(tagger, *self.OPENING, "Karin, dricker du alkohol?", "Nej.")
        assert "parental_substance_abuse" in _denied(result)
        assert "early_substance_use" not in _denied(result)

    def test_a_yes_finds_nothing(self, tagger: Tagger) -> None:
        """ "Karin, dricker du alkohol?" / "Ja, ibland." finds no parental drinking this way."""
        result = _read(tagger, *self.OPENING, "Karin, dricker du alkohol?", "Ja, ibland.")
        assert "parental_substance_abuse" not in result.factors()
        assert "parental_substance_abuse" not in _denied(result)

    def test_a_name_only_called_is_undecided(self, tagger: Tagger) -> None:
        """A name never called out to with the child spoken of ("Dricker du alkohol,
        Karin?" with Karin asked nothing about Leo) leaves "du" undecided."""
        result = _read(
            tagger,
            "Välkomna hit. Hur länge sedan träffade Leo sin pappa?",
            "Ett år. Leos pappa bor i Umeå.",
            "Dricker du alkohol, Karin?",
            "Nej.",
        )
        assert "parental_substance_abuse" not in _denied(result)
        assert "early_substance_use" not in _denied(result)


class TestConfirmedSummary:
    """A yes to a statement told to the client that says what they do not do ("Du sa att du
    inte spelar om pengar längre. Stämmer det?") confirms a denial; a no to it says nothing
    sure; what the statement says the client does is found as before."""

    def test_a_yes_confirms_the_denial(self, tagger: Tagger) -> None:
        """ "Du sa att du inte röker hasch eller tar tabletter. Stämmer det?" / "Ja." denies
        the drugs."""
        result = tagger.tag_segments(
            typed_segments(
                "Du sa att du inte röker hasch eller tar tabletter. Stämmer det?", "Ja."
            ),
            "vuxen",
        )
        assert "drug_problem" in result.denied_by_factor()
        assert "drug_problem" not in result.factors()

    def test_a_no_says_nothing(self, tagger: Tagger) -> None:
        """… / "Nej." to the same statement neither denies nor finds the drugs."""
        result = tagger.tag_segments(
            typed_segments(
                "Du sa att du inte röker hasch eller tar tabletter. Stämmer det?", "Nej."
            ),
            "vuxen",
        )
        assert "drug_problem" not in result.denied_by_factor()
        assert "drug_problem" not in result.factors()

    def test_a_child_case_is_left_alone(self, tagger: Tagger) -> None:
        """In a child's case "du" may be a parent: the confirmed statement denies nothing."""
        result = tagger.tag_segments(
            typed_segments("Du sa att du inte dricker alkohol. Stämmer det?", "Ja."), "barn"
        )
        assert not result.denied_by_factor()

    def test_the_child_alone_confirms_their_own(self, tagger: Tagger) -> None:
        """Who "du" is comes from one reading (`persons.Addressed.client`): the child alone
        with the caseworker, "Du sa att du inte röker eller dricker. Stämmer det?" / "Ja."
        denies the child's own substance use."""
        result = _read(
            tagger, *CHILD_ALONE[:2], "Du sa att du inte röker eller dricker. Stämmer det?", "Ja."
        )
        assert "early_substance_use" in _denied(result)
        assert "early_substance_use" not in result.factors()

    def test_the_child_in_the_room_is_left_alone(self, tagger: Tagger) -> None:
        """Near: with a parent in the room and nobody called out to, the same summary and
        yes deny nothing; and a no to it says nothing sure, the child alone too."""
        result = _read(
            tagger,
            *TestChildInTheRoom.OPENING,
            "Du sa att du inte röker eller dricker. Stämmer det?",
            "Ja.",
        )
        assert not _denied(result)
        result = _read(
            tagger, *CHILD_ALONE[:2], "Du sa att du inte röker eller dricker. Stämmer det?", "Nej."
        )
        assert not _denied(result)

    def test_the_child_alone_confirms_no_one_elses(self, tagger: Tagger) -> None:
        """Near: only the child's own risk factors: "Du sa att din pappa inte dricker
        längre." / "Ja." denies nothing of the father's this way."""
        result = _read(
            tagger,
            *CHILD_ALONE[:2],
            "Du sa att din pappa inte dricker längre. Stämmer det?",
            "Ja.",
        )
        assert "parental_substance_abuse" not in _denied(result)


class TestChildAloneThroughSpeech:
    """Through speech the child alone is still read so: a name the recogniser writes in lower
    case after "hej" is called out to; a common word before a comma calls nobody; "ni" heard
    unsurely addresses nobody as several. A "ni" heard surely still does."""

    QUESTION = ("Dricker du alkohol ibland?", "Nej.")

    def test_a_word_before_a_comma_calls_nobody(self, tagger: Tagger) -> None:
        """ "Ibland, när du är ledsen, vem pratar du med?" names nobody: the child is still
        alone."""
        result = _read(
            tagger,
            *CHILD_ALONE,
            "Ibland, när du är ledsen, vem pratar du med?",
            "Min moster.",
            *self.QUESTION,
        )
        assert "early_substance_use" in _denied(result)

    def test_a_name_in_lower_case_after_hej(self, tagger: Tagger) -> None:
        """ "Hej jusuf, jag heter Karin." heard so still greets the child."""
        segments = heard_segments(
            "Hej jusuf, jag heter Karin.",
            "Hej.",
            "Hur är det med din mamma?",
            "Bra.",
            *self.QUESTION,
        )
        result = tagger.tag_segments(segments, "barn")
        assert "early_substance_use" in _denied(result)

    def test_ni_heard_unsurely_and_surely(self, tagger: Tagger) -> None:
        """ "Hur har ni det hemma?" with "ni" heard unsurely leaves the child alone; heard
        surely, several are addressed and "du" is undecided."""
        lines = ("Hej Leo, jag heter Karin.", "Hej.", "Hur har ni det hemma?", "Bra.")
        unsure = tagger.tag_segments(
            heard_segments(*lines, *self.QUESTION, unsure={"ni": 0.3}), "barn"
        )
        sure = tagger.tag_segments(heard_segments(*lines, *self.QUESTION), "barn")
        assert "early_substance_use" in _denied(unsure)
        assert "early_substance_use" not in _denied(sure)

    def test_every_young_person_heard_alike(self, tagger: Tagger) -> None:
        """ "… alla ungdumar. Dricker du?" / "Nej." with the non-word heard unsurely asks the
        child, as an uncertain denial; typed so (no recogniser) it asks nobody sure."""
        lines = (
            "Välkomna hit båda två. Maria, hur länge sedan träffade Leo sin pappa?",
            "Ett år. Leos pappa bor i Umeå.",
            "Det här frågar jag alla ungdumar. Dricker du?",
            "Nej.",
        )
        heard = tagger.tag_segments(heard_segments(*lines, unsure={"ungdumar": 0.4}), "barn")
        denials = heard.denied_by_factor().get("early_substance_use", [])
        assert denials and all(d.reason == "uncertain" for d in denials)
        assert "early_substance_use" not in _denied(_read(tagger, *lines))
