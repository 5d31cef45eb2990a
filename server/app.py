"""The application factory: `create_app(settings)`; uvicorn runs `server.app:create_app`.

Everything a worker needs lives in the database (sessions, throttling, codes, keys), so any
number of workers can serve the same database. The web view mounts its routers on the app
returned here: a `server.web` package with `register(app)` is mounted automatically.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api import api_router
from server.config import API_V1, ServerSettings, get_settings
from server.db import make_engine, make_sessionmaker
from server.errors import error_body, install_handlers


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """Refuse request bodies over `max_bytes` with 413, before reading them into memory.

    A declared Content-Length over the limit is refused at once; a body without one (chunked)
    is counted as it streams and refused as soon as it passes the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            error_body(413, "too_large", f"the request body is larger than {self.max_bytes} bytes")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_bytes + 1
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)


def _mount_web(app: FastAPI) -> None:
    """Mount the HTML web view (issue 6) when its package is there: `server.web.register(app)`."""
    try:
        web = importlib.import_module("server.web")
    except ModuleNotFoundError as exc:
        if exc.name not in ("server.web",):
            raise
        return
    register = getattr(web, "register", None)
    if callable(register):
        register(app)


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """A configured app with its own engine; `settings` default to the environment."""
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    app = FastAPI(
        title="Fredag server",
        version="1",
        openapi_url=f"{API_V1}/openapi.json",
        docs_url=None,  # Swagger UI would load its scripts from a CDN: offline first
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    install_handlers(app)
    app.include_router(api_router, prefix=API_V1)

    @app.get(f"{API_V1}/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    _mount_web(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    return app
