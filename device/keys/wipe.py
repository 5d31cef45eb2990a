"""Removing files so they are gone from the device, and wiping its case data.

`secure_remove` overwrites a file with random bytes and fsyncs before unlinking it. On flash
storage with wear levelling, or a copy-on-write file system, the old blocks may survive the
overwrite; they stay encrypted under keys that are themselves wrapped (docs/device.md).
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

# Not case data: the enrollment (which server, its pinned key) and the signed catalogue.
KEEP_BLOBS = frozenset({"enrollment.fb", "catalogue.fb"})
KEEP_JOURNAL_PREFIX = "security."  # the local audit of unlocks and wipes


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def secure_remove(path: Path) -> bool:
    """Overwrite, fsync and unlink `path`; False when it did not exist."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    try:
        with path.open("r+b") as fh:
            left = size
            while left > 0:
                chunk = min(left, 1 << 20)
                fh.write(secrets.token_bytes(chunk))
                left -= chunk
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        pass  # still unlink it below
    path.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    return True


def _remove_tree(path: Path) -> int:
    if not path.is_dir():
        return 0
    count = sum(secure_remove(p) for p in sorted(path.rglob("*")) if p.is_file())
    shutil.rmtree(path, ignore_errors=True)
    return count


def _kept(name: str, keep: frozenset[str] | None) -> bool:
    return name in keep if keep is not None else name.startswith(KEEP_JOURNAL_PREFIX)


def wipe_case_data(root: Path) -> int:
    """Remove every meeting, queued draft and other case data under `root` (``device/``).

    Kept: the wrapped keys, the enrollment, the catalogue and the security audit. Returns how
    many files were removed."""
    removed = _remove_tree(root / "sessions")
    for folder, keep in (("journals", None), ("blobs", KEEP_BLOBS)):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.iterdir()):
            if not path.is_file():
                removed += _remove_tree(path)
            elif not _kept(path.name, keep):
                removed += secure_remove(path)
    _fsync_dir(root)
    return removed
