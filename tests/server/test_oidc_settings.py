"""The identity-provider settings and what the app does with them, in-process (no provider).

The app runs in this process on a migrated SQLite file (FastAPI's TestClient); where a
provider is needed it is a port with nothing listening, i.e. an unreachable provider.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fredag.errors import FredagError
from tests.support.postgres import free_port

SECRET = "s" * 40


def settings(**overrides: Any) -> Any:
    from server.config import load_settings

    base: dict[str, Any] = {"secret_key": SECRET, "env": "production"}
    return load_settings(**{**base, **overrides})


def oidc(**overrides: Any) -> dict[str, Any]:
    return {
        "oidc_issuer": f"http://127.0.0.1:{free_port()}",
        "oidc_client_id": "fredag",
        "oidc_client_secret": "client-secret",
        "oidc_caseworker_values": "handlaggare",
        **overrides,
    }


class TestSettings:
    def test_comma_lists_are_split(self) -> None:
        """Group values and acr values are comma-separated in the environment."""
        made = settings(**oidc(oidc_admin_values="it-drift, fredag-admin", oidc_caseworker_acr="a"))
        assert made.oidc_admin_values == ("it-drift", "fredag-admin")
        assert made.oidc_caseworker_acr == ("a",)
        assert made.oidc_enabled

    def test_environment_lists_are_split(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """FREDAG_OIDC_CASEWORKER_VALUES from the environment is read as a comma list."""
        from server.config import ServerSettings

        monkeypatch.setenv("FREDAG_OIDC_CASEWORKER_VALUES", "sg-social,sg-ifo")
        assert ServerSettings(secret_key=SECRET).oidc_caseworker_values == ("sg-social", "sg-ifo")

    @pytest.mark.parametrize(
        ("overrides", "words"),
        [
            ({"oidc_issuer": "http://idp.kommun.se/realms/x"}, "https"),
            ({"oidc_client_id": ""}, "CLIENT_ID"),
            ({"oidc_caseworker_values": ""}, "CASEWORKER_VALUES"),
            ({"oidc_client_secret": ""}, "CLIENT_SECRET"),
            ({"oidc_scopes": "profile"}, "openid"),
        ],
    )
    def test_incomplete_provider_settings_are_refused(
        self, overrides: dict[str, Any], words: str
    ) -> None:
        """A provider configured insecurely or incompletely stops the server with one line."""
        with pytest.raises(FredagError, match=words):
            settings(**oidc(**overrides))

    def test_passwords_off_needs_a_provider(self) -> None:
        """Switching local passwords off without a provider is refused (nobody could log in)."""
        with pytest.raises(FredagError, match="LOCAL_PASSWORDS"):
            settings(local_passwords=False)


@pytest.fixture
def app_client(tmp_path: Path) -> Iterator[tuple[TestClient, sa.Engine]]:
    """The app in-process, passwords off, its provider unreachable."""
    from server import oidc as oidc_module
    from server.app import create_app
    from server.db import make_engine
    from server.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'fredag.db'}"
    upgrade(url)
    oidc_module.clear_cache()
    app = create_app(
        settings(database_url=url, local_passwords=False, **oidc(oidc_display_name="Nacka"))
    )
    engine = make_engine(url)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, engine
    engine.dispose()
    app.state.engine.dispose()


class TestPasswordsOff:
    def test_login_page_has_only_the_municipality(
        self, app_client: tuple[TestClient, sa.Engine]
    ) -> None:
        """With local passwords off the login page offers the provider and no password form."""
        client, _ = app_client
        page = client.get("/logga-in")
        assert page.status_code == 200
        assert "Logga in med Nacka" in page.text
        assert 'name="password"' not in page.text

    def test_password_logins_are_refused(self, app_client: tuple[TestClient, sa.Engine]) -> None:
        """The JSON login answers 403 local_passwords_off; the form answers a Swedish 403."""
        client, _ = app_client
        api = client.post("/api/v1/auth/login", json={"username": "a", "password": "b" * 12})
        assert api.status_code == 403
        assert api.json()["code"] == "local_passwords_off"
        client.get("/logga-in")
        form = client.post(
            "/logga-in",
            data={
                "username": "a",
                "password": "b" * 12,
                "csrf_token": client.cookies.get("fredag_login_csrf") or "",
            },
        )
        assert form.status_code == 403
        assert "Inloggning med lösenord är avstängd" in form.text


class TestUnreachableProvider:
    def test_start_with_provider_down_is_a_clear_page(
        self, app_client: tuple[TestClient, sa.Engine]
    ) -> None:
        """Starting a sign-in while the provider cannot be reached gives a Swedish page (502,
        never 500), an audit row and no pending sign-in or session."""
        client, engine = app_client
        response = client.get("/oidc/login", follow_redirects=False)
        assert response.status_code == 502
        assert "går inte att nå" in response.text
        assert "fredag_session" not in response.headers.get("set-cookie", "")
        with engine.connect() as conn:
            detail = conn.execute(
                sa.text(
                    "SELECT detail FROM audit_events WHERE action = 'login.failure' "
                    "ORDER BY id DESC"
                )
            ).scalar_one()
            pending = conn.execute(sa.text("SELECT count(*) FROM oidc_logins")).scalar_one()
        assert '"reason": "unreachable"' in detail
        assert pending == 0
