"""The platform key store: a device secret that never lies on the data disk in usable form.

With ``fredag device init --key-store systemd-creds`` a random 32-byte device secret is
encrypted by ``systemd-creds`` (with the TPM2 chip when the machine has one, else with the host
key in /var/lib/systemd/credential.secret) into ``device/platform.cred``, and fed to Argon2id
as its secret input. Then the passphrase alone opens nothing without this machine's TPM (or
host key), and the disk alone (or a copy of $FREDAG_HOME) opens nothing without the passphrase.

Which set-up gives which protection is in docs/device.md ("Key store").
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path

from device.journal.store import write_private
from fredag.errors import KeyStoreMissing, UsageError

SYSTEMD_CREDS = "systemd-creds"
CRED_FILE = "platform.cred"
CRED_NAME = "fredag-device-secret"
KINDS = ("none", SYSTEMD_CREDS)


def _tool() -> str:
    tool = shutil.which("systemd-creds")
    if tool is None:
        raise KeyStoreMissing(
            "the keys are bound to systemd-creds, which is not installed on this machine"
        )
    return tool


def _run(args: list[str], data: bytes) -> bytes:
    try:
        done = subprocess.run(args, input=data, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise KeyStoreMissing(f"systemd-creds did not run: {exc}") from exc
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip().splitlines()
        raise KeyStoreMissing(
            "the platform key store (systemd-creds) refused: "
            + (why[-1] if why else f"exit {done.returncode}")
        )
    return done.stdout


def create_secret(kind: str, root: Path) -> bytes | None:
    """A new device secret sealed into the platform key store; None for ``none``."""
    if kind == "none":
        return None
    if kind != SYSTEMD_CREDS:
        raise UsageError(f"unknown key store {kind!r} (one of: {', '.join(KINDS)})")
    secret = secrets.token_bytes(32)
    sealed = _run([_tool(), "encrypt", f"--name={CRED_NAME}", "-", "-"], secret)
    write_private(root / CRED_FILE, sealed)
    return secret


def load_secret(kind: str | None, root: Path) -> bytes | None:
    """The device secret from the platform key store the keys were bound to."""
    if kind is None:
        return None
    path = root / CRED_FILE
    try:
        sealed = path.read_bytes()
    except OSError as exc:
        raise KeyStoreMissing(
            f"the keys are bound to systemd-creds but {path} cannot be read ({exc.strerror})"
        ) from exc
    secret = _run([_tool(), "decrypt", f"--name={CRED_NAME}", "-", "-"], sealed)
    if len(secret) != 32:
        raise KeyStoreMissing("the platform key store returned a device secret of the wrong size")
    return secret
