"""Swedish error pages for the HTML side; the JSON API under /api keeps its own JSON errors.

The server core installs JSON handlers first; `install(app)` wraps each of them so requests
outside /api get an HTML page (or, for HTMX, a short message fragment) instead. No page ever
shows a stack trace: unexpected errors are logged and answered with a plain 500 page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from fredag.errors import FredagError
from server import security
from server.config import API_V1
from server.deps import request_ip
from server.drafts import record_refused
from server.errors import ApiError
from server.web.frame import (
    SECURITY_HEADERS,
    LoginRequired,
    PageSession,
    WebError,
    is_htmx,
    lang_of,
    render,
)
from server.web.i18n import STRINGS, text

log = logging.getLogger("fredag.server.web")
Handler = Callable[[Request, Exception], Awaitable[Response] | Response]
# Case content: a draft's pages, versions, exports and changes, and the JSON API's drafts.
CASE_CONTENT = re.compile(r"^(?:/utkast|" + re.escape(API_V1) + r"/drafts)/([^/]+)")


def _status_of(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, WebError):
        return exc.status, exc.key
    if isinstance(exc, ApiError):
        return exc.status, "error_csrf" if exc.code == "csrf" else f"error_{exc.status}"
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code, f"error_{exc.status_code}"
    if isinstance(exc, RequestValidationError):
        return 422, "error_422"
    if isinstance(exc, FredagError):
        return 400, "error_400"
    return 500, "error_500"


def _title_key(status: int, message_key: str = "") -> str:
    """A plain title for the status ("Finns inte"), not "Något gick fel (404)"; a message
    may have its own ("Inte godkänd": a 409 that is no conflict of changes)."""
    if f"error_title_{message_key}" in STRINGS:
        return f"error_title_{message_key}"
    key = f"error_title_{status}"
    if key in STRINGS:
        return key
    return "error_title_500" if status >= 500 else "error_title"


def error_page(request: Request, exc: Exception) -> Response:
    status, key = _status_of(exc)
    if status == 401:
        return _to_login(request)
    if status >= 500:
        log.error(
            "unexpected error on %s %s",
            request.method,
            request.url.path,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
    if key not in STRINGS:
        key = "error_500" if status >= 500 else "error_400"
    if is_htmx(request):
        message = text(lang_of(request), key)
        return Response(
            message,
            status_code=status,
            media_type="text/plain; charset=utf-8",
            headers=SECURITY_HEADERS,
        )
    return render(
        request,
        "error.html",
        {"status": status, "message_key": key, "title_key": _title_key(status, key)},
        page=_page_of(request) if status < 500 else None,
        status=status,
    )


def _page_of(request: Request) -> PageSession | None:
    """The logged-in user for the error page's header (menu, log out), if there is one."""
    try:
        settings = request.app.state.settings
        with request.app.state.sessionmaker() as db:
            row = security.session_for_token(
                db, settings, request.cookies.get(settings.cookie_name)
            )
            if row is None:
                return None
            db.expunge(row.user)
            return PageSession(user=row.user, csrf_token=row.csrf_token)
    except Exception:  # an error page must never fail because of this
        log.warning("no user for the error page", exc_info=True)
        return None


def _to_login(request: Request) -> Response:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    url = "/logga-in?next=" + quote(target, safe="")
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": url, **SECURITY_HEADERS})
    return RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ApiError):
        return exc.code
    if isinstance(exc, WebError):
        return exc.key
    return type(exc).__name__


def audit_refusal(request: Request, exc: Exception) -> None:
    """Put a refused (403/404) read or write of case content in the audit log: who (the
    session's user, if any), which draft and case, when, from where, and how it was asked."""
    status = _status_of(exc)[0]
    found = CASE_CONTENT.match(request.url.path)
    if status not in (403, 404) or found is None:
        return
    try:
        settings = request.app.state.settings
        with request.app.state.sessionmaker() as db:
            row = security.session_for_token(
                db, settings, request.cookies.get(settings.cookie_name)
            )
            recorded = record_refused(
                db,
                row.user if row is not None else None,
                request_ip(request),
                found.group(1),
                status,
                method=request.method,
                path=request.url.path,
                reason=_reason(exc),
            )
            if recorded:
                db.commit()
    except Exception:  # the refusal itself must still be answered
        log.exception("could not audit a refused request to %s", request.url.path)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_V1 + "/") or request.url.path == API_V1


def _wrap(previous: Handler | None) -> Handler:
    async def handler(request: Request, exc: Exception) -> Response:
        await run_in_threadpool(audit_refusal, request, exc)
        if _is_api(request) and previous is not None:
            result = previous(request, exc)
            return await result if isinstance(result, Awaitable) else result
        return error_page(request, exc)

    return handler


def install(app: FastAPI) -> None:
    """Route HTML-side errors to Swedish pages; keep the API's JSON errors for /api."""
    for exc_class in (
        ApiError,
        StarletteHTTPException,
        RequestValidationError,
        FredagError,
        Exception,
    ):
        previous = app.exception_handlers.get(exc_class)
        app.add_exception_handler(exc_class, _wrap(previous))

    async def login_required(request: Request, _exc: Exception) -> Response:
        return _to_login(request)

    async def web_error(request: Request, exc: Exception) -> Response:
        await run_in_threadpool(audit_refusal, request, exc)
        return error_page(request, exc)

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(WebError, web_error)
