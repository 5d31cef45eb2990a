"""The working session across commands: `fredag device unlock` in one command, `fredag record`
and `fredag sync` in the next ones, `fredag device lock` to end it.

Unlocking writes the unwrapped keys to a token in a memory-backed runtime directory (never
the data disk): ``$FREDAG_RUNTIME_DIR``, else ``$XDG_RUNTIME_DIR/fredag``, else
``/dev/shm/fredag-<uid>``; a directory that is not on tmpfs/ramfs is refused unless
FREDAG_RUNTIME_DIR names it explicitly. The token expires after the working day
(`SESSION_HOURS`), and vanishes with the power.

Locking removes the token and raises the lock epoch (``device/lock.epoch`` in $FREDAG_HOME, a
plain counter): every process that holds keys polls the epoch and drops its keys when it
moves, so a recording in another process locks at once and keeps writing sealed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from device.keys.keyfile import KeyMaterial
from fredag.errors import KeyStoreMissing, StoreError
from fredag.protocol import b64url_decode, b64url_encode

RUNTIME_ENV = "FREDAG_RUNTIME_DIR"
EPOCH_FILE = "lock.epoch"
SESSION_HOURS = 12.0
MEMORY_FS = ("tmpfs", "ramfs")


def _fs_type(path: Path) -> str | None:
    """The file system type of the mount that holds `path` (Linux /proc/self/mounts)."""
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return None
    best, kind = "", None
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) > len(
            best
        ):
            best, kind = point, parts[2]
    return kind


def runtime_dir() -> Path:
    explicit = os.environ.get(RUNTIME_ENV)
    if explicit:
        base = Path(explicit)
    else:
        xdg = os.environ.get("XDG_RUNTIME_DIR")
        shm = Path("/dev/shm")  # noqa: S108 (memory-backed; a private 0700 directory in it)
        base = Path(xdg) / "fredag" if xdg else shm / f"fredag-{os.getuid()}"
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = base.stat()
    except OSError as exc:
        raise KeyStoreMissing(f"no runtime directory for the unlocked keys: {exc}") from exc
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise KeyStoreMissing(f"the runtime directory {base} is not private to this user")
    if not explicit and _fs_type(base) not in MEMORY_FS:
        raise KeyStoreMissing(
            f"the runtime directory {base} is not in memory (tmpfs); set {RUNTIME_ENV} "
            "to a tmpfs directory, or unlock with FREDAG_PASSPHRASE per command"
        )
    return base


def read_epoch(root: Path) -> int:
    try:
        return int((root / EPOCH_FILE).read_text().strip() or 0)
    except FileNotFoundError:
        return 0
    except (OSError, ValueError):
        return -1  # unreadable: treated as a lock that no token matches


def bump_epoch(root: Path) -> int:
    from device.journal.store import write_private

    epoch = max(read_epoch(root), 0) + 1
    write_private(root / EPOCH_FILE, f"{epoch}\n".encode())
    return epoch


@dataclass(frozen=True)
class Token:
    """The unwrapped keys of one working session, in the runtime directory."""

    path: Path
    epoch: int
    expires_at: float
    material: KeyMaterial


def token_path(home: Path) -> Path:
    name = hashlib.sha256(str(home.resolve()).encode()).hexdigest()[:24]
    return runtime_dir() / f"{name}.unlock"


def write_token(home: Path, material: KeyMaterial, epoch: int) -> Token:
    path = token_path(home)
    expires = time.time() + SESSION_HOURS * 3600
    body = {
        "home": str(home.resolve()),
        "epoch": epoch,
        "expires_at": expires,
        "keys": b64url_encode(material.to_bytes()),
    }
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps(body).encode())
    finally:
        os.close(fd)
    tmp.replace(path)
    return Token(path, epoch, expires, material)


def read_token(home: Path, epoch: int) -> KeyMaterial | None:
    """The session's keys when a token for this home and lock epoch exists and is current."""
    try:
        path = token_path(home)
        info = path.stat()
    except (FileNotFoundError, KeyStoreMissing):
        return None
    except OSError as exc:
        raise StoreError(f"cannot read the unlock token: {exc.strerror}") from exc
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        remove_token(home)
        return None
    try:
        body = json.loads(path.read_bytes())
        valid = (
            body["home"] == str(home.resolve())
            and body["epoch"] == epoch
            and float(body["expires_at"]) > time.time()
        )
        material = KeyMaterial.from_bytes(b64url_decode(body["keys"])) if valid else None
    except (OSError, KeyError, TypeError, ValueError, StoreError):
        material = None
    if material is None:
        remove_token(home)
    return material


def remove_token(home: Path) -> None:
    try:
        path = token_path(home)
    except KeyStoreMissing:
        return
    try:
        size = path.stat().st_size
        with path.open("r+b") as fh:
            fh.write(b"\0" * size)
            fh.flush()
            os.fsync(fh.fileno())
        path.unlink()
    except FileNotFoundError:
        return
    except OSError:
        path.unlink(missing_ok=True)
