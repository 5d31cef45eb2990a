"""What the caseworker sees during a meeting on a terminal: a Rich live view, or plain lines.

`RichView` shows committed text, the tentative preview, factors as they are tagged (with their
quotes), the elapsed time, the input level and the keys (p paus, r fortsätt, m markera,
s stopp). `PlainView` prints one line per committed segment, factor, mark, state change and
warning, flushed at once, for pipes, logs, tests and `make run`. Both are subscribers of the
meeting controller's events (`attach`); they only read what they get. The keys are an input
adapter of their own (`device.views.keys`).
"""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import IO, Protocol

from device.stages.tagging import FoundTag
from device.views.events import (
    ErrorRaised,
    Event,
    EventBus,
    FactorsNoted,
    FactorsRevised,
    InputLevel,
    Marked,
    Notice,
    SegmentsCommitted,
    SpeakerCorrected,
    SpeakerRevised,
    StateChanged,
    TentativeText,
    WarningRaised,
)
from device.views.messages import LOCKED_LINE, Code, say
from fredag.journal import clock, label, speaker_name
from fredag.protocol import Segment

STATE_SV = {"recording": "spelar in", "paused": "pausad", "stopping": "avslutar", "locked": "LÅST"}
MARKED_SV = "markerat av handläggaren"
KEYS_HELP = "p paus · r fortsätt · m markera · t rätta talare · s stopp · l lås"
CORRECTED_SV = "talare rättad"
# A label the device changed with hindsight (not the caseworker): the entry's own words for it.
REVISED_SV = label("speaker_revised").strip("()")
WITHDRAWN_SV = "togs bort"


def factor_line(tag: FoundTag) -> str:
    """One noted factor as the terminal shows it: kind, name, quote, time."""
    kind = "risk" if tag.kind == "risk" else "skydd"
    return f'{kind}: {tag.name_sv} – "{tag.quote}" [{clock(tag.start)}]'


def notice_line(notice: Notice) -> str:
    """A notice as the terminal words it: Swedish; a line sealed while locked keeps its
    bilingual placeholder (`LOCKED_LINE`)."""
    if notice.code is Code.LOCKED_LINE:
        return f"[{notice.params['at']}] {LOCKED_LINE}"
    return say(notice.code, "sv", notice.params)


def who(segment: Segment) -> str:
    """The speaker's label before a committed line ("person 1: "), '?' when uncertain, and
    marked when the device changed it with hindsight ("person 2 (ändrad av enheten): ")."""
    speaker = segment.speaker
    if speaker is None:
        return ""
    return (
        speaker_name(f"{speaker.label}{'?' if speaker.uncertain else ''}", speaker.revised) + ": "
    )


class View(Protocol):
    def start(self, title: str) -> None: ...

    def committed(self, segments: tuple[Segment, ...]) -> None: ...

    def tentative(self, text: str) -> None: ...

    def factors(self, tags: tuple[FoundTag, ...]) -> None: ...

    def state(self, state: str, elapsed_s: float) -> None: ...

    def message(self, text: str) -> None: ...

    def marked(self, at_s: float) -> None: ...

    def corrected(self, segment: Segment) -> None: ...

    def relabelled(self, segment: Segment, was: str) -> None: ...

    def revised(self, added: tuple[FoundTag, ...], withdrawn: tuple[FoundTag, ...]) -> None: ...

    def level(self, dbfs: float) -> None: ...

    def stop(self) -> None: ...


def show(view: View, event: Event) -> None:
    """Hand one meeting event to a terminal view. Errors are not shown: the command reports
    them itself, as one line, when the meeting has ended."""
    if isinstance(event, SegmentsCommitted):
        view.committed(event.segments)
    elif isinstance(event, TentativeText):
        view.tentative(event.text)
    elif isinstance(event, FactorsNoted):
        view.factors(event.tags)
    elif isinstance(event, StateChanged):
        view.state(event.state, event.elapsed_s)
    elif isinstance(event, Marked):
        view.marked(event.at_s)
    elif isinstance(event, SpeakerCorrected):
        view.corrected(event.segment)
    elif isinstance(event, SpeakerRevised):
        view.relabelled(event.segment, event.was)
    elif isinstance(event, FactorsRevised):
        view.revised(event.added, event.withdrawn)
    elif isinstance(event, InputLevel):
        view.level(event.dbfs)
    elif isinstance(event, WarningRaised):
        view.message(f"Varning: {say(event.code, 'sv', event.params)}")
    elif isinstance(event, Notice):
        view.message(notice_line(event))
    elif isinstance(event, ErrorRaised):
        return


def attach(view: View, events: EventBus) -> Callable[[], None]:
    """Subscribe `view` to a meeting's events; returns the unsubscribe function."""
    return events.subscribe(lambda event: show(view, event))


class PlainView:
    """Line output: safe for pipes and logs; tentative text is not printed."""

    def __init__(self, out: IO[str] | None = None) -> None:
        self.out = out or sys.stdout
        self._lock = threading.Lock()

    def _line(self, text: str) -> None:
        with self._lock:
            self.out.write(text + "\n")
            self.out.flush()

    def start(self, title: str) -> None:
        self._line(title)

    def committed(self, segments: tuple[Segment, ...]) -> None:
        for seg in segments:
            self._line(f"[{clock(seg.start)}] {who(seg)}{seg.text}")

    def tentative(self, text: str) -> None:
        return

    def factors(self, tags: tuple[FoundTag, ...]) -> None:
        for tag in tags:
            self._line(f"  + {factor_line(tag)}")

    def state(self, state: str, elapsed_s: float) -> None:
        self._line(f"-- {STATE_SV.get(state, state)} ({clock(elapsed_s)})")

    def message(self, text: str) -> None:
        self._line(text)

    def marked(self, at_s: float) -> None:
        self._line(f"-- {MARKED_SV} [{clock(at_s)}]")

    def corrected(self, segment: Segment) -> None:
        self._line(f"-- {CORRECTED_SV}: [{clock(segment.start)}] {who(segment)}{segment.text}")

    def relabelled(self, segment: Segment, was: str) -> None:
        self._line(
            f"-- {REVISED_SV} (var {was}): [{clock(segment.start)}] {who(segment)}{segment.text}"
        )

    def revised(self, added: tuple[FoundTag, ...], withdrawn: tuple[FoundTag, ...]) -> None:
        for tag in withdrawn:
            self._line(f"  - {WITHDRAWN_SV}: {factor_line(tag)}")
        self.factors(added)

    def level(self, dbfs: float) -> None:
        return

    def stop(self) -> None:
        return


def _meter(dbfs: float) -> str:
    """Five bars from -60 to 0 dBFS."""
    bars = 0 if dbfs == float("-inf") else max(0, min(5, int((dbfs + 60) / 12) + 1))
    return "▮" * bars + "▯" * (5 - bars)


class RichView:
    """A full-screen-ish live panel for a terminal."""

    def __init__(self, max_lines: int = 14) -> None:
        from rich.console import Console

        self.console = Console()
        self._lines: deque[str] = deque(maxlen=max_lines)
        self._factors: deque[str] = deque(maxlen=8)
        self._tentative = ""
        self._dbfs = float("-inf")
        self._state = "recording"
        self._title = ""
        self._started = time.monotonic()
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._live: object | None = None
        self._lock = threading.Lock()

    def _elapsed(self) -> float:
        now = self._paused_at or time.monotonic()
        return now - self._started - self._paused_total

    def _render(self) -> object:
        from rich.console import Group
        from rich.panel import Panel
        from rich.text import Text

        with self._lock:
            body = Text()
            for line in self._lines:
                body.append(line + "\n")
            if self._tentative:
                body.append(self._tentative, style="dim italic")
            factors = Text("\n".join(self._factors) or "inga ännu", style="cyan")
            head = (
                f"{self._title}   {clock(self._elapsed())}   {STATE_SV.get(self._state, '')}"
                f"   {_meter(self._dbfs)}"
            )
        return Group(
            Panel(body, title=head, subtitle=KEYS_HELP),
            Panel(factors, title="Faktorer som nämnts"),
        )

    def start(self, title: str) -> None:
        from rich.live import Live

        self._title = title
        self._started = time.monotonic()

        class _Renderable:
            def __init__(self, view: RichView) -> None:
                self.view = view

            def __rich__(self) -> object:
                return self.view._render()

        live = Live(
            _Renderable(self),  # type: ignore[arg-type]  # a RichCast, resolved at each refresh
            console=self.console,
            refresh_per_second=4,
        )
        live.start()
        self._live = live

    def committed(self, segments: tuple[Segment, ...]) -> None:
        with self._lock:
            for seg in segments:
                self._lines.append(f"[{clock(seg.start)}] {who(seg)}{seg.text}")

    def tentative(self, text: str) -> None:
        with self._lock:
            self._tentative = text

    def factors(self, tags: tuple[FoundTag, ...]) -> None:
        with self._lock:
            for tag in tags:
                self._factors.append(factor_line(tag))

    def revised(self, added: tuple[FoundTag, ...], withdrawn: tuple[FoundTag, ...]) -> None:
        """A withdrawn factor leaves the factor panel; a newly found one joins it."""
        gone = {factor_line(tag) for tag in withdrawn}
        with self._lock:
            kept = [line for line in self._factors if line not in gone]
            self._factors.clear()
            self._factors.extend(kept)
        self.factors(added)

    def state(self, state: str, elapsed_s: float) -> None:
        with self._lock:
            if state == "locked":  # nothing of the meeting stays on a locked screen
                self._lines.clear()
                self._factors.clear()
                self._tentative = ""
            if state == "paused" and self._paused_at is None:
                self._paused_at = time.monotonic()
            elif state != "paused" and self._paused_at is not None:
                self._paused_total += time.monotonic() - self._paused_at
                self._paused_at = None
            self._state = state

    def message(self, text: str) -> None:
        self.console.print(text)

    def marked(self, at_s: float) -> None:
        with self._lock:
            self._lines.append(f"[{clock(at_s)}] ** {MARKED_SV} **")

    def relabelled(self, segment: Segment, was: str) -> None:
        """A line the device relabelled: its label changes where it is shown, marked."""
        self.corrected(segment)

    def corrected(self, segment: Segment) -> None:
        """The corrected line's label changes where the line is shown (if it still is)."""
        at = f"[{clock(segment.start)}] "
        with self._lock:
            for i, line in enumerate(self._lines):
                if line.startswith(at) and line.endswith(segment.text):
                    self._lines[i] = f"{at}{who(segment)}{segment.text}"

    def level(self, dbfs: float) -> None:
        with self._lock:
            self._dbfs = dbfs

    def stop(self) -> None:
        live = self._live
        if live is not None:
            live.stop()  # type: ignore[attr-defined]
            self._live = None


def make_view(plain: bool | None = None) -> View:
    """A Rich view on a terminal, plain lines otherwise (or when asked)."""
    if plain is None:
        plain = not (sys.stdout.isatty() and sys.stdin.isatty())
    return PlainView() if plain else RichView()
