"""A real `fredag server serve` process on 127.0.0.1 and a small JSON client for it.

Reusable by every server-side test (web view, sync): `ServerProcess.start(url, home)` migrates,
creates an admin with the CLI, serves on a free port and waits until it answers; `Api` is an
httpx client that remembers the CSRF token of its login.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.support.cli import FREDAG
from tests.support.postgres import free_port

ADMIN = "admin"
ADMIN_PASSWORD = "admin-password-1"
PASSWORD = "caseworker-password-1"


# Cheap argon2 for tests (production keeps the RFC 9106 defaults; see docs/server.md).
FAST_ARGON2 = {
    "FREDAG_ARGON2_TIME_COST": "1",
    "FREDAG_ARGON2_MEMORY_KIB": "1024",
    "FREDAG_ARGON2_PARALLELISM": "1",
}


def upgrade(database_url: str) -> None:
    from server.migrate import upgrade as migrate

    migrate(database_url)


def add_user(database_url: str, name: str, password: str, role: str) -> None:
    """Create a user straight in the database, as `fredag server create-user` does."""
    from server.api.admin import create_user
    from server.db import make_engine, make_sessionmaker, session_scope
    from server.schemas import UserCreate

    engine = make_engine(database_url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            create_user(session, None, UserCreate(username=name, password=password, role=role), "")
    finally:
        engine.dispose()


class Api(httpx.Client):
    """An httpx client for one person (or device) talking to the server."""

    csrf: str | None = None

    def login(self, username: str, password: str) -> httpx.Response:
        response = self.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        if response.status_code == 200:
            self.csrf = response.json()["csrf_token"]
            self.headers["X-CSRF-Token"] = self.csrf
        return response


@dataclass
class ServerProcess:
    database_url: str
    home: Path
    port: int
    process: subprocess.Popen[bytes]
    secret: str
    scheme: str = "http"
    log: Path = field(default_factory=Path)

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @classmethod
    def start(
        cls,
        database_url: str,
        home: Path,
        *,
        workers: int = 1,
        extra_args: tuple[str, ...] = (),
        create_admin: bool = True,
        migrate: bool = True,
        env_overrides: dict[str, str] | None = None,
    ) -> ServerProcess:
        """Migrate, create the admin, serve (CLI), and wait until /api/v1/health answers."""
        home.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(32)
        env = {
            **os.environ,
            "FREDAG_HOME": str(home),
            "FREDAG_ENV": "production",
            "FREDAG_SECRET_KEY": secret,
            **FAST_ARGON2,
        }
        env.pop("FREDAG_DATABASE_URL", None)
        env.update(env_overrides or {})
        # In-process (the CLI itself is tested in test_cli.py): saves two interpreter starts.
        if migrate:
            upgrade(database_url)
        if create_admin:
            add_user(database_url, ADMIN, ADMIN_PASSWORD, "admin")
        port = free_port()
        log = home / f"server-{port}.log"
        scheme = "https" if "--certfile" in extra_args else "http"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    str(FREDAG),
                    "server",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--database-url",
                    database_url,
                    "--workers",
                    str(workers),
                    "--log-level",
                    "warning",
                    *extra_args,
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = cls(database_url, home, port, process, secret, scheme, log)
        server.wait_ready()
        return server

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()}")
            try:
                response = httpx.get(f"{self.base_url}/api/v1/health", verify=False, timeout=2)
                if response.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not answer in {timeout}s: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)

    def client(self) -> Api:
        return Api(base_url=self.base_url, timeout=30, verify=False)

    def admin(self) -> Api:
        api = self.client()
        assert api.login(ADMIN, ADMIN_PASSWORD).status_code == 200
        return api


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


@dataclass
class EnrolledDevice:
    key: Ed25519PrivateKey
    device_id: int
    key_id: str
    owner: str
    api: Api
    server_key: dict[str, Any]

    def upload(self, envelope: Any) -> httpx.Response:
        body = envelope if isinstance(envelope, dict) else envelope.model_dump(mode="json")
        return self.api.post("/api/v1/drafts", json=body)


def new_caseworker(server: ServerProcess, admin: Api) -> tuple[str, Api]:
    """A new caseworker (unique name), logged in."""
    name = unique("cw")
    made = admin.post(
        "/api/v1/admin/users", json={"username": name, "password": PASSWORD, "role": "caseworker"}
    )
    assert made.status_code == 201, made.text
    api = server.client()
    assert api.login(name, PASSWORD).status_code == 200
    return name, api


def enroll_device(server: ServerProcess, admin: Api, caseworker: str) -> EnrolledDevice:
    """A fresh Ed25519 key enrolled for `caseworker` with a new one-time code."""
    code = admin.post("/api/v1/admin/enrollment-codes", json={"caseworker": caseworker})
    assert code.status_code == 201, code.text
    key = Ed25519PrivateKey.generate()
    api = server.client()
    enrolled = api.post(
        "/api/v1/devices/enroll",
        json={"code": code.json()["code"], "public_key": key.public_key().public_bytes_raw().hex()},
    )
    assert enrolled.status_code == 201, enrolled.text
    body = enrolled.json()
    return EnrolledDevice(
        key, body["device_id"], body["key_id"], caseworker, api, body["server_key"]
    )
