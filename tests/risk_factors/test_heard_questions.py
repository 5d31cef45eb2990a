"""Through speech, a question whose deciding words the recogniser lost is still read where
what is left of it can only ask one thing, and then at most as an uncertain denial, never a
finding. Conversations of my own (none from the meeting sets), with near ones that must stay
as they are."""

from __future__ import annotations

from risk_factors.tagger import Tagger
from tests.risk_factors.support import denied as _denied
from tests.risk_factors.support import heard_segments as _heard
from tests.risk_factors.support import typed_segments
from tests.risk_factors.support import uncertain as _uncertain


class TestQuestionWithItsVerbLost:
    """A yes/no question to "du" heard as a lost word, "du" and a topic word heard whole
    ("Dricker du alkohol?" heard "Drickrar du alkohol?") asks about the one own risk that the
    topic word names: a no is an uncertain denial of it."""

    def test_a_no_to_the_topic_left_is_an_uncertain_denial(self, tagger: Tagger) -> None:
        """ "Drickrar du alkohol?" (no word, heard unsurely) / "Nej, det gör jag inte." denies
        the drinking as uncertain; no finding either way."""
        result = tagger.tag_segments(
            _heard("Drickrar du alkohol?", "Nej, det gör jag inte.", unsure={"drickrar": 0.4}),
            "vuxen",
        )
        assert _uncertain(result) == {"alcohol_problem"}
        assert not result.factors()

    def test_a_word_of_the_language_heard_far_below_sure(self, tagger: Tagger) -> None:
        """ "Vickar du alkohol?" with "vickar" heard at 0.3 has lost its verb too; heard at 0.7
        it is a question of its own and asks nothing about drinking."""
        lost = tagger.tag_segments(
            _heard("Vickar du alkohol?", "Nej.", unsure={"vickar": 0.3}), "vuxen"
        )
        assert _uncertain(lost) == {"alcohol_problem"}
        heard = tagger.tag_segments(
            _heard("Vickar du alkohol?", "Nej.", unsure={"vickar": 0.7}), "vuxen"
        )
        assert not _denied(heard)

    def test_each_alternative_of_the_question(self, tagger: Tagger) -> None:
        """ "Provtar du narkotika eller alkohol?" / "Nej, aldrig.": the drugs named surely
        are denied as before, and the alcohol of the alternative after "eller" as
        uncertain."""
        result = tagger.tag_segments(
            _heard("Provtar du narkotika eller alkohol?", "Nej, aldrig.", unsure={"provtar": 0.35}),
            "vuxen",
        )
        assert "alcohol_problem" in _uncertain(result)
        assert "drug_problem" in _denied(result)
        assert not result.factors()

    def test_asked_twice_before_the_no(self, tagger: Tagger) -> None:
        """The question said again before the answer (an interpreter, or the caseworker
        repeating it) is read the same way."""
        result = tagger.tag_segments(
            _heard(
                "Drickrar du alkohol?", "Drickrar du alkohol?", "Nej.", unsure={"drickrar": 0.4}
            ),
            "vuxen",
        )
        assert _uncertain(result) == {"alcohol_problem"}

    def test_near_questions_stay_unread(self, tagger: Tagger) -> None:
        """Nothing is read from: a yes (never a finding from a guessed question); a lost
        word in another place than the verb's ("Har du slutfatt alkohol?" may be "slutat");
        a verb heard surely ("Serverar du alkohol?"); a question about "han"; no question
        mark; a child's case, where "du" may be the child or a parent; typed text."""
        unsure = {"drickrar": 0.4, "slutfatt": 0.4}
        for case_type, question, answer in (
            ("vuxen", "Drickrar du alkohol?", "Ja, ibland."),
            ("vuxen", "Har du slutfatt alkohol?", "Nej."),
            ("vuxen", "Serverar du alkohol?", "Nej."),
            ("vuxen", "Drickrar han alkohol?", "Nej."),
            ("vuxen", "Drickrar du alkohol.", "Nej."),
            ("barn", "Drickrar du alkohol?", "Nej."),
        ):
            result = tagger.tag_segments(_heard(question, answer, unsure=unsure), case_type)
            assert not result.factors(), question
            assert "alcohol_problem" not in _denied(result), question
        typed = tagger.tag_segments(typed_segments("Drickrar du alkohol?", "Nej."), "vuxen")
        assert not typed.factors()


class TestQuestionContinuedInAPieceOfItsOwn:
    """A question whose qualifying piece stands as a sentence of its own ("Har det blivit
    våld mellan er? När det har varit som värst?", as whisper often writes it) is what a no
    after that piece answers: a denial, never a finding."""

    def test_a_no_after_the_piece_denies_the_question(self, tagger: Tagger) -> None:
        """ "När det har varit som värst?" asks nothing of its own: the no denies the violence
        asked about just before it, typed or heard."""
        said = ("Har det hänt att det har blivit våld mellan er?", "När det har varit som värst?")
        typed = tagger.tag_segments(typed_segments(*said, "Nej."), "vuxen")
        assert "escalating_ipv" in _denied(typed)
        assert not typed.factors()
        heard = tagger.tag_segments(_heard(*said, "Nej."), "vuxen")
        assert "escalating_ipv" in _denied(heard)
        assert not heard.factors()

    def test_a_time_heard_apart_from_a_question_heard_without_its_mark(
        self, tagger: Tagger
    ) -> None:
        """ "Har det varit bråk och våld mellan er. Nu eller tidigare." / "Nej, aldrig.": the
        question lost its "?" too, so the violence is denied only as uncertain."""
        result = tagger.tag_segments(
            _heard("Har det varit bråk och våld mellan er.", "Nu eller tidigare.", "Nej, aldrig."),
            "barn",
        )
        assert "child_exposed_ipv" in _uncertain(result)
        assert not result.factors()

    def test_near_pieces_stay_as_they_are(self, tagger: Tagger) -> None:
        """A yes to the same finds nothing from the piece; a question of its own after the
        first ("När hände det senast?") or a piece with a main clause of its own ("Om du vill
        kan vi ta det sen.") is not a qualifier, and the no denies nothing asked before it."""
        said = ("Har det hänt att det har blivit våld mellan er?", "När det har varit som värst?")
        yes = tagger.tag_segments(typed_segments(*said, "Ja."), "vuxen")
        assert not yes.factors() and not _denied(yes)
        for piece in ("När hände det senast?", "Om du vill kan vi ta det sen."):
            result = tagger.tag_segments(_heard("Har du tagit droger?", piece, "Nej."), "vuxen")
            assert not result.factors() and not _denied(result), piece
