"""The handheld's touch screen (`fredag ui`) in a phone-sized touch Chromium: a meeting from
the start screen to a signed draft the server has received, consent refused, a kill -9
mid-meeting, the ALSA capture path, and requests that do not come from the device's own
browser session. axe-core and the 48 px touch targets are checked on every screen."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from device.journal.refusal import refusals
from device.journal.session import list_sessions
from device.journal.store import Store
from tests.conftest import TEST_PASSPHRASE
from tests.device.conftest import MEETING_TURNS
from tests.server.harness import PASSWORD, Api, ServerProcess
from tests.support.axe import assert_accessible
from tests.support.cli import run_fredag
from tests.support.speech import conversation, read_wav, silence, write_wav
from tests.web.conftest import login, screenshot
from tests.web.device_screen import phone, said_texts, small_targets, start_ui, ui_running

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def meeting_audio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The short two-speaker meeting (about 25 s), with four minutes of silence after it (the
    caseworker stops the meeting before the recording ends)."""
    folder = tmp_path_factory.mktemp("screen-meeting")
    spoken = conversation(MEETING_TURNS, folder / "spoken.wav")
    audio, _ = read_wav(spoken)
    return write_wav(folder / "meeting.wav", np.concatenate([audio, silence(240.0)]))


def check_screen(page: Any, name: str, tmp: Path) -> None:
    """axe-core finds nothing serious, every target is at least 48 px, and a screenshot."""
    page.wait_for_load_state()
    assert_accessible(page, name)
    assert small_targets(page) == [], name
    screenshot(page, f"device-{name}.png", tmp)


def new_meeting(page: Any, case_ref: str, tmp: Path | None = None) -> None:
    page.get_by_role("link", name="Nytt samtal").tap()
    page.get_by_label("Ärendenummer").fill(case_ref)
    page.get_by_role("radio", name="Barn", exact=True).check()
    page.get_by_label("Typ av kontakt").select_option("hembesök")
    page.get_by_role("checkbox", name="mamma", exact=True).check()
    page.get_by_label("Andra närvarande").fill("Elias 12 år")
    if tmp is not None:
        check_screen(page, "new-meeting", tmp)
    page.get_by_role("button", name="Vidare till samtycke").tap()
    page.get_by_role("heading", name="Samtycke").wait_for()


def enroll_home(server: ServerProcess, admin: Api, home: Path, username: str) -> None:
    made = admin.post(
        "/api/v1/admin/users",
        json={
            "username": username,
            "full_name": username.title(),
            "password": PASSWORD,
            "role": "caseworker",
        },
    )
    assert made.status_code == 201, made.text
    code = admin.post("/api/v1/admin/enrollment-codes", json={"caseworker": username})
    assert code.status_code == 201, code.text
    done = run_fredag(
        "device", "enroll", server.base_url, code.json()["code"], env={"FREDAG_HOME": str(home)}
    )
    assert done.returncode == 0, done.stderr


class TestWholeMeeting:
    def test_start_to_a_draft_the_server_received(
        self,
        browser: Any,
        web_server: ServerProcess,
        admin_api: Api,
        whisper_base: Any,
        meeting_audio: Path,
        tmp_path: Path,
    ) -> None:
        """Consent given, the transcript and factors appear live, mark, pause and resume,
        stop with confirmation, the draft with the mark, signed, sent, in the reviewer's inbox."""
        from playwright.sync_api import expect

        home = tmp_path / "home"
        enroll_home(web_server, admin_api, home, "dora")
        with ui_running(home, whisper_base.path, "--input", str(meeting_audio)) as ui:
            page = phone(browser, ui)
            expect(page.get_by_role("heading", name="Start")).to_be_visible()
            expect(page.locator(".facts")).to_contain_text(web_server.base_url)
            check_screen(page, "start", tmp_path)
            new_meeting(page, "BoU-2026-0042", tmp_path)
            check_screen(page, "consent", tmp_path)
            page.get_by_role("button", name="Samtycke givet").tap()
            page.wait_for_url("**/samtal")
            expect(page.locator("#segments li").first).to_be_visible(timeout=60_000)
            page.get_by_role("button", name="Markera").tap()
            expect(page.locator("#marks li")).to_have_count(1)
            page.get_by_role("button", name="Pausa").tap()
            expect(page.locator("#state-text")).to_have_text("Pausad")
            page.get_by_role("button", name="Fortsätt").tap()
            expect(page.locator("#state-text")).to_have_text("Spelar in")
            [heard] = said_texts(page.locator("#segments li").first)
            page.get_by_role("button", name="Lås", exact=True).tap()
            expect(page.get_by_role("heading", name="Enheten är låst")).to_be_visible()
            expect(page.locator("main")).to_contain_text("Samtalet spelas in")
            assert heard not in page.content() and "BoU-2026-0042" not in page.content()
            check_screen(page, "locked-meeting", tmp_path)
            page.get_by_label("Lösenfras").fill(TEST_PASSPHRASE)
            page.get_by_role("button", name="Lås upp").tap()
            page.wait_for_url("**/samtal")
            expect(page.locator("#banners")).to_contain_text("Upplåst")
            expect(page.locator("#banners")).not_to_contain_text("Enheten är låst")
            # Every word of the meeting has been heard (the rest of the recording is silence).
            expect(page.locator("#elapsed")).to_have_text(
                re.compile(r"00:(2[89]|[3-5]\d)|0[1-9]:\d\d"), timeout=120_000
            )
            shown = page.locator("#segments li").all_inner_texts()
            check_screen(page, "meeting", tmp_path)
            page.get_by_role("link", name="Avsluta samtalet").tap()
            expect(page.get_by_role("heading", name="Avsluta samtalet")).to_be_visible()
            check_screen(page, "stop-confirm", tmp_path)
            page.get_by_role("button", name="Ja, avsluta").tap()
            page.wait_for_url("**/efter")
            expect(page.get_by_role("heading", name="Utkastet", exact=True)).to_be_visible(
                timeout=180_000
            )
            expect(page.locator("#rendered")).to_contain_text("Markerat av handläggaren")
            # Handläggare: the full name of the caseworker the device is enrolled to.
            expect(page.locator("#rendered")).to_contain_text("Handläggare: Dora\n")
            check_screen(page, "after", tmp_path)
            page.get_by_role("button", name="Signera och skicka").tap()
            expect(page.locator("#signed")).to_contain_text("Skickat till servern.")
            check_screen(page, "signed", tmp_path)
            page.context.close()
        assert shown  # the text seen live; the signed copy left the device once the server had it
        reviewer = browser.new_context(base_url=web_server.base_url)
        review = reviewer.new_page()
        login(review, "dora")
        review.goto("/inkorg")
        expect(review.locator("main")).to_contain_text("BoU-2026-0042")
        reviewer.close()


class TestCrashMidMeeting:
    def test_kill9_then_finish_the_interrupted_meeting(
        self, browser: Any, whisper_base: Any, meeting_audio: Path, tmp_path: Path
    ) -> None:
        """kill -9 of the device process mid-meeting; after a restart the interrupted meeting
        is offered, and finishing it gives a signed draft with every segment on the screen."""
        from playwright.sync_api import expect

        home = tmp_path / "home"
        args = ("--input", str(meeting_audio), "--speed", "2")
        ui = start_ui(home, whisper_base.path, *args)
        try:
            page = phone(browser, ui)
            new_meeting(page, "BoU-2026-0077")
            page.get_by_role("button", name="Samtycke givet").tap()
            page.wait_for_url("**/samtal")
            expect(page.locator("#segments li")).to_have_count(2, timeout=120_000)
            shown = said_texts(page.locator("#segments li"))
            ui.kill9()
            page.context.close()
        finally:
            ui.stop()
        with ui_running(home, whisper_base.path, *args) as again:
            page = phone(browser, again)
            offered = page.locator(".card", has_text="BoU-2026-0077")
            expect(offered).to_be_visible()
            check_screen(page, "start-interrupted", tmp_path)
            offered.get_by_role("button", name="Avsluta och signera").tap()
            expect(page.locator("#signed")).to_be_visible(timeout=60_000)
            page.context.close()
        [session] = list_sessions(Store(home))
        assert session.finished and session.envelope is not None
        said = [s.text.strip() for s in session.segments]
        assert all(text in said for text in shown), (shown, said)


class TestLocked:
    def test_locks_when_idle_and_on_demand(
        self, browser: Any, whisper_base: Any, meeting_audio: Path, tmp_path: Path
    ) -> None:
        """Idle for the set time the screen locks; nothing shows until the right passphrase."""
        from playwright.sync_api import expect

        home = tmp_path / "home"
        args = ("--input", str(meeting_audio), "--lock-after", "0.05")
        with ui_running(home, whisper_base.path, *args) as ui:
            page = phone(browser, ui)
            expect(page.get_by_role("heading", name="Start")).to_be_visible()
            page.wait_for_timeout(4_000)  # --lock-after 0.05 minutes: 3 s without a touch
            page.goto("/nytt")
            expect(page.get_by_role("heading", name="Enheten är låst")).to_be_visible()
            check_screen(page, "locked", tmp_path)
            page.get_by_label("Lösenfras").fill("fel-lösenfras")
            page.get_by_role("button", name="Lås upp").tap()
            expect(page.get_by_role("alert")).to_contain_text("Fel lösenfras")
            page.get_by_label("Lösenfras").fill(TEST_PASSPHRASE)
            page.get_by_role("button", name="Lås upp").tap()
            expect(page.get_by_role("heading", name="Start")).to_be_visible()
            page.context.close()


class TestConsentRefused:
    def test_nothing_recorded_nothing_sent(
        self, browser: Any, whisper_base: Any, meeting_audio: Path, tmp_path: Path
    ) -> None:
        """Consent refused: no session, audio or transcript; the refusal is noted; nothing sent."""
        from playwright.sync_api import expect

        home = tmp_path / "home"
        with ui_running(home, whisper_base.path, "--input", str(meeting_audio)) as ui:
            page = phone(browser, ui)
            new_meeting(page, "Vx-2026-7")
            page.get_by_role("button", name="Samtycke nekat").tap()
            expect(page.get_by_role("heading", name="Ingen inspelning")).to_be_visible()
            check_screen(page, "consent-refused", tmp_path)
            page.context.close()
        store = Store(home)
        assert store.session_ids() == []
        [refusal] = refusals(store)
        assert refusal.case_ref == "Vx-2026-7"
        assert not (home / "device" / "journals" / "outbox.fj").exists()


class TestOnlyTheDevicesOwnBrowser:
    def test_without_token_and_from_another_origin(
        self, whisper_base: Any, meeting_audio: Path, tmp_path: Path
    ) -> None:
        """A request without the token and an action from another origin are refused (403)."""
        with ui_running(tmp_path / "home", whisper_base.path, "--input", str(meeting_audio)) as ui:
            bare = httpx.get(ui.base_url + "/")
            assert bare.status_code == 403
            assert bare.headers["cache-control"] == "no-store"
            with httpx.Client(base_url=ui.base_url) as client:
                assert client.get(ui.launch_url).status_code in (200, 303)
                assert client.get("/").status_code == 200
                assert client.get("/favicon.ico").status_code == 204  # no 404 in the console
                csrf = client.get("/nytt").text.split('name="csrf" value="')[1].split('"')[0]
                form = {
                    "csrf": csrf,
                    "case_ref": "X-1",
                    "case_type": "barn",
                    "contact_type": "besök",
                    "answer": "refused",
                }
                foreign = client.post(
                    "/samtycke", data=form, headers={"Origin": "http://evil.example"}
                )
                assert foreign.status_code == 403
                no_csrf = client.post(
                    "/samtycke", data={**form, "csrf": ""}, headers={"Origin": ui.base_url}
                )
                assert no_csrf.status_code == 403
                wrong_launch = httpx.get(ui.base_url + "/oppna?nyckel=guess")
                assert wrong_launch.status_code == 403
            assert refusals(Store(tmp_path / "home")) == []
