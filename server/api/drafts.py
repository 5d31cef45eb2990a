"""A caseworker's own drafts as JSON (the web view renders the same through server.drafts)."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from server import drafts
from server.deps import ClientIP, CurrentCaseworker, SessionDep
from server.schemas import DraftPublic, DraftSummary

router = APIRouter(prefix="/drafts", tags=["drafts"])


@router.get("", response_model=list[DraftSummary])
def list_drafts(
    user: CurrentCaseworker,
    db: SessionDep,
    ip: ClientIP,
    case_ref: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> list[DraftSummary]:
    """The caller's drafts, newest first; optionally one case only."""
    rows = drafts.list_own(db, user, ip, case_ref=case_ref, limit=limit, offset=offset)
    db.commit()
    return [DraftSummary.model_validate(r) for r in rows]


@router.get("/{draft_id}", response_model=DraftPublic)
def read_draft(
    draft_id: uuid.UUID, user: CurrentCaseworker, db: SessionDep, ip: ClientIP
) -> DraftPublic:
    """One of the caller's drafts with its signed content; anyone else's is a 404."""
    row = drafts.own_draft(db, user, draft_id, ip)
    db.commit()
    summary = DraftSummary.model_validate(row).model_dump()
    return DraftPublic(
        **summary,
        payload_sha256=row.payload_sha256,
        key_id=row.key_id,
        catalogue_version=row.catalogue_version,
        draft=json.loads(row.payload),
    )
