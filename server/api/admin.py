"""Administration: users, enrollment codes, devices, catalogue, audit log. Never case content."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fredag.errors import CatalogueError
from server import audit, catalogue, devices, security
from server.deps import ClientIP, CsrfChecked, CurrentAdmin, SessionDep, SettingsDep
from server.errors import ApiError
from server.models import AuditEvent, Device, User
from server.schemas import (
    AuditEventPublic,
    CataloguePublish,
    CatalogueVersionPublic,
    DevicePublic,
    EnrollmentCodeCreate,
    EnrollmentCodePublic,
    UserCreate,
    UserPublic,
    UserUpdate,
)

router = APIRouter(prefix="/admin", tags=["admin"])
# Database ids are 32-bit: a larger number in a path is a 422, never a database error.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def create_user(db: SessionDep, admin: User | None, body: UserCreate, ip: str) -> User:
    """Create a user (also used by `fredag server create-user`, with admin=None)."""
    user = User(
        username=body.username,
        full_name=body.full_name,
        role=body.role,
        password_hash=security.hash_password(body.password),
    )
    db.add(user)
    try:
        db.flush()
    except IntegrityError as exc:
        db.rollback()
        raise ApiError(409, "user_exists", f"a user named {body.username!r} exists") from exc
    audit.record(
        db,
        "user.create",
        user=admin,
        actor=None if admin else "cli",
        ip=ip,
        object_type="user",
        object_id=user.id,
        username=user.username,
        role=user.role,
    )
    return user


@router.get("/users", response_model=list[UserPublic])
def list_users(_admin: CurrentAdmin, db: SessionDep) -> list[UserPublic]:
    """Every user."""
    return [UserPublic.model_validate(u) for u in db.scalars(select(User).order_by(User.id))]


@router.post("/users", status_code=201, response_model=UserPublic)
def post_user(
    body: UserCreate, admin: CurrentAdmin, _csrf: CsrfChecked, db: SessionDep, ip: ClientIP
) -> UserPublic:
    """Create a caseworker or an administrator."""
    user = create_user(db, admin, body, ip)
    db.commit()
    return UserPublic.model_validate(user)


@router.patch("/users/{user_id}", response_model=UserPublic)
def patch_user(
    user_id: RowId,
    body: UserUpdate,
    admin: CurrentAdmin,
    _csrf: CsrfChecked,
    db: SessionDep,
    ip: ClientIP,
) -> UserPublic:
    """Change a user's name or deactivate/reactivate them."""
    user = db.get(User, user_id)
    if user is None:
        raise ApiError(404, "not_found", "no such user")
    changes = body.model_dump(exclude_none=True)
    if user.id == admin.id and changes.get("is_active") is False:
        raise ApiError(409, "self_deactivation", "you cannot deactivate your own account")
    for field, value in changes.items():
        setattr(user, field, value)
    if "is_active" in changes:
        user.deactivated_by_provider = False  # an administrator's decision stands
    audit.record(
        db, "user.update", user=admin, ip=ip, object_type="user", object_id=user.id, **changes
    )
    db.commit()
    return UserPublic.model_validate(user)


@router.post("/enrollment-codes", status_code=201, response_model=EnrollmentCodePublic)
def post_enrollment_code(
    body: EnrollmentCodeCreate,
    admin: CurrentAdmin,
    _csrf: CsrfChecked,
    db: SessionDep,
    settings: SettingsDep,
    ip: ClientIP,
) -> EnrollmentCodePublic:
    """Issue a one-time, expiring enrollment code for a caseworker's device."""
    code, caseworker, expires = devices.issue_code(
        db, settings, admin, body.caseworker, ip, body.valid_minutes
    )
    db.commit()
    return EnrollmentCodePublic(code=code, caseworker=caseworker.username, expires_at=expires)


@router.get("/devices", response_model=list[DevicePublic])
def list_devices(_admin: CurrentAdmin, db: SessionDep) -> list[DevicePublic]:
    """Every enrolled device, revoked ones included."""
    return [DevicePublic.model_validate(d) for d in db.scalars(select(Device).order_by(Device.id))]


@router.post("/devices/{device_id}/revoke", response_model=DevicePublic)
def revoke_device(
    device_id: RowId, admin: CurrentAdmin, _csrf: CsrfChecked, db: SessionDep, ip: ClientIP
) -> DevicePublic:
    """Revoke a device: its uploads are refused from now on."""
    device = devices.revoke(db, admin, device_id, ip)
    db.commit()
    return DevicePublic.model_validate(device)


@router.post("/catalogue", status_code=201, response_model=CatalogueVersionPublic)
def publish_catalogue(
    body: CataloguePublish, admin: CurrentAdmin, _csrf: CsrfChecked, db: SessionDep, ip: ClientIP
) -> CatalogueVersionPublic:
    """Publish a new catalogue version; devices get it on their next sync."""
    try:
        row = catalogue.publish(db, body.catalogue, body.version, admin)
    except CatalogueError as exc:
        raise ApiError(422, "invalid_catalogue", str(exc)) from exc
    audit.record(
        db,
        "catalogue.publish",
        user=admin,
        ip=ip,
        object_type="catalogue",
        object_id=row.version,
        sha256=row.sha256,
    )
    db.commit()
    return CatalogueVersionPublic.model_validate(row)


def _utc(moment: datetime) -> datetime:
    """Times without a zone are taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@router.get("/audit", response_model=list[AuditEventPublic])
def list_audit(
    _admin: CurrentAdmin,
    db: SessionDep,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    case_ref: Annotated[str | None, Query(max_length=64)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEventPublic]:
    """The audit log, newest first, filtered by actor, action, case, object and time."""
    query = select(AuditEvent)
    for column, value in (
        (AuditEvent.actor, actor),
        (AuditEvent.action, action),
        (AuditEvent.case_ref, case_ref),
        (AuditEvent.object_id, object_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEvent.at >= _utc(since))
    if until is not None:
        query = query.where(AuditEvent.at < _utc(until))
    rows = db.scalars(query.order_by(AuditEvent.id.desc()).limit(limit))
    return [AuditEventPublic.model_validate(r) for r in rows]
