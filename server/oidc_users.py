"""From verified ID-token claims to a Fredag user: role from the groups, created or deactivated.

Rules (checked at every sign-in, docs/server.md):
* the user is found by (issuer, the subject claim), never by name or e-mail;
* the role comes from the configured role/group claim: a value in
  `FREDAG_OIDC_ADMIN_VALUES` makes an administrator, else one in
  `FREDAG_OIDC_CASEWORKER_VALUES` a caseworker, else the user is refused, and an existing
  user is deactivated (their open sessions end);
* a caseworker must have signed in with one of `FREDAG_OIDC_CASEWORKER_ACR` when it is set;
* a user deactivated by this check is active again once the group allows them; one an
  administrator deactivated stays refused;
* new users get a user name from `FREDAG_OIDC_USERNAME_CLAIM` (made unique), the name from
  `FREDAG_OIDC_NAME_CLAIM`, and no usable password.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server import audit
from server.config import ServerSettings
from server.models import User, UserSession
from server.oidc import OidcFailure

# Not an argon2 hash: verify_password() is always False for it, so no password works.
NO_PASSWORD = "!oidc"  # noqa: S105


def claim(claims: dict[str, Any], path: str) -> Any:
    """A claim by name, or by a dotted path into nested objects (`realm_access.roles`)."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def role_values(claims: dict[str, Any], path: str) -> set[str]:
    value = claim(claims, path)
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, list):
        return {v for v in value if isinstance(v, str)}
    return set()


def role_for(settings: ServerSettings, claims: dict[str, Any]) -> str | None:
    values = role_values(claims, settings.oidc_roles_claim)
    if values & set(settings.oidc_admin_values):
        return "admin"
    if values & set(settings.oidc_caseworker_values):
        return "caseworker"
    return None


def subject_of(settings: ServerSettings, claims: dict[str, Any]) -> str:
    value = claim(claims, settings.oidc_subject_claim)
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        raise OidcFailure("no_subject", f"no usable {settings.oidc_subject_claim!r} claim")
    return value


def auth_context(claims: dict[str, Any]) -> dict[str, Any]:
    """What the audit log keeps about how the person authenticated (amr, acr)."""
    amr = claims.get("amr")
    return {
        "method": "oidc",
        "acr": claims.get("acr") if isinstance(claims.get("acr"), str) else None,
        "amr": [str(v) for v in amr] if isinstance(amr, list) else None,
    }


def _free_username(db: Session, wanted: str, subject: str) -> str:
    base = "".join(ch for ch in wanted.strip() if ch.isprintable() and not ch.isspace())[:64]
    if not base:
        base = "oidc-" + hashlib.sha256(subject.encode()).hexdigest()[:12]
    if db.scalars(select(User.id).where(User.username == base)).first() is None:
        return base
    suffix = "-" + hashlib.sha256(subject.encode()).hexdigest()[:8]
    return base[: 64 - len(suffix)] + suffix


def _end_sessions(db: Session, user: User) -> None:
    db.execute(delete(UserSession).where(UserSession.user_id == user.id))


def sign_in(db: Session, settings: ServerSettings, claims: dict[str, Any], ip: str) -> User:
    """The user these verified claims sign in, created or updated; else OidcFailure.

    Changes (a deactivation too) are left in `db` for the caller to commit with its audit row.
    """
    issuer = str(claims.get("iss", ""))
    subject = subject_of(settings, claims)
    context = auth_context(claims)
    user = db.scalars(
        select(User).where(User.oidc_issuer == issuer, User.oidc_subject == subject)
    ).first()
    role = role_for(settings, claims)
    if role is None:
        if user is not None and user.is_active:
            user.is_active = False
            user.deactivated_by_provider = True
            _end_sessions(db, user)
            audit.record(
                db,
                "user.deactivate",
                actor="oidc",
                ip=ip,
                object_type="user",
                object_id=user.id,
                reason="no_allowed_group",
            )
        raise OidcFailure("not_in_group", user=user, subject=subject, **context)
    acr_ok = context["acr"] in settings.oidc_caseworker_acr
    if role == "caseworker" and settings.oidc_caseworker_acr and not acr_ok:
        raise OidcFailure("acr", user=user, subject=subject, **context)
    name = claim(claims, settings.oidc_name_claim)
    full_name = name.strip()[:200] if isinstance(name, str) else ""
    if user is None:
        wanted = claim(claims, settings.oidc_username_claim) or claims.get("email") or ""
        user = User(
            username=_free_username(db, str(wanted), subject),
            full_name=full_name,
            role=role,
            password_hash=NO_PASSWORD,
            oidc_issuer=issuer,
            oidc_subject=subject,
        )
        db.add(user)
        db.flush()
        audit.record(
            db,
            "user.create",
            actor="oidc",
            ip=ip,
            object_type="user",
            object_id=user.id,
            username=user.username,
            role=role,
            source="oidc",
        )
        return user
    if not user.is_active:
        if not user.deactivated_by_provider:
            raise OidcFailure("inactive", user=user, subject=subject, **context)
        user.is_active = True
        user.deactivated_by_provider = False
        audit.record(
            db,
            "user.reactivate",
            actor="oidc",
            ip=ip,
            object_type="user",
            object_id=user.id,
            reason="allowed_group",
        )
    changes: dict[str, Any] = {}
    if role != user.role:
        changes["role"] = role
    if full_name and full_name != user.full_name:
        changes["full_name"] = full_name
    if changes:
        for key, value in changes.items():
            setattr(user, key, value)
        if "role" in changes:
            _end_sessions(db, user)
        audit.record(
            db, "user.update", actor="oidc", ip=ip, object_type="user", object_id=user.id, **changes
        )
    return user
