"""The JSON API under /api/v1 (all of it in the OpenAPI schema at /api/v1/openapi.json)."""

from __future__ import annotations

from fastapi import APIRouter

from server.api import admin, auth, drafts, sync

api_router = APIRouter()
api_router.include_router(auth.router)
api_router.include_router(sync.router)
api_router.include_router(drafts.router)
api_router.include_router(admin.router)
