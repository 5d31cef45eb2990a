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
    def test_the_factor_section_is_not_typed_text_and_every_edit_reaches_the_entry(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """The editor holds only "Vad som framkom" (the factors are tags reviewed apart, not
        entry text, and it says so), and a line the caseworker edits is in the entry to approve."""
        _open_draft(page, web_server, anna)
        editor = page.locator("#text")
        expect(editor).to_contain_text("skrivs inte in i anteckningen")
        expect(editor.locator("textarea")).not_to_have_count(0)
        assert "Faktorer som nämndes" not in " ".join(editor.locator("textarea").all_inner_texts())
        line = editor.locator("li.jline").first
        line.locator("textarea").fill(OWN_LINE.strip())
        line.get_by_role("button", name="Spara raden").click()
        expect(page.locator("#text-h")).to_contain_text("Version 1")
        expect(page.locator("#preview-text")).to_contain_text("Min egen anteckning")
        expect(page.locator("#status")).to_have_text("Utkast")


class TestApprovalNeedsEveryTagReviewed:
    def test_unreviewed_tags_block_approval_until_each_is_accepted_or_rejected(
        self, page: Any, web_server: ServerProcess, anna: Person, tmp_path: Path
    ) -> None:
        """Approval is refused while a tag is 'ej granskad' (the page names them); once every
        tag is accepted or rejected the entry is approved and the decisions stay with it (the
        factors are tags, not entry text)."""
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
        expect(approved).to_contain_text("Vad som framkom")
        expect(approved).not_to_contain_text("Förälders missbruk eller beroende")
        expect(page.locator('li.factor[data-key="risk-family_conflict"] .fstatus')).to_have_text(
            "avvisad"
        )
