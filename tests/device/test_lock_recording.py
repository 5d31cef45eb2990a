"""Locking during a meeting: recording goes on sealed, unlock merges, kill -9 loses nothing."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from device.capture.sources import FileSource
from device.journal.session import SessionLog, list_sessions, load_session
from device.journal.store import Journal, Store
from device.meeting.controller import LOCKED_LINE, MeetingController
from device.stages.streaming import StreamingOptions
from device.views.keys import KeyInput
from device.views.terminal import PlainView, attach
from tests.conftest import TEST_PASSPHRASE
from tests.device.conftest import make_meta
from tests.device.doubles import NullTagger
from tests.support.cli import FREDAG, run_fredag

# A committed line: time, the speaker's label if attributed, the text.
LINE = re.compile(r"^\[(\d\d):(\d\d)\] (?:(?:handläggare|person \d+)\??: )?(.+)$")


def _sealed_count(log: SessionLog) -> int:
    sealed = log.journal.path.with_name("journal.sealed.fj")
    return Journal(sealed, log.store.vault.sealing_writer()).scan()[0]


def _wait(predicate: Any, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


@pytest.mark.slow
class TestLockDuringMeeting:
    def test_locked_segments_are_sealed_hidden_and_merged(
        self, meeting_wav: Path, transcriber: Any, store: Store
    ) -> None:
        """Lock after the first segment, keep speaking, unlock: every segment is in the journal,
        the ones from the locked time were never shown as text until the unlock."""
        meta = make_meta()
        log = SessionLog.create(store, meta)
        out = io.StringIO()
        recorder = MeetingController(
            log=log,
            meta=meta,
            source=FileSource(meeting_wav, speed=2.0),
            transcriber=transcriber,
            tagger=NullTagger(),
            options=StreamingOptions(previews=False),
        )
        attach(PlainView(out), recorder.events)
        box: dict[str, Any] = {}
        thread = threading.Thread(target=lambda: box.setdefault("r", recorder.run()))
        thread.start()
        try:
            _wait(lambda: len(recorder.segments) >= 1)
            KeyInput(recorder).on_key(
                "l"
            )  # the lock key; `fredag device lock` is the same for the loop
            _wait(lambda: _sealed_count(log) >= 1)
            assert recorder.segments == [] and not store.vault.is_unlocked
            with pytest.raises(Exception, match="locked"):
                load_session(Store(store.root.parent), meta.session_id)
            store.vault.unlock(TEST_PASSPHRASE)
        finally:
            thread.join(timeout=180)
        assert not thread.is_alive()
        result = box["r"]
        record = load_session(store, meta.session_id)
        texts = [s.text for s in record.segments]
        assert [s.text for s in result.segments] == texts
        lines = out.getvalue().splitlines()
        at_lock = next(i for i, line in enumerate(lines) if line.startswith("-- LÅST"))
        at_unlock = next(i for i, line in enumerate(lines) if line.startswith("Upplåst:"))
        while_locked = lines[at_lock:at_unlock]
        hidden = [ln for ln in while_locked if LINE.match(ln)]
        assert hidden and all(LOCKED_LINE in ln for ln in hidden)
        shown = [m.group(3) for ln in lines if (m := LINE.match(ln)) and LOCKED_LINE not in ln]
        assert sorted(shown) == sorted(texts)  # each segment shown once: before lock or after
        assert len(texts) >= 3


@pytest.mark.slow
class TestKillWhileLocked:
    def test_sigkill_while_locked_then_unlock_recovers_everything(
        self, meeting_wav: Path, device_env: dict[str, str]
    ) -> None:
        """`fredag device lock` mid-meeting, kill -9 while locked, unlock: every segment shown
        (as text before the lock, as a sealed placeholder after it) is in the session."""
        env = {**os.environ, **device_env}
        proc = subprocess.Popen(
            [str(FREDAG), "record", "--case", "BoU-20", "--case-type", "barn", "--consent",
             "--input", str(meeting_wav), "--speed", "1.5", "--plain"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert proc.stdout is not None
        before: list[str] = []
        sealed = 0
        try:
            for line in proc.stdout:
                m = LINE.match(line.rstrip("\n"))
                if m and LOCKED_LINE in line:
                    sealed += 1
                    break
                if m and not before:
                    before.append(m.group(3))
                    assert run_fredag("device", "lock", env=device_env).returncode == 0
                elif m:
                    before.append(m.group(3))  # committed before the loop saw the lock
            proc.send_signal(signal.SIGKILL)
        finally:
            _rest, err = proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL, err
        assert sealed == 1 and before

        locked = run_fredag("sessions", env={**device_env, "FREDAG_PASSPHRASE": ""})
        assert locked.returncode == 13
        unlock = run_fredag(
            "device", "unlock", "--passphrase-stdin", input=TEST_PASSPHRASE + "\n",
            env={**device_env, "FREDAG_PASSPHRASE": ""},
        )  # fmt: skip
        assert unlock.returncode == 0, unlock.stderr
        [session] = list_sessions(Store(Path(device_env["FREDAG_HOME"])))
        texts = [s.text for s in session.segments]
        assert texts[: len(before)] == before
        assert len(texts) >= len(before) + sealed
        assert session.interrupted
        done = run_fredag("sessions", "finish", session.meta.session_id[:8], env=device_env)
        assert done.returncode == 0, done.stderr
