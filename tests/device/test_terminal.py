"""`fredag record` in a real terminal (a pseudo-terminal): the Rich view and its keys."""

from __future__ import annotations

import os
import pty
import subprocess
import termios
import threading
import time
from pathlib import Path

import pytest

from device.journal.session import list_sessions
from device.journal.store import Store
from tests.support.cli import FREDAG


class Terminal:
    """A pseudo-terminal whose output is read continuously (a full pty would block Rich)."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            self.output += data

    def text(self) -> str:
        return self.output.decode(errors="replace")

    def wait_for(self, needle: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never shown; got: {self.text()[-2000:]}")
            time.sleep(0.1)

    def press(self, key: str) -> None:
        os.write(self.master, key.encode())


@pytest.mark.slow
class TestRichViewKeys:
    def test_keys_pause_resume_and_stop_a_meeting(
        self, meeting_wav: Path, device_env: dict[str, str]
    ) -> None:
        """In a terminal, p pauses, r resumes and s stops the meeting; the journal has each
        state, the draft is made, and the terminal is left as it was found."""
        term = Terminal()
        before = termios.tcgetattr(term.slave)
        env = {**os.environ, **device_env, "TERM": "xterm-256color", "COLUMNS": "100"}
        proc = subprocess.Popen(
            [
                str(FREDAG),
                "record",
                "--case",
                "BoU-7",
                "--case-type",
                "barn",
                "--consent",
                "--input",
                str(meeting_wav),
            ],
            stdin=term.slave,
            stdout=term.slave,
            stderr=term.slave,
            env=env,
        )
        try:
            term.wait_for("spelar in")
            time.sleep(2.0)
            term.press("p")
            term.wait_for("pausad")
            time.sleep(1.0)
            term.press("r")
            time.sleep(2.0)
            term.press("s")
            assert proc.wait(timeout=180) == 0, term.text()[-2000:]
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        after = termios.tcgetattr(term.slave)
        assert after[3] & termios.ICANON and after[3] & termios.ECHO
        assert after[3] == before[3]

        store = Store(Path(device_env["FREDAG_HOME"]))
        [session] = list_sessions(store)
        assert session.finished and session.envelope is not None
        journal = store.session_journal(session.meta.session_id).read_all().records
        states = [r["state"] for r in journal if r.get("type") == "state"]
        assert states[:3] == ["recording", "paused", "resumed"], states
        assert states[-2:] == ["stopped", "finished"], states
        assert session.audio_s < 20.0  # stopped before the end of the 25 s meeting


class TestSpeakerLabels:
    def test_committed_lines_show_their_speaker(self) -> None:
        """The plain view prints each committed line with its speaker's label, '?' when the
        voice may change inside it, and no label when none was attributed."""
        import io

        from device.views.terminal import PlainView
        from fredag.protocol import Segment, Speaker

        out = io.StringIO()
        view = PlainView(out)
        view.committed(
            (
                Segment(
                    start=1,
                    end=2,
                    text="Hur mår du?",
                    speaker=Speaker(role="caseworker", label="handläggare", confidence=0.9),
                ),
                Segment(
                    start=3,
                    end=4,
                    text="Bra.",
                    speaker=Speaker(role="other", label="person 1", confidence=0.4, uncertain=True),
                ),
                Segment(start=5, end=6, text="Ja."),
            )
        )
        assert out.getvalue().splitlines() == [
            "[00:01] handläggare: Hur mår du?",
            "[00:03] person 1?: Bra.",
            "[00:05] Ja.",
        ]
