"""Provenance of an installed model: where it came from and the sha256 of every file."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from fredag.errors import ModelCorrupt

PROVENANCE_FILE = "provenance.json"
_CHUNK = 1 << 20


class Provenance(BaseModel):
    """Written beside the model files as `provenance.json` when a model is installed."""

    model_config = ConfigDict(extra="forbid")

    name: str
    source: str
    license: str
    quantization: str
    files: dict[str, str] = Field(description="file name -> sha256")
    source_files: dict[str, str] = Field(
        default_factory=dict, description="file name -> sha256 of what a model was made from"
    )
    size_bytes: int
    installed_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @property
    def model_sha256(self) -> str:
        """The hash a draft records for the model that transcribed it (that of model.bin)."""
        return self.files["model.bin"]

    def save(self, directory: Path) -> None:
        (directory / PROVENANCE_FILE).write_text(self.model_dump_json(indent=2) + "\n")

    @classmethod
    def load(cls, directory: Path) -> Provenance:
        return cls.model_validate_json((directory / PROVENANCE_FILE).read_text())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def hash_directory(directory: Path) -> dict[str, str]:
    """sha256 of every regular file in a model directory, except the provenance record."""
    return {
        p.name: sha256_file(p)
        for p in sorted(directory.iterdir())
        if p.is_file() and p.name != PROVENANCE_FILE
    }


def verify_directory(directory: Path, expected: dict[str, str], name: str) -> None:
    """Raise ModelCorrupt naming the first file that is missing or whose hash differs."""
    for file_name, want in sorted(expected.items()):
        path = directory / file_name
        if not path.is_file():
            raise ModelCorrupt(f"model {name!r}: {file_name} is missing from {directory}")
        if sha256_file(path) != want:
            raise ModelCorrupt(
                f"model {name!r}: {file_name} does not match its recorded sha256; "
                f"reinstall it with `fredag models install {name} --force`"
            )


_LICENSE_LINE = re.compile(r"^license:\s*['\"]?([^'\"#\n]+?)['\"]?\s*$", re.M)
LICENSE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "COPYING")


def find_license(*directories: Path) -> str | None:
    """The license a model card (README.md front matter) or a LICENSE file declares, if any.

    Hugging Face model cards start with YAML front matter holding `license: apache-2.0`; the
    published CTranslate2 files of a model often sit in a sub-directory of that repository, so
    callers pass the directory and its parent.
    """
    for directory in directories:
        readme = directory / "README.md"
        if readme.is_file():
            text = readme.read_text(errors="replace")
            if text.startswith("---"):
                front = text.split("---", 2)[1] if text.count("---") >= 2 else ""
                match = _LICENSE_LINE.search(front)
                if match:
                    return match.group(1).strip()
        for name in LICENSE_FILES:
            if (directory / name).is_file():
                first = (directory / name).read_text(errors="replace").strip().splitlines()
                return f"see {name}" + (f" ({first[0].strip()[:60]})" if first else "")
    return None
