"""The handheld's screen with its audio through the real capture path (sounddevice → PortAudio
→ ALSA, an input paced in real time: device/capture/standin.py), driven by the keyboard alone:
the microphone check, lock and unlock, a new meeting, consent, the meeting (mark, pause,
resume), stop and sign. Every screen on the way is also laid out at 800 x 1280 and in
landscape (640 x 360, 1280 x 800): targets at least 48 x 48 px, nothing wider than the screen,
the screen's main controls on it. And with no input device at all, the microphone check says
so in plain Swedish."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.capture.standin import StandInMicrophone
from device.journal.session import list_sessions
from device.journal.store import Store
from tests.conftest import TEST_PASSPHRASE
from tests.device.conftest import MEETING_TURNS
from tests.support.axe import assert_accessible
from tests.support.speech import conversation, read_wav, silence, speak
from tests.web.conftest import screenshot
from tests.web.device_screen import PHONE, phone, small_targets, ui_running

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAYOUTS = {
    "portrait 800x1280": {"width": 800, "height": 1280},
    "landscape 640x360": {"width": 640, "height": 360},
    "landscape 1280x800": {"width": 1280, "height": 800},
}


def check_layouts(page: Any, screen: str, controls: list[Any]) -> None:
    """At each layout: no target below 48 x 48 px, no horizontal overflow, and each of the
    screen's main `controls` visible and within the screen's width."""
    from playwright.sync_api import expect

    page.wait_for_load_state()
    for layout, size in LAYOUTS.items():
        page.set_viewport_size(size)
        where = f"{screen}, {layout}"
        assert small_targets(page) == [], where
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{where}: {overflow} px wider than the screen"
        for control in controls:
            expect(control).to_be_visible()
            box = control.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], (where, box)
    page.set_viewport_size(PHONE)


def has_visible_focus(page: Any) -> bool:
    """The focused element shows the keyboard focus ring (:focus-visible, a solid outline)."""
    found: bool = page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
                   return e.matches(':focus-visible') && s.outlineStyle !== 'none'
                          && parseFloat(s.outlineWidth) >= 2; }"""
    )
    return found


def tab_to(page: Any, target: Any, limit: int = 40) -> None:
    """Press Tab until `target` has the focus, which must be visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            assert has_visible_focus(page), f"no visible focus on {target}"
            return
    raise AssertionError(f"{target} not reached with Tab")


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, np.ndarray]:
    """A short sentence for the microphone check, and three turns of the meeting with a
    second of silence on either side."""
    folder = tmp_path_factory.mktemp("alsa-speech")
    hello, _ = read_wav(speak("Hej, nu testar jag mikrofonen.", folder / "hello.wav"))
    turns, _ = read_wav(conversation(MEETING_TURNS[:3], folder / "turns.wav"))
    return hello, np.concatenate([silence(1.0), turns, silence(1.5)])


class TestThroughAlsaByKeyboard:
    def test_check_meet_stop_sign(
        self,
        browser: Any,
        whisper_base: Any,
        clips: tuple[np.ndarray, np.ndarray],
        tmp_path: Path,
    ) -> None:
        """Keyboard only, audio through ALSA: the microphone check shows the speech's level,
        the meeting's text comes from the same input, the mark and the words are in the
        signed draft; every screen fits 800 x 1280 and both landscapes."""
        from playwright.sync_api import expect

        hello, turns = clips
        home = tmp_path / "home"
        with (
            StandInMicrophone(tmp_path) as air,
            ui_running(
                home, whisper_base.path, "--device", "fredagmic", env={"HOME": str(air.home)}
            ) as ui,
        ):
            page = phone(browser, ui)
            expect(page.get_by_role("heading", name="Start")).to_be_visible()
            new = page.get_by_role("link", name="Nytt samtal")
            test_mic = page.get_by_role("button", name="Testa mikrofonen")
            check_layouts(page, "start", [new, test_mic])

            air.play(hello)
            tab_to(page, test_mic)
            page.keyboard.press("Enter")
            expect(page.locator("#mic-level")).to_have_attribute(
                "aria-valuenow", re.compile(r"^([4-9]\d|100)$")
            )
            expect(page.locator("#mic-result")).to_have_text("Mikrofonen fungerar.")
            assert air.pending_s() == 0
            screenshot(page, "device-mic-check.png", tmp_path)

            tab_to(page, page.get_by_role("button", name="Lås", exact=True))
            page.keyboard.press("Enter")
            page.get_by_role("heading", name="Enheten är låst").wait_for()
            passphrase = page.get_by_label("Lösenfras")
            check_layouts(page, "locked", [passphrase])
            tab_to(page, passphrase)
            page.keyboard.type(TEST_PASSPHRASE)
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", name="Start")).to_be_visible()

            tab_to(page, new)
            page.keyboard.press("Enter")
            page.get_by_role("heading", name="Nytt samtal").wait_for()
            check_layouts(page, "new meeting", [page.get_by_label("Ärendenummer")])
            tab_to(page, page.get_by_label("Ärendenummer"))
            page.keyboard.type("BoU-2026-0101")
            tab_to(page, page.get_by_role("checkbox", name="mamma", exact=True))
            page.keyboard.press("Space")
            onward = page.get_by_role("button", name="Vidare till samtycke")
            tab_to(page, onward)
            page.keyboard.press("Enter")

            page.get_by_role("heading", name="Samtycke").wait_for()
            given = page.get_by_role("button", name="Samtycke givet")
            refused = page.get_by_role("button", name="Samtycke nekat")
            check_layouts(page, "consent", [given, refused])
            tab_to(page, given)
            page.keyboard.press("Enter")
            page.wait_for_url("**/samtal", timeout=60_000)
            air.play(turns)

            expect(page.locator("#segments li").first).to_be_visible(timeout=60_000)
            mark = page.get_by_role("button", name="Markera")
            stop = page.get_by_role("link", name="Avsluta samtalet")
            pause = page.get_by_role("button", name="Pausa")
            check_layouts(page, "meeting", [pause, mark, stop])
            tab_to(page, mark)
            page.keyboard.press("Space")
            expect(page.locator("#marks li")).to_have_count(1)
            while air.pending_s() > 0:
                page.wait_for_timeout(500)
            expect(page.locator("#segments")).to_contain_text("hemma", timeout=60_000)
            tab_to(page, pause)
            page.keyboard.press("Space")
            expect(page.locator("#state-text")).to_have_text("Pausad")
            tab_to(page, page.get_by_role("button", name="Fortsätt"))
            page.keyboard.press("Enter")
            expect(page.locator("#state-text")).to_have_text("Spelar in")

            tab_to(page, stop)
            page.keyboard.press("Enter")
            page.get_by_role("heading", name="Avsluta samtalet").wait_for()
            yes = page.get_by_role("button", name="Ja, avsluta")
            check_layouts(page, "stop", [yes, page.get_by_role("link", name="Nej, fortsätt")])
            tab_to(page, yes)
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", name="Utkastet", exact=True)).to_be_visible(
                timeout=120_000
            )
            later = page.get_by_role("button", name="Signera, skicka senare")
            check_layouts(
                page, "after", [page.get_by_role("button", name="Signera och skicka"), later]
            )
            tab_to(page, later)
            page.keyboard.press("Space")
            expect(page.locator("#signed")).to_be_visible()
            check_layouts(page, "signed", [page.get_by_role("button", name="Till startsidan")])
            page.context.close()
        [session] = list_sessions(Store(home))
        assert session.finished and session.envelope is not None
        said = " ".join(s.text for s in session.segments).lower()
        assert "morgonen" in said and "hemma" in said, said
        assert len(session.marks) == 1


class TestNoMicrophone:
    def test_the_check_says_no_microphone_works(
        self, browser: Any, whisper_base: Any, tmp_path: Path
    ) -> None:
        """With no input device at all the check says in Swedish that no microphone works."""
        from playwright.sync_api import expect

        alsa_home = tmp_path / "alsa-home"
        alsa_home.mkdir()
        (alsa_home / ".asoundrc").write_text("\n")
        env = {"HOME": str(alsa_home)}
        with ui_running(tmp_path / "home", whisper_base.path, env=env) as ui:
            page = phone(browser, ui)
            page.get_by_role("button", name="Testa mikrofonen").tap()
            result = page.locator("#mic-result")
            expect(result).to_contain_text("Ingen mikrofon fungerar")
            expect(result).to_have_class("banner error")
            expect(page.locator("#mic-detail")).to_contain_text("no microphone")
            assert_accessible(page, "start, no microphone")
            screenshot(page, "device-no-microphone.png", tmp_path)
            page.context.close()
