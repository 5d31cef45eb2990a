"""Security events a device reports at sync: wrong passphrases, a wipe of its case data, key
changes (issue 20; the device side is `device.keys.audit`).

The body is a signed envelope (`fredag.envelope/1`) whose payload is a
``fredag.security-events/1`` document; the signature must be the enrolled device's. Each event
becomes one audit row, action ``device.security``, object ``device_security_event`` /
``<device id>:<seq>``; an event already stored (a sync repeated after a lost answer) is counted
as a duplicate, never stored twice. No case content is ever in an event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from fredag.errors import SignatureError
from fredag.protocol import verify_payload
from server import audit
from server.errors import ApiError
from server.ingest import _device, parse_envelope
from server.models import AuditEvent, Device

ACTION = "device.security"
OBJECT_TYPE = "device_security_event"
FORMAT = "fredag.security-events/1"
Scalar = int | float | bool | str | None


class SecurityEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seq: Annotated[int, Field(ge=0)]
    event: Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")]
    at: datetime
    detail: Annotated[dict[Annotated[str, Field(max_length=40)], Scalar], Field(max_length=20)]


class SecurityEvents(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["fredag.security-events/1"]
    device_key_id: str
    events: Annotated[list[SecurityEvent], Field(max_length=500)]


class SecurityEventsResult(BaseModel):
    accepted: int
    duplicates: int


def report(session: Session, body: bytes, ip: str) -> SecurityEventsResult:
    envelope = parse_envelope(body)
    device = _device(session, envelope.key_id)
    try:
        payload = verify_payload(envelope, device.public_key)
    except SignatureError as exc:
        raise ApiError(422, "bad_signature", str(exc)) from exc
    try:
        doc = SecurityEvents.model_validate_json(payload)
    except ValidationError as exc:
        raise ApiError(422, "malformed", "not a valid security events document") from exc
    if doc.device_key_id != device.key_id:
        raise ApiError(422, "malformed", "the events name another device than the signer")
    row = session.get(Device, device.id)
    accepted = duplicates = 0
    for event in doc.events:
        object_id = f"{device.id}:{event.seq}"
        seen = session.execute(
            select(AuditEvent.id).where(
                AuditEvent.object_type == OBJECT_TYPE, AuditEvent.object_id == object_id
            )
        ).first()
        if seen is not None:
            duplicates += 1
            continue
        audit.record(
            session,
            ACTION,
            device=row,
            ip=ip,
            object_type=OBJECT_TYPE,
            object_id=object_id,
            event=event.event,
            device_at=event.at.isoformat(),
            values=event.detail,
        )
        accepted += 1
    return SecurityEventsResult(accepted=accepted, duplicates=duplicates)
