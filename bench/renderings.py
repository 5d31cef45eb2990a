"""Seeded, reproducible renderings of a meeting script: what another run of the shared
scorer's `speak()` could have produced, numbered so that every run hears the same audio.

Why: ../shared/eval/score_meeting.py speaks a script with espeak-ng and sox, and sox seeds
its random numbers afresh on every run. Two runs therefore differ, and whisper-base may hear
them differently enough to add or lose a finding. What differs between two sox runs (and
nothing else; espeak-ng and every sox effect are deterministic):

* the TPDF dither, ±1 LSB, that sox adds whenever it writes 16 bits from a more precise
  signal: each turn's resampling from espeak-ng's 22 050 Hz to 16 kHz, and in ``room`` the
  reverberated signal and the final mix;
* in ``room``, the realisation of the pink noise (``synth … pinknoise vol 0.06``), about
  15 dB below the speech: a far larger change than the dither.

Rendering ``k`` of a script and condition:

* ``k = 0`` is the shared `speak()` itself: the cached wav in ``$FREDAG_EVAL_CACHE`` when
  there is one (the rendering every earlier figure and every cached transcript was made on;
  those were rendered with a fresh seed, so a new machine without that cache cannot remake
  them), otherwise rendered in sox's repeatable mode (``SOX_OPTS=-R``), which is
  reproducible.
* ``k ≥ 1`` runs the same espeak-ng and sox commands in repeatable mode with sox's dither
  off (``-D``), writes sox's exact 32-bit samples, and dithers them to 16 bits here with the
  same TPDF (two uniform draws, ±1 LSB, rounded; sox's own measures 0.25 LSB² error variance,
  as this does) from ``numpy.random.default_rng(k)`` with its draws in a fixed order. The room
  noise is sox's own repeatable pink noise, taken from the ``k``-th stretch of the length of
  the meeting (``synth`` is asked for ``k + 1`` lengths and the first ``k`` are dropped), so
  each ``k`` hears a different realisation of the same noise. Kept under
  ``$FREDAG_EVAL_CACHE/renders/`` as ``NAME-CONDITION-KEY-rK.wav`` (KEY as the shared scorer's).

Renderings of one script and condition have the same length; ``k ≥ 1`` gives the same bytes
on every run and machine with the same espeak-ng, sox and numpy (PCG64 streams). Checked
(tests/device/test_meeting_renderings.py, and on barn-elsa): with the dither replaced by
plain rounding, this pipeline gives the shared `speak()`'s samples under
``SOX_OPTS="-R -D"`` exactly, clean and room; with it, rendering 1 differs from a sox ``-R``
rendering as two sox runs differ from each other (clean: at most 2 LSB, the same
distribution of differences; room: difference RMS 573 against 569 between two sox runs, on a
signal RMS of 2309).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

VOICES = {"H": "sv", "K": "sv+m3", "K2": "sv+f2"}  # the shared scorer's voices
RATE = 16000


def cache_dir() -> Path:
    return Path(os.environ.get("FREDAG_EVAL_CACHE", Path.home() / ".cache" / "fredag-eval"))


def shared_key(script: Path, condition: str) -> str:
    """The shared scorer's audio key: a hash of the script's text and the condition."""
    text = script.read_text(encoding="utf-8") + condition
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def render(
    script: Path,
    condition: str,
    k: int,
    speak: Callable[[Path, str], Path] | None = None,
    cache: Path | None = None,
) -> Path:
    """The wav of rendering `k` of `script` in `condition` ("clean" or "room"); see the module
    docstring. `speak` is the shared scorer's (needed for k = 0)."""
    if k < 0:
        raise ValueError(f"a rendering is numbered from 0, not {k}")
    if k == 0:
        if speak is None:
            raise ValueError("rendering 0 is the shared scorer's speak(); pass it")
        return _repeatable(speak, script, condition)
    folder = (cache or cache_dir()) / "renders"
    out = folder / f"{script.stem}-{condition}-{shared_key(script, condition)}-r{k}.wav"
    if out.exists():
        return out
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(k)
    with tempfile.TemporaryDirectory() as tmp:
        clean = _clean(script, Path(tmp), rng)
        if condition == "room":
            samples = _room(clean, Path(tmp), rng, k)
        elif condition == "clean":
            samples = clean
        else:
            raise ValueError(f"unknown condition {condition!r}")
        part = Path(tmp) / "out.wav"
        _write_wav(samples, part)
        part.replace(out)
    return out


def _repeatable(speak: Callable[[Path, str], Path], script: Path, condition: str) -> Path:
    old = os.environ.get("SOX_OPTS")
    os.environ["SOX_OPTS"] = f"-R {old}" if old and "-R" not in old.split() else (old or "-R")
    try:
        return Path(speak(script, condition))
    finally:
        if old is None:
            os.environ.pop("SOX_OPTS", None)
        else:
            os.environ["SOX_OPTS"] = old


def _sox(*args: str) -> None:
    env = {**os.environ, "SOX_OPTS": ""}
    subprocess.run(["sox", "-R", "-D", "-q", *args], check=True, env=env)


RAW32 = ("-t", "raw", "-e", "signed-integer", "-b", "32", "-c", "1", "-r", str(RATE))
RAW16 = ("-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", str(RATE))


def _read32(path: Path) -> np.ndarray:
    """sox's exact samples, in 16-bit LSBs."""
    return np.fromfile(path, dtype="<i4").astype(np.float64) / 65536.0


def dither(exact: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """TPDF dither of ±1 LSB and rounding (half up, as sox) to 16 bits, as sox's default."""
    noise = rng.random(exact.shape[0]) - rng.random(exact.shape[0])
    return _round16(exact + noise)


def _round16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.floor(x + 0.5), -32768, 32767).astype("<i2")


def _write16(samples: np.ndarray, path: Path) -> Path:
    samples.astype("<i2").tofile(path)
    return path


def _write_wav(samples: np.ndarray, path: Path) -> None:
    raw = _write16(samples, path.with_suffix(".raw"))
    _sox(*RAW16, str(raw), "-b", "16", str(path))


def _clean(script: Path, tmp: Path, rng: np.random.Generator) -> np.ndarray:
    """The shared scorer's clean rendering: each turn by espeak-ng, resampled to 16 kHz and
    padded with 0.6 s of silence, the turns joined."""
    parts = []
    for i, line in enumerate(script.read_text(encoding="utf-8").splitlines()):
        if "|" not in line:
            continue
        who, text = (x.strip() for x in line.split("|", 1))
        raw, exact = tmp / f"r{i}.wav", tmp / f"p{i:03d}.raw"
        voice = VOICES.get(who, "sv")
        speak = ["espeak-ng", "-v", voice, "-s", "135", "-g", "6", "-w", str(raw), text]
        subprocess.run(speak, check=True, stderr=subprocess.DEVNULL)
        _sox(str(raw), *RAW32, str(exact), "pad", "0", "0.6")
        parts.append(dither(_read32(exact), rng))
    return np.concatenate(parts) if parts else np.zeros(0, dtype="<i2")


def _room(clean: np.ndarray, tmp: Path, rng: np.random.Generator, k: int) -> np.ndarray:
    """The shared scorer's room: reverberation, normalised to -3 dB, pink noise mixed in at
    0.06, normalised again; the noise is the k-th stretch of sox's repeatable pink noise."""
    source = _write16(clean, tmp / "clean.raw")
    _sox(
        *RAW16, str(source), *RAW32, str(tmp / "wet32.raw"),
        "reverb", "40", "50", "60", "remix", "-", "norm", "-3",
    )  # fmt: skip
    wet = dither(_read32(tmp / "wet32.raw"), rng)
    n = wet.shape[0]
    seconds = f"{(k + 1) * n / RATE:.6f}"
    _sox("-n", *RAW32, str(tmp / "noise32.raw"), "synth", seconds, "pinknoise", "vol", "0.06")
    noise = dither(_read32(tmp / "noise32.raw")[k * n : (k + 1) * n], rng)
    wet_raw = _write16(wet, tmp / "wet.raw")
    noise_raw = _write16(noise, tmp / "noise.raw")
    mixed = tmp / "mix32.raw"
    _sox("-m", *RAW16, str(wet_raw), *RAW16, str(noise_raw), *RAW32, str(mixed), "norm", "-3")
    return dither(_read32(mixed), rng)
