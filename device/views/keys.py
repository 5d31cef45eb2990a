"""Inputs on a terminal: single key presses and Ctrl-C/SIGTERM, turned into the meeting
controller's controls. A touch screen is another input of the same kind: it calls the same
five controls (`Controls`)."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Protocol


class Controls(Protocol):
    """What an input may do to a meeting (`device.meeting.controller.MeetingController`)."""

    @property
    def paused(self) -> bool: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def stop(self) -> None: ...

    def mark(self) -> float: ...

    def lock(self) -> None: ...

    def next_speaker_of_last(self) -> object: ...


class KeyInput:
    """p pauses, r resumes, space toggles, m marks the moment, t corrects who said the last
    line (the next label: handläggare, person 1, …, a new person), l locks the device, s or q
    stops."""

    def __init__(self, controls: Controls) -> None:
        self.controls = controls

    def on_key(self, key: str) -> None:
        c = self.controls
        if key in ("s", "q"):
            c.stop()
        elif key == "m":
            c.mark()
        elif key == "t":
            c.next_speaker_of_last()
        elif key == "l":
            c.lock()  # the loop sees it at its next turn, as a lock from elsewhere
        elif key == "p" or (key == " " and not c.paused):
            c.pause()
        elif key in ("r", " "):
            c.resume()

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Read keys from the terminal while inside (nothing without a terminal)."""
        with key_reader(self.on_key):
            yield


@contextlib.contextmanager
def key_reader(on_key: Callable[[str], None]) -> Iterator[None]:
    """Single key presses from a terminal, delivered to `on_key` from a thread; a no-op
    without a terminal."""
    if not sys.stdin.isatty():
        yield
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                key = os.read(fd, 1).decode(errors="ignore").lower()
                if key:
                    on_key(key)

    tty.setcbreak(fd)
    thread = threading.Thread(target=loop, name="fredag-keys", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=1.0)
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


@contextlib.contextmanager
def stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """SIGINT and SIGTERM stop the meeting cleanly instead of killing the process (a third
    Ctrl-C does kill it)."""
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
