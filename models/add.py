"""`fredag models add`: install a ready CTranslate2 Whisper directory (e.g. the `ctranslate2/`
files KBLab publishes for KB-Whisper, copied onto the device) under a name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from models.packaged import PACKAGED
from models.provenance import PROVENANCE_FILE, find_license
from models.register import Installed, Origin, register_staged
from models.registry import validate_layout
from models.staging import check_name, ensure_free, staging

UNKNOWN_LICENSE = "unknown"


def model_files(directory: Path) -> list[Path]:
    """The regular top-level files of a model directory that are copied when it is installed."""
    return [
        p
        for p in sorted(directory.iterdir())
        if p.is_file() and not p.name.startswith(".") and p.name != PROVENANCE_FILE
    ]


def add_directory(
    src: Path,
    models_dir: Path,
    name: str,
    *,
    force: bool = False,
    compute_type: str = "int8",
    source: str | None = None,
    license: str | None = None,
) -> Installed:
    """Copy the CTranslate2 directory `src` into `models_dir/name`, validated and atomically."""
    check_name(name, reserved=frozenset(PACKAGED))
    target = models_dir / name
    ensure_free(target, force=force)
    src = src.expanduser().resolve()
    validate_layout(src)
    origin = Origin(
        source=source or f"CTranslate2 directory {src}",
        license=license or find_license(src, src.parent) or UNKNOWN_LICENSE,
        source_files={},
    )
    with staging(target) as tmp:
        for path in model_files(src):
            shutil.copyfile(path, tmp / path.name)
        return register_staged(tmp, target, origin, compute_type=compute_type)
