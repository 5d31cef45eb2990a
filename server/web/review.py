"""The caseworker's changes to a draft, each audit-logged; none possible after approval.

Every function takes a draft the caller already checked is the user's own
(`server.drafts.own_draft`), records what changed (history is kept: new rows, never updates of
old ones) and adds an audit row. The caller commits. The database enforces the same rules
with triggers (migration web_0001), so a bypass of this module cannot change approved text.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fredag.protocol import Draft as DraftDoc
from fredag.protocol import Evidence
from server import audit
from server.models import Draft, DraftVersion, User, utcnow
from server.web import lines, speakers
from server.web.content import dump, load
from server.web.entry import compose
from server.web.frame import WebError
from server.web.highlight import locate
from server.web.models import Addendum, ApprovedEntry, DraftAssessment, TagDecision
from server.web.view import (
    LINE_NOTES,
    CatalogueInfo,
    catalogue_by_version,
    current_catalogue,
    decisions_of,
    draft_doc,
    factor_groups,
    latest_assessment,
    latest_text,
)

MAX_TEXT = 200_000


def _require_open(row: Draft) -> None:
    if row.status == "approved":
        raise WebError(409, "immutable")
    if row.status != "draft":
        raise WebError(409, "not_a_draft")


def _audit(session: Session, user: User, ip: str, row: Draft, action: str, **detail: Any) -> None:
    audit.record(
        session,
        action,
        user=user,
        ip=ip,
        object_type="draft",
        object_id=row.id,
        case_ref=row.case_ref,
        **detail,
    )


def decide_tag(
    session: Session, user: User, ip: str, row: Draft, factor: str, group: str, accept: bool
) -> None:
    """Accept or reject the tag `factor` shown in `group` (risk / protective / denied)."""
    _require_open(row)
    doc = draft_doc(row)
    groups = factor_groups(doc, decisions_of(session, row.id), None)
    known = {(v.group, v.slug) for v in groups.all()}
    if (group, factor) not in known:
        raise WebError(404)
    decision = "accepted" if accept else "rejected"
    session.add(
        TagDecision(
            draft_id=row.id,
            factor=factor,
            kind=group,
            decision=decision,
            catalogue_version=doc.catalogue.version,
            author_id=user.id,
        )
    )
    _audit(session, user, ip, row, "draft.edit", what="tag", factor=factor, decision=decision)


def add_factor(
    session: Session,
    user: User,
    ip: str,
    row: Draft,
    factor: str,
    segment: int,
    quote: str,
    char_start: int | None,
) -> None:
    """Tag `factor` (from the current catalogue) with a quote the caseworker chose."""
    _require_open(row)
    doc = draft_doc(row)
    catalogue = current_catalogue(session) or catalogue_by_version(session, doc.catalogue.version)
    info = catalogue.factors.get(factor) if catalogue else None
    if catalogue is None or info is None:
        raise WebError(422, "unknown_factor")
    quote = quote.strip()
    if not quote or not 0 <= segment < len(doc.transcript.segments):
        raise WebError(422, "quote_not_found")
    seg = doc.transcript.segments[segment]
    start = char_start if char_start is not None else -1
    where = locate(seg.text, quote, start, start + len(quote))
    if where is None:
        raise WebError(422, "quote_not_found")
    evidence = Evidence(
        quote=seg.text[where[0] : where[1]],
        segment=segment,
        char_start=where[0],
        char_end=where[1],
        start=seg.start,
        end=seg.end,
        confidence=1.0,
        catalogue_version=catalogue.version,
        model=doc.transcript.model.name,
    )
    session.add(
        TagDecision(
            draft_id=row.id,
            factor=factor,
            kind=info.kind,
            decision="added",
            evidence=evidence.model_dump_json(),
            catalogue_version=catalogue.version,
            author_id=user.id,
        )
    )
    _audit(session, user, ip, row, "draft.edit", what="tag", factor=factor, decision="added")
    _journal_gets(session, user, ip, row, doc, segment, info.area_for(doc.meeting.case_type))


def _journal_gets(
    session: Session,
    user: User,
    ip: str,
    row: Draft,
    doc: DraftDoc,
    segment: int,
    area: str | None,
) -> None:
    """A factor the caseworker added is evidence too: its utterance joins the journal under
    the factor's life area (a new text version) unless the journal already quotes it."""
    number, current = current_named(session, row, doc)
    if current is None or area is None:
        return
    quoted = {
        line.segment
        for block in current.journal.areas
        for line in block.lines
        if line.segment is not None
    }
    choices = area_choices(session, doc)
    chosen = next((c for c in choices if c.slug == area), None)
    if segment in quoted or chosen is None:
        return
    journal = lines.pull(
        current.journal, segment, doc.transcript.segments, chosen, [c.slug for c in choices]
    )
    _save(session, user, ip, row, number, dump(journal, current.names), "rad: ny faktor")


def save_text(session: Session, user: User, ip: str, row: Draft, body: str, note: str = "") -> int:
    """A new text version (the previous ones stay); returns its number."""
    _require_open(row)
    body = body.replace("\r\n", "\n")
    if not body.strip():
        raise WebError(422, "text_empty")
    if len(body) > MAX_TEXT:
        raise WebError(413)
    number, current = latest_text(session, row, draft_doc(row))
    if body == current:
        return number
    return _save(session, user, ip, row, number, body, note)


def area_choices(session: Session, doc: DraftDoc) -> list[lines.AreaChoice]:
    """The life areas a line can go to: the catalogue's areas for the case type (the draft's
    catalogue, else the current one), then any other area the entry already has."""
    catalogue = catalogue_by_version(session, doc.catalogue.version) or current_catalogue(session)
    wanted = catalogue.areas_for(doc.meeting.case_type) if catalogue else []
    out = [lines.AreaChoice(a.slug, a.name_sv, a.name_en) for a in wanted]
    known = {c.slug for c in out}
    for area in doc.journal.areas if doc.journal else []:
        if area.area and area.area not in known:
            known.add(area.area)
            out.append(
                lines.AreaChoice(area.area, area.name_sv or area.area, area.name_en or area.area)
            )
    return out


def current_named(session: Session, row: Draft, doc: DraftDoc) -> tuple[int, speakers.Named | None]:
    """The latest text version's number, journal and speaker names (None: plain text)."""
    number, body = latest_text(session, row, doc)
    return number, speakers.named(load(body), doc.transcript.segments)


def _editable(session: Session, row: Draft, doc: DraftDoc, version: int) -> speakers.Named:
    """The latest version's journal and names, if `version` is it and it has structure."""
    number, current = current_named(session, row, doc)
    if number != version:
        raise WebError(409, "stale_version")
    if current is None:
        raise WebError(409, "legacy_text")
    return current


def change_line(
    session: Session,
    user: User,
    ip: str,
    row: Draft,
    *,
    version: int,
    op: str,
    block: str,
    index: int,
    text: str = "",
    target: str = "",
) -> int:
    """Edit, drop or move one line of the entry's journal: a new text version."""
    _require_open(row)
    doc = draft_doc(row)
    current = _editable(session, row, doc, version)
    choices = area_choices(session, doc)
    try:
        if op == "edit":
            if len(text) > MAX_TEXT:
                raise WebError(413)
            journal = lines.edit(current.journal, block, index, text, doc.transcript.segments)
        elif op == "drop":
            journal = lines.drop(current.journal, block, index)
        else:
            chosen = _choice(choices, target)
            journal = lines.move(current.journal, block, index, chosen, [c.slug for c in choices])
    except lines.EmptyLine as exc:
        raise WebError(422, "line_empty") from exc
    except lines.LineError as exc:
        raise WebError(422, "line_not_found") from exc
    if journal == current.journal:
        return version  # nothing changed (a line saved as it was, moved to its own area)
    return _save(session, user, ip, row, version, dump(journal, current.names), LINE_NOTES[op])


def pull_segment(
    session: Session, user: User, ip: str, row: Draft, *, version: int, segment: int, target: str
) -> int:
    """A transcript segment, verbatim, as a new line of a life area: a new text version."""
    _require_open(row)
    doc = draft_doc(row)
    current = _editable(session, row, doc, version)
    choices = area_choices(session, doc)
    chosen = _choice(choices, target)
    try:
        journal = lines.pull(
            current.journal, segment, doc.transcript.segments, chosen, [c.slug for c in choices]
        )
    except lines.AlreadyThere as exc:
        raise WebError(422, "line_already_there") from exc
    except lines.LineError as exc:
        raise WebError(422, "line_not_found") from exc
    return _save(session, user, ip, row, version, dump(journal, current.names), "rad: hämtad")


def rename_speaker(
    session: Session, user: User, ip: str, row: Draft, *, version: int, old: str, new: str
) -> int:
    """A speaker label named throughout the entry ("person 1" → "mamma"): a new text version
    storing the name beside the journal (`server.web.speakers`), read by every view; the
    signed draft keeps its labels. Refused (422, the reason) for a name she cannot give."""
    _require_open(row)
    doc = draft_doc(row)
    current = _editable(session, row, doc, version)
    segments = doc.transcript.segments
    try:
        names = speakers.rename(current, segments, old, new)
    except speakers.NameRefused as exc:
        raise WebError(422, exc.key) from exc
    if names == dict(current.names):
        return version
    label = next(x for x in {*names, *current.names} if names.get(x) != current.names.get(x))
    note = f"talare: {label} → {names.get(label, label)}"
    return _save(session, user, ip, row, version, dump(current.journal, names), note)


def _choice(choices: list[lines.AreaChoice], slug: str) -> lines.AreaChoice:
    chosen = next((c for c in choices if c.slug == slug), None)
    if chosen is None:
        raise WebError(422, "unknown_area")
    return chosen


def _save(
    session: Session, user: User, ip: str, row: Draft, number: int, body: str, note: str
) -> int:
    session.add(
        DraftVersion(draft_id=row.id, number=number + 1, body=body, author_id=user.id, note=note)
    )
    _audit(session, user, ip, row, "draft.edit", what="text", version=number + 1, note=note)
    return number + 1


def owner_name(session: Session, row: Draft) -> str | None:
    """The caseworker the draft's device is enrolled to, as the server knows them."""
    owner = session.get(User, row.owner_id)
    return (owner.full_name or owner.username) if owner is not None else None


def save_assessment(
    session: Session, user: User, ip: str, row: Draft, assessment: str, planning: str
) -> None:
    """Store Bedömning and Planering as a new version (written by the caseworker only)."""
    _require_open(row)
    if len(assessment) > MAX_TEXT or len(planning) > MAX_TEXT:
        raise WebError(413)
    number = session.scalar(
        select(func.max(DraftAssessment.number)).where(DraftAssessment.draft_id == row.id)
    )
    session.add(
        DraftAssessment(
            draft_id=row.id,
            number=(number or 0) + 1,
            assessment=assessment.replace("\r\n", "\n"),
            planning=planning.replace("\r\n", "\n"),
            author_id=user.id,
        )
    )
    _audit(session, user, ip, row, "draft.edit", what="assessment", version=(number or 0) + 1)


def entry_text(
    session: Session, row: Draft, catalogue: CatalogueInfo | None = None, lang: str = "sv"
) -> str:
    """The journal text approval would store now."""
    doc: DraftDoc = draft_doc(row)
    catalogue = catalogue or catalogue_by_version(session, doc.catalogue.version)
    groups = factor_groups(doc, decisions_of(session, row.id), catalogue, lang)
    _number, body = latest_text(session, row, doc)
    written = latest_assessment(session, row.id)
    return compose(
        doc,
        load(body),
        groups,
        written.assessment if written else "",
        written.planning if written else "",
        caseworker=owner_name(session, row),
        lang="en" if lang == "en" else "sv",
    )


def unreviewed(session: Session, row: Draft, lang: str = "sv") -> list[str]:
    """Names of the factor tags the caseworker has neither accepted nor rejected yet."""
    doc = draft_doc(row)
    catalogue = catalogue_by_version(session, doc.catalogue.version)
    groups = factor_groups(doc, decisions_of(session, row.id), catalogue, lang)
    return [v.name for v in groups.all() if v.status == "unreviewed"]


def approve(session: Session, user: User, ip: str, row: Draft) -> ApprovedEntry:
    """Freeze the entry: store its text, who and when; from now on only addenda.

    Refused (422) while any tag is unreviewed: the tags are kept with the approved entry as
    reviewed by the caseworker, so every one of them must have been accepted or rejected."""
    _require_open(row)
    if unreviewed(session, row):
        raise WebError(422, "approve_needs_review")
    text = entry_text(session, row)
    now = utcnow()
    entry = ApprovedEntry(
        draft_id=row.id,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        approved_by_id=user.id,
        approved_at=now,
    )
    session.add(entry)
    row.status = "approved"
    row.approved_at = now
    row.approved_by_id = user.id
    _audit(session, user, ip, row, "draft.approve", sha256=entry.sha256)
    return entry


def discard(session: Session, user: User, ip: str, row: Draft, reason: str) -> None:
    _require_open(row)
    reason = reason.strip()
    if not reason:
        raise WebError(422, "discard_needs_reason")
    row.status = "discarded"
    row.discarded_reason = reason[:5000]
    _audit(session, user, ip, row, "draft.discard", reason=reason[:5000])


def add_addendum(session: Session, user: User, ip: str, row: Draft, body: str) -> None:
    if row.status != "approved":
        raise WebError(409, "not_a_draft")
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise WebError(422, "addendum_needs_text")
    if len(body) > MAX_TEXT:
        raise WebError(413)
    session.add(Addendum(draft_id=row.id, body=body, author_id=user.id))
    _audit(session, user, ip, row, "draft.edit", what="addendum")


def record_export(
    session: Session, user: User, ip: str, row: Draft, fmt: str, attachment: bool = False
) -> None:
    _audit(session, user, ip, row, "draft.export", format=fmt, attachment=attachment)
