"""The touch screen's view of a meeting (`device.views.touch.live.LiveMeeting`): what a page
load shows and what the live feed tells an open page."""

from __future__ import annotations

import json

from device.views.events import ErrorRaised, Notice, StateChanged, WarningRaised
from device.views.messages import Code
from device.views.touch.live import LiveMeeting


def feed(live: LiveMeeting) -> list[dict[str, object]]:
    got = live.wait_changes(0, 0)
    assert got is not None
    return [json.loads(data) for data in got[1]]


class TestBannersAfterUnlock:
    def test_unlock_notice_replaces_the_lock_notice(self) -> None:
        """After an unlock the page shows "Upplåst", no longer "Enheten är låst" above it."""
        live = LiveMeeting()
        live.on_event(WarningRaised(Code.INPUT_SILENT))
        live.on_event(StateChanged("locked", 3.0))
        live.on_event(Notice(Code.LOCKED))
        live.on_event(StateChanged("recording", 9.0))
        live.on_event(Notice(Code.UNLOCKED, {"count": 2}))
        _, screen = live.snapshot()
        assert [b.text("sv") for b in screen.banners] == [
            "Inget ljud från mikrofonen – kontrollera att den är på.",
            "Upplåst: 2 segment från den låsta tiden är inlästa.",
        ]
        changes = feed(live)
        banners = [c for c in changes if c["op"] == "banner"]
        [locked] = [c for c in banners if str(c["sv"]).startswith("Enheten är låst")]
        assert {"op": "unbanner", "id": locked["id"]} in changes

    def test_warnings_stay(self) -> None:
        """Warnings and errors are not replaced by later ones: each stays on the screen."""
        live = LiveMeeting()
        live.on_event(WarningRaised(Code.INPUT_SILENT))
        live.on_event(ErrorRaised(Code.DISK_FULL, "[Errno 28] No space left on device"))
        _, screen = live.snapshot()
        assert [b.kind for b in screen.banners] == ["warning", "error"]
        assert not [c for c in feed(live) if c["op"] == "unbanner"]


class TestBannersAreWorded:
    def test_an_error_is_swedish_first_english_by_the_switch(self) -> None:
        """An error's banner is the screen's own wording of its code, Swedish and English,
        with the technical reason apart: never the exception's text as the message."""
        live = LiveMeeting()
        detail = "transcription failed: std::bad_alloc"
        live.on_event(ErrorRaised(Code.TRANSCRIPTION_FAILED, detail))
        _, screen = live.snapshot()
        [banner] = screen.banners
        assert banner.text("sv").startswith("Transkriberingen slutade fungera")
        assert banner.text("en").startswith("The transcription stopped working")
        assert banner.detail == detail and detail not in banner.text("sv")
        [change] = [c for c in feed(live) if c["op"] == "banner"]
        assert (change["sv"], change["en"], change["detail"]) == (
            banner.sv,
            banner.en,
            detail,
        )

    def test_a_failure_keeps_the_screen_and_offers_the_way_on(self) -> None:
        """A meeting ended by a failure stays on the screen, stopped, offering to continue or
        finish; one that ended normally goes to the draft."""
        failed, done = LiveMeeting(), LiveMeeting()
        failed.ended("finish")
        done.ended()
        assert failed.snapshot()[1].stopped == "finish"
        assert failed.snapshot()[1].state == "stopped"
        assert {"op": "stopped", "how": "finish"} in feed(failed)
        assert feed(done) == [{"op": "goto", "url": "/efter"}]
