"""The caseworker's voice on the touch screen ("Min röst"): one reading of the enrolment text
recorded from the meeting's audio input, with its live level, then checked and stored with
the same code as `fredag voice enroll` (`device.voice.enrolment`): encrypted in the device
store, only while the device is unlocked, never synced.

A `VoiceRecording` reads its source on a thread of its own; the screen polls its `status()`.
The audio lives in this object's memory until the enrolment is computed, then it is dropped.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from device.capture.audio import SAMPLE_RATE, AudioArray
from device.capture.sources import AudioSource
from device.journal.store import Store
from device.views.touch.live import level_percent
from fredag.errors import FredagError

ENROL_SECONDS = 25.0  # as `fredag voice enroll`: the text takes about 20 s to read
LEVEL_EVERY_S = 0.2

Outcome = Literal["ok", "too_quiet", "too_short", "locked", "failed"]


@dataclass(frozen=True)
class VoiceStatus:
    """What the screen shows of a reading: its phase, level (0-100) and, once done, the result."""

    phase: Literal["recording", "checking", "done"]
    level: int
    elapsed_s: float
    limit_s: float
    outcome: Outcome | None = None
    speech_s: float = 0.0
    message: str | None = None  # the error's text when `outcome` is "failed"


class VoiceRecording:
    """One reading, from `start` to a stored enrolment (or the reason there is none)."""

    def __init__(
        self,
        source: AudioSource,
        store: Store,
        unlocked: Callable[[], bool],
        limit_s: float = ENROL_SECONDS,
    ) -> None:
        self.source = source
        self.store = store
        self.unlocked = unlocked
        self.limit_s = limit_s
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._status = VoiceStatus("recording", 0, 0.0, limit_s)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.source.start()  # a missing microphone fails here, on the caller's thread
        self._thread = threading.Thread(target=self._run, name="fredag-voice", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """The caseworker has read the text: stop recording and check it now."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> VoiceStatus:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.status()

    def status(self) -> VoiceStatus:
        with self._lock:
            return self._status

    @property
    def done(self) -> bool:
        return self.status().phase == "done"

    def _set(self, **changes: Any) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)

    def _run(self) -> None:
        try:
            audio = self._record()
            self._set(phase="checking", level=0)
            self._set(phase="done", **self._enrol(audio))
        except FredagError as exc:
            self._set(phase="done", outcome="failed", message=str(exc))
        except Exception as exc:  # the screen must say something, not wait forever
            self._set(phase="done", outcome="failed", message=f"{type(exc).__name__}: {exc}")

    def _record(self) -> AudioArray:
        chunks: list[AudioArray] = []
        got = 0
        window: list[AudioArray] = []
        try:
            while not self._stop.is_set() and got < self.limit_s * SAMPLE_RATE:
                try:
                    chunk = self.source.read(0.2)
                except EOFError:
                    break
                if chunk is None:
                    continue
                chunks.append(chunk)
                window.append(chunk)
                got += chunk.size
                if sum(c.size for c in window) >= LEVEL_EVERY_S * SAMPLE_RATE:
                    self._set(level=level_percent(_dbfs(np.concatenate(window))))
                    window = []
                self._set(elapsed_s=got / SAMPLE_RATE)
        finally:
            self.source.close()
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)

    def _enrol(self, audio: AudioArray) -> dict[str, object]:
        from device.voice import enrolment
        from device.voice.encoder import shared_encoder

        reading = enrolment.check_reading(audio)
        if reading.problem is not None:
            return {"outcome": reading.problem, "speech_s": reading.speech_s}
        result = enrolment.embed_enrolment(shared_encoder(), audio)
        del audio
        if not self.unlocked():  # the device locked meanwhile: nothing is written
            return {"outcome": "locked", "speech_s": result.speech_s}
        enrolment.save(self.store, result)
        return {"outcome": "ok", "speech_s": result.speech_s}


def _dbfs(audio: AudioArray) -> float:
    rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) if audio.size else 0.0
    return 20 * math.log10(rms) if rms > 0 else -math.inf


@dataclass(frozen=True)
class Enrolled:
    """The start screen's and "Min röst"'s view of the stored enrolment."""

    created: str
    speech_s: float


def enrolled_voice(store: Store) -> Enrolled | None:
    """The stored enrolment of the current speaker model, if any (damaged: none)."""
    from device.voice import enrolment
    from fredag.clock import local_text

    try:
        found = enrolment.load(store)
    except FredagError:
        return None
    if found is None:
        return None
    return Enrolled(local_text(found.created_at, "%Y-%m-%d %H:%M"), found.speech_s)


def forget(store: Store) -> bool:
    from device.voice import enrolment

    return enrolment.forget(store)
