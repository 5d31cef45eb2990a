"""The start screen's microphone check: open the meeting's input for a few seconds, show its
level live (the screen follows it over server-sent events, `/mikrofon/niva`), close it again,
and say plainly whether it works.

The input is the one a meeting would record from (the microphone, or `--input`'s recording
in `make run`), opened through the same capture path (`device.capture.sources`). The check
holds the input only while it runs; a meeting that starts cancels it first, so the device is
never opened twice.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from device.capture.audio import SAMPLE_RATE
from device.capture.sources import AudioSource
from device.meeting.controller import LEVEL_EVERY_S, SILENT_DBFS
from device.views.touch.live import level_percent
from fredag.errors import CaptureError, FredagError

CHECK_S = 4.0  # seconds of audio the check listens to


@dataclass(frozen=True)
class CheckState:
    """What the check shows: `outcome` is None while it runs (or before the first one), then
    "ok", "silent" (audio, but below any working microphone's noise floor) or "failed" (no
    input could be opened or it stopped delivering; `detail` says why, for support)."""

    seq: int = 0
    running: bool = False
    level: int = 0
    heard_s: float = 0.0
    outcome: str | None = None
    detail: str | None = None


class MicCheck:
    def __init__(self, open_input: Callable[[], AudioSource], seconds: float = CHECK_S) -> None:
        self.open_input = open_input
        self.seconds = seconds
        self._cond = threading.Condition()
        self._state = CheckState()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def state(self) -> CheckState:
        with self._cond:
            return self._state

    def start(self) -> None:
        """Start a check (nothing happens while one runs)."""
        with self._cond:
            if self._state.running:
                return
            self._cancel.clear()
            self._set(running=True, level=0, heard_s=0.0, outcome=None, detail=None)
            self._thread = threading.Thread(target=self._run, name="fredag-miccheck", daemon=True)
            self._thread.start()

    def cancel(self) -> None:
        """Stop a running check and wait until its input is closed."""
        self._cancel.set()
        thread = self._thread
        if thread is not None:
            thread.join(5.0)

    def wait_change(self, after: int, timeout: float) -> CheckState:
        """The state once it differs from position `after` (or after `timeout`)."""
        with self._cond:
            if self._state.seq <= after:
                self._cond.wait(timeout)
            return self._state

    def _set(self, **changes: Any) -> None:  # with self._cond held
        self._state = replace(self._state, seq=self._state.seq + 1, **changes)
        self._cond.notify_all()

    def _run(self) -> None:
        peak = -math.inf
        outcome: str | None = "failed"
        detail: str | None = None
        try:
            source = self.open_input()
            try:
                source.start()
                peak = self._listen(source)
            finally:
                source.close()
            outcome = "ok" if peak >= SILENT_DBFS else "silent"
        except FredagError as exc:
            detail = str(exc)
        except Exception as exc:  # the screen must say something, not hang
            detail = f"{type(exc).__name__}: {exc}"
        with self._cond:
            if self._cancel.is_set():
                outcome, detail = None, None  # cancelled (a meeting opens the input): no verdict
            self._set(running=False, level=0, outcome=outcome, detail=detail)

    def _listen(self, source: AudioSource) -> float:
        """Read until `seconds` of audio were heard; publish the level every moment; the
        loudest moment's dBFS."""
        window = int(LEVEL_EVERY_S * SAMPLE_RATE)
        heard = 0
        pending: list[np.ndarray] = []
        peak = -math.inf
        while heard < self.seconds * SAMPLE_RATE and not self._cancel.is_set():
            try:
                chunk = source.read(0.5)
            except EOFError:
                break
            if chunk is None:
                continue
            pending.append(chunk)
            heard += chunk.size
            if sum(c.size for c in pending) < window:
                continue
            audio = np.concatenate(pending)
            pending = []
            rms = math.sqrt(float(np.dot(audio, audio)) / audio.size)
            dbfs = 20 * math.log10(rms) if rms > 0 else -math.inf
            peak = max(peak, dbfs)
            with self._cond:
                self._set(level=level_percent(dbfs), heard_s=heard / SAMPLE_RATE)
        if heard == 0:
            raise CaptureError("the input delivered no audio")
        return peak
