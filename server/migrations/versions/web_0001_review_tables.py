"""Review tables of the web view (server/web/models.py) and the triggers that freeze approval.

Revision ID: web_0001
Revises: 0001
Create Date: 2026-11-22 19:00:00

After a draft is approved the database itself refuses: new text versions, tag decisions or
assessments for it, any change of its status or approval, and any update or delete of its
approved entry or addenda. Addenda are accepted only for approved drafts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "web_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHILD_TABLES = ("draft_versions", "tag_decisions", "draft_assessments")
_FROZEN_TABLES = ("approved_entries", "draft_addenda")


# Table names below are constants of this module, never input: S608 does not apply.
def _sqlite_triggers() -> list[str]:
    out = [
        f"""CREATE TRIGGER {table}_frozen_after_approval BEFORE INSERT ON {table}
        WHEN (SELECT status FROM drafts WHERE id = NEW.draft_id) IS NOT 'draft'
        BEGIN SELECT RAISE(ABORT, 'the draft is approved or discarded: no more edits'); END"""  # noqa: S608
        for table in _CHILD_TABLES
    ]
    out.append(
        """CREATE TRIGGER draft_addenda_only_approved BEFORE INSERT ON draft_addenda
        WHEN (SELECT status FROM drafts WHERE id = NEW.draft_id) IS NOT 'approved'
        BEGIN SELECT RAISE(ABORT, 'addenda are for approved entries only'); END"""
    )
    for table in _FROZEN_TABLES:
        out += [
            f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is immutable'); END""",
            f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is immutable'); END""",
        ]
    out.append(
        """CREATE TRIGGER drafts_approval_immutable BEFORE UPDATE ON drafts
        WHEN OLD.status = 'approved' AND (NEW.status IS NOT OLD.status
          OR NEW.approved_at IS NOT OLD.approved_at OR NEW.approved_by_id IS NOT OLD.approved_by_id
          OR NEW.discarded_reason IS NOT OLD.discarded_reason)
        BEGIN SELECT RAISE(ABORT, 'an approved draft is immutable'); END"""
    )
    return out


def _postgres_triggers() -> list[str]:
    out = [
        """CREATE FUNCTION fredag_web_frozen_after_approval() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF (SELECT status FROM drafts WHERE id = NEW.draft_id) IS DISTINCT FROM 'draft' THEN
            RAISE EXCEPTION 'the draft is approved or discarded: no more edits';
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE FUNCTION fredag_web_addenda_only_approved() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF (SELECT status FROM drafts WHERE id = NEW.draft_id) IS DISTINCT FROM 'approved' THEN
            RAISE EXCEPTION 'addenda are for approved entries only';
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE FUNCTION fredag_web_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% is immutable', TG_TABLE_NAME; END $$""",
        """CREATE FUNCTION fredag_web_approval_immutable() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.status = 'approved' AND (NEW.status IS DISTINCT FROM OLD.status
             OR NEW.approved_at IS DISTINCT FROM OLD.approved_at
             OR NEW.approved_by_id IS DISTINCT FROM OLD.approved_by_id
             OR NEW.discarded_reason IS DISTINCT FROM OLD.discarded_reason) THEN
            RAISE EXCEPTION 'an approved draft is immutable';
          END IF;
          RETURN NEW;
        END $$""",
    ]
    out += [
        f"""CREATE TRIGGER {table}_frozen_after_approval BEFORE INSERT ON {table}
        FOR EACH ROW EXECUTE FUNCTION fredag_web_frozen_after_approval()"""
        for table in _CHILD_TABLES
    ]
    out.append(
        """CREATE TRIGGER draft_addenda_only_approved BEFORE INSERT ON draft_addenda
        FOR EACH ROW EXECUTE FUNCTION fredag_web_addenda_only_approved()"""
    )
    out += [
        f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION fredag_web_immutable()"""
        for table in _FROZEN_TABLES
    ]
    out.append(
        """CREATE TRIGGER drafts_approval_immutable BEFORE UPDATE ON drafts
        FOR EACH ROW EXECUTE FUNCTION fredag_web_approval_immutable()"""
    )
    return out


def _draft_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["draft_id"], ["drafts.id"], name=op.f(f"fk_{table}_draft_id_drafts")
    )


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"))


def upgrade() -> None:
    op.create_table(
        "tag_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Uuid(), nullable=False),
        sa.Column("factor", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("catalogue_version", sa.String(length=200), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _draft_fk("tag_decisions"),
        _user_fk("tag_decisions", "author_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_decisions")),
    )
    op.create_index("ix_tag_decisions_draft_id_id", "tag_decisions", ["draft_id", "id"])
    op.create_table(
        "draft_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=False),
        sa.Column("planning", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _draft_fk("draft_assessments"),
        _user_fk("draft_assessments", "author_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_assessments")),
        sa.UniqueConstraint("draft_id", "number", name=op.f("uq_draft_assessments_draft_id")),
    )
    op.create_index(op.f("ix_draft_assessments_draft_id"), "draft_assessments", ["draft_id"])
    op.create_table(
        "approved_entries",
        sa.Column("draft_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        _draft_fk("approved_entries"),
        _user_fk("approved_entries", "approved_by_id"),
        sa.PrimaryKeyConstraint("draft_id", name=op.f("pk_approved_entries")),
    )
    op.create_table(
        "draft_addenda",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _draft_fk("draft_addenda"),
        _user_fk("draft_addenda", "author_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_addenda")),
    )
    op.create_index(op.f("ix_draft_addenda_draft_id"), "draft_addenda", ["draft_id"])
    op.create_table(
        "catalogue_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("based_on", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("catalogue_edits", "author_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_edits")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        statements = _sqlite_triggers()
    elif dialect == "postgresql":
        statements = _postgres_triggers()
    else:
        raise RuntimeError(f"unsupported database {dialect}")
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    names = [f"{t}_frozen_after_approval" for t in _CHILD_TABLES]
    names += ["draft_addenda_only_approved", "drafts_approval_immutable"]
    if postgres:
        names += [f"{t}_immutable" for t in _FROZEN_TABLES]
        tables = dict.fromkeys(names, "")
        for t in _CHILD_TABLES:
            tables[f"{t}_frozen_after_approval"] = t
        tables["draft_addenda_only_approved"] = "draft_addenda"
        tables["drafts_approval_immutable"] = "drafts"
        for t in _FROZEN_TABLES:
            tables[f"{t}_immutable"] = t
        for name, table in tables.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for fn in (
            "fredag_web_frozen_after_approval",
            "fredag_web_addenda_only_approved",
            "fredag_web_immutable",
            "fredag_web_approval_immutable",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}()")
    else:
        names += [f"{t}_no_update" for t in _FROZEN_TABLES]
        names += [f"{t}_no_delete" for t in _FROZEN_TABLES]
        for name in names:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("catalogue_edits")
    op.drop_index(op.f("ix_draft_addenda_draft_id"), table_name="draft_addenda")
    op.drop_table("draft_addenda")
    op.drop_table("approved_entries")
    op.drop_index(op.f("ix_draft_assessments_draft_id"), table_name="draft_assessments")
    op.drop_table("draft_assessments")
    op.drop_index("ix_tag_decisions_draft_id_id", table_name="tag_decisions")
    op.drop_table("tag_decisions")
