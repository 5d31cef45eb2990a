"""Encode test audio into the formats users hand to `fredag transcribe`, with PyAV."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

# container suffix -> (format, codec)
FORMATS = {
    ".wav": ("wav", "pcm_s16le"),
    ".flac": ("flac", "flac"),
    ".mp3": ("mp3", "libmp3lame"),
    ".m4a": ("ipod", "aac"),
    ".ogg": ("ogg", "libopus"),
}


def encode(audio: np.ndarray, out: Path, rate: int = 16_000) -> Path:
    fmt, codec = FORMATS[out.suffix]
    # Opus only runs at 48 kHz; let the encoder's resampler handle it.
    out_rate = 48_000 if codec == "libopus" else rate
    with av.open(str(out), "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=out_rate, layout="mono")  # type: ignore[call-overload]
        pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
        frame_size = 1024
        pts = 0
        for i in range(0, len(pcm), frame_size):
            chunk = pcm[i : i + frame_size]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = rate
            frame.pts = pts
            frame.time_base = Fraction(1, rate)
            pts += len(chunk)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out
