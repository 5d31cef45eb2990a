"""A voice's pitch level: the 90th percentile of F0 over an utterance's voiced frames, in numpy.

GE2E embeddings barely move with pitch (a voice shifted by an octave's fifth still embeds
close to itself), while two people's pitch levels usually differ. So the tracker weighs a
pitch level alongside the embedding (`device.voice.attribution`). The upper percentile is used
rather than the median because it moves least with intonation: a one-word answer ends on a
falling pitch that drags its median well below the speaker's usual level.

F0 per 40 ms frame (10 ms hop) is the lag of the highest normalized autocorrelation peak
between 60 and 400 Hz, the autocorrelation divided by the window's own (so long periods, low
voices, are not damped); a frame counts as voiced when that peak is at least `VOICED_MIN` and
the frame is within 20 dB of the loud ones. Fewer than `MIN_VOICED` voiced frames: no level.
The level is one number per utterance and stays in RAM like the embedding (the enrolment keeps
the caseworker's own).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16_000
FRAME = 640  # 40 ms
HOP = 160  # 10 ms
F0_MIN, F0_MAX = 60.0, 400.0
VOICED_MIN = 0.5
MIN_VOICED = 8
PERCENTILE = 90.0
BLOCK = 256  # frames per FFT batch


def f0_track(audio: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    """F0 in Hz of the voiced frames of 16 kHz `audio`, in order."""
    if audio.size < FRAME:
        return np.zeros(0)
    n = 1 + (audio.size - FRAME) // HOP
    x = np.ascontiguousarray(audio, dtype=np.float32)
    frames = np.lib.stride_tricks.as_strided(
        x, shape=(n, FRAME), strides=(x.strides[0] * HOP, x.strides[0])
    )
    lo, hi = int(SAMPLE_RATE / F0_MAX), int(SAMPLE_RATE / F0_MIN)
    energy = np.empty(n)
    lags = np.empty(n, dtype=np.int64)
    peaks = np.empty(n)
    window = np.hanning(FRAME).astype(np.float32)
    # The window's own autocorrelation: a windowed periodic signal's autocorrelation falls
    # with the lag by this much, so dividing by it keeps a low voice's peak (a long lag) as
    # high as a high voice's (Boersma 1993). Without it a voice under ~80 Hz never counted
    # as voiced and one of 90-100 Hz rarely did.
    wac = np.correlate(window, window, "full")[FRAME - 1 : FRAME - 1 + hi]
    wac = np.maximum(wac / wac[0], 1e-3)
    for at in range(0, n, BLOCK):  # in blocks: a long utterance's spectra stay small
        block = frames[at : at + BLOCK].astype(np.float32)
        block = block - block.mean(axis=1, keepdims=True)
        energy[at : at + BLOCK] = np.sqrt(np.mean(block**2, axis=1))
        spectrum = np.fft.rfft(block * window, n=2 * FRAME, axis=1)
        ac = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :hi]
        ac = ac / np.maximum(ac[:, :1], 1e-12) / wac
        lags[at : at + BLOCK] = ac[:, lo:hi].argmax(axis=1) + lo
        peaks[at : at + BLOCK] = ac[:, lo:hi].max(axis=1)
    loud = float(np.percentile(energy, 95))
    voiced = (peaks >= VOICED_MIN) & (energy > loud * 0.1)
    return np.asarray(SAMPLE_RATE / lags[voiced], dtype=np.float64)


def pitch_level(audio: npt.NDArray[np.float32]) -> float | None:
    """log(F0) at the 90th percentile of the voiced frames, or None with too few of them."""
    f0 = f0_track(audio)
    if f0.size < MIN_VOICED:
        return None
    return float(np.log(np.percentile(f0, PERCENTILE)))
