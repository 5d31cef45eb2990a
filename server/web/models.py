"""The review tables of the web view, on the server's own `Base` (same MetaData, same naming).

Created by the migration `web_0001` (server/migrations/versions/web_0001_review_tables.py).
Text edits use the server core's `DraftVersion`; approval who/when lives on `Draft`.

TagDecision      every accept / reject / add of a factor tag, kept in order (latest wins)
DraftAssessment  every saved version of Bedömning and Planering (written by hand only)
ApprovedEntry    the journal text exactly as approved; never changed afterwards
Addendum         a dated addition to an approved entry (the only change allowed after approval)
CatalogueEdit    each save of the admins' working copy of the catalogue (latest is current)

The database refuses changes after approval (triggers in the migration): no new versions,
decisions or assessments for an approved draft, no update or delete of an approved entry or
an addendum, and an approved draft's status and approval stay as they are.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base, UTCDateTime, utcnow

Decision = str  # "accepted" | "rejected" | "added"
DECISIONS = ("accepted", "rejected", "added")


class TagDecision(Base):
    __tablename__ = "tag_decisions"
    __table_args__ = (Index("ix_tag_decisions_draft_id_id", "draft_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drafts.id"))
    factor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(16))
    # For "added": JSON of one fredag.protocol.Evidence; "" otherwise.
    evidence: Mapped[str] = mapped_column(Text, default="")
    catalogue_version: Mapped[str] = mapped_column(String(200), default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DraftAssessment(Base):
    __tablename__ = "draft_assessments"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drafts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    assessment: Mapped[str] = mapped_column(Text, default="")
    planning: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApprovedEntry(Base):
    __tablename__ = "approved_entries"

    draft_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drafts.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Addendum(Base):
    __tablename__ = "draft_addenda"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drafts.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CatalogueEdit(Base):
    __tablename__ = "catalogue_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    based_on: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
