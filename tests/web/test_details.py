"""The smaller things a caseworker notices on the draft page (issue 17): which text is edited
and which is approved, "Sparat." where you look, no hint to add factors once approved, no CSP
errors from HTMX swaps, a favicon, the phone layout and the inbox's case filter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.server.harness import ServerProcess
from tests.web.conftest import Person, current_catalogue, login, review_all, screenshot, upload
from tests.web.meeting import meeting_draft

pytestmark = pytest.mark.browser


def _errors(page: Any) -> list[str]:
    """Every console error and uncaught page error from now on (CSP violations included)."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


def _background(page: Any, selector: str) -> str:
    return str(page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor"))


class TestDraftPage:
    def test_save_approve_and_swap_read_clearly(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """The editable draft and the text to approve look different, a quote not in the
        transcript is refused beside its form with the input kept, "Sparat." shows in the
        saved section, HTMX swaps raise no CSP errors, and the hint to mark words to add a
        factor goes away once approved; the favicon exists; the inbox filter takes a prefix."""
        errors = _errors(page)
        draft_id = upload(anna, meeting_draft(anna.device.key, current_catalogue(web_server)))
        login(page, anna.username)
        page.goto("/inkorg?arende=bou-2026")  # any case, prefix in other letters' case
        expect(page.locator(f'a[href="/utkast/{draft_id}"]')).to_be_visible()
        page.locator(f'a[href="/utkast/{draft_id}"]').click()

        expect(page.locator("#text-h")).to_contain_text("utkast du redigerar")
        expect(page.locator("#prev-h")).to_have_text("Journaltext att godkänna")
        assert _background(page, "#text") != _background(page, "#preview")
        assert _background(page, "#journal .jtext") != _background(page, "#preview-text")
        expect(page.locator(".transcript .help")).to_contain_text("Markera ord")

        # A quote that is not in the passage: the message beside the form, the input kept.
        page.locator("#add-quote").fill("katten sover i fönstret")
        page.locator("#add-factor-slug").select_option("stable_economy")
        page.get_by_role("button", name="Lägg till faktor").click()
        expect(page.locator("#add-factor #error-add")).to_contain_text("Citatet finns inte")
        expect(page.locator("#add-quote")).to_have_value("katten sover i fönstret")
        expect(page.locator("#add-factor-slug")).to_have_value("stable_economy")
        page.wait_for_url(lambda url: url.endswith(f"/utkast/{draft_id}"))

        review_all(page)  # HTMX swaps of the review region
        line = page.locator("#journal li.jline").first
        line.locator("textarea").fill("Mamma berättar att pappa dricker mycket på helgerna.")
        line.get_by_role("button", name="Spara raden").click()
        expect(page.locator("#saved-text")).to_have_text("Sparat.")
        expect(page.locator("#saved-text")).to_be_in_viewport()

        page.get_by_label("Jag har läst texten och godkänner den som journalanteckning.").check()
        page.get_by_role("button", name="Godkänn journalanteckning").click()
        expect(page.locator("#saved-godkand")).to_be_in_viewport()
        expect(page.locator(".transcript .help")).not_to_contain_text("Markera ord")
        expect(page.locator("#add-factor")).to_have_count(0)

        icon = page.request.get("/favicon.ico")
        assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
        refused_form = "the server responded with a status of 422"  # the quote, on purpose
        assert [e for e in errors if refused_form not in e] == [], errors

    def test_nobody_entered_as_present_reads_not_given(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """A meeting with nobody entered as present says "ej angivet" under Närvarande on the
        page, as the journal text does, not an empty field."""
        catalogue = current_catalogue(web_server)
        draft_id = upload(anna, meeting_draft(anna.device.key, catalogue, present=()))
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        expect(page.locator("#present")).to_have_text("ej angivet")
        expect(page.locator("#preview-text")).to_contain_text("Närvarande: ej angivet")
        page.get_by_role("link", name="In English").click()
        expect(page.locator("#present")).to_have_text("not given")

    def test_exporting_a_draft_not_yet_approved_says_so(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """The export address of a draft not yet approved (a bookmark, another tab) says that
        only an approved entry is exported, not that the draft is approved and cannot change."""
        draft_id = upload(anna, meeting_draft(anna.device.key, current_catalogue(web_server)))
        login(page, anna.username)
        for export in ("export.txt", "export.pdf?bilaga=1"):
            response = page.goto(f"/utkast/{draft_id}/{export}")
            assert response is not None and response.status == 409
            expect(page.get_by_role("heading", level=1)).to_have_text("Inte godkänd")
            expect(page.locator("main")).to_contain_text("Bara en godkänd journalanteckning")
            expect(page.locator("main")).not_to_contain_text("är godkänt eller kasserat")

    def test_phone_header_is_short_and_add_factor_is_above_the_fold(
        self, page: Any, web_server: ServerProcess, anna: Person, tmp_path: Path
    ) -> None:
        """At phone size the header is at most two short lines and "Lägg till faktor" is on
        the first screen; it leads to the form."""
        draft_id = upload(anna, meeting_draft(anna.device.key, current_catalogue(web_server)))
        login(page, anna.username)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"/utkast/{draft_id}")
        header = page.locator("header.top").bounding_box()
        assert header is not None and header["height"] <= 80, header
        jump = page.get_by_role("link", name="Lägg till faktor")
        expect(jump).to_be_in_viewport()
        screenshot(page, "draft-phone-top.png", tmp_path, full_page=False)
        jump.click()
        expect(page.locator("#add-quote")).to_be_in_viewport()
