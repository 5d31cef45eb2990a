"""Which models the device has, and resolving a name or a path to a model directory.

A model is named by one of:
  * a packaged model (`whisper-base`), assembled from its PyPI packages on first use;
  * a model installed under `<FREDAG_HOME>/models/<name>/` (by `models install`, `add` or
    `convert`), with a `provenance.json`;
  * a path to a local CTranslate2 Whisper directory (how a user runs KB-Whisper ad hoc).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from fredag.errors import ModelInvalid, ModelNotFound
from fredag.protocol import ModelInfo
from models.packaged import PACKAGED, assemble
from models.provenance import PROVENANCE_FILE, Provenance, sha256_file, verify_directory

REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")


@dataclass(frozen=True)
class ResolvedModel:
    name: str
    path: Path
    sha256: str  # of model.bin
    provenance: Provenance | None

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(name=self.name, sha256=self.sha256)


def validate_layout(directory: Path) -> None:
    """Refuse a directory faster-whisper could not load without going online.

    faster-whisper fetches a tokenizer from the Hugging Face hub when `tokenizer.json` is
    missing; on the device that must be a clear error instead.
    """
    if not directory.is_dir():
        raise ModelNotFound(f"no model directory at {directory}")
    missing = [f for f in REQUIRED_FILES if not (directory / f).is_file()]
    if missing:
        raise ModelInvalid(
            f"{directory} is not a CTranslate2 Whisper model: missing {', '.join(missing)}"
        )
    try:
        config = json.loads((directory / "config.json").read_text())
    except (OSError, ValueError) as exc:
        raise ModelInvalid(f"{directory}/config.json is not valid JSON") from exc
    if not isinstance(config, dict) or "suppress_ids" not in config:
        raise ModelInvalid(f"{directory}/config.json is not a CTranslate2 Whisper config")


def installed_dir(models_dir: Path, name: str) -> Path:
    return models_dir / name


def list_installed(models_dir: Path) -> list[Provenance]:
    if not models_dir.is_dir():
        return []
    found = []
    for child in sorted(models_dir.iterdir()):
        if (
            child.is_dir()
            and not child.name.startswith(".")
            and (child / PROVENANCE_FILE).is_file()
        ):
            found.append(Provenance.load(child))
    return found


def unfinished(models_dir: Path) -> list[Path]:
    """Staging directories left behind by an installation that was interrupted (or is running)."""
    if not models_dir.is_dir():
        return []
    return sorted(p for p in models_dir.iterdir() if p.is_dir() and p.name.startswith("."))


def install_packaged(models_dir: Path, name: str, *, force: bool = False) -> Provenance:
    try:
        model = PACKAGED[name]
    except KeyError:
        known = ", ".join(sorted(PACKAGED))
        raise ModelNotFound(f"no packaged model named {name!r} (packaged: {known})") from None
    return assemble(model, installed_dir(models_dir, name), force=force)


def resolve(name_or_path: str, models_dir: Path) -> ResolvedModel:
    """Resolve a model name or directory path; assembles a packaged model on first use."""
    candidate = Path(name_or_path).expanduser()
    looks_like_path = "/" in name_or_path or name_or_path.startswith(".")
    if looks_like_path or (candidate.is_dir() and name_or_path not in PACKAGED):
        validate_layout(candidate)
        if (candidate / PROVENANCE_FILE).is_file():
            prov = Provenance.load(candidate)
            return ResolvedModel(prov.name, candidate, prov.model_sha256, prov)
        return ResolvedModel(candidate.name, candidate, sha256_file(candidate / "model.bin"), None)

    target = installed_dir(models_dir, name_or_path)
    if (target / PROVENANCE_FILE).is_file():
        prov = Provenance.load(target)
    elif name_or_path in PACKAGED:
        prov = install_packaged(models_dir, name_or_path)
    else:
        names = sorted({p.name for p in list_installed(models_dir)} | set(PACKAGED))
        raise ModelNotFound(
            f"no model named {name_or_path!r}; known: {', '.join(names)} "
            "(or give the path of a CTranslate2 Whisper directory)"
        )
    validate_layout(target)
    return ResolvedModel(prov.name, target, prov.model_sha256, prov)


def verify(name: str, models_dir: Path) -> Provenance:
    """Re-check every file's sha256 against the provenance record (and the pinned hashes)."""
    target = installed_dir(models_dir, name)
    if not (target / PROVENANCE_FILE).is_file():
        raise ModelNotFound(f"model {name!r} is not installed in {models_dir}")
    prov = Provenance.load(target)
    expected = dict(prov.files)
    if name in PACKAGED:
        expected.update({f.name: f.sha256 for f in PACKAGED[name].files})
    verify_directory(target, expected, name)
    return prov
