"""The speaker encoder: 16 kHz audio in, a 256-dimensional unit-length voice embedding out.

It is resemblyzer's GE2E encoder (weights from the installed wheel, see `device.voice.weights`)
run in numpy: a mel spectrogram (25 ms windows every 10 ms, 40 Slaney mel bands, power, as
librosa computes it for resemblyzer), a 3-layer LSTM whose last hidden state goes through a
linear layer, a ReLU and an L2 norm. Audio longer than one window of `PARTIAL_FRAMES` frames
(1.6 s) is cut into overlapping windows whose embeddings are averaged (as resemblyzer does);
shorter audio is run as it is rather than padded with silence, which the LSTM's last state
would mostly remember.

Numpy rather than torch: the device install has no torch, and the model is small enough
(1.4 M multiply-adds per 10 ms frame) that a batch of windows runs fast with one matrix
product per time step.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from device.voice.weights import WEIGHTS_SHA256, load_state
from fredag.errors import ModelCorrupt

SAMPLE_RATE = 16_000
N_FFT = 400
HOP = 160
N_MELS = 40
PARTIAL_FRAMES = 160
PARTIALS_PER_S = 1.3
MIN_COVERAGE = 0.75
MIN_FRAMES = 20  # 0.2 s: below this there is no voice to speak of
TARGET_DBFS = -30.0
LAYERS = 3
Array = npt.NDArray[np.float32]
MODEL_NAME = "resemblyzer-0.1.4-ge2e"


def _hz_to_mel(hz: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    f_sp = 200.0 / 3
    mels = hz / f_sp
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    log = hz >= min_log_hz
    mels[log] = min_log_mel + np.log(hz[log] / min_log_hz) / logstep
    return mels


def _mel_to_hz(mels: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    f_sp = 200.0 / 3
    hz = f_sp * mels
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    log = mels >= min_log_mel
    hz[log] = min_log_hz * np.exp(logstep * (mels[log] - min_log_mel))
    return hz


@lru_cache(maxsize=1)
def mel_filters() -> Array:
    """librosa.filters.mel(sr=16000, n_fft=400, n_mels=40) with Slaney scale and norm."""
    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    edges = _hz_to_mel(np.array([0.0, SAMPLE_RATE / 2]))
    mel_f = _mel_to_hz(np.linspace(edges[0], edges[1], N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    weights = np.zeros((N_MELS, fft_freqs.size))
    for i in range(N_MELS):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2 : N_MELS + 2] - mel_f[:N_MELS]))[:, None]
    return weights.astype(np.float32)


@lru_cache(maxsize=1)
def _window() -> Array:
    n = np.arange(N_FFT)
    return (0.5 - 0.5 * np.cos(2 * np.pi * n / N_FFT)).astype(np.float32)


def mel_spectrogram(audio: Array) -> Array:
    """(frames, 40) power mel spectrogram, centred frames as librosa's defaults make them."""
    padded = np.pad(audio.astype(np.float32), N_FFT // 2)
    n_frames = 1 + (padded.size - N_FFT) // HOP
    frames = np.lib.stride_tricks.as_strided(
        padded, shape=(n_frames, N_FFT), strides=(padded.strides[0] * HOP, padded.strides[0])
    )
    power = np.abs(np.fft.rfft(frames * _window(), axis=1)) ** 2
    return np.asarray(power.astype(np.float32) @ mel_filters().T, dtype=np.float32)


def normalize_volume(audio: Array) -> Array:
    """Raise quiet audio to -30 dBFS (never lower it), as the encoder was trained."""
    rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) if audio.size else 0.0
    if rms <= 1e-9:
        return audio
    change = TARGET_DBFS - 20 * np.log10(rms)
    return audio if change < 0 else (audio * 10 ** (change / 20)).astype(np.float32)


def voiced(audio: Array) -> Array:
    """`audio` without its silences: 30 ms windows more than 34 dB below the loud ones are
    dropped, unless next to speech (60 ms either side), the way resemblyzer trims long
    silences with its VAD; silence fed to the LSTM last would blur the voice it heard."""
    win = SAMPLE_RATE * 30 // 1000
    n = audio.size // win
    if n < 2:
        return audio
    frames = audio[: n * win].reshape(n, win)
    rms = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1))
    loud = float(np.percentile(rms, 95))
    keep = rms > max(1e-4, loud * 0.02)
    if not keep.any():
        return audio
    near = np.convolve(keep.astype(np.int8), np.ones(5, dtype=np.int8), mode="same") > 0
    return np.asarray(frames[near].reshape(-1), dtype=np.float32)


def partial_starts(n_frames: int) -> list[int]:
    """Start frames of the 1.6 s windows (resemblyzer's slicing, rate 1.3 per second)."""
    if n_frames <= PARTIAL_FRAMES:
        return [0]
    step = round(SAMPLE_RATE / PARTIALS_PER_S / HOP)
    starts = list(range(0, n_frames - PARTIAL_FRAMES + step + 1, step))
    coverage = (n_frames - starts[-1]) / PARTIAL_FRAMES
    if coverage < MIN_COVERAGE and len(starts) > 1:
        starts.pop()
    return starts


def _sigmoid(x: Array) -> Array:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)), dtype=np.float32)


@dataclass(frozen=True)
class _Layer:
    w_ih: Array  # (in, 4h), transposed for x @ w
    w_hh: Array  # (h, 4h)
    bias: Array  # (4h,)


class SpeakerEncoder:
    """The loaded encoder; thread-safe (numpy only, no state between calls)."""

    def __init__(self, state: dict[str, Array], sha256: str) -> None:
        try:
            self.layers = [
                _Layer(
                    np.ascontiguousarray(state[f"lstm.weight_ih_l{i}"].T),
                    np.ascontiguousarray(state[f"lstm.weight_hh_l{i}"].T),
                    state[f"lstm.bias_ih_l{i}"] + state[f"lstm.bias_hh_l{i}"],
                )
                for i in range(LAYERS)
            ]
            self.linear_w = np.ascontiguousarray(state["linear.weight"].T)
            self.linear_b = state["linear.bias"]
        except KeyError as exc:
            raise ModelCorrupt(f"the speaker model lacks the weights {exc}") from exc
        self.sha256 = sha256
        self.hidden = self.layers[0].w_hh.shape[0]
        self.dim = self.linear_w.shape[1]

    @classmethod
    def load(cls) -> SpeakerEncoder:
        """The encoder from the installed package; refused if the file is not the pinned one."""
        state, sha256 = load_state()
        if sha256 != WEIGHTS_SHA256:
            raise ModelCorrupt(
                f"the speaker model's sha256 is {sha256}, not the pinned {WEIGHTS_SHA256}"
            )
        return cls(state, sha256)

    def _forward(self, mels: Array) -> Array:
        """(batch, frames, 40) mel windows → (batch, dim) unit embeddings. One BLAS thread:
        the per-step products are small, and more threads only spin (measured: 6× the CPU
        time on the shared 2-core machine)."""
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1, user_api="blas"):
            return self._forward_lstm(mels)

    def _forward_lstm(self, mels: Array) -> Array:
        x = mels
        batch, steps, _ = x.shape
        h = np.zeros((batch, self.hidden), dtype=np.float32)
        for layer in self.layers:
            gates_x = x @ layer.w_ih + layer.bias  # (batch, steps, 4h)
            h = np.zeros((batch, self.hidden), dtype=np.float32)
            c = np.zeros((batch, self.hidden), dtype=np.float32)
            out = np.empty((batch, steps, self.hidden), dtype=np.float32)
            n = self.hidden
            for t in range(steps):
                g = gates_x[:, t] + h @ layer.w_hh
                i, f = _sigmoid(g[:, :n]), _sigmoid(g[:, n : 2 * n])
                cell, o = np.tanh(g[:, 2 * n : 3 * n]), _sigmoid(g[:, 3 * n :])
                c = f * c + i * cell
                h = o * np.tanh(c)
                out[:, t] = h
            x = out
        raw = np.maximum(h @ self.linear_w + self.linear_b, 0.0)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        return np.asarray(raw / np.maximum(norms, 1e-9), dtype=np.float32)

    def embed_partials(self, audio: Array) -> tuple[Array, list[tuple[float, float]]]:
        """One embedding per 1.6 s window of `audio`, with each window's (start, end) in s."""
        mel = mel_spectrogram(normalize_volume(voiced(audio)))
        if mel.shape[0] < MIN_FRAMES:
            mel = np.pad(mel, ((0, MIN_FRAMES - mel.shape[0]), (0, 0)))
        starts = partial_starts(mel.shape[0])
        if len(starts) == 1:
            window = mel[:PARTIAL_FRAMES]
            spans = [(0.0, window.shape[0] * HOP / SAMPLE_RATE)]
            return self._forward(window[None]), spans
        need = starts[-1] + PARTIAL_FRAMES
        if need > mel.shape[0]:
            mel = np.pad(mel, ((0, need - mel.shape[0]), (0, 0)))
        windows = np.stack([mel[s : s + PARTIAL_FRAMES] for s in starts])
        spans = [(s * HOP / SAMPLE_RATE, (s + PARTIAL_FRAMES) * HOP / SAMPLE_RATE) for s in starts]
        return self._forward(windows), spans

    def embed(self, audio: Array) -> Array:
        """One unit embedding for all of `audio` (the normalized mean of its windows)."""
        partials, _ = self.embed_partials(audio)
        return unit(partials.mean(axis=0))


def unit(vector: Array) -> Array:
    norm = float(np.linalg.norm(vector))
    return np.asarray(vector / norm if norm > 1e-9 else vector, dtype=np.float32)


_lock = threading.Lock()
_loaded: SpeakerEncoder | None = None


def shared_encoder() -> SpeakerEncoder:
    """One encoder per process (about 17 MB of weights), loaded on first use."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = SpeakerEncoder.load()
        return _loaded
