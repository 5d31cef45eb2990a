"""A text version's stored content: the entry's structured journal as JSON (no headings in it).

`{"format": "fredag.entry/1", "journal": …}` holds a `fredag.protocol.Journal`. Version 0 is
the signed draft's journal (an old fredag.draft/1 draft: its whole transcript as lines outside
any area). Bodies saved before entries were structured are plain text and load as such.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from pydantic import ValidationError

from fredag.journal import whole_transcript
from fredag.protocol import Draft as DraftDoc
from fredag.protocol import Journal

ENTRY_FORMAT: Final = "fredag.entry/1"
MARKS_KEY: Final = "_marks"
NO_AREA_KEY: Final = "_none"


@dataclass(frozen=True)
class Content:
    """One text version's content: the structured journal, or an old version's plain text."""

    journal: Journal | None
    legacy_text: str = ""


def original_journal(doc: DraftDoc) -> Journal:
    """The signed draft's journal; an old draft's whole transcript when it has none."""
    return doc.journal if doc.journal is not None else whole_transcript(doc.transcript.segments)


def dump(journal: Journal) -> str:
    """A version body: canonical JSON of the journal with its format."""
    data = {"format": ENTRY_FORMAT, "journal": journal.model_dump(mode="json")}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def load(body: str) -> Content:
    """A stored version body: structured content, or plain text from before structure."""
    if body.startswith("{"):
        try:
            data = json.loads(body)
            if isinstance(data, dict) and data.get("format") == ENTRY_FORMAT:
                return Content(Journal.model_validate(data["journal"]))
        except (ValueError, KeyError, ValidationError):
            pass
    return Content(None, body)


def block_key(area: str | None) -> str:
    return area if area is not None else NO_AREA_KEY
