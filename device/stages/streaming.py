"""Streaming transcription: VAD-endpointed utterances, each transcribed once, committed for good.

Why this design (measured on 2 cores, whisper-base int8): Whisper's encoder works on a 30 s
window whatever the buffer length (a decode after the context now encodes the speech rounded
up to 5 s, at least `encoder_window_s`), so one call costs about a second; re-transcribing a
growing buffer every second cannot keep up. So the loop is made of stages with one job each,
and this module only composes them around one worker thread:

* Segmentation (`device.stages.segmentation.Segmenter`, Silero frame by frame) finds where
  speech starts and ends and hands out `Utterance`s, their audio in RAM. An utterance is
  transcribed once, when it ends, with the same options as `fredag transcribe`, and its
  segments are *committed*: handed to `on_commit` (which stores them durably) and never
  changed again.
* Decoding strategy (`device.stages.decoding.Decoder`): the committed context as a forced
  prefix (on the 5-minute bench meeting this took streaming WER from 0.36 to 0.22, against
  0.26 for `fredag transcribe`; docs/device.md), a backlog of waiting utterances decoded in
  one call, speculative decodes in a pause, local agreement for long utterances, previews.
* Scheduling under the CPU budget (`device.stages.scheduling`): utterances that ended come
  first (several waiting ones in one call, so a slow CPU costs latency, never unbounded
  memory); a long utterance (no pause for `split_s`) is decoded every `split_every_s` seconds
  and what two consecutive hypotheses agree on, but the last segment, is committed and cut
  (at `max_utterance_s` the buffer is cut regardless: about 30 s of samples at most);
  speculation once a pause has lasted `vad.pad_s`, only while the process stays under
  `speculate_max_cpu` (if the endpoint comes with exactly that audio the result is committed
  at once, if speech resumes it is dropped: nothing of it was shown or stored); tentative
  previews only while the worker is idle, its busy share is below `preview_max_load` and the
  process used less than `preview_max_cpu` CPU-seconds per second over `load_window_s`;
  under load, by how far commits lag, previews off, then speculation off, then larger
  batches (the loop's budget: about twice the CPU of `fredag transcribe`; docs/device.md).
* Commits (`device.stages.commit.Commit`, with the utterances they came from) go to
  `on_commit` on the worker thread and never while holding the lock `feed` takes: `feed`
  never waits for the journal, the tagger, a post-decode stage or a view.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from device.capture.audio import SAMPLE_RATE, AudioArray
from device.stages.commit import Commit
from device.stages.decoding import Decoder, Heard, agreed, garbled, join_speech, repeats
from device.stages.scheduling import LEVELS, Budget, Job, Scheduler
from device.stages.segmentation import Segmenter
from device.stages.transcribe import TranscribeOptions, Transcriber
from device.stages.utterance import Utterance
from device.stages.vad import VadSettings
from fredag.errors import FredagError, ModelError


@dataclass(frozen=True)
class StreamingOptions:
    transcribe: TranscribeOptions = field(default_factory=TranscribeOptions)
    # Committed decodes hear words with their times and the recogniser's probability of each
    # (faster-whisper's word timestamps; `transcribe.word_timestamps` is set from this): the
    # tagger reads the live meeting as it reads `fredag draft AUDIO`, and the speaker stage can
    # cut an utterance at a change of voice. Previews never do.
    words: bool = True
    vad: VadSettings = field(default_factory=VadSettings)
    split_s: float = 12.0
    split_every_s: float = 3.0
    max_utterance_s: float = 24.0
    max_join_s: float = 24.0
    context_s: float = 10.0
    context_enough_s: float = 5.0
    # A decode after the committed context encodes the speech rounded up to 5 s, at least
    # this long, not Whisper's 30 s (`TranscribeOptions.encoder_window_s`; None: 30 s).
    # Measured on the bench meeting: encoder CPU 30.0 → 7.9 s, WER 0.219 → 0.219.
    encoder_window_s: float | None = 15.0
    speculate: bool = True
    # Optional decodes only while the process uses less CPU than this (CPU-seconds per
    # second over `load_window_s`): with the finals at about 0.09, the loop stays near
    # twice `fredag transcribe`'s CPU (docs/benchmarks.md). 0.12 until the committed decodes
    # heard word times (about 0.025 more per audio second), which kept speculation off for
    # most of the bench meeting (4 of 54 finals speculated instead of 38 of 55) and cost
    # 0.6 s of p50 latency; raised by that cost.
    speculate_max_cpu: float = 0.15
    previews: bool = True
    preview_min_s: float = 1.0
    preview_interval_s: float = 1.5
    preview_max_load: float = 0.35
    preview_max_cpu: float = 0.10
    load_window_s: float = 30.0
    # Degradation under load, by how far commits lag behind speech (`scheduling`):
    # previews off, then speculation off, then larger batches.
    lag_previews_s: float = 1.5
    lag_speculation_s: float = 3.0
    lag_batch_s: float = 6.0
    batch_wait_s: float = 8.0


CommitSink = Callable[[Commit], None]


def _as_fredag_error(exc: BaseException) -> FredagError:
    """A worker's failure as the loop raises it: a `FredagError` as it is (a journal that
    could not write), anything else as a `ModelError` caused by it."""
    if isinstance(exc, FredagError):
        return exc
    error = ModelError(f"transcription failed: {exc}")
    error.__cause__, error.__suppress_context__ = exc, True
    return error


class StreamingTranscriber:
    """Feed it audio chunks; it calls `on_commit` with committed segments from a worker thread."""

    def __init__(
        self,
        transcriber: Transcriber,
        on_commit: CommitSink,
        options: StreamingOptions | None = None,
        *,
        offset_s: float = 0.0,
        on_tentative: Callable[[str], None] | None = None,
        on_error: Callable[[FredagError], None] | None = None,
    ) -> None:
        self.opts = options or StreamingOptions()
        self.on_commit = on_commit
        self.on_tentative = on_tentative
        self.on_error = on_error  # called on the worker the moment it fails, with the error
        # that `feed`/`close` raise next
        self.offset_s = offset_s
        self.segmenter = Segmenter(self.opts.vad, self.opts.max_utterance_s, offset_s)
        self.budget = Budget(self.opts.load_window_s)
        self.scheduler = Scheduler(self.opts, self.budget)
        self.decoder = Decoder(transcriber, self.opts, self.budget, offset_s)
        self._cond = threading.Condition()
        self._closing = False
        self._running = False
        self._fed = 0  # chunks fed, and the count the worker last looked at (wait_idle)
        self._seen = 0
        self.tentative = ""
        self.errors: list[BaseException] = []
        self._worker = threading.Thread(target=self._work, name="fredag-transcribe", daemon=True)
        self._worker.start()

    # -- audio thread ------------------------------------------------------------------------
    @property
    def audio_s(self) -> float:
        return self.segmenter.samples / SAMPLE_RATE

    @property
    def calls(self) -> dict[str, int]:
        return self.decoder.calls

    def feed(self, chunk: AudioArray) -> None:
        """Add audio; never blocks on transcription, the journal, tagging or a view: the lock
        it takes is only ever held for bookkeeping, never around a decode or a commit."""
        self._raise_worker_error()
        probs = self.segmenter.probabilities(chunk)
        with self._cond:
            self.scheduler.queue(self.segmenter.push(chunk, probs))
            self._fed += 1
            self._cond.notify_all()

    def flush(self) -> None:
        """End the utterance in progress (pause, stop, end of input)."""
        with self._cond:
            self.scheduler.queue(self.segmenter.flush())
            self._fed += 1
            self._cond.notify_all()

    def close(self, timeout: float | None = None) -> None:
        """Flush, wait until everything is transcribed and committed, stop the worker."""
        self.flush()
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._worker.join(timeout)
        self._raise_worker_error()

    def pending_s(self) -> float:
        with self._cond:
            return self.scheduler.pending_s()

    def call_seconds(self) -> list[float]:
        """Wall seconds of the most recent transcribe calls (for benchmarks)."""
        return self.budget.call_seconds()

    def cpu_rate(self) -> float:
        return self.budget.cpu_rate()

    @property
    def degradation(self) -> str:
        """What the loop gives up now to keep up: "full", "previews off", "speculation off"
        or "larger batches" (`device.stages.scheduling`)."""
        with self._cond:
            return LEVELS[self.scheduler.level()]

    def level_jobs(self) -> dict[str, int]:
        """Jobs started at each degradation level so far (for benchmarks and tests)."""
        with self._cond:
            return dict(self.scheduler.level_jobs)

    def load(self) -> float:
        return self.budget.load()

    def worker_error(self) -> FredagError | None:
        """The error the worker stopped on (a `FredagError`, else a `ModelError` from it)."""
        return _as_fredag_error(self.errors[0]) if self.errors else None

    def check(self) -> None:
        """Raise the worker's error, if it failed (the loop's turn without audio)."""
        self._raise_worker_error()

    def _raise_worker_error(self) -> None:
        error = self.worker_error()
        if error is not None:
            raise error

    def wait_idle(self, timeout: float = 120.0) -> None:
        """Block until the worker has looked at everything fed and nothing is queued, running
        or due (tests: an infinitely fast CPU)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while (
                self._seen < self._fed
                or self.scheduler.finals
                or self._running
                or (
                    self.segmenter.current is not None
                    and self.scheduler.split_due(self.segmenter.current)
                )
            ):
                if self.errors or time.monotonic() > deadline:
                    break
                self._cond.wait(0.05)
        self._raise_worker_error()

    # -- worker thread -----------------------------------------------------------------------
    def _work(self) -> None:
        try:
            while True:
                job = self._next_job()
                if job is None:
                    return
                try:
                    self._do(job)
                finally:
                    with self._cond:
                        self._running = False
                        self.scheduler.job_done()
                        self._cond.notify_all()
        except BaseException as exc:
            try:  # told before `feed` can raise it: the failure is said before the loop ends
                if self.on_error is not None:
                    self.on_error(_as_fredag_error(exc))
            finally:
                self.errors.append(exc)
                with self._cond:
                    self._cond.notify_all()

    def _next_job(self) -> Job | None:
        with self._cond:
            while True:
                self._seen = self._fed
                job = self.scheduler.next_job(
                    self.segmenter,
                    previews_wanted=self.on_tentative is not None,
                    closing=self._closing,
                )
                if job is not None:
                    self._running = True
                    return job
                if self._closing and not self.scheduler.finals:
                    return None
                self._cond.notify_all()  # wait_idle: the worker has seen everything
                self._cond.wait(0.1)

    def _do(self, job: Job) -> None:
        if job.kind == "final":
            self._final(list(job.utterances))
        elif job.kind == "split":
            self._split(job.utterances[0])
        elif job.kind == "speculate":
            self.decoder.speculate(job.utterances[0])
        else:
            self._preview(job.utterances[0])

    def _commit(self, heard: list[Heard], covered_until_sample: int, utts: list[Utterance]) -> None:
        covered = self.offset_s + covered_until_sample / SAMPLE_RATE
        segments = tuple(h.segment for h in heard)
        words = tuple(h.words for h in heard) if self.opts.words else ()
        self.on_commit(Commit(segments, covered, time.monotonic(), tuple(utts), words=words))

    def _final(self, batch: list[Utterance]) -> None:
        segments = self.decoder.final(batch)
        self.tentative = ""
        if self.on_tentative is not None:
            self.on_tentative("")
        self._commit(segments, batch[-1].end_sample, batch)

    def _split(self, utt: Utterance) -> None:
        """Commit what two consecutive hypotheses of a long utterance agree on, but the last."""
        hyp = self.decoder.hypothesis(utt)
        with self._cond:
            cur = self.segmenter.current
            if cur is None or cur.uid != utt.uid:
                return
            prev, cur.hypothesis = cur.hypothesis, hyp
            done = agreed(prev, hyp)
            if not done:
                return
            cut = round((done[-1].end - self.offset_s) * SAMPLE_RATE)
            cut = max(cut, utt.start_sample)
            cur.cut_before(cut)
            cur.hypothesis = hyp[len(done) :]
        # Outside the lock: the commit path (journal, tagging, views) never holds up `feed`.
        piece = utt.head(cut)
        self._commit(done, cut, [piece])
        self.decoder.remember_context([piece.audio()], done)

    def _preview(self, utt: Utterance) -> None:
        text = self.decoder.preview(utt)
        with self._cond:
            cur = self.segmenter.current
            if cur is None or cur.uid != utt.uid:
                return
        self.tentative = text
        if self.on_tentative is not None:
            self.on_tentative(text)


__all__ = [
    "Commit",
    "CommitSink",
    "StreamingOptions",
    "StreamingTranscriber",
    "garbled",
    "join_speech",
    "repeats",
]
