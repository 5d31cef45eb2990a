"""What a caseworker may read: only drafts of their own devices and cases (404 for the rest).

Every read goes into the audit log, and so does every refused read or write of case content
(`record_refused`: who, which draft and case, when, from where; the error handlers call it
for a 403 or 404 under /utkast/ and /api/v1/drafts/). The web view reuses `own_draft()` and
`list_own()`.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import audit
from server.errors import ApiError
from server.models import Draft, User


def own_draft(session: Session, user: User, draft_id: uuid.UUID | str, ip: str) -> Draft:
    """The draft if `user` owns it (audit-logged as a read), else 404 as if it did not exist."""
    try:
        key = draft_id if isinstance(draft_id, uuid.UUID) else uuid.UUID(str(draft_id))
    except ValueError as exc:
        raise ApiError(404, "not_found", "no such draft") from exc
    draft = session.get(Draft, key)
    if draft is None or draft.owner_id != user.id or user.role != "caseworker":
        raise ApiError(404, "not_found", "no such draft")
    audit.record(
        session,
        "draft.read",
        user=user,
        ip=ip,
        object_type="draft",
        object_id=draft.id,
        case_ref=draft.case_ref,
    )
    return draft


def record_refused(
    session: Session,
    user: User | None,
    ip: str,
    draft_ref: str,
    status: int,
    *,
    method: str = "",
    path: str = "",
    reason: str = "",
) -> bool:
    """Audit a refused request for the draft `draft_ref` (`access.refused`, with the case
    reference when the draft exists). Returns False, recording nothing, for a 404 on the
    owner's own draft: a missing version of your own draft is no refused access (a 403 there,
    a forged form without its CSRF token, is recorded)."""
    draft = None
    object_id = draft_ref[:64]
    try:
        key = uuid.UUID(draft_ref)
    except ValueError:
        key = None
    if key is not None:
        object_id = str(key)
        draft = session.get(Draft, key)
    if (
        status == 404
        and draft is not None
        and user is not None
        and user.role == "caseworker"
        and draft.owner_id == user.id
    ):
        return False
    audit.record(
        session,
        "access.refused",
        user=user,
        ip=ip,
        object_type="draft",
        object_id=object_id,
        case_ref=draft.case_ref if draft is not None else None,
        status=status,
        method=method,
        path=path,
        reason=reason,
    )
    return True


def list_own(
    session: Session,
    user: User,
    ip: str,
    *,
    case_ref: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Draft]:
    """The caller's drafts, newest first (audit-logged as one list read)."""
    query = select(Draft).where(Draft.owner_id == user.id)
    if case_ref is not None:
        query = query.where(Draft.case_ref == case_ref)
    query = query.order_by(Draft.received_at.desc(), Draft.id).limit(limit).offset(offset)
    rows = list(session.scalars(query))
    audit.record(
        session,
        "draft.list",
        user=user,
        ip=ip,
        object_type="draft",
        case_ref=case_ref,
        count=len(rows),
        offset=offset,
    )
    return rows
