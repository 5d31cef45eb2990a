"""The start screen's microphone check (`device.views.touch.miccheck.MicCheck`): it opens the
input, reports its level while listening, closes it and says what it found."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from device.capture.sources import AudioSource, FileSource
from device.views.touch.miccheck import MicCheck
from fredag.errors import CaptureError
from tests.support.speech import silence, speak, write_wav


def run_check(check: MicCheck) -> list[int]:
    """Start the check and follow it to its end; the levels it reported on the way."""
    check.start()
    levels, seq = [], 0
    while True:
        state = check.wait_change(seq, 10.0)
        assert state.seq > seq, "the check stopped reporting"
        seq = state.seq
        levels.append(state.level)
        if not state.running:
            return levels


class TestMicCheck:
    def test_speech_is_heard(self, tmp_path: Path) -> None:
        """An input with speech: levels above zero while listening, then "ok", input closed."""
        spoken = speak("Hej, nu testar jag mikrofonen på enheten.", tmp_path / "hej.wav")
        opened: list[FileSource] = []

        def open_input() -> AudioSource:
            opened.append(FileSource(spoken, speed=8.0))
            return opened[-1]

        check = MicCheck(open_input, seconds=1.5)
        levels = run_check(check)
        assert max(levels) > 0
        assert check.state().outcome == "ok" and check.state().detail is None
        [source] = opened
        assert source._stop.is_set()  # closed after the check

    def test_silence_says_silent(self, tmp_path: Path) -> None:
        """Digital silence (a muted or unplugged microphone) gives "silent", not "ok"."""
        quiet = write_wav(tmp_path / "quiet.wav", silence(2.0).astype(np.float32))
        check = MicCheck(lambda: FileSource(quiet, speed=8.0), seconds=1.0)
        run_check(check)
        assert check.state().outcome == "silent"

    def test_no_input_says_failed(self) -> None:
        """An input that cannot be opened gives "failed" with the reason, for support."""

        def open_input() -> AudioSource:
            raise CaptureError("no microphone found: this computer has no audio input device")

        check = MicCheck(open_input)
        run_check(check)
        state = check.state()
        assert state.outcome == "failed" and "no microphone" in (state.detail or "")

    def test_cancelled_gives_no_verdict(self, tmp_path: Path) -> None:
        """A check cancelled before it heard anything (a meeting starts) closes its input and
        says nothing, rather than that no microphone works."""
        quiet = write_wav(tmp_path / "quiet.wav", silence(30.0).astype(np.float32))
        opened: list[FileSource] = []

        def open_input() -> AudioSource:
            opened.append(FileSource(quiet, speed=0.1))  # slower than the check waits
            return opened[-1]

        check = MicCheck(open_input)
        check.start()
        check.cancel()
        state = check.state()
        assert not state.running and state.outcome is None and state.detail is None
        assert opened[0]._stop.is_set()
