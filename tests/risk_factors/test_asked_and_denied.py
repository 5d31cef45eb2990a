"""Asked and denied: who a question asks about, and who answers it. Conversations of my own
(none from the meeting sets), with near ones that must stay as they are: a yes is never a
denial, a third person's denial is not the client's, a denial of the past is no finding."""

from __future__ import annotations

from risk_factors.tagger import Tagger
from tests.risk_factors.support import denied as _denied
from tests.risk_factors.support import heard_segments as _heard
from tests.risk_factors.support import typed_segments
from tests.risk_factors.support import uncertain as _uncertain


def _read(tagger: Tagger, case_type: str, *texts: str) -> tuple[set[str], set[str]]:
    result = tagger.tag_segments(typed_segments(*texts), case_type)
    return result.factors(), _denied(result)


class TestClientAsTheOneItWasDoneTo:
    """In an adult's case a cue that names the client as the one something was done to
    ("gjort mig illa") is the client's, whoever did it: "Har hon gjort dig illa?" / "Nej."
    is asked and denied."""

    def test_a_no_about_what_another_did_to_the_client(self, tagger: Tagger) -> None:
        """ "Har hon gjort dig illa någon gång?" / "Nej." and "Har din före detta gjort dig
        illa?" / "Nej, aldrig." deny prior victimisation; nothing is found."""
        for question, answer in (
            ("Har hon gjort dig illa någon gång?", "Nej."),
            ("Har din före detta gjort dig illa?", "Nej, aldrig."),
        ):
            found, denied = _read(tagger, "vuxen", question, answer)
            assert denied == {"prior_victimisation"}, question
            assert not found, question

    def test_told_in_a_conversation(self, tagger: Tagger) -> None:
        """ "Hur har helgen varit?" / "Hennes bror har gjort mig illa." is the client's prior
        victimisation, not the brother's."""
        found, _ = _read(
            tagger, "vuxen", "Hur har helgen varit?", "Hennes bror har gjort mig illa."
        )
        assert "prior_victimisation" in found

    def test_a_yes_is_a_finding(self, tagger: Tagger) -> None:
        """ "Har hon gjort dig illa någon gång?" / "Ja, en gång." is found, never denied."""
        found, denied = _read(tagger, "vuxen", "Har hon gjort dig illa någon gång?", "Ja, en gång.")
        assert found == {"prior_victimisation"}
        assert not denied

    def test_near_ones_stay(self, tagger: Tagger) -> None:
        """A no about what was done to a third person denies nothing of the client's; told of
        a third person, nothing is found."""
        found, denied = _read(tagger, "vuxen", "Har grannen gjort honom illa?", "Nej.")
        assert not found and not denied
        found, denied = _read(
            tagger, "vuxen", "Berätta om din väninna.", "Hennes kille har gjort henne illa."
        )
        assert not found and not denied


class TestAskedOfTheParentsTogether:
    """In a child's case a question to several ("Har någon av er …?", "Tar ni …?") is asked of
    the adults who came with the child, the parents: a no denies the family's risk factors it
    names, read as said of the parents."""

    def test_a_no_from_the_parents(self, tagger: Tagger) -> None:
        """ "Har någon av er sparkat Elsa?" / "Nej, aldrig." denies child maltreatment; "Har
        någon av er suttit i fängelse?" / "Nej." the parents' criminality; "Tar ni droger?" /
        "Nej." the parents' drug use."""
        for question, answer, slug in (
            ("Har någon av er sparkat Elsa?", "Nej, aldrig.", "child_maltreatment"),
            ("Har någon av er suttit i fängelse?", "Nej.", "parental_criminality"),
            ("Tar ni droger?", "Nej.", "parental_substance_abuse"),
        ):
            found, denied = _read(tagger, "barn", question, answer)
            assert slug in denied, question
            assert not found, question

    def test_near_ones_stay(self, tagger: Tagger) -> None:
        """Nothing is read so from: a yes (never a finding of the parents' from this
        reading); a question that also speaks to one person ("du"); an adult's case, where
        "ni" is the client and a partner; a question about the friends' ("era kompisar")."""
        found, denied = _read(tagger, "barn", "Tar ni droger?", "Ja.")
        assert not denied
        assert "parental_substance_abuse" not in found
        _, denied = _read(tagger, "barn", "Dricker ni på fester, du och dina kompisar?", "Nej.")
        assert "parental_substance_abuse" not in denied
        _, denied = _read(tagger, "vuxen", "Tar ni droger?", "Nej.")
        assert "parental_substance_abuse" not in denied
        _, denied = _read(tagger, "barn", "Har era kompisar tagit droger?", "Nej.")
        assert "parental_substance_abuse" not in denied


class TestEachParentSaysNo:
    """In a child's case a question to the parents together or about the home, answered by
    each parent with a statement of their own that says no ("Jag dricker aldrig."), denies
    the parents' own risk factor the question names."""

    def test_two_parents_answer_in_turn(self, tagger: Tagger) -> None:
        """ "Hur är det med alkohol hos er två?" / "Jag dricker aldrig." / "Och jag har aldrig
        druckit." and "Hur är det med spriten hemma?" / "Vi dricker ingen sprit." deny the
        parents' substance abuse; nothing is found."""
        for texts in (
            (
                "Hur är det med alkohol hos er två?",
                "Jag dricker aldrig.",
                "Och jag har aldrig druckit.",
            ),
            ("Hur är det med spriten hemma?", "Vi dricker ingen sprit."),
        ):
            found, denied = _read(tagger, "barn", *texts)
            assert denied == {"parental_substance_abuse"}, texts
            assert not found, texts

    def test_near_ones_stay(self, tagger: Tagger) -> None:
        """Nothing is denied from: a yes; a past told ("Jag drack mycket förut."); a third
        person's no ("Min bror dricker inte."); a question to one person ("dricker du?"); a
        statement that does not say no ("Vi dricker knappt.")."""
        for texts in (
            ("Hur är det med spriten hemma?", "Ja, vi dricker varje helg."),
            ("Hur är det med spriten hemma?", "Jag drack mycket förut."),
            ("Hur är det med spriten hemma?", "Min bror dricker inte."),
            ("Hur är det med spriten, dricker du?", "Jag dricker inte."),
            ("Hur är det med alkohol hos er?", "Vi dricker knappt."),
        ):
            _, denied = _read(tagger, "barn", *texts)
            assert "parental_substance_abuse" not in denied, texts


class TestTopicWordHeardUnsurely:
    """Through speech, a question of one topic word ("Och spriten?") whose word the recogniser
    heard as that very word but unsurely is still asked: a no is an uncertain denial."""

    def test_a_no_is_an_uncertain_denial(self, tagger: Tagger) -> None:
        """ "Spriten då?" with "spriten" at 0.7 / "Nej, det har jag aldrig haft problem med."
        denies the drinking as uncertain; nothing is found."""
        result = tagger.tag_segments(
            _heard(
                "Spriten då?",
                "Nej, det har jag aldrig haft problem med.",
                unsure={"spriten": 0.7},
            ),
            "vuxen",
        )
        assert _uncertain(result) == {"alcohol_problem"}
        assert not result.factors()

    def test_near_ones_stay(self, tagger: Tagger) -> None:
        """Nothing is read from: a yes; the word heard as no word of the language
        ("alkåhol"); heard surely, the denial is sure, as before."""
        yes = tagger.tag_segments(
            _heard("Och alkoholen då?", "Ja, ibland.", unsure={"alkoholen": 0.7}), "vuxen"
        )
        assert not yes.factors() and not _denied(yes)
        lost = tagger.tag_segments(_heard("Och alkåhol?", "Nej.", unsure={"alkåhol": 0.7}), "vuxen")
        assert not _denied(lost)
        sure = tagger.tag_segments(_heard("Och alkoholen då?", "Nej."), "vuxen")
        assert _denied(sure) == {"alcohol_problem"} and not _uncertain(sure)


class TestAskedOfEveryoneYourAge:
    """In a child's case with parents in the room, "Jag frågar alla i din ålder" (or "alla
    barn") before a question to "du" says the question is to the child, as "alla ungdomar"
    does; also when the recogniser ended a segment between them."""

    def test_a_no_from_the_child(self, tagger: Tagger) -> None:
        """ "Jag frågar alla i din ålder." / "Har du rökt hasch?" / "Nej." and "Det här frågar
        jag alla barn." … deny the child's substance use; nothing is found."""
        for framing in ("Jag frågar alla i din ålder.", "Det här frågar jag alla barn."):
            found, denied = _read(
                tagger,
                "barn",
                "Välkomna båda två. Hur mår Lisa?",
                "Hon mår bra.",
                framing,
                "Har du rökt hasch?",
                "Nej.",
            )
            assert "early_substance_use" in denied, framing
            assert not found, framing

    def test_near_ones_stay(self, tagger: Tagger) -> None:
        """Without the framing "du" stays undecided (nothing denied), a yes is no denial, and
        "alla i din klass" is no framing."""
        for framing, answer in (
            ("Hur har helgen varit?", "Nej."),
            ("Jag frågar alla i din ålder.", "Ja, en gång."),
            ("Jag frågar alla i din klass.", "Nej."),
        ):
            _, denied = _read(
                tagger,
                "barn",
                "Välkomna båda två. Hur mår Lisa?",
                "Hon mår bra.",
                framing,
                "Har du rökt hasch?",
                answer,
            )
            assert "early_substance_use" not in denied, framing
