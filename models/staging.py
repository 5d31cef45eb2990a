"""Atomic installation into the models directory: stage in a hidden sibling, then rename.

Every way a model arrives (`install`, `add`, `convert`) writes into a temporary directory
beside its target and renames it into place only when it is complete and validated, so a crash
or an error never leaves a half-written model under a real name.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fredag.errors import ModelExists, UsageError

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def check_name(name: str, *, reserved: frozenset[str] = frozenset()) -> str:
    """Return `name` if it can name a model directory; raise UsageError otherwise."""
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"invalid model name {name!r}: use lower-case letters, digits, '.', '_' and '-' "
            "(at most 64 characters, starting with a letter or digit)"
        )
    if name in reserved:
        raise UsageError(f"{name!r} is the name of a packaged model; choose another name")
    return name


def ensure_free(target: Path, *, force: bool) -> None:
    """Refuse to replace an installed model unless `force` is set."""
    if target.exists() and not force:
        raise ModelExists(
            f"a model named {target.name!r} is already installed in {target.parent}; "
            "use --force to replace it"
        )


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(directory: Path) -> None:
    """Flush every file of a staged directory and the directory itself to disk."""
    for path in directory.iterdir():
        if path.is_file():
            with path.open("rb+") as fh:
                os.fsync(fh.fileno())
    fsync_dir(directory)


@contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A fresh hidden directory beside `target`, removed on exit unless `publish` moved it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def publish(tmp: Path, target: Path) -> None:
    """Rename a complete staged directory to `target`, replacing an existing one."""
    fsync_tree(tmp)
    if target.exists():
        old = target.with_name(f".{target.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(target)
    fsync_dir(target.parent)
