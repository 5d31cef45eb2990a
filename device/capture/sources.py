"""Audio sources for the live loop: a microphone through sounddevice, or a file at real-time pace.

Both deliver 16 kHz mono float32 chunks through `read()`, from a thread of their own, into a
bounded queue. The microphone thread reads with blocking reads, so a device that delivers
faster than real time (ALSA's ``file`` plugin in the tests) is throttled by the consumer,
and a real microphone, which is never faster than the loop, is never held back.

Failures are `CaptureError` with a message for the user: PortAudio missing, no input device,
an unknown device, a device that vanishes mid-meeting. Audio already delivered is the
caller's; nothing captured so far is thrown away when the source fails.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import numpy as np

from device.capture.audio import SAMPLE_RATE, AudioArray
from fredag.errors import CaptureError

CHUNK_S = 0.1
QUEUE_CHUNKS = 50  # 5 s of audio between the capture thread and the loop
STALL_S = 3.0  # a microphone that delivers nothing for this long has stopped working


class AudioSource(Protocol):
    """Where the live loop's audio comes from."""

    description: str

    def start(self) -> None: ...

    def read(self, timeout: float) -> AudioArray | None:
        """The next chunk; None when none came within `timeout`. Raises `CaptureError` on
        failure and `EOFError` when the source has ended."""
        ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def close(self) -> None: ...


def drain(source: AudioSource, timeout: float = 0.5) -> Iterator[AudioArray]:
    """Every chunk the (started) source delivers, until it ends. For loops that neither pause
    nor stop early (benchmarks, tests); the meeting controller has its own loop for those."""
    while True:
        try:
            chunk = source.read(timeout)
        except EOFError:
            return
        if chunk is not None:
            yield chunk


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default_samplerate: float
    hostapi: str
    is_default: bool


def _sounddevice() -> ModuleType:
    try:
        import sounddevice
    except OSError as exc:
        raise CaptureError(
            "the audio system is not available: PortAudio is not installed "
            "(on Debian: apt-get install libportaudio2)"
        ) from exc
    except ImportError as exc:
        raise CaptureError(
            "microphone capture needs the device install (pip install fredag[device])"
        ) from exc
    module: ModuleType = sounddevice
    return module


def list_inputs() -> list[InputDevice]:
    """Every device that can record, with the system's default marked."""
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        apis = sd.query_hostapis()
        default_in = sd.default.device[0]
    except sd.PortAudioError as exc:
        raise CaptureError(f"cannot list audio devices: {exc}") from exc
    found = []
    for dev in devices:
        if int(dev["max_input_channels"]) > 0:
            found.append(
                InputDevice(
                    index=int(dev["index"]),
                    name=str(dev["name"]),
                    channels=int(dev["max_input_channels"]),
                    default_samplerate=float(dev["default_samplerate"]),
                    hostapi=str(apis[dev["hostapi"]]["name"]),
                    is_default=int(dev["index"]) == default_in,
                )
            )
    return found


def resolve_device(spec: str | None) -> InputDevice:
    """The input device named by index or by (part of) its name; the default when None."""
    inputs = list_inputs()
    if not inputs:
        raise CaptureError("no microphone found: this computer has no audio input device")
    if spec is None:
        return next((d for d in inputs if d.is_default), inputs[0])
    if spec.strip().isdigit():
        chosen = [d for d in inputs if d.index == int(spec)]
    else:
        exact = [d for d in inputs if d.name == spec]
        chosen = exact or [d for d in inputs if spec.lower() in d.name.lower()]
    names = ", ".join(f"{d.index}: {d.name}" for d in inputs)
    if not chosen:
        raise CaptureError(f"no input device {spec!r}; inputs are {names} (see `fredag devices`)")
    if len(chosen) > 1:
        raise CaptureError(f"{spec!r} matches several input devices: {names}; give the index")
    return chosen[0]


def to_16k(samples: AudioArray, rate: float) -> AudioArray:
    """Linear resampling to 16 kHz (only used when a device cannot record at 16 kHz)."""
    if int(rate) == SAMPLE_RATE or samples.size == 0:
        return samples
    n = max(1, round(samples.size * SAMPLE_RATE / rate))
    x = np.linspace(0, samples.size - 1, n)
    out: AudioArray = np.interp(x, np.arange(samples.size), samples).astype(np.float32)
    return out


class _ThreadedSource:
    """A reader thread feeding a bounded queue; subclasses implement `_produce`."""

    description = "audio"

    def __init__(self) -> None:
        self._queue: queue.Queue[AudioArray | BaseException | None] = queue.Queue(QUEUE_CHUNKS)
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._thread: threading.Thread | None = None
        self._done = False

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="fredag-capture", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._produce()
        except BaseException as exc:  # handed to the reader, which raises it there
            self._put(exc)
            return
        self._put(None)

    def _produce(self) -> None:
        raise NotImplementedError

    def _put(self, item: AudioArray | BaseException | None) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    def read(self, timeout: float) -> AudioArray | None:
        if self._done:
            raise EOFError
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is None:
            self._done = True
            raise EOFError
        if isinstance(item, BaseException):
            self._done = True
            if isinstance(item, CaptureError):
                raise item
            raise CaptureError(f"audio capture failed: {item}") from item
        return item

    def pause(self) -> None:
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)


class MicrophoneSource(_ThreadedSource):
    """Records from an input device with sounddevice (16 kHz mono, int16 blocking reads)."""

    def __init__(self, device: str | None = None, *, stop_after_s: float | None = None) -> None:
        super().__init__()
        self._sd = _sounddevice()
        self.device = resolve_device(device)
        self.description = f"mikrofon {self.device.index}: {self.device.name}"
        self._stop_after = stop_after_s
        self._stream: Any = None
        self._rate = float(SAMPLE_RATE)
        self._last_audio = time.monotonic()

    def read(self, timeout: float) -> AudioArray | None:
        """As `_ThreadedSource.read`, plus a watchdog: a device that stops delivering audio
        (unplugged, and PortAudio blocks instead of failing) is a `CaptureError`."""
        chunk = super().read(timeout)
        now = time.monotonic()
        if chunk is not None or self._paused.is_set():
            self._last_audio = now
        elif now - self._last_audio > STALL_S:
            self._done = True
            raise CaptureError(
                f"no audio from {self.description} for {STALL_S:.0f} s: the microphone stopped "
                "working; everything recorded so far is kept"
            )
        return chunk

    def start(self) -> None:
        self._last_audio = time.monotonic()
        self._start_stream()

    def _open(self) -> Any:
        sd = self._sd
        for rate in (float(SAMPLE_RATE), self.device.default_samplerate):
            try:
                stream = sd.InputStream(
                    samplerate=rate,
                    channels=1,
                    dtype="int16",
                    device=self.device.index,
                    blocksize=int(rate * CHUNK_S),
                )
            except (sd.PortAudioError, ValueError) as exc:
                last = exc
                continue
            self._rate = rate
            return stream
        raise CaptureError(f"cannot open {self.description}: {last}") from last

    def _start_stream(self) -> None:
        self._stream = self._open()
        try:
            self._stream.start()
        except self._sd.PortAudioError as exc:
            raise CaptureError(f"cannot start recording from {self.description}: {exc}") from exc
        super().start()

    def _produce(self) -> None:
        sd = self._sd
        frames = int(self._rate * CHUNK_S)
        delivered = 0.0
        while not self._stop.is_set():
            try:
                data, _overflowed = self._stream.read(frames)
            except (sd.PortAudioError, OSError) as exc:
                raise CaptureError(
                    f"the microphone stopped working ({self.description}): {exc}; "
                    "everything recorded so far is kept"
                ) from exc
            if self._paused.is_set():
                continue
            chunk = to_16k(np.asarray(data[:, 0], dtype=np.float32) / 32768.0, self._rate)
            if self._stop_after is not None:
                room = round((self._stop_after - delivered) * SAMPLE_RATE)
                chunk = chunk[: max(0, room)]
            if chunk.size and not self._put(chunk):
                return
            delivered += chunk.size / SAMPLE_RATE
            if self._stop_after is not None and delivered >= self._stop_after - 1e-6:
                return

    def close(self) -> None:
        super().close()
        if self._stream is not None:
            with contextlib.suppress(self._sd.PortAudioError):
                self._stream.close(ignore_errors=True)
            self._stream = None


class FileSource(_ThreadedSource):
    """Plays a recording into the loop at real-time pace (times `speed`), for demos and tests.

    The file is decoded piece by piece while it plays, so memory stays flat for long files."""

    def __init__(self, path: Path, *, speed: float = 1.0, stop_after_s: float | None = None):
        super().__init__()
        if speed <= 0:
            raise CaptureError("the speed factor must be above 0")
        from device.capture.audio import probe_file

        probe_file(path)
        self.path = path
        self.speed = speed
        self.stop_after_s = stop_after_s
        self.description = f"fil {path.name}" + (f" ({speed:g}× takt)" if speed != 1 else "")
        self.started_wall: float | None = None

    def _chunks(self) -> Iterator[AudioArray]:
        """The file in CHUNK_S pieces, cut at `stop_after_s`."""
        from device.capture.audio import stream_file

        step = int(SAMPLE_RATE * CHUNK_S)
        limit = None if self.stop_after_s is None else int(self.stop_after_s * SAMPLE_RATE)
        sent = 0
        rest = np.zeros(0, dtype=np.float32)
        for block in stream_file(self.path):
            rest = np.concatenate([rest, block]) if rest.size else block
            while rest.size >= step:
                piece, rest = rest[:step], rest[step:]
                if limit is not None:
                    piece = piece[: max(0, limit - sent)]
                if piece.size:
                    sent += piece.size
                    yield piece
                if limit is not None and sent >= limit:
                    return
        if rest.size and (limit is None or sent < limit):
            yield rest[: None if limit is None else limit - sent]

    def _produce(self) -> None:
        start = time.monotonic()
        self.started_wall = start
        paused_total = 0.0
        for i, chunk in enumerate(self._chunks()):
            while True:
                if self._stop.is_set():
                    return
                if self._paused.is_set():
                    time.sleep(0.05)
                    paused_total += 0.05
                    continue
                due = start + paused_total + (i + 1) * CHUNK_S / self.speed
                wait = due - time.monotonic()
                if wait <= 0:
                    break
                time.sleep(min(wait, 0.05))
            if not self._put(chunk):
                return
