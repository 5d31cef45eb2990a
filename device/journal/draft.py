"""Building the draft journal entry (`fredag.protocol.Draft`) in Swedish, after SOSFS 2014:5.

A journalanteckning states when, who, which case, the kind of contact and who was present;
"Vad som framkom" is what was said, from the transcript, with times; then the risk and
protective factors the tagger found, each with its quotes, times and the catalogue version,
and the factors that were asked about and denied. "Bedömning" and "Planering" are present and
empty: only the caseworker writes them, on the server.

Every piece of text the tool writes itself is checked by the guard (`device.journal.guard`); a draft
whose tool-authored text proposes an intervention or an assessment is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from device.journal.guard import Checker, check_tool_text
from device.journal.session import SessionMeta
from device.stages.tagging import FoundTag, Tagging
from fredag.protocol import (
    CatalogueRef,
    Draft,
    Evidence,
    FactorFinding,
    Meeting,
    ModelInfo,
    Segment,
    Transcript,
)
from risk_factors.tagger import UNCERTAIN_CONFIDENCE

LOCAL_TZ = ZoneInfo("Europe/Stockholm")
UNSURE_NOTE = " (osäkert uppfattat)"
"""Shown after a quote the tagger could only read unsurely (an unclear "Nej", say)."""
EMPTY_FOR_CASEWORKER = "(tomt – fylls i av handläggaren)"
MARKED = "Markerat av handläggaren"
CASE_TYPE_SV = {"barn": "barn och unga", "vuxen": "vuxen"}


def clock(seconds: float) -> str:
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def findings(tags: Sequence[FoundTag], catalogue_version: str, model: str) -> list[FactorFinding]:
    """Group tags by factor, in order of first mention, each tag becoming one evidence."""
    grouped: dict[str, list[FoundTag]] = {}
    for tag in sorted(tags, key=lambda t: (t.start, t.segment, t.char_start)):
        grouped.setdefault(tag.factor, []).append(tag)
    return [
        FactorFinding(
            factor=slug,
            kind=group[0].kind,
            name_sv=group[0].name_sv,
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


def _local(when: datetime) -> datetime:
    return when.astimezone(LOCAL_TZ)


def render(
    meeting: Meeting,
    transcript: Transcript,
    catalogue: CatalogueRef,
    factors: Sequence[FactorFinding],
    denied: Sequence[FactorFinding],
    verbatim: Callable[[str], str] = lambda s: s,
    marks: Sequence[float] = (),
) -> str:
    """The draft as the caseworker reads it. `verbatim` wraps every text people wrote or said
    (the caseworker's meeting details, the transcript, the quotes): what the tool did not."""
    start, end = _local(meeting.started_at), _local(meeting.ended_at)
    lines = [
        "JOURNALANTECKNING – UTKAST (ej godkänd)",
        "",
        f"Datum: {start:%Y-%m-%d}, kl. {start:%H:%M}–{end:%H:%M}",
        f"Handläggare: {verbatim(meeting.caseworker)}",
        f"Ärende: {verbatim(meeting.case_ref)} ({CASE_TYPE_SV[meeting.case_type]})",
        f"Kontakttyp: {verbatim(meeting.contact_type)}",
        f"Närvarande: {verbatim(', '.join(meeting.present)) if meeting.present else 'ej angivet'}",
        "Samtycke till inspelning: bekräftat av handläggaren",
        "",
        "Vad som framkom",
    ]
    said = [(s.start, 1, f"[{clock(s.start)}] {verbatim(s.text)}") for s in transcript.segments]
    marked = [(at, 0, f"{MARKED} [{clock(at)}]") for at in marks]
    lines += [line for _at, _order, line in sorted(said + marked)]
    if not transcript.segments:
        lines.append("Inget tal uppfattades.")
    lines += ["", f"Faktorer som nämndes (faktorkatalog {catalogue.version})"]
    for kind, title in (("risk", "Riskfaktorer"), ("protective", "Skyddsfaktorer")):
        lines.append(f"{title}:")
        chosen = [f for f in factors if f.kind == kind]
        lines += _factor_lines(chosen, verbatim) or ["  – inga noterade"]
    lines.append("Efterfrågat och förnekat:")
    lines += _factor_lines(denied, verbatim) or ["  – inget noterat"]
    lines += [
        "",
        "Bedömning",
        EMPTY_FOR_CASEWORKER,
        "",
        "Planering",
        EMPTY_FOR_CASEWORKER,
        "",
        f"Transkriberat på enheten med {transcript.model.name}; citaten är ordagranna ur "
        "transkriptionen och kan innehålla hörfel.",
    ]
    return "\n".join(lines) + "\n"


def _factor_lines(group: Sequence[FactorFinding], verbatim: Callable[[str], str]) -> list[str]:
    out: list[str] = []
    for finding in group:
        out.append(f"  – {finding.name_sv} ({finding.factor})")
        out += [
            f'      "{verbatim(e.quote)}" [{clock(e.start)}–{clock(e.end)}]'
            + (UNSURE_NOTE if e.confidence <= UNCERTAIN_CONFIDENCE else "")
            for e in finding.evidence
        ]
    return out


def tool_authored_text(
    meeting: Meeting,
    transcript: Transcript,
    catalogue: CatalogueRef,
    factors: Sequence[FactorFinding],
    denied: Sequence[FactorFinding],
    marks: Sequence[float] = (),
) -> list[str]:
    """Every line of the draft the tool wrote: the rendering with what people wrote or said
    blanked out."""
    text = render(
        meeting, transcript, catalogue, factors, denied, verbatim=lambda _s: "…", marks=marks
    )
    return [line for line in text.splitlines() if line.strip()]


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
    marks: Sequence[float] = (),
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
    factors = findings(tagging.tags, tagging.catalogue_version, model.name)
    denied = findings(tagging.denied, tagging.catalogue_version, model.name)
    check_tool_text(
        tool_authored_text(meeting, transcript, catalogue, factors, denied, marks),
        checker=checker,
    )
    return Draft(
        draft_id=draft_id or uuid.uuid4(),
        device_key_id=device_key_id,
        created_at=created_at or datetime.now(UTC),
        meeting=meeting,
        transcript=transcript,
        catalogue=catalogue,
        factors=factors,
        denied=denied,
        rendered=render(meeting, transcript, catalogue, factors, denied, marks=marks),
    )


def draft_view(draft: Draft) -> dict[str, Any]:
    """The JSON that `fredag draft --json` prints: the draft plus a top-level catalogue_version."""
    data = draft.model_dump(mode="json", by_alias=True)
    data["catalogue_version"] = draft.catalogue.version
    return data
