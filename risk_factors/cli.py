"""`fredag catalogue ...` and `fredag tag` (filled in by the tagger work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Mount this package's commands on the root app."""
