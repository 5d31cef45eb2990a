"""axe-core on every page of the review web view (WCAG 2.1 AA is a legal requirement for
Swedish public-sector digital services): no serious or critical violation, in Swedish and in
English, on a phone and on a desktop. The handheld's screens are checked where they are
driven: test_device_screen.py (start to signed draft, locked, consent, interrupted),
test_device_voice.py (Min röst: reading, enrolled, delete, in English; Vem sa det?; the meeting
with speaker labels) and test_device_failures.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.harness import ADMIN, ADMIN_PASSWORD, ServerProcess
from tests.support.axe import blocking_violations
from tests.web.conftest import Person, current_catalogue, login, upload
from tests.web.meeting import meeting_draft

pytestmark = pytest.mark.browser

CASEWORKER_PAGES = ("/inkorg", "/utkast/{draft}", "/utkast/{draft}/versioner")
ADMIN_PAGES = ("/admin", "/admin/katalog", "/admin/katalog/ny", "/admin/logg")


def check(page: Any, path: str, found: list[str], checked: list[str]) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state()
    found += [f"{path}: {line}" for line in blocking_violations(page)]
    checked.append(path)


class TestReviewWebViewAccessibility:
    @pytest.mark.parametrize("viewport", [(360, 740), (1280, 900)])
    def test_every_page_without_serious_violations(
        self, browser: Any, web_server: ServerProcess, anna: Person, viewport: tuple[int, int]
    ) -> None:
        """Login, inbox, draft, versions, a factor, the admin pages: none has a serious or
        critical axe-core violation, in Swedish or in English."""
        draft = upload(anna, meeting_draft(anna.device.key, current_catalogue(web_server)))
        found: list[str] = []
        checked: list[str] = []
        width, height = viewport
        for who, password, pages in (
            (anna.username, None, CASEWORKER_PAGES),
            (ADMIN, ADMIN_PASSWORD, ADMIN_PAGES),
        ):
            ctx = browser.new_context(
                base_url=web_server.base_url,
                viewport={"width": width, "height": height},
                locale="sv-SE",
            )
            page = ctx.new_page()
            check(page, "/logga-in", found, checked)
            if password is None:
                login(page, who)
            else:
                login(page, who, password)
            for lang in ("sv", "en"):
                page.goto(f"/sprak/{lang}")
                assert page.locator("html").get_attribute("lang") == lang
                for path in pages:
                    check(page, path.format(draft=draft), found, checked)
                if who == ADMIN:
                    slug = current_catalogue(web_server)["factors"][0]["slug"]
                    check(page, f"/admin/katalog/faktor/{slug}", found, checked)
            ctx.close()
        assert len(checked) == 2 + 2 * (len(CASEWORKER_PAGES) + len(ADMIN_PAGES) + 1)
        assert found == []
