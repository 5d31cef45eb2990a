"""The microphone disappearing mid-meeting on the handheld's screen: a plain Swedish banner,
nothing committed lost, and the meeting can be continued or signed. The screen runs in this
test's process (real uvicorn, real model) so the sounddevice stream can vanish on cue: an edge
no real hardware reaches in a test."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from device.capture.sources import InputDevice, MicrophoneSource, _sounddevice
from device.journal.session import list_sessions
from device.journal.store import Store
from device.views.messages import Code, say
from tests.device.conftest import MEETING_TURNS
from tests.device.test_capture import _VanishingStream
from tests.support.axe import assert_accessible
from tests.support.postgres import free_port
from tests.support.speech import conversation, read_wav
from tests.web.device_screen import meeting_started, said_texts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def screen(
    tmp_path: Path, whisper_base: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, str, Path]]:
    """`fredag ui`'s app on uvicorn in this process, its microphone a stream that vanishes
    after 12 s of the meeting; yields (base URL, launch URL, home)."""
    import uvicorn

    import device.capture.sources as capture
    from device.views.touch.app import create_app
    from device.views.touch.guard import Secrets
    from device.views.touch.hub import Hub, Source
    from device.views.touch.serve import launch_url

    home = tmp_path / "home"
    monkeypatch.setenv("FREDAG_HOME", str(home))
    monkeypatch.setenv("FREDAG_MODEL", str(whisper_base.path))
    audio, _ = read_wav(conversation(MEETING_TURNS, tmp_path / "meeting.wav"))
    sd = _sounddevice()
    monkeypatch.setattr(
        capture, "resolve_device", lambda spec: InputDevice(0, "usb-mic", 1, 16000.0, "ALSA", True)
    )
    monkeypatch.setattr(
        MicrophoneSource, "_open", lambda self: _VanishingStream(audio, 120, sd.PortAudioError)
    )
    port = free_port()
    keys = Secrets()
    app = create_app(Hub(Source(device="usb-mic")), keys, port)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
    yield f"http://127.0.0.1:{port}", launch_url(port, keys), home
    server.should_exit = True
    thread.join(30)


class TestMicrophoneVanishes:
    def test_banner_nothing_lost_continue_or_sign(
        self, browser: Any, screen: tuple[str, str, Path]
    ) -> None:
        """The device vanishes after 12 s: the meeting screen shows the Swedish banner at once
        and offers to continue or see the draft (in English by the switch); the segments heard
        are in the draft, and signing it gives a finished session with them."""
        from playwright.sync_api import expect

        base, launch, home = screen
        page = meeting_started(browser, base, launch, "Vx-2026-9")
        live = page.locator("#banners .banner.error")  # on the meeting screen, as it happens
        expect(live).to_contain_text("Mikrofonen slutade fungera", timeout=120_000)
        assert live.locator("p").first.inner_text() == say(Code.MICROPHONE_LOST, "sv")
        expect(page.locator("#state-text")).to_have_text("Stoppad")
        expect(page.get_by_role("button", name="Fortsätt samtalet")).to_be_visible()
        expect(page.get_by_role("link", name="Visa utkastet")).to_be_visible()
        expect(page.locator("#controls")).to_be_hidden()  # no pause, mark or stop any more
        assert_accessible(page, "meeting, microphone lost")
        page.get_by_role("button", name="In English").tap()  # the screen after it, in English
        expect(page.locator("#capture-error")).to_contain_text(say(Code.MICROPHONE_LOST, "en"))
        page.get_by_role("button", name="På svenska").tap()
        banner = page.locator("#capture-error")
        expect(banner).to_contain_text("Mikrofonen slutade fungera")
        expect(page.get_by_role("button", name="Fortsätt samtalet")).to_be_visible()
        page.wait_for_load_state()
        assert_accessible(page, "after, microphone lost")
        heard = said_texts(page.locator(".draft .segments li"))
        assert heard, "nothing heard before the microphone vanished is shown"
        page.get_by_role("button", name="Signera, skicka senare").tap()
        expect(page.locator("#signed")).to_be_visible()
        page.context.close()
        [session] = list_sessions(Store(home))
        assert session.finished
        said = [s.text.strip() for s in session.segments]
        assert heard == said
