"""The shipped migrations build exactly the schema the models describe."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext


class TestMigrations:
    def test_models_and_migrations_agree(self, db_engine: sa.Engine) -> None:
        """A migrated database differs from the models in nothing (a missing migration fails)."""
        from server.models import Base, load_all_models

        load_all_models()

        with db_engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        assert differences == []

    def test_database_is_at_the_newest_revision(self, db_engine: sa.Engine) -> None:
        """The server's database carries the head revision of the shipped migrations."""
        from server.migrate import current_revision, head_revision

        assert current_revision(db_engine) == head_revision()
