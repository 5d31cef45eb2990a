"""The database itself keeps approved entries frozen (migration web_0001), on SQLite and
PostgreSQL: the rules hold even for code that bypasses the web view."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.db import make_engine, make_sessionmaker
from server.migrate import upgrade
from server.models import Device, Draft, DraftVersion, User
from server.web.models import Addendum, ApprovedEntry, DraftAssessment, TagDecision
from tests.support.postgres import PostgresCluster, postgres_cluster  # noqa: F401

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """A freshly migrated database (SQLite file or a new PostgreSQL database)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fredag.db'}"
    else:
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        url = cluster.create_database("webtrig")
    upgrade(url)
    made = make_engine(url)
    yield made
    made.dispose()


def _draft(session: Session) -> tuple[User, Draft]:
    user = User(username=f"u{uuid.uuid4().hex[:6]}", role="caseworker", password_hash="x")
    session.add(user)
    session.flush()
    device = Device(key_id=uuid.uuid4().hex * 2, public_key=b"k" * 32, owner_id=user.id)
    session.add(device)
    session.flush()
    draft = Draft(
        id=uuid.uuid4(),
        device_id=device.id,
        owner_id=user.id,
        case_ref="BoU-1",
        case_type="barn",
        created_at=datetime.now(UTC),
        payload=b"{}",
        payload_sha256="0" * 64,
        signature="s",
        key_id=device.key_id,
        catalogue_version="1",
    )
    session.add(draft)
    session.flush()
    return user, draft


def _approve(session: Session, user: User, draft: Draft) -> None:
    session.add(ApprovedEntry(draft_id=draft.id, text="T", sha256="0" * 64, approved_by_id=user.id))
    draft.status = "approved"
    draft.approved_at = datetime.now(UTC)
    draft.approved_by_id = user.id
    session.flush()


class TestFrozenAfterApproval:
    def test_edits_refused_after_approval(self, engine: sa.Engine) -> None:
        """Versions, tag decisions and assessments go in before approval and are refused after."""
        with make_sessionmaker(engine)() as session:
            user, draft = _draft(session)
            session.add(DraftVersion(draft_id=draft.id, number=1, body="a", author_id=user.id))
            session.flush()
            _approve(session, user, draft)
            session.commit()
            for row in (
                DraftVersion(draft_id=draft.id, number=2, body="b", author_id=user.id),
                TagDecision(
                    draft_id=draft.id,
                    factor="x",
                    kind="risk",
                    decision="rejected",
                    author_id=user.id,
                ),
                DraftAssessment(draft_id=draft.id, number=1, author_id=user.id),
            ):
                session.add(row)
                with pytest.raises(sa.exc.DBAPIError):
                    session.flush()
                session.rollback()

    def test_approval_and_entry_cannot_change(self, engine: sa.Engine) -> None:
        """An approved draft keeps its status and entry; addenda are added but never changed."""
        with make_sessionmaker(engine)() as session:
            user, draft = _draft(session)
            session.add(Addendum(draft_id=draft.id, body="too early", author_id=user.id))
            with pytest.raises(sa.exc.DBAPIError):
                session.flush()
            session.rollback()
            user, draft = _draft(session)
            _approve(session, user, draft)
            session.add(Addendum(draft_id=draft.id, body="later", author_id=user.id))
            session.commit()
            key = draft.id
        for statement in (
            sa.update(Draft).where(Draft.id == key).values(status="draft"),
            sa.update(Draft).where(Draft.id == key).values(approved_at=datetime.now(UTC)),
            sa.update(ApprovedEntry).where(ApprovedEntry.draft_id == key).values(text="x"),
            sa.delete(ApprovedEntry).where(ApprovedEntry.draft_id == key),
            sa.update(Addendum).where(Addendum.draft_id == key).values(body="x"),
            sa.delete(Addendum).where(Addendum.draft_id == key),
        ):
            with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
                conn.execute(statement)
