"""Signing in with the municipality's identity provider (OpenID Connect) in the browser.

GET /oidc/login     stores a pending sign-in, sets the state cookie, redirects to the provider
GET /oidc/callback  the provider's redirect back: state, code, ID token, user, session

The state cookie (HttpOnly, SameSite=Lax, path /oidc) ties the callback to the browser that
started the sign-in, so nobody can sign a victim in with their own code (login CSRF).
Every refusal is a Swedish page saying what happened, an audit row `login.failure` with its
reason, and no session; nothing here answers 500 for a provider's or a token's fault.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from server import audit, oidc, oidc_users, security
from server.config import ServerSettings
from server.deps import ClientIP, LoginSessionDep, SessionDep, SettingsDep, is_tls
from server.web.frame import WebError, lang_of, render
from server.web.routes_auth import _home_for as home_for
from server.web.routes_auth import _safe_next as safe_next

router = APIRouter(include_in_schema=False)
LOGIN_PATH = "/oidc/login"


def _callback_uri(request: Request, settings: ServerSettings) -> str:
    return oidc.public_base(settings, str(request.base_url)) + oidc.CALLBACK_PATH


def _secure(request: Request, settings: ServerSettings) -> bool:
    return is_tls(request) or settings.cookie_secure


def _refused(
    request: Request,
    db: Any,
    settings: ServerSettings,
    failure: oidc.OidcFailure,
    ip: str,
) -> Response:
    """Audit the refusal, commit, and show the Swedish page (no session, state cookie gone)."""
    user = failure.user
    detail = {"method": "oidc", **failure.audit}
    subject = detail.pop("subject", "")
    detail.update(reason=failure.reason, detail=failure.detail)
    audit.record(
        db,
        "login.failure",
        user=user,
        actor=user.username if user is not None else (f"oidc:{subject}" if subject else "oidc"),
        ip=ip,
        object_type="user",
        object_id=user.id if user is not None else "",
        **detail,
    )
    db.commit()
    response = render(
        request,
        "oidc_failed.html",
        {"reason_key": f"oidc_fail_{failure.reason}", "reason": failure.reason},
        status=failure.status,
    )
    response.delete_cookie(
        oidc.STATE_COOKIE, path="/oidc", secure=_secure(request, settings), httponly=True
    )
    return response


@router.get(LOGIN_PATH)
def start(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    row: LoginSessionDep,
    ip: ClientIP,
    next: str = "",
) -> Response:
    """Send the browser to the identity provider with a fresh state, nonce and PKCE challenge."""
    if not settings.oidc_enabled:
        raise WebError(404)
    if row is not None:
        return RedirectResponse(home_for(row.user.role), status_code=303)
    try:
        started = oidc.begin(
            db,
            settings,
            redirect_uri=_callback_uri(request, settings),
            next_url=safe_next(next[:2000]) or "",
            ui_locales=lang_of(request),
        )
    except oidc.OidcFailure as failure:
        db.rollback()
        return _refused(request, db, settings, failure, ip)
    db.commit()
    response = RedirectResponse(started.url, status_code=303)
    response.set_cookie(
        oidc.STATE_COOKIE,
        started.state,
        max_age=int(settings.oidc_login_minutes * 60),
        httponly=True,
        samesite="lax",  # the provider's redirect back is a cross-site top-level GET
        secure=_secure(request, settings),
        path="/oidc",
    )
    return response


@router.get(oidc.CALLBACK_PATH)
def callback(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    ip: ClientIP,
    state: str = "",
    code: str = "",
    error: str = "",
) -> Response:
    """The provider's redirect back: verify everything, then sign the user in."""
    if not settings.oidc_enabled:
        raise WebError(404)
    try:
        verified = oidc.finish(
            db,
            settings,
            state=state,
            cookie_state=request.cookies.get(oidc.STATE_COOKIE, ""),
            code=code,
            error=error,
        )
        user = oidc_users.sign_in(db, settings, verified.claims, ip)
    except oidc.OidcFailure as failure:
        return _refused(request, db, settings, failure, ip)
    new = security.start_session(db, settings, user, ip, id_token=verified.id_token)
    audit.record(
        db,
        "login.success",
        user=user,
        ip=ip,
        object_type="user",
        object_id=user.id,
        issuer=verified.claims.get("iss"),
        **oidc_users.auth_context(verified.claims),
    )
    db.commit()
    response = RedirectResponse(verified.next_url or home_for(user.role), status_code=303)
    security.set_session_cookie(response, settings, new, secure=is_tls(request))
    response.delete_cookie(
        oidc.STATE_COOKIE, path="/oidc", secure=_secure(request, settings), httponly=True
    )
    return response
