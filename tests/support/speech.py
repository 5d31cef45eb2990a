"""Swedish test speech synthesized by espeak-ng during the run (never committed audio)."""

from __future__ import annotations

import re
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np

# The voice the team measured: whisper-base hears it with a WER near 0.3.
VOICE = ("-v", "sv", "-s", "135", "-g", "6")
# A second, male-variant voice for two-speaker conversations.
VOICE_2 = ("-v", "sv+m3", "-s", "135", "-g", "6")
SAMPLE_RATE = 16_000


def require_espeak() -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise RuntimeError("espeak-ng is not installed; `make test` installs it (apt-get)")
    return exe


def speak(text: str, out: Path, voice: tuple[str, ...] = VOICE) -> Path:
    """Write `text` spoken in Swedish to `out` as 16 kHz mono 16-bit WAV."""
    raw = out.with_suffix(".raw22k.wav")
    subprocess.run([require_espeak(), *voice, "-w", str(raw), text], check=True)
    audio = read_wav(raw)
    raw.unlink()
    write_wav(out, resample(audio[0], audio[1], SAMPLE_RATE))
    return out


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
        if w.getnchannels() > 1:
            data = data.reshape(-1, w.getnchannels()).mean(axis=1).astype(np.int16)
    return data.astype(np.float32) / 32768.0, rate


def resample(audio: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target:
        return audio
    n = round(len(audio) * target / rate)
    return np.interp(np.linspace(0, len(audio) - 1, n), np.arange(len(audio)), audio).astype(
        np.float32
    )


def write_wav(path: Path, audio: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


def conversation(turns: list[tuple[int, str]], out: Path, gap_s: float = 0.8) -> Path:
    """Speak alternating turns (speaker 0 or 1) with pauses between them into one WAV."""
    pieces = []
    for i, (speaker, text) in enumerate(turns):
        part = speak(
            text, out.with_name(f"{out.stem}.turn{i}.wav"), VOICE if speaker == 0 else VOICE_2
        )
        pieces.append(read_wav(part)[0])
        pieces.append(silence(gap_s))
        part.unlink()
    return write_wav(out, np.concatenate(pieces))


def normalize(text: str) -> str:
    text = text.lower()
    text = re.sub(r"[^\wåäöéü\s]", " ", text)
    return " ".join(text.split())


def wer(reference: str, hypothesis: str) -> float:
    import jiwer

    return float(jiwer.wer(normalize(reference), normalize(hypothesis)))
