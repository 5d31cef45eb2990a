"""A stand-in microphone for machines without a sound card (`make run`, the tests): an ALSA
input, `fredagmic`, that the device records from through its real capture path (sounddevice →
PortAudio → ALSA) at real-time pace.

ALSA's `file` plugin on a `null` slave reads its `infile` with one plain `read()` per transfer,
and the `null` PCM is never paced (its `avail_update` always reports a full buffer and its
poll descriptor is /dev/full), so a regular file is delivered as fast as the reader reads: fine
for `fredag record` (tests/device/test_capture.py), too fast for a live screen. Here the
`infile` is a named pipe (FIFO) instead: its `read()` blocks until this helper writes, and the
helper writes 100 ms of audio every 100 ms, so the "air" sets the pace as a sound card's clock
would. Pipe writes up to PIPE_BUF bytes are atomic, so a reader gets whole chunks; a write that
fails because the reader closed the input is made again to the next reader (what sat unread in
the pipe when it closed is gone, as a sound card drops what it captured after a stream closes).
PortAudio opens the input once more when it lists the devices; the helper serves every open.

What the air carries: low noise (about -50 dBFS, a quiet room; a working microphone is never
digitally silent), and what `play` queues; with `replay`, every time the input is opened the
same recording is said into it from its start (`make run`: the sample meeting, whether the
microphone check or a meeting opened the input).

    python -m device.capture.standin DIR RECORDING [--speed X]

writes DIR/.asoundrc (run the device with HOME=DIR) and feeds the input until stopped.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import signal
import sys
import threading
import time
from collections import deque
from pathlib import Path

import numpy as np

RATE = 16000
CHUNK = 1600  # 100 ms; 3200 bytes, below PIPE_BUF (4096): one atomic write
LEAD_CHUNKS = 3  # written at once when a reader opens, so it never waits on a fresh open

ASOUNDRC = """
pcm.fredagmic {{
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "{fifo}"
    format "raw"
    hint {{
        show on
        description "Fredag test microphone (paced)"
    }}
}}
"""


class StandInMicrophone:
    """A HOME whose ~/.asoundrc defines the input `fredagmic`, fed in real time (times
    `speed`; see above). Use as a context manager; pass `home` as HOME to the process that
    records."""

    def __init__(
        self,
        base: Path,
        *,
        noise_dbfs: float = -50.0,
        speed: float = 1.0,
        replay: np.ndarray | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError("the speed factor must be above 0")
        self.home = base / "alsa-home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.fifo = base / "mic.fifo"
        if not self.fifo.exists():
            os.mkfifo(self.fifo, 0o600)
        (self.home / ".asoundrc").write_text(ASOUNDRC.format(fifo=self.fifo))
        self.speed = speed
        self._replay = None if replay is None else self._chunks(replay)
        rng = np.random.default_rng(7)
        amplitude = 10 ** (noise_dbfs / 20) * 32767
        self._noise = (rng.standard_normal(CHUNK * 10) * amplitude).astype("<i2")
        self._queue: deque[bytes] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._feed, name="paced-alsa", daemon=True)
        self.opens = 0
        self.played_s = 0.0

    def __enter__(self) -> StandInMicrophone:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _chunks(audio: np.ndarray) -> list[bytes]:
        pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")
        pcm = np.concatenate([pcm, np.zeros(-pcm.size % CHUNK, dtype="<i2")])
        return [pcm[i : i + CHUNK].tobytes() for i in range(0, pcm.size, CHUNK)]

    def play(self, audio: np.ndarray) -> None:
        """Queue `audio` (float, 16 kHz mono) to be "said" next, after what is queued."""
        with self._lock:
            self._queue.extend(self._chunks(audio))

    def pending_s(self) -> float:
        """Seconds of queued audio not yet taken by a reader."""
        with self._lock:
            return len(self._queue) * CHUNK / RATE

    def close(self) -> None:
        self._stop.set()
        # A writer blocked in open() waits for a reader: be one for a moment.
        with contextlib.suppress(OSError):
            fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
            time.sleep(0.2)
            os.close(fd)
        self._thread.join(5)

    def _next(self, n: int) -> tuple[bytes, bool]:
        """The next chunk in the air, and whether it is queued audio (not noise)."""
        with self._lock:
            if self._queue:
                return self._queue[0], True
        start = (n % 10) * CHUNK
        return self._noise[start : start + CHUNK].tobytes(), False

    def _taken(self) -> None:
        with self._lock:
            self._queue.popleft()
            self.played_s += CHUNK / RATE

    def _feed(self) -> None:
        while not self._stop.is_set():
            fd = os.open(self.fifo, os.O_WRONLY)  # blocks until a reader opens the input
            self.opens += 1
            if self._replay is not None:
                with self._lock:
                    self._queue = deque(self._replay)
            try:
                self._serve(fd)
            finally:
                os.close(fd)

    def _serve(self, fd: int) -> None:
        """Write 100 ms per 100 ms to one reader until it closes the input."""
        started, n = time.monotonic(), 0
        while not self._stop.is_set():
            chunk, queued = self._next(n)
            try:
                os.write(fd, chunk)
            except OSError as exc:
                if exc.errno == errno.EPIPE:
                    return  # the reader closed; the chunk goes to the next one
                raise
            if queued:
                self._taken()
            n += 1
            due = started + (n - LEAD_CHUNKS) * CHUNK / RATE / self.speed
            time.sleep(max(0.0, due - time.monotonic()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m device.capture.standin")
    parser.add_argument("dir", type=Path, help="where the input's HOME and pipe are made")
    parser.add_argument("recording", type=Path, help="said into the input on every open")
    parser.add_argument("--speed", type=float, default=1.0)
    args = parser.parse_args(argv)
    from device.capture.audio import decode_file

    audio = decode_file(args.recording)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with StandInMicrophone(args.dir, speed=args.speed, replay=audio) as mic:
        print(f"HOME={mic.home} fredag ui --device fredagmic", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
