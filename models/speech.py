"""A short Swedish clip to prove a model loads and decodes, synthesized on the device.

espeak-ng speaks a fixed sentence; nothing is downloaded and no audio is shipped. Without
espeak-ng a synthetic voiced tone is used instead and the clip says so, because checking that a
model decodes does not need good speech, only audio.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16_000
SENTENCE = "Hej, jag heter Anna. Jag bor i Göteborg med mina två barn."
VOICE = ("-v", "sv", "-s", "135", "-g", "6")


@dataclass(frozen=True)
class Clip:
    audio: npt.NDArray[np.float32]
    reference: str | None  # what is said, if it is speech
    origin: str  # "espeak-ng" or a sentence explaining the fallback

    @property
    def seconds(self) -> float:
        return len(self.audio) / SAMPLE_RATE


def _resample(audio: npt.NDArray[np.float32], rate: int) -> npt.NDArray[np.float32]:
    if rate == SAMPLE_RATE:
        return audio
    n = round(len(audio) * SAMPLE_RATE / rate)
    positions = np.linspace(0, len(audio) - 1, n)
    return np.interp(positions, np.arange(len(audio)), audio).astype(np.float32)


def _espeak(text: str, exe: str) -> npt.NDArray[np.float32]:
    wav = subprocess.run(
        [exe, *VOICE, "--stdout", text], check=True, capture_output=True, timeout=60
    ).stdout
    with wave.open(io.BytesIO(wav), "rb") as w:
        rate = w.getframerate()
        frames = w.readframes(w.getnframes())
    pcm = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    return _resample(pcm, rate)


def _tone(seconds: float = 3.0) -> npt.NDArray[np.float32]:
    t = np.arange(round(seconds * SAMPLE_RATE), dtype=np.float32) / SAMPLE_RATE
    voiced = sum(np.sin(2 * np.pi * 140.0 * k * t) / k for k in range(1, 8))
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 3.0 * t)
    return (0.2 * voiced * envelope).astype(np.float32)


def swedish_clip(text: str = SENTENCE) -> Clip:
    """`text` spoken by espeak-ng at 16 kHz, or a synthetic tone if espeak-ng is missing."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        return Clip(
            _tone(), None, "espeak-ng is not installed: decoding was checked on a synthetic tone"
        )
    try:
        return Clip(_espeak(text, exe), text, "espeak-ng")
    except (subprocess.SubprocessError, OSError, wave.Error, EOFError) as exc:
        return Clip(_tone(), None, f"espeak-ng failed ({exc}): checked on a synthetic tone")
