"""Schema migrations (Alembic, shipped in server/migrations) and first-run set-up.

`upgrade(url)` brings a database to the newest schema, then makes sure the server has its
Ed25519 signing key and a published catalogue (seeded from risk_factors when available).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from fredag.errors import UsageError
from server.db import (
    db_error_message,
    make_engine,
    make_sessionmaker,
    normalize_url,
    session_scope,
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(url: str) -> str:
    """Migrate the database at `url` to the newest schema and run first-run set-up."""
    from server.catalogue import seed_catalogue
    from server.keys import ensure_server_key

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        factory = make_sessionmaker(engine)
        with session_scope(factory) as session:
            ensure_server_key(session)
            seed_catalogue(session)
        return head_revision()
    except DBAPIError as exc:
        raise UsageError(f"cannot migrate the database: {db_error_message(exc)}") from exc
    except CommandError as exc:
        # e.g. a database migrated by a newer Fredag than this one.
        raise UsageError(f"cannot migrate the database: {exc}") from exc
    finally:
        engine.dispose()


def require_current(engine: Engine) -> None:
    """Refuse to serve a database that is not at the newest schema."""
    try:
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        raise UsageError(f"cannot reach the database: {db_error_message(exc)}") from exc
    if current != head_revision():
        raise UsageError(
            f"the database schema is at {current or 'nothing'}, not {head_revision()}: "
            "run `fredag server migrate --database-url URL` first"
        )
