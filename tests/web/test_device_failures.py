"""A crash of the transcription and a full disk in the middle of a meeting on the handheld's
screen: a plain Swedish banner, nothing that was shown is lost, and the meeting can be
continued or finished into a signed draft. The screen runs in this test's process (real
uvicorn, real model, the recording played at twice real time) so the faults can be injected
where no test reaches otherwise: the model's decode raises, and the disk refuses a session
journal's writes with ENOSPC."""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.journal.session import list_sessions
from device.journal.store import Store
from device.views.messages import Code, say
from tests.device.conftest import MEETING_TURNS
from tests.support.axe import assert_accessible
from tests.support.postgres import free_port
from tests.support.speech import conversation, read_wav, silence, write_wav
from tests.web.conftest import screenshot
from tests.web.device_screen import meeting_started, said_texts, small_targets

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@dataclass
class Faults:
    crash: bool = False  # the model's decode raises
    disk_full: bool = False  # writing a session journal fails with ENOSPC


class _FullDisk:
    """A file opened for appending on a full disk: every write fails with ENOSPC."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fh, name)


@pytest.fixture
def screen(
    tmp_path: Path, whisper_base: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, str, Path, Faults]]:
    """`fredag ui`'s app on uvicorn in this process, the meeting played from a recording at
    twice real time, with the faults armed; yields (base URL, launch URL, home, faults)."""
    import uvicorn
    from faster_whisper import WhisperModel

    from device.views.touch.app import create_app
    from device.views.touch.guard import Secrets
    from device.views.touch.hub import Hub, Source
    from device.views.touch.serve import launch_url

    home = tmp_path / "home"
    monkeypatch.setenv("FREDAG_HOME", str(home))
    monkeypatch.setenv("FREDAG_MODEL", str(whisper_base.path))
    spoken, _ = read_wav(conversation(MEETING_TURNS, tmp_path / "spoken.wav"))
    meeting = write_wav(tmp_path / "meeting.wav", np.concatenate([spoken, silence(120.0)]))
    faults = Faults()

    decode = WhisperModel.transcribe

    def crashing_decode(self: Any, *args: Any, **kwargs: Any) -> Any:
        if faults.crash:
            raise RuntimeError("std::bad_alloc (injected: the decoder crashed)")
        return decode(self, *args, **kwargs)

    open_path = Path.open

    def open_on_full_disk(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        fh = open_path(self, mode, *args, **kwargs)
        if faults.disk_full and mode == "ab" and "sessions" in self.parts:
            return _FullDisk(fh)
        return fh

    monkeypatch.setattr(WhisperModel, "transcribe", crashing_decode)
    monkeypatch.setattr(Path, "open", open_on_full_disk)
    port = free_port()
    keys = Secrets()
    app = create_app(Hub(Source(input_file=meeting, speed=2.0)), keys, port)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
    yield f"http://127.0.0.1:{port}", launch_url(port, keys), home, faults
    server.should_exit = True
    thread.join(30)


def check_stopped_screen(page: Any, banner: str, shown: list[str], tmp: Path, name: str) -> None:
    """The meeting stopped: the Swedish banner, every line that was shown is listed as kept,
    continue and finish are offered; accessible, 48 px targets."""
    from playwright.sync_api import expect

    page.wait_for_url("**/efter", timeout=120_000)
    expect(page.get_by_role("heading", name="Samtalet stoppades")).to_be_visible(timeout=60_000)
    expect(page.locator("#meeting-failed")).to_contain_text(banner)
    kept = said_texts(page.locator("#kept li"))
    assert all(line in kept for line in shown), (shown, kept)
    expect(page.get_by_role("button", name="Fortsätt samtalet")).to_be_visible()
    expect(page.get_by_role("button", name="Avsluta och signera")).to_be_visible()
    page.wait_for_load_state()
    assert_accessible(page, name)
    assert small_targets(page) == [], name
    screenshot(page, f"device-{name}.png", tmp)


def check_live_banner(
    page: Any, code: Code, shown: list[str], tmp: Path, name: str, *, shot: bool = True
) -> None:
    """The failure is on the meeting screen as it happens: the Swedish banner (the screen's
    wording, the technical reason apart), the meeting stopped with every line still shown, and
    continue and finish offered in place of pause, mark and stop; accessible, 48 px targets."""
    from playwright.sync_api import expect

    banner = page.locator("#banners .banner.error")
    expect(banner).to_be_visible(timeout=120_000)
    assert banner.locator("p").first.inner_text() == say(code, "sv")
    expect(page.locator("#state-text")).to_have_text("Stoppad", timeout=60_000)
    expect(page.get_by_role("button", name="Fortsätt samtalet")).to_be_visible()
    expect(page.get_by_role("button", name="Avsluta och signera")).to_be_visible()
    expect(page.locator("#controls")).to_be_hidden()
    still = said_texts(page.locator("#segments li"))
    assert all(line in still for line in shown), (shown, still)
    assert page.url.endswith("/samtal")
    assert_accessible(page, name)
    assert small_targets(page) == [], name
    if shot:
        screenshot(page, f"device-{name}.png", tmp)


class TestMeetingFailures:
    def test_crash_continue_then_full_disk_finish(
        self, browser: Any, screen: tuple[str, str, Path, Faults], tmp_path: Path
    ) -> None:
        """The decoder crashes: the meeting screen shows the banner at once, nothing shown is
        lost, the meeting continues from there; then the disk is full: the banner at once, the
        stopped screen lists everything kept, continuing says the disk is still full, and once
        there is space it is finished into a signed draft holding every line ever shown."""
        from playwright.sync_api import expect

        base, launch, home, faults = screen
        page = meeting_started(browser, base, launch, "BoU-2026-0500")
        lines = page.locator("#segments li")
        expect(lines.first).to_be_visible(timeout=60_000)
        shown = said_texts(lines)
        faults.crash = True
        check_live_banner(page, Code.TRANSCRIPTION_FAILED, shown, tmp_path, "crashed")

        faults.crash = False
        # From the meeting screen: the POST answers with a redirect back to the same address,
        # so wait for that navigation itself (the URL matches before it has happened).
        with page.expect_navigation(url="**/samtal"):
            page.get_by_role("button", name="Fortsätt samtalet").tap()
        kept = len(said_texts(page.locator("#segments li")))
        expect(lines.nth(kept)).to_be_visible(timeout=60_000)  # heard after continuing
        shown = said_texts(lines)
        faults.disk_full = True
        check_live_banner(page, Code.DISK_FULL, shown, tmp_path, "disk full, live", shot=False)
        page.reload()  # the screen after the stopped meeting says the same, lists what is kept
        check_stopped_screen(page, "lagringsutrymme är fullt", shown, tmp_path, "disk-full")

        page.get_by_role("button", name="Fortsätt samtalet").tap()  # the disk is still full
        page.wait_for_url("**/samtal/fortsatt-efter-fel")
        expect(page.locator("#meeting-failed")).to_contain_text("lagringsutrymme är fullt")
        faults.disk_full = False  # space freed
        page.get_by_role("button", name="Avsluta och signera").tap()
        expect(page.locator("#signed")).to_be_visible(timeout=60_000)
        page.context.close()
        [session] = list_sessions(Store(home))
        assert session.finished and session.envelope is not None
        said = [s.text.strip() for s in session.segments]
        assert all(line in said for line in shown), (shown, said)
