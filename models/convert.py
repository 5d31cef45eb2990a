"""`fredag models convert`: a local Hugging Face transformers Whisper checkpoint (such as
KBLab/kb-whisper-base cloned onto a USB stick) to a validated CTranslate2 model on the device.

The steps follow CTranslate2's own converter: inspect the source, convert (load, validate the
spec, quantize, save) into a staging directory, then validate by loading and decoding, and only
then rename into place. torch and transformers come from the `[convert]` extra and are imported
only here. The hub is switched off for the whole conversion: a missing file is an error.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from fredag.errors import ExtraMissing, ModelInvalid, ModelNotFound, UsageError
from models.packaged import PACKAGED
from models.provenance import find_license, sha256_file
from models.register import Installed, Origin, register_staged
from models.staging import check_name, ensure_free, staging

QUANTIZATIONS = ("int8", "int8_float32", "float16", "float32")
WEIGHT_FILES = (
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)
TOKENIZER_FILE = "tokenizer.json"
# Copied beside model.bin when present: faster-whisper reads the first two, the rest travel
# with the model so its terms and origin stay with it.
CARRIED_FILES = (TOKENIZER_FILE, "LICENSE", "LICENSE.txt", "LICENSE.md", "README.md")
_OFFLINE_VARS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ModelInvalid(f"{path} is not valid JSON") from exc
    if not isinstance(data, dict):
        raise ModelInvalid(f"{path} is not a JSON object")
    return data


def inspect_checkpoint(src: Path) -> dict[str, Any]:
    """Check that `src` is a complete local Whisper checkpoint; return its config.json."""
    if not src.is_dir():
        raise ModelNotFound(f"no checkpoint directory at {src}")
    if not (src / "config.json").is_file():
        raise ModelInvalid(f"{src} is not a Hugging Face checkpoint: it has no config.json")
    config = _read_json(src / "config.json")
    if "suppress_ids" in config and (src / "model.bin").is_file():
        raise ModelInvalid(
            f"{src} is already a CTranslate2 model: install it with `fredag models add`"
        )
    if config.get("model_type") != "whisper":
        raise ModelInvalid(
            f"{src} is not a Whisper checkpoint (config.json has model_type "
            f"{config.get('model_type')!r}, expected 'whisper')"
        )
    weights = [f for f in WEIGHT_FILES if (src / f).is_file()]
    if not weights:
        raise ModelInvalid(
            f"{src} has no weights ({' or '.join(WEIGHT_FILES[::2])}); copy the whole checkpoint"
        )
    if not (src / TOKENIZER_FILE).is_file():
        raise ModelInvalid(
            f"{src} has no {TOKENIZER_FILE}; copy it from the same checkpoint "
            "(Fredag never downloads a tokenizer)"
        )
    return config


def feature_config(src: Path, n_mels: int) -> dict[str, Any]:
    """The feature extractor settings faster-whisper reads from `preprocessor_config.json`."""
    if (src / "preprocessor_config.json").is_file():
        features = _read_json(src / "preprocessor_config.json")
    elif (src / "processor_config.json").is_file():  # transformers 5 writes this instead
        features = dict(_read_json(src / "processor_config.json").get("feature_extractor", {}))
    else:
        features = {}
    declared = features.get("feature_size", n_mels)
    if declared != n_mels:
        raise ModelInvalid(
            f"{src}: the preprocessor gives {declared} mel bins but the model has {n_mels}"
        )
    return {**features, "feature_size": n_mels}


@contextmanager
def offline() -> Iterator[None]:
    """Switch the Hugging Face hub off for transformers and huggingface_hub, then restore."""
    saved = {v: os.environ.get(v) for v in _OFFLINE_VARS}
    os.environ.update(dict.fromkeys(_OFFLINE_VARS, "1"))
    import huggingface_hub.constants as hub

    was = hub.HF_HUB_OFFLINE
    hub.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        hub.HF_HUB_OFFLINE = was
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value


def _converter_class() -> Any:
    """ctranslate2's TransformersConverter, or ExtraMissing naming the extra to install."""
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
        from ctranslate2.converters import TransformersConverter
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise ExtraMissing(
            f"converting needs the [convert] extra ({exc.name or exc} is missing): "
            "pip install 'fredag[convert]'"
        ) from exc
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    return TransformersConverter


def _tools() -> str:
    """The converter's versions, recorded in the provenance of a converted model."""
    found = []
    for dist in ("ctranslate2", "transformers", "torch"):
        try:
            found.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            found.append(f"{dist} (not installed)")
    return ", ".join(found)


def _convert(src: Path, out: Path, quantization: str) -> None:
    converter_class = _converter_class()
    with offline():
        try:
            converter_class(str(src)).convert(str(out), quantization=quantization, force=True)
        except (OSError, ValueError, RuntimeError, KeyError, TypeError, NotImplementedError) as exc:
            raise ModelInvalid(f"cannot convert {src}: {exc}") from exc


def convert_checkpoint(
    src: Path,
    models_dir: Path,
    name: str,
    *,
    quantization: str = "int8",
    force: bool = False,
    compute_type: str = "int8",
    source: str | None = None,
    license: str | None = None,
) -> Installed:
    """Convert the checkpoint in `src` and install it as `models_dir/name`, atomically."""
    check_name(name, reserved=frozenset(PACKAGED))
    if quantization not in QUANTIZATIONS:
        raise UsageError(f"quantization must be one of {', '.join(QUANTIZATIONS)}")
    target = models_dir / name
    ensure_free(target, force=force)
    src = src.expanduser().resolve()
    config = inspect_checkpoint(src)
    features = feature_config(src, int(config.get("num_mel_bins", 80)))
    origin = Origin(
        source=f"{source or f'transformers checkpoint {src}'}; converted with {_tools()}",
        license=license or find_license(src) or "unknown",
        source_files={p.name: sha256_file(p) for p in sorted(src.iterdir()) if p.is_file()},
    )
    with staging(target) as tmp:
        _convert(src, tmp, quantization)
        for carried in CARRIED_FILES:
            if (src / carried).is_file():
                shutil.copyfile(src / carried, tmp / carried)
        (tmp / "preprocessor_config.json").write_text(json.dumps(features, indent=2) + "\n")
        return register_staged(
            tmp, target, origin, compute_type=compute_type, quantization=quantization
        )
