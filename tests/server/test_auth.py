"""Logging in: argon2 passwords, cookie flags, throttling, logout."""

from __future__ import annotations

import sqlalchemy as sa

from tests.server.harness import PASSWORD, Api, ServerProcess, new_caseworker


class TestLogin:
    def test_login_sets_httponly_samesite_cookie(self, server: ServerProcess, admin: Api) -> None:
        """A good login sets the cookie HttpOnly and SameSite, not Secure over plain HTTP."""
        name, _ = new_caseworker(server, admin)
        response = server.client().login(name, PASSWORD)
        assert response.status_code == 200
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        assert "secure" not in cookie
        assert response.json()["user"]["role"] == "caseworker"

    def test_wrong_password_is_401_without_saying_why(
        self, server: ServerProcess, admin: Api
    ) -> None:
        """A wrong password and an unknown user get the same 401 answer."""
        name, _ = new_caseworker(server, admin)
        wrong = server.client().login(name, "not-the-password")
        unknown = server.client().login("nobody_at_all", "not-the-password")
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json() == unknown.json()

    def test_repeated_failures_throttle_even_the_right_password(
        self, server: ServerProcess, admin: Api
    ) -> None:
        """After five failures the sixth attempt is 429, even with the right password."""
        name, _ = new_caseworker(server, admin)
        client = server.client()
        for _ in range(5):
            assert client.login(name, "wrong-password").status_code == 401
        response = client.login(name, PASSWORD)
        assert response.status_code == 429
        assert response.json()["code"] == "login_throttled"

    def test_throttle_is_per_user(self, server: ServerProcess, admin: Api) -> None:
        """Failures for one user name do not lock out another."""
        victim, _ = new_caseworker(server, admin)
        other, _ = new_caseworker(server, admin)
        for _ in range(6):
            server.client().login(victim, "wrong-password")
        assert server.client().login(other, PASSWORD).status_code == 200

    def test_logout_ends_the_session(self, server: ServerProcess, admin: Api) -> None:
        """After logout the old cookie no longer works."""
        _name, api = new_caseworker(server, admin)
        cookie = api.cookies.get("fredag_session")
        assert api.get("/api/v1/auth/me").status_code == 200
        assert api.post("/api/v1/auth/logout").status_code == 204
        stale = server.client()
        stale.cookies.set("fredag_session", cookie or "")
        assert stale.get("/api/v1/auth/me").status_code == 401

    def test_passwords_are_argon2_hashes(self, admin: Api, db_engine: sa.Engine) -> None:
        """No password is stored in clear; every hash is argon2id."""
        with db_engine.connect() as conn:
            hashes = conn.execute(sa.text("SELECT password_hash FROM users")).scalars().all()
        assert hashes
        assert all(h.startswith("$argon2id$") for h in hashes)


class TestHostileInput:
    def test_nul_character_in_user_name_is_a_client_error(self, server: ServerProcess) -> None:
        """A login with a NUL character in the name gets a 4xx, never a server error."""
        response = server.client().login("ad\x00min", "whatever-password")
        assert 400 <= response.status_code < 500
        assert response.json()["detail"]

    def test_huge_ids_are_a_client_error(self, admin: Api) -> None:
        """Ids beyond the database's range are refused as invalid, never a server error."""
        assert admin.post(f"/api/v1/admin/devices/{2**70}/revoke").status_code == 422
        assert admin.patch(f"/api/v1/admin/users/{2**70}", json={}).status_code == 422
