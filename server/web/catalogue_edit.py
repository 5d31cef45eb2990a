"""The admins' working copy of the factor catalogue: edit, retire, add, diff, publish.

The working copy is the newest `CatalogueEdit` saved after the current version was published,
else the published catalogue itself. Every save is validated exactly like
`fredag catalogue validate` (`risk_factors.catalogue.validate_catalogue`: schema, the slug
contract, sources required, no intervention or assessment language); an invalid change is not
saved and the admin sees every problem. Publishing stores a new `CatalogueVersion` through the
server core (`server.catalogue.publish`), which devices then download signed.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from fredag.errors import CatalogueError
from risk_factors.catalogue import validate_catalogue
from server import audit, catalogue
from server.models import CatalogueVersion, User
from server.web.models import CatalogueEdit


@dataclass(frozen=True)
class WorkingCopy:
    body: dict[str, Any]
    published: CatalogueVersion | None
    edited: bool  # differs from the published version (unpublished edits exist)


def published_body(row: CatalogueVersion | None) -> dict[str, Any]:
    if row is None:
        return {"version": "", "language": "sv", "sources": {}, "factors": []}
    body: dict[str, Any] = json.loads(row.body)
    return body


def working_copy(session: Session) -> WorkingCopy:
    published = catalogue.current(session)
    query = select(CatalogueEdit).order_by(CatalogueEdit.id.desc()).limit(1)
    latest = session.scalars(query).first()
    base = published_body(published)
    if latest is not None and (published is None or latest.created_at > published.published_at):
        body: dict[str, Any] = json.loads(latest.body)
        return WorkingCopy(body, published, _canonical(body) != _canonical(base))
    return WorkingCopy(base, published, False)


def _canonical(body: dict[str, Any]) -> str:
    stripped = {k: v for k, v in body.items() if k != "version"}
    return json.dumps(stripped, sort_keys=True, ensure_ascii=False)


Problem = tuple[str, str]  # (English, Swedish): one problem, shown as one bullet


def in_language(problems: Sequence[Problem], lang: str) -> list[str]:
    """The problems in the admin's language (Swedish unless English was chosen)."""
    return [en if lang == "en" else sv for en, sv in problems]


def validation_problems(body: dict[str, Any]) -> list[Problem]:
    """Every problem `fredag catalogue validate` would report (empty when valid), each one on
    its own in English and Swedish."""
    try:
        validate_catalogue(body, where="katalogen")
    except CatalogueError as exc:
        return list(exc.problems)
    return []


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def factor_from_form(form: dict[str, str], old: dict[str, Any] | None) -> dict[str, Any]:
    """A factor mapping from the edit form (cues as YAML; the rest plain fields)."""
    try:
        cues = yaml.safe_load(form.get("cues", "") or "[]")
    except yaml.YAMLError as exc:
        message = f"cues: not valid YAML: {exc}"
        swedish = f"Språkliga ledtrådar: inte giltig YAML ({exc})"
        raise CatalogueError(message, ((message, swedish),)) from exc
    factor: dict[str, Any] = dict(old or {})
    area = {t: form.get(f"area_{t}", "").strip() for t in ("barn", "vuxen")}
    if any(area.values()) or "area_barn" in form or "area_vuxen" in form:
        factor["area"] = {t: slug or None for t, slug in area.items()}
    factor.update(
        {
            "slug": (form.get("slug") or (old or {}).get("slug") or "").strip(),
            "kind": form.get("kind") or (old or {}).get("kind"),
            "level": form.get("level") or (old or {}).get("level"),
            "applies_to": form.get("applies_to") or (old or {}).get("applies_to"),
            "name": {"sv": form.get("name_sv", "").strip(), "en": form.get("name_en", "").strip()},
            "description": form.get("description", "").strip(),
            "sources": _lines(form.get("sources", "")),
            "past_counts": form.get("past_counts") == "ja",
            "cues": cues if cues is not None else [],
            "examples": {
                "positive": _lines(form.get("positive", "")),
                "negative": _lines(form.get("negative", "")),
            },
        }
    )
    return factor


def form_from_factor(factor: dict[str, Any]) -> dict[str, str]:
    name = factor.get("name") or {}
    examples = factor.get("examples") or {}
    cues = factor.get("cues") or []
    return {
        "slug": str(factor.get("slug", "")),
        "kind": str(factor.get("kind", "risk")),
        "level": str(factor.get("level", "")),
        "applies_to": str(factor.get("applies_to", "")),
        "name_sv": str(name.get("sv", "")),
        "name_en": str(name.get("en", "")),
        "description": str(factor.get("description", "")),
        "sources": "\n".join(factor.get("sources") or []),
        "past_counts": "ja" if factor.get("past_counts") else "",
        "retired": "ja" if factor.get("retired") else "",
        "area_barn": str((factor.get("area") or {}).get("barn") or ""),
        "area_vuxen": str((factor.get("area") or {}).get("vuxen") or ""),
        "cues": yaml.safe_dump(cues, allow_unicode=True, sort_keys=False) if cues else "",
        "positive": "\n".join(examples.get("positive") or []),
        "negative": "\n".join(examples.get("negative") or []),
    }


def with_factor(body: dict[str, Any], factor: dict[str, Any], slug: str | None) -> dict[str, Any]:
    """`body` with the factor `slug` replaced by `factor` (appended when slug is None)."""
    factors = list(body.get("factors") or [])
    if slug is None:
        factors.append(factor)
    else:
        factors = [factor if f.get("slug") == slug else f for f in factors]
    return {**body, "factors": factors}


def retired_factor(body: dict[str, Any], slug: str) -> dict[str, Any]:
    """The body with `slug` retired: kept (slugs are never removed), never tagged again."""
    factors = [
        {**f, "retired": True} if f.get("slug") == slug else f for f in body.get("factors") or []
    ]
    return {**body, "factors": factors}


def save(
    session: Session, admin: User, ip: str, body: dict[str, Any], summary: str
) -> list[Problem]:
    """Validate and store a new working copy; returns the problems (nothing stored if any)."""
    problems = validation_problems(body)
    if problems:
        return problems
    published = catalogue.current(session)
    session.add(
        CatalogueEdit(
            body=json.dumps(body, ensure_ascii=False),
            based_on=published.version if published else "",
            summary=summary,
            author_id=admin.id,
        )
    )
    audit.record(
        session, "catalogue.edit", user=admin, ip=ip, object_type="catalogue", change=summary
    )
    return []


def _yaml(body: dict[str, Any]) -> list[str]:
    stripped = {k: v for k, v in body.items() if k != "version"}
    return yaml.safe_dump(stripped, allow_unicode=True, sort_keys=True, width=100).splitlines()


def diff_lines(copy: WorkingCopy) -> list[str]:
    """Unified diff (YAML) of the working copy against the published version."""
    old = _yaml(published_body(copy.published))
    new = _yaml(copy.body)
    return list(difflib.unified_diff(old, new, "publicerad", "arbetskopia", lineterm="", n=2))


def publish(session: Session, admin: User, ip: str, version: str) -> CatalogueVersion:
    """Publish the working copy as `version` (validated again by the server core)."""
    copy = working_copy(session)
    body = {**copy.body, "version": version}
    row = catalogue.publish(session, body, version, admin)
    audit.record(
        session,
        "catalogue.publish",
        user=admin,
        ip=ip,
        object_type="catalogue",
        object_id=row.version,
        sha256=row.sha256,
    )
    return row
