"""The handheld's meeting screen in Chromium when a speaker correction revises the factors: the
real meeting page and ui.js, fed the live feed's changes as `LiveMeeting` makes them from the
controller's events (no model, no `fredag ui`: the page is served from the templates)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from device.stages.tagging import FoundTag
from device.views.events import FactorsNoted, FactorsRevised, SegmentsCommitted
from device.views.touch.live import LiveMeeting, mmss
from device.views.touch.texts import text
from fredag.protocol import Segment, Speaker

pytestmark = pytest.mark.browser

TOUCH = Path(__file__).resolve().parents[2] / "device" / "views" / "touch"
ORIGIN = "http://fredag.test"
# The page's live feed: ui.js opens an EventSource; here the test hands it each change.
FEED_STUB = """
window.EventSource = function (url) { window.feed = this; this.url = url; };
window.EventSource.prototype.close = function () {};
"""


def tag(factor: str, name: str, quote: str, segment: int) -> FoundTag:
    return FoundTag(
        factor=factor,
        kind="risk",
        name_sv=name,
        quote=quote,
        segment=segment,
        char_start=0,
        char_end=len(quote),
        start=3.0 * segment,
        end=3.0 * segment + 2.5,
        confidence=0.9,
    )


SLEEP = tag("youth_mental_ill_health", "Psykisk ohälsa hos barnet", "sover dåligt", 0)
DRINK = tag("parental_substance_abuse", "Förälders missbruk eller beroende", "Pappa dricker", 1)


def meeting_page(live: LiveMeeting) -> str:
    env = Environment(loader=FileSystemLoader(TOUCH / "templates"), autoescape=True)
    env.globals["mmss"] = mmss
    seq, screen = live.snapshot()
    return env.get_template("meeting.html").render(
        lang="sv",
        t=lambda key: text("sv", key),
        csrf="x",
        here="/samtal",
        seq=seq,
        s=screen,
        case_ref="BoU-2026-0042",
    )


def serve(page: Any, html: str) -> None:
    def handle(route: Any) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path.startswith("/static/"):
            body = (TOUCH / "static" / path.removeprefix("/static/")).read_bytes()
            kind = "text/css" if path.endswith(".css") else "text/javascript"
            route.fulfill(body=body, content_type=kind)
        elif path == "/samtal":
            route.fulfill(body=html, content_type="text/html; charset=utf-8")
        else:
            route.fulfill(status=404, body="")

    page.route(f"{ORIGIN}/**", handle)


def chips_shown(page: Any) -> list[str]:
    return [q.strip() for q in page.locator("#chips a.chip q").all_inner_texts()]


class TestRevisedChips:
    def test_a_withdrawn_chip_disappears_and_a_found_one_appears(self, browser: Any) -> None:
        """A correction to handläggare withdraws "Pappa dricker" from the chips (the other
        stays); corrected back, it returns; when none are left, "no factors" shows again."""
        live = LiveMeeting()
        speaker = Speaker(role="other", label="person 1", confidence=0.9)
        lines = (
            Segment(start=0.0, end=2.5, text="Jag sover dåligt.", speaker=speaker),
            Segment(start=3.0, end=5.5, text="Pappa dricker mycket.", speaker=speaker),
        )
        live.on_event(SegmentsCommitted(lines))
        live.on_event(FactorsNoted((SLEEP, DRINK)))
        seq, _screen = live.snapshot()
        context = browser.new_context(viewport={"width": 360, "height": 640}, has_touch=True)
        try:
            page = context.new_page()
            page.add_init_script(FEED_STUB)
            serve(page, meeting_page(live))
            page.goto(f"{ORIGIN}/samtal")
            page.wait_for_function("window.feed !== undefined")
            assert chips_shown(page) == ["sover dåligt", "Pappa dricker"]

            def deliver(event: Any) -> None:
                nonlocal seq
                live.on_event(event)
                changes = live.wait_changes(seq, 0)
                assert changes is not None
                seq, news = changes
                for data in news:
                    page.evaluate("d => window.feed.onmessage({data: d})", data)

            deliver(FactorsRevised(1, 2, (), (), (DRINK,)))
            assert chips_shown(page) == ["sover dåligt"]
            deliver(FactorsRevised(1, 2, (DRINK,), (DRINK,), ()))
            assert chips_shown(page) == ["sover dåligt", "Pappa dricker"]
            assert page.locator("#chips a.chip").nth(1).get_attribute("href") == "#seg-1"
            assert page.locator("#no-factors").is_hidden()
            deliver(FactorsRevised(0, 2, (), (), (SLEEP, DRINK)))
            assert chips_shown(page) == []
            assert page.locator("#no-factors").is_visible()
            # A page loaded now shows the same as the one the feed updated.
            assert live.snapshot()[1].chips == []
        finally:
            context.close()
