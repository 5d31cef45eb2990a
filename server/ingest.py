"""Receiving a signed draft from a device: verify, validate, store once, or refuse with a reason.

Nothing is stored unless every check passes. The same draft sent again is reported as a
duplicate (idempotent by draft_id); another payload reusing a stored draft_id is a conflict.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fredag.errors import SignatureError
from fredag.protocol import SignedEnvelope, verify_draft, verify_payload
from server import audit
from server.errors import ApiError
from server.models import Device, Draft

log = logging.getLogger("fredag.server.ingest")


@dataclass(frozen=True)
class Ingested:
    draft: Draft
    duplicate: bool


def parse_envelope(body: bytes) -> SignedEnvelope:
    """The envelope in a request body, or a 4xx saying what is wrong with it."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "malformed", "the body is not JSON") from exc
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


def _device(session: Session, key_id: str) -> Device:
    device = session.scalars(select(Device).where(Device.key_id == key_id)).first()
    if device is None:
        raise ApiError(403, "unknown_device", "no enrolled device has this key; enroll it first")
    if device.revoked:
        raise ApiError(403, "device_revoked", "this device has been revoked; uploads are refused")
    return device


def _existing(
    session: Session, envelope: SignedEnvelope, draft_id: object, sha: str
) -> Ingested | None:
    stored = session.get(Draft, draft_id)
    if stored is None:
        return None
    if stored.payload_sha256 == sha and stored.key_id == envelope.key_id:
        return Ingested(stored, duplicate=True)
    raise ApiError(
        409, "draft_id_conflict", "a different draft with this draft_id is already stored"
    )


def ingest(session: Session, body: bytes, ip: str) -> Ingested:
    """Verify and store one uploaded envelope (committing), or raise ApiError (storing nothing)."""
    envelope = parse_envelope(body)
    device = _device(session, envelope.key_id)
    public_key = Ed25519PublicKey.from_public_bytes(device.public_key)
    try:
        payload = verify_payload(envelope, public_key)
    except SignatureError as exc:
        raise ApiError(400, "bad_signature", f"signature check failed: {exc}") from exc
    try:
        draft = verify_draft(envelope, public_key)
    except SignatureError as exc:
        raise ApiError(422, "invalid_draft", str(exc)) from exc
    sha = hashlib.sha256(payload).hexdigest()
    found = _existing(session, envelope, draft.draft_id, sha)
    if found is not None:
        return found
    row = Draft(
        id=draft.draft_id,
        device_id=device.id,
        owner_id=device.owner_id,
        case_ref=draft.meeting.case_ref,
        case_type=draft.meeting.case_type,
        created_at=draft.created_at,
        payload=payload,
        payload_sha256=sha,
        signature=envelope.signature,
        key_id=envelope.key_id,
        catalogue_version=draft.catalogue.version,
    )
    session.add(row)
    audit.record(
        session,
        "draft.upload",
        device=device,
        ip=ip,
        object_type="draft",
        object_id=draft.draft_id,
        case_ref=draft.meeting.case_ref,
    )
    try:
        session.commit()
    except IntegrityError:
        # Another worker stored the same draft_id between our check and our insert.
        session.rollback()
        found = _existing(session, envelope, draft.draft_id, sha)
        if found is None:
            raise
        return found
    log.info("stored draft %s from device %s", draft.draft_id, device.id)
    return Ingested(row, duplicate=False)
