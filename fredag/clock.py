"""One clock for people: times are stored in UTC and shown in Swedish time.

Everything a person reads (the web pages, exports and PDF, the CLI's `fredag status` and
`fredag sessions`, the audit log's details) goes through `local_text()`, so a time never
shows as UTC beside a local one. `zone=True` adds the zone's abbreviation (CET or CEST)
where a reader could doubt which clock it is (terminal output, logs).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Stockholm")
DATE_TIME = "%Y-%m-%d %H:%M"


def to_local(when: datetime) -> datetime:
    """`when` in Swedish time; a naive datetime is taken to be UTC (how it is stored)."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return aware.astimezone(LOCAL_TZ)


def local_text(when: datetime | None, fmt: str = DATE_TIME, *, zone: bool = False) -> str:
    """`when` formatted in Swedish time ("" for None), with " CET"/" CEST" when `zone`."""
    if when is None:
        return ""
    local = to_local(when)
    text = local.strftime(fmt)
    return f"{text} {local.strftime('%Z')}" if zone else text


def parse_instant(value: str) -> datetime | None:
    """An ISO 8601 date-time with a zone or offset (as stored in logs), else None."""
    if len(value) < 19 or value[4:5] != "-" or value[10:11] not in ("T", " "):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
