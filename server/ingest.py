"""Receiving a signed draft from a device: verify, validate, store once, or refuse with a reason.

Nothing is stored unless every check passes. The same draft sent again is reported as a
duplicate (idempotent by draft_id); another payload reusing a stored draft_id is a conflict.
The happy path is one SELECT, two INSERTs and a commit, with one signature verification.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError
from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fredag.errors import SignatureError
from fredag.protocol import Draft as DraftDoc
from fredag.protocol import SignedEnvelope, b64url_decode, verify_draft, verify_payload
from server.audit import device_actor
from server.errors import ApiError
from server.models import AuditEvent, Device, Draft, User, utcnow

log = logging.getLogger("fredag.server.ingest")


@dataclass(frozen=True)
class Ingested:
    draft_id: uuid.UUID
    received_at: datetime
    payload_sha256: str
    duplicate: bool


@dataclass(frozen=True)
class _Device:
    id: int
    owner_id: int
    key_id: str
    public_key: Ed25519PublicKey


def parse_envelope(body: bytes) -> SignedEnvelope:
    """The envelope in a request body, or a 4xx saying what is wrong with it."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "malformed", "the body is not JSON") from exc
    except RecursionError as exc:  # e.g. [[[[…]]]] nested deeper than the parser goes
        raise ApiError(400, "malformed", "the body is nested too deeply") from exc
    if not isinstance(data, dict):
        raise ApiError(400, "malformed", "the body must be a signed envelope (a JSON object)")
    if not data.get("signature"):
        raise ApiError(400, "unsigned", "the envelope carries no signature")
    try:
        return SignedEnvelope.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "envelope"
        raise ApiError(
            422, "malformed", f"not a valid signed envelope: {where}: {first['msg']}"
        ) from exc


# Built once: per-request statement construction is a large part of the cost of an upload.
_DEVICE_BY_KEY = (
    select(Device.id, Device.owner_id, Device.public_key, Device.revoked_at, User.is_active)
    .join(User, User.id == Device.owner_id)
    .where(Device.key_id == bindparam("key_id"))
)
_INSERT_DRAFT = insert(cast(Table, Draft.__table__))
_INSERT_AUDIT = insert(cast(Table, AuditEvent.__table__))


def _device(session: Session, key_id: str) -> _Device:
    row = session.connection().execute(_DEVICE_BY_KEY, {"key_id": key_id}).first()
    if row is None:
        raise ApiError(403, "unknown_device", "no enrolled device has this key; enroll it first")
    if row.revoked_at is not None:
        raise ApiError(403, "device_revoked", "this device has been revoked; uploads are refused")
    if not row.is_active:
        # Refused, not lost: the device keeps the draft queued until an admin decides.
        raise ApiError(
            403, "owner_inactive", "the caseworker this device belongs to is deactivated"
        )
    return _Device(row.id, row.owner_id, key_id, Ed25519PublicKey.from_public_bytes(row.public_key))


def _verified(envelope: SignedEnvelope, device: _Device) -> DraftDoc:
    """The verified draft; refusals say whether the signature or the content failed."""
    try:
        return verify_draft(envelope, device.public_key)
    except SignatureError as exc:
        try:
            verify_payload(envelope, device.public_key)
        except SignatureError as sig_exc:
            raise ApiError(400, "bad_signature", f"signature check failed: {sig_exc}") from exc
        raise ApiError(422, "invalid_draft", str(exc)) from exc


def _existing(
    session: Session, envelope: SignedEnvelope, draft_id: uuid.UUID, sha: str
) -> Ingested | None:
    row = session.execute(
        select(Draft.payload_sha256, Draft.key_id, Draft.received_at).where(Draft.id == draft_id)
    ).first()
    if row is None:
        return None
    if row.payload_sha256 == sha and row.key_id == envelope.key_id:
        return Ingested(draft_id, row.received_at, sha, duplicate=True)
    raise ApiError(
        409, "draft_id_conflict", "a different draft with this draft_id is already stored"
    )


def _aware(moment: datetime) -> datetime:
    """A draft time without a zone is taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _rows(
    envelope: SignedEnvelope, device: _Device, draft: DraftDoc, payload: bytes, sha: str, ip: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    now = utcnow()
    draft_row = {
        "id": draft.draft_id,
        "device_id": device.id,
        "owner_id": device.owner_id,
        "case_ref": draft.meeting.case_ref,
        "case_type": draft.meeting.case_type,
        "created_at": _aware(draft.created_at),
        "received_at": now,
        "payload": payload,
        "payload_sha256": sha,
        "signature": envelope.signature,
        "key_id": envelope.key_id,
        "catalogue_version": draft.catalogue.version,
        "status": "draft",
    }
    audit_row = {
        "at": now,
        "action": "draft.upload",
        "actor_device_id": device.id,
        "actor": device_actor(device.key_id),
        "ip": ip,
        "object_type": "draft",
        "object_id": str(draft.draft_id),
        "case_ref": draft.meeting.case_ref,
        "detail": json.dumps({"payload_sha256": sha}),
    }
    return draft_row, audit_row


def ingest(session: Session, body: bytes, ip: str) -> Ingested:
    """Verify and store one uploaded envelope (committing), or raise ApiError (storing nothing)."""
    envelope = parse_envelope(body)
    device = _device(session, envelope.key_id)
    draft = _verified(envelope, device)
    # Verified above, so this decodes; these exact bytes are kept for ever.
    payload = b64url_decode(envelope.payload)
    sha = hashlib.sha256(payload).hexdigest()
    draft_row, audit_row = _rows(envelope, device, draft, payload, sha, ip)
    try:
        conn = session.connection()
        conn.execute(_INSERT_DRAFT, draft_row)
        conn.execute(_INSERT_AUDIT, audit_row)
        session.commit()
    except IntegrityError:
        # Already stored (a retry, or another worker a moment ago): same bytes or a conflict.
        session.rollback()
        found = _existing(session, envelope, draft.draft_id, sha)
        if found is None:
            raise
        return found
    log.info("stored draft %s from device %s", draft.draft_id, device.id)
    return Ingested(draft.draft_id, draft_row["received_at"], sha, duplicate=False)
