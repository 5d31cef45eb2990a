"""Building the draft journal entry (`fredag.protocol.Draft`, schema fredag.draft/2).

The entry's structure, headings and wording live in `fredag.journal` (shared with the server).
Here the device fills it in: the meeting details, "Vad som framkom" as life areas holding the
sentences that carry each factor's evidence (verbatim, with the question they answer), the
denials as their own lines (what was told as past and over as plain lines), the caseworker's
marks, and Bedömning and Planering left empty for the caseworker. The factors noted travel as
structured tags with their evidence (`factors`, `denied`) and the whole transcript as the
attachment (`transcript`); neither is journal text.

Every piece of text the tool writes itself is checked by the guard (`device.journal.guard`); a draft
whose tool-authored text proposes an intervention or an assessment is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from device.journal.guard import Checker, check_tool_text
from device.journal.session import SessionMeta
from device.stages.tagging import FoundTag, Tagging, told_over
from fredag.journal import (
    Entry,
    Splitter,
    journal_from_findings,
    render_entry,
    tool_lines,
)
from fredag.protocol import (
    CatalogueRef,
    Draft,
    Evidence,
    FactorFinding,
    Mark,
    ModelInfo,
    Segment,
    Transcript,
)
from risk_factors.context import is_question
from risk_factors.tagger import UNCERTAIN_CONFIDENCE
from risk_factors.text import split_sentences


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in split_sentences(text)]


def _asks(sentence: str) -> bool:
    found = split_sentences(sentence)
    return bool(found) and is_question(found[-1])


SPLITTER = Splitter(sentences=_sentences, asks=_asks)
"""Sentences and questions as the tagger reads them (risk_factors.text and .context)."""


def findings(
    tags: Sequence[FoundTag],
    catalogue_version: str,
    model: str,
    areas: dict[str, str] | None = None,
) -> list[FactorFinding]:
    """Group tags by factor, in order of first mention, each tag becoming one evidence."""
    grouped: dict[str, list[FoundTag]] = {}
    for tag in sorted(tags, key=lambda t: (t.start, t.segment, t.char_start)):
        grouped.setdefault(tag.factor, []).append(tag)
    return [
        FactorFinding(
            factor=slug,
            kind=group[0].kind,
            name_sv=group[0].name_sv,
            area=(areas or {}).get(slug),
            evidence=[
                Evidence(
                    quote=t.quote,
                    segment=t.segment,
                    char_start=t.char_start,
                    char_end=t.char_end,
                    start=t.start,
                    end=t.end,
                    confidence=t.confidence,
                    catalogue_version=catalogue_version,
                    model=model,
                )
                for t in group
            ],
        )
        for slug, group in grouped.items()
    ]


def build_draft(
    *,
    meta: SessionMeta,
    ended_at: datetime,
    segments: Sequence[Segment],
    duration_s: float,
    language: str,
    model: ModelInfo,
    tagging: Tagging,
    device_key_id: str,
    marks: Sequence[Mark] = (),
    checker: Checker | None = None,
    draft_id: uuid.UUID | None = None,
    created_at: datetime | None = None,
) -> Draft:
    """The draft of one meeting; refused by the guard if tool text proposes or assesses."""
    meeting = meta.meeting(ended_at)
    transcript = Transcript(
        language=language, duration_s=round(duration_s, 3), model=model, segments=list(segments)
    )
    catalogue = CatalogueRef(version=tagging.catalogue_version, sha256=tagging.catalogue_sha256)
    area_slugs = {slug: area.slug for slug, area in tagging.areas.items()}
    factors = findings(tagging.tags, tagging.catalogue_version, model.name, area_slugs)
    # Told as past and over without being asked ("han har slutat"): neither a tag nor a
    # denial, but quoted in "Vad som framkom" as what was said about the area.
    over = [t for t in tagging.denied if told_over(t)]
    denied = findings(
        [t for t in tagging.denied if not told_over(t)],
        tagging.catalogue_version,
        model.name,
        area_slugs,
    )
    areas = {area.slug: area for area in tagging.areas.values()}
    journal = journal_from_findings(
        transcript.segments,
        factors,
        denied,
        areas,
        over=findings(over, tagging.catalogue_version, model.name, area_slugs),
        marks=marks,
        splitter=SPLITTER,
        unsure_at=UNCERTAIN_CONFIDENCE,
    )
    entry = Entry(
        meeting=meeting,
        journal=journal,
        model_name=model.name,
        has_speech=bool(transcript.segments),
    )
    check_tool_text(tool_lines(entry), checker=checker)
    return Draft(
        draft_id=draft_id or uuid.uuid4(),
        device_key_id=device_key_id,
        created_at=created_at or datetime.now(UTC),
        meeting=meeting,
        transcript=transcript,
        catalogue=catalogue,
        factors=factors,
        denied=denied,
        marks=list(marks),
        journal=journal,
        rendered=render_entry(entry),
    )


def draft_view(draft: Draft) -> dict[str, Any]:
    """The JSON that `fredag draft --json` prints: the draft plus a top-level catalogue_version."""
    data = draft.model_dump(mode="json", by_alias=True)
    data["catalogue_version"] = draft.catalogue.version
    return data
