"""Administration pages: users and devices, the factor catalogue, the audit log.

Admins never see case content here: the audit view shows who did what to which object and
case reference, never a transcript or journal text. Every change is audit-logged.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy import func, select
from starlette.responses import RedirectResponse, Response

from fredag.clock import LOCAL_TZ, local_text, parse_instant
from fredag.errors import CatalogueError
from server import audit, devices
from server.api.admin import create_user
from server.deps import ClientIP, SessionDep, SettingsDep, is_tls
from server.errors import ApiError
from server.models import AuditEvent, Device, Draft, User
from server.schemas import UserCreate
from server.web import catalogue_edit
from server.web.frame import (
    CsrfForm,
    PageAdmin,
    PageSession,
    WebError,
    diff_html,
    lang_of,
    render,
)
from server.web.i18n import action_label, detail_label, detail_value, object_label, text

router = APIRouter(prefix="/admin", include_in_schema=False)
AUDIT_PAGE = 100
LEVELS = (
    "individ",
    "familj",
    "kamrater",
    "natverk",
    "skola",
    "narsamhalle",
    "vuxen",
    "miljo",
    "vald",
)


def _people(request: Request, page: PageSession, db: SessionDep, **extra: Any) -> Response:
    users = list(db.scalars(select(User).order_by(User.username)))
    device_rows = list(db.scalars(select(Device).order_by(Device.id)))
    owners = {u.id: u for u in users}
    last_sync = dict(
        db.execute(
            select(Draft.device_id, func.max(Draft.received_at)).group_by(Draft.device_id)
        ).all()
    )
    ctx = {
        "users": users,
        "caseworkers": [u for u in users if u.role == "caseworker" and u.is_active],
        "devices": [(d, owners.get(d.owner_id), last_sync.get(d.id)) for d in device_rows],
        "error": "",
        "code": None,
        "form": {},
    }
    ctx.update(extra)
    if request.method == "POST":
        ctx["address"] = "/admin"  # a refused form: a reload reads the page, never re-posts
    return render(request, "admin/people.html", ctx, page=page, status=extra.get("status", 200))


ISSUED_COOKIE = "fredag_issued_code"


@router.get("")
def people(request: Request, page: PageAdmin, db: SessionDep) -> Response:
    """Users and devices; right after issuing, the one-time code (shown once, then gone)."""
    code = _issued(request.cookies.get(ISSUED_COOKIE, ""))
    response = _people(request, page, db, code=code)
    if ISSUED_COOKIE in request.cookies:
        response.delete_cookie(ISSUED_COOKIE, path="/admin")
    return response


def _issued(raw: str) -> dict[str, Any] | None:
    code, _, rest = raw.partition("~")
    owner, _, expires = rest.partition("~")
    try:
        return {"code": code, "owner": owner, "expires": datetime.fromisoformat(expires)}
    except ValueError:
        return None


@router.post("/anvandare")
def post_user(
    request: Request,
    page: PageAdmin,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    username: Annotated[str, Form(max_length=200)] = "",
    full_name: Annotated[str, Form(max_length=400)] = "",
    role: Annotated[str, Form(max_length=20)] = "caseworker",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    form = {"username": username, "full_name": full_name, "role": role}
    lang = lang_of(request)
    try:
        body = UserCreate(username=username, full_name=full_name, role=role, password=password)
        create_user(db, page.user, body, ip)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else ""
        key = {"password": "user_bad_password", "role": "user_bad_role"}.get(
            field, "user_bad_username"
        )
        return _people(request, page, db, error=text(lang, key), form=form, status=422)
    except ApiError as exc:
        message = text(lang, "user_exists") if exc.code == "user_exists" else exc.message
        return _people(request, page, db, error=message, form=form, status=exc.status)
    db.commit()
    return RedirectResponse("/admin?ok=user", status_code=303)


@router.post("/registreringskod")
def post_code(
    request: Request,
    page: PageAdmin,
    _csrf: CsrfForm,
    db: SessionDep,
    settings: SettingsDep,
    ip: ClientIP,
    caseworker: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        code, owner, expires = devices.issue_code(db, settings, page.user, caseworker, ip)
    except ApiError as exc:
        message = text(lang_of(request), "no_caseworker") if exc.status == 404 else exc.message
        return _people(request, page, db, error=message, status=exc.status)
    db.commit()
    # Post/redirect/get: a reload of the page shows no code and never issues a second one.
    # The code travels to the next page in a short-lived HttpOnly cookie, never in the URL.
    response = RedirectResponse("/admin?ok=code#issued-code", status_code=303)
    response.set_cookie(
        ISSUED_COOKIE,
        f"{code}~{owner.username}~{expires.isoformat()}",
        max_age=300,
        httponly=True,
        samesite="strict",
        secure=is_tls(request),
        path="/admin",
    )
    return response


@router.post("/enheter/{device_id}/sparra")
def revoke(
    device_id: int, page: PageAdmin, _csrf: CsrfForm, db: SessionDep, ip: ClientIP
) -> Response:
    try:
        devices.revoke(db, page.user, device_id, ip)
    except ApiError as exc:
        raise WebError(exc.status) from exc
    db.commit()
    return RedirectResponse("/admin?ok=revoked", status_code=303)


# ---- catalogue


def _suggest_version(current: str) -> str:
    today = datetime.now(LOCAL_TZ)
    stem = f"{today:%Y.%m}"
    if current.startswith(stem + "-"):
        tail = current.removeprefix(stem + "-")
        if tail.isdigit():
            return f"{stem}-{int(tail) + 1}"
    return f"{stem}-1" if current != f"{stem}-1" else f"{stem}-2"


def _catalogue_page(
    request: Request, page: PageSession, db: SessionDep, *, status: int = 200, **extra: Any
) -> Response:
    copy = catalogue_edit.working_copy(db)
    published = copy.published
    ctx: dict[str, Any] = {
        "copy": copy,
        "factors": copy.body.get("factors") or [],
        "published": published,
        "diff": diff_html(catalogue_edit.diff_lines(copy)) if copy.edited else Markup(""),
        "suggested": _suggest_version(published.version if published else ""),
        "problems": [],
        "problems_title": "",
        "message": "",
        "address": "/admin/katalog" if request.method == "POST" else "",
    }
    ctx.update(extra)
    return render(request, "admin/catalogue.html", ctx, page=page, status=status)


@router.get("/katalog")
def catalogue_page(request: Request, page: PageAdmin, db: SessionDep) -> Response:
    return _catalogue_page(request, page, db)


def _factor_form(
    request: Request,
    page: PageSession,
    form: dict[str, str],
    *,
    new: bool,
    problems: list[str] | None = None,
    status: int = 200,
    areas: list[dict[str, Any]] | None = None,
) -> Response:
    by_type = {
        case_type: [a for a in areas or [] if a.get("case_type") == case_type]
        for case_type in ("barn", "vuxen")
    }
    return render(
        request,
        "admin/factor.html",
        {
            "form": form,
            "new": new,
            "problems": problems or [],
            "levels": LEVELS,
            # A refused save comes back at the form's own address (a reload never re-posts).
            "address": request.url.path if request.method == "POST" else "",
            "areas": by_type,
        },
        page=page,
        status=status,
    )


def _find(body: dict[str, Any], slug: str) -> dict[str, Any]:
    for factor in body.get("factors") or []:
        if factor.get("slug") == slug:
            return dict(factor)
    raise WebError(404)


@router.get("/katalog/ny")
def new_factor(request: Request, page: PageAdmin, db: SessionDep) -> Response:
    blank = catalogue_edit.form_from_factor({"kind": "risk", "applies_to": "alla"})
    areas = catalogue_edit.working_copy(db).body.get("areas") or []
    return _factor_form(request, page, blank, new=True, areas=areas)


@router.get("/katalog/faktor/{slug}")
def edit_factor(slug: str, request: Request, page: PageAdmin, db: SessionDep) -> Response:
    body = catalogue_edit.working_copy(db).body
    factor = _find(body, slug)
    return _factor_form(
        request, page, catalogue_edit.form_from_factor(factor), new=False, areas=body.get("areas")
    )


async def _form_dict(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


FormDict = Annotated[dict[str, str], Depends(_form_dict)]


def _save_factor(
    request: Request,
    page: PageSession,
    db: SessionDep,
    ip: str,
    form: dict[str, str],
    slug: str | None,
) -> Response:
    body = catalogue_edit.working_copy(db).body
    old = _find(body, slug) if slug is not None else None
    lang = lang_of(request)
    try:
        factor = catalogue_edit.factor_from_form(form, old)
    except CatalogueError as exc:
        problems = catalogue_edit.in_language(exc.problems, lang)
        # The form as typed, over the factor's fields the edit form does not post (slug, kind,
        # level, …): the page needs them, and a refused save must not lose what was typed.
        shown = {
            **catalogue_edit.form_from_factor(old or {}),
            **form,
            "past_counts": form.get("past_counts", ""),
        }
        if old is not None:
            shown["slug"] = str(old.get("slug", ""))
        return _factor_form(
            request,
            page,
            shown,
            new=slug is None,
            problems=problems,
            status=422,
            areas=body.get("areas"),
        )
    changed = catalogue_edit.with_factor(body, factor, slug)
    verb = "ändrad" if slug is not None else "ny"
    found = catalogue_edit.save(db, page.user, ip, changed, f"{verb}: {factor.get('slug')}")
    problems = catalogue_edit.in_language(found, lang)
    if problems:
        shown = {**catalogue_edit.form_from_factor(factor), "cues": form.get("cues", "")}
        return _factor_form(
            request,
            page,
            shown,
            new=slug is None,
            problems=problems,
            status=422,
            areas=body.get("areas"),
        )
    db.commit()
    return RedirectResponse("/admin/katalog?ok=saved", status_code=303)


@router.post("/katalog/ny")
def post_new_factor(
    request: Request,
    page: PageAdmin,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    form: FormDict,
) -> Response:
    return _save_factor(request, page, db, ip, form, None)


@router.post("/katalog/faktor/{slug}")
def post_factor(
    slug: str,
    request: Request,
    page: PageAdmin,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    form: FormDict,
) -> Response:
    return _save_factor(request, page, db, ip, form, slug)


@router.post("/katalog/faktor/{slug}/ta-bort")
def retire_factor(
    slug: str, request: Request, page: PageAdmin, _csrf: CsrfForm, db: SessionDep, ip: ClientIP
) -> Response:
    body = catalogue_edit.working_copy(db).body
    _find(body, slug)
    changed = catalogue_edit.retired_factor(body, slug)
    found = catalogue_edit.save(db, page.user, ip, changed, f"avvecklad: {slug}")
    if found:
        problems = catalogue_edit.in_language(found, lang_of(request))
        return _catalogue_page(request, page, db, status=422, problems=problems)
    db.commit()
    return RedirectResponse("/admin/katalog?ok=saved", status_code=303)


@router.post("/katalog/publicera")
def publish(
    request: Request,
    page: PageAdmin,
    _csrf: CsrfForm,
    db: SessionDep,
    ip: ClientIP,
    version: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    version = version.strip()
    try:
        if not version:
            raise CatalogueError(
                "give the new version a name",
                (("Give the new version a name.", "Ange ett versionsnamn."),),
            )
        row = catalogue_edit.publish(db, page.user, ip, version)
    except CatalogueError as exc:
        db.rollback()
        problems = catalogue_edit.in_language(exc.problems, lang_of(request))
        return _catalogue_page(
            request,
            page,
            db,
            status=422,
            problems=problems,
            problems_title="catalogue_not_published",  # nothing was changed, only not published
        )
    db.commit()
    query = urlencode({"ok": "published", "v": row.version})
    return RedirectResponse(f"/admin/katalog?{query}", status_code=303)


# ---- audit log


def _day(value: str, field: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise WebError(422, "bad_date") from exc


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)


@router.get("/logg")
def audit_log(
    request: Request,
    page: PageAdmin,
    db: SessionDep,
    ip: ClientIP,
    anvandare: Annotated[str, Query(max_length=200)] = "",
    arende: Annotated[str, Query(max_length=64)] = "",
    fran: Annotated[str, Query(max_length=10)] = "",
    till: Annotated[str, Query(max_length=10)] = "",
    sida: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    query = select(AuditEvent)
    if anvandare.strip():
        query = query.where(AuditEvent.actor == anvandare.strip())
    if arende.strip():
        query = query.where(AuditEvent.case_ref == arende.strip())
    start, end = _day(fran, "fran"), _day(till, "till")
    if start is not None:
        query = query.where(AuditEvent.at >= _utc(start))
    if end is not None:
        query = query.where(AuditEvent.at < _utc(end + timedelta(days=1)))
    rows = list(
        db.scalars(
            query.order_by(AuditEvent.id.desc())
            .limit(AUDIT_PAGE + 1)
            .offset((sida - 1) * AUDIT_PAGE)
        )
    )
    has_next = len(rows) > AUDIT_PAGE
    rows = rows[:AUDIT_PAGE]
    audit.record(
        db,
        "audit.read",
        user=page.user,
        ip=ip,
        object_type="audit",
        actor_filter=anvandare,
        case_filter=arende,
        since=fran,
        until=till,
    )
    db.commit()
    lang = lang_of(request)
    events = [(r, object_label(lang, r.object_type), _detail(r.detail, lang)) for r in rows]
    return render(
        request,
        "admin/audit.html",
        {
            "events": events,
            "f": {"anvandare": anvandare, "arende": arende, "fran": fran, "till": till},
            "page_no": sida,
            "has_next": has_next,
            "action_label": action_label,
        },
        page=page,
    )


def _detail(raw: str, lang: str = "sv") -> str:
    """An audit row's details in words: Swedish names and values, times in Swedish time."""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(data, dict):
        return raw
    return ", ".join(
        f"{detail_label(lang, k)}: {_shown(v, lang)}"
        for k, v in data.items()
        if v not in ("", None)
    )


def _shown(value: object, lang: str) -> str:
    """A time in a detail in Swedish time like the rest of the page (stored as UTC ISO)."""
    instant = parse_instant(value) if isinstance(value, str) else None
    if instant is not None:
        return local_text(instant, "%Y-%m-%d %H:%M:%S")
    return detail_value(lang, str(value))
