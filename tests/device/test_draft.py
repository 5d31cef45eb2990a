"""The draft journal entry: schema, evidence, the guard, consent, and the signature."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from device.journal.draft import build_draft, draft_view
from device.journal.guard import check_tool_text
from device.journal.identity import DeviceIdentity
from device.journal.signing import sign_segments
from fredag.errors import ConsentRequired, GuardError, SignatureError, UsageError
from fredag.journal import AreaName, area_group
from fredag.protocol import Mark, ModelInfo, Segment, SignedEnvelope, verify_draft
from tests.device.conftest import KeywordTagger, make_meta
from tests.device.doubles import NullTagger

MODEL = ModelInfo(name="whisper-base", sha256=hashlib.sha256(b"m").hexdigest())
SEGMENTS = [
    Segment(start=1.0, end=4.5, text="Pappa dricker mycket på helgerna."),
    Segment(start=6.0, end=9.0, text="Det har inte förekommit något våld hemma."),
    Segment(start=12.0, end=15.0, text="Farmor hjälper till varje vecka."),
]
TAGGER = KeywordTagger(
    {
        "dricker": ("parental_substance_abuse", "risk", "Förälders missbruk"),
        "våld": ("child_exposed_ipv", "risk", "Barn som upplever våld"),
        "farmor": ("supportive_network", "protective", "Stödjande nätverk"),
    }
)
ENDED = datetime(2026, 11, 20, 13, 45, tzinfo=UTC)


def signed(identity: DeviceIdentity, tagger: object = TAGGER):  # type: ignore[no-untyped-def]
    return sign_segments(
        meta=make_meta(),
        ended_at=ENDED,
        segments=SEGMENTS,
        duration_s=16.0,
        language="sv",
        model=MODEL,
        tagging=tagger.tag_segments(SEGMENTS, "barn"),  # type: ignore[attr-defined]
        identity=identity,
    )


class TestDraftSchema:
    def test_assessment_and_planning_are_empty(self, identity: DeviceIdentity) -> None:
        """Bedömning and Planering exist, are None in the data and empty in the text (their
        headings with nothing under them: the caseworker writes them on the review page)."""
        draft = signed(identity).draft
        assert draft.assessment is None and draft.planning is None
        text = draft.rendered
        assert "\nBedömning\n\nPlanering\n\n" in text

    def test_factors_carry_full_evidence(self, identity: DeviceIdentity) -> None:
        """Each factor has evidence with quote, segment span, times, catalogue and model."""
        draft = signed(identity).draft
        by_slug = {f.factor: f for f in draft.factors}
        assert set(by_slug) == {"parental_substance_abuse", "supportive_network"}
        ev = by_slug["parental_substance_abuse"].evidence[0]
        assert SEGMENTS[ev.segment].text[ev.char_start : ev.char_end] == ev.quote == "dricker"
        assert (ev.start, ev.end) == (1.0, 4.5)
        assert ev.catalogue_version == "test-1" and ev.model == "whisper-base"
        assert by_slug["supportive_network"].kind == "protective"

    def test_denied_factors_are_listed_apart(self, identity: DeviceIdentity) -> None:
        """A denied factor is in `denied`, never in `factors`; the journal quotes the denial
        and names no factor (the factors are tags reviewed on the server, not journal text)."""
        draft = signed(identity).draft
        assert [f.factor for f in draft.denied] == ["child_exposed_ipv"]
        assert "child_exposed_ipv" not in {f.factor for f in draft.factors}
        assert "Förnekat:" in draft.rendered
        assert "Barn som upplever våld" not in draft.rendered
        assert "Faktorer som nämndes" not in draft.rendered

    def test_rendered_header_follows_sosfs(self, identity: DeviceIdentity) -> None:
        """The rendering states date, time, caseworker, case, contact type and who was present."""
        text = signed(identity).draft.rendered
        for expected in (
            "Datum: 2026-11-20, kl. 14:00–14:45",
            "Handläggare: Anna Svensson",
            "Ärende: BoU-2026-0042 (barn och unga)",
            "Kontakttyp: hembesök",
            "Närvarande: mamma, Elias 12 år",
            "Vad som framkom",
            '[00:01] "Pappa dricker mycket på helgerna."',
            "Ordagranna citat ur automatisk transkription (whisper-base); kan innehålla hörfel.",
        ):
            assert expected in text

    def test_json_view_has_top_level_catalogue_version(self, identity: DeviceIdentity) -> None:
        """The --json view adds catalogue_version next to the nested catalogue."""
        view = draft_view(signed(identity).draft)
        assert view["catalogue_version"] == view["catalogue"]["version"] == "test-1"
        assert view["assessment"] is None and view["planning"] is None
        assert view["schema"] == "fredag.draft/2"

    def test_without_catalogue_the_draft_says_so(self, identity: DeviceIdentity) -> None:
        """With no tagger installed the draft is still made, with no factors and no catalogue."""
        draft = signed(identity, NullTagger()).draft
        assert draft.factors == [] and draft.catalogue.version == "ingen-katalog"


class TestGuard:
    def test_intervention_in_tool_text_is_refused(self, identity: DeviceIdentity) -> None:
        """A life-area name that proposes an intervention makes the whole draft be refused."""
        bad = KeywordTagger(
            {"dricker": ("parental_x", "risk", "Testfaktor")},
            areas={"parental_x": AreaName("x_area", "Barnet bör placeras", "Placement", 0)},
        )
        with pytest.raises(GuardError, match="bör placeras"):
            signed(identity, bad)

    def test_assessment_in_tool_text_is_refused(self) -> None:
        """Tool text that states an assessment is refused."""
        with pytest.raises(GuardError):
            check_tool_text(["Bedömning: risken är hög"])
        with pytest.raises(GuardError):
            check_tool_text(["Insats: familjebehandling rekommenderas"])

    def test_quoted_speech_is_not_tool_text(self, identity: DeviceIdentity) -> None:
        """What a person said, even proposing an intervention, is quoted and not refused."""
        said = [Segment(start=0.0, end=3.0, text="Jag tycker att han bör placeras, rekommenderas.")]
        tagger = KeywordTagger({"tycker": ("parental_x", "risk", "Testfaktor")})
        draft = build_draft(
            meta=make_meta(),
            ended_at=ENDED,
            segments=said,
            duration_s=3.0,
            language="sv",
            model=MODEL,
            tagging=tagger.tag_segments(said, "barn"),
            device_key_id=identity.key_id,
        )
        assert "bör placeras" in draft.rendered

    def test_neutral_text_passes(self) -> None:
        """The neutral headings the draft uses pass the guard."""
        check_tool_text(["Vad som framkom", "Bedömning", "(tomt – fylls i av handläggaren)"])

    def test_caseworker_input_is_not_tool_text(self, identity: DeviceIdentity) -> None:
        """What the caseworker typed (contact type, who was present) is theirs, not the tool's."""
        draft = build_draft(
            meta=make_meta(contact_type="uppföljning av insats: stöd", present=("kurator",)),
            ended_at=ENDED,
            segments=SEGMENTS,
            duration_s=16.0,
            language="sv",
            model=MODEL,
            tagging=NullTagger().tag_segments(SEGMENTS, "barn"),
            device_key_id=identity.key_id,
        )
        assert "Kontakttyp: uppföljning av insats: stöd" in draft.rendered


def _enrol_anna(home: Path) -> None:
    """The device at `home` enrolled to user "anna", full name "Anna Lind"."""
    from device.journal.store import Store
    from device.sync.enrollment import Enrollment, save

    save(
        Store(home),
        Enrollment(
            server_url="https://fredag.example",
            device_id=1,
            key_id="a" * 64,
            caseworker="anna",
            caseworker_name="Anna Lind",
            server_key_id="b" * 64,
            server_public_key="c" * 43,
            enrolled_at=ENDED,
        ),
    )


class TestHandlaggare:
    def test_header_names_the_caseworker_the_device_is_enrolled_to(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without --caseworker the draft names the enrolled caseworker (the full name the
        server sent), not the operating-system login; an explicit name still wins."""
        from device import cli

        monkeypatch.setenv("FREDAG_HOME", str(tmp_path))
        monkeypatch.delenv("FREDAG_CASEWORKER", raising=False)
        _enrol_anna(tmp_path)
        assert cli._caseworker(None) == "Anna Lind"
        assert cli._caseworker("Bo Ek") == "Bo Ek"

    def test_the_touch_screen_names_the_same_caseworker(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A meeting started on the touch screen names the enrolled caseworker's full name
        (not their user name), and on a device not enrolled "ej angiven", never the login."""
        from device.views.touch.hub import Hub, Source

        monkeypatch.setenv("FREDAG_HOME", str(tmp_path))
        monkeypatch.delenv("FREDAG_CASEWORKER", raising=False)
        hub = Hub(Source())
        assert hub.caseworker() == "ej angiven"
        _enrol_anna(tmp_path)
        assert hub.caseworker() == "Anna Lind"

    def test_never_the_login_name(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A device not enrolled says the caseworker is not given, never the OS user."""
        from device import cli

        monkeypatch.setenv("FREDAG_HOME", str(tmp_path))
        monkeypatch.delenv("FREDAG_CASEWORKER", raising=False)
        assert cli._caseworker(None) == "ej angiven"


class TestConsent:
    def test_no_consent_no_session(self) -> None:
        """Session metadata without confirmed consent is refused with a clear message."""
        with pytest.raises(ConsentRequired, match="consent"):
            make_meta(consent_confirmed=False)

    def test_bad_case_type_and_ref(self) -> None:
        """An unknown case type or an unsafe case reference is a usage error."""
        with pytest.raises(UsageError):
            make_meta(case_type="familj")
        with pytest.raises(UsageError):
            make_meta(case_ref="a b; drop")


class TestSignature:
    def test_signature_verifies(self, identity: DeviceIdentity) -> None:
        """The envelope verifies with the device's public key and yields the same draft."""
        result = signed(identity)
        again = SignedEnvelope.model_validate_json(result.envelope.model_dump_json())
        assert verify_draft(again, identity.public_key) == result.draft

    def test_changed_payload_fails(self, identity: DeviceIdentity) -> None:
        """An envelope whose payload was swapped for another draft fails verification."""
        one, two = signed(identity).envelope, signed(identity).envelope
        forged = one.model_copy(update={"payload": two.payload})
        with pytest.raises(SignatureError):
            verify_draft(forged, identity.public_key)


SAMPLE = [
    Segment(start=0.0, end=3.0, text="Hur ser det ut med alkohol hemma?"),
    Segment(start=3.0, end=6.0, text="Pappa dricker mycket på helgerna."),
    Segment(start=6.0, end=9.0, text="Vi pratade om vädret en stund."),
    Segment(start=9.0, end=12.0, text="Har det förekommit något våld hemma?"),
    Segment(start=12.0, end=15.0, text="Nej, det har aldrig förekommit något våld."),
    Segment(start=15.0, end=18.0, text="Farmor hjälper oss varje vecka."),
]
_TIME = r"(?:\d+:)?\d\d:\d\d"
QUOTED = re.compile(
    rf"^\s*\[{_TIME}(?:, {_TIME})*\]"
    r"(?: (?:(?:Fråga|Förnekat|Markerat av handläggaren)(?: – (?P<after>[^:\"]+))?"
    r"|(?P<who>[^:\"]+)):)? "
    r'"(.*)"(?: \(osäkert uppfattat\))?$'
)
"""A journal line: its time(s), at most a fixed label and/or a speaker, the quote."""


def _journal_part(rendered: str) -> list[str]:
    return rendered.split("Vad som framkom\n")[1].split("\nBedömning\n")[0].splitlines()


class TestQuoteOnlyJournal:
    def _draft(self, identity: DeviceIdentity, marks: tuple[Mark, ...] = ()):  # type: ignore[no-untyped-def]
        from device.stages.tagging import load_tagger

        tagger = load_tagger()
        return build_draft(
            meta=make_meta(),
            ended_at=ENDED,
            segments=SAMPLE,
            duration_s=18.0,
            language="sv",
            model=MODEL,
            tagging=tagger.tag_segments(SAMPLE, "barn"),
            device_key_id=identity.key_id,
            marks=marks,
        )

    def test_every_non_heading_line_is_a_verbatim_segment(self, identity: DeviceIdentity) -> None:
        """Under "Vad som framkom" every line but an area's name is a time, a fixed label and
        a span of one transcript utterance, character for character."""
        from risk_factors.catalogue import load_catalogue

        draft = self._draft(identity, (Mark(at=7.0),))
        names = [a.name.sv for a in load_catalogue().areas]
        headings = {"Markeringar", *names}
        headings |= {part for name in names for part in area_group(name) if part}
        texts = {s.text for s in SAMPLE}
        lines = [line for line in _journal_part(draft.rendered) if line.strip()]
        assert lines, draft.rendered
        for line in lines:
            if line.strip() in headings:
                continue
            match = QUOTED.match(line)
            assert match is not None, line
            assert any(match.group(3) in text for text in texts), line
        assert "Vi pratade om vädret" in "".join(lines)  # the marked moment, and only it
        assert draft.journal is not None
        for area in draft.journal.areas:
            for ln in area.lines:
                assert ln.segment is not None
                assert ln.text == SAMPLE[ln.segment].text[ln.char_start : ln.char_end]

    def test_with_speakers_and_a_repeat_every_line_is_still_verbatim(
        self, identity: DeviceIdentity
    ) -> None:
        """With speakers and a question and answer heard twice, every line is still times, a
        fixed label or speaker name and a verbatim span; the repeat is one line with both
        times and every evidence quote is in the text."""
        from device.stages.tagging import load_tagger, tag_meeting
        from fredag.protocol import Speaker

        cw = Speaker(role="caseworker", label="handläggare", confidence=1.0)
        mother = Speaker(role="other", label="person 1", confidence=1.0)
        said = [
            seg.model_copy(update={"speaker": cw if i % 3 == 0 else mother})
            for i, seg in enumerate([*SAMPLE, *SAMPLE[:2]])
        ]
        said[-2:] = [
            s.model_copy(update={"start": 20.0 + 3 * i, "end": 23.0 + 3 * i})
            for i, s in enumerate(said[-2:])
        ]
        draft = build_draft(
            meta=make_meta(),
            ended_at=ENDED,
            segments=said,
            duration_s=26.0,
            language="sv",
            model=MODEL,
            tagging=tag_meeting(load_tagger(), said, "barn"),
            device_key_id=identity.key_id,
        )
        lines = [ln for ln in _journal_part(draft.rendered) if ln.strip()]
        texts = {s.text for s in said}
        quoted = [QUOTED.match(ln) for ln in lines if ln.lstrip().startswith("[")]
        assert quoted and all(quoted), lines
        assert all(any(m.group(3) in t for t in texts) for m in quoted if m)
        assert '    [00:03, 00:23] person 1: "Pappa dricker mycket på helgerna."' in lines
        journal = "\n".join(lines)
        for finding in draft.factors + draft.denied:
            for ev in finding.evidence:
                assert ev.quote in journal, ev.quote

    def test_a_label_the_device_revised_is_marked_and_every_line_still_verbatim(
        self, identity: DeviceIdentity
    ) -> None:
        """Where the device changed a speaker's label with hindsight, the quote lines name
        that speaker marked "(ändrad av enheten)", the one thing besides times, fixed labels
        and speaker names on a line; every quote is still a verbatim span, and the signed
        structure holds the plain label."""
        from device.stages.tagging import load_tagger, tag_meeting
        from fredag.protocol import Speaker

        cw = Speaker(role="caseworker", label="handläggare", confidence=1.0)
        mother = Speaker(role="other", label="person 1", confidence=1.0)
        father = Speaker(role="other", label="person 2", confidence=0.6, revised=True)
        said = [
            seg.model_copy(update={"speaker": cw if i % 3 == 0 else father if i == 1 else mother})
            for i, seg in enumerate(SAMPLE)
        ]
        draft = build_draft(
            meta=make_meta(),
            ended_at=ENDED,
            segments=said,
            duration_s=18.0,
            language="sv",
            model=MODEL,
            tagging=tag_meeting(load_tagger(), said, "barn"),
            device_key_id=identity.key_id,
        )
        lines = [ln for ln in _journal_part(draft.rendered) if ln.strip()]
        quoted = [QUOTED.match(ln) for ln in lines if ln.lstrip().startswith("[")]
        assert quoted and all(quoted), lines
        names = {"handläggare", "person 1", "person 2"}
        names |= {f"{n} (ändrad av enheten)" for n in names}
        for m in quoted:
            assert m is not None and any(m.group(3) in s.text for s in said)
            assert (m.group("who") or m.group("after") or "handläggare") in names, m.group(0)
        assert '[00:03] person 2 (ändrad av enheten): "Pappa dricker mycket på helgerna."' in (
            draft.rendered
        )
        assert draft.journal is not None
        line = next(ln for a in draft.journal.areas for ln in a.lines if ln.segment == 1)
        assert line.speaker == "person 2" and line.text == said[1].text

    def test_areas_questions_and_denials(self, identity: DeviceIdentity) -> None:
        """Each factor's utterance sits under its life area with the question it answers; a
        denial is its own line; an area without evidence has no heading."""
        draft = self._draft(identity)
        assert draft.journal is not None
        by_area = {a.area: a for a in draft.journal.areas}
        family = by_area["bbic_familjens_bakgrund"]
        assert [ln.text for ln in family.lines] == ["Pappa dricker mycket på helgerna."]
        assert family.lines[0].question is None  # "Pappa dricker …" reads without its question
        denied = [ln for a in draft.journal.areas for ln in a.lines if ln.kind == "denied"]
        assert [ln.text for ln in denied] == ["Nej, det har aldrig förekommit något våld."]
        question = denied[0].question  # the tagger read the no with its question: it stays
        assert question is not None and question.text == "Har det förekommit något våld hemma?"
        assert '[00:12] Förnekat: "Nej, det har aldrig förekommit något våld."' in draft.rendered
        assert "Utbildning" not in draft.rendered
        assert "Vi pratade om vädret" not in draft.rendered
        assert all(f.area for f in draft.factors + draft.denied)

    def test_all_evidence_quotes_are_in_the_journal(self, identity: DeviceIdentity) -> None:
        """Every evidence quote of every factor and denial is in the journal text."""
        draft = self._draft(identity)
        journal = "\n".join(_journal_part(draft.rendered))
        for finding in draft.factors + draft.denied:
            for ev in finding.evidence:
                assert ev.quote in journal, ev.quote

    def test_told_as_over_is_a_plain_line_not_a_denial(self, identity: DeviceIdentity) -> None:
        """What the tagger reads as told past and over without being asked is quoted in the
        journal without "Förnekat" and is not listed as denied; asked, it is a denial."""
        from device.stages.tagging import FoundTag, Tagging

        said = [
            Segment(start=0.0, end=3.0, text="Hur är det med alkohol i familjen?"),
            Segment(start=3.0, end=6.0, text="Pappan drack mycket förut, men han har slutat."),
        ]
        over = FoundTag(
            factor="parental_substance_abuse",
            kind="risk",
            name_sv="Förälders missbruk",
            quote="Pappan drack",
            segment=1,
            char_start=0,
            char_end=12,
            start=3.0,
            end=6.0,
            confidence=0.9,
            reason="resolved",
        )

        def draft(tag: FoundTag):  # type: ignore[no-untyped-def]
            return build_draft(
                meta=make_meta(),
                ended_at=ENDED,
                segments=said,
                duration_s=6.0,
                language="sv",
                model=MODEL,
                tagging=Tagging((), (tag,), "test-1", "0" * 64),
                device_key_id=identity.key_id,
            )

        told = draft(over)
        assert told.denied == [] and told.journal is not None
        assert [ln.kind for a in told.journal.areas for ln in a.lines] == ["over"]
        assert '[00:03] "Pappan drack mycket förut, men han har slutat."' in told.rendered
        assert "Förnekat" not in told.rendered
        asked = draft(replace(over, asked=True))
        assert [f.factor for f in asked.denied] == ["parental_substance_abuse"]
        assert '[00:03] Förnekat: "Pappan drack' in asked.rendered


class TestWithTheRealTagger:
    def test_real_tagger_evidence_points_into_segments(self, identity: DeviceIdentity) -> None:
        """With risk_factors' tagger, each quote sits at its span in its segment, with times."""
        from device.stages.tagging import load_tagger

        draft = signed(identity, load_tagger()).draft
        assert draft.catalogue.version != "ingen-katalog"
        found = {f.factor for f in draft.factors}
        assert "supportive_network" in found or "parental_substance_abuse" in found, found
        for finding in draft.factors + draft.denied:
            for ev in finding.evidence:
                seg = SEGMENTS[ev.segment]
                assert seg.text[ev.char_start : ev.char_end] in ev.quote
                assert (ev.start, ev.end) == (seg.start, seg.end)
                assert ev.catalogue_version == draft.catalogue.version

    def test_told_as_over_is_quoted_without_denied(self, identity: DeviceIdentity) -> None:
        """With the real tagger, "Pappan drack mycket förut, men han har slutat" after the
        caseworker's question is quoted under its area as said, not as "Förnekat", and is not
        listed as denied."""
        from device.stages.tagging import load_tagger, tag_meeting
        from fredag.protocol import Speaker

        cw = Speaker(role="caseworker", label="handläggare", confidence=1.0)
        mother = Speaker(role="other", label="person 1", confidence=1.0)
        said = [
            Segment(start=0.0, end=3.0, text="Hur är det med alkohol i familjen?", speaker=cw),
            Segment(
                start=3.0,
                end=7.0,
                text="Pappan drack mycket förut, men han säger att han har slutat.",
                speaker=mother,
            ),
        ]
        draft = build_draft(
            meta=make_meta(),
            ended_at=ENDED,
            segments=said,
            duration_s=7.0,
            language="sv",
            model=MODEL,
            tagging=tag_meeting(load_tagger(), said, "barn"),
            device_key_id=identity.key_id,
        )
        assert draft.denied == [] and draft.journal is not None
        lines = [ln for a in draft.journal.areas for ln in a.lines]
        assert [ln.kind for ln in lines] == ["over"]
        assert '[00:03] person 1: "Pappan drack mycket förut' in draft.rendered
        assert "Förnekat" not in draft.rendered
