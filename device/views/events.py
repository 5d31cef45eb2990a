"""What a meeting tells its views: a stream of events, and the bus any number of views
subscribe to (the Rich terminal view, plain lines, the handheld's touch screen, tests).

Events are published from the controller's threads (capture, transcription worker, the
caller of `start`/`pause`/…): a subscriber must be quick and thread-safe, and must not call
back into the controller while handling one. A subscriber that raises is dropped from that
event only; the meeting goes on (what was committed is in the journal already).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from device.stages.tagging import FoundTag
from device.views.messages import Code
from fredag.protocol import Segment

MeetingState = str  # "recording" | "paused" | "stopping" | "stopped"


@dataclass(frozen=True)
class SegmentsCommitted:
    """Text committed for good (already in the journal)."""

    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class TentativeText:
    """A preview of the utterance in progress; "" clears it."""

    text: str


@dataclass(frozen=True)
class FactorsNoted:
    """Factors found in the text just committed (already in the journal; exactly these are
    in the signed draft)."""

    tags: tuple[FoundTag, ...]


@dataclass(frozen=True)
class FactorsRevised:
    """A speaker correction changed what segments `first` ≤ i < `through` show (already in
    the journal): `tags` are the factors found there now, in place of every one shown there
    before; `withdrawn` those no longer found, `added` those newly found (exactly these are
    in the signed draft)."""

    first: int
    through: int
    tags: tuple[FoundTag, ...]
    added: tuple[FoundTag, ...]
    withdrawn: tuple[FoundTag, ...]


@dataclass(frozen=True)
class InputLevel:
    """The input's loudness over the last moment, dBFS (-inf for digital silence)."""

    dbfs: float
    at_s: float


@dataclass(frozen=True)
class Marked:
    """The caseworker marked this moment (kept in the session and shown in the draft)."""

    at_s: float


@dataclass(frozen=True)
class SpeakerCorrected:
    """The caseworker corrected who said committed segment number `index` (already in the
    journal); `segment` is the segment with its new speaker."""

    index: int
    segment: Segment


@dataclass(frozen=True)
class SpeakerRevised:
    """The device relabelled committed segment number `index` with hindsight (the speaker
    tracker recognised its voice only later; already in the journal): `segment` has its new
    speaker, marked `revised`, `was` the label shown before. Views show it marked as the
    device's change, never silently."""

    index: int
    segment: Segment
    was: str


@dataclass(frozen=True)
class StateChanged:
    state: MeetingState
    elapsed_s: float


@dataclass(frozen=True)
class Notice:
    """News about the meeting's state (e.g. the device locked): a `Code` each view words
    itself (`device.views.messages`), with its `params`."""

    code: Code
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class WarningRaised:
    """Something is wrong but the meeting goes on (e.g. the input is silent)."""

    code: Code
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ErrorRaised:
    """The meeting cannot go on (the microphone vanished, the disk is full, the transcription
    crashed), published the moment it happens; what was committed is kept in the journal.
    `detail` is the technical reason (English, for a "technical error" line), never the
    message: each view words `code` itself."""

    code: Code
    detail: str = ""


Event = (
    SegmentsCommitted
    | TentativeText
    | FactorsNoted
    | FactorsRevised
    | InputLevel
    | Marked
    | SpeakerCorrected
    | SpeakerRevised
    | StateChanged
    | Notice
    | WarningRaised
    | ErrorRaised
)
Subscriber = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        self.failures: list[BaseException] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Deliver every later event to `subscriber`; returns a function that unsubscribes."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(event)
            except Exception as exc:  # a broken view must not stop a meeting
                self.failures.append(exc)
