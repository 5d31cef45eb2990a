"""Min röst's recording on the touch screen (`device.views.touch.voice`), in process with a
recording as the microphone: the result for a good, a quiet and a short reading, and nothing
stored unless the reading is good and the device unlocked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from device.capture.sources import FileSource
from device.journal.store import Store
from device.views.touch.voice import VoiceRecording, enrolled_voice
from device.voice import enrolment
from tests.support.speech import read_wav, speak, write_wav


@pytest.fixture(scope="module")
def readings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("readings")
    good = speak(enrolment.ENROL_TEXT, folder / "good.wav")
    audio = read_wav(good)[0]
    return {
        "good": good,
        "quiet": write_wav(folder / "quiet.wav", (audio * 10 ** (-50 / 20)).astype(np.float32)),
        "short": write_wav(folder / "short.wav", audio[: 5 * 16_000]),
    }


def record(store: Store, wav: Path, *, unlocked: bool = True) -> str | None:
    recording = VoiceRecording(FileSource(wav, speed=50), store, lambda: unlocked)
    recording.start()
    status = recording.wait(120)
    assert status.phase == "done"
    return status.outcome


class TestMinRostRecording:
    def test_a_good_reading_is_stored_and_shown_as_enrolled(
        self, store: Store, readings: dict[str, Path]
    ) -> None:
        """A whole reading is enrolled with the CLI's code: the store has the voice."""
        assert enrolled_voice(store) is None
        assert record(store, readings["good"]) == "ok"
        found = enrolled_voice(store)
        assert found is not None and found.speech_s >= enrolment.MIN_SPEECH_S

    def test_quiet_short_or_locked_stores_nothing(
        self, store: Store, readings: dict[str, Path]
    ) -> None:
        """Too quiet, too short, or the device locked before it was stored: no enrolment."""
        assert record(store, readings["quiet"]) == "too_quiet"
        assert record(store, readings["short"]) == "too_short"
        assert record(store, readings["good"], unlocked=False) == "locked"
        assert store.get_blob(enrolment.BLOB) is None
