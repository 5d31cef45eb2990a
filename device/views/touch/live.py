"""The touch screen's view of a running meeting: a subscriber of the controller's event bus
that keeps what the screen shows (a snapshot for a page load) and a numbered feed of changes
for the server-sent events (`/handelser`).

The bus calls `on_event` on the controller's threads; page handlers and the SSE stream read
from the event loop. One lock guards both, so a page rendered at feed position N plus the
changes after N is exactly what the screen should show.
"""

from __future__ import annotations

import json
import math
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from device.stages.tagging import FoundTag
from device.views.events import (
    ErrorRaised,
    Event,
    FactorsNoted,
    FactorsRevised,
    InputLevel,
    Marked,
    SegmentsCommitted,
    SpeakerCorrected,
    SpeakerRevised,
    StateChanged,
    TentativeText,
    WarningRaised,
)
from device.views.messages import Code, say
from fredag.protocol import Segment

FEED_KEPT = 400  # changes kept for a reconnecting screen; older: it reloads the page
LEVEL_FLOOR_DBFS = -60.0


def mmss(seconds: float) -> str:
    total = max(0, int(seconds))
    return f"{total // 60:02d}:{total % 60:02d}"


def level_percent(dbfs: float) -> int:
    """0-100 for the meter: -60 dBFS and below is empty, 0 dBFS full."""
    if math.isinf(dbfs) or dbfs <= LEVEL_FLOOR_DBFS:
        return 0
    return round(100 * (dbfs - LEVEL_FLOOR_DBFS) / -LEVEL_FLOOR_DBFS)


@dataclass(frozen=True)
class Chip:
    slug: str
    kind: str
    name: str
    quote: str
    segment: int
    at: str


@dataclass(frozen=True)
class Banner:
    """A notice, warning or error as the screen shows it: worded from the event's code in
    both languages (`device.views.messages`), with the technical detail of an error."""

    id: int
    kind: str  # notice | warning | error
    sv: str
    en: str
    detail: str = ""

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.sv


@dataclass
class Screen:
    """What the during-the-meeting screen shows."""

    state: str = "recording"
    elapsed_s: float = 0.0
    level: int = 0
    segments: list[tuple[int, Segment]] = field(default_factory=list)
    tentative: str = ""
    chips: list[Chip] = field(default_factory=list)
    marks: list[float] = field(default_factory=list)
    banners: list[Banner] = field(default_factory=list)
    ended: bool = False
    stopped: str = ""  # the loop ended on a failure: "draft" (one is ready) or "finish"


class LiveMeeting:
    """The bridge between the controller's bus and the screen (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self.screen = Screen()
        self._feed: deque[tuple[int, str]] = deque(maxlen=FEED_KEPT)
        self._seq = 0
        self._banner_ids = 0

    # -- from the controller's threads --------------------------------------------------------
    def on_event(self, event: Event) -> None:
        with self._lock:
            for change in self._apply(event):
                self._push(change)

    def ended(self, stopped: str = "") -> None:
        """The meeting's loop has returned: the screen goes to the draft. When a failure
        ended it (its banner is up already), the screen stays and offers the way on instead:
        continue, or the draft ("draft") / finish and sign what was kept ("finish")."""
        with self._lock:
            self.screen.ended = True
            if not stopped:
                self._push({"op": "goto", "url": "/efter"})
                return
            self.screen.stopped, self.screen.state = stopped, "stopped"
            self._push({"op": "state", "state": "stopped", "elapsed": mmss(self.screen.elapsed_s)})
            self._push({"op": "stopped", "how": stopped})

    def _push(self, change: dict[str, Any]) -> None:
        self._seq += 1
        self._feed.append((self._seq, json.dumps(change, ensure_ascii=False)))
        self._lock.notify_all()

    def _apply(self, event: Event) -> list[dict[str, Any]]:
        s = self.screen
        if isinstance(event, SegmentsCommitted):
            out = []
            for seg in event.segments:
                index = len(s.segments)
                s.segments.append((index, seg))
                who = seg.speaker.label if seg.speaker else ""
                out.append(
                    {
                        "op": "segment",
                        "i": index,
                        "at": mmss(seg.start),
                        "who": who,
                        "uncertain": bool(seg.speaker and seg.speaker.uncertain),
                        "revised": bool(seg.speaker and seg.speaker.revised),
                        "end": seg.end,
                        "text": seg.text,
                    }
                )
            s.tentative = ""
            out.append({"op": "tentative", "text": ""})
            return out
        if isinstance(event, TentativeText):
            s.tentative = event.text
            return [{"op": "tentative", "text": event.text}]
        if isinstance(event, FactorsNoted):
            chips = [self._chip(tag) for tag in event.tags]
            s.chips.extend(chips)
            return [{"op": "chip", **chip.__dict__} for chip in chips]
        if isinstance(event, FactorsRevised):
            # A speaker correction: the chips of the lines read again are replaced (a
            # withdrawn one disappears); the screen gets the whole list again.
            kept = [c for c in s.chips if not event.first <= c.segment < event.through]
            at = next((i for i, c in enumerate(kept) if c.segment >= event.through), len(kept))
            s.chips = [*kept[:at], *(self._chip(tag) for tag in event.tags), *kept[at:]]
            return [{"op": "chips", "chips": [chip.__dict__ for chip in s.chips]}]
        if isinstance(event, InputLevel):
            s.level = level_percent(event.dbfs)
            s.elapsed_s = max(s.elapsed_s, event.at_s)
            level = {"op": "level", "level": s.level, "elapsed": mmss(s.elapsed_s), "t": event.at_s}
            return [level]
        if isinstance(event, SpeakerCorrected | SpeakerRevised):
            # The caseworker's correction, or the device's revision (marked as such).
            if not 0 <= event.index < len(s.segments):
                return []
            s.segments[event.index] = (event.index, event.segment)
            speaker = event.segment.speaker
            who = speaker.label if speaker is not None else ""
            revised = bool(speaker and speaker.revised)
            change = {"op": "speaker", "i": event.index, "who": who, "uncertain": False}
            return [{**change, "revised": revised}]
        if isinstance(event, Marked):
            s.marks.append(event.at_s)
            return [{"op": "mark", "at": mmss(event.at_s)}]
        if isinstance(event, StateChanged):
            s.state = event.state
            s.elapsed_s = max(s.elapsed_s, event.elapsed_s)
            return [{"op": "state", "state": event.state, "elapsed": mmss(s.elapsed_s)}]
        if isinstance(event, ErrorRaised):
            return self._banner("error", event.code, {}, event.detail)
        kind = "warning" if isinstance(event, WarningRaised) else "notice"
        return self._banner(kind, event.code, event.params)

    def _banner(
        self, kind: str, code: Code, params: Mapping[str, object], detail: str = ""
    ) -> list[dict[str, Any]]:
        """A banner for a warning or an error stays; a notice is news about the meeting's
        state and replaces the notice before it (after an unlock "Upplåst: …" replaces
        "Enheten är låst: …", which is no longer true)."""
        s = self.screen
        out: list[dict[str, Any]] = []
        if kind == "notice":
            for old in [b for b in s.banners if b.kind == "notice"]:
                s.banners.remove(old)
                out.append({"op": "unbanner", "id": old.id})
        self._banner_ids += 1
        banner = Banner(
            self._banner_ids, kind, say(code, "sv", params), say(code, "en", params), detail
        )
        s.banners.append(banner)
        out.append({"op": "banner", **banner.__dict__})
        return out

    def _chip(self, tag: FoundTag) -> Chip:
        return Chip(tag.factor, tag.kind, tag.name_sv, tag.quote, tag.segment, mmss(tag.start))

    # -- from the event loop ------------------------------------------------------------------
    def snapshot(self) -> tuple[int, Screen]:
        with self._lock:
            s = self.screen
            copy = Screen(
                s.state,
                s.elapsed_s,
                s.level,
                list(s.segments),
                s.tentative,
                list(s.chips),
                list(s.marks),
                list(s.banners),
                s.ended,
                s.stopped,
            )
            return self._seq, copy

    def wait_changes(self, after: int, timeout: float) -> tuple[int, list[str]] | None:
        """The changes after position `after` (waiting up to `timeout` for one); None when
        they are no longer kept (the screen must reload)."""
        with self._lock:
            if self._seq <= after:
                self._lock.wait(timeout)
            if self._feed and self._feed[0][0] > after + 1:
                return None
            news = [data for seq, data in self._feed if seq > after]
            return self._seq, news
