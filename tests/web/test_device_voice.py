"""The caseworker's voice and who said what on the handheld's screen (`fredag ui`), in a
phone-sized touch Chromium with the real whisper-base and the real speaker model: enrolment
through "Min röst", a meeting whose lines carry `handläggare`, a label corrected with a tap
and found in the signed draft, and a correction kept through a kill -9."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.journal.session import list_sessions
from device.journal.store import Store
from device.voice import enrolment
from fredag.protocol import Draft, b64url_decode
from tests.device.test_speaker_draft import NUMBER_RUN, plaintexts
from tests.support.speech import VOICE, read_wav, silence, speak, write_wav
from tests.web.device_screen import phone, start_ui, ui_running
from tests.web.test_device_alsa import check_layouts
from tests.web.test_device_screen import check_screen, new_meeting

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLIENT = ("-v", "sv+f2", "-s", "135", "-g", "6")  # a voice the speaker model tells from VOICE
TURNS = [
    (VOICE, "Hej och välkommen. Berätta hur det går i skolan."),
    (CLIENT, "Han har svårt att sova och är trött på morgonen."),
    (VOICE, "Hur ser det ut hemma just nu?"),
    (CLIENT, "Farmor hjälper familjen varje vecka och barnen tycker om henne."),
]


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The caseworker (espeak `sv`) reading the enrolment text, and a short meeting of her
    and a client (`sv+f2`) followed by silence (the caseworker stops it before it ends)."""
    folder = tmp_path_factory.mktemp("voice-screen")
    reading = speak(enrolment.ENROL_TEXT, folder / "reading.wav", VOICE)
    pieces = []
    for i, (voice, text) in enumerate(TURNS):
        pieces += [read_wav(speak(text, folder / f"turn{i}.wav", voice))[0], silence(0.8)]
    meeting = write_wav(folder / "meeting.wav", np.concatenate([*pieces, silence(240.0)]))
    return reading, meeting


def signed_draft(home: Path) -> Draft:
    [session] = list_sessions(Store(home))
    assert session.finished and session.envelope is not None
    return Draft.model_validate_json(b64url_decode(session.envelope["payload"]))


def correct_line(page: Any, line: int, tmp: Path | None = None) -> str:
    """Tap line `line`'s speaker label and choose the last choice (a new person, or the
    line's own number when it alone has it); returns the label chosen."""
    from playwright.sync_api import expect

    page.locator(f"#seg-{line} a.who").tap()
    expect(page.get_by_role("heading", name="Vem sa det?")).to_be_visible()
    if tmp is not None:
        check_screen(page, "speaker", tmp)
        check_layouts(page, "speaker", [page.locator("form button[name=label]").first])
    choice = page.locator("form button[name=label]").last
    label = str(choice.get_attribute("value"))
    choice.tap()
    page.wait_for_url("**/samtal*")
    expect(page.locator(f"#seg-{line} a.who")).to_contain_text(label)
    return label


def choose(page: Any, line: int, label: str) -> None:
    from playwright.sync_api import expect

    page.locator(f"#seg-{line} a.who").tap()
    page.locator(f"form button[name=label][value='{label}']").tap()
    page.wait_for_url("**/samtal*")
    expect(page.locator(f"#seg-{line} a.who")).to_contain_text(label)


class TestMyVoiceAndCorrection:
    def test_enrol_then_a_meeting_with_handlaggare_and_a_corrected_label(
        self, browser: Any, whisper_base: Any, recordings: tuple[Path, Path], tmp_path: Path
    ) -> None:
        """ "Min röst" from Start: the text, a live level, "Klart!"; the meeting's lines show
        `handläggare`; a tapped label corrected on screen and in the signed draft; the voice
        deleted after a confirmation."""
        from playwright.sync_api import expect

        reading, meeting = recordings
        home = tmp_path / "home"
        args = ("--input", str(meeting), "--voice-input", str(reading), "--speed", "2")
        with ui_running(home, whisper_base.path, *args) as ui:
            page = phone(browser, ui)
            expect(page.locator("#my-voice")).to_have_text("inte inläst")
            page.get_by_role("link", name="Min röst").tap()
            expect(page.locator("#voice-state")).to_contain_text("Ingen röst är inläst")
            expect(page.locator("#enrol-text")).to_have_text(enrolment.ENROL_TEXT)
            page.get_by_role("button", name="Spela in min röst").tap()
            expect(page.get_by_text("Spelar in – läs texten nu")).to_be_visible()
            expect(page.locator("#level")).not_to_have_attribute("aria-valuenow", "0")
            check_screen(page, "voice", tmp_path)
            expect(page.locator("#voice-result")).to_contain_text(
                "Klart! Din röst är inläst", timeout=60_000
            )
            expect(page.locator("#voice-state")).to_contain_text("Din röst är inläst")
            check_screen(page, "voice-enrolled", tmp_path)
            again = page.get_by_role("button", name="Spela in på nytt")
            forget = page.get_by_role("link", name="Ta bort min röst")
            check_layouts(page, "voice", [again, forget])
            assert enrolment.load(Store(home)) is not None
            page.get_by_role("link", name="Till startsidan").tap()
            expect(page.locator("#my-voice")).to_contain_text("inläst 20")

            new_meeting(page, "BoU-2026-0101")
            page.get_by_role("button", name="Samtycke givet").tap()
            page.wait_for_url("**/samtal")
            expect(page.locator("#segments li")).to_have_count(4, timeout=120_000)
            expect(page.locator("#seg-0 a.who")).to_contain_text("handläggare")
            label = correct_line(page, 1, tmp_path)
            check_screen(page, "meeting-speakers", tmp_path)
            page.get_by_role("link", name="Avsluta samtalet").tap()
            page.get_by_role("button", name="Ja, avsluta").tap()
            expect(page.get_by_role("heading", name="Utkastet", exact=True)).to_be_visible(
                timeout=180_000
            )
            page.get_by_role("button", name="Signera, skicka senare").tap()
            expect(page.locator("#signed")).to_be_visible()
            draft = signed_draft(home)
            first, second = draft.transcript.segments[:2]
            assert first.speaker is not None and first.speaker.label == "handläggare"
            assert second.speaker is not None and second.speaker.label == label
            assert second.speaker.confidence == 1.0 and not second.speaker.uncertain
            # Only the caseworker's enrolment holds numbers like an embedding; the correction
            # is a label in the journal, nobody's voice.
            stored = plaintexts(home)
            assert {w for w, text in stored.items() if NUMBER_RUN.search(text)} == {
                f"blob {enrolment.BLOB}"
            }

            page.get_by_role("button", name="Till startsidan").tap()
            page.get_by_role("link", name="Min röst").tap()
            page.get_by_role("link", name="Ta bort min röst").tap()
            expect(page.get_by_role("heading", name="Ta bort min röst")).to_be_visible()
            check_screen(page, "voice-forget", tmp_path)
            page.get_by_role("button", name="Ja, ta bort").tap()
            expect(page.get_by_text("Din röst är borttagen från enheten.")).to_be_visible()
            expect(page.locator("#voice-state")).to_contain_text("Ingen röst är inläst")
            assert enrolment.load(Store(home)) is None
            page.get_by_role("button", name="In English").tap()
            expect(page.get_by_role("heading", name="My voice")).to_be_visible()
            check_screen(page, "voice-en", tmp_path)
            page.context.close()


class TestCorrectionSurvivesACrash:
    def test_kill9_after_a_correction_then_finish(
        self, browser: Any, whisper_base: Any, recordings: tuple[Path, Path], tmp_path: Path
    ) -> None:
        """A line corrected to `handläggare`, then kill -9: the finished interrupted meeting's
        signed draft has the corrected label."""
        from playwright.sync_api import expect

        _, meeting = recordings
        home = tmp_path / "home"
        args = ("--input", str(meeting), "--speed", "2")
        ui = start_ui(home, whisper_base.path, *args)
        try:
            page = phone(browser, ui)
            new_meeting(page, "BoU-2026-0102")
            page.get_by_role("button", name="Samtycke givet").tap()
            page.wait_for_url("**/samtal")
            expect(page.locator("#segments li")).to_have_count(2, timeout=120_000)
            choose(page, 1, "handläggare")
            ui.kill9()
            page.context.close()
        finally:
            ui.stop()
        with ui_running(home, whisper_base.path, *args) as again:
            page = phone(browser, again)
            offered = page.locator(".card", has_text="BoU-2026-0102")
            offered.get_by_role("button", name="Avsluta och signera").tap()
            expect(page.locator("#signed")).to_be_visible(timeout=60_000)
            page.context.close()
        speaker = signed_draft(home).transcript.segments[1].speaker
        assert speaker is not None and speaker.label == "handläggare"
        assert speaker.role == "caseworker" and speaker.confidence == 1.0
