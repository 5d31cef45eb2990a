"""FastAPI dependencies and their `Annotated` aliases, for the API and the HTML pages alike.

SettingsDep      the ServerSettings the app was made with
SessionDep       a database session per request (commit explicitly; rolled back on error)
ClientIP         the peer address (uvicorn applies trusted proxy headers)
LoginSessionDep  the caller's live UserSession row, or None
CurrentUser      the logged-in user, else 401
CurrentCaseworker / CurrentAdmin   that user with that role, else 403
CsrfChecked      a state-changing request with a valid X-CSRF-Token header
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from server import security
from server.config import ServerSettings
from server.errors import ApiError
from server.models import User, UserSession

CSRF_HEADER = "X-CSRF-Token"


async def get_settings(request: Request) -> ServerSettings:
    """The app's settings (async: trivial dependencies stay off the thread pool)."""
    settings: ServerSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[ServerSettings, Depends(get_settings)]


def get_db(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    with factory() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise


SessionDep = Annotated[Session, Depends(get_db)]


def request_ip(request: Request) -> str:
    """The peer address of a request (for audit rows)."""
    return request.client.host if request.client else ""


async def client_ip(request: Request) -> str:
    return request_ip(request)


ClientIP = Annotated[str, Depends(client_ip)]


def is_tls(request: Request) -> bool:
    return request.url.scheme == "https"


def login_session(request: Request, db: SessionDep, settings: SettingsDep) -> UserSession | None:
    return security.session_for_token(db, settings, request.cookies.get(settings.cookie_name))


LoginSessionDep = Annotated[UserSession | None, Depends(login_session)]


def current_user(row: LoginSessionDep) -> User:
    if row is None:
        raise ApiError(401, "not_authenticated", "log in first")
    return row.user


CurrentUser = Annotated[User, Depends(current_user)]


def current_caseworker(user: CurrentUser) -> User:
    if user.role != "caseworker":
        raise ApiError(403, "forbidden", "only caseworkers can do this")
    return user


def current_admin(user: CurrentUser) -> User:
    if user.role != "admin":
        raise ApiError(403, "forbidden", "only administrators can do this")
    return user


CurrentCaseworker = Annotated[User, Depends(current_caseworker)]
CurrentAdmin = Annotated[User, Depends(current_admin)]


def csrf_checked(request: Request, row: LoginSessionDep) -> None:
    if row is None:
        raise ApiError(401, "not_authenticated", "log in first")
    if not security.csrf_ok(row, request.headers.get(CSRF_HEADER)):
        raise ApiError(403, "csrf", f"missing or wrong {CSRF_HEADER} header")


CsrfChecked = Annotated[None, Depends(csrf_checked)]
