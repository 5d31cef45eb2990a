"""The web view's pure parts: evidence highlighting, the composed entry, text and PDF export."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fredag.protocol import Evidence, Segment
from server.web.entry import compose, locked_section_changed
from server.web.export import AddendumOut, ExportEntry, as_pdf, as_text
from server.web.highlight import transcript_html
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


class TestCompose:
    DRAFT = (
        "JOURNALANTECKNING – UTKAST (ej godkänd)\n\nVad som framkom\n[00:00] Hej.\n\n"
        "Faktorer som nämndes (faktorkatalog 1)\nRiskfaktorer:\n  – X (x)\n\n"
        "Bedömning\n(tomt – fylls i av handläggaren)\n\n"
        "Planering\n(tomt – fylls i av handläggaren)\n\nTranskriberat på enheten.\n"
    )

    def test_fills_sections_and_leaves_out_rejected_tags(self) -> None:
        """The entry gets the reviewed factors, Bedömning and Planering in the device's places."""
        groups = FactorGroups(
            risk=[
                _factor("kept", "risk", _evidence("a", 0)),
                _factor("gone", "risk", _evidence("b", 0), status="rejected"),
            ],
            protective=[],
            denied=[],
        )
        text = compose(self.DRAFT, groups, "1", "Min bedömning.", "Min planering.")
        assert text.startswith("JOURNALANTECKNING\n")
        assert "Kept (kept)" in text and "gone" not in text
        assert "Bedömning\nMin bedömning.\n\nPlanering\nMin planering.\n" in text
        assert "(tomt" not in text
        assert text.rstrip().endswith("Transkriberat på enheten.")

    def test_appends_sections_when_headings_were_edited_away(self) -> None:
        """A text without the device's headings gets the sections appended, nothing lost."""
        groups = FactorGroups(risk=[], protective=[], denied=[])
        text = compose("Egen text.\n", groups, "1", "", "Ses igen.")
        assert text.startswith("Egen text.\n")
        assert "Bedömning\n(ej ifyllt)" in text and "Planering\nSes igen." in text


class TestLockedFactorSection:
    DRAFT = TestCompose.DRAFT

    def test_edits_elsewhere_pass_and_edits_in_the_factor_section_are_caught(self) -> None:
        """Changing the text around the factor section, or rewriting all of it, is allowed; a
        word typed inside it, a removed factor line or a removed Bedömning heading is caught."""
        around = self.DRAFT.replace("[00:00] Hej.", "[00:00] Hej, sa mamma.") + "Egen rad.\n"
        assert not locked_section_changed(self.DRAFT, around)
        assert not locked_section_changed(self.DRAFT, self.DRAFT.replace("\n\n", "\n  \n"))
        typed = self.DRAFT.replace("  – X (x)\n", "  – X (x)\n  Min rad.\n")
        assert locked_section_changed(self.DRAFT, typed)
        assert locked_section_changed(self.DRAFT, self.DRAFT.replace("  – X (x)\n", ""))
        no_heading = self.DRAFT.replace("Bedömning\n", "")
        assert locked_section_changed(self.DRAFT, no_heading)
        assert not locked_section_changed(self.DRAFT, "Helt omskriven text.\n")
        assert not locked_section_changed("Egen text.\n", "Annan text.\n")


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
