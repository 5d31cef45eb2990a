"""Decoding audio files to 16 kHz mono float32, with clear errors for bad input."""

from __future__ import annotations

from collections.abc import Iterator
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


def stream_file(path: Path, group_samples: int = 48_000) -> Iterator[AudioArray]:
    """Decode a file piece by piece to 16 kHz mono float32 (memory stays flat for long files)."""
    if not path.exists():
        raise AudioNotFound(f"no such file: {path}")
    if not path.is_file():
        raise AudioUnreadable(f"not a file: {path}")
    import av
    from faster_whisper import audio as fw_audio

    resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioUnreadable(f"no audio in {path}")
            frames = fw_audio._ignore_invalid_frames(container.decode(audio=0))
            frames = fw_audio._group_frames(frames, group_samples)
            for frame in fw_audio._resample_frames(frames, resampler):
                pcm = np.asarray(frame.to_ndarray(), dtype=np.int16).reshape(-1)
                yield (pcm.astype(np.float32) / 32768.0).astype(np.float32)
    except (av.FFmpegError, ValueError, IndexError) as exc:
        raise AudioUnreadable(f"not an audio file Fredag can decode: {path}") from exc


def probe_file(path: Path) -> None:
    """Fail now, with an `AudioError`, if `path` cannot be played (before a session starts)."""
    for _block in stream_file(path, group_samples=1024):
        return
    raise AudioEmpty(f"the file holds no audio samples: {path}")
