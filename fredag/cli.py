"""The `fredag` command. Each package owns its sub-commands in its own `cli.py`; this module
only mounts them and turns Fredag's errors into one line on stderr and a non-zero exit code.

Heavy imports (faster-whisper, FastAPI, torch) happen inside the commands that need them, so
`fredag --help` is fast and the device install works without the server's packages.
"""

from __future__ import annotations

import sys

import click
import typer

from device import cli as device_cli
from fredag import __version__
from fredag.errors import FredagError
from models import cli as models_cli
from risk_factors import cli as risk_factors_cli
from server import cli as server_cli

app = typer.Typer(
    name="fredag",
    help="Fredag: offline meeting transcription and factor notes for Swedish social services.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fredag {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Fredag: offline meeting transcription and factor notes for Swedish social services."""


app.add_typer(models_cli.app, name="models")
device_cli.register(app)
risk_factors_cli.register(app)
server_cli.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns (and exits with) the process exit code."""
    try:
        result = app(args=argv, standalone_mode=False)
    except FredagError as exc:
        click.echo(f"fredag: {exc}", err=True)
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("fredag: aborted", err=True)
        code = 130
    except KeyboardInterrupt:
        click.echo("fredag: interrupted", err=True)
        code = 130
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    else:
        code = result if isinstance(result, int) else 0
    if argv is None:
        sys.exit(code)
    return code
