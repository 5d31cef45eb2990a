"""What happens to a committed utterance, in order: the post-decode stages, the journal
(fsynced before anything is shown, so whatever the caseworker saw survives a kill -9), the
tagger (once: `device.stages.factors`) with its result journaled too, then the views.

A speaker correction (`correct`), and the device's own revision of a label (`_revise`: the
speaker tracker recognised a voice only later), go the same way: the corrected line's
neighbourhood is read again by the tagger, the correction and the factors it revises are
journaled as one record, then the views are told (the label, and the factors found or
withdrawn).

The journal, the tagging and the events are ordered under one lock, so the views see commits
and corrections in the order they were journaled.

Runs on the transcription worker, never on the audio thread: `feed` does not wait for it.
The commit (and the audio of its utterances) is dropped when this returns.

While the device is locked (`device.keys`), segments still go to the journal, sealed to the
device's public key; the views get a placeholder line instead of the text, nothing is tagged,
and the text held here is dropped. The controller reads the journal back on unlock
(`MeetingController`), and the locked time's segments are tagged then.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from device.journal.session import SessionLog
from device.stages.commit import Commit, Stage, close_stages, run_stages
from device.stages.factors import MeetingFactors
from device.stages.relabel import corrected_speaker, revised_speaker, speaker_choices
from device.views.events import (
    EventBus,
    FactorsNoted,
    FactorsRevised,
    Notice,
    SegmentsCommitted,
    SpeakerCorrected,
    SpeakerRevised,
)
from device.views.messages import LOCKED_LINE, Code
from fredag.errors import DeviceLocked, UsageError
from fredag.journal import clock
from fredag.protocol import Segment

if TYPE_CHECKING:
    from device.keys.vault import Vault

__all__ = ["LOCKED_LINE", "Committer"]


class Committer:
    def __init__(
        self,
        *,
        log: SessionLog,
        factors: MeetingFactors,
        events: EventBus,
        stages: Sequence[Stage] = (),
        previous: Sequence[Segment] = (),
        vault: Vault | None = None,
    ) -> None:
        self.log = log
        self.factors = factors
        self.events = events
        self.stages = tuple(stages)
        self.segments: list[Segment] = list(previous)
        self.vault = vault
        self.locked = False  # the device locked during this meeting and not unlocked since
        self.locked_segments = 0  # segments sealed while locked (shown without text)
        self.shown_before_lock = 0
        self.missed = False  # hidden while the lock was not seen yet: read back on unlock
        self.lock = threading.Lock()
        self.closed = False  # the meeting's segments are final: no more corrections
        self.corrected: set[int] = set()  # lines the caseworker corrected (never revised)

    def __call__(self, commit: Commit) -> None:
        commit = run_stages(self.stages, commit)
        with self.lock:
            hidden = self.locked or (self.vault is not None and not self.vault.is_unlocked)
            words = commit.words_of()
            for seg, heard in zip(commit.segments, words, strict=True):
                self.log.segment(seg, heard)  # durable before it is shown (sealed while locked)
                if not hidden:
                    self.segments.append(seg)
            if hidden:
                self.missed = self.missed or not self.locked
                self.locked_segments += len(commit.segments)
                for seg in commit.segments:
                    self.events.publish(Notice(Code.LOCKED_LINE, {"at": clock(seg.start)}))
                return
            self.events.publish(SegmentsCommitted(commit.segments))
            if commit.segments:
                # Under the lock (no correction between), with the words heard in each.
                new = self.factors.add(commit.segments, words)
                self.log.factors(new, self.factors.tagged_through)  # durable before shown
                if new.tags:
                    self.events.publish(FactorsNoted(new.tags))
            self._revise()

    def correct(self, index: int, label: str) -> Segment:
        """The caseworker's decision on who said shown segment `index`. The tagger reads the
        line's neighbourhood again with it (`MeetingFactors.reread`); the correction and the
        factors it revises are journaled (fsynced, one record) before anything else sees
        them, then they are in the segments and factors the draft is made of, and the views
        are told (`SpeakerCorrected`, then `FactorsRevised` if a factor changed)."""
        with self.lock:
            if self.closed:
                raise UsageError(
                    "the meeting has ended: rename a speaker on the review page instead"
                )
            if self.locked:
                raise DeviceLocked("the device is locked: unlock it to correct a speaker")
            if not 0 <= index < len(self.segments):
                raise UsageError(f"there is no line {index} in this meeting")
            if label not in speaker_choices(self.segments, index):
                raise UsageError(f"{label!r} is not a speaker of this meeting")
            segment = self.segments[index].model_copy(update={"speaker": corrected_speaker(label)})
            self.corrected.add(index)
            self._relabel(index, segment, SpeakerCorrected(index, segment))
        for stage in self.stages:
            learn = getattr(stage, "corrected", None)
            if learn is not None:
                learn(segment)  # the tracker learns the voice (RAM only)
        return segment

    def _revise(self) -> None:
        """The device's revisions of committed labels (a stage's `revisions()`: the speaker
        tracker recognised a voice only later), each the way a correction goes — journaled
        first (marked as the device's), then in the draft's segments, then shown marked
        (`SpeakerRevised`). A line the caseworker corrected is never revised; a revision
        naming no shown line (sealed while locked, before a resume) is dropped."""
        for stage in self.stages:
            take = getattr(stage, "revisions", None)
            for revision in take() if take is not None else ():
                index = next(
                    (i for i, s in enumerate(self.segments) if s.start == revision.key), None
                )
                if index is None or index in self.corrected:
                    continue
                was = self.segments[index].speaker
                if was is None or was.label == revision.label:
                    continue
                speaker = revised_speaker(revision.role, revision.label, revision.confidence)
                segment = self.segments[index].model_copy(update={"speaker": speaker})
                self._relabel(index, segment, SpeakerRevised(index, segment, was.label))

    def _relabel(
        self, index: int, segment: Segment, event: SpeakerCorrected | SpeakerRevised
    ) -> None:
        """Segment `index` with its new speaker (under the lock): the factors around it read
        again, both journaled in one record, then kept and published."""
        read = list(self.factors.segments)
        if index < len(read):
            read[index] = segment
        revision = self.factors.reread(read, index)
        self.log.speaker(index, segment, revision)
        self.segments[index] = segment
        self.factors.segments = read
        if revision is not None:
            self.factors.revise(revision)
        self.events.publish(event)
        if revision is not None and revision.factors_changed:
            self.events.publish(
                FactorsRevised(
                    revision.first,
                    revision.through,
                    revision.tags,
                    revision.added,
                    revision.withdrawn,
                )
            )

    def close(self) -> None:
        """The meeting has ended: its segments are final (a correction after this is
        refused, so the draft and the journal never differ) and stages drop what they held."""
        with self.lock:
            self.closed = True
        close_stages(self.stages)

    def committed(self) -> tuple[Segment, ...]:
        with self.lock:
            return tuple(self.segments)
