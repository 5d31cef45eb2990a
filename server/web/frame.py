"""What every HTML page shares: templates, the logged-in user, CSRF checks and page rendering.

* `render(request, name, ctx)` renders a template with autoescaping on (every value from a
  transcript or a user is escaped), the user, the CSRF token and `t()` for strings.
* `PageUser`, `PageCaseworker`, `PageAdmin`: the user behind the session cookie, else a
  redirect to the login page (no session) or a Swedish 403 page (wrong role).
* `diff_html(lines)`: a unified diff as one block per line (the versions page, the
  catalogue page).
* `CsrfForm`: every POST is refused with 403 unless it carries the session's CSRF token, in
  the `X-CSRF-Token` header (HTMX sends it from `hx-headers` on <body>) or in the form field
  `csrf_token` (plain forms).
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from fredag.clock import local_text
from server import security
from server.deps import CSRF_HEADER, LoginSessionDep
from server.models import User, UserSession
from server.web.i18n import text

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
LANG_COOKIE = "fredag_lang"
CSRF_FIELD = "csrf_token"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class WebError(Exception):
    """A refusal shown as a Swedish error page (status and a key into i18n.STRINGS)."""

    def __init__(self, status: int, key: str | None = None) -> None:
        super().__init__(key or f"error_{status}")
        self.status = status
        self.key = key or f"error_{status}"


class LoginRequired(Exception):
    """No live session: the page redirects to the login page."""


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Swedish time for a page (fredag.clock: stored UTC, shown Europe/Stockholm)."""
    return local_text(value, fmt)


def diff_html(lines: Sequence[str]) -> Markup:
    """A unified diff (`difflib.unified_diff`, lineterm="") as HTML, its two file lines left
    out: each line a span classed by what it is (added, deleted, hunk, the same)."""
    out = []
    for line in lines[2:]:
        cls = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append(Markup('<span class="d-{}">{}</span>').format(cls, escape(line)))
    # Each line is its own block (static/app.css): a newline between them would show as an
    # empty line after every line of the diff.
    return Markup("").join(out)


def _make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["local"] = local_time
    return env


ENV = _make_env()


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "sv")
    return lang if lang in ("sv", "en") else "sv"


@dataclass(frozen=True)
class PageSession:
    user: User
    csrf_token: str


def render(
    request: Request,
    name: str,
    ctx: dict[str, Any] | None = None,
    *,
    page: PageSession | None = None,
    status: int = 200,
) -> HTMLResponse:
    lang = lang_of(request)
    values: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "t": lambda key, **kw: text(lang, key, **kw),
        "user": page.user if page else None,
        "csrf_token": page.csrf_token if page else "",
        "csrf_header": CSRF_HEADER,
        "flash": request.query_params.get("ok", ""),
        "here": request.url.path,  # where the language switch comes back to
        # A refused POST answered with the page again: the page's own (GET) address, which
        # app.js puts in the tab so a reload reads the page and never re-posts the form.
        "address": "",
    }
    values.update(ctx or {})
    html = ENV.get_template(name).render(values)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def page_session(row: LoginSessionDep) -> PageSession:
    if row is None:
        raise LoginRequired
    return PageSession(user=row.user, csrf_token=row.csrf_token)


def page_caseworker(page: Annotated[PageSession, Depends(page_session)]) -> PageSession:
    if page.user.role != "caseworker":
        raise WebError(403)
    return page


def page_admin(page: Annotated[PageSession, Depends(page_session)]) -> PageSession:
    if page.user.role != "admin":
        raise WebError(403)
    return page


PageUser = Annotated[PageSession, Depends(page_session)]
PageCaseworker = Annotated[PageSession, Depends(page_caseworker)]
PageAdmin = Annotated[PageSession, Depends(page_admin)]


def token_matches(expected: str, supplied: str | None) -> bool:
    return bool(supplied) and hmac.compare_digest(expected, supplied or "")


async def csrf_form(request: Request, row: LoginSessionDep) -> None:
    """Refuse (403) a state-changing request without the session's CSRF token."""
    if row is None:
        raise LoginRequired
    supplied = request.headers.get(CSRF_HEADER)
    if not supplied:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        supplied = value if isinstance(value, str) else None
    if not security.csrf_ok(row, supplied):
        raise WebError(403, "error_csrf")


CsrfForm = Annotated[None, Depends(csrf_form)]


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def session_row_csrf(row: UserSession) -> str:
    return row.csrf_token
