"""Server benchmarks run the same measurement on SQLite and on a throw-away PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

Measure = Callable[[str, Path], dict[str, Any]]


def on_both(
    measure: Measure, root: Path, database: str, *, postgres_optional: bool = False
) -> dict[str, Any]:
    """`measure(database_url, workdir)` on SQLite, then on a PostgreSQL cluster started for it
    (Debian's, as in the tests). With `postgres_optional`, a cluster that cannot start is
    recorded as skipped instead of failing the benchmark."""
    from tests.support.postgres import start_cluster

    out: dict[str, Any] = {"sqlite": measure(f"sqlite:///{root / 'bench.db'}", root / "sqlite")}
    try:
        cluster = start_cluster()
    except RuntimeError as exc:
        if not postgres_optional:
            raise
        out["postgres"] = {"skipped": str(exc)}
        return out
    try:
        out["postgres"] = measure(cluster.create_database(database), root / "postgres")
    finally:
        cluster.stop()
    return out
