"""Signed drafts of a realistic Swedish meeting, tagged by the real tagger with a catalogue.

`meeting_draft(key, catalogue, segments=...)` builds what a device uploads: the transcript,
the factors and denials the real `risk_factors` tagger finds with that catalogue, their life
areas, and the journal and text built by the shared `fredag.journal`. `old=True` gives a
fredag.draft/1 draft as devices made before life areas (no journal, the whole transcript).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fredag.journal import (
    AreaName,
    Entry,
    journal_from_findings,
    render_entry,
    revised_segments,
    whole_transcript,
)
from fredag.protocol import (
    CatalogueRef,
    Draft,
    Evidence,
    FactorFinding,
    Meeting,
    ModelInfo,
    Segment,
    Speaker,
    key_id,
)
from risk_factors.catalogue import catalogue_sha256, validate_catalogue
from risk_factors.tagger import Tag, Tagger

MODEL = ModelInfo(name="kb-whisper-small-sv", sha256="b" * 64)

SEGMENTS = (
    "Vi träffas hemma hos familjen i dag och Elias är med en stund.",
    "Mamma berättar att pappa dricker mycket på helgerna och att det blir bråk hemma.",
    "Elias går i skolan varje dag och tycker om sin lärare.",
    # The child by name: a "han" here, after the father two sentences back, is read as
    # neither (the tagger says less where whose friend it is stays open).
    "Elias har en bra kompis som han spelar fotboll med två gånger i veckan.",
    "Mamma säger att hon inte har några skulder och att ekonomin går ihop.",
    "Vi bestämmer att vi ses igen om två veckor.",
)


def _finding(slug: str, tags: Sequence[Tag], version: str, area: str | None) -> FactorFinding:
    return FactorFinding(
        factor=slug,
        area=area,
        kind=tags[0].kind,  # type: ignore[arg-type]
        name_sv=tags[0].name_sv,
        evidence=[
            Evidence(
                quote=t.quote,
                segment=t.segment or 0,
                char_start=t.char_start or 0,
                char_end=t.char_end or len(t.quote),
                start=t.start_s or 0.0,
                end=t.end_s or 0.0,
                confidence=t.confidence,
                catalogue_version=version,
                model=MODEL.name,
            )
            for t in tags
        ],
    )


def _speaker(i: int, labels: Sequence[str] | None, revised: bool = False) -> Speaker | None:
    if not labels:
        return None
    label = labels[i % len(labels)]
    role = "caseworker" if label == "handläggare" else "other"
    return Speaker(role=role, label=label, confidence=0.9, revised=revised)


def meeting_draft(
    key: Ed25519PrivateKey,
    catalogue_body: dict[str, Any],
    *,
    segments: Sequence[str] = SEGMENTS,
    case_ref: str = "BoU-2026-0042",
    minutes_ago: int = 60,
    old: bool = False,
    speakers: Sequence[str] | None = None,
    revised: Collection[int] = (),
    present: Sequence[str] = ("Mamma", "Elias 12 år", "Handläggare"),
) -> Draft:
    """A draft of one meeting, tagged with `catalogue_body` by the real tagger; `speakers`:
    each segment's speaker label, as the device attributes them; `revised`: the segments
    whose label the device changed with hindsight."""
    catalogue = validate_catalogue(catalogue_body)
    segs = [
        Segment(
            start=float(i * 6),
            end=float(i * 6 + 5),
            text=text,
            speaker=_speaker(i, speakers, i in revised),
        )
        for i, text in enumerate(segments)
    ]
    result = Tagger.from_catalogue(catalogue).tag_segments(segs, "barn")
    order = {a.slug: i for i, a in enumerate(catalogue.areas)}
    areas = {
        f.slug: AreaName(a.slug, a.name.sv, a.name.en, order[a.slug])
        for f in catalogue.factors
        if (a := catalogue.area_of(f.slug, "barn")) is not None and not old
    }

    def area(slug: str) -> str | None:
        return areas[slug].slug if slug in areas else None

    factors = [_finding(s, t, catalogue.version, area(s)) for s, t in result.by_factor().items()]
    denied = [
        _finding(s, list(t), catalogue.version, area(s))
        for s, t in result.denied_by_factor().items()
    ]
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=minutes_ago)
    meeting = Meeting(
        case_ref=case_ref,
        case_type="barn",
        contact_type="Hembesök",
        present=list(present),
        caseworker="Anna Lind",
        consent_confirmed=True,
        started_at=started,
        ended_at=started + timedelta(minutes=45),
    )
    from fredag.protocol import Transcript

    transcript = Transcript(
        language="sv", duration_s=float(len(segs) * 6), model=MODEL, segments=segs
    )
    ref = CatalogueRef(version=catalogue.version, sha256=catalogue_sha256(catalogue))
    by_slug = {a.slug: a for a in areas.values()}
    journal = (
        whole_transcript(segs)
        if old
        else journal_from_findings(
            segs, factors, denied, by_slug, persons=result.persons
        )  # who each "han"/"hon" is, as the tagger read it
    )
    entry = Entry(
        meeting=meeting,
        journal=journal,
        model_name=MODEL.name,
        revised=revised_segments(segs),
    )
    return Draft(
        schema="fredag.draft/1" if old else "fredag.draft/2",
        journal=None if old else journal,
        draft_id=uuid.uuid4(),
        device_key_id=key_id(key.public_key()),
        created_at=started + timedelta(minutes=46),
        meeting=meeting,
        transcript=transcript,
        catalogue=ref,
        factors=factors,
        denied=denied,
        rendered=render_entry(entry),
    )
