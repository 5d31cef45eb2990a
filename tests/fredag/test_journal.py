"""The shared draft structure: schema versions, verbatim journal lines, rendering, the clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from fredag.journal import (
    AreaName,
    Entry,
    Place,
    clock,
    journal_from_findings,
    render_entry,
    tool_lines,
    whole_transcript,
)
from fredag.protocol import (
    Draft,
    Evidence,
    FactorFinding,
    Mark,
    canonical_json,
    draft_bytes,
    sign_draft,
    sign_payload,
    verify_draft,
)
from tests.server.factory import make_draft

AREAS = {
    "a_first": AreaName("a_first", "Område A", "Area A", 0),
    "b_second": AreaName("b_second", "Område B", "Area B", 1),
    "c_unused": AreaName("c_unused", "Område C", "Area C", 2),
}


def _finding(slug: str, area: str, segment: int, quote: str, text: str) -> FactorFinding:
    at = text.index(quote)
    return FactorFinding(
        factor=slug,
        kind="risk",
        name_sv=slug,
        area=area,
        evidence=[
            Evidence(
                quote=quote,
                segment=segment,
                char_start=at,
                char_end=at + len(quote),
                start=float(segment),
                end=float(segment) + 1,
                confidence=0.9,
                catalogue_version="1",
                model="m",
            )
        ],
    )


class TestSchemaVersions:
    def test_v1_draft_keeps_exactly_its_own_fields(self) -> None:
        """An old fredag.draft/1 payload (no journal, marks or areas) verifies, parses and
        serializes back to the same bytes, so old signed drafts stay valid."""
        key = Ed25519PrivateKey.generate()
        v2 = make_draft(key)
        data: dict[str, Any] = v2.model_dump(mode="json", by_alias=True)
        data["schema"] = "fredag.draft/1"
        for name in ("journal", "marks"):
            del data[name]
        for finding in data["factors"]:
            del finding["area"]
        for segment in data["transcript"]["segments"]:
            del segment["speaker"]
        old = Draft.model_validate(data)
        assert json.loads(draft_bytes(old)) == data
        assert verify_draft(sign_draft(old, key), key.public_key()) == old

    def test_v1_with_a_journal_and_v2_without_one_are_refused(self) -> None:
        """Each version carries exactly its own fields."""
        draft = make_draft(Ed25519PrivateKey.generate())
        data = draft.model_dump(mode="json", by_alias=True)
        with pytest.raises(ValidationError, match="draft/1"):
            Draft.model_validate({**data, "schema": "fredag.draft/1"})
        with pytest.raises(ValidationError, match="carries its journal"):
            Draft.model_validate({**data, "journal": None})

    def test_journal_line_must_quote_its_segment_verbatim(self) -> None:
        """A journal line whose words differ from its transcript segment, by one character,
        is refused: the tool never rewrites what was said."""
        draft = make_draft(Ed25519PrivateKey.generate())
        data = draft.model_dump(mode="json", by_alias=True)
        line = data["journal"]["areas"][0]["lines"][0]
        line["text"] = line["text"] + " "
        with pytest.raises(ValidationError, match="verbatim"):
            Draft.model_validate(data)


class TestJournal:
    SEGMENTS = (
        "Hur är det hemma?",
        "Pappa dricker mycket.",
        "Det blir bråk ibland.",
        "Har han slagit dig?",
        "Nej, aldrig.",
    )

    def _segments(self) -> list[Any]:
        from fredag.protocol import Segment

        return [Segment(start=float(i), end=i + 1.0, text=t) for i, t in enumerate(self.SEGMENTS)]

    def test_areas_in_catalogue_order_lines_in_meeting_order(self) -> None:
        """Areas follow the catalogue, lines the meeting; a question before an answer is
        attached to it; a denial is its own line; an area without evidence is left out."""
        segs = self._segments()
        factors = [
            _finding("conflict", "b_second", 2, "bråk", segs[2].text),
            _finding("drink", "a_first", 1, "dricker", segs[1].text),
        ]
        denied = [_finding("hit", "b_second", 4, "aldrig", segs[4].text)]
        journal = journal_from_findings(segs, factors, denied, AREAS, marks=[Mark(at=3.5)])
        assert [a.area for a in journal.areas] == ["a_first", "b_second"]
        first = journal.areas[0].lines[0]
        assert first.question is not None and first.question.text == "Hur är det hemma?"
        second = journal.areas[1].lines
        assert [(ln.kind, ln.text) for ln in second] == [
            ("said", "Det blir bråk ibland."),
            ("denied", "Nej, aldrig."),
        ]
        assert second[1].question is not None and second[1].question.text == "Har han slagit dig?"
        assert [m.text for m in journal.marks] == ["Har han slagit dig?"]

    def test_an_utterance_is_quoted_once_under_its_first_factor(self) -> None:
        """Two factors of two areas in one utterance: one line, under the area of the factor
        said first, naming both factors."""
        from fredag.protocol import Segment

        text = "Pappa dricker och det blir bråk."
        segs = [Segment(start=0, end=2, text=text)]
        factors = [
            _finding("conflict", "a_first", 0, "bråk", text),
            _finding("drink", "b_second", 0, "dricker", text),
        ]
        journal = journal_from_findings(segs, factors, [], AREAS)
        assert [a.area for a in journal.areas] == ["b_second"]
        assert journal.areas[0].lines[0].factors == ["conflict", "drink"]

    def test_asked_and_answered_in_one_utterance(self) -> None:
        """A question and its answer heard as one utterance are two lines: the question
        (labelled) and the answer, each a verbatim span of that utterance."""
        from fredag.protocol import Segment

        text = "Har han slagit dig? Nej, aldrig."
        segs = [Segment(start=0, end=3, text=text)]
        denied = [_finding("hit", "a_first", 0, "slagit dig? Nej, aldrig", text)]
        line = journal_from_findings(segs, [], denied, AREAS).areas[0].lines[0]
        assert (line.kind, line.text) == ("denied", "Nej, aldrig.")
        assert text[line.char_start : line.char_end] == line.text
        assert line.question is not None and line.question.text == "Har han slagit dig?"
        assert text[line.question.char_start : line.question.char_end] == "Har han slagit dig?"

    def test_tool_lines_hold_only_fixed_words(self) -> None:
        """With everything said or typed blanked, only headings, labels and times remain."""
        draft = make_draft(Ed25519PrivateKey.generate(), text="Bör placeras, sa hon.")
        entry = Entry(
            meeting=draft.meeting,
            journal=whole_transcript(draft.transcript.segments),
            model_name="m",
        )
        assert not any("placeras" in line for line in tool_lines(entry))
        assert "placeras" in render_entry(entry)

    def test_english_headings_are_available(self) -> None:
        """The same entry renders with English headings."""
        draft = make_draft(Ed25519PrivateKey.generate())
        entry = Entry(
            meeting=draft.meeting,
            journal=whole_transcript(draft.transcript.segments),
            model_name="m",
        )
        text = render_entry(entry, "en")
        assert "What was said" in text and "Assessment" in text and "Vad som" not in text


def _said(texts: list[tuple[str | None, str]]) -> list[Any]:
    """Segments from (speaker role, text): "caseworker" → handläggare, "other" → person 1."""
    from fredag.protocol import Segment, Speaker

    out = []
    for i, (role, text) in enumerate(texts):
        speaker = None
        if role is not None:
            name = "handläggare" if role == "caseworker" else "person 1"
            speaker = Speaker(role=role, label=name, confidence=1.0)  # type: ignore[arg-type]
        out.append(Segment(start=10.0 * i, end=10.0 * i + 5, text=text, speaker=speaker))
    return out


class TestShortEntry:
    def test_a_verbatim_repeat_is_one_line_with_both_times(self) -> None:
        """The same question and answer heard twice are one line, quoted once, with both
        times; every evidence quote is still in the text."""
        segs = _said(
            [
                ("caseworker", "Hur mår du?"),
                ("other", "Jag är sjukskriven."),
                ("caseworker", "Hur mår du?"),
                ("other", "Jag är sjukskriven."),
            ]
        )
        factors = [
            _finding("ill", "a_first", 1, "sjukskriven", segs[1].text),
            _finding("ill", "a_first", 3, "sjukskriven", segs[3].text),
        ]
        journal = journal_from_findings(segs, factors, [], AREAS)
        (line,) = journal.areas[0].lines
        assert (line.start, line.also_at) == (10.0, [30.0])
        text = render_entry(_entry(journal))
        assert '  [00:10, 00:30] person 1: "Jag är sjukskriven."' in text
        assert text.count("Jag är sjukskriven.") == 1 and text.count("Hur mår du?") == 1

    def test_the_same_words_to_another_question_stay_two_lines(self) -> None:
        """An answer repeated to a different question is not folded."""
        segs = _said(
            [
                ("caseworker", "Dricker han?"),
                ("other", "Ja, ofta."),
                ("caseworker", "Bråkar ni?"),
                ("other", "Ja, ofta."),
            ]
        )
        factors = [
            _finding("drink", "a_first", 1, "ofta", segs[1].text),
            _finding("conflict", "a_first", 3, "ofta", segs[3].text),
        ]
        lines = journal_from_findings(segs, factors, [], AREAS).areas[0].lines
        assert [ln.also_at for ln in lines] == [[], []]

    def test_told_as_over_is_no_denial(self) -> None:
        """Something told as past and over is quoted without the "Förnekat" label."""
        segs = _said(
            [
                ("caseworker", "Hur är det med alkohol?"),
                ("other", "Pappan drack mycket förut, men han har slutat."),
            ]
        )
        over = [_finding("drink", "a_first", 1, "Pappan drack", segs[1].text)]
        journal = journal_from_findings(segs, [], [], AREAS, over=over)
        (line,) = journal.areas[0].lines
        assert line.kind == "over"
        text = render_entry(_entry(journal))
        assert '  [00:10] person 1: "Pappan drack mycket förut, men han har slutat."' in text
        assert "Förnekat" not in text

    def test_a_line_the_caseworker_edited_is_not_passed_off_as_a_verbatim_quote(self) -> None:
        """A line whose words the caseworker changed on the server renders with its fixed
        label "(ändrad av handläggaren)" ("edited by the caseworker" in English), so the
        entry never shows her words as the client's quote; an unedited line has none."""
        segs = _said([("other", "Pappa dricker mycket på helgerna.")])
        found = [_finding("drink", "a_first", 0, "Pappa dricker", segs[0].text)]
        journal = journal_from_findings(segs, found, [], AREAS)
        assert "ändrad" not in render_entry(_entry(journal))
        (line,) = journal.areas[0].lines
        edited = line.model_copy(update={"text": "Pappa dricker ibland.", "edited": True})
        area = journal.areas[0].model_copy(update={"lines": [edited]})
        journal = journal.model_copy(update={"areas": [area]})
        text = render_entry(_entry(journal))
        assert '[00:00] person 1: "Pappa dricker ibland." (ändrad av handläggaren)' in text
        english = render_entry(_entry(journal), "en")
        assert '"Pappa dricker ibland." (edited by the caseworker)' in english
        assert any(ln.endswith(" (ändrad av handläggaren)") for ln in tool_lines(_entry(journal)))

    def test_the_caseworkers_question_carries_no_speaker(self) -> None:
        """A question in the caseworker's voice reads "Fråga:" (the structure keeps her
        label); anyone else's question names the speaker."""
        from device.voice.attribution import CASEWORKER_LABEL as DEVICE_LABEL
        from fredag.journal import CASEWORKER_LABEL

        assert DEVICE_LABEL == CASEWORKER_LABEL
        segs = _said(
            [
                ("caseworker", "Dricker han?"),
                ("other", "Ja, ofta."),
                ("other", "Ska jag prata med BUP?"),
                ("caseworker", "Ja, kontakten med BUP är viktig."),
            ]
        )
        factors = [
            _finding("drink", "a_first", 1, "ofta", segs[1].text),
            _finding("bup", "b_second", 3, "BUP", segs[3].text),
        ]
        journal = journal_from_findings(segs, factors, [], AREAS)
        question = journal.areas[0].lines[0].question
        assert question is not None and question.speaker == "handläggare"
        text = render_entry(_entry(journal))
        assert '[00:00] Fråga: "Dricker han?"' in text
        assert '[00:20] Fråga – person 1: "Ska jag prata med BUP?"' in text
        assert '[00:30] handläggare: "Ja, kontakten med BUP är viktig."' in text

    def test_a_sentence_is_quoted_by_the_clauses_that_carry_it(self) -> None:
        """With a splitter that knows which words change how a quote reads, only the run of
        clauses holding the evidence and such words is quoted, still a verbatim span; without
        one the sentence is quoted whole."""
        from fredag.journal import Splitter

        text = "Vi var hemma hela helgen, och sedan regnade det, men pappa dricker mycket, sa hon."
        segs = _said([("other", text)])
        found = [_finding("drink", "a_first", 0, "dricker", text)]

        def reads(words: str, span: tuple[int, int]) -> bool:
            return "pappa" in words[span[0] : span[1]]

        (whole,) = journal_from_findings(segs, found, [], AREAS).areas[0].lines
        assert whole.text == text
        trimmed = journal_from_findings(segs, found, [], AREAS, splitter=Splitter(reads=reads))
        (line,) = trimmed.areas[0].lines
        assert line.text == "men pappa dricker mycket"
        assert text[line.char_start : line.char_end] == line.text

    def test_an_answer_that_reads_alone_has_no_question(self) -> None:
        """The question before an answer is quoted only when the splitter says the answer
        cannot be read without it."""
        from fredag.journal import Splitter

        segs = _said([("caseworker", "Hur är det hemma?"), ("other", "Pappa dricker mycket.")])
        found = [_finding("drink", "a_first", 1, "dricker", segs[1].text)]
        (asked,) = journal_from_findings(segs, found, [], AREAS).areas[0].lines
        assert asked.question is not None
        alone = Splitter(alone=lambda answer, question: True)
        (line,) = journal_from_findings(segs, found, [], AREAS, splitter=alone).areas[0].lines
        assert line.question is None and line.text == "Pappa dricker mycket."

    def test_group_headings_once_and_a_speaker_named_once(self) -> None:
        """Areas of one group sit under the group's heading once, each with its own name; the
        person who said most lines is named once above them and only the others' lines carry
        a name; the tool's words are still only fixed headings and labels."""
        from fredag.protocol import Segment, Speaker

        areas = {
            "g_a": AreaName("g_a", "Grupp: första", "Group: first", 0),
            "g_b": AreaName("g_b", "Grupp: andra", "Group: second", 1),
        }
        mother = Speaker(role="other", label="person 1", confidence=1.0)
        child = Speaker(role="other", label="person 2", confidence=1.0)
        said = [
            ("Pappa dricker mycket.", mother),
            ("Pappa dricker varje helg.", mother),
            ("Pappa dricker på jobbet.", mother),
            ("Pappa dricker i bilen.", mother),
            ("Pappa dricker öl.", child),
        ]
        segs = [
            Segment(start=10.0 * i, end=10.0 * i + 5, text=t, speaker=who)
            for i, (t, who) in enumerate(said)
        ]
        found = [
            _finding("drink", "g_a" if i < 2 else "g_b", i, "dricker", t)
            for i, (t, _who) in enumerate(said)
        ]
        entry = _entry(journal_from_findings(segs, found, [], areas))
        text = render_entry(entry)
        assert "Talare om inget annat anges: person 1\n\nGrupp\n  Första\n" in text
        assert "\n  Andra\n" in text and text.count("Grupp") == 1
        assert '    [00:00] "Pappa dricker mycket."' in text
        assert '    [00:40] person 2: "Pappa dricker öl."' in text
        tool = {line.strip() for line in tool_lines(entry)}
        assert tool >= {"Grupp", "Första", "Andra", "Talare om inget annat anges: …"}

    def test_an_earlier_v2_draft_still_parses_verifies_and_shows(self) -> None:
        """A v2 draft made before these rules (whole sentences, every answer's question, no
        `also_at`) verifies and renders with its questions as it was built."""
        key = Ed25519PrivateKey.generate()
        data: dict[str, Any] = make_draft(key).model_dump(mode="json", by_alias=True)
        for area in data["journal"]["areas"]:
            for line in area["lines"]:
                del line["also_at"], line["also_as"], line["referents"]
                line["question"] = {
                    "segment": line["segment"],
                    "char_start": 0,
                    "char_end": None,
                    "start": line["start"],
                    "text": data["transcript"]["segments"][line["segment"]]["text"],
                    "speaker": None,
                }
        old = Draft.model_validate(data)
        assert verify_draft(sign_draft(old, key), key.public_key()) == old
        signed_then = sign_payload(canonical_json(data), key)  # the bytes an old device signed
        assert verify_draft(signed_then, key.public_key()) == old
        assert old.journal is not None
        text = render_entry(_entry(old.journal))
        assert "Fråga:" in text and old.journal.areas[0].lines[0].text in text

    def test_no_factor_list_in_the_text(self) -> None:
        """The entry names no factor: the quotes under the life areas are what it says."""
        segs = _said([("other", "Pappa dricker mycket.")])
        factors = [_finding("drink", "a_first", 0, "dricker", segs[0].text)]
        text = render_entry(_entry(journal_from_findings(segs, factors, [], AREAS)))
        assert "Område A" in text and "drink" not in text and "Faktorer" not in text


class TestOneLinePerWords:
    def test_words_both_said_and_denied_are_one_line_that_carries_both(self) -> None:
        """ "Nej, jag har varit nykter i tio år." showing sobriety and denying alcohol is one
        line: "Förnekat", the question the denial needs, both factors in the structure."""
        segs = _said(
            [
                ("caseworker", "Dricker du alkohol?"),
                ("other", "Nej, jag har varit nykter i tio år."),
            ]
        )
        said = [_finding("sober", "a_first", 1, "nykter", segs[1].text)]
        denied = [
            _finding("drink", "a_first", 0, "Dricker du alkohol", segs[0].text),
            _finding("drink", "a_first", 1, "Nej", segs[1].text),
        ]
        journal = journal_from_findings(segs, said, denied, AREAS)
        (line,) = journal.areas[0].lines
        assert (line.kind, line.factors, line.also_as) == ("denied", ["drink"], {"said": ["sober"]})
        text = render_entry(_entry(journal))
        assert text.count("Nej, jag har varit nykter i tio år.") == 1
        assert '[00:10] Förnekat – person 1: "Nej, jag har varit nykter i tio år."' in text
        assert '[00:00] Fråga: "Dricker du alkohol?"' in text

    def test_said_and_told_as_over_in_the_same_words_are_one_line(self) -> None:
        """A finding and something told as over in one sentence are one plain line."""
        segs = _said([("other", "Jag använde amfetamin förut, men jag har varit ren i två år.")])
        said = [_finding("sober", "a_first", 0, "varit ren", segs[0].text)]
        over = [_finding("drugs", "b_second", 0, "använde amfetamin", segs[0].text)]
        journal = journal_from_findings(segs, said, [], AREAS, over=over)
        ((line,),) = [a.lines for a in journal.areas]
        assert (line.kind, line.factors, line.also_as) == ("said", ["sober"], {"over": ["drugs"]})
        assert journal.areas[0].area == "b_second"  # the earliest quote's area

    def test_a_denial_and_a_finding_in_other_words_stay_two_lines(self) -> None:
        """ "Nej, aldrig. Jag vill sluta dricka.": the denial and the finding share no words,
        so each keeps its own line and "Förnekat" stays on the denial alone."""
        segs = _said(
            [("caseworker", "Har du använt narkotika?"), ("other", "Nej, aldrig. Jag vill sluta.")]
        )
        said = [_finding("wish", "a_first", 1, "vill sluta", segs[1].text)]
        denied = [_finding("drugs", "a_first", 1, "Nej, aldrig", segs[1].text)]
        lines = journal_from_findings(segs, said, denied, AREAS).areas[0].lines
        assert [(ln.kind, ln.text) for ln in lines] == [
            ("denied", "Nej, aldrig."),
            ("said", "Jag vill sluta."),
        ]


class _Persons:
    """The tagger's reading of who is who, as `journal_from_findings` takes it."""

    def __init__(self, naming: set[Place], named: dict[tuple[int, int], Place]) -> None:
        self.naming = naming
        self.named = named


class TestReferents:
    SEGS = (
        ("caseworker", "Vill du berätta om pappa?"),
        ("other", "Han dricker varje helg."),
        ("caseworker", "Hur går det i skolan?"),
        ("other", "Det går bra."),
        ("caseworker", "Och hemma då?"),
        ("other", "Det är lugnt nu. Han har slagit mamma flera gånger."),
    )

    def _journal(self, areas: tuple[str, str]) -> Any:
        segs = _said(list(self.SEGS))
        factors = [
            _finding("drink", areas[0], 1, "dricker", segs[1].text),
            _finding("hits", areas[1], 5, "slagit mamma", segs[5].text),
        ]
        pappa = (0, segs[0].text.index("pappa"), segs[0].text.index("pappa") + 5)
        mamma = (5, segs[5].text.index("mamma"), segs[5].text.index("mamma") + 5)
        persons = _Persons({pappa, mamma}, {(1, 0): pappa, (5, segs[5].text.index("Han")): pappa})
        return segs, journal_from_findings(segs, factors, [], AREAS, persons=persons)

    def test_a_han_named_sentences_back_is_shown_with_the_words_naming_him(self) -> None:
        """ "Han har slagit mamma" under another area than "Vill du berätta om pappa?": the
        line carries that question, verbatim with its time, as "Sammanhang"; nothing else is
        written, and the draft's verbatim check covers it."""
        segs, journal = self._journal(("a_first", "b_second"))
        (hits,) = journal.areas[1].lines
        assert hits.text == "Han har slagit mamma flera gånger."
        (ref,) = hits.referents
        assert (ref.segment, ref.text, ref.start) == (0, "Vill du berätta om pappa?", 0.0)
        assert ref.text == segs[0].text[ref.char_start : ref.char_end]
        text = render_entry(_entry(journal))
        assert (
            '  [00:00] Sammanhang – handläggare: "Vill du berätta om pappa?"\n'
            '  [00:40] Fråga: "Och hemma då?"\n'
            '  [00:50] person 1: "Han har slagit mamma flera gånger."'
        ) in text
        tool = {line.strip() for line in tool_lines(_entry(journal))}
        assert '[00:00] Sammanhang – …: "…"' in tool
        _quote_checked(segs, journal, lambda j: j["areas"][1]["lines"][0]["referents"][0])

    def test_no_referent_where_the_lines_above_already_name_him(self) -> None:
        """Under the same area, the question naming pappa is shown just above: nothing is
        added; the answer's own question is quoted when it is what names him."""
        _segs, journal = self._journal(("a_first", "a_first"))
        drink, hits = journal.areas[0].lines
        assert drink.question is not None and drink.question.text == "Vill du berätta om pappa?"
        assert hits.referents == []

    def test_the_words_naming_him_come_back_when_the_line_above_is_dropped(self) -> None:
        """Under the same area nothing is shown, but the line keeps the question naming pappa
        in `held` (verbatim, checked like a referent): the line above dropped (or no longer
        quoting the question), or this line moved to another area, the entry shows it as
        "Sammanhang" again."""
        segs, journal = self._journal(("a_first", "a_first"))
        drink, hits = journal.areas[0].lines
        (held,) = hits.held
        assert (held.segment, held.text) == (0, "Vill du berätta om pappa?")
        assert segs[0].text[held.word_start : held.word_end] == "pappa"
        naming = '[00:00] Sammanhang – handläggare: "Vill du berätta om pappa?"'
        assert naming not in render_entry(_entry(journal))
        area = journal.areas[0]
        for lines in (
            [hits],  # the line above dropped
            [drink.model_copy(update={"question": None}), hits],  # its question cut away
        ):
            alone = journal.model_copy(update={"areas": [area.model_copy(update={"lines": lines})]})
            text = render_entry(_entry(alone))
            assert f"{naming}\n" in text, text
        moved = journal.model_copy(
            update={
                "areas": [
                    area.model_copy(update={"lines": [drink]}),
                    journal.areas[0].model_copy(update={"area": "b_second", "lines": [hits]}),
                ]
            }
        )
        assert naming in render_entry(_entry(moved))
        _quote_checked(segs, journal, lambda j: j["areas"][0]["lines"][1]["held"][0])

    def test_a_referent_renders_in_english_and_on_old_lines_nothing_changes(self) -> None:
        """The label is fixed and bilingual; a line without referents renders as before."""
        _segs, journal = self._journal(("a_first", "b_second"))
        assert '"Vill du berätta om pappa?"' in render_entry(_entry(journal), "en")
        assert "Context – handläggare:" in render_entry(_entry(journal), "en")
        plain = journal_from_findings(
            _said([("other", "Han dricker.")]),
            [_finding("drink", "a_first", 0, "dricker", "Han dricker.")],
            [],
            AREAS,
        )
        assert "Sammanhang" not in render_entry(_entry(plain))
        assert plain.areas[0].lines[0].referents == []


def _quote_checked(segs: list[Any], journal: Any, quote: Callable[[Any], Any]) -> None:
    """A draft of `segs` with `journal` is accepted, and refused once the question `quote`
    picks out of the journal's JSON loses its "?": quotes of the question are verbatim."""
    draft = make_draft(Ed25519PrivateKey.generate())
    data = draft.model_dump(mode="json", by_alias=True)
    data["transcript"]["segments"] = [s.model_dump(mode="json") for s in segs]
    data["journal"] = journal.model_dump(mode="json")
    Draft.model_validate(data)  # verbatim: accepted
    quote(data["journal"])["text"] = "Vill du berätta om pappa"
    with pytest.raises(ValidationError, match="verbatim"):
        Draft.model_validate(data)


def _entry(journal: Any, revised: frozenset[int] = frozenset()) -> Entry:
    draft = make_draft(Ed25519PrivateKey.generate())
    return Entry(meeting=draft.meeting, journal=journal, model_name="m", revised=revised)


class TestLabelsTheDeviceRevised:
    """A speaker label the device changed with hindsight (`Speaker.revised`) is marked on
    the entry's quote lines as in the transcript; the structure the device signs is the
    same as without the mark."""

    def _segments(self, revised: bool = True) -> list[Any]:
        from fredag.protocol import Segment, Speaker

        cw = Speaker(role="caseworker", label="handläggare", confidence=1.0)
        one = Speaker(role="other", label="person 1", confidence=1.0)
        two = Speaker(role="other", label="person 2", confidence=0.6, revised=revised)
        said = [
            ("Dricker pappa?", cw.model_copy(update={"revised": revised})),
            ("Pappa dricker mycket.", two),
            ("Pappa dricker varje helg.", one),
            ("Pappa dricker på jobbet.", one),
            ("Pappa dricker öl.", one),
            ("Pappa dricker vin.", one),
            ("Pappa dricker i bilen.", two.model_copy(update={"revised": False})),
            ("Pappa dricker i bilen.", two),
        ]
        return [
            Segment(start=10.0 * i, end=10.0 * i + 5, text=t, speaker=who)
            for i, (t, who) in enumerate(said)
        ]

    def _journal(self, segments: list[Any]) -> Any:
        found = [
            _finding("drink", "a_first", i, "dricker", s.text) for i, s in enumerate(segments) if i
        ]
        return journal_from_findings(segments, found, [], AREAS)

    def test_a_revised_label_is_marked_on_its_quote_and_question_lines(self) -> None:
        """The quote and the question whose labels the device revised name their speaker
        marked "(ändrad av enheten)", even the caseworker's question and a line by the
        speaker named once above all lines; the others read as before."""
        from fredag.journal import revised_segments

        segs = self._segments()
        journal = self._journal(segs)
        revised = revised_segments(segs)
        assert revised == {0, 1, 7}
        text = render_entry(_entry(journal, revised))
        assert "Talare om inget annat anges: person 1\n" in text
        assert '  [00:00] Fråga – handläggare (ändrad av enheten): "Dricker pappa?"' in text
        assert '  [00:10] person 2 (ändrad av enheten): "Pappa dricker mycket."' in text
        assert '  [00:20] "Pappa dricker varje helg."' in text
        # the same words by one label, once revised and once not, are two lines
        assert '  [01:00] person 2: "Pappa dricker i bilen."' in text
        assert '  [01:10] person 2 (ändrad av enheten): "Pappa dricker i bilen."' in text
        english = render_entry(_entry(journal, revised), "en")
        assert '[00:10] person 2 (changed by the device): "Pappa dricker mycket."' in english
        plain = render_entry(_entry(journal))  # no revised segments given: no mark
        assert "ändrad av enheten" not in plain
        assert '  [00:00] Fråga: "Dricker pappa?"' in plain

    def test_the_mark_is_a_fixed_label_and_the_signed_structure_holds_plain_labels(
        self,
    ) -> None:
        """The mark is one of the tool's fixed labels (what the guard reads beside the
        blanked speaker); the journal structure holds the plain labels, as before (the
        rendering marks them from the transcript's own `revised`)."""
        from fredag.journal import revised_segments

        segs = self._segments()
        journal = self._journal(segs)
        lines = [ln for area in journal.areas for ln in area.lines]
        assert {ln.speaker for ln in lines} == {"person 1", "person 2"}
        assert "ändrad" not in journal.model_dump_json()
        tool = tool_lines(_entry(journal, revised_segments(segs)))
        marked = [line for line in tool if "ändrad av enheten" in line]
        assert marked and all(
            line.strip().endswith('… (ändrad av enheten): "…"') for line in marked
        ), marked

    def test_revised_lines_do_not_make_their_speaker_the_one_named_once(self) -> None:
        """Lines that name their speaker anyway (revised, marked) are not counted towards the
        speaker named once above all lines: with only two unrevised lines left, none is."""
        from fredag.journal import revised_segments

        segs = self._segments()
        segs = [
            s.model_copy(update={"speaker": segs[1].speaker}) if i in (2, 3, 4) else s
            for i, s in enumerate(segs)
        ]
        revised = revised_segments(segs)
        assert revised == {0, 1, 2, 3, 4, 7}
        text = render_entry(_entry(self._journal(segs), revised))
        assert "Talare om inget annat anges" not in text
        assert '  [00:50] person 1: "Pappa dricker vin."' in text
        assert text.count("person 2 (ändrad av enheten):") == 5

    def test_marks_are_marked_too(self) -> None:
        """A caseworker's mark at a moment whose label the device revised names the
        speaker marked so under "Markeringar"."""
        from fredag.journal import revised_segments

        segs = self._segments()
        journal = journal_from_findings(segs, [], [], AREAS, marks=[Mark(at=12.0)])
        text = render_entry(_entry(journal, revised_segments(segs)))
        assert (
            "  [00:12] Markerat av handläggaren – person 2 (ändrad av enheten): "
            '"Pappa dricker mycket."' in text
        )


class TestClock:
    def test_minutes_then_hours(self) -> None:
        """Times read mm:ss in the first hour and h:mm:ss after it."""
        assert clock(0) == "00:00" and clock(75.9) == "01:15" and clock(3725) == "1:02:05"
