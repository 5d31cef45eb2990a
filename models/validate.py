"""Proving a CTranslate2 Whisper directory works before it is installed: it loads with
faster-whisper, offline, and decodes a short synthesized Swedish clip.

The check proves loading and decoding run, not that the model is good: accuracy is measured by
`make bench`. What the model heard is reported so a person can judge it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fredag.errors import ExtraMissing, ModelInvalid
from models.ct2file import stored_weight_type
from models.registry import validate_layout
from models.speech import Clip, swedish_clip

# Enough tokens to see what a real model hears; a random model stops here instead of at 448.
MAX_NEW_TOKENS = 48


@dataclass(frozen=True)
class LoadCheck:
    weight_type: str  # how model.bin stores its weights ("int8", "float16", ...)
    compute_type: str
    n_mels: int
    clip: Clip
    heard: str
    seconds: float

    def summary(self) -> str:
        said = f"said {self.clip.reference!r}, " if self.clip.reference else ""
        return (
            f"loads and decodes ({self.weight_type} weights, run as {self.compute_type}, "
            f"{self.n_mels} mel bins; {self.seconds:.1f} s): {said}heard {self.heard!r}"
        )


def _load(directory: Path, compute_type: str) -> Any:
    try:
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise ExtraMissing(
            "faster-whisper is not installed; install the device extra: "
            "pip install 'fredag[device]'"
        ) from exc
    try:
        return WhisperModel(
            str(directory), device="cpu", compute_type=compute_type, local_files_only=True
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelInvalid(
            f"faster-whisper cannot load the model in {directory} ({exc}); "
            "model.bin may be corrupt or from another program"
        ) from exc


def check_loads(
    directory: Path, *, compute_type: str = "int8", clip: Clip | None = None
) -> LoadCheck:
    """Load `directory` with faster-whisper and decode a clip; ModelInvalid if either fails."""
    started = time.perf_counter()
    validate_layout(directory)
    weight_type = stored_weight_type(directory / "model.bin")
    model = _load(directory, compute_type)
    n_mels = int(model.model.n_mels)
    features = int(model.feature_extractor.mel_filters.shape[0])
    if features != n_mels:
        raise ModelInvalid(
            f"{directory}: the model expects {n_mels} mel bins but preprocessor_config.json "
            f"gives {features}; copy preprocessor_config.json from the same checkpoint"
        )
    clip = clip or swedish_clip()
    try:
        segments, _info = model.transcribe(
            clip.audio,
            language="sv",
            beam_size=1,
            temperature=0.0,
            vad_filter=False,
            condition_on_previous_text=False,
            without_timestamps=True,
            max_new_tokens=MAX_NEW_TOKENS,
        )
        heard = " ".join(s.text.strip() for s in segments).strip()
    except (RuntimeError, ValueError, IndexError, KeyError) as exc:
        raise ModelInvalid(f"the model in {directory} loads but cannot decode: {exc}") from exc
    return LoadCheck(
        weight_type=weight_type,
        compute_type=compute_type,
        n_mels=n_mels,
        clip=clip,
        heard=heard,
        seconds=time.perf_counter() - started,
    )
