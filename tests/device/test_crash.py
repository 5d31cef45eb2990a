"""Crash safety: kill -9 mid-meeting loses nothing committed; the session resumes and finishes."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from device.journal.session import list_sessions
from device.journal.store import Store
from tests.support.cli import FREDAG, run_fredag

# A committed line: time, the speaker's label if attributed, the text.
LINE = re.compile(r"^\[(\d\d):(\d\d)\] (?:(?:handläggare|person \d+)\??: )?(.+)$")


def committed_lines(text: str) -> list[str]:
    return [m.group(3) for line in text.splitlines() if (m := LINE.match(line))]


@pytest.mark.slow
class TestKillDuringMeeting:
    def test_sigkill_loses_no_committed_segment(
        self, meeting_wav: Path, device_env: dict[str, str], tmp_path: Path
    ) -> None:
        """After SIGKILL every segment shown as committed is in the store, and it can finish."""
        env = {**os.environ, **device_env}
        proc = subprocess.Popen(
            [
                str(FREDAG),
                "record",
                "--case",
                "BoU-9",
                "--case-type",
                "barn",
                "--consent",
                "--input",
                str(meeting_wav),
                "--speed",
                "1.5",
                "--plain",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        shown: list[str] = []
        try:
            for line in proc.stdout:
                if LINE.match(line.rstrip("\n")):
                    shown.append(line)
                if len(shown) >= 2:
                    break
            proc.send_signal(signal.SIGKILL)
        finally:
            rest, err = proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL, err
        printed = committed_lines("".join(shown) + rest)
        assert len(printed) >= 2

        home = Path(device_env["FREDAG_HOME"])
        [session] = list_sessions(Store(home))
        assert session.interrupted and not session.finished
        stored = [s.text for s in session.segments]
        assert stored[: len(printed)] == printed

        listing = run_fredag("sessions", env=device_env)
        assert listing.returncode == 0, listing.stderr
        assert "AVBRUTEN" in listing.stdout and session.meta.session_id[:8] in listing.stdout

        done = run_fredag(
            "sessions", "finish", session.meta.session_id[:8], "--json", env=device_env
        )
        assert done.returncode == 0, done.stderr
        draft = json.loads(done.stdout)
        assert [s["text"] for s in draft["transcript"]["segments"]] == stored
        assert draft["meeting"]["case_ref"] == "BoU-9"
        [after] = list_sessions(Store(home))
        assert after.finished and after.envelope is not None

    def test_interrupted_session_resumes(
        self, meeting_wav: Path, device_env: dict[str, str]
    ) -> None:
        """An interrupted session continues with `record --resume`, after the old segments."""
        from datetime import UTC, datetime

        from device.journal.session import SessionLog
        from fredag.protocol import ModelInfo, Segment
        from tests.device.conftest import make_meta

        home = Path(device_env["FREDAG_HOME"])
        store = Store(home)
        meta = make_meta(started_at=datetime.now(UTC))
        log = SessionLog.create(store, meta)
        log.model(ModelInfo(name="whisper-base", sha256="0" * 64), "sv")
        log.segment(Segment(start=0.0, end=2.0, text="Första delen."))
        log.state("recording", 3.0)  # then the process died

        proc = run_fredag(
            "record",
            "--resume",
            meta.session_id[:6],
            "--input",
            str(meeting_wav),
            "--speed",
            "8",
            "--plain",
            env=device_env,
        )
        assert proc.returncode == 0, proc.stderr
        [session] = list_sessions(Store(home))
        assert session.finished
        assert session.segments[0].text == "Första delen."
        assert len(session.segments) > 1
        assert all(s.start >= 3.0 for s in session.segments[1:])


class TestSessionsListing:
    def test_damaged_session_is_reported_not_fatal(self, tmp_path: Path) -> None:
        """A tampered session is listed as damaged; the other sessions are still listed."""
        from device.journal.session import SessionLog
        from device.journal.store import HEADER_LEN
        from fredag.protocol import Segment
        from tests.device.conftest import make_meta

        home = tmp_path / "home"
        store = Store(home)
        good = make_meta(session_id="a" * 32)
        SessionLog.create(store, good)
        bad = make_meta(session_id="b" * 32)
        log = SessionLog.create(store, bad)
        log.segment(Segment(start=0.0, end=1.0, text="Hej."))
        data = bytearray(log.journal.path.read_bytes())
        data[HEADER_LEN + 40] ^= 1
        log.journal.path.write_bytes(bytes(data))
        proc = run_fredag("sessions", env={"FREDAG_HOME": str(home)})
        assert proc.returncode == 0, proc.stderr
        assert "bbbbbbbb  SKADAD" in proc.stdout
        assert "aaaaaaaa" in proc.stdout and "AVBRUTEN" in proc.stdout

    def test_show_says_who_said_each_line(self, tmp_path: Path) -> None:
        """`fredag sessions show` gives each committed line its speaker as the live view and
        the draft do ("person 1: ", "?" when unsure, a revised label marked)."""
        from device.journal.session import SessionLog
        from fredag.protocol import Segment, Speaker
        from tests.device.conftest import make_meta

        home = tmp_path / "home"
        meta = make_meta(session_id="c" * 32)
        log = SessionLog.create(Store(home), meta)
        caseworker = Speaker(role="caseworker", label="handläggare", confidence=0.9)
        client = Speaker(role="other", label="person 1", confidence=0.8, revised=True)
        unsure = Speaker(role="other", label="person 2", confidence=0.4, uncertain=True)
        log.segment(Segment(start=0.0, end=2.0, text="Hur mår du?", speaker=caseworker))
        log.segment(Segment(start=3.0, end=5.0, text="Bra.", speaker=client))
        log.segment(Segment(start=6.0, end=8.0, text="Ja.", speaker=unsure))
        log.segment(Segment(start=9.0, end=10.0, text="Okej."))
        proc = run_fredag("sessions", "show", "cccc", env={"FREDAG_HOME": str(home)})
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.splitlines()[1:] == [
            "[00:00] handläggare: Hur mår du?",
            "[00:03] person 1 (ändrad av enheten): Bra.",
            "[00:06] person 2?: Ja.",
            "[00:09] Okej.",
        ]


def _small_files(limit: int) -> Callable[[], None]:
    """For a child process: no file may grow past `limit` bytes (writes fail with EFBIG, as
    they would with ENOSPC on a full disk)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
class TestStoreFull:
    def test_write_failure_mid_meeting_keeps_what_was_committed(
        self, meeting_wav: Path, device_env: dict[str, str]
    ) -> None:
        """When the store cannot grow mid-meeting, recording stops with one clear line and a
        non-zero exit; every segment shown is kept, and the session finishes later."""
        proc = subprocess.run(
            [
                str(FREDAG),
                "record",
                "--case",
                "BoU-11",
                "--case-type",
                "barn",
                "--consent",
                "--input",
                str(meeting_wav),
                "--speed",
                "4",
                "--plain",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, **device_env},
            preexec_fn=_small_files(2000),
            timeout=300,
            check=False,
        )
        assert proc.returncode != 0
        assert "cannot write to the device store" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
        printed = committed_lines(proc.stdout)
        assert printed, proc.stdout

        [session] = list_sessions(Store(Path(device_env["FREDAG_HOME"])))
        assert not session.finished
        stored = [s.text for s in session.segments]
        assert stored[: len(printed)] == printed

        done = run_fredag(
            "sessions", "finish", session.meta.session_id[:8], "--json", env=device_env
        )
        assert done.returncode == 0, done.stderr
        assert [s["text"] for s in json.loads(done.stdout)["transcript"]["segments"]] == stored
