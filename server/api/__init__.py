"""The JSON API under /api/v1 (all of it in the OpenAPI schema at /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.api import admin, auth, drafts, sync
from server.schemas import ErrorBody

_REFUSALS = {
    400: "malformed or refused request",
    401: "not logged in",
    403: "not allowed",
    404: "no such object (or not yours)",
    409: "conflicts with stored data",
    413: "body too large",
    422: "invalid values",
    429: "too many failed logins",
}
# Documented for every operation, so the OpenAPI schema shows the JSON error shape actually sent.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in _REFUSALS.items()
}

api_router = APIRouter(responses=ERROR_RESPONSES)
api_router.include_router(auth.router)
api_router.include_router(sync.router)
api_router.include_router(drafts.router)
api_router.include_router(admin.router)
