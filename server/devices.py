"""Enrollment codes, device enrollment and revocation (the rules; routes call these)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fredag.protocol import key_id as key_id_of
from server import audit
from server.config import ServerSettings
from server.errors import ApiError
from server.keys import parse_public_key
from server.models import Device, EnrollmentCode, User, utcnow
from server.security import keyed_hash

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def _normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def issue_code(
    session: Session,
    settings: ServerSettings,
    admin: User,
    caseworker_name: str,
    ip: str,
    valid_minutes: float | None = None,
) -> tuple[str, User, datetime]:
    """A new one-time code for `caseworker_name` (shown once; only its keyed hash is kept)."""
    caseworker = session.scalars(select(User).where(User.username == caseworker_name)).first()
    if caseworker is None or caseworker.role != "caseworker" or not caseworker.is_active:
        raise ApiError(404, "not_found", f"no active caseworker named {caseworker_name!r}")
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    expires = utcnow() + timedelta(minutes=valid_minutes or settings.enrollment_code_minutes)
    row = EnrollmentCode(
        code_hash=keyed_hash(settings, _normalize_code(code)),
        caseworker_id=caseworker.id,
        issued_by_id=admin.id,
        expires_at=expires,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        "enrollment.issue",
        user=admin,
        ip=ip,
        object_type="enrollment_code",
        object_id=row.id,
        caseworker=caseworker.username,
        expires_at=expires.isoformat(),
    )
    return code, caseworker, expires


def enroll(
    session: Session, settings: ServerSettings, code: str, public_key: str, name: str, ip: str
) -> Device:
    """Register a device key with a one-time code; the code is spent atomically."""
    try:
        key = parse_public_key(public_key)
    except ValueError as exc:
        raise ApiError(422, "bad_public_key", str(exc)) from exc
    kid = key_id_of(key)
    if session.scalars(select(Device).where(Device.key_id == kid)).first() is not None:
        raise ApiError(409, "already_enrolled", "this device key is already enrolled")
    code_hash = keyed_hash(settings, _normalize_code(code))
    row = session.scalars(
        select(EnrollmentCode).where(EnrollmentCode.code_hash == code_hash)
    ).first()
    now = utcnow()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise ApiError(
            403, "bad_enrollment_code", "the enrollment code is unknown, used or expired"
        )
    spent = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.id == row.id, EnrollmentCode.used_at.is_(None))
        .values(used_at=now)
    )
    if getattr(spent, "rowcount", 0) != 1:
        raise ApiError(
            403, "bad_enrollment_code", "the enrollment code is unknown, used or expired"
        )
    device = Device(
        key_id=kid,
        public_key=key.public_bytes_raw(),
        name=name,
        owner_id=row.caseworker_id,
    )
    session.add(device)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise ApiError(409, "already_enrolled", "this device key is already enrolled") from exc
    session.execute(
        update(EnrollmentCode).where(EnrollmentCode.id == row.id).values(device_id=device.id)
    )
    audit.record(
        session,
        "device.enroll",
        device=device,
        ip=ip,
        object_type="device",
        object_id=device.id,
        caseworker_id=row.caseworker_id,
        name=name,
    )
    return device


def revoke(session: Session, admin: User, device_id: int, ip: str) -> Device:
    device = session.get(Device, device_id)
    if device is None:
        raise ApiError(404, "not_found", "no such device")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        device.revoked_by_id = admin.id
        audit.record(
            session,
            "device.revoke",
            user=admin,
            ip=ip,
            object_type="device",
            object_id=device.id,
            key_id=device.key_id,
        )
    return device
