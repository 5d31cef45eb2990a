"""The append-only audit log: `record()` writes a row; nothing in the application changes one.

The ORM refuses any update or delete of an `AuditEvent` (mapper events below); the database
refuses them too (triggers from the first migration), so even raw SQL cannot rewrite history.

Actions (dotted, stable; the audit view filters on them): login.success, login.failure,
login.throttled, logout, user.create, user.update, enrollment.issue, device.enroll,
device.revoke, device.security (a device's reported wrong passphrases, wipes and key
changes), draft.upload, draft.list, draft.read, access.refused (a refused read or write
of case content: 403/404 under /utkast/ or /api/v1/drafts/), catalogue.publish; the web view adds
draft.edit, draft.approve, draft.discard, draft.export and its own.
"""

from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import Table, event, insert
from sqlalchemy.orm import Mapper, Session

from fredag.errors import FredagError
from server.models import AuditEvent, Device, User, utcnow


class AuditImmutable(FredagError):
    """Something tried to change or delete an audit row."""


_INSERT = insert(cast(Table, AuditEvent.__table__))


def record(
    session: Session,
    action: str,
    *,
    user: User | None = None,
    device: Device | None = None,
    ip: str = "",
    object_type: str = "",
    object_id: object = "",
    case_ref: str | None = None,
    actor: str | None = None,
    **detail: Any,
) -> None:
    """Write one audit row in `session`'s transaction (committed with the action it records).

    A plain INSERT (no ORM unit of work): cheap enough for every upload and every read.
    """
    if actor is None:
        if user is not None:
            actor = user.username
        elif device is not None:
            actor = device_actor(device.key_id)
        else:
            actor = ""
    session.execute(
        _INSERT,
        {
            "at": utcnow(),
            "action": action,
            "actor_user_id": user.id if user is not None else None,
            "actor_device_id": device.id if device is not None else None,
            "actor": actor,
            "ip": ip,
            "object_type": object_type,
            "object_id": str(object_id),
            "case_ref": case_ref,
            "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
        },
    )


def device_actor(key_id: str) -> str:
    """How a device appears as an actor in the log."""
    return f"device:{key_id[:16]}"


def _refuse_update(_mapper: Mapper[Any], _connection: Any, target: AuditEvent) -> None:
    raise AuditImmutable(f"the audit log is append-only: row {target.id} cannot be changed")


def _refuse_delete(_mapper: Mapper[Any], _connection: Any, target: AuditEvent) -> None:
    raise AuditImmutable(f"the audit log is append-only: row {target.id} cannot be deleted")


def _refuse_bulk(orm_execute_state: Any) -> None:
    if (orm_execute_state.is_update or orm_execute_state.is_delete) and any(
        mapper.class_ is AuditEvent for mapper in orm_execute_state.all_mappers
    ):
        raise AuditImmutable("the audit log is append-only: bulk update/delete refused")


event.listen(AuditEvent, "before_update", _refuse_update)
event.listen(AuditEvent, "before_delete", _refuse_delete)
event.listen(Session, "do_orm_execute", _refuse_bulk)

# SQL the first migration runs so the database itself refuses changes to audit rows.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION fredag_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$""",
    """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION fredag_audit_refuse()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION fredag_audit_refuse()""",
]
# The signed bytes of a draft never change either.
SQLITE_DRAFT_TRIGGERS = [
    """CREATE TRIGGER drafts_payload_immutable
    BEFORE UPDATE OF payload, signature, key_id, payload_sha256 ON drafts
    WHEN NEW.payload IS NOT OLD.payload OR NEW.signature IS NOT OLD.signature
      OR NEW.key_id IS NOT OLD.key_id OR NEW.payload_sha256 IS NOT OLD.payload_sha256
    BEGIN SELECT RAISE(ABORT, 'the signed payload of a draft is immutable'); END""",
]
POSTGRES_DRAFT_TRIGGERS = [
    """CREATE FUNCTION fredag_draft_payload_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.payload IS DISTINCT FROM OLD.payload OR NEW.signature IS DISTINCT FROM OLD.signature
         OR NEW.key_id IS DISTINCT FROM OLD.key_id
         OR NEW.payload_sha256 IS DISTINCT FROM OLD.payload_sha256 THEN
        RAISE EXCEPTION 'the signed payload of a draft is immutable';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER drafts_payload_immutable BEFORE UPDATE ON drafts
    FOR EACH ROW EXECUTE FUNCTION fredag_draft_payload_immutable()""",
]
