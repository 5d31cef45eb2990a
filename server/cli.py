"""`fredag server serve|migrate|create-user`. FastAPI, SQLAlchemy and uvicorn are imported
inside the commands, so the device install (without the server extra) keeps a working CLI.

Contract (tools outside the repo call it):
`fredag server serve --host H --port P --database-url URL [--workers N] [--certfile F --keyfile F]`;
the URL can also come from FREDAG_DATABASE_URL.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from fredag.errors import UsageError

server_app = typer.Typer(
    name="server",
    help="Run and administer the Fredag server.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL (sqlite:///path or postgresql://...). Default: FREDAG_DATABASE_URL, "
        "else an SQLite file in the data directory.",
        show_default=False,
    ),
]


def _require_server_extra() -> None:
    try:
        import fastapi  # noqa: F401
        import sqlalchemy  # noqa: F401
        import uvicorn  # noqa: F401
    except ModuleNotFoundError as exc:
        raise UsageError(
            f"the server needs the [server] extra ({exc.name} is missing): "
            "pip install 'fredag[server]'"
        ) from exc


@server_app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
    database_url: DatabaseUrl = None,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=64)] = 1,
    certfile: Annotated[Path | None, typer.Option(help="TLS certificate chain (PEM).")] = None,
    keyfile: Annotated[Path | None, typer.Option(help="TLS private key (PEM).")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the API and web view. An SQLite database is migrated first; PostgreSQL must be."""
    _require_server_extra()
    import uvicorn

    from server.config import get_settings, load_settings
    from server.db import make_engine, normalize_url
    from server.migrate import require_current, upgrade
    from server.security import password_hash_settings

    if (certfile is None) != (keyfile is None):
        raise UsageError("TLS needs both --certfile and --keyfile")
    for path in (certfile, keyfile):
        if path is not None and not path.is_file():
            raise UsageError(f"no such file: {path}")
    settings = load_settings(database_url=database_url)
    password_hash_settings()  # every FREDAG_* the workers will read is checked before they start
    url = normalize_url(settings.database_url)
    if settings.is_sqlite:
        upgrade(url)
    else:
        engine = make_engine(url)
        try:
            require_current(engine)
        finally:
            engine.dispose()
    # Workers read their settings from the environment: hand them the same ones.
    os.environ["FREDAG_DATABASE_URL"] = url
    os.environ["FREDAG_SECRET_KEY"] = settings.secret_key.get_secret_value()
    if certfile is not None:
        os.environ["FREDAG_COOKIE_SECURE"] = "true"
    get_settings.cache_clear()
    if settings.generated_secret:
        typer.echo("fredag: development mode, using a throw-away secret", err=True)
    scheme = "https" if certfile else "http"
    typer.echo(f"fredag: serving on {scheme}://{host}:{port} ({workers} worker(s))", err=True)
    if settings.oidc_enabled:
        passwords = "on" if settings.local_passwords else "off"
        typer.echo(
            f"fredag: sign-in through {settings.oidc_issuer} (local passwords {passwords})",
            err=True,
        )
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        log_level=log_level,
        server_header=False,
    )


@server_app.command()
def migrate(database_url: DatabaseUrl = None) -> None:
    """Bring the database to the newest schema (and create the server's signing key)."""
    _require_server_extra()
    from server.config import database_url_from_env
    from server.migrate import upgrade

    revision = upgrade(database_url_from_env(database_url))
    typer.echo(f"database at schema revision {revision}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@server_app.command("create-user")
def create_user(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, _ . @ -).")],
    role: Annotated[str, typer.Option(help="caseworker or admin.")] = "caseworker",
    full_name: Annotated[str, typer.Option(help="The person's full name.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin's first line.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a caseworker or administrator (asks for the password unless --password-stdin)."""
    _require_server_extra()
    from pydantic import ValidationError

    from server.api.admin import create_user as create
    from server.config import database_url_from_env
    from server.db import make_engine, make_sessionmaker, session_scope
    from server.errors import ApiError
    from server.migrate import require_current
    from server.schemas import UserCreate

    if role not in ("caseworker", "admin"):
        raise UsageError("--role must be caseworker or admin")
    password = _read_password(password_stdin)
    try:
        body = UserCreate(username=name, password=password, role=role, full_name=full_name)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UsageError(f"{first['loc'][0]}: {first['msg']}") from exc
    engine = make_engine(database_url_from_env(database_url))
    try:
        require_current(engine)
        with session_scope(make_sessionmaker(engine)) as session:
            user = create(session, None, body, "")
    except ApiError as exc:
        raise UsageError(exc.message) from exc
    finally:
        engine.dispose()
    typer.echo(f"created {user.role} {user.username} (id {user.id})")


def register(app: typer.Typer) -> None:
    """Mount this package's commands on the root app."""
    app.add_typer(server_app, name="server")
