"""Logging in and out in the browser, the start page and the language switch.

The login form has its own CSRF protection (there is no session yet): a random token in a
short-lived cookie that the form must send back (double submit). When the municipality's
identity provider is configured its sign-in is offered first (server/web/routes_oidc.py);
the password form is there only while `FREDAG_LOCAL_PASSWORDS` is on. Logging out of a
single sign-on session also ends the provider's session when it announces an end-session
endpoint (a page that forwards the browser there: CSP form-action would block a redirect).
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from server import audit, oidc, security
from server.config import ServerSettings
from server.deps import ClientIP, LoginSessionDep, SessionDep, SettingsDep, is_tls
from server.web.frame import (
    LANG_COOKIE,
    SECURITY_HEADERS,
    STATIC,
    CsrfForm,
    WebError,
    render,
    token_matches,
)

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "fredag_login_csrf"


def _home_for(role: str) -> str:
    return "/admin" if role == "admin" else "/inkorg"


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: never redirect to another host after login."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


@router.get("/")
def start(row: LoginSessionDep) -> Response:
    target = "/logga-in" if row is None else _home_for(row.user.role)
    return RedirectResponse(target, status_code=303)


def _login_page(
    request: Request, *, error_key: str = "", status: int = 200, next_url: str = ""
) -> Response:
    token = secrets.token_urlsafe(24)
    settings: ServerSettings = request.app.state.settings
    response = render(
        request,
        "login.html",
        {
            "login_csrf": token,
            "error_key": error_key,
            "next_url": next_url,
            "oidc_enabled": settings.oidc_enabled,
            "oidc_name": settings.oidc_display_name,
            "local_passwords": settings.local_passwords,
        },
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=is_tls(request),
        path="/logga-in",
    )
    return response


@router.get("/logga-in")
def login_form(request: Request, row: LoginSessionDep, next: str = "") -> Response:
    if row is not None:
        return RedirectResponse(_home_for(row.user.role), status_code=303)
    return _login_page(request, next_url=_safe_next(next) or "")


@router.post("/logga-in")
def login(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    ip: ClientIP,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if not token_matches(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token):
        raise WebError(403, "error_csrf")
    next_url = _safe_next(next) or ""
    if not settings.local_passwords:
        return _login_page(request, error_key="local_passwords_off", status=403)
    try:
        user = security.authenticate(db, settings, username, password, ip)
    except security.LoginThrottled:
        db.commit()
        return _login_page(request, error_key="login_throttled", status=429, next_url=next_url)
    except security.LoginFailed:
        db.commit()
        return _login_page(request, error_key="login_failed", status=401, next_url=next_url)
    new = security.start_session(db, settings, user, ip)
    db.commit()
    response = RedirectResponse(next_url or _home_for(user.role), status_code=303)
    security.set_session_cookie(response, settings, new, secure=is_tls(request))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/logga-in")
    return response


@router.post("/logga-ut")
def logout(
    request: Request,
    _csrf: CsrfForm,
    db: SessionDep,
    settings: SettingsDep,
    row: LoginSessionDep,
    ip: ClientIP,
) -> Response:
    id_token = row.id_token if row is not None else None
    if row is not None:
        audit.record(
            db,
            "logout",
            user=row.user,
            ip=ip,
            object_type="user",
            object_id=row.user_id,
            method="oidc" if id_token else "password",
        )
    security.end_session(db, settings, request.cookies.get(settings.cookie_name))
    db.commit()
    provider_url = None
    if id_token:
        back = oidc.public_base(settings, str(request.base_url)) + "/logga-in"
        provider_url = oidc.logout_url(settings, id_token, back)
    response: Response
    if provider_url:
        response = render(request, "logged_out.html", {"provider_url": provider_url})
    else:
        response = RedirectResponse("/logga-in", status_code=303)
    security.clear_session_cookie(response, settings, secure=is_tls(request))
    return response


@router.get("/favicon.ico")
def favicon() -> Response:
    """The tab icon browsers ask for at the root (no 404 in every page's console)."""
    return FileResponse(
        STATIC / "favicon.ico",
        media_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/sprak/{lang}")
def language(lang: str, next: str = "/") -> Response:
    """Switch the interface language (Swedish or English) and go back."""
    if lang not in ("sv", "en"):
        raise WebError(404)
    back = _safe_next(next) or "/"
    response = RedirectResponse(back, status_code=303, headers=SECURITY_HEADERS)
    response.set_cookie(LANG_COOKIE, lang, max_age=3600 * 24 * 365, samesite="lax", path="/")
    return response
