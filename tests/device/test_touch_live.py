"""The touch screen's view of a meeting (`device.views.touch.live.LiveMeeting`): what a page
load shows and what the live feed tells an open page."""

from __future__ import annotations

import json

from device.views.events import Notice, StateChanged, WarningRaised
from device.views.touch.live import LiveMeeting


def feed(live: LiveMeeting) -> list[dict[str, object]]:
    got = live.wait_changes(0, 0)
    assert got is not None
    return [json.loads(data) for data in got[1]]


class TestBannersAfterUnlock:
    def test_unlock_notice_replaces_the_lock_notice(self) -> None:
        """After an unlock the page shows "Upplåst", no longer "Enheten är låst" above it."""
        live = LiveMeeting()
        live.on_event(WarningRaised("Ingen ljudnivå"))
        live.on_event(StateChanged("locked", 3.0))
        live.on_event(Notice("Enheten är låst: inspelningen fortsätter"))
        live.on_event(StateChanged("recording", 9.0))
        live.on_event(Notice("Upplåst: 2 segment från den låsta tiden är inlästa."))
        _, screen = live.snapshot()
        texts = [text for _id, _kind, text in screen.banners]
        assert texts == ["Ingen ljudnivå", "Upplåst: 2 segment från den låsta tiden är inlästa."]
        changes = feed(live)
        banners = [c for c in changes if c["op"] == "banner"]
        [locked] = [c for c in banners if str(c["text"]).startswith("Enheten")]
        assert {"op": "unbanner", "id": locked["id"]} in changes

    def test_warnings_stay(self) -> None:
        """Warnings and errors are not replaced by later ones: each stays on the screen."""
        live = LiveMeeting()
        live.on_event(WarningRaised("ett"))
        live.on_event(WarningRaised("två"))
        _, screen = live.snapshot()
        assert [text for _id, _kind, text in screen.banners] == ["ett", "två"]
        assert not [c for c in feed(live) if c["op"] == "unbanner"]
