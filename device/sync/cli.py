"""`fredag sync`, `fredag status` and `fredag device enroll`; `register` is called by
device/cli.py. Heavy parts (httpx, tenacity) are imported when a command runs."""

from __future__ import annotations

from pathlib import Path

import typer

from fredag.errors import Refused, SyncError
from fredag.settings import get_settings


def sync(
    no_catalogue: bool = typer.Option(
        False, "--no-catalogue", help="Only upload drafts; do not pull the factor catalogue."
    ),
    attempts: int | None = typer.Option(
        None, "--attempts", help="Tries per request before giving up (default 6)."
    ),
) -> None:
    """Upload every queued draft to the server and pull the newest factor catalogue."""
    from device.sync.client import run_sync
    from device.sync.settings import sync_settings

    report = run_sync(
        get_settings().home, sync_settings(attempts=attempts), pull_catalogue=not no_catalogue
    )
    for line in summary(report):
        typer.echo(line)
    if report.failure is not None:
        raise report.failure
    if report.refused:
        raise Refused(f"{len(report.refused)} draft(s) refused by the server; see `fredag status`")
    if report.catalogue_error is not None:
        raise SyncError(report.catalogue_error)


def summary(report: object) -> list[str]:
    from device.sync.client import SyncReport

    assert isinstance(report, SyncReport)
    lines = [_sent_line(len(report.uploaded), len(report.duplicates))]
    for draft_id, why in report.refused:
        lines.append(f"Avvisat: {draft_id}: {why}")
    if report.catalogue_version:
        lines.append(f"Ny faktorkatalog: {report.catalogue_version} (används från nästa möte)")
    if report.deleted:
        lines.append(f"Raderade lokala kopior: {report.deleted}")
    lines.append(f"Kvar i kö: {report.pending}")
    return lines


def _drafts(n: int, new: bool = False) -> str:
    if new:
        return f"{n} nytt utkast" if n == 1 else f"{n} nya utkast"
    return f"{n} utkast"


def _sent_line(uploaded: int, duplicates: int) -> str:
    """ "Skickade 1 nytt utkast" (and the ones the server had already, when there were any)."""
    line = f"Skickade {_drafts(uploaded, new=True)} till servern"
    if duplicates:
        line += f" ({_drafts(duplicates)} som servern redan hade)"
    return line


def sync_line(report: object) -> str:
    """The one line an automatic sync after a meeting prints (Swedish, not an error)."""
    return "Synk: " + " ".join(line.rstrip(".") + "." for line in summary(report))


CA_FILE_OPT = typer.Option(
    None, "--ca-file", help="PEM file of the CA that signed the server's certificate."
)


def status() -> None:
    """What is queued, what was sent when, and the last sync error."""
    from device.journal.store import Store
    from device.sync.status import status_lines

    for line in status_lines(Store(get_settings().home)):
        typer.echo(line)


def enroll(
    url: str = typer.Argument(..., help="The server, e.g. https://fredag.kommun.se"),
    code: str = typer.Argument(..., help="The one-time enrollment code from an administrator."),
    name: str | None = typer.Option(None, "--name", help="This device's name (default: host)."),
    ca_file: Path | None = CA_FILE_OPT,
    force: bool = typer.Option(False, "--force", help="Enroll again (replaces the old record)."),
) -> None:
    """Enroll this device with a server using a one-time code, and pin the server's key."""
    from device.sync.enroll import enroll as do_enroll

    record = do_enroll(get_settings().home, url, code, name=name, ca_file=ca_file, force=force)
    typer.echo(
        f"enrolled with {record.server_url} as device {record.device_id} "
        f"for {record.caseworker}; server key {record.server_key_id[:16]}… pinned"
    )


def auto_sync() -> None:
    """After a session ends: sync at once when enrolled and a server answers; never fails."""
    import sys

    from device.journal.store import Store
    from device.sync import enrollment
    from device.sync.client import run_sync
    from device.sync.settings import sync_settings
    from fredag.errors import FredagError

    try:
        settings = sync_settings(attempts=2, timeout_s=10.0)
        home = get_settings().home
        if not settings.auto or enrollment.load_optional(Store(home)) is None:
            return
        report = run_sync(home, settings)
    except FredagError as exc:
        print(f"Inte synkat nu ({exc}); kör `fredag sync` senare.", file=sys.stderr)
        return
    if report.error is not None:
        print(
            f"Inte synkat nu ({report.error}); utkastet ligger kvar i kö: `fredag sync`.",
            file=sys.stderr,
        )
    else:
        print(sync_line(report))


def register(app: typer.Typer, device_app: typer.Typer) -> None:
    app.command("sync")(sync)
    app.command("status")(status)
    device_app.command("enroll")(enroll)
