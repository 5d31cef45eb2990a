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


class TestOnlyTheScreensOwnActions:
    def test_min_rost_is_guarded_like_every_screen(
        self, tmp_path: Path, readings: dict[str, Path], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without the token nothing of Min röst is served; every answer is no-store; deleting
        the voice without this start's CSRF token (or from another origin) is refused and the
        voice kept; with both, it is deleted."""
        from starlette.testclient import TestClient

        from device.views.touch.app import create_app
        from device.views.touch.guard import Secrets
        from device.views.touch.hub import Hub, Source
        from device.views.touch.serve import launch_url

        home = tmp_path / "home"
        monkeypatch.setenv("FREDAG_HOME", str(home))
        assert record(Store(home), readings["good"]) == "ok"
        keys = Secrets()
        base = "http://127.0.0.1:8470"
        client = TestClient(create_app(Hub(Source()), keys, 8470), base_url=base)
        for path in ("/rost", "/rost/niva", "/rost/ta-bort", "/samtal/talare?rad=0"):
            bare = client.get(path)
            assert bare.status_code == 403 and bare.headers["cache-control"] == "no-store"
        assert client.get(launch_url(8470, keys)).status_code == 200
        page = client.get("/rost")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert "Din röst är inläst" in page.text and enrolment.ENROL_TEXT in page.text
        own = {"Origin": base}
        assert client.post("/rost/ta-bort", data={"csrf": "x"}, headers=own).status_code == 403
        foreign = {"Origin": "http://evil.example"}
        refused = client.post("/rost/ta-bort", data={"csrf": keys.csrf}, headers=foreign)
        assert refused.status_code == 403
        assert enrolment.load(Store(home)) is not None
        done = client.post("/rost/ta-bort", data={"csrf": keys.csrf}, headers=own)
        assert done.status_code == 200 and "Din röst är borttagen" in done.text
        assert enrolment.load(Store(home)) is None

    def test_the_screen_says_too_quiet_and_too_short_in_swedish(
        self, tmp_path: Path, readings: dict[str, Path], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Recorded through the screen's own routes, a quiet reading reads 'För tyst' and a
        short one 'För kort', and neither is stored."""
        from starlette.testclient import TestClient

        from device.views.touch.app import create_app
        from device.views.touch.guard import Secrets
        from device.views.touch.hub import Hub, Source
        from device.views.touch.serve import launch_url

        home = tmp_path / "home"
        monkeypatch.setenv("FREDAG_HOME", str(home))
        for reading, said in (("quiet", "För tyst: "), ("short", "För kort: ")):
            keys = Secrets()
            hub = Hub(Source(voice_input=readings[reading], speed=50))
            client = TestClient(create_app(hub, keys, 8470), base_url="http://127.0.0.1:8470")
            client.get(launch_url(8470, keys))
            own = {"Origin": "http://127.0.0.1:8470"}
            started = client.post(
                "/rost/spela-in", data={"csrf": keys.csrf}, headers=own, follow_redirects=False
            )
            assert started.status_code == 303 and hub.voice is not None
            hub.voice.wait(60)
            assert client.get("/rost/niva").json()["phase"] == "done"
            assert said in client.get("/rost").text
        assert enrolment.load(Store(home)) is None
