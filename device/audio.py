"""Decoding audio files to 16 kHz mono float32, with clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from fredag.errors import AudioEmpty, AudioNotFound, AudioUnreadable

SAMPLE_RATE = 16_000
AudioArray = npt.NDArray[np.float32]


def decode_file(path: Path) -> AudioArray:
    """Decode wav/mp3/m4a/ogg/flac (anything FFmpeg reads) to 16 kHz mono float32."""
    if not path.exists():
        raise AudioNotFound(f"no such file: {path}")
    if not path.is_file():
        raise AudioUnreadable(f"not a file: {path}")
    if path.stat().st_size == 0:
        raise AudioEmpty(f"the file is empty: {path}")
    # Imported here: PyAV is heavy and only the device extra has it.
    import av
    from faster_whisper.audio import decode_audio

    try:
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except (av.FFmpegError, ValueError, IndexError, StopIteration) as exc:
        raise AudioUnreadable(f"not an audio file Fredag can decode: {path}") from exc
    if audio.size == 0:
        raise AudioEmpty(f"the file holds no audio samples: {path}")
    result: AudioArray = np.asarray(audio, dtype=np.float32)
    return result


def duration_s(audio: AudioArray) -> float:
    return float(audio.shape[0]) / SAMPLE_RATE
