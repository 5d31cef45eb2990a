"""A transcript read back from its JSON: what `fredag transcribe --json` prints.

`fredag draft --transcript FILE` makes the draft from it without audio (and without the
model): how a meeting is read again with a newer catalogue, and how meetings are scored
quickly. The JSON is ``{"language", "duration_s", "model": {"name", "sha256"}, "segments":
[{"start", "end", "text", ...}]}``; a segment may also carry ``speaker`` and the recogniser's
``words`` with their probabilities, which the tagger uses (see `risk_factors.conversation`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fredag.errors import UsageError
from fredag.protocol import ModelInfo, Segment


@dataclass(frozen=True)
class TranscriptFile:
    language: str
    duration_s: float
    model: ModelInfo
    segments: tuple[Segment, ...]
    heard: tuple[dict[str, Any], ...]
    """Each segment as the tagger reads it: start, end, text, and speaker and words if given."""


def read_transcript(path: Path) -> TranscriptFile:
    """The transcript in `path`; a UsageError saying what is wrong when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"no transcript file at {path}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path} is not a transcript JSON file: {exc}") from exc
    return parse_transcript(data, str(path))


def parse_transcript(data: Any, source: str = "transcript") -> TranscriptFile:
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise UsageError(f"{source}: expected the JSON of `fredag transcribe --json` (segments)")
    try:
        model = ModelInfo.model_validate(data.get("model"))
        segments = tuple(
            Segment(
                start=round(float(s["start"]), 2), end=round(float(s["end"]), 2), text=s["text"]
            )
            for s in data["segments"]
        )
        heard = tuple(_heard(s) for s in data["segments"])
        language = str(data.get("language") or "sv")
        duration = float(data.get("duration_s") or (segments[-1].end if segments else 0.0))
    except (ValidationError, KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{source}: not a valid transcript: {exc}") from exc
    return TranscriptFile(language, duration, model, segments, heard)


def _heard(seg: dict[str, Any]) -> dict[str, Any]:
    out = {"start": float(seg["start"]), "end": float(seg["end"]), "text": str(seg["text"])}
    if seg.get("speaker") is not None:
        out["speaker"] = str(seg["speaker"])
    if isinstance(seg.get("words"), list):
        out["words"] = [_heard_word(w) for w in seg["words"]]
    return out


def _heard_word(w: dict[str, Any]) -> dict[str, Any]:
    """A heard word as the tagger reads it: word and probability, and its times if given (the
    tagger hears a pause between a question and an answer run into one sentence)."""
    out: dict[str, Any] = {"word": str(w["word"]), "probability": float(w["probability"])}
    for key in ("start", "end"):
        if w.get(key) is not None:
            out[key] = float(w[key])
    return out
