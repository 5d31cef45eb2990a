"""The caseworker's pages: the inbox, the draft page and every change a draft can get.

Every page view and change goes through `server.drafts.own_draft` (404 for anyone else's
draft, audit-logged as a read) and `server.web.review` (audit-logged changes). Plain forms
post and redirect back; accept/reject also work through HTMX (the page region is swapped).
"""

from __future__ import annotations

import difflib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from markupsafe import Markup
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from fredag.journal import (
    Lang,
    attachment_lines,
    clock,
    label,
    revised_segments,
    shown_referents,
)
from server import audit
from server.deps import ClientIP, SessionDep
from server.drafts import own_draft
from server.models import Draft, User
from server.web import review, speakers
from server.web.content import MARKS_KEY, block_key, load
from server.web.entry import journal_text
from server.web.export import AddendumOut, ExportEntry, as_pdf, as_text
from server.web.frame import (
    SECURITY_HEADERS,
    CsrfForm,
    PageCaseworker,
    PageSession,
    WebError,
    diff_html,
    is_htmx,
    lang_of,
    render,
)
from server.web.highlight import transcript_html, transcript_speakers
from server.web.i18n import text as i18n_text
from server.web.models import Addendum, ApprovedEntry
from server.web.view import (
    catalogue_by_version,
    current_catalogue,
    decisions_of,
    draft_doc,
    factor_groups,
    factor_options,
    latest_assessment,
    latest_text,
    text_versions,
)

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxRow:
    id: uuid.UUID
    case_ref: str
    case_type: str
    created_at: datetime
    received_at: datetime
    status: str


def _cursor(row: InboxRow) -> str:
    return f"{row.received_at.isoformat()}~{row.id.hex}"


def _parse_cursor(value: str) -> tuple[datetime, uuid.UUID] | None:
    if not value:
        return None
    stamp, _, key = value.partition("~")
    try:
        at = datetime.fromisoformat(stamp)
        return (at if at.tzinfo else at.replace(tzinfo=UTC)), uuid.UUID(key)
    except ValueError as exc:
        raise WebError(400) from exc


def _inbox_rows(
    db: Session,
    user: User,
    case_ref: str | None,
    older: tuple[datetime, uuid.UUID] | None,
    newer: tuple[datetime, uuid.UUID] | None,
) -> tuple[list[InboxRow], bool]:
    """One page (keyset pagination: as fast deep in the inbox as at its top) and whether
    there is more in the direction travelled."""
    query = select(
        Draft.id, Draft.case_ref, Draft.case_type, Draft.created_at, Draft.received_at, Draft.status
    ).where(Draft.owner_id == user.id)
    if case_ref is not None:
        # Case-insensitive prefix: "bou-2026" finds BoU-2026-0042 (LIKE's wildcards escaped).
        pattern = case_ref.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(Draft.case_ref).like(pattern + "%", escape="\\"))
    if older is not None:
        at, key = older
        query = query.where(
            Draft.received_at <= at, or_(Draft.received_at < at, Draft.id < key)
        ).order_by(Draft.received_at.desc(), Draft.id.desc())
    elif newer is not None:
        at, key = newer
        query = query.where(
            Draft.received_at >= at, or_(Draft.received_at > at, Draft.id > key)
        ).order_by(Draft.received_at.asc(), Draft.id.asc())
    else:
        query = query.order_by(Draft.received_at.desc(), Draft.id.desc())
    rows = [InboxRow(*r) for r in db.execute(query.limit(PAGE_SIZE + 1))]
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if newer is not None:
        rows.reverse()
    return rows, more


@router.get("/inkorg")
def inbox(
    request: Request,
    page: PageCaseworker,
    db: SessionDep,
    ip: ClientIP,
    sida: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    arende: Annotated[str, Query(max_length=64)] = "",
    efter: Annotated[str, Query(max_length=100)] = "",
    fore: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The caller's drafts, newest first, grouped by case, 50 a page."""
    user = page.user
    case_ref = arende.strip() or None
    older, newer = _parse_cursor(efter), _parse_cursor(fore)
    rows, more = _inbox_rows(db, user, case_ref, older, newer)
    if newer is not None and not more:
        sida = 1  # back at the top
    has_next = more if newer is None else True
    has_prev = sida > 1 and bool(rows)
    groups: dict[str, list[InboxRow]] = {}
    for row in rows:
        groups.setdefault(row.case_ref, []).append(row)
    audit.record(
        db,
        "draft.list",
        user=user,
        ip=ip,
        object_type="draft",
        case_ref=case_ref,
        count=len(rows),
        page=sida,
    )
    db.commit()
    return render(
        request,
        "inbox.html",
        {
            "groups": groups,
            "page_no": sida,
            "has_next": has_next and bool(rows),
            "has_prev": has_prev,
            "next_cursor": _cursor(rows[-1]) if rows else "",
            "prev_cursor": _cursor(rows[0]) if rows else "",
            "case_filter": case_ref or "",
        },
        page=page,
    )


def _draft_or_404(db: Session, user: User, draft_id: str, ip: str) -> Draft:
    return own_draft(db, user, draft_id, ip)


def _names(db: Session, *ids: int | None) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = db.execute(select(User.id, User.full_name, User.username).where(User.id.in_(wanted)))
    return {r.id: (r.full_name or r.username) for r in rows}


def draft_context(request: Request, db: Session, row: Draft) -> dict[str, Any]:
    lang: Lang = "en" if lang_of(request) == "en" else "sv"
    doc = draft_doc(row)
    catalogue = catalogue_by_version(db, doc.catalogue.version)
    current = current_catalogue(db)
    decisions = decisions_of(db, row.id)
    groups = factor_groups(doc, decisions, catalogue or current, lang)
    number, body = latest_text(db, row, doc)
    content = load(body)
    written = latest_assessment(db, row.id)
    caseworker = review.owner_name(db, row)
    approved = db.get(ApprovedEntry, row.id) if row.status == "approved" else None
    addenda = (
        list(db.scalars(select(Addendum).where(Addendum.draft_id == row.id).order_by(Addendum.id)))
        if approved
        else []
    )
    names = _names(db, row.approved_by_id, *(a.author_id for a in addenda))
    preview = ""
    if approved is None:
        # Exactly the text approval would store (the journal is Swedish whatever the page's
        # language).
        preview = review.entry_text(db, row, catalogue or current)
    segments = doc.transcript.segments
    version = speakers.named(content, segments)
    journal = version.shown() if version is not None else None
    renamed = dict(version.names) if version is not None else {}
    blocks = []
    if journal is not None:
        blocks = [(block_key(a.area), a) for a in journal.areas if a.lines]
    editable = approved is None and row.status == "draft"
    return {
        "row": row,
        "doc": doc,
        "meeting": doc.meeting,
        "catalogue_known": catalogue is not None,
        "groups": groups,
        "transcript": transcript_html(
            segments,
            groups.all(),
            pull=editable and journal is not None,
            names=renamed,
            lang=lang,
        ),
        "text_number": number,
        "journal": journal,
        "speakers": [(x, renamed.get(x)) for x in speakers.labels(version.journal, segments)]
        if version is not None
        else [],
        "transcript_speakers": transcript_speakers(segments, renamed),
        "blocks": blocks,
        "marks_key": MARKS_KEY,
        "legacy_text": content.legacy_text,
        "areas": review.area_choices(db, doc) if editable else [],
        "caseworker": caseworker or doc.meeting.caseworker,
        "label": lambda key: label(key, lang),
        "assessment": written.assessment if written else "",
        "planning": written.planning if written else "",
        "preview": preview,
        "approved": approved,
        "approved_by": names.get(row.approved_by_id or -1, ""),
        "addenda": [(a, names.get(a.author_id, "")) for a in addenda],
        "choices": factor_options(current, lang) if current and row.status == "draft" else "",
        "choices_version": current.version if current else "",
        "segments": [(i, clock(s.start)) for i, s in enumerate(doc.transcript.segments)],
        "clock": clock,
        "shown_referents": shown_referents,
        "revised": revised_segments(doc.transcript.segments),
        "unreviewed": [v.name for v in groups.all() if v.status == "unreviewed"],
        "errors": {},
        "kept": {},
        "here": f"/utkast/{row.id}",
    }


@router.get("/utkast/{draft_id}")
def draft_page(
    draft_id: str, request: Request, page: PageCaseworker, db: SessionDep, ip: ClientIP
) -> Response:
    row = _draft_or_404(db, page.user, draft_id, ip)
    ctx = draft_context(request, db, row)
    db.commit()
    return render(request, "draft.html", ctx, page=page)


def _refused(
    request: Request,
    page: PageSession,
    db: Session,
    row: Draft,
    exc: WebError,
    form: str,
    kept: dict[str, str],
) -> Response:
    """A change refused for what was typed (422, 413), or made on a page out of date (409
    stale_version: a second click, another tab): the draft page again as it is now, the
    message beside the form and the input kept. Nothing was stored, so a reload repeats no
    action."""
    stale = exc.status == 409 and exc.key == "stale_version"
    if (exc.status not in (413, 422) and not stale) or is_htmx(request):
        raise exc
    db.commit()  # the draft.read audit row of this request
    ctx = draft_context(request, db, row)
    ctx["errors"] = {form: i18n_text(lang_of(request), exc.key)}
    ctx["kept"] = kept
    ctx["address"] = ctx["here"]
    return render(request, "draft.html", ctx, page=page, status=exc.status)


def _back(request: Request, page: PageSession, db: Session, row: Draft, ok: str) -> Response:
    """After a change: HTMX gets the fresh page (it swaps a region), a form gets a redirect."""
    db.commit()
    if is_htmx(request):
        return render(request, "draft.html", draft_context(request, db, row), page=page)
    return RedirectResponse(f"/utkast/{row.id}?ok={ok}#{ok}", status_code=303)


@router.post("/utkast/{draft_id}/tagg")
def decide(
    draft_id: str,
    request: Request,
    page: PageCaseworker,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    factor: Annotated[str, Form(max_length=64)],
    group: Annotated[str, Form(pattern="^(risk|protective|denied)$")],
    decision: Annotated[str, Form(pattern="^(accept|reject)$")],
) -> Response:
    row = _draft_or_404(db, page.user, draft_id, ip)
    review.decide_tag(db, page.user, ip, row, factor, group, decision == "accept")
    return _back(request, page, db, row, "faktorer")


@router.post("/utkast/{draft_id}/lagg-till")
def add(
    draft_id: str,
    request: Request,
    page: PageCaseworker,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    factor: Annotated[str, Form(max_length=64)],
    segment: Annotated[int, Form(ge=0, le=100_000)],
    quote: Annotated[str, Form(max_length=2000)],
    char_start: Annotated[int | None, Form(ge=0)] = None,
) -> Response:
    row = _draft_or_404(db, page.user, draft_id, ip)
    try:
        review.add_factor(db, page.user, ip, row, factor, segment, quote, char_start)
    except WebError as exc:
        return _refused(
            request,
            page,
            db,
            row,
            exc,
            "add",
            {"quote": quote, "segment": str(segment), "factor": factor},
        )
    return _back(request, page, db, row, "faktorer")


@router.post("/utkast/{draft_id}/text")
def restore_text(
    draft_id: str,
    request: Request,
    page: PageCaseworker,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    restore: Annotated[int, Form(ge=0)],
) -> Response:
    """Restore an earlier text version (as a new version; nothing is lost)."""
    row = _draft_or_404(db, page.user, draft_id, ip)
    versions = text_versions(db, row, draft_doc(row))
    chosen = next((v for v in versions if v.number == restore), None)
    if chosen is None:
        raise WebError(404)
    review.save_text(db, page.user, ip, row, chosen.body, f"återställd från version {restore}")
    return _back(request, page, db, row, "text")


@router.post("/utkast/{draft_id}/rad")
def change_line(
    draft_id: str,
    request: Request,
    page: PageCaseworker,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    version: Annotated[int, Form(ge=0)],
    block: Annotated[str, Form(max_length=64)],
    line: Annotated[int, Form(ge=0, le=100_000)],
    op: Annotated[str, Form(pattern="^(edit|drop|move)$")],
    text: Annotated[str, Form(max_length=review.MAX_TEXT)] = "",
    target: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Edit, drop or move one line of "Vad som framkom" (a new text version)."""
    row = _draft_or_404(db, page.user, draft_id, ip)
    try:
        review.change_line(
            db,
            page.user,
            ip,
            row,
            version=version,
            op=op,
            block=block,
            index=line,
            text=text,
            target=target,
        )
    except WebError as exc:
        return _refused(request, page, db, row, exc, "text", {})
    return _back(request, page, db, row, "text")


@router.post("/utkast/{draft_id}/talare")
def rename_speaker(
    draft_id: str,
    request: Request,
    page: PageCaseworker,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    version: Annotated[int, Form(ge=0)],
    old: Annotated[str, Form(min_length=1, max_length=200)],
    new: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Rename a speaker throughout the entry ("person 1" → "mamma"): a new text version."""
    row = _draft_or_404(db, page.user, draft_id, ip)
    try:
        review.rename_speaker(db, page.user, ip, row, version=version, old=old, new=new)
    except WebError as exc:
        return _refused(
            request, page, db, row, exc, "text", {"speaker_old": old, "speaker_new": new}
        )
    return _back(request, page, db, row, "text")


@router.post("/utkast/{draft_id}/hamta")
def pull_line(
    draft_id: str,
    request: Request,
    page: PageCaseworker,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    version: Annotated[int, Form(ge=0)],
    segment: Annotated[int, Form(ge=0, le=100_000)],
    target: Annotated[str, Form(max_length=64)],
) -> Response:
    """Pull one transcript line into a life area (a new text version)."""
    row = _draft_or_404(db, page.user, draft_id, ip)
    try:
        review.pull_segment(db, page.user, ip, row, version=version, segment=segment, target=target)
    except WebError as exc:
        return _refused(request, page, db, row, exc, "text", {})
    return _back(request, page, db, row, "text")


@router.post("/utkast/{draft_id}/bedomning")
def save_assessment(
    draft_id: str,
    request: Request,
    page: PageCaseworker,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    assessment: Annotated[str, Form(max_length=review.MAX_TEXT)] = "",
    planning: Annotated[str, Form(max_length=review.MAX_TEXT)] = "",
) -> Response:
    row = _draft_or_404(db, page.user, draft_id, ip)
    try:
        review.save_assessment(db, page.user, ip, row, assessment, planning)
    except WebError as exc:
        return _refused(
            request,
            page,
            db,
            row,
            exc,
            "assessment",
            {"assessment": assessment, "planning": planning},
        )
    return _back(request, page, db, row, "bedomning")


@router.post("/utkast/{draft_id}/godkann")
def approve(
    draft_id: str,
    request: Request,
    page: PageCaseworker,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    row = _draft_or_404(db, page.user, draft_id, ip)
    try:
        if confirm != "ja":
            raise WebError(422, "approve_needs_confirm")
        review.approve(db, page.user, ip, row)
    except WebError as exc:
        return _refused(request, page, db, row, exc, "approve", {})
    return _back(request, page, db, row, "godkand")


@router.post("/utkast/{draft_id}/kassera")
def discard(
    draft_id: str,
    request: Request,
    page: PageCaseworker,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    row = _draft_or_404(db, page.user, draft_id, ip)
    try:
        review.discard(db, page.user, ip, row, reason)
    except WebError as exc:
        return _refused(request, page, db, row, exc, "discard", {"reason": reason})
    return _back(request, page, db, row, "status")


@router.post("/utkast/{draft_id}/tillagg")
def addendum(
    draft_id: str,
    request: Request,
    page: PageCaseworker,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    body: Annotated[str, Form(max_length=review.MAX_TEXT)] = "",
) -> Response:
    row = _draft_or_404(db, page.user, draft_id, ip)
    try:
        review.add_addendum(db, page.user, ip, row, body)
    except WebError as exc:
        return _refused(request, page, db, row, exc, "addendum", {"body": body})
    return _back(request, page, db, row, "tillagg")


def _diff_html(a: str, b: str) -> Markup:
    return diff_html(list(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=2)))


@router.get("/utkast/{draft_id}/versioner")
def versions(
    draft_id: str,
    request: Request,
    page: PageCaseworker,
    db: SessionDep,
    ip: ClientIP,
    fran: Annotated[int, Query(ge=0)] = 0,
    till: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    row = _draft_or_404(db, page.user, draft_id, ip)
    doc = draft_doc(row)
    all_versions = text_versions(db, row, doc)
    by_number = {v.number: v for v in all_versions}
    newest = all_versions[-1].number
    till = newest if till is None else till
    if fran not in by_number or till not in by_number:
        raise WebError(404)
    names = _names(db, *(int(v.author) for v in all_versions if v.author))
    db.commit()
    shown_text = journal_text(load(by_number[till].body), doc)
    return render(
        request,
        "versions.html",
        {
            "row": row,
            "versions": all_versions,
            "names": {str(k): v for k, v in names.items()},
            "fran": fran,
            "till": till,
            "diff": _diff_html(journal_text(load(by_number[fran].body), doc), shown_text),
            "shown": by_number[till],
            "shown_text": shown_text,
        },
        page=page,
    )


def _export_entry(db: Session, row: Draft, attachment: bool = False) -> ExportEntry:
    entry = db.get(ApprovedEntry, row.id)
    if row.status != "approved" or entry is None:
        raise WebError(409, "not_approved")
    addenda = list(
        db.scalars(select(Addendum).where(Addendum.draft_id == row.id).order_by(Addendum.id))
    )
    names = _names(db, entry.approved_by_id, *(a.author_id for a in addenda))
    return ExportEntry(
        text=entry.text,
        case_ref=row.case_ref,
        approved_at=entry.approved_at,
        approved_by=names.get(entry.approved_by_id, ""),
        addenda=[AddendumOut(a.created_at, names.get(a.author_id, ""), a.body) for a in addenda],
        attachment=_attachment(db, row) if attachment else (),
    )


def _attachment(db: Session, row: Draft) -> list[str]:
    """ "Bilaga: transkription", each speaker as the approved entry names them."""
    doc = draft_doc(row)
    segments = doc.transcript.segments
    current = speakers.named(load(latest_text(db, row, doc)[1]), segments)
    return attachment_lines(segments, names=current.names if current is not None else None)


def _filename(row: Draft, ext: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in row.case_ref)
    return f"journal-{safe}-{row.created_at:%Y%m%d}-{str(row.id)[:8]}.{ext}"


@router.get("/utkast/{draft_id}/export.txt")
def export_text(
    draft_id: str,
    page: PageCaseworker,
    db: SessionDep,
    ip: ClientIP,
    bilaga: Annotated[int, Query(ge=0, le=1)] = 0,
) -> Response:
    """The approved entry; with `?bilaga=1` the transcript follows as its attachment."""
    row = _draft_or_404(db, page.user, draft_id, ip)
    entry = _export_entry(db, row, attachment=bool(bilaga))
    review.record_export(db, page.user, ip, row, "text", attachment=bool(bilaga))
    db.commit()
    return Response(
        as_text(entry).encode("utf-8"),
        media_type="text/plain; charset=utf-8",
        headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="{_filename(row, "txt")}"',
        },
    )


@router.get("/utkast/{draft_id}/export.pdf")
def export_pdf(
    draft_id: str,
    page: PageCaseworker,
    db: SessionDep,
    ip: ClientIP,
    bilaga: Annotated[int, Query(ge=0, le=1)] = 0,
) -> Response:
    """The approved entry; with `?bilaga=1` the transcript follows as its attachment."""
    row = _draft_or_404(db, page.user, draft_id, ip)
    entry = _export_entry(db, row, attachment=bool(bilaga))
    review.record_export(db, page.user, ip, row, "pdf", attachment=bool(bilaga))
    db.commit()
    return Response(
        as_pdf(entry),
        media_type="application/pdf",
        headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="{_filename(row, "pdf")}"',
        },
    )
