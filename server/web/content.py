"""A text version's stored content: the entry's structured journal as JSON (no headings in it).

`{"format": "fredag.entry/2", "journal": …, "names": {…}}` holds a `fredag.protocol.Journal`
whose quotes carry the device's speaker labels, and the caseworker's names for those labels
(`{"person 1": "mamma"}`), kept with each version so an earlier version shows the names it
showed (`server.web.speakers` applies them for every view). A `fredag.entry/1` body (saved
before names were stored) has no names: a renamed speaker's new name is written in its quotes.
Version 0 is the signed draft's journal (an old fredag.draft/1 draft: its whole transcript as
lines outside any area). Bodies saved before entries were structured are plain text and load
as such.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from pydantic import ValidationError

from fredag.journal import whole_transcript
from fredag.protocol import Draft as DraftDoc
from fredag.protocol import Journal

ENTRY_FORMAT: Final = "fredag.entry/2"
ENTRY_FORMAT_UNNAMED: Final = "fredag.entry/1"
"""Bodies before the names were stored: a rename was written into the quotes themselves."""
MARKS_KEY: Final = "_marks"
NO_AREA_KEY: Final = "_none"


@dataclass(frozen=True)
class Content:
    """One text version's content: the structured journal, or an old version's plain text."""

    journal: Journal | None
    legacy_text: str = ""
    names: Mapping[str, str] | None = None
    """The caseworker's names for the device's speaker labels, as stored with the version;
    None for a version saved before they were stored (fredag.entry/1, plain text)."""


def original_journal(doc: DraftDoc) -> Journal:
    """The signed draft's journal; an old draft's whole transcript when it has none."""
    return doc.journal if doc.journal is not None else whole_transcript(doc.transcript.segments)


def dump(journal: Journal, names: Mapping[str, str] | None = None) -> str:
    """A version body: canonical JSON of the journal (its quotes with the device's labels)
    and the caseworker's names for them, with the format."""
    data = {
        "format": ENTRY_FORMAT,
        "journal": journal.model_dump(mode="json"),
        "names": dict(names or {}),
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def load(body: str) -> Content:
    """A stored version body: structured content, or plain text from before structure."""
    if body.startswith("{"):
        try:
            data = json.loads(body)
            if isinstance(data, dict) and data.get("format") == ENTRY_FORMAT:
                names = data["names"]
                if not isinstance(names, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in names.items()
                ):
                    raise ValueError("names")
                return Content(Journal.model_validate(data["journal"]), names=names)
            if isinstance(data, dict) and data.get("format") == ENTRY_FORMAT_UNNAMED:
                return Content(Journal.model_validate(data["journal"]))
        except (ValueError, KeyError, ValidationError):
            pass
    return Content(None, body)


def block_key(area: str | None) -> str:
    return area if area is not None else NO_AREA_KEY
