"""What gets approved is what the caseworker wrote and reviewed (issue 17, items 1 and 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.server.harness import ServerProcess
from tests.web.conftest import Person, current_catalogue, login, review_all, screenshot, upload
from tests.web.meeting import meeting_draft

pytestmark = pytest.mark.browser

OWN_LINE = "  – Min egen anteckning: mamma oroar sig för pappas humör."
CONFIRM = "Jag har läst texten och godkänner den som journalanteckning."


def _open_draft(page: Any, server: ServerProcess, person: Person) -> str:
    draft_id = upload(person, meeting_draft(person.device.key, current_catalogue(server)))
    login(page, person.username)
    page.goto(f"/utkast/{draft_id}")
    return draft_id


class TestNothingTypedVanishes:
    def test_typing_in_the_factor_section_is_refused_beside_the_form_with_the_text_kept(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """Words typed into the factor section are not saved into oblivion: the draft page says
        why beside the text, keeps every typed word in the box and stores no version."""
        draft_id = _open_draft(page, web_server, anna)
        body = page.locator("#text-body")
        edited = body.input_value().replace("Riskfaktorer:\n", f"Riskfaktorer:\n{OWN_LINE}\n", 1)
        assert OWN_LINE in edited
        body.fill(edited)
        with page.expect_response(lambda r: r.url.endswith("/text")) as answer:
            page.get_by_role("button", name="Spara ny version").click()
        assert answer.value.status == 422
        page.wait_for_url(lambda url: url.endswith(f"/utkast/{draft_id}"))  # not .../text
        error = page.locator("#text #error-text")
        expect(error).to_contain_text("Faktorer som nämndes")
        expect(error).to_be_in_viewport()
        assert OWN_LINE in page.locator("#text-body").input_value()
        expect(page.locator("#text-h")).to_contain_text("Version 0")
        expect(page.locator("#preview-text")).not_to_contain_text("Min egen anteckning")
        expect(page.locator("#status")).to_have_text("Utkast")


class TestApprovalNeedsEveryTagReviewed:
    def test_unreviewed_tags_block_approval_until_each_is_accepted_or_rejected(
        self, page: Any, web_server: ServerProcess, anna: Person, tmp_path: Path
    ) -> None:
        """Approval is refused while a tag is 'ej granskad' (the page names them); once every
        tag is accepted or rejected the entry is approved and says the factors were reviewed."""
        _open_draft(page, web_server, anna)
        waiting = page.locator("#unreviewed li")
        expect(waiting.first).to_be_visible()
        assert waiting.count() == page.locator("li.factor.st-unreviewed").count() > 1
        page.get_by_label(CONFIRM).check()
        page.get_by_role("button", name="Godkänn journalanteckning").click()
        expect(page.locator("#error-approve")).to_contain_text("Godta eller avvisa varje faktor")
        expect(page.locator("#status")).to_have_text("Utkast")
        screenshot(page, "draft-approval-refused.png", tmp_path)

        page.locator('li.factor[data-key="risk-family_conflict"] button.reject').click()
        expect(page.locator('li.factor[data-key="risk-family_conflict"] .fstatus')).to_have_text(
            "avvisad"
        )
        review_all(page)
        page.reload()  # reads the page again; never re-posts the refused approval
        expect(page.locator("#all-reviewed")).to_be_visible()
        expect(page.locator("#status")).to_have_text("Utkast")
        page.get_by_label(CONFIRM).check()
        page.get_by_role("button", name="Godkänn journalanteckning").click()
        expect(page.locator("#status")).to_have_text("Godkänd")
        approved = page.locator("#approved-text")
        expect(approved).to_contain_text("granskade av handläggaren")
        expect(approved).to_contain_text("parental_substance_abuse")
        expect(approved).not_to_contain_text("family_conflict")
