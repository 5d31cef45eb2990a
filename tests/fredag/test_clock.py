"""One clock: stored UTC, shown in Swedish time everywhere a person reads a time, whatever
the machine's own zone (issue 17); and the sync lines `make run` prints are Swedish."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from device.sync.cli import summary, sync_line
from device.sync.client import SyncReport
from fredag.clock import local_text, parse_instant
from server.web.routes_admin import _detail

WINTER = datetime(2026, 11, 29, 10, 48, 51, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 10, 48, 51, tzinfo=UTC)


@pytest.fixture
def utc_machine() -> Iterator[None]:
    """The process runs with TZ=UTC, like the servers and containers the issue saw."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


class TestLocalText:
    def test_utc_is_shown_in_swedish_time_with_the_zone_when_asked(self, utc_machine: None) -> None:
        """10:48 UTC reads 11:48 in winter and 12:48 in summer; the zone is named on request."""
        assert local_text(WINTER) == "2026-11-29 11:48"
        assert local_text(SUMMER, "%H:%M:%S", zone=True) == "12:48:51 CEST"
        assert local_text(WINTER.replace(tzinfo=None), "%H:%M") == "11:48"  # stored naive UTC
        assert local_text(None) == ""

    def test_status_times_are_swedish_on_a_utc_machine(self, utc_machine: None) -> None:
        """`fredag status` shows Swedish time with its zone, not the machine's UTC."""
        from device.sync.status import _when

        assert _when(WINTER) == "2026-11-29 11:48:51 CET"
        assert _when(None) == "aldrig"

    def test_audit_details_show_times_in_swedish_time(self) -> None:
        """An ISO time with +00:00 in an audit row's details is shown in Swedish time."""
        shown = _detail('{"caseworker": "anna", "expires_at": "2026-11-29T10:48:51+00:00"}')
        assert shown == "handläggare: anna, giltig till: 2026-11-29 11:48:51"
        assert parse_instant("2026-11-29") is None and parse_instant("BoU-2026-0042") is None


class TestSyncLines:
    def test_one_new_draft_reads_as_swedish_and_not_as_an_error(self) -> None:
        """After a meeting: 'Synk: Skickade 1 nytt utkast…', never 'fredag: … 1 nya'."""
        line = sync_line(SyncReport(uploaded=["a"], pending=0))
        assert line == "Synk: Skickade 1 nytt utkast till servern. Kvar i kö: 0."
        two = summary(SyncReport(uploaded=["a", "b"], duplicates=["c"]))
        assert two[0] == "Skickade 2 nya utkast till servern (1 utkast som servern redan hade)"
