"""The web view's pure parts: evidence highlighting, the composed entry, text and PDF export."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fredag.journal import quote_line
from fredag.protocol import Evidence, Journal, JournalLine, Segment
from server.web import lines, speakers
from server.web.content import Content, dump, load, original_journal
from server.web.entry import compose
from server.web.export import AddendumOut, ExportEntry, as_pdf, as_text
from server.web.highlight import transcript_html
from server.web.lines import AreaChoice
from server.web.view import FactorGroups, FactorView


def _evidence(quote: str, start: int, segment: int = 0) -> Evidence:
    return Evidence(
        quote=quote,
        segment=segment,
        char_start=start,
        char_end=start + len(quote),
        start=6.0,
        end=11.0,
        confidence=0.9,
        catalogue_version="2026.11-1",
        model="whisper",
    )


def _factor(slug: str, group: str, *evidence: Evidence, status: str = "unreviewed") -> FactorView:
    view = FactorView(slug, group, group, slug.title(), "", (), status=status)
    for ev in evidence:
        view.add(ev)
    return view


class TestHighlight:
    def test_overlapping_quotes_share_marks(self) -> None:
        """Overlapping quotes of two factors split into marks carrying both factor keys."""
        text = "pappa dricker mycket"
        html = transcript_html(
            [Segment(start=0, end=5, text=text)],
            [
                _factor("a", "risk", _evidence("pappa dricker", 0)),
                _factor("b", "risk", _evidence("dricker mycket", 6)),
            ],
        )
        assert '<mark class="ev" data-f="risk-a" id="ev-risk-a-0">pappa </mark>' in html
        assert 'data-f="risk-a risk-b" id="ev-risk-b-0">dricker</mark>' in html
        assert '<mark class="ev" data-f="risk-b"> mycket</mark>' in html

    def test_markup_is_escaped_and_stale_offsets_are_found_again(self) -> None:
        """Transcript markup is escaped, and a quote whose offsets are off is located by text."""
        text = "<b>hej</b> & pappa dricker"
        html = transcript_html(
            [Segment(start=0, end=5, text=text)],
            [_factor("a", "risk", _evidence("pappa dricker", 0))],
        )
        assert "&lt;b&gt;hej&lt;/b&gt; &amp; " in html
        assert ">pappa dricker</mark>" in html
        assert "<b>" not in html

    def test_a_label_the_device_revised_is_marked(self) -> None:
        """A speaker label the device changed with hindsight shows "(ändrad av enheten)" on
        the review page and in the attachment; a plain or corrected one does not."""
        from fredag.journal import attachment_lines
        from fredag.protocol import Speaker

        plain = Speaker(role="other", label="person 1", confidence=0.9)
        revised = plain.model_copy(update={"label": "person 2", "revised": True})
        segments = [
            Segment(start=0, end=2, text="Nej.", speaker=plain),
            Segment(start=2, end=4, text="Ja.", speaker=revised),
        ]
        html = transcript_html(segments, [])
        assert 'person 2 <span class="revised">(ändrad av enheten)</span>:</span>' in html
        assert html.count("ändrad av enheten") == 1
        assert attachment_lines(segments)[1:] == [
            "[00:00] person 1: Nej.",
            "[00:02] person 2 (ändrad av enheten): Ja.",
        ]


@functools.lru_cache(maxsize=3)
def _doc(old: bool = False, **draft: Any) -> Any:
    """A meeting's draft by `tests.web.meeting.meeting_draft` (`draft`: its other options)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from risk_factors.catalogue import load_catalogue
    from tests.web.meeting import meeting_draft

    catalogue = load_catalogue().model_dump(mode="json")
    return meeting_draft(Ed25519PrivateKey.generate(), catalogue, old=old, **draft)


def _groups(doc: Any) -> FactorGroups:
    from server.web.view import factor_groups

    return factor_groups(doc, [], None)


AREAS = [AreaChoice("bbic_stabilitet", "Föräldrarnas förmåga: stabilitet", "Stability")]


def _area_with(line: JournalLine) -> Any:
    """AREAS[0] as a journal area holding `line`."""
    from fredag.protocol import JournalArea

    first = AREAS[0]
    return JournalArea(area=first.slug, name_sv=first.name_sv, name_en=first.name_en, lines=[line])


class TestCompose:
    def test_entry_from_structure_with_reviewed_factors(self) -> None:
        """The approved text is rendered from the journal: life areas with quotes, what the
        caseworker wrote, the enrolled caseworker; the factors (reviewed as tags) are not
        journal text."""
        doc = _doc()
        groups = _groups(doc)
        groups.risk[0].status = "rejected"
        rejected = groups.risk[0].name
        text = compose(
            doc,
            Content(original_journal(doc)),
            groups,
            "Min bedömning.",
            "Min planering.",
            caseworker="Anna Lind (enrolled)",
        )
        assert text.startswith("JOURNALANTECKNING\n")
        assert "Handläggare: Anna Lind (enrolled)" in text
        assert "Bedömning\nMin bedömning.\n\nPlanering\nMin planering.\n" in text
        assert "(tomt" not in text and "Faktorer som nämndes" not in text
        assert rejected not in text and groups.risk[1].name not in text
        assert '"Mamma berättar att pappa dricker mycket på helgerna' in text
        assert "Vi bestämmer att vi ses igen" not in text  # no evidence: not journal text

    def test_a_label_the_device_revised_is_marked_before_and_after_renaming(self) -> None:
        """A quote whose speaker label the device changed with hindsight is marked in the
        entry text and the versions page's text, and still after the caseworker renames the
        speaker; the signed journal keeps the device's plain label."""
        from server.web.entry import journal_text

        doc = _doc(speakers=("handläggare", "person 1"), revised=frozenset({1}))
        said = '"Mamma berättar att pappa dricker mycket på helgerna'
        assert f"person 1 (ändrad av enheten): {said}" in doc.rendered
        journal = original_journal(doc)
        text = compose(doc, Content(journal), _groups(doc), "", "")
        assert f"person 1 (ändrad av enheten): {said}" in text
        renamed = Content(journal, names={"person 1": "mamma"})
        text = compose(doc, renamed, _groups(doc), "", "")
        assert f"mamma (ändrad av enheten): {said}" in text and "person 1" not in text
        assert f"mamma (ändrad av enheten): {said}" in journal_text(renamed, doc)
        assert doc.journal is not None
        assert "person 1" in [q.speaker for q in speakers.quotes(doc.journal)]

    def test_old_draft_without_areas_still_composes(self) -> None:
        """A fredag.draft/1 draft (no journal, no areas) shows its whole transcript as lines."""
        doc = _doc(old=True)
        assert doc.schema_ == "fredag.draft/1" and doc.journal is None
        text = compose(doc, Content(original_journal(doc)), _groups(doc), "", "")
        assert '[00:30] "Vi bestämmer att vi ses igen om två veckor."' in text
        assert "Bedömning\n(ej ifyllt)" in text
        as_text(ExportEntry(text, doc.meeting.case_ref, datetime.now(UTC), "Anna Lind"))

    def test_old_plain_text_version_is_kept_with_sections_appended(self) -> None:
        """A version saved as plain text before structure is kept as written, nothing lost."""
        doc = _doc(old=True)
        text = compose(doc, load("Egen text.\n"), _groups(doc), "", "Ses igen.")
        assert text.startswith("Egen text.\n")
        assert "Bedömning\n(ej ifyllt)" in text and "Planering\nSes igen." in text


class TestLineOperations:
    def test_edit_drop_move_and_pull(self) -> None:
        """Each operation gives a new journal; the old one is unchanged; empty areas vanish."""
        doc = _doc()
        journal = original_journal(doc)
        segments = doc.transcript.segments
        key = journal.areas[0].area or ""
        order = [a.slug for a in AREAS]
        edited = lines.edit(journal, key, 0, "Mamma berättar.", segments)
        assert (
            edited.areas[0].lines[0].text == "Mamma berättar." and edited.areas[0].lines[0].edited
        )
        assert journal.areas[0].lines[0].edited is False
        pulled = lines.pull(journal, 5, segments, AREAS[0], order)
        stab = next(a for a in pulled.areas if a.area == "bbic_stabilitet")
        assert segments[5].text in [ln.text for ln in stab.lines]
        moved = lines.move(journal, key, 0, AREAS[0], order)
        assert journal.areas[0].lines[0].text in [
            ln.text for a in moved.areas if a.area == "bbic_stabilitet" for ln in a.lines
        ]
        only = Journal(
            areas=[journal.areas[0].model_copy(update={"lines": journal.areas[0].lines[:1]})]
        )
        assert lines.drop(only, key, 0).areas == []
        with pytest.raises(lines.LineError):
            lines.drop(journal, key, 99)

    def test_a_line_pulled_twice_into_one_area_is_there_once(self) -> None:
        """A transcript line pulled into an area that has it word for word is refused; into
        another area, or after its words there were edited, it comes in."""
        doc = _doc()
        segments = doc.transcript.segments
        order = [a.slug for a in AREAS]
        once = lines.pull(original_journal(doc), 5, segments, AREAS[0], order)
        with pytest.raises(lines.AlreadyThere):
            lines.pull(once, 5, segments, AREAS[0], order)
        other = AreaChoice("bbic_halsa", "Barnets behov: hälsa", "Health")
        assert lines.pull(once, 5, segments, other, order) != once
        edited = lines.edit(once, AREAS[0].slug, 0, "Vi ses.", segments)
        again = lines.pull(edited, 5, segments, AREAS[0], order)
        assert [ln.text for a in again.areas if a.area == AREAS[0].slug for ln in a.lines] == [
            "Vi ses.",
            segments[5].text,
        ]

    def test_a_line_moved_to_an_area_quoting_the_same_words_is_there_once(self) -> None:
        """Moving a line into an area that quotes the same words of the same utterance leaves
        that area's line alone and the moved one goes: the words are there once."""
        doc = _doc()
        segments = doc.transcript.segments
        order = [a.slug for a in AREAS]
        journal = original_journal(doc)
        key = journal.areas[0].area or ""
        first = journal.areas[0].lines[0]
        assert first.segment is not None
        both = lines.pull(journal, first.segment, segments, AREAS[0], order)
        moved = lines.move(both, key, 0, AREAS[0], order)
        quoted = [(ln.segment, ln.text) for a in moved.areas for ln in a.lines]
        assert quoted.count((first.segment, first.text)) == 1
        assert len(quoted) == len([ln for a in both.areas for ln in a.lines]) - 1

    def test_a_line_quoting_one_sentence_saved_as_it_was_is_not_edited(self) -> None:
        """A line quoting one sentence of a longer utterance, saved with its own words (or
        edited and given them back), is not marked edited; other words are."""
        segments = [Segment(start=0, end=5, text="Hej då. Pappa dricker mycket.")]
        line = JournalLine(segment=0, char_start=8, start=0.0, text="Pappa dricker mycket.")
        journal = Journal(areas=[_area_with(line)])
        key = AREAS[0].slug
        same = lines.edit(journal, key, 0, " Pappa dricker mycket.\r\n", segments)
        assert same == journal
        other = lines.edit(journal, key, 0, "Pappa dricker.", segments)
        assert other.areas[0].lines[0].edited
        back = lines.edit(other, key, 0, "Pappa dricker mycket.", segments)
        assert not back.areas[0].lines[0].edited

    def test_a_line_edited_to_nothing_is_refused_as_empty(self) -> None:
        """Saving a line with its words removed is refused as an empty line (dropping is how
        a line goes), not as a line that no longer exists."""
        doc = _doc()
        journal = original_journal(doc)
        key = journal.areas[0].area or ""
        with pytest.raises(lines.EmptyLine):
            lines.edit(journal, key, 0, " \r\n ", doc.transcript.segments)

    def test_content_round_trips(self) -> None:
        """A version body is the journal and its speaker names as JSON and loads back the
        same; a body without names (fredag.entry/1) loads with none stored."""
        journal = original_journal(_doc())
        assert load(dump(journal)).journal == journal
        assert load(dump(journal)).names == {}
        stored = load(dump(journal, {"person 1": "mamma"}))
        assert (stored.journal, stored.names) == (journal, {"person 1": "mamma"})
        old = '{"format":"fredag.entry/1","journal":' + journal.model_dump_json() + "}"
        assert load(old).journal == journal and load(old).names is None
        bad = dump(journal, {"person 1": "mamma"}).replace('"mamma"', "1")
        assert load(bad).journal is None  # not the format: shown as the text it is


def _quote_speakers(journal: Journal) -> list[str | None]:
    return [q.speaker for q in speakers.quotes(journal)]


class TestSpeakerNames:
    """The caseworker's names for the device's labels, stored with each text version."""

    DOC = staticmethod(lambda: _doc(speakers=("handläggare", "person 1"), revised=frozenset({1})))

    def test_names_show_on_every_quote_and_the_journal_keeps_the_labels(self) -> None:
        """A stored name shows on every line, question and referent of that label; the
        stored journal keeps the device's labels and other speakers are unchanged."""
        journal = original_journal(_doc())
        first = journal.areas[0].lines[0]
        question = JournalLine(segment=None, start=0.0, text="", speaker="person 1")
        said = first.model_copy(update={"speaker": "person 1", "question": question})
        other = first.model_copy(update={"speaker": "handläggare", "referents": [question]})
        area = journal.areas[0].model_copy(update={"lines": [said, other]})
        journal = journal.model_copy(update={"areas": [area]})
        version = speakers.Named(journal, {"person 1": "mamma"})
        shown = version.shown().areas[0].lines
        assert [ln.speaker for ln in shown] == ["mamma", "handläggare"]
        assert shown[0].question is not None and shown[0].question.speaker == "mamma"
        assert shown[1].referents[0].speaker == "mamma"
        assert _quote_speakers(journal) == ["person 1", "person 1", "person 1", "handläggare"]
        assert 'mamma: "' in quote_line(shown[0])

    def test_a_name_holds_when_every_line_of_the_speaker_is_dropped(self) -> None:
        """After 'person 1' → 'mamma' and every line of person 1 dropped, the version still
        names person 1 'mamma': the transcript, its filter and the attachment say so, and a
        line pulled back comes in as 'mamma' (this was lost when names were read from the
        quotes); the signed transcript keeps the device's label."""
        from fredag.journal import attachment_lines
        from server.web.highlight import transcript_html, transcript_speakers

        doc = self.DOC()
        segments = doc.transcript.segments
        start = speakers.named(Content(original_journal(doc), names={}), segments)
        assert start is not None
        names = speakers.rename(start, segments, "person 1", "mamma")
        journal = start.journal
        for key in ("bbic_familj_relationer", "bbic_familjens_bakgrund"):
            journal = lines.drop(journal, key, 0)
        assert "person 1" not in _quote_speakers(journal)
        version = speakers.named(load(dump(journal, names)), segments)
        assert version is not None and version.names == {"person 1": "mamma"}
        assert transcript_speakers(segments, version.names) == ["handläggare", "mamma"]
        html = transcript_html(segments, [], names=version.names)
        assert 'data-speaker="mamma"' in html and "person 1" not in html
        assert 'mamma <span class="revised">(ändrad av enheten)</span>' in html
        english = transcript_html(segments, [], names=version.names, lang="en")
        assert 'mamma <span class="revised">(changed by the device)</span>' in english
        attached = attachment_lines(segments, names=version.names)
        assert "[00:06] mamma (ändrad av enheten): Mamma berättar" in attached[2]
        assert not any("person 1" in x for x in attached)
        pulled = lines.pull(version.journal, 5, segments, AREAS[0], [a.slug for a in AREAS])
        assert "person 1" in _quote_speakers(pulled)  # stored: the device's label
        shown = speakers.Named(pulled, version.names).shown()
        assert sorted(map(str, _quote_speakers(shown))) == ["handläggare", "mamma"]
        assert segments[5].speaker is not None and segments[5].speaker.label == "person 1"

    def test_an_earlier_version_shows_the_names_it_had(self) -> None:
        """Each version keeps its own names: version 1 'mamma', version 2 'mor' and version 3
        back to the device's label each show theirs."""
        from server.web.entry import journal_text

        doc = self.DOC()
        segments = doc.transcript.segments
        v0 = speakers.Named(original_journal(doc))
        v1 = speakers.Named(v0.journal, speakers.rename(v0, segments, "person 1", "mamma"))
        v2 = speakers.Named(v1.journal, speakers.rename(v1, segments, "mamma", "mor"))
        v3 = speakers.Named(v2.journal, speakers.rename(v2, segments, "person 1", "Person 1"))
        assert (v1.names, v2.names, v3.names) == ({"person 1": "mamma"}, {"person 1": "mor"}, {})
        texts = [journal_text(load(dump(v.journal, v.names)), doc) for v in (v1, v2, v3)]
        assert "mamma (ändrad av enheten):" in texts[0] and "mor" not in texts[0]
        assert "mor (ändrad av enheten):" in texts[1] and "mamma (" not in texts[1]
        assert "person 1 (ändrad av enheten):" in texts[2]

    def test_a_version_saved_before_names_were_stored_shows_as_it_did(self) -> None:
        """A fredag.entry/1 version whose quotes carry the new name shows and composes the
        same; its names are read back from the quotes and its quotes get their labels back,
        so a further change stores them."""
        doc = self.DOC()
        segments = doc.transcript.segments
        journal = original_journal(doc)
        written = speakers.map_speakers(
            journal, lambda q: "mamma" if q.speaker == "person 1" else q.speaker
        )
        body = '{"format":"fredag.entry/1","journal":' + written.model_dump_json() + "}"
        old = load(body)
        version = speakers.named(old, segments)
        assert version is not None and version.names == {"person 1": "mamma"}
        assert version.journal == journal and version.shown() == written
        stored = compose(doc, Content(written, names={}), _groups(doc), "", "")
        assert compose(doc, old, _groups(doc), "", "") == stored

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ("person 1", "   ", "speaker_name_empty"),
            ("person 1", "Handläggare", "speaker_name_caseworker"),
            ("person 1", "handläggaren", "speaker_name_caseworker"),
            ("person 1", "Person 2", "speaker_name_label"),
            ("person 1", "x" * 201, "speaker_name_long"),
            ("handläggare", "Anna", "speaker_caseworker_own"),
            ("person 9", "pappa", "speaker_unknown"),
        ],
    )
    def test_a_name_she_cannot_give_is_refused_with_its_reason(
        self, old: str, new: str, key: str
    ) -> None:
        """An empty name, the caseworker's own label, another voice's device label, a too
        long name, renaming her own voice or an unknown speaker are refused, each with its
        own reason."""
        doc = _doc(speakers=("handläggare", "person 1", "person 2"))
        version = speakers.Named(original_journal(doc))
        with pytest.raises(speakers.NameRefused) as refused:
            speakers.rename(version, doc.transcript.segments, old, new)
        assert refused.value.key == key

    def test_two_labels_may_share_a_name_and_be_told_apart_again(self) -> None:
        """Two voices the device heard for one person both named 'mamma' show so; renaming
        one again separates them, since each label keeps its own name; spaces are tidied."""
        doc = _doc(speakers=("handläggare", "person 1", "person 2"))
        segments = doc.transcript.segments
        v = speakers.Named(original_journal(doc))
        v = speakers.Named(v.journal, speakers.rename(v, segments, "person 1", " mamma "))
        v = speakers.Named(v.journal, speakers.rename(v, segments, "person 2", "mamma"))
        assert v.names == {"person 1": "mamma", "person 2": "mamma"}
        assert speakers.labels(v.journal, segments) == ["person 1", "person 2"]
        v = speakers.Named(v.journal, speakers.rename(v, segments, "person 2", "moster"))
        assert v.names == {"person 1": "mamma", "person 2": "moster"}


class TestExport:
    ENTRY = ExportEntry(
        text='JOURNALANTECKNING\n\nVad som framkom\tå ä ö – "citat"  \n',
        case_ref="BoU-1",
        approved_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC),
        approved_by="Anna Lind",
        addenda=[AddendumOut(datetime(2026, 11, 23, 8, 30, tzinfo=UTC), "Anna Lind", "Tillägg.")],
    )

    def test_text_is_crlf_without_tabs_or_trailing_spaces(self) -> None:
        """The text export uses CRLF, no tabs, no trailing spaces, approval and addenda last."""
        text = as_text(self.ENTRY)
        lines = text.split("\r\n")
        assert "\t" not in text and all(line == line.rstrip() for line in lines)
        assert "\n" not in text.replace("\r\n", "")
        assert "Godkänd av Anna Lind 2026-11-22 13:00" in lines
        assert lines[-3:] == ["Tillägg 2026-11-23 09:30, Anna Lind", "Tillägg.", ""]

    def test_pdf_embeds_a_unicode_font(self) -> None:
        """The PDF export embeds DejaVu Sans with a Unicode map so å, ä and ö print."""
        pdf = as_pdf(self.ENTRY)
        assert pdf.startswith(b"%PDF-") and b"DejaVu" in pdf and b"/ToUnicode" in pdf


class TestCatalogueProblems:
    def test_each_problem_is_one_item_in_swedish_with_english_available(self) -> None:
        """A missing contract slug and prescribing text are two problems (not four pieces
        split at '; '), each in Swedish for the admin page and in English on request."""
        from risk_factors.catalogue import load_catalogue
        from server.web.catalogue_edit import in_language, validation_problems

        body = load_catalogue().model_dump(mode="json")
        body["factors"] = [f for f in body["factors"] if f["slug"] != "truancy"]
        body["factors"][0]["description"] = "Barnet bör placeras på ett behandlingshem."
        problems = validation_problems(body)
        assert len(problems) == 2
        swedish = in_language(problems, "sv")
        assert any("saknas i katalogen" in p and "'truancy'" in p for p in swedish)
        assert any("föreskriver aldrig" in p for p in swedish)
        english = in_language(problems, "en")
        assert any("never removed or renamed; set 'retired: true'" in p for p in english)


class TestErrorPages:
    def test_unexpected_error_is_a_swedish_page_without_trace(self, tmp_path: Path) -> None:
        """An unexpected exception outside /api answers with a Swedish 500 page, no traceback."""
        from fastapi.testclient import TestClient

        from server.app import create_app
        from server.config import load_settings
        from server.migrate import upgrade

        url = f"sqlite:///{tmp_path / 'fredag.db'}"
        upgrade(url)
        app = create_app(load_settings(database_url=url, env="development"))

        @app.get("/trasig")
        def broken() -> None:
            raise RuntimeError("secret internal detail")

        with TestClient(app, raise_server_exceptions=False) as client:
            page = client.get("/trasig")
            api = client.get("/api/v1/drafts")
        assert page.status_code == 500
        assert "Ett oväntat fel uppstod" in page.text
        assert "secret internal detail" not in page.text and "Traceback" not in page.text
        assert page.headers["content-type"].startswith("text/html")
        assert api.status_code == 401 and api.json()["code"] == "not_authenticated"
