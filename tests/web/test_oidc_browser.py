"""Signing in and out with the municipality's identity provider in a real browser (Chromium).

A real provider (tests/support/oidc_provider.py) and a real server with local passwords
switched off: the login page offers only the municipality's sign-in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.server.harness import ServerProcess, unique
from tests.support.oidc_provider import (
    CASEWORKER_GROUP,
    CLIENT_ID,
    CLIENT_SECRET,
    OidcProvider,
    fredag_env,
)
from tests.web.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def oidc_provider() -> Iterator[OidcProvider]:
    provider = OidcProvider.start(CLIENT_ID, CLIENT_SECRET)
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def sso_server(
    tmp_path_factory: pytest.TempPathFactory, oidc_provider: OidcProvider
) -> Iterator[ServerProcess]:
    """A server on SQLite whose only sign-in is the test provider."""
    home = tmp_path_factory.mktemp("sso-server")
    env = fredag_env(oidc_provider, FREDAG_LOCAL_PASSWORDS="false")
    process = ServerProcess.start(f"sqlite:///{home / 'fredag.db'}", home, env_overrides=env)
    oidc_provider.register_client_urls(process.base_url)
    yield process
    process.stop()


@pytest.fixture
def sso_page(browser: Any, sso_server: ServerProcess) -> Iterator[Any]:
    ctx = browser.new_context(
        base_url=sso_server.base_url,
        viewport={"width": 1280, "height": 900},
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
    )
    ctx.set_default_timeout(15_000)
    yield ctx.new_page()
    ctx.close()


def _sign_in_at_provider(page: Any, username: str, password: str) -> None:
    expect(page.get_by_role("heading", name="Testkommunens inloggning")).to_be_visible()
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in hos IdP").click()


class TestBrowserSignIn:
    def test_caseworker_signs_in_and_out_through_the_provider(
        self,
        sso_page: Any,
        sso_server: ServerProcess,
        oidc_provider: OidcProvider,
        tmp_path: Path,
    ) -> None:
        """The login page offers only the municipality's sign-in; the caseworker signs in at
        the provider, lands in the inbox, and logging out ends both sessions."""
        person = oidc_provider.add_user(unique("cw"), [CASEWORKER_GROUP], name="Cecilia Ström")
        page = sso_page
        page.goto("/logga-in")
        expect(page.get_by_label("Lösenord")).to_have_count(0)
        screenshot(page, "oidc-login.png", tmp_path)
        page.get_by_role("link", name="Logga in med Testkommunen").click()
        _sign_in_at_provider(page, person.username, person.password)
        page.wait_for_url("**/inkorg")
        expect(page.locator("header")).to_contain_text("Cecilia Ström")
        before = len(oidc_provider.logouts)
        page.get_by_role("button", name="Logga ut").click()
        page.wait_for_url(f"{sso_server.base_url}/logga-in**")
        assert len(oidc_provider.logouts) == before + 1
        assert oidc_provider.logouts[-1]["user"] == person.username
        assert page.goto("/inkorg") is not None
        assert "/logga-in" in page.url
        page.get_by_role("link", name="Logga in med Testkommunen").click()
        expect(page.get_by_role("heading", name="Testkommunens inloggning")).to_be_visible()

    def test_refusal_is_a_swedish_page(
        self, sso_page: Any, oidc_provider: OidcProvider, tmp_path: Path
    ) -> None:
        """Someone outside every allowed group sees a Swedish page saying so, not a session."""
        person = oidc_provider.add_user(unique("out"), ["alla-anstallda"])
        page = sso_page
        page.goto("/logga-in")
        page.get_by_role("link", name="Logga in med Testkommunen").click()
        _sign_in_at_provider(page, person.username, person.password)
        expect(page.get_by_role("heading", name="Inloggningen misslyckades")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("Du tillhör ingen grupp")
        screenshot(page, "oidc-refused.png", tmp_path)
        page.goto("/inkorg")
        assert "/logga-in" in page.url
