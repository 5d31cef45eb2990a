"""The last steps every added or converted model goes through: validate, record, publish.

The caller has put the model's files into a staging directory (see models/staging.py); this
module checks that faster-whisper loads and decodes it, hashes every file into a
`provenance.json`, and renames the directory into place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from models.provenance import Provenance, hash_directory
from models.staging import publish
from models.validate import LoadCheck, check_loads


@dataclass(frozen=True)
class Installed:
    provenance: Provenance
    path: Path
    check: LoadCheck


@dataclass(frozen=True)
class Origin:
    """Where a model came from, as recorded in its provenance."""

    source: str
    license: str
    source_files: dict[str, str]


def register_staged(
    tmp: Path, target: Path, origin: Origin, *, compute_type: str, quantization: str | None = None
) -> Installed:
    """Validate the staged model in `tmp`, write its provenance, and rename it to `target`."""
    tmp.chmod(0o700)  # like every model directory: the user's own
    check = check_loads(tmp, compute_type=compute_type)
    files = hash_directory(tmp)
    provenance = Provenance(
        name=target.name,
        source=origin.source,
        license=origin.license,
        quantization=quantization or check.weight_type,
        files=files,
        source_files=origin.source_files,
        size_bytes=sum((tmp / n).stat().st_size for n in files),
    )
    provenance.save(tmp)
    publish(tmp, target)
    return Installed(provenance, target, check)
