"""The meeting controller: the live loop (audio source → stages → journal → views) behind five
public controls, `start`, `pause`, `resume`, `stop` and `mark` (and `correct_speaker`, the
caseworker's decision on who said a line), and one event stream.

Any number of views subscribe to `controller.events` (`device.views.events`); any number of
inputs (the terminal's keys, `device.views.keys`; a touch screen) call the controls, from any
thread. Consent and the meeting's details are data (`SessionMeta`, checked when it is made),
handed over with the session's log.

Every committed segment is written (and fsynced) to the session's journal *before* a view
gets it, so whatever the caseworker has seen as committed survives a kill -9 or a power
loss. Pause flushes the utterance in progress; stop (a control, Ctrl-C, SIGTERM, end of
input) drains the transcription and returns. A capture failure mid-meeting commits what was
heard, leaves the session resumable and reports the error. A failure of the transcription
worker or of the journal (a full disk) is published (`ErrorRaised` with its code) the moment
it happens, ends the loop and is raised; what was committed is in the journal already, and the
session can be resumed or finished.

Messages to the caseworker are codes (`device.views.messages.Code`), never prose: each view
words them in its own language.

When the device locks (`lock`, key l, the touch screen, or `fredag device lock` anywhere) the
meeting keeps recording: segments go to the journal sealed to the device's public key, the
views get no text (state "locked"), and the text held here is dropped. On unlock the sealed
segments are merged, the transcript is read back from the journal, and what was committed
while locked is shown and tagged (docs/device.md, "Keys and locking").
"""

from __future__ import annotations

import base64
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from device.capture.audio import SAMPLE_RATE, AudioArray
from device.capture.sources import AudioSource
from device.journal.session import SessionLog, SessionMeta, SessionRecord, load_session
from device.meeting.committer import LOCKED_LINE, Committer
from device.stages.commit import Stage
from device.stages.factors import MeetingFactors
from device.stages.relabel import next_choice
from device.stages.streaming import StreamingOptions, StreamingTranscriber
from device.stages.tagging import SegmentTagger, Tagging
from device.stages.transcribe import Transcriber
from device.views.events import (
    ErrorRaised,
    EventBus,
    FactorsNoted,
    InputLevel,
    Marked,
    Notice,
    SegmentsCommitted,
    StateChanged,
    TentativeText,
    WarningRaised,
)
from device.views.messages import Code, failure_code
from fredag.errors import CaptureError, UsageError
from fredag.protocol import Segment

AUDIO_RECORD_S = 1.0
LEVEL_EVERY_S = 0.25
SILENT_DBFS = -75.0  # below any working microphone's noise floor: muted or unplugged
SILENT_WARN_S = 20.0


@dataclass(frozen=True)
class RecordResult:
    segments: tuple[Segment, ...]
    audio_s: float
    capture_error: CaptureError | None
    tagging: Tagging  # exactly the factors noted during the meeting
    marks: tuple[float, ...]


class _AudioKeeper:
    """Keeps raw audio, encrypted, only when the caseworker turned it on (--keep-audio)."""

    def __init__(self, log: SessionLog, offset_s: float) -> None:
        self.journal = log.store.session_journal(log.session_id, "audio")
        self.offset_s = offset_s
        self._buf: list[AudioArray] = []
        self._n = 0
        self._at = offset_s

    def add(self, chunk: AudioArray) -> None:
        self._buf.append(chunk)
        self._n += chunk.size
        if self._n >= AUDIO_RECORD_S * SAMPLE_RATE:
            self.flush()

    def flush(self) -> None:
        if not self._buf:
            return
        pcm = (np.clip(np.concatenate(self._buf), -1, 1) * 32767).astype("<i2").tobytes()
        self.journal.append(
            {"type": "pcm16", "at": self._at, "data": base64.b64encode(pcm).decode()}
        )
        self._at += self._n / SAMPLE_RATE
        self._buf, self._n = [], 0


class _Level:
    """The input's loudness, published every `LEVEL_EVERY_S`; a warning once the input has
    been silent for `SILENT_WARN_S` (a muted or unplugged microphone)."""

    def __init__(self, events: EventBus) -> None:
        self.events = events
        self._sum = 0.0
        self._n = 0
        self._silent_n = 0
        self._warned = False

    def add(self, chunk: AudioArray, at_s: float) -> None:
        if not chunk.size:
            return
        self._sum += float(np.dot(chunk, chunk))
        self._n += chunk.size
        if self._n < LEVEL_EVERY_S * SAMPLE_RATE:
            return
        rms = math.sqrt(self._sum / self._n)
        dbfs = 20 * math.log10(rms) if rms > 0 else -math.inf
        self._silent_n = self._silent_n + self._n if dbfs < SILENT_DBFS else 0
        self._sum, self._n = 0.0, 0
        self.events.publish(InputLevel(dbfs, at_s))
        if self._silent_n >= SILENT_WARN_S * SAMPLE_RATE and not self._warned:
            self._warned = True
            self.events.publish(WarningRaised(Code.INPUT_SILENT))
        elif self._silent_n == 0:
            self._warned = False


class MeetingController:
    def __init__(
        self,
        *,
        log: SessionLog,
        meta: SessionMeta,
        source: AudioSource,
        transcriber: Transcriber,
        tagger: SegmentTagger,
        options: StreamingOptions,
        offset_s: float = 0.0,
        previous: SessionRecord | None = None,
        stages: Sequence[Stage] = (),
        events: EventBus | None = None,
    ) -> None:
        self.log = log
        self.meta = meta
        self.source = source
        self.offset_s = offset_s
        self.events = events or EventBus()
        self._previous = previous.segments if previous is not None else ()
        self._marks: list[float] = list(previous.marks) if previous is not None else []
        self.factors = MeetingFactors(
            tagger,
            meta.case_type,
            previous=self._previous,
            noted=previous.noted if previous is not None else None,
            tagged_through=previous.tagged_through if previous is not None else 0,
            words=previous.words if previous is not None else (),
        )
        self.committer = Committer(
            log=log,
            factors=self.factors,
            events=self.events,
            stages=stages,
            previous=self._previous,
            vault=log.store.vault,
        )
        self.vault = log.store.vault
        self._stop = threading.Event()
        self._pause_requested = threading.Event()
        self._paused = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._result: RecordResult | None = None
        self._failure: BaseException | None = None
        self._announced = False  # the error that ends this meeting was published
        self.keeper = _AudioKeeper(log, offset_s) if meta.keep_audio else None
        self._level = _Level(self.events)
        self.engine = StreamingTranscriber(
            transcriber,
            self.committer,
            options,
            offset_s=offset_s,
            on_tentative=self._tentative,
            on_error=self._announce,
        )

    # -- controls: from any thread ------------------------------------------------------------
    def start(self) -> None:
        """Run the meeting on a thread of its own (for a UI that keeps its own loop); `wait`
        for the result. `run` does the same on the calling thread."""
        if self._thread is not None:
            raise UsageError("the meeting has started already")
        self._thread = threading.Thread(target=self._run_in_thread, name="fredag-meeting")
        self._thread.start()

    def pause(self) -> None:
        self._pause_requested.set()

    def resume(self) -> None:
        self._pause_requested.clear()

    def stop(self) -> None:
        self._stop.set()

    def lock(self) -> None:
        """Lock the device (for every process); the loop follows at its next turn."""
        self.vault.lock()

    @property
    def locked(self) -> bool:
        return self.committer.locked

    @property
    def segments(self) -> list[Segment]:
        """The segments committed and shown so far (none of the locked time while locked)."""
        return list(self.committer.committed())

    def mark(self) -> float:
        """Bookmark the current moment: kept in the session, shown in the draft."""
        with self._lock:
            at = round(self.audio_s, 2)
            self.log.mark(at)
            self._marks.append(at)
        self.events.publish(Marked(at))
        return at

    def correct_speaker(self, index: int, label: str) -> Segment:
        """The caseworker says who said shown segment `index` (`handläggare`, a `person N` of
        this meeting or the next new one): journaled with the factors it revises, then
        shown; the draft carries both (`device.stages.relabel`, `Committer.correct`)."""
        return self.committer.correct(index, label)  # journaled, then published

    def next_speaker_of_last(self) -> Segment | None:
        """The last shown line's speaker set to the next choice (the terminal's key t); None
        when no line is shown."""
        shown = self.committer.committed()
        if not shown or self.committer.locked:
            return None
        index = len(shown) - 1
        return self.correct_speaker(index, next_choice(shown, index))

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def audio_s(self) -> float:
        return self.offset_s + self.engine.audio_s

    def wait(self, timeout: float | None = None) -> RecordResult | None:
        """The result once a meeting `start`ed has ended (None if still running)."""
        if self._thread is None:
            raise UsageError("the meeting was never started")
        self._thread.join(timeout)
        if self._failure is not None:
            raise self._failure
        return self._result

    # -- the loop -------------------------------------------------------------------------------
    def _tentative(self, text: str) -> None:
        if not self.committer.locked:
            self.events.publish(TentativeText(text))

    def _follow_lock(self) -> None:
        """Lock: drop the text held and hide it. Unlock: merge and read the journal back."""
        locked = not self.vault.refresh()
        c = self.committer
        with c.lock:
            if locked and not c.locked:
                c.locked = True
                c.shown_before_lock = len(c.segments)
                c.segments = []
                self.events.publish(StateChanged("locked", self.audio_s))
                self.events.publish(Notice(Code.LOCKED))
            elif not locked and (c.locked or c.missed):
                self._reload()

    def _reload(self) -> None:
        """After an unlock (committer lock held): the journal read back, merged; what was
        committed meanwhile shown, then tagged (tag once)."""
        c = self.committer
        was_locked, c.locked, c.missed = c.locked, False, False
        shown = c.shown_before_lock if was_locked else len(c.segments)
        record = load_session(self.log.store, self.log.session_id)  # merges what was sealed
        c.segments = list(record.segments)
        if was_locked:
            self.events.publish(StateChanged("recording", self.audio_s))
        self.events.publish(Notice(Code.UNLOCKED, {"count": c.locked_segments}))
        self.events.publish(SegmentsCommitted(tuple(c.segments[shown:])))
        c.locked_segments = 0
        self.factors.reset(record.segments, record.words)
        new = self.factors.catch_up()
        if record.tagged_through != self.factors.tagged_through:
            self.log.factors(new, self.factors.tagged_through)
        if new.tags:
            self.events.publish(FactorsNoted(new.tags))

    def _announce(self, exc: BaseException) -> None:
        """Tell the views, once and at once, what ends the meeting (from the thread that
        failed: the transcription worker, capture, the loop); what was committed is kept."""
        with self._lock:
            if self._announced:
                return
            self._announced = True
        code = Code.MICROPHONE_LOST if isinstance(exc, CaptureError) else failure_code(exc)
        self.events.publish(ErrorRaised(code, str(exc)))

    def _run_in_thread(self) -> None:
        try:
            self._result = self.run()
        except BaseException as exc:
            self._failure = exc

    def _sync_pause(self) -> None:
        want = self._pause_requested.is_set()
        if want == self._paused:
            return
        self._paused = want
        if want:
            self.source.pause()
            self.engine.flush()
            self.log.state("paused", self.audio_s)
            self.events.publish(StateChanged("paused", self.audio_s))
        else:
            self.source.resume()
            self.log.state("resumed", self.audio_s)
            self.events.publish(StateChanged("recording", self.audio_s))

    def run(self) -> RecordResult:
        """Record until stopped or the input ends; returns what was committed. A failure
        (the transcription worker, the journal: a full disk) is published as an
        `ErrorRaised` the moment it happens (the worker's own) or here, then raised."""
        try:
            return self._record()
        except Exception as exc:
            self._announce(exc)
            raise

    def _record(self) -> RecordResult:
        error: CaptureError | None = None
        if self._previous:
            self.events.publish(SegmentsCommitted(self._previous))
        self.committer.locked = not self.vault.is_unlocked
        self.source.start()
        try:
            while not self._stop.is_set():
                self._follow_lock()
                self._sync_pause()
                try:
                    chunk = self.source.read(0.2)
                except EOFError:
                    break
                if chunk is None or self._paused:
                    self.engine.check()  # a worker that failed ends the meeting, even paused
                    continue
                if self.keeper is not None:
                    self.keeper.add(chunk)
                self.engine.feed(chunk)
                self._level.add(chunk, self.audio_s)
        except CaptureError as exc:
            error = exc
            self._announce(exc)
        finally:
            self.source.close()
            self.events.publish(StateChanged("stopping", self.audio_s))
            try:
                self.engine.close()
            finally:
                self.committer.close()
            if self.keeper is not None:
                self.keeper.flush()
        self._follow_lock()
        with self._lock:
            marks = tuple(self._marks)
        return RecordResult(
            self.committer.committed(), self.audio_s, error, self.factors.tagging(), marks
        )


__all__ = ["LOCKED_LINE", "MeetingController", "RecordResult"]
