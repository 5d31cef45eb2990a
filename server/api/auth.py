"""Logging in and out with a session cookie (JSON); the HTML login page reuses server.security."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from server import audit, security
from server.deps import (
    ClientIP,
    CsrfChecked,
    CurrentUser,
    LoginSessionDep,
    SessionDep,
    SettingsDep,
    is_tls,
)
from server.errors import ApiError
from server.schemas import LoginRequest, LoginResponse, UserPublic

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=LoginResponse)
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    db: SessionDep,
    settings: SettingsDep,
    ip: ClientIP,
) -> LoginResponse:
    """Log in; sets the HttpOnly session cookie and returns the CSRF token for changes.

    Refused (403 `local_passwords_off`) when FREDAG_LOCAL_PASSWORDS is off.
    """
    if not settings.local_passwords:
        raise ApiError(
            403, "local_passwords_off", "password login is switched off: sign in in the browser"
        )
    try:
        user = security.authenticate(db, settings, body.username, body.password, ip)
    except security.LoginThrottled as exc:
        db.commit()
        raise ApiError(429, "login_throttled", str(exc)) from exc
    except security.LoginFailed as exc:
        db.commit()
        raise ApiError(401, "login_failed", str(exc)) from exc
    new = security.start_session(db, settings, user, ip)
    db.commit()
    security.set_session_cookie(response, settings, new, secure=is_tls(request))
    return LoginResponse(user=UserPublic.model_validate(user), csrf_token=new.csrf_token)


@router.post("/logout", status_code=204)
def logout(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    row: LoginSessionDep,
    _csrf: CsrfChecked,
    ip: ClientIP,
) -> Response:
    """End the session and clear its cookie."""
    response = Response(status_code=204)
    if row is not None:
        audit.record(db, "logout", user=row.user, ip=ip, object_type="user", object_id=row.user_id)
    security.end_session(db, settings, request.cookies.get(settings.cookie_name))
    db.commit()
    security.clear_session_cookie(response, settings, secure=is_tls(request))
    return response


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    """Who is logged in."""
    return UserPublic.model_validate(user)
