"""The audit log: a row for every audited action, and no way to change or delete one."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tests.server.factory import signed
from tests.server.harness import ADMIN, Api, EnrolledDevice, ServerProcess, new_caseworker


def audit(admin: Api, **filters: Any) -> list[dict[str, Any]]:
    response = admin.get("/api/v1/admin/audit", params={"limit": 1000, **filters})
    assert response.status_code == 200, response.text
    return list(response.json())


class TestAuditRows:
    def test_login_success_and_failure_are_logged(self, server: ServerProcess, admin: Api) -> None:
        """A failed and a good login each leave a row with the user name and the address."""
        name, _ = new_caseworker(server, admin)
        server.client().login(name, "wrong-password")
        rows = audit(admin, actor=name)
        actions = [r["action"] for r in rows]
        assert "login.failure" in actions and "login.success" in actions
        assert all(r["ip"] == "127.0.0.1" for r in rows)

    def test_enrollment_and_revocation_are_logged(self, admin: Api, device: EnrolledDevice) -> None:
        """Issuing a code, enrolling and revoking each leave a row naming the device."""
        admin.post(f"/api/v1/admin/devices/{device.device_id}/revoke")
        rows = audit(admin, object_id=str(device.device_id))
        actions = {r["action"] for r in rows if r["object_type"] == "device"}
        assert {"device.enroll", "device.revoke"} <= actions
        revoke = next(r for r in rows if r["action"] == "device.revoke")
        assert revoke["actor"] == ADMIN
        assert audit(admin, action="enrollment.issue")

    def test_upload_list_and_read_are_logged_with_case(
        self, server: ServerProcess, admin: Api, caseworker: tuple[str, Api], device: EnrolledDevice
    ) -> None:
        """Upload, list and read each leave a row; the read names who and which case."""
        envelope = signed(device.key, case_ref="AUDIT-1")
        draft_id = device.upload(envelope).json()["draft_id"]
        name, api = caseworker
        api.get("/api/v1/drafts")
        assert api.get(f"/api/v1/drafts/{draft_id}").status_code == 200
        rows = audit(admin, object_id=draft_id)
        by_action = {r["action"]: r for r in rows}
        assert by_action["draft.upload"]["actor_device_id"] == device.device_id
        assert by_action["draft.read"]["actor"] == name
        assert by_action["draft.read"]["case_ref"] == "AUDIT-1"
        assert audit(admin, actor=name, action="draft.list")

    def test_refused_read_of_foreign_draft_leaves_no_read_row(
        self, server: ServerProcess, admin: Api, device: EnrolledDevice
    ) -> None:
        """A caseworker who is refused another's draft is not logged as having read it."""
        draft_id = device.upload(signed(device.key)).json()["draft_id"]
        intruder, api = new_caseworker(server, admin)
        assert api.get(f"/api/v1/drafts/{draft_id}").status_code == 404
        assert not audit(admin, actor=intruder, action="draft.read")

    def test_user_creation_is_logged(self, server: ServerProcess, admin: Api) -> None:
        """Creating a user leaves a row by the admin naming the new user."""
        name, _ = new_caseworker(server, admin)
        rows = audit(admin, action="user.create", actor=ADMIN)
        assert any(name in r["detail"] for r in rows)


@pytest.fixture
def audit_row_id(admin: Api) -> int:
    admin.get("/api/v1/auth/me")
    return int(audit(admin)[0]["id"])


class TestAuditImmutable:
    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE audit_events SET actor = 'someone else' WHERE id = :id",
            "UPDATE audit_events SET action = 'nothing' WHERE id = :id",
            "DELETE FROM audit_events WHERE id = :id",
            "DELETE FROM audit_events",
        ],
    )
    def test_raw_sql_cannot_change_audit_rows(
        self, statement: str, audit_row_id: int, db_engine: sa.Engine
    ) -> None:
        """The database itself refuses UPDATE and DELETE on the audit table."""
        with db_engine.connect() as conn:
            before = conn.execute(sa.text("SELECT count(*) FROM audit_events")).scalar_one()
            with pytest.raises(DBAPIError, match="append-only"):
                conn.execute(sa.text(statement), {"id": audit_row_id})
            conn.rollback()
            after = conn.execute(sa.text("SELECT count(*) FROM audit_events")).scalar_one()
        assert after >= before

    def test_truncate_is_refused_on_postgres(self, audit_row_id: int, db_engine: sa.Engine) -> None:
        """PostgreSQL refuses TRUNCATE of the audit table too."""
        if db_engine.dialect.name != "postgresql":
            pytest.skip("TRUNCATE exists only on PostgreSQL")
        with db_engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(sa.text("TRUNCATE audit_events"))

    def test_orm_refuses_update_and_delete(self, audit_row_id: int, db_engine: sa.Engine) -> None:
        """The application's own models refuse to change or delete an audit row."""
        from server.audit import AuditImmutable
        from server.models import AuditEvent

        with Session(db_engine) as session:
            row = session.get(AuditEvent, audit_row_id)
            assert row is not None
            row.actor = "rewritten"
            with pytest.raises(AuditImmutable):
                session.flush()
            session.rollback()
            row = session.get(AuditEvent, audit_row_id)
            session.delete(row)
            with pytest.raises(AuditImmutable):
                session.flush()
            session.rollback()
            with pytest.raises(AuditImmutable):
                session.execute(sa.delete(AuditEvent))

    def test_signed_payload_cannot_be_rewritten(
        self, device: EnrolledDevice, db_engine: sa.Engine
    ) -> None:
        """The database refuses to change a stored draft's signed bytes."""
        draft_id = uuid.UUID(device.upload(signed(device.key)).json()["draft_id"])
        key = draft_id.hex if db_engine.dialect.name == "sqlite" else draft_id
        with db_engine.connect() as conn:
            with pytest.raises(DBAPIError, match="immutable"):
                conn.execute(
                    sa.text("UPDATE drafts SET payload = :p WHERE id = :id"),
                    {"p": b"{}", "id": key},
                )
            conn.rollback()
            conn.execute(sa.text("UPDATE drafts SET status = 'draft' WHERE id = :id"), {"id": key})
            conn.rollback()


class TestAuditQuery:
    def test_time_filters_accept_dates_with_and_without_zone(self, admin: Api) -> None:
        """Filtering by since/until works with or without a time zone and excludes the future."""
        admin.get("/api/v1/auth/me")
        assert audit(admin, since="2000-01-01T00:00:00")
        assert audit(admin, since="2000-01-01T00:00:00+01:00", until="2100-01-01T00:00:00Z")
        assert audit(admin, since="2100-01-01T00:00:00") == []
