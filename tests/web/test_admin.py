"""Administration in a real browser: people and devices, catalogue changes, the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from fredag.protocol import sign_draft
from tests.server.harness import ADMIN, ADMIN_PASSWORD, Api, ServerProcess
from tests.web.conftest import (
    Person,
    current_catalogue,
    login,
    make_person,
    screenshot,
    upload,
)
from tests.web.meeting import meeting_draft

pytestmark = pytest.mark.browser

NEW_NAME = "Trivs och lyckas i skolan"


class TestPeopleAndDevices:
    def test_create_user_issue_code_and_revoke_device(
        self, page: Any, web_server: ServerProcess, admin_api: Api, tmp_path: Path
    ) -> None:
        """An admin creates a caseworker, issues an enrollment code and revokes a device."""
        carl = make_person(web_server, admin_api, "carl", "Carl Berg")
        login(page, ADMIN, ADMIN_PASSWORD)
        expect(page.get_by_role("heading", name="Användare och enheter")).to_be_visible()

        page.get_by_label("Användarnamn").fill("dina")
        page.get_by_label("Namn", exact=True).fill("Dina Holm")
        page.get_by_label("Lösenord").fill("dina-password-1")
        page.get_by_role("button", name="Skapa", exact=True).click()
        expect(page.get_by_role("status").filter(has_text="Användaren skapades")).to_be_visible()
        expect(page.get_by_role("cell", name="Dina Holm")).to_be_visible()

        page.get_by_label("Handläggare", exact=True).select_option("dina")
        page.get_by_role("button", name="Skapa kod").click()
        expect(page.locator("#issued-code")).to_contain_text("Engångskod")
        expect(page.locator("#issued-code")).to_contain_text("(dina)")
        # Post/redirect/get: reloading the page shows no code and issues no second one.
        assert page.url.endswith("/admin?ok=code#issued-code")
        issued = {"action": "enrollment.issue"}
        before = len(admin_api.get("/api/v1/admin/audit", params=issued).json())
        page.reload()
        expect(page.get_by_role("heading", name="Användare och enheter")).to_be_visible()
        expect(page.locator("#issued-code")).to_have_count(0)
        assert len(admin_api.get("/api/v1/admin/audit", params=issued).json()) == before

        carl_row = page.locator("tr.device").filter(has_text="carl")
        expect(carl_row.locator(".device-status")).to_have_text("aktiv")
        expect(carl_row.locator(".device-sync")).to_have_text("aldrig")
        page.get_by_role("button", name=f"Spärra #{carl.device.device_id} (carl)").click()
        expect(page.get_by_role("status").filter(has_text="Enheten är spärrad")).to_be_visible()
        # Status and action apart: the status says "spärrad" with when; no button is left.
        expect(carl_row.locator(".device-status")).to_contain_text("spärrad")
        expect(carl_row.get_by_role("button")).to_have_count(0)
        screenshot(page, "admin-people.png", tmp_path)
        refused = carl.device.upload(
            sign_draft(
                meeting_draft(carl.device.key, current_catalogue(web_server)), carl.device.key
            )
        )
        assert refused.status_code == 403
        assert refused.json()["code"] == "device_revoked"

    def test_bad_user_input_gets_swedish_messages(self, page: Any) -> None:
        """A short password or a taken user name is refused with a Swedish explanation."""
        login(page, ADMIN, ADMIN_PASSWORD)
        page.get_by_label("Användarnamn").fill("kort")
        page.get_by_label("Lösenord").fill("kort")
        page.get_by_label("Lösenord").evaluate("el => el.removeAttribute('minlength')")
        page.get_by_role("button", name="Skapa", exact=True).click()
        expect(page.get_by_role("alert")).to_have_text("Lösenordet måste ha minst 10 tecken.")
        expect(page.get_by_label("Användarnamn")).to_have_value("kort")
        # The refused form is shown at the page's own address: a reload never re-posts it.
        page.wait_for_url(lambda url: url.endswith("/admin"))
        page.get_by_label("Användarnamn").fill(ADMIN)
        page.get_by_label("Lösenord").fill("long-enough-password")
        page.get_by_role("button", name="Skapa", exact=True).click()
        expect(page.get_by_role("alert")).to_have_text(
            "Det finns redan en användare med det namnet."
        )


class TestCatalogue:
    def test_refuses_intervention_language(self, page: Any) -> None:
        """A factor description that prescribes an intervention is refused and not saved."""
        login(page, ADMIN, ADMIN_PASSWORD)
        page.goto("/admin/katalog/faktor/truancy")
        page.get_by_label("Beskrivning").fill("Barnet bör placeras på ett behandlingshem.")
        page.get_by_role("button", name="Spara").click()
        problems = page.locator("#problems li")
        expect(problems).to_have_count(1)  # one bullet per problem, in Swedish
        expect(problems).to_contain_text("faktor 'truancy', fält 'description'")
        expect(problems).to_contain_text("föreskriver aldrig")
        expect(page.get_by_label("Beskrivning")).to_have_value(
            "Barnet bör placeras på ett behandlingshem."
        )
        page.goto("/admin/katalog")
        expect(page.locator("#catalogue-diff")).to_have_count(0)

    def test_cues_that_are_not_yaml_are_refused_with_the_form_kept(self, page: Any) -> None:
        """Cues that are not valid YAML are refused beside the form, not with an error page."""
        login(page, ADMIN, ADMIN_PASSWORD)
        page.goto("/admin/katalog/faktor/truancy")
        page.get_by_label("Beskrivning").fill("Barnet är ofta borta från skolan.")
        page.locator("#f-cues").fill("- match: [skolk")
        page.get_by_role("button", name="Spara").click()
        expect(
            page.get_by_role("heading", name="Redigera: Skolk, hög skolfrånvaro")
        ).to_be_visible()
        expect(page.locator("#problems li")).to_contain_text("inte giltig YAML")
        expect(page.locator("#f-cues")).to_have_value("- match: [skolk")
        expect(page.get_by_label("Beskrivning")).to_have_value("Barnet är ofta borta från skolan.")
        page.goto("/admin/katalog")
        expect(page.locator("#catalogue-diff")).to_have_count(0)  # nothing was saved

    def test_published_change_reaches_new_drafts(
        self, page: Any, web_server: ServerProcess, anna: Person, tmp_path: Path
    ) -> None:
        """An admin renames a factor, sees the diff, publishes, and the next draft uses it."""
        before = current_catalogue(web_server)["version"]
        login(page, ADMIN, ADMIN_PASSWORD)
        page.goto("/admin/katalog")
        page.get_by_role("link", name="Redigera: Trivsel, närvaro och framgång i skolan").click()
        page.get_by_label("Namn (svenska)").fill(NEW_NAME)
        page.get_by_role("button", name="Spara").click()
        diff = page.locator("#catalogue-diff")
        expect(diff.locator(".d-add")).to_contain_text(NEW_NAME)
        expect(diff.locator(".d-del")).to_contain_text("Trivsel, närvaro och framgång i skolan")
        shown = diff.inner_text().splitlines()
        assert "" not in shown[:4], shown  # one line of the diff a line, no gaps
        page.get_by_label("Versionsnamn").fill(before)  # taken: refused, and said so plainly
        page.get_by_role("button", name="Publicera ny version").click()
        expect(page.locator("#problems")).to_contain_text("Versionen publicerades inte.")
        expect(page.locator("#problems")).not_to_contain_text("Ändringen sparades inte")
        expect(page.locator("#problems li")).to_contain_text("redan publicerad")
        page.get_by_label("Versionsnamn").fill("ny version!")  # not a name: refused, said why
        page.get_by_role("button", name="Publicera ny version").click()
        expect(page.locator("#problems li")).to_contain_text("inget versionsnamn")
        page.goto("/admin/katalog")
        page.get_by_label("Versionsnamn").fill("2026.12-1")
        screenshot(page, "admin-catalogue.png", tmp_path)
        page.get_by_role("button", name="Publicera ny version").click()
        expect(page.locator("#published-version")).to_contain_text("2026.12-1")

        catalogue = current_catalogue(web_server)
        assert catalogue["version"] == "2026.12-1" != before
        draft_id = upload(anna, meeting_draft(anna.device.key, catalogue, case_ref="BoU-2026-0077"))
        page.context.clear_cookies()
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        expect(page.locator("#catalogue-version")).to_have_text("2026.12-1")
        expect(page.locator('li.factor[data-key="protective-school_success"]')).to_contain_text(
            NEW_NAME
        )

    def test_retire_and_add_factors_then_publish(
        self, page: Any, web_server: ServerProcess
    ) -> None:
        """An admin retires a factor and adds a new one; the published catalogue has both."""
        login(page, ADMIN, ADMIN_PASSWORD)
        page.goto("/admin/katalog/faktor/difficult_temperament")
        page.get_by_role("button", name="Avveckla faktorn").click()
        row = page.get_by_role("row").filter(has_text="difficult_temperament")
        expect(row).to_contain_text("avvecklad")

        page.goto("/admin/katalog/ny")
        page.get_by_label("Kod (slug)").fill("gang_affiliation")
        page.get_by_label("Namn (svenska)").fill("Gängtillhörighet")
        page.get_by_label("Namn (engelska)").fill("Gang affiliation")
        page.get_by_label("Beskrivning").fill("Den unge umgås i eller tillhör ett kriminellt gäng.")
        page.locator("#f-sources").fill("CVE")
        page.get_by_label("Livsområde i barnärenden (BBIC)").select_option(
            "bbic_socialt_upptradande"
        )
        page.get_by_label("Livsområde i vuxenärenden (ASI m.fl.)").select_option("asi_kriminalitet")
        page.locator("#f-cues").fill('- match: "gäng*|gänget"')
        page.locator("#f-pos").fill("Han hänger med gänget varje kväll.")
        page.locator("#f-neg").fill("Han har inget med gäng att göra.")
        page.get_by_role("button", name="Spara").click()
        expect(page.get_by_role("row").filter(has_text="gang_affiliation")).to_be_visible()

        page.get_by_label("Versionsnamn").fill("2026.12-2")
        page.get_by_role("button", name="Publicera ny version").click()
        expect(page.locator("#published-version")).to_contain_text("2026.12-2")
        factors = {f["slug"]: f for f in current_catalogue(web_server)["factors"]}
        assert factors["difficult_temperament"].get("retired") is True
        assert factors["gang_affiliation"]["name"]["sv"] == "Gängtillhörighet"


class TestAuditLog:
    def test_filters_by_user_case_and_date(
        self, page: Any, web_server: ServerProcess, bo: Person, tmp_path: Path
    ) -> None:
        """The audit view shows a caseworker's draft reads filtered by user, case and date."""
        draft_id = upload(
            bo, meeting_draft(bo.device.key, current_catalogue(web_server), case_ref="VUX-9")
        )
        login(page, bo.username)
        page.goto(f"/utkast/{draft_id}")
        page.context.clear_cookies()
        login(page, ADMIN, ADMIN_PASSWORD)
        page.goto("/admin/logg")
        page.get_by_label("Användare").fill("bo")
        page.get_by_label("Ärende").fill("VUX-9")
        today = page.evaluate("new Date().toLocaleDateString('sv-SE')")
        page.get_by_label("Från datum").fill(today)
        page.get_by_label("Till och med datum").fill(today)
        page.get_by_role("button", name="Filtrera").click()
        rows = page.locator("#audit-table tbody tr")
        expect(rows.filter(has_text="draft.read")).to_have_count(1)
        # Plain Swedish for people: the object is "utkast", the action in words.
        read = rows.filter(has_text="draft.read")
        expect(read.locator("td").nth(2)).to_contain_text("läste utkast")
        expect(read.locator("td").nth(3)).to_contain_text("utkast")
        expect(read.locator("td").nth(3)).not_to_contain_text("draft")
        expect(rows.filter(has_text="login.success")).to_have_count(0)
        screenshot(page, "admin-audit.png", tmp_path)
        page.get_by_label("Från datum").fill("2020-01-01")
        page.get_by_label("Till och med datum").fill("2020-01-02")
        page.get_by_role("button", name="Filtrera").click()
        expect(page.get_by_text("Inga händelser.")).to_be_visible()
