"""`fredag device init | unlock | lock | passphrase | status`: the device's keys from the
command line. The touch UI calls the same `Vault` methods (device.keys.vault)."""

from __future__ import annotations

import getpass
import os
import sys
from typing import TYPE_CHECKING

import typer

from fredag.errors import KeyStoreMissing, UsageError
from fredag.settings import get_settings

if TYPE_CHECKING:
    from device.keys.vault import Vault

STDIN_OPT = typer.Option(
    False, "--passphrase-stdin", help="Read the passphrase from stdin (one line) instead."
)


def _read_stdin_line() -> str:
    line = sys.stdin.readline()
    if not line:
        raise UsageError("no passphrase on stdin")
    return line.rstrip("\n")


def _ask(prompt: str, *, stdin: bool, confirm: bool = False) -> str:
    """A passphrase: from stdin, FREDAG_PASSPHRASE, or asked at the terminal."""
    if stdin:
        return _read_stdin_line()
    env = os.environ.get("FREDAG_PASSPHRASE")
    if env:
        return env
    if not sys.stdin.isatty():
        raise UsageError(
            "a passphrase is needed: run at a terminal, or give it with --passphrase-stdin"
        )
    first = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass("Samma lösenfras igen / Same passphrase again: ") != first:
        raise UsageError("the two passphrases differ; nothing was changed")
    return first


def _remember(vault: Vault) -> None:
    from device.keys import runtime

    try:
        runtime.write_token(vault.home, vault.material(), max(runtime.read_epoch(vault.root), 0))
    except KeyStoreMissing as exc:
        typer.echo(f"fredag: unlocked for this command only ({exc})", err=True)


def device_init(
    force: bool = typer.Option(False, "--force", help="Replace an existing identity."),
    key_store: str = typer.Option(
        "none",
        "--key-store",
        help="Keep a device secret in the platform key store too: none or systemd-creds.",
    ),
    passphrase_stdin: bool = STDIN_OPT,
) -> None:
    """Set this device up: its keys, wrapped under your passphrase, and its Ed25519 identity."""
    from device.journal.identity import DeviceIdentity
    from device.keys.vault import vault_for

    vault = vault_for(get_settings().home)
    if vault.is_set_up:
        if not force:
            raise UsageError(
                f"this device has an identity already ({vault.keys_path}); replacing it means "
                "the server must enroll the device again (--force)"
            )
        secret = _ask("Enhetens lösenfras / Device passphrase", stdin=passphrase_stdin)
        identity = DeviceIdentity(vault.replace_signing_key(secret))
    else:
        secret = _ask(
            "Välj en lösenfras / Choose a passphrase", stdin=passphrase_stdin, confirm=True
        )
        report = vault.init(secret, key_store=key_store)
        if report.migrated:
            typer.echo("fredag: the old key files were converted and removed", err=True)
        identity = DeviceIdentity(vault.signing_key())
    _remember(vault)
    typer.echo(f"key id: {identity.key_id}")
    typer.echo(identity.public_pem(), nl=False)


def device_unlock(passphrase_stdin: bool = STDIN_OPT) -> None:
    """Unlock the device for this working session (until `fredag device lock`)."""
    from device.keys.vault import vault_for

    vault = vault_for(get_settings().home)
    if vault.has_legacy_keys:
        typer.echo(
            "Enhetens nycklar ligger i en nyckelfil; välj en lösenfras så skyddas de med den. / "
            "This device's keys are in a key file; choose a passphrase to protect them.",
            err=True,
        )
        secret = _ask(
            "Välj en lösenfras / Choose a passphrase", stdin=passphrase_stdin, confirm=True
        )
    else:
        vault.attempts.check_allowed()  # say so before asking for a passphrase
        secret = _ask("Lösenfras / Passphrase", stdin=passphrase_stdin)
    report = vault.unlock(secret, remember=True)
    if report.migrated:
        typer.echo(
            "Nyckelfilerna är konverterade och borttagna. / Key files converted and removed."
        )
    if report.failures_before:
        typer.echo(
            f"OBS: {report.failures_before} felaktiga lösenfraser sedan senaste upplåsningen. / "
            f"Note: {report.failures_before} wrong passphrases since the last unlock."
        )
    if report.wiped:
        typer.echo(
            "OBS: ärendedata på enheten raderades efter för många felaktiga lösenfraser. / "
            "Note: the case data on this device was wiped after too many wrong passphrases."
        )
    if report.merged:
        typer.echo(f"{report.merged} poster skrivna medan enheten var låst är nu inlästa.")
    typer.echo("Enheten är upplåst. / The device is unlocked.")


def device_lock() -> None:
    """Lock the device: every process drops its keys; a meeting in progress keeps recording."""
    from device.keys.vault import vault_for

    vault_for(get_settings().home).lock()
    typer.echo("Enheten är låst. / The device is locked.")


def device_passphrase(
    passphrase_stdin: bool = typer.Option(
        False, "--passphrase-stdin", help="Read the current, then the new passphrase from stdin."
    ),
) -> None:
    """Change the passphrase: the keys are re-wrapped, no journal is re-encrypted."""
    from device.keys.vault import vault_for

    vault = vault_for(get_settings().home)
    vault.keyfile()
    if passphrase_stdin:
        old, new = _read_stdin_line(), _read_stdin_line()
    else:
        if not sys.stdin.isatty():
            raise UsageError("run at a terminal, or give both passphrases with --passphrase-stdin")
        old = getpass.getpass("Nuvarande lösenfras / Current passphrase: ")
        new = getpass.getpass("Ny lösenfras / New passphrase: ")
        if getpass.getpass("Samma nya lösenfras igen / New passphrase again: ") != new:
            raise UsageError("the two new passphrases differ; nothing was changed")
    vault.change_passphrase(old, new)
    typer.echo("Lösenfrasen är bytt. / The passphrase is changed.")


def device_status() -> None:
    """Show whether the device is set up and unlocked, and how its keys are protected."""
    from datetime import UTC, datetime

    from device.keys import audit
    from device.keys.vault import vault_for

    vault = vault_for(get_settings().home)
    if not vault.is_set_up:
        state = "gamla nyckelfiler (kör fredag device unlock)" if vault.has_legacy_keys else "ej"
        typer.echo(f"uppsatt: {state}")
        return
    keyfile = vault.keyfile()
    unlocked = vault.refresh()
    typer.echo(f"uppsatt: ja ({vault.keys_path})")
    typer.echo(f"upplåst: {'ja' if unlocked else 'nej'}")
    kdf = keyfile.kdf
    typer.echo(
        f"nyckelhärledning: argon2id, {kdf.memory_kib // 1024} MiB, {kdf.iterations} varv, "
        f"{kdf.lanes} spår"
    )
    typer.echo(f"nyckellager: {keyfile.platform or 'inget (bara lösenfrasen)'}")
    attempts = vault.attempts.state()
    if attempts.failures:
        typer.echo(
            f"felaktiga lösenfraser i rad: {attempts.failures} (väntan {attempts.delay_s:.0f} s)"
        )
    if attempts.wiped_at is not None:
        when = datetime.fromtimestamp(attempts.wiped_at, UTC).astimezone()
        typer.echo(f"ärendedata raderad: {when:%Y-%m-%d %H:%M}")
    if unlocked:
        typer.echo(f"säkerhetshändelser att rapportera: {len(audit.unreported(vault))}")


def register(device_app: typer.Typer) -> None:
    device_app.command("init")(device_init)
    device_app.command("unlock")(device_unlock)
    device_app.command("lock")(device_lock)
    device_app.command("passphrase")(device_passphrase)
    device_app.command("status")(device_status)
