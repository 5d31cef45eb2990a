"""Read-side helpers for the draft page: the parsed draft, catalogue names, factor states.

Nothing here writes. The parsed draft and catalogue lookups are cached by content hash /
version (both immutable once stored), so several workers stay consistent without sharing.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from fredag.protocol import Draft as DraftDoc
from fredag.protocol import Evidence
from server.models import CatalogueVersion, Draft, DraftVersion
from server.web.content import dump, original_journal
from server.web.models import DraftAssessment, TagDecision

_LOCK = threading.Lock()
_DRAFTS: OrderedDict[str, DraftDoc] = OrderedDict()
_CATALOGUES: OrderedDict[str, CatalogueInfo | None] = OrderedDict()
_CACHE_SIZE = 256


def _remember(cache: OrderedDict[str, Any], key: str, value: Any) -> None:
    with _LOCK:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)


def draft_doc(row: Draft) -> DraftDoc:
    """The signed draft, parsed (cached by the payload's sha256)."""
    cached = _DRAFTS.get(row.payload_sha256)
    if cached is not None:
        return cached
    doc = DraftDoc.model_validate_json(row.payload)
    _remember(_DRAFTS, row.payload_sha256, doc)
    return doc


@dataclass(frozen=True)
class FactorInfo:
    slug: str
    kind: str
    name_sv: str
    name_en: str
    description: str
    sources: tuple[str, ...]
    areas: tuple[tuple[str, str], ...] = ()
    """(case type, life-area slug) pairs from the catalogue's `area`."""

    def area_for(self, case_type: str) -> str | None:
        return next((slug for t, slug in self.areas if t == case_type), None)


@dataclass(frozen=True)
class AreaInfo:
    slug: str
    case_type: str
    name_sv: str
    name_en: str


@dataclass(frozen=True)
class CatalogueInfo:
    version: str
    factors: dict[str, FactorInfo]
    areas: tuple[AreaInfo, ...] = ()

    def areas_for(self, case_type: str) -> list[AreaInfo]:
        """The life areas of a `case_type` case, in catalogue order."""
        return [a for a in self.areas if a.case_type == case_type]

    def sorted_factors(self) -> list[FactorInfo]:
        return sorted(self.factors.values(), key=lambda f: (f.kind != "risk", f.name_sv))


_OPTIONS: OrderedDict[str, Markup] = OrderedDict()
_KIND_SV = {"risk": "risk", "protective": "skydd"}
_KIND_EN = {"risk": "risk", "protective": "protective"}


def factor_options(catalogue: CatalogueInfo, lang: str) -> Markup:
    """The <option>s of the catalogue's factors for the add-factor form (cached per version)."""
    key = f"{lang}:{catalogue.version}"
    cached = _OPTIONS.get(key)
    if cached is not None:
        return cached
    kinds = _KIND_EN if lang == "en" else _KIND_SV
    html = Markup("").join(
        Markup('<option value="{}">{} ({})</option>').format(
            f.slug, f.name_en if lang == "en" else f.name_sv, kinds.get(f.kind, f.kind)
        )
        for f in catalogue.sorted_factors()
    )
    _remember(_OPTIONS, key, html)
    return html


def parse_catalogue(version: str, body: dict[str, Any]) -> CatalogueInfo:
    sources = body.get("sources") or {}
    factors: dict[str, FactorInfo] = {}
    for raw in body.get("factors") or []:
        if not isinstance(raw, dict) or "slug" not in raw:
            continue
        name = raw.get("name") or {}
        codes = [str(c) for c in raw.get("sources") or []]
        factors[str(raw["slug"])] = FactorInfo(
            slug=str(raw["slug"]),
            kind=str(raw.get("kind", "risk")),
            name_sv=str(name.get("sv") or raw.get("name_sv") or raw["slug"]),
            name_en=str(name.get("en") or name.get("sv") or raw["slug"]),
            description=str(raw.get("description", "")),
            # The citation for people; the source code ("HD") is the admins' (catalogue page).
            sources=tuple(str(sources[c]) if c in sources else c for c in codes),
            areas=tuple(
                (str(t), str(slug))
                for t, slug in (raw.get("area") or {}).items()
                if isinstance(slug, str) and slug
            ),
        )
    areas = tuple(
        AreaInfo(
            slug=str(raw["slug"]),
            case_type=str(raw.get("case_type", "")),
            name_sv=str((raw.get("name") or {}).get("sv") or raw["slug"]),
            name_en=str((raw.get("name") or {}).get("en") or raw["slug"]),
        )
        for raw in body.get("areas") or []
        if isinstance(raw, dict) and "slug" in raw
    )
    return CatalogueInfo(version=version, factors=factors, areas=areas)


def catalogue_by_version(session: Session, version: str) -> CatalogueInfo | None:
    """A published catalogue's factors (None when that version is not stored here)."""
    if version in _CATALOGUES:
        return _CATALOGUES[version]
    row = session.scalars(
        select(CatalogueVersion).where(CatalogueVersion.version == version)
    ).first()
    info = parse_catalogue(row.version, json.loads(row.body)) if row is not None else None
    if info is not None:
        _remember(_CATALOGUES, version, info)
    return info


def current_catalogue(session: Session) -> CatalogueInfo | None:
    row = session.scalars(
        select(CatalogueVersion.version).order_by(CatalogueVersion.id.desc()).limit(1)
    ).first()
    return catalogue_by_version(session, row) if row is not None else None


@dataclass
class EvidenceView:
    anchor: str  # unique element id of the quote's first mark in the transcript
    evidence: Evidence
    added: bool = False


@dataclass
class FactorView:
    slug: str
    kind: str
    group: str  # "risk" | "protective" | "denied"
    name: str
    description: str
    sources: tuple[str, ...]
    status: str = "unreviewed"  # unreviewed | accepted | rejected | added
    evidence: list[EvidenceView] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return self.status == "rejected"

    @property
    def key(self) -> str:
        return f"{self.group}-{self.slug}"

    def add(self, evidence: Evidence, *, added: bool = False) -> None:
        anchor = f"ev-{self.key}-{len(self.evidence)}"
        self.evidence.append(EvidenceView(anchor, evidence, added))


@dataclass(frozen=True)
class FactorGroups:
    risk: list[FactorView]
    protective: list[FactorView]
    denied: list[FactorView]

    def all(self) -> list[FactorView]:
        return self.risk + self.protective + self.denied


def decisions_of(session: Session, draft_id: object) -> list[TagDecision]:
    return list(
        session.scalars(
            select(TagDecision).where(TagDecision.draft_id == draft_id).order_by(TagDecision.id)
        )
    )


def factor_groups(
    doc: DraftDoc,
    decisions: list[TagDecision],
    catalogue: CatalogueInfo | None,
    lang: str = "sv",
) -> FactorGroups:
    """The draft's factors with the caseworker's decisions applied, grouped for display."""
    views: dict[tuple[str, str], FactorView] = {}

    def view_for(slug: str, kind: str, group: str, fallback_name: str) -> FactorView:
        key = (group, slug)
        if key not in views:
            info = catalogue.factors.get(slug) if catalogue else None
            name = fallback_name
            if info is not None:
                name = info.name_en if lang == "en" else info.name_sv
            views[key] = FactorView(
                slug=slug,
                kind=kind,
                group=group,
                name=name,
                description=info.description if info else "",
                sources=info.sources if info else (),
            )
        return views[key]

    for group, findings in (("found", doc.factors), ("denied", doc.denied)):
        for finding in findings:
            g = finding.kind if group == "found" else "denied"
            view = view_for(finding.factor, finding.kind, g, finding.name_sv)
            for ev in finding.evidence:
                view.add(ev)
    for decision in decisions:
        if decision.decision == "added":
            ev = Evidence.model_validate_json(decision.evidence)
            view = view_for(decision.factor, decision.kind, decision.kind, decision.factor)
            view.add(ev, added=True)
            view.status = "added"
        else:
            # `kind` of an accept/reject is the group the tag was shown in (denied included).
            target = views.get((decision.kind, decision.factor))
            if target is not None:
                target.status = "accepted" if decision.decision == "accepted" else "rejected"
    ordered = list(views.values())
    return FactorGroups(
        risk=[v for v in ordered if v.group == "risk"],
        protective=[v for v in ordered if v.group == "protective"],
        denied=[v for v in ordered if v.group == "denied"],
    )


@dataclass(frozen=True)
class TextVersion:
    number: int
    body: str
    author: str
    at: datetime | None
    note: str


def text_versions(session: Session, row: Draft, doc: DraftDoc) -> list[TextVersion]:
    """Version 0 (the device's journal) and every saved edit, oldest first. A body is the
    stored content (`server.web.content`)."""
    out = [TextVersion(0, dump(original_journal(doc)), "", None, "original")]
    versions = session.scalars(
        select(DraftVersion).where(DraftVersion.draft_id == row.id).order_by(DraftVersion.number)
    )
    out += [
        TextVersion(
            v.number, v.body, str(v.author_id), v.created_at, _OLD_NOTES.get(v.note, v.note)
        )
        for v in versions
    ]
    return out


# What a line change is called in the version's note (versions page, audit log): Swedish, as
# every note ("rad: hämtad", "talare: person 1 → mamma").
LINE_NOTES = {"edit": "rad: ändrad", "drop": "rad: borttagen", "move": "rad: flyttad"}
# Notes stored before line changes were named in Swedish (the operation's code), as they read now.
_OLD_NOTES = {f"rad: {op}": note for op, note in LINE_NOTES.items()}


def latest_text(session: Session, row: Draft, doc: DraftDoc) -> tuple[int, str]:
    latest = session.scalars(
        select(DraftVersion)
        .where(DraftVersion.draft_id == row.id)
        .order_by(DraftVersion.number.desc())
        .limit(1)
    ).first()
    if latest is not None:
        return latest.number, latest.body
    return 0, dump(original_journal(doc))


def latest_assessment(session: Session, draft_id: object) -> DraftAssessment | None:
    return session.scalars(
        select(DraftAssessment)
        .where(DraftAssessment.draft_id == draft_id)
        .order_by(DraftAssessment.number.desc())
        .limit(1)
    ).first()
