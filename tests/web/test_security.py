"""What must never happen: other people's drafts, forged forms, script from a transcript,
changes to approved text, stack traces; and the page works by keyboard and at phone width."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.server.harness import ADMIN, ADMIN_PASSWORD, Api, ServerProcess
from tests.web.conftest import Person, approve, current_catalogue, login, screenshot, upload
from tests.web.meeting import SEGMENTS, meeting_draft

pytestmark = pytest.mark.browser

HOSTILE = (
    'Han sa <script>window.__pwned = 1</script> och <img src=x onerror="window.__pwned = 2">'
    " och pappa dricker mycket."
)


def _draft(server: ServerProcess, person: Person, **kwargs: Any) -> str:
    return upload(person, meeting_draft(person.device.key, current_catalogue(server), **kwargs))


def _csrf(page: Any) -> str:
    token = page.locator("body").get_attribute("data-csrf")
    assert token
    return str(token)


def _refusals(admin: Api, draft_id: str) -> list[dict[str, Any]]:
    events = admin.get(
        "/api/v1/admin/audit", params={"object_id": draft_id, "action": "access.refused"}
    )
    assert events.status_code == 200, events.text
    return list(reversed(events.json()))


class TestAccess:
    def test_other_caseworkers_draft_is_404(
        self, page: Any, web_server: ServerProcess, anna: Person, bo: Person, admin_api: Api
    ) -> None:
        """A caseworker opening or posting to another caseworker's draft, versions or export
        gets a 404 page, and each refusal is audited with who, what, when and from where."""
        draft_id = _draft(web_server, anna)
        login(page, bo.username)
        token = _csrf(page)
        response = page.goto(f"/utkast/{draft_id}")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", name="Finns inte", exact=True)).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("Något gick fel")
        expect(page.locator("main")).not_to_contain_text("pappa dricker")
        posted = page.request.post(
            f"/utkast/{draft_id}/bedomning",
            form={"assessment": "x", "planning": "y", "csrf_token": token},
        )
        assert posted.status == 404
        assert page.request.get(f"/utkast/{draft_id}/versioner").status == 404
        assert page.request.get(f"/utkast/{draft_id}/export.txt").status == 404
        assert page.request.get(f"/api/v1/drafts/{draft_id}").status == 404
        refused = _refusals(admin_api, draft_id)
        assert [(e["actor"], e["ip"], e["case_ref"]) for e in refused] == [
            (bo.username, "127.0.0.1", "BoU-2026-0042")
        ] * 5
        paths = [json.loads(e["detail"])["path"] for e in refused]
        assert paths == [
            f"/utkast/{draft_id}",
            f"/utkast/{draft_id}/bedomning",
            f"/utkast/{draft_id}/versioner",
            f"/utkast/{draft_id}/export.txt",
            f"/api/v1/drafts/{draft_id}",
        ]
        assert json.loads(refused[1]["detail"])["method"] == "POST"
        assert all(e["at"] for e in refused)

    def test_admin_cannot_read_case_content(
        self, page: Any, web_server: ServerProcess, anna: Person, admin_api: Api
    ) -> None:
        """An administrator is refused the caseworker pages with a Swedish 403 page, audited."""
        draft_id = _draft(web_server, anna)
        login(page, ADMIN, ADMIN_PASSWORD)
        response = page.goto(f"/utkast/{draft_id}")
        assert response is not None and response.status == 403
        expect(page.locator("main")).to_contain_text("Du har inte behörighet")
        (refused,) = _refusals(admin_api, draft_id)
        assert (refused["actor"], refused["ip"]) == (ADMIN, "127.0.0.1")
        assert json.loads(refused["detail"])["status"] == 403

    def test_unknown_page_is_a_swedish_404_without_trace(self, page: Any) -> None:
        """An unknown address answers with a Swedish error page, never a traceback."""
        response = page.goto("/finns-inte")
        assert response is not None and response.status == 404
        expect(page.locator("main")).to_contain_text("Sidan eller utkastet finns inte.")
        assert "Traceback" not in page.content()
        response = page.goto(f"/utkast/{uuid.uuid4()}")
        assert response is not None
        assert response.url.endswith("/logga-in?next=%2Futkast%2F" + response.url.split("%2F")[-1])


class TestCsrf:
    def test_form_without_token_is_refused(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """A form posted without its CSRF token, or with a wrong one, is refused unchanged."""
        draft_id = _draft(web_server, anna)
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        block = page.locator("#journal input[name=block]").first.get_attribute("value")
        forged = {"version": "0", "block": block, "line": "0", "op": "edit"}
        forged["text"] = "Förfalskad text"
        refused = page.request.post(f"/utkast/{draft_id}/rad", form=forged)
        assert refused.status == 403
        assert "säkerhetstoken" in refused.text()
        wrong = page.request.post(
            f"/utkast/{draft_id}/rad", form=forged, headers={"X-CSRF-Token": "not-the-token"}
        )
        assert wrong.status == 403
        page.reload()
        expect(page.locator("#text-h")).to_contain_text("Version 0")
        expect(page.locator("#journal")).not_to_contain_text("Förfalskad")

    def test_htmx_request_carries_token_from_body(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """HTMX sends the token from hx-headers on <body>; without it the same request fails."""
        draft_id = _draft(web_server, anna)
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        headers = page.locator("body").get_attribute("hx-headers")
        assert headers is not None and _csrf(page) in headers
        with page.expect_request(lambda r: r.url.endswith("/tagg")) as sent:
            page.locator('li.factor[data-key="risk-parental_substance_abuse"]').get_by_role(
                "button", name="Godta"
            ).click()
        assert sent.value.headers.get("x-csrf-token") == _csrf(page)
        assert sent.value.headers.get("hx-request") == "true"
        expect(
            page.locator('li.factor[data-key="risk-parental_substance_abuse"] .fstatus')
        ).to_have_text("godtagen")
        bare = page.request.post(
            f"/utkast/{draft_id}/tagg",
            form={"factor": "family_conflict", "group": "risk", "decision": "reject"},
            headers={"HX-Request": "true"},
        )
        assert bare.status == 403

    def test_login_form_needs_its_token(self, page: Any, anna: Person) -> None:
        """The login form is refused without the token from its own page."""
        response = page.request.post(
            "/logga-in", form={"username": anna.username, "password": "x" * 12}
        )
        assert response.status == 403


class TestEscaping:
    def test_script_in_transcript_renders_as_text(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """Markup in a transcript is shown as text and never runs, in every place it appears."""
        segments = (*SEGMENTS[:2], HOSTILE)
        draft_id = _draft(web_server, anna, segments=segments)
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        transcript = page.locator("#transcript-body")
        expect(transcript).to_contain_text("<script>window.__pwned = 1</script>")
        expect(transcript).to_contain_text('<img src=x onerror="window.__pwned = 2">')
        assert transcript.locator("script, img").count() == 0
        page.locator("#seg-2 button.pull").click()  # the hostile line, into the journal
        expect(page.locator("#journal textarea").last).to_have_value(re.compile("<script>"))
        expect(page.locator("#preview-text")).to_contain_text("<script>")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        page.get_by_label("Bedömning", exact=True).fill(
            "<b>fet</b><script>window.__pwned=3</script>"
        )
        page.get_by_role("button", name="Spara bedömning och planering").click()
        expect(page.locator("#preview-text")).to_contain_text("<b>fet</b>")
        assert page.evaluate("typeof window.__pwned") == "undefined"


class TestSpeakerRename:
    """Renaming a speaker is a CSRF-protected, validated, audit-logged change."""

    def test_a_rename_needs_its_token_refuses_what_cannot_be_a_name_and_is_audited(
        self, page: Any, web_server: ServerProcess, anna: Person, admin_api: Api
    ) -> None:
        """Renaming a speaker without the CSRF token is refused (403); an empty name, the
        caseworker's label, another voice's label or her own voice are refused (422) with
        their reason and a stale page with 409, nothing stored; a rename is a new version,
        audit-logged with who and what."""
        draft_id = _draft(web_server, anna, speakers=["handläggare", "person 1", "person 2"])
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        address = f"/utkast/{draft_id}/talare"
        form = {"version": "0", "old": "person 1", "new": "mamma"}
        assert page.request.post(address, form=form).status == 403
        for change, status, words in (
            ({"new": "  "}, 422, "Skriv ett namn"),
            ({"new": "HANDLÄGGARE"}, 422, "kan inte heta ”handläggare”"),
            ({"new": "person 2"}, 422, "etikett för en annan röst"),
            ({"old": "handläggare", "new": "Anna"}, 422, "din egen röst"),
            ({"old": "person 7"}, 422, "Talaren finns inte"),
            ({"version": "3"}, 409, "har ändrats sedan sidan laddades"),
        ):
            refused = page.request.post(
                address, form={**form, **change, "csrf_token": _csrf(page)}, max_redirects=0
            )
            assert refused.status == status, change
            assert words in refused.text(), change
        page.reload()
        expect(page.locator("#text-h")).to_contain_text("Version 0")
        done = page.request.post(address, form={**form, "csrf_token": _csrf(page)}, max_redirects=0)
        assert done.status == 303
        page.reload()
        expect(page.locator("#text-h")).to_contain_text("Version 1")
        events = admin_api.get(
            "/api/v1/admin/audit", params={"object_id": draft_id, "action": "draft.edit"}
        )
        assert events.status_code == 200, events.text
        (edit,) = events.json()
        assert (edit["actor"], edit["ip"]) == (anna.username, "127.0.0.1")
        detail = json.loads(edit["detail"])
        assert (detail["version"], detail["note"]) == (1, "talare: person 1 → mamma")


class TestApprovedIsImmutable:
    def test_approved_entry_cannot_be_edited(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """After approval edits are refused by the app and by the database; addenda are dated."""
        draft_id = _draft(web_server, anna)
        login(page, anna.username)
        approve(page, draft_id)
        approved_text = page.locator("#approved-text").inner_text()
        for path, form in (
            ("text", {"restore": "0"}),
            ("rad", {"version": "0", "block": "_none", "line": "0", "op": "drop"}),
            ("hamta", {"version": "0", "segment": "0", "target": "bbic_halsa"}),
            ("talare", {"version": "0", "old": "person 1", "new": "mamma"}),
            ("bedomning", {"assessment": "Ändrad", "planning": ""}),
            ("tagg", {"factor": "family_conflict", "group": "risk", "decision": "reject"}),
            ("godkann", {"confirm": "ja"}),
            ("kassera", {"reason": "ångrar mig"}),
        ):
            refused = page.request.post(
                f"/utkast/{draft_id}/{path}", form={**form, "csrf_token": _csrf(page)}
            )
            assert refused.status == 409, path
            assert "kan inte ändras" in refused.text()

        engine = sa.create_engine(web_server.database_url)
        try:
            with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
                conn.execute(
                    sa.text("UPDATE approved_entries SET text = 'x' WHERE draft_id = :d"),
                    {"d": uuid.UUID(draft_id).hex},
                )
            with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
                conn.execute(
                    sa.text("UPDATE drafts SET status = 'draft' WHERE id = :d"),
                    {"d": uuid.UUID(draft_id).hex},
                )
        finally:
            engine.dispose()

        page.get_by_label("Skriv ett daterat tillägg").fill("Mamma ringde och bekräftade tiden.")
        page.get_by_role("button", name="Spara tillägg").click()
        expect(page.locator(".addendum")).to_contain_text("Mamma ringde")
        expect(page.locator("#approved-text")).to_have_text(approved_text)


class TestUsability:
    def test_keyboard_and_phone_width(
        self, page: Any, web_server: ServerProcess, anna: Person, tmp_path: Path
    ) -> None:
        """A factor can be chosen with the keyboard, and the draft page fits a phone's width."""
        draft_id = _draft(web_server, anna)
        login(page, anna.username)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"/utkast/{draft_id}")
        button = page.get_by_role("button", name="Positiva kamratrelationer", exact=True)
        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(page.locator('mark.ev[data-f~="protective-positive_peers"]')).to_have_class(
            "ev active"
        )
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        for landmark in ("banner", "main", "contentinfo", "navigation"):
            assert page.get_by_role(landmark).count() >= 1, landmark
        screenshot(page, "draft-phone.png", tmp_path, full_page=False)

    def test_english_interface(self, page: Any, web_server: ServerProcess, anna: Person) -> None:
        """Choosing English switches the interface strings and Swedish switches them back."""
        draft_id = _draft(web_server, anna)
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        page.get_by_role("link", name="In English").click()
        expect(page.get_by_role("heading", name="Factors", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Approve journal entry")).to_be_visible()
        assert page.url.endswith(f"/utkast/{draft_id}")
        page.get_by_role("link", name="På svenska").click()
        expect(page.get_by_role("heading", name="Faktorer", exact=True)).to_be_visible()

    def test_keyboard_focus_survives_a_tag_decision(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """Rejecting a tag by keyboard keeps focus on the button and announces the new state."""
        draft_id = _draft(web_server, anna)
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        reject = page.get_by_role("button", name="Avvisa: Positiva kamratrelationer")
        reject.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#flash")).to_have_text("Positiva kamratrelationer: avvisad")
        expect(page.get_by_role("button", name="Avvisa: Positiva kamratrelationer")).to_be_focused()
