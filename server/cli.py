"""`fredag server ...` (filled in by the server work). Imports FastAPI only inside commands."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Mount this package's commands on the root app."""
