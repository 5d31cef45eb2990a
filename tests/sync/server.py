"""The real server app (`server.app.create_app`) in-process, as the sync client's transport,
with faults injected at the transport.

Each test gets its own server: a copy of a migrated SQLite database (made once per run, with
an administrator and the caseworker ``anna``) behind a fresh app, reached through Starlette's
in-process test transport, so every request runs the real routes, ingest, catalogue signing
and database. Nothing listens on a port. `FaultyTransport` sits between the device and that
app and does what a network or a broken proxy would: refuse the connection, time out, answer
503, pass a request on and then drop the answer, hand back a receipt for other bytes, garble
the signature on the way, or swap the catalogue for one the device must refuse.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections import deque
from pathlib import Path
from typing import Any, Literal

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, select
from starlette.testclient import TestClient

from fredag.protocol import b64url_decode, b64url_encode, canonical_json, sign_payload

URL = "http://127.0.0.1:9"  # never contacted: requests go to the app in-process
CASEWORKER = "anna"
ADMIN = "admin"

# Upload faults, consumed one per upload request.
Fault = Literal["refused", "timeout", "503", "lost_answer", "bad_receipt", "garbled"]
# What the transport does to the catalogue answer (None: passes the server's through).
CatalogueFault = Literal["none_published", "foreign_key", "invalid"]


def make_template(directory: Path) -> Path:
    """A migrated SQLite database with an administrator and the caseworker `anna`."""
    from server.db import make_engine, make_sessionmaker, session_scope
    from server.migrate import upgrade
    from server.models import User

    path = directory / "template.db"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            for name, role in ((ADMIN, "admin"), (CASEWORKER, "caseworker")):
                # The sync never logs in: no password hash is needed.
                session.add(User(username=name, full_name=name, role=role, password_hash="-"))
    finally:
        engine.dispose()
    return path


class SyncServer:
    """One real server app on its own copy of the template database."""

    def __init__(self, template: Path, directory: Path) -> None:
        from server.app import create_app
        from server.config import load_settings

        directory.mkdir(parents=True, exist_ok=True)
        database = directory / "fredag.db"
        shutil.copyfile(template, database)
        self.app = create_app(
            load_settings(database_url=f"sqlite:///{database}", env="development")
        )
        self._own_signing_key()
        self.client = TestClient(self.app, base_url=URL, raise_server_exceptions=True)
        self.faults: deque[Fault] = deque()
        self.catalogue_fault: CatalogueFault | None = None
        self.uploads = 0  # upload requests that reached the transport

    def close(self) -> None:
        self.client.close()
        self.app.state.engine.dispose()

    def transport(self) -> FaultyTransport:
        return FaultyTransport(self)

    # -- the server's side, read or changed straight in its database -------------------------
    def _session(self) -> Any:
        return self.app.state.sessionmaker()

    def _own_signing_key(self) -> None:
        """A key of its own, as `fredag server migrate` makes for each new server (the copied
        template would otherwise give every test server the same one)."""
        from server.keys import ensure_server_key
        from server.models import ServerKey

        with self._session() as session:
            session.execute(delete(ServerKey))
            ensure_server_key(session)
            session.commit()

    def issue_code(self, caseworker: str = CASEWORKER) -> str:
        """A one-time enrollment code, as an administrator issues it."""
        from server.devices import issue_code
        from server.models import User

        with self._session() as session:
            admin = session.scalars(select(User).where(User.username == ADMIN)).one()
            code, _user, _expires = issue_code(
                session, self.app.state.settings, admin, caseworker, "127.0.0.1"
            )
            session.commit()
        return code

    def drafts(self) -> dict[str, bytes]:
        """Every stored draft: draft_id → the payload bytes as received."""
        from server.models import Draft

        with self._session() as session:
            rows = session.execute(select(Draft.id, Draft.payload)).all()
        return {str(row.id): bytes(row.payload) for row in rows}

    def revoke_all_devices(self) -> None:
        from server.devices import revoke
        from server.models import Device, User

        with self._session() as session:
            admin = session.scalars(select(User).where(User.username == ADMIN)).one()
            for device in session.scalars(select(Device)).all():
                revoke(session, admin, device.id, "127.0.0.1")
            session.commit()

    def server_key(self) -> tuple[str, Ed25519PrivateKey]:
        """The server's current signing key: (key id, private key)."""
        from server.keys import current_key

        with self._session() as session:
            row, private = current_key(session)
            return row.key_id, private

    def catalogue(self) -> tuple[str, dict[str, Any]] | None:
        """The published catalogue: (version, body)."""
        from server.catalogue import current

        with self._session() as session:
            row = current(session)
            return None if row is None else (row.version, json.loads(row.body))

    def publish(self, body: dict[str, Any], version: str) -> None:
        from server.catalogue import publish

        with self._session() as session:
            publish(session, body, version, None)
            session.commit()

    def unpublish_all(self) -> None:
        from server.models import CatalogueVersion

        with self._session() as session:
            session.execute(delete(CatalogueVersion))
            session.commit()


# Set again by whoever sends the bytes on (and the test client hands back decoded content).
_HOP = frozenset({"host", "content-length", "transfer-encoding", "content-encoding", "connection"})


def _json(status: int, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
    return httpx.Response(status, json=body, request=request)


class FaultyTransport(httpx.BaseTransport):
    """The device's transport: the real app in-process, with the faults its server names."""

    def __init__(self, server: SyncServer) -> None:
        self.server = server

    def _app(self, request: httpx.Request) -> httpx.Response:
        """The request as the app answers it (Starlette's test client speaks its own httpx)."""
        answer = self.server.client.request(
            request.method,
            request.url.raw_path.decode("ascii"),
            content=request.read(),
            headers={k: v for k, v in request.headers.items() if k.lower() not in _HOP},
        )
        headers = [(k, v) for k, v in answer.headers.multi_items() if k.lower() not in _HOP]
        return httpx.Response(
            answer.status_code, headers=headers, content=answer.content, request=request
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/v1/drafts":
            return self._upload(request)
        if path == "/api/v1/catalogue" and self.server.catalogue_fault is not None:
            return self._catalogue(request, self.server.catalogue_fault)
        return self._app(request)

    def _upload(self, request: httpx.Request) -> httpx.Response:
        self.server.uploads += 1
        fault = self.server.faults.popleft() if self.server.faults else None
        if fault == "refused":
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if fault == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if fault == "503":  # a proxy in front of the server, overloaded
            return _json(503, {"detail": "busy", "code": "busy"}, request)
        if fault == "garbled":  # the signature damaged on the way: the server must refuse it
            envelope = json.loads(request.content)
            signature = bytearray(b64url_decode(envelope["signature"]))
            signature[0] ^= 0xFF
            envelope["signature"] = b64url_encode(bytes(signature))
            request = httpx.Request(request.method, request.url, json=envelope)
        response = self._app(request)
        if fault == "lost_answer":  # stored by the server, the answer never arrives
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        if fault == "bad_receipt" and response.status_code < 300:
            body = response.json()
            body["payload_sha256"] = "0" * 64
            return _json(response.status_code, body, request)
        return response

    def _catalogue(self, request: httpx.Request, fault: CatalogueFault) -> httpx.Response:
        if fault == "none_published":
            return _json(404, {"detail": "none", "code": "no_catalogue"}, request)
        response = self._app(request)
        body = response.json()
        payload = json.loads(b64url_decode(body["envelope"]["payload"]))
        if fault == "foreign_key":
            signer = Ed25519PrivateKey.generate()
            payload["version"] = body["version"] = f"{body['version']}-evil-{uuid.uuid4().hex[:6]}"
        else:  # "invalid": signed by the real server key, but a contract slug is missing
            _kid, signer = self.server.server_key()
            payload["catalogue"]["factors"] = payload["catalogue"]["factors"][:-1]
        body["envelope"] = sign_payload(canonical_json(payload), signer).model_dump(mode="json")
        return _json(200, body, request)
