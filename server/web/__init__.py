"""The caseworker's review-and-approve web view and the administration pages (issue 6).

Server-rendered Jinja2 + HTMX (vendored in static/), Swedish first. The server core's app
factory calls `register(app)`: it mounts the static files, the page routers and Swedish HTML
error pages for everything outside /api (the JSON API keeps its JSON errors).

Modules: frame (templates, page auth, CSRF), i18n (every string), errors (error pages),
models (review tables), view (read side), highlight (transcript with evidence), review
(changes), entry (the journal text), export (text and PDF), routes_* (pages).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

import server.web.models  # noqa: F401  (registers the review tables on server.models.Base)


def register(app: FastAPI) -> None:
    from server.web import errors, routes_admin, routes_auth, routes_case, routes_oidc
    from server.web.frame import STATIC

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(routes_auth.router)
    app.include_router(routes_oidc.router)
    app.include_router(routes_case.router)
    app.include_router(routes_admin.router)
    errors.install(app)
