"""The live meeting loop: audio source → streaming transcription → encrypted journal → view.

Every committed segment is written (and fsynced) to the session's journal *before* the view
shows it, so whatever the caseworker has seen as committed survives a kill -9 or a power
loss. Pause flushes the utterance in progress; stop (key, Ctrl-C, SIGTERM, end of input)
drains the transcription and returns. A capture failure mid-meeting commits what was heard,
leaves the session resumable and reports the error.

When the device locks (key l, the touch screen, or `fredag device lock` anywhere) the meeting
keeps recording: segments go to the journal sealed to the device's public key, the view shows
no text, and the recorder drops the text it held. On unlock the sealed segments are merged
and the transcript is read back from the journal (docs/device.md, "Keys and locking").
"""

from __future__ import annotations

import base64
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

import numpy as np

from device.capture.audio import AudioArray
from device.capture.sources import AudioSource
from device.journal.session import SessionLog, load_session
from device.stages.streaming import Commit, StreamingOptions, StreamingTranscriber
from device.stages.tagging import SegmentTagger
from device.stages.transcribe import Transcriber
from device.views.terminal import View, key_reader
from fredag.errors import CaptureError
from fredag.journal import clock
from fredag.protocol import CaseType, Segment

AUDIO_RECORD_S = 1.0
LOCKED_LINE = "(låst – sparat krypterat / locked – stored sealed)"


@dataclass(frozen=True)
class RecordResult:
    segments: tuple[Segment, ...]
    audio_s: float
    capture_error: CaptureError | None


class _AudioKeeper:
    """Keeps raw audio, encrypted, only when the caseworker turned it on."""

    def __init__(self, log: SessionLog, offset_s: float) -> None:
        self.journal = log.store.session_journal(log.session_id, "audio")
        self.offset_s = offset_s
        self._buf: list[AudioArray] = []
        self._n = 0
        self._at = offset_s

    def add(self, chunk: AudioArray) -> None:
        self._buf.append(chunk)
        self._n += chunk.size
        if self._n >= AUDIO_RECORD_S * 16_000:
            self.flush()

    def flush(self) -> None:
        if not self._buf:
            return
        pcm = (np.clip(np.concatenate(self._buf), -1, 1) * 32767).astype("<i2").tobytes()
        self.journal.append(
            {"type": "pcm16", "at": self._at, "data": base64.b64encode(pcm).decode()}
        )
        self._at += self._n / 16_000
        self._buf, self._n = [], 0


class Recorder:
    def __init__(
        self,
        *,
        log: SessionLog,
        case_type: CaseType,
        source: AudioSource,
        transcriber: Transcriber,
        tagger: SegmentTagger,
        view: View,
        options: StreamingOptions,
        offset_s: float = 0.0,
        keep_audio: bool = False,
        previous: tuple[Segment, ...] = (),
    ) -> None:
        self.log = log
        self.case_type = case_type
        self.source = source
        self.tagger = tagger
        self.view = view
        self.offset_s = offset_s
        self.segments: list[Segment] = list(previous)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._pause_requested = threading.Event()
        self._paused = False
        self.keeper = _AudioKeeper(log, offset_s) if keep_audio else None
        self.vault = log.store.vault
        self.locked = False  # the device locked during this meeting and not unlocked since
        self.locked_segments = 0  # segments sealed while locked (shown without text)
        self._shown_before_lock = 0
        self._missed = False  # hidden while the lock was not seen yet: read back on unlock
        self.engine = StreamingTranscriber(
            transcriber,
            self._on_commit,
            options,
            offset_s=offset_s,
            on_tentative=self._tentative,
        )

    # -- called from the transcription worker ------------------------------------------------
    def _tentative(self, text: str) -> None:
        if not self.locked:
            self.view.tentative(text)

    def _on_commit(self, commit: Commit) -> None:
        with self._lock:
            hidden = self.locked or not self.vault.is_unlocked
            for seg in commit.segments:
                self.log.segment(seg)  # durable before it is shown (sealed while locked)
                if not hidden:
                    self.segments.append(seg)
            if hidden:
                self._missed = self._missed or not self.locked
                self.locked_segments += len(commit.segments)
                for seg in commit.segments:
                    self.view.message(f"[{clock(seg.start)}] {LOCKED_LINE}")
                return
        self.view.committed(commit.segments)
        if commit.segments:
            tagged = self.tagger.tag_segments(list(commit.segments), self.case_type)
            if tagged.tags:
                self.view.factors(tagged.tags)

    # -- control ------------------------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()

    def on_key(self, key: str) -> None:
        if key in ("s", "q"):
            self.stop()
        elif key == "l":
            self.vault.lock()  # the loop sees it at its next turn, as a lock from elsewhere
        elif key == "p" or (key == " " and not self._paused):
            self._pause_requested.set()
        elif key in ("r", " "):
            self._pause_requested.clear()

    @property
    def audio_s(self) -> float:
        return self.offset_s + self.engine.audio_s

    def _sync_pause(self) -> None:
        want = self._pause_requested.is_set()
        if want == self._paused:
            return
        self._paused = want
        if want:
            self.source.pause()
            self.engine.flush()
            self.log.state("paused", self.audio_s)
            self.view.state("paused", self.audio_s)
        else:
            self.source.resume()
            self.log.state("resumed", self.audio_s)
            self.view.state("recording", self.audio_s)

    def _follow_lock(self) -> None:
        """Lock: drop the text held and hide it. Unlock: merge and read the journal back."""
        locked = not self.vault.refresh()
        with self._lock:
            if locked and not self.locked:
                self.locked = True
                self._shown_before_lock = len(self.segments)
                self.segments = []
                self.view.state("locked", self.audio_s)
                self.view.message(
                    "Enheten är låst: inspelningen fortsätter och ny text sparas krypterad. / "
                    "Locked: recording goes on; new text is stored sealed."
                )
            elif not locked and (self.locked or self._missed):
                self._reload()

    def _reload(self) -> None:
        was_locked, self.locked, self._missed = self.locked, False, False
        shown = self._shown_before_lock if was_locked else len(self.segments)
        record = load_session(self.log.store, self.log.session_id)  # merges what was sealed
        self.segments = list(record.segments)
        if was_locked:
            self.view.state("recording", self.audio_s)
        self.view.message(
            f"Upplåst: {self.locked_segments} segment från den låsta tiden är inlästa."
        )
        self.view.committed(tuple(self.segments[shown:]))
        self.locked_segments = 0

    def run(self) -> RecordResult:
        """Record until stopped or the input ends; returns what was committed."""
        error: CaptureError | None = None
        self.locked = not self.vault.is_unlocked
        self.source.start()
        try:
            with key_reader(self.on_key), _graceful_signals(self.stop):
                while not self._stop.is_set():
                    self._follow_lock()
                    self._sync_pause()
                    try:
                        chunk = self.source.read(0.2)
                    except EOFError:
                        break
                    if chunk is None or self._paused:
                        continue
                    if self.keeper is not None:
                        self.keeper.add(chunk)
                    self.engine.feed(chunk)
        except CaptureError as exc:
            error = exc
        finally:
            self.source.close()
            self.view.state("stopping", self.audio_s)
            self.engine.close()
            if self.keeper is not None:
                self.keeper.flush()
        self._follow_lock()
        with self._lock:
            segments = tuple(self.segments)
        return RecordResult(segments, self.audio_s, error)


@contextmanager
def _graceful_signals(stop: Callable[[], None]) -> Iterator[None]:
    """SIGINT and SIGTERM stop the meeting cleanly instead of killing the process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    hits = {"n": 0}

    def handler(signum: int, frame: FrameType | None) -> None:
        hits["n"] += 1
        if hits["n"] > 2:
            raise KeyboardInterrupt
        stop()

    old_int = signal.signal(signal.SIGINT, handler)
    old_term = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old_int)
        signal.signal(signal.SIGTERM, old_term)


__all__ = ["RecordResult", "Recorder"]
