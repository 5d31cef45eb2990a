"""What happens to a committed utterance, in order: the post-decode stages, the journal
(fsynced before anything is shown, so whatever the caseworker saw survives a kill -9), the
tagger (once: `device.stages.factors`) with its result journaled too, then the views.

Runs on the transcription worker, never on the audio thread: `feed` does not wait for it.
The commit (and the audio of its utterances) is dropped when this returns.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from device.journal.session import SessionLog
from device.stages.commit import Commit, Stage, run_stages
from device.stages.factors import MeetingFactors
from device.views.events import EventBus, FactorsNoted, SegmentsCommitted
from fredag.protocol import Segment


class Committer:
    def __init__(
        self,
        *,
        log: SessionLog,
        factors: MeetingFactors,
        events: EventBus,
        stages: Sequence[Stage] = (),
        previous: Sequence[Segment] = (),
    ) -> None:
        self.log = log
        self.factors = factors
        self.events = events
        self.stages = tuple(stages)
        self.segments: list[Segment] = list(previous)
        self._lock = threading.Lock()

    def __call__(self, commit: Commit) -> None:
        commit = run_stages(self.stages, commit)
        with self._lock:
            for seg in commit.segments:
                self.log.segment(seg)  # durable before it is shown
                self.segments.append(seg)
        self.events.publish(SegmentsCommitted(commit.segments))
        if commit.segments:
            new = self.factors.add(commit.segments)
            self.log.factors(new, self.factors.tagged_through)  # durable before it is shown
            if new.tags:
                self.events.publish(FactorsNoted(new.tags))

    def committed(self) -> tuple[Segment, ...]:
        with self._lock:
            return tuple(self.segments)
