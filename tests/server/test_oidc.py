"""Signing in with the municipality's identity provider (OpenID Connect), against a real one.

A real provider (tests/support/oidc_provider.py: authlib's server side, RSA keys, discovery
and JWKS on uvicorn) and a real `fredag server serve` on SQLite and on PostgreSQL. The flow
is driven over HTTP like a browser (tests/web/test_oidc_browser.py drives Chromium).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.server.conftest import BACKENDS, database_url
from tests.server.harness import ServerProcess, unique
from tests.support.oidc_provider import (
    ADMIN_GROUP,
    CASEWORKER_GROUP,
    CLIENT_ID,
    CLIENT_SECRET,
    HIGH_ACR,
    OidcProvider,
    ProviderUser,
    fredag_env,
    query_of,
    sign_in,
)


@pytest.fixture(scope="module")
def oidc_provider() -> Iterator[OidcProvider]:
    """A real OpenID Connect provider on 127.0.0.1 (tests/support/oidc_provider.py)."""
    provider = OidcProvider.start(CLIENT_ID, CLIENT_SECRET)
    yield provider
    provider.stop()


@pytest.fixture(scope="module", params=BACKENDS)
def fredag(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    oidc_provider: OidcProvider,
) -> Iterator[ServerProcess]:
    """Fredag on SQLite or PostgreSQL, signing in through the test provider; caseworkers need
    the high acr; local passwords stay on."""
    backend: str = request.param
    home = tmp_path_factory.mktemp(f"oidc-{backend}")
    env = fredag_env(oidc_provider, FREDAG_OIDC_CASEWORKER_ACR=f"{HIGH_ACR},urn:test:loa:max")
    process = ServerProcess.start(database_url(request, backend, home), home, env_overrides=env)
    oidc_provider.register_client_urls(process.base_url)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def db(fredag: ServerProcess) -> Iterator[sa.Engine]:
    from server.db import make_engine

    engine = make_engine(fredag.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """One browser's cookie jar (Fredag's and the provider's cookies)."""
    with httpx.Client(timeout=30) as client:
        yield client


def caseworker(provider: OidcProvider, **kwargs: Any) -> ProviderUser:
    kwargs.setdefault("acr", HIGH_ACR)
    return provider.add_user(unique("cw"), [CASEWORKER_GROUP, "alla-anstallda"], **kwargs)


def user_row(db: sa.Engine, subject: str) -> dict[str, Any] | None:
    with db.connect() as conn:
        row = conn.execute(
            sa.text("SELECT * FROM users WHERE oidc_subject = :s"), {"s": subject}
        ).first()
    return dict(row._mapping) if row is not None else None


def audit_rows(db: sa.Engine, action: str, actor: str) -> list[dict[str, Any]]:
    with db.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT action, actor, detail FROM audit_events "
                "WHERE action = :a AND actor = :u ORDER BY id"
            ),
            {"a": action, "u": actor},
        )
        return [{**dict(r._mapping), "detail": json.loads(r.detail)} for r in rows]


def refused(response: httpx.Response, reason: str, status: int, words: str) -> None:
    """A Swedish page that says what happened, with no session cookie."""
    assert response.status_code == status, response.text[:500]
    assert f'data-reason="{reason}"' in response.text
    assert words in response.text
    assert "Inloggningen misslyckades" in response.text
    assert "fredag_session" not in response.headers.get("set-cookie", "")
    assert "Traceback" not in response.text


class TestSignIn:
    def test_caseworker_is_created_on_first_sign_in(
        self,
        fredag: ServerProcess,
        oidc_provider: OidcProvider,
        http: httpx.Client,
        db: sa.Engine,
    ) -> None:
        """A caseworker in the caseworker group signs in, is created with that role and lands in
        the inbox; amr and acr are in the audit log."""
        person = caseworker(oidc_provider, amr=["pwd", "hwk"])
        result = sign_in(http, fredag.base_url, person)
        assert result.response.status_code == 303
        assert result.response.headers["location"] == "/inkorg"
        inbox = http.get(fredag.base_url + "/inkorg")
        assert inbox.status_code == 200
        assert person.name in inbox.text
        row = user_row(db, person.sub)
        assert row is not None
        assert (row["role"], row["username"]) == ("caseworker", person.username)
        assert row["is_active"]
        assert row["oidc_issuer"] == oidc_provider.issuer
        [success] = audit_rows(db, "login.success", person.username)
        assert success["detail"]["method"] == "oidc"
        assert success["detail"]["acr"] == HIGH_ACR
        assert success["detail"]["amr"] == ["pwd", "hwk"]

    def test_admin_signs_in_and_issues_an_enrollment_code(
        self,
        fredag: ServerProcess,
        oidc_provider: OidcProvider,
        http: httpx.Client,
        db: sa.Engine,
    ) -> None:
        """An admin (admin group, no acr needed) signs in and issues an enrollment code to a
        caseworker who also signed in with the provider; a device enrolls with it."""
        person = caseworker(oidc_provider)
        with httpx.Client(timeout=30) as other:
            assert sign_in(other, fredag.base_url, person).response.status_code == 303
        boss = oidc_provider.add_user(unique("adm"), [ADMIN_GROUP])
        result = sign_in(http, fredag.base_url, boss)
        assert result.response.headers["location"] == "/admin"
        page = http.get(fredag.base_url + "/admin")
        assert page.status_code == 200
        assert f'{person.username} <span class="muted">(kommunens inloggning)' in page.text
        csrf = re.search(r'data-csrf="([^"]+)"', page.text)
        assert csrf is not None
        code = http.post(
            fredag.base_url + "/api/v1/admin/enrollment-codes",
            json={"caseworker": person.username},
            headers={"X-CSRF-Token": csrf.group(1)},
        )
        assert code.status_code == 201, code.text
        key = Ed25519PrivateKey.generate()
        enrolled = httpx.post(
            fredag.base_url + "/api/v1/devices/enroll",
            json={
                "code": code.json()["code"],
                "public_key": key.public_key().public_bytes_raw().hex(),
            },
        )
        assert enrolled.status_code == 201, enrolled.text
        with db.connect() as conn:
            owner = conn.execute(
                sa.text("SELECT owner_id FROM devices WHERE id = :i"),
                {"i": enrolled.json()["device_id"]},
            ).scalar_one()
        assert owner == user_row(db, person.sub)["id"]  # type: ignore[index]

    def test_same_subject_is_the_same_user(
        self,
        fredag: ServerProcess,
        oidc_provider: OidcProvider,
        db: sa.Engine,
    ) -> None:
        """Users are matched by the provider's subject: a new user name at the provider is
        still the same Fredag user (name updated, no second user)."""
        person = caseworker(oidc_provider)
        with httpx.Client(timeout=30) as first:
            assert sign_in(first, fredag.base_url, person).response.status_code == 303
        first_id = user_row(db, person.sub)["id"]  # type: ignore[index]
        del oidc_provider.users[person.username]
        person.username, person.name = unique("renamed"), "Nytt Namn"
        oidc_provider.users[person.username] = person
        with httpx.Client(timeout=30) as second:
            assert sign_in(second, fredag.base_url, person).response.status_code == 303
        row = user_row(db, person.sub)
        assert row is not None
        assert (row["id"], row["full_name"]) == (first_id, "Nytt Namn")

    def test_login_page_offers_the_municipality_first(
        self, fredag: ServerProcess, oidc_provider: OidcProvider
    ) -> None:
        """The login page shows the municipality's sign-in before the password form; the
        server said on start which provider it uses."""
        started = f"sign-in through {oidc_provider.issuer} (local passwords on)"
        assert started in fredag.log.read_text()
        page = httpx.get(fredag.base_url + "/logga-in")
        assert page.status_code == 200
        assert "Logga in med Testkommunen" in page.text
        assert page.text.index('id="oidc-login"') < page.text.index('name="password"')


class TestGroups:
    def test_user_outside_every_group_is_refused(
        self,
        fredag: ServerProcess,
        oidc_provider: OidcProvider,
        http: httpx.Client,
        db: sa.Engine,
    ) -> None:
        """Someone the provider knows but in no allowed group gets a Swedish page, an audit
        row and no account or session."""
        person = oidc_provider.add_user(unique("out"), ["alla-anstallda"], acr=HIGH_ACR)
        result = sign_in(http, fredag.base_url, person)
        refused(result.response, "not_in_group", 403, "ingen grupp som ger tillgång")
        assert user_row(db, person.sub) is None
        [row] = audit_rows(db, "login.failure", f"oidc:{person.sub}")
        assert row["detail"]["reason"] == "not_in_group"
        assert http.get(fredag.base_url + "/inkorg", follow_redirects=False).status_code == 303

    def test_removed_group_is_refused_next_time(
        self,
        fredag: ServerProcess,
        oidc_provider: OidcProvider,
        db: sa.Engine,
    ) -> None:
        """When the group is removed the next sign-in is refused, the user is deactivated and
        their open session ends; back in the group, they are let in again."""
        person = caseworker(oidc_provider)
        with httpx.Client(timeout=30) as before:
            assert sign_in(before, fredag.base_url, person).response.status_code == 303
            assert before.get(fredag.base_url + "/inkorg").status_code == 200
            person.groups = ["alla-anstallda"]
            with httpx.Client(timeout=30) as again:
                result = sign_in(again, fredag.base_url, person)
            refused(result.response, "not_in_group", 403, "ingen grupp")
            row = user_row(db, person.sub)
            assert row is not None
            assert not row["is_active"]
            assert row["deactivated_by_provider"]
            gone = before.get(fredag.base_url + "/inkorg", follow_redirects=False)
            assert gone.status_code == 303
        assert [r["detail"]["reason"] for r in audit_rows(db, "user.deactivate", "oidc")][-1:] == [
            "no_allowed_group"
        ]
        person.groups = [CASEWORKER_GROUP]
        with httpx.Client(timeout=30) as back:
            assert sign_in(back, fredag.base_url, person).response.status_code == 303
        assert bool(user_row(db, person.sub)["is_active"])  # type: ignore[index]

    def test_caseworker_below_the_required_acr_is_refused(
        self,
        fredag: ServerProcess,
        oidc_provider: OidcProvider,
        http: httpx.Client,
        db: sa.Engine,
    ) -> None:
        """A caseworker who signed in with a weaker method than the required acr is refused
        (the acr is in the audit row); an admin needs no particular acr."""
        person = caseworker(oidc_provider, acr="urn:test:loa:low")
        result = sign_in(http, fredag.base_url, person)
        refused(result.response, "acr", 403, "starkare inloggningsmetod")
        [row] = audit_rows(db, "login.failure", f"oidc:{person.sub}")
        assert row["detail"]["acr"] == "urn:test:loa:low"

    def test_role_follows_the_group(
        self, fredag: ServerProcess, oidc_provider: OidcProvider, db: sa.Engine
    ) -> None:
        """Moved from the caseworker group to the admin group, the user is an administrator at
        the next sign-in and their caseworker session has ended."""
        person = caseworker(oidc_provider)
        with httpx.Client(timeout=30) as before:
            assert sign_in(before, fredag.base_url, person).response.status_code == 303
            person.groups = [ADMIN_GROUP]
            with httpx.Client(timeout=30) as after:
                result = sign_in(after, fredag.base_url, person)
                assert result.response.headers["location"] == "/admin"
            assert (
                before.get(fredag.base_url + "/inkorg", follow_redirects=False).status_code == 303
            )
        assert user_row(db, person.sub)["role"] == "admin"  # type: ignore[index]

    def test_deactivated_by_an_administrator_stays_refused(
        self, fredag: ServerProcess, oidc_provider: OidcProvider, http: httpx.Client
    ) -> None:
        """A user an administrator deactivated is refused although their group allows them."""
        person = caseworker(oidc_provider)
        with httpx.Client(timeout=30) as first:
            assert sign_in(first, fredag.base_url, person).response.status_code == 303
        admin = fredag.admin()
        try:
            users = admin.get("/api/v1/admin/users").json()
            [found] = [u for u in users if u["username"] == person.username]
            assert found["sign_in"] == "oidc"
            user_id = found["id"]
            patched = admin.patch(f"/api/v1/admin/users/{user_id}", json={"is_active": False})
            assert patched.status_code == 200, patched.text
        finally:
            admin.close()
        refused(sign_in(http, fredag.base_url, person).response, "inactive", 403, "avstängt")


class TestTokenChecks:
    @pytest.mark.parametrize(
        ("fault", "reason", "words"),
        [
            ({"aud": "another-service"}, "audience", "annan tjänst än Fredag"),
            ({"expired": True}, "expired", "hade gått ut"),
            ({"nonce": "not-the-nonce"}, "nonce", "nonce"),
            ({"foreign_key": True}, "invalid_token", "inte giltigt"),
        ],
    )
    def test_bad_id_token_is_refused(
        self,
        fredag: ServerProcess,
        oidc_provider: OidcProvider,
        http: httpx.Client,
        db: sa.Engine,
        fault: dict[str, Any],
        reason: str,
        words: str,
    ) -> None:
        """An ID token for another audience, already expired, with another nonce or signed by
        a key not in the provider's JWKS is refused with its own Swedish text and audit row."""
        person = caseworker(oidc_provider)
        oidc_provider.tamper_next(**fault)
        result = sign_in(http, fredag.base_url, person)
        refused(result.response, reason, 401, words)
        assert user_row(db, person.sub) is None
        [row] = audit_rows(db, "login.failure", "oidc")[-1:]
        assert row["detail"]["reason"] == reason

    def test_replayed_callback_and_code_are_refused(
        self,
        fredag: ServerProcess,
        oidc_provider: OidcProvider,
        http: httpx.Client,
        db: sa.Engine,
    ) -> None:
        """The provider's redirect works once: the same callback again (state cookie and all)
        finds no pending sign-in, and the used code under a fresh sign-in is refused."""
        person = caseworker(oidc_provider)
        first = sign_in(http, fredag.base_url, person)
        assert first.response.status_code == 303 and first.callback_url
        http.cookies.clear()
        sent = query_of(first.callback_url)
        http.cookies.set("fredag_oidc_state", sent["state"], domain="127.0.0.1", path="/oidc")
        refused(http.get(first.callback_url), "state", 400, "redan använd")
        assert audit_rows(db, "login.failure", "oidc")[-1]["detail"]["detail"] == (
            "unknown or already used state"
        )
        fresh = http.get(fredag.base_url + "/oidc/login")
        state = query_of(fresh.headers["location"])["state"]
        reused = http.get(
            fredag.base_url + "/oidc/callback", params={"code": sent["code"], "state": state}
        )
        refused(reused, "code_rejected", 401, "redan använd")

    def test_rotated_key_is_read_again(
        self, fredag: ServerProcess, oidc_provider: OidcProvider
    ) -> None:
        """After the provider rotates its signing key, Fredag reads the new JWKS once and the
        sign-in works."""
        person = caseworker(oidc_provider)
        with httpx.Client(timeout=30) as first:
            assert sign_in(first, fredag.base_url, person).response.status_code == 303
        oidc_provider.rotate_key()
        reads = oidc_provider.jwks_requests
        with httpx.Client(timeout=30) as second:
            assert sign_in(second, fredag.base_url, person).response.status_code == 303
        assert oidc_provider.jwks_requests == reads + 1

    def test_provider_error_answer_is_refused(
        self, fredag: ServerProcess, http: httpx.Client
    ) -> None:
        """An error answer from the provider (the user cancelled) is a Swedish page."""
        start = http.get(fredag.base_url + "/oidc/login")
        state = query_of(start.headers["location"])["state"]
        answer = http.get(
            fredag.base_url + "/oidc/callback", params={"state": state, "error": "access_denied"}
        )
        refused(answer, "denied", 403, "avbröts eller nekades")

    def test_callback_from_another_browser_is_refused(
        self,
        fredag: ServerProcess,
        oidc_provider: OidcProvider,
    ) -> None:
        """A callback URL carried to a browser that did not start the sign-in (login CSRF) is
        refused, and the starting browser can still not use it afterwards."""
        person = caseworker(oidc_provider)
        with httpx.Client(timeout=30) as victim, httpx.Client(timeout=30) as attacker:
            start = attacker.get(fredag.base_url + "/oidc/login")
            page = attacker.post(
                start.headers["location"],
                data={"username": person.username, "password": person.password},
            )
            callback = page.headers["location"]
            refused(victim.get(callback), "state", 400, "inte till den här webbläsaren")


class TestProviderDown:
    def test_unreachable_provider_is_a_clear_page(
        self,
        fredag: ServerProcess,
        oidc_provider: OidcProvider,
        http: httpx.Client,
        db: sa.Engine,
    ) -> None:
        """When the provider cannot be reached at the code exchange the user gets a Swedish
        page saying so (502, never 500), an audit row and no session."""
        person = caseworker(oidc_provider)
        start = http.get(fredag.base_url + "/oidc/login")
        page = http.post(
            start.headers["location"],
            data={"username": person.username, "password": person.password},
        )
        with oidc_provider.down():
            response = http.get(page.headers["location"])
        refused(response, "unreachable", 502, "går inte att nå")
        assert audit_rows(db, "login.failure", "oidc")[-1]["detail"]["reason"] == "unreachable"


class TestLogout:
    def test_logout_ends_both_sessions(
        self,
        fredag: ServerProcess,
        oidc_provider: OidcProvider,
        http: httpx.Client,
    ) -> None:
        """Logging out ends Fredag's session and forwards to the provider's end-session endpoint
        with the ID token as hint; after it the provider asks for the password again."""
        person = caseworker(oidc_provider)
        assert sign_in(http, fredag.base_url, person).response.status_code == 303
        page = http.get(fredag.base_url + "/inkorg")
        csrf = re.search(r'data-csrf="([^"]+)"', page.text)
        assert csrf is not None
        out = http.post(fredag.base_url + "/logga-ut", data={"csrf_token": csrf.group(1)})
        assert out.status_code == 200
        target = re.search(r'url=([^"]+)"', out.text)
        assert target is not None
        url = target.group(1).replace("&amp;", "&")
        assert url.startswith(oidc_provider.issuer + "/logout?")
        assert query_of(url)["post_logout_redirect_uri"] == fredag.base_url + "/logga-in"
        assert http.get(fredag.base_url + "/inkorg", follow_redirects=False).status_code == 303
        before = len(oidc_provider.logouts)
        back = http.get(url, follow_redirects=False)
        assert back.status_code == 302
        assert back.headers["location"].startswith(fredag.base_url + "/logga-in")
        assert oidc_provider.logouts[before]["user"] == person.username
        assert oidc_provider.logouts[before]["claims"]["sub"] == person.sub
        start = http.get(fredag.base_url + "/oidc/login")
        assert http.get(start.headers["location"]).status_code == 200  # the login form again
