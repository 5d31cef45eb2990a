"""Passwords, login sessions, login throttling and CSRF tokens, all kept in the database.

Reusable by the HTML pages: `authenticate()` checks a login (throttled, audit-logged),
`start_session()` / `end_session()` manage the session row, `set_session_cookie()` writes the
cookie (HttpOnly, SameSite, Secure under TLS), `user_for_token()` resolves a cookie and
`csrf_ok()` checks a form's or header's CSRF token against the session's.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from fredag.errors import FredagError
from fredag.settings import load_settings
from server import audit
from server.config import ServerSettings
from server.models import LoginAttempt, User, UserSession, utcnow

MIN_PASSWORD_CHARS = 10


class PasswordHashSettings(BaseSettings):
    """argon2id cost (`FREDAG_ARGON2_*`); the defaults are RFC 9106's low-memory profile.

    Existing hashes keep verifying when these change; they are re-hashed at the next login.
    """

    model_config = SettingsConfigDict(env_prefix="FREDAG_ARGON2_", extra="ignore")

    time_cost: int = Field(3, ge=1, le=20)
    memory_kib: int = Field(65536, ge=1024, le=4 * 1024 * 1024)
    parallelism: int = Field(4, ge=1, le=64)


def password_hash_settings() -> PasswordHashSettings:
    """The argon2 cost from the environment; a bad value is one SettingsInvalid line."""
    return load_settings(PasswordHashSettings)


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    cost = password_hash_settings()
    return PasswordHasher(
        time_cost=cost.time_cost, memory_cost=cost.memory_kib, parallelism=cost.parallelism
    )


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verifying against this keeps a login for an unknown user as slow as for a known one."""
    return _hasher().hash("fredag-not-a-password")


class LoginThrottled(FredagError):
    """Too many failed logins for this user name recently."""


class LoginFailed(FredagError):
    """Wrong user name or password (deliberately not saying which)."""


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def keyed_hash(settings: ServerSettings, value: str) -> str:
    """HMAC-SHA256 under the server secret: how tokens and codes are stored."""
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def failures_since_success(session: Session, settings: ServerSettings, username: str) -> int:
    """Failed logins for `username` in the throttle window since its last success."""
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    last_ok = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.success.is_(True)
        )
    )
    if last_ok is not None and last_ok > since:
        since = last_ok
    count = session.scalar(
        select(func.count()).where(
            LoginAttempt.username == username,
            LoginAttempt.success.is_(False),
            LoginAttempt.at > since,
        )
    )
    return int(count or 0)


def authenticate(
    session: Session, settings: ServerSettings, username: str, password: str, ip: str
) -> User:
    """The user whose credentials these are, else LoginFailed/LoginThrottled (both audited).

    The caller commits the session in every case so failures are counted and logged.
    """
    username = username.strip()[:64]
    if failures_since_success(session, settings, username) >= settings.login_max_failures:
        session.add(LoginAttempt(username=username, ip=ip, success=False))
        audit.record(session, "login.throttled", actor=username, ip=ip, object_type="user")
        raise LoginThrottled(
            "too many failed logins: wait "
            f"{settings.login_window_minutes:g} minutes or ask an administrator"
        )
    user = session.scalars(select(User).where(User.username == username)).first()
    ok = verify_password(user.password_hash if user else _dummy_hash(), password)
    if user is None or not ok or not user.is_active:
        session.add(LoginAttempt(username=username, ip=ip, success=False))
        audit.record(
            session,
            "login.failure",
            actor=username,
            ip=ip,
            object_type="user",
            object_id=user.id if user else "",
        )
        raise LoginFailed("wrong user name or password")
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.add(LoginAttempt(username=username, ip=ip, success=True))
    audit.record(session, "login.success", user=user, ip=ip, object_type="user", object_id=user.id)
    return user


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf_token: str
    max_age: int


def start_session(
    session: Session, settings: ServerSettings, user: User, ip: str, *, id_token: str | None = None
) -> NewSession:
    """A new login session for `user`; the raw token goes in the cookie only.

    `id_token` is the identity provider's ID token of a single sign-on (kept for its logout).
    """
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    lifetime = timedelta(hours=settings.session_hours)
    session.execute(delete(UserSession).where(UserSession.expires_at < utcnow()))
    session.add(
        UserSession(
            token_hash=keyed_hash(settings, token),
            user_id=user.id,
            csrf_token=csrf,
            expires_at=utcnow() + lifetime,
            ip=ip,
            id_token=id_token,
        )
    )
    return NewSession(token=token, csrf_token=csrf, max_age=int(lifetime.total_seconds()))


def session_for_token(
    session: Session, settings: ServerSettings, token: str | None
) -> UserSession | None:
    """The live session row for a cookie value (with an active user), else None."""
    if not token or len(token) > 200:
        return None
    row = session.get(UserSession, keyed_hash(settings, token))
    if row is None or row.expires_at <= utcnow() or not row.user.is_active:
        return None
    return row


def user_for_token(session: Session, settings: ServerSettings, token: str | None) -> User | None:
    row = session_for_token(session, settings, token)
    return row.user if row is not None else None


def end_session(session: Session, settings: ServerSettings, token: str | None) -> None:
    if token:
        session.execute(
            delete(UserSession).where(UserSession.token_hash == keyed_hash(settings, token))
        )


def csrf_ok(row: UserSession, supplied: str | None) -> bool:
    return bool(supplied) and hmac.compare_digest(row.csrf_token, supplied or "")


def set_session_cookie(
    response: Response, settings: ServerSettings, new: NewSession, *, secure: bool
) -> None:
    response.set_cookie(
        settings.cookie_name,
        new.token,
        max_age=new.max_age,
        httponly=True,
        samesite=settings.cookie_samesite,
        secure=secure or settings.cookie_secure,
        path="/",
    )


def clear_session_cookie(response: Response, settings: ServerSettings, *, secure: bool) -> None:
    response.delete_cookie(
        settings.cookie_name,
        httponly=True,
        samesite=settings.cookie_samesite,
        secure=secure or settings.cookie_secure,
        path="/",
    )
