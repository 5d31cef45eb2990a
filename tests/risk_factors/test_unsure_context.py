"""Through speech, say less where the words that decide a finding were heard unsurely: a
question the recogniser wrote as a statement and that was answered no, a third person whose
word was barely heard, a negation heard unsurely. Each rule with conversations of its own
(none from the meeting sets) and near ones that stay found."""

from __future__ import annotations

from risk_factors.tagger import Tagger, TagResult
from tests.risk_factors.support import heard_segments as _heard
from tests.risk_factors.support import uncertain as _uncertain


def _found(result: TagResult) -> set[str]:
    return result.factors()


class TestStatementAnsweredNo:
    """Through speech, a statement of a factor to the client answered no was a question: an
    uncertain denial, no finding."""

    def test_a_statement_to_the_client_answered_no_was_a_question(self, tagger: Tagger) -> None:
        """ "Förekom det hot och våld mellan dig och din sambo?" heard as a statement, then
        "Nej, vi grälade …, men han har aldrig hotat mig": the violence is no finding, only
        an uncertain denial; a yes to the same words finds it, and the client's own statement
        (no "du") stays found whatever a no after it says."""
        asked = "Och mellan dig och din sambo förekom det hot och våld."
        no = tagger.tag_segments(
            _heard(asked, "Nej, vi grälade en del, men han har aldrig hotat mig."), "vuxen"
        )
        assert "escalating_ipv" not in _found(no)
        assert "escalating_ipv" in _uncertain(no)
        yes = tagger.tag_segments(_heard(asked, "Ja, i början av året."), "vuxen")
        assert "escalating_ipv" in _found(yes)
        own = tagger.tag_segments(
            _heard(
                "Han slog mig när han var full, flera gånger i vintras.",
                "Nej, jag har inte berättat det för någon förut, inte ens för min syster.",
            ),
            "vuxen",
        )
        assert "escalating_ipv" in _found(own)

    def test_in_a_childs_case_too(self, tagger: Tagger) -> None:
        """ "Slog han dig när du bodde med hans pappa?" heard without its question, answered
        "Nej, det gjorde han aldrig, …": no maltreatment found, an uncertain denial."""
        result = tagger.tag_segments(
            _heard(
                "Och när du bodde med hans pappa slog han dig.",
                "Nej, det gjorde han aldrig, han var bara borta mycket.",
            ),
            "barn",
        )
        assert "child_maltreatment" not in _found(result)
        assert "child_maltreatment" in _uncertain(result)

    def test_the_rest_of_a_question_heard_in_lower_case(self, tagger: Tagger) -> None:
        """ "Har du någon gång haft tankar på att ta ditt liv?" heard as "Har du någon gång
        haft?" and a lower-case "tankar på att ta ditt liv", answered no at length: no
        finding, an uncertain denial; a client's own sentence after a question (a capital
        letter) stays found."""
        result = tagger.tag_segments(
            _heard(
                "Har du någon gång haft?",
                "tankar på att ta ditt liv",
                "Nej, jag har min dotter och mina hundar att tänka på.",
            ),
            "vuxen",
        )
        assert "self_harm_suicidality" not in _found(result)
        assert "self_harm_suicidality" in _uncertain(result)
        own = tagger.tag_segments(
            _heard(
                "Hur mår du?",
                "Jag har tankar på att ta mitt liv.",
                "Nej, det har du inte sagt förut.",
            ),
            "vuxen",
        )
        assert "self_harm_suicidality" in _found(own)


class TestSelfBarelyHeardAnsweredNo:
    """Through speech, a statement whose opening "jag"/"vi" was barely heard, answered no, was
    a question to the client: an uncertain denial, no finding."""

    def test_an_opening_jag_barely_heard_then_a_no(self, tagger: Tagger) -> None:
        """ "Tar du tabletter utöver det som läkaren skrivit ut?" heard as "Jag(0.04) tar
        tabletter …" and answered "Nej, bara de som doktorn har skrivit ut …": no drug
        problem, an uncertain denial. The same "Jag" heard at 0.6 or surely, or the barely
        heard one answered yes, is the client's own statement and stays found."""
        said = "Jag tar tabletter utöver det som läkaren skrivit ut."
        no = "Nej, bara de som doktorn har skrivit ut till mig i våras."
        lost = tagger.tag_segments(_heard(said, no, unsure={"jag": 0.04}), "vuxen")
        assert "drug_problem" not in _found(lost)
        assert "drug_problem" in _uncertain(lost)
        for heard in (
            _heard(said, no),
            _heard(said, no, unsure={"jag": 0.6}),
            _heard(said, "Ja, ibland på kvällen.", unsure={"jag": 0.04}),
        ):
            assert "drug_problem" in _found(tagger.tag_segments(heard, "vuxen"))


class TestNegationHeardUnsurely:
    """A real word one sound from a negation heard unsurely in the cue's clause leaves the
    finding open."""

    def test_an_unsure_word_one_sound_from_a_negation_leaves_it_open(self, tagger: Tagger) -> None:
        """ "Lönen räcker inne hela månaden" with "inne" heard unsurely (one sound from
        "inte") may deny as well as state: no finding; the same words heard surely, and
        "räcker gott", are found. So for "intet" in an answer read with its open question
        ("Hur är det med pengarna?" / "…, men det räcker intet för hyran.")."""
        unsure = tagger.tag_segments(
            _heard("Lönen räcker inne hela månaden.", unsure={"inne": 0.5}), "vuxen"
        )
        assert "stable_economy" not in _found(unsure)
        for text in ("Lönen räcker inne hela månaden.", "Lönen räcker gott hela månaden."):
            assert "stable_economy" in _found(tagger.tag_segments(_heard(text), "vuxen")), text
        asked = "Hur är det med pengarna?"
        answer = tagger.tag_segments(
            _heard(
                asked, "Jag jobbar natt, men det räcker intet för hyran.", unsure={"intet": 0.35}
            ),
            "vuxen",
        )
        assert "stable_economy" not in _found(answer)
        enough = tagger.tag_segments(
            _heard(asked, "Jag jobbar natt och det räcker för hyran."), "vuxen"
        )
        assert "stable_economy" in _found(enough)


class TestProtectiveHeardAlike:
    """A protective factor read only from words heard alike gives way to a risk of its life
    area."""

    def test_a_resource_heard_only_alike_gives_way_to_a_risk_of_its_area(
        self, tagger: Tagger
    ) -> None:
        """ "Jag har bott i lägenheten i femton år" heard with "butt" (only alike) beside
        drugs sold on the stairs is no stable housing: a risk of the same life area is said
        surely, the resource stands on a guess. Heard exactly it stays found, and so does
        the guess when no risk of its area is said. (Beside an eviction even the exact words
        give way: `TestAResourceAndTheRiskThatExcludesIt`.)"""
        stairs = "Det säljs droger i trapphuset."
        guessed = tagger.tag_segments(
            _heard(stairs, "Jag har butt i lägenheten i femton år.", unsure={"butt": 0.3}),
            "vuxen",
        )
        assert "deprived_neighbourhood" in _found(guessed)
        assert "stable_housing" not in _found(guessed)
        exact = tagger.tag_segments(
            _heard(stairs, "Jag har bott i lägenheten i femton år."), "vuxen"
        )
        assert "stable_housing" in _found(exact)
        alone = tagger.tag_segments(
            _heard("Jag har butt i lägenheten i femton år.", unsure={"butt": 0.3}), "vuxen"
        )
        assert "stable_housing" in _found(alone)


class TestThirdPersonHeardUnsurely:
    """In a child's case a finding of the child's own on a "han"/"hon" barely heard inside a
    sentence is none."""

    def test_a_childs_own_finding_on_a_barely_heard_han_is_none(self, tagger: Tagger) -> None:
        """In a child's case "Jag vet inte riktigt, men han röker på med kompisarna" with
        "han" heard unsurely mid-sentence (often more misheard: "pappan", "din bror") gives
        no early substance use; heard surely it does, and so does an unsure "Han" opening
        the sentence (whisper's first word is often unsure however plainly said)."""
        text = "Jag vet inte riktigt, men han röker på med kompisarna."
        unsure = tagger.tag_segments(_heard(text, unsure={"han": 0.5}), "barn")
        assert "early_substance_use" not in _found(unsure)
        assert "early_substance_use" in _found(tagger.tag_segments(_heard(text), "barn"))
        first = tagger.tag_segments(
            _heard("Han röker på med kompisarna.", unsure={"han": 0.3}), "barn"
        )
        assert "early_substance_use" in _found(first)


class TestUnknownSubjectAfterTheVerb:
    """In an adult's case a word no dictionary knows right after the cue's verb is its subject,
    not the client."""

    def test_a_word_no_dictionary_knows_after_the_cue_verb_is_someone(self, tagger: Tagger) -> None:
        """In an adult's case "…, dricker matjas." (the caseworker's "Dricker Matjas?" run
        onto the answer before it) puts a word no dictionary knows where only the subject
        can stand: a name or a subject misheard, not the client's "jag": no alcohol problem.
        "…, dricker gör jag mest på helgerna" and a subjectless "Dricker varje kväll" are."""
        other = tagger.tag_segments(
            _heard("Jag har min egen lön, han har inte mitt kort, dricker matjas."), "vuxen"
        )
        assert "alcohol_problem" not in _found(other)
        for text in (
            "Jag har min egen lön, dricker gör jag mest på helgerna.",
            "Dricker varje kväll, en hel flaska.",
        ):
            assert "alcohol_problem" in _found(tagger.tag_segments(_heard(text), "vuxen")), text
