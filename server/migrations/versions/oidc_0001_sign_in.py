"""OpenID Connect sign-in: users matched by the provider's subject, pending sign-ins, ID tokens.

Revision ID: oidc_0001
Revises: web_0001
Create Date: 2026-11-29 12:10:00

Columns are added (no table rebuild, so SQLite keeps its foreign keys and rows untouched);
the (issuer, subject) pair is unique through a unique index on both backends.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "oidc_0001"
down_revision: str | None = "web_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("oidc_issuer", sa.String(length=255), nullable=True))
    op.add_column("users", sa.Column("oidc_subject", sa.String(length=255), nullable=True))
    op.add_column(
        "users",
        sa.Column(
            "deactivated_by_provider", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.create_index("ix_users_oidc_subject", "users", ["oidc_issuer", "oidc_subject"], unique=True)
    op.add_column("user_sessions", sa.Column("id_token", sa.Text(), nullable=True))
    op.create_table(
        "oidc_logins",
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("redirect_uri", sa.String(length=2000), nullable=False),
        sa.Column("next_url", sa.String(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state_hash", name=op.f("pk_oidc_logins")),
    )
    op.create_index(op.f("ix_oidc_logins_expires_at"), "oidc_logins", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_oidc_logins_expires_at"), table_name="oidc_logins")
    op.drop_table("oidc_logins")
    op.drop_column("user_sessions", "id_token")
    op.drop_index("ix_users_oidc_subject", table_name="users")
    for column in ("deactivated_by_provider", "oidc_subject", "oidc_issuer"):
        op.drop_column("users", column)
