"""The touch screen's guard: only the device's own browser session gets through."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from device.views.touch.guard import COOKIE, CsrfRefused, Guard, Secrets, check_csrf

PORT = 8470
BASE = f"http://127.0.0.1:{PORT}"


def make_client(keys: Secrets) -> TestClient:
    async def home(request: Request) -> Response:
        return PlainTextResponse("case content")

    async def act(request: Request) -> Response:
        try:
            await check_csrf(request, keys)
        except CsrfRefused:
            return PlainTextResponse("csrf", status_code=403)
        return PlainTextResponse("done")

    app = Starlette(routes=[Route("/", home), Route("/act", act, methods=["POST"])])
    return TestClient(Guard(app, keys=keys, port=PORT), base_url=BASE)


class TestToken:
    def test_no_cookie_is_refused(self) -> None:
        """A request without this start's token cookie gets 403 and nothing of the page."""
        client = make_client(Secrets())
        response = client.get("/")
        assert response.status_code == 403
        assert "case content" not in response.text
        assert response.headers["cache-control"] == "no-store"

    def test_wrong_token_is_refused(self) -> None:
        """A token of another start (or a guessed one) is refused."""
        client = make_client(Secrets())
        client.cookies.set(COOKIE, Secrets().token)
        assert client.get("/").status_code == 403

    def test_own_token_passes_with_no_store(self) -> None:
        """With the token the page is served, never cached, with a strict CSP and no framing."""
        keys = Secrets()
        client = make_client(keys)
        client.cookies.set(COOKIE, keys.token)
        response = client.get("/")
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"

    def test_tokens_differ_per_start(self) -> None:
        """Each start makes a new random token and CSRF token."""
        a, b = Secrets(), Secrets()
        assert a.token != b.token and a.csrf != b.csrf
        assert len(a.token) >= 40


class TestOriginAndHost:
    def test_other_origin_is_refused(self) -> None:
        """A request naming another origin is refused even with the token."""
        keys = Secrets()
        client = make_client(keys)
        client.cookies.set(COOKIE, keys.token)
        response = client.get("/", headers={"Origin": "http://evil.example"})
        assert response.status_code == 403
        assert response.headers["x-refused"] == "origin"

    def test_other_host_is_refused(self) -> None:
        """A Host other than this server's loopback address (DNS rebinding) is refused."""
        keys = Secrets()
        client = make_client(keys)
        client.cookies.set(COOKIE, keys.token)
        response = client.get("/", headers={"Host": f"fredag.example:{PORT}"})
        assert response.status_code == 403
        assert response.headers["x-refused"] == "host"

    def test_action_without_origin_is_refused(self) -> None:
        """An action that names no origin (and is not same-origin by fetch metadata) is refused."""
        keys = Secrets()
        client = make_client(keys)
        client.cookies.set(COOKIE, keys.token)
        response = client.post("/act", data={"csrf": keys.csrf})
        assert response.status_code == 403


class TestCsrf:
    def test_action_needs_csrf(self) -> None:
        """An action from the own origin with the token but without the CSRF token is not done."""
        keys = Secrets()
        client = make_client(keys)
        client.cookies.set(COOKIE, keys.token)
        headers = {"Origin": BASE}
        assert client.post("/act", data={}, headers=headers).text == "csrf"
        assert client.post("/act", data={"csrf": "x" * 64}, headers=headers).text == "csrf"
        assert client.post("/act", data={"csrf": keys.csrf}, headers=headers).text == "done"
