"""Who may talk to the handheld's screen: only the device's own browser session.

* A random token per start of `fredag ui`. The kiosk browser opens the launch address
  (``/oppna?nyckel=TOKEN``, printed and written to ``$FREDAG_HOME/ui-launch-url``, mode 0600)
  once; that sets an HttpOnly, SameSite=Strict cookie carrying the token, and every later
  request must carry it. Without it: 403, nothing of a case.
* The Host must be this server's own loopback address (no DNS rebinding) and a request that
  names another Origin is refused; an action (POST) must name this origin (Origin, or
  Sec-Fetch-Site: same-origin) and carry the CSRF token of this start (form field ``csrf`` or
  header ``X-CSRF-Token``), checked by `check_csrf` in every POST handler.
* Every response: ``Cache-Control: no-store``, a strict Content-Security-Policy (own scripts
  and styles only), the referrer only to itself (with no-referrer Chromium would send
  ``Origin: null``), no framing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from starlette.datastructures import FormData, Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "fredag_ui"
LAUNCH_PATH = "/oppna"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")
SECURITY_HEADERS = (
    (b"cache-control", b"no-store"),
    (b"pragma", b"no-cache"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
)
REFUSED = "Den här sidan visas bara på enhetens egen skärm. / Only on the device's own screen."


class CsrfRefused(Exception):
    """An action without this start's CSRF token (or from another origin)."""


@dataclass(frozen=True)
class Secrets:
    """The token of this start and the CSRF token derived from it."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def csrf(self) -> str:
        return hmac.new(self.token.encode(), b"fredag-ui-csrf", hashlib.sha256).hexdigest()

    def token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.csrf.encode())


def own_origins(port: int) -> frozenset[str]:
    return frozenset(f"http://{host}:{port}" for host in LOOPBACK_HOSTS)


class Guard:
    """ASGI middleware: Host, Origin and the session cookie on every request; security
    headers on every response."""

    def __init__(self, app: ASGIApp, *, keys: Secrets, port: int) -> None:
        self.app = app
        self.keys = keys
        self.port = port
        self.origins = own_origins(port)
        self.hosts = frozenset(f"{h}:{port}" for h in LOOPBACK_HOSTS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self.refusal(scope, headers)

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0] != b"cache-control"),
                    *SECURITY_HEADERS,
                ]
            await send(message)

        if refusal is not None:
            response = PlainTextResponse(REFUSED, status_code=403, headers={"X-Refused": refusal})
            await response(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)

    def refusal(self, scope: Scope, headers: Headers) -> str | None:
        """Why this request is refused (None: it is the device's own browser)."""
        if headers.get("host") not in self.hosts:
            return "host"
        origin = headers.get("origin")
        if origin is not None and origin not in self.origins:
            return "origin"
        unsafe = scope["method"] not in ("GET", "HEAD")
        if unsafe and origin is None and headers.get("sec-fetch-site") != "same-origin":
            return "origin"
        if scope["path"] == LAUNCH_PATH and scope["method"] == "GET":
            return None  # the launch address checks its token itself
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:
            return "cookie"
        morsel = cookie.get(COOKIE)
        if not self.keys.token_ok(morsel.value if morsel is not None else None):
            return "token"
        return None


async def check_csrf(request: Request, keys: Secrets) -> FormData:
    """The action's form, once its CSRF token is checked (`CsrfRefused` if not)."""
    form = await request.form()
    given = request.headers.get("x-csrf-token") or form.get("csrf")
    if not isinstance(given, str) or not keys.csrf_ok(given):
        raise CsrfRefused
    return form
