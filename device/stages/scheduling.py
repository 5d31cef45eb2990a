"""Scheduling under the CPU budget: which decode the worker runs next, and whether there is
room for optional work.

The budget: the live loop may cost at most about twice the CPU of `fredag transcribe` on the
same audio (docs/benchmarks.md). Decoding what was said is never skipped; what is optional
has to fit. `Budget` measures the worker's recent busy share and this process's CPU rate;
`Scheduler` picks the next job in a fixed order: utterances that ended (always, batched as a
backlog), a long utterance's split (always), a speculative decode in a pause (only under
`speculate_max_cpu`), a tentative preview (only when idle, under `preview_max_load` and
`preview_max_cpu`).

When the machine is busy (another process on a core, a slow handheld) decodes take longer
and commits fall behind the speech. The lag (from an utterance's endpoint to its commit, and
the age of the oldest one still waiting) sets a degradation level, and the loop gives up
optional work in this order:

1. lag over `lag_previews_s`: previews off;
2. lag over `lag_speculation_s`: speculation off;
3. lag over `lag_batch_s`: larger batches: while someone is speaking, an utterance that
   ended waits (up to `batch_wait_s`) for the next one, so one encoder pass and one decode
   serve both (measured: 36 % less CPU for finals, WER +0.04; docs/device.md).

Nothing is dropped at any level: capture goes on (`feed` never waits for a decode), every
utterance is queued and committed later. A level falls back once commits catch up.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from device.capture.audio import SAMPLE_RATE
from device.stages.segmentation import Segmenter
from device.stages.utterance import Utterance

if TYPE_CHECKING:
    from device.stages.streaming import StreamingOptions


class Budget:
    """The worker's recent busy time and the process's CPU rate, over `window_s`."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._busy: deque[tuple[float, float]] = deque()
        self._durations: deque[float] = deque(maxlen=10_000)
        self._cpu_marks: deque[tuple[float, float]] = deque(
            [(time.monotonic(), time.process_time())]
        )

    def record_busy(self, began: float) -> None:
        now = time.monotonic()
        self._busy.append((began, now))
        self._durations.append(now - began)
        while self._busy and self._busy[0][1] < now - self.window_s:
            self._busy.popleft()

    def call_seconds(self) -> list[float]:
        """Wall seconds of the most recent transcribe calls (for benchmarks)."""
        return list(self._durations)

    def cpu_rate(self) -> float:
        """CPU-seconds per second this process used over about the last `window_s`."""
        now, cpu = time.monotonic(), time.process_time()
        marks = self._cpu_marks
        marks.append((now, cpu))
        while len(marks) > 2 and marks[1][0] <= now - self.window_s:
            marks.popleft()
        then, cpu_then = marks[0]
        if now - then < 5.0:
            return 1.0  # too little history to know: no previews yet
        return (cpu - cpu_then) / (now - then)

    def load(self) -> float:
        """Share of the recent wall time the worker spent transcribing."""
        now = time.monotonic()
        window = self.window_s
        while self._busy and self._busy[0][1] < now - window:
            self._busy.popleft()
        busy = sum(min(e, now) - max(s, now - window) for s, e in self._busy)
        return busy / window


JobKind = Literal["final", "split", "speculate", "preview"]

LEVELS = ("full", "previews off", "speculation off", "larger batches")


@dataclass(frozen=True)
class Job:
    """One decode for the worker. `utterances`: the backlog for "final", else one copy of
    (part of) the utterance in progress, taken under the lock."""

    kind: JobKind
    utterances: tuple[Utterance, ...]


class Scheduler:
    """Picks the next job; called by the worker with the owner's lock held."""

    def __init__(self, options: StreamingOptions, budget: Budget) -> None:
        self.opts = options
        self.budget = budget
        self.finals: deque[Utterance] = deque()
        self._last_preview = 0.0
        # (uid, start sample, end sample) of the last speculative decode tried.
        self._spec_tried: tuple[int, int, int] | None = None
        # When each waiting final was queued, oldest first (parallel to `finals`).
        self._queued: deque[float] = deque()
        self._taken_since: float | None = None  # queue time of the final job running now
        self.last_lag = 0.0  # seconds from an utterance's end to its commit, the latest
        self.level_jobs = dict.fromkeys(LEVELS, 0)  # jobs started at each level

    def queue(self, utterances: list[Utterance]) -> None:
        """Utterances that ended, to be decoded and committed (never dropped)."""
        now = time.monotonic()
        for utt in utterances:
            self.finals.append(utt)
            self._queued.append(now)

    def lag(self) -> float:
        """How far commits are behind: the latest commit's lag, or the oldest waiting
        utterance's age (or the one being decoded) if that is more."""
        now = time.monotonic()
        waiting = [now - t for t in (*self._queued, self._taken_since) if t is not None]
        return max([self.last_lag, *waiting])

    def level(self) -> int:
        """0 full, 1 previews off, 2 speculation off, 3 larger batches (see the module)."""
        lag, o = self.lag(), self.opts
        return sum(lag > t for t in (o.lag_previews_s, o.lag_speculation_s, o.lag_batch_s))

    def job_done(self) -> None:
        """The worker finished its job (called with the owner's lock held)."""
        if self._taken_since is not None:
            self.last_lag = time.monotonic() - self._taken_since
            self._taken_since = None

    def next_job(
        self, seg: Segmenter, *, previews_wanted: bool, closing: bool = False
    ) -> Job | None:
        level = self.level()
        job = self._choose(seg, level, previews_wanted=previews_wanted, closing=closing)
        if job is not None:
            self.level_jobs[LEVELS[level]] += 1
        return job

    def _choose(
        self, seg: Segmenter, level: int, *, previews_wanted: bool, closing: bool
    ) -> Job | None:
        cur = seg.current
        if self.finals and not (level >= 3 and self._hold(cur is not None, closing)):
            self._taken_since = self._queued[0] if self._queued else time.monotonic()
            return Job("final", tuple(self._take_finals()))
        if cur is None:
            return None
        if self.split_due(cur):
            cur.last_split_n = cur.n
            return Job("split", (cur.head(cur.end_sample),))
        spec = self._speculation_due(seg, cur) if level < 2 else None
        if spec is not None:
            self._spec_tried = (cur.uid, cur.start_sample, spec)
            return Job("speculate", (cur.head(spec),))
        if previews_wanted and level < 1 and self._preview_due(seg, cur):
            self._last_preview = time.monotonic()
            return Job("preview", (cur.head(cur.end_sample),))
        return None

    def _hold(self, speaking: bool, closing: bool) -> bool:
        """Larger batches: keep a lone waiting utterance for the next one while someone
        is speaking, at most `batch_wait_s`."""
        if closing or not speaking or len(self.finals) > 1 or not self._queued:
            return False
        return time.monotonic() - self._queued[0] < self.opts.batch_wait_s

    def pending_s(self) -> float:
        return sum(u.n for u in self.finals) / SAMPLE_RATE

    def _take_finals(self) -> list[Utterance]:
        batch = [self._pop()]
        total = batch[0].n
        while self.finals and total + self.finals[0].n <= self.opts.max_join_s * SAMPLE_RATE:
            nxt = self._pop()
            batch.append(nxt)
            total += nxt.n
        return batch

    def _pop(self) -> Utterance:
        if self._queued:
            self._queued.popleft()
        return self.finals.popleft()

    def split_due(self, cur: Utterance) -> bool:
        return (
            cur.n >= self.opts.split_s * SAMPLE_RATE
            and cur.n - cur.last_split_n >= self.opts.split_every_s * SAMPLE_RATE
        )

    def _speculation_due(self, seg: Segmenter, cur: Utterance) -> int | None:
        """The end sample to decode `cur` up to now, if a pause makes that worthwhile."""
        pause = seg.pause
        if not self.opts.speculate or pause is None or pause.length_s < self.opts.vad.pad_s:
            return None
        end = pause.end_sample
        if not cur.start_sample < end <= cur.end_sample:
            return None
        if (cur.uid, cur.start_sample, end) == self._spec_tried:
            return None
        return end if self.budget.cpu_rate() < self.opts.speculate_max_cpu else None

    def _preview_due(self, seg: Segmenter, cur: Utterance) -> bool:
        o = self.opts
        return (
            o.previews
            and cur.n >= o.preview_min_s * SAMPLE_RATE
            and not seg.pausing  # an endpoint may be coming: keep the worker free
            and time.monotonic() - self._last_preview >= o.preview_interval_s
            and self.budget.load() < o.preview_max_load
            and self.budget.cpu_rate() < o.preview_max_cpu
        )
