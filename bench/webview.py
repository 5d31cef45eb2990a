"""Web view latency: the draft page and the inbox with 100,000 drafts stored.

Set-up per database (SQLite file, then a throw-away PostgreSQL cluster): a real
`fredag server serve` (uvicorn, one worker), a caseworker with an enrolled device, one real
signed draft uploaded through the sync API, then 100,000 drafts bulk-inserted with SQLAlchemy
core: each a distinct payload (the real draft with its own draft_id, so nothing is served from
the parsed-draft cache), half of them the measured caseworker's, the rest spread over others.

Measured from one keep-alive HTTP client, logged in through the login form: GET of a random
one of the caseworker's drafts (`/utkast/{id}`: ownership check, payload parse, catalogue
names, highlighting, template, one audit row committed) and of the inbox (`/inkorg`, first
page, and a page half-way down reached by its "Äldre" cursor; 50 rows, one audit row).
Targets: draft page p95 <= 100 ms, inbox p95 <= 150 ms.
"""

from __future__ import annotations

import hashlib
import http.client
import random
import re
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

NAME = "webview"
DRAFTS = 100_000
OWN_SHARE = 0.5
OTHER_OWNERS = 9
REQUESTS = 300
WARMUP = 30
TARGET_DRAFT_MS = 100.0
TARGET_INBOX_MS = 150.0
BATCH = 5_000


class _Client:
    """One keep-alive connection that keeps the session cookie."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body, headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def login(self, username: str, password: str) -> None:
        from urllib.parse import urlencode

        status, page = self.request("GET", "/logga-in")
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if status != 200 or match is None:
            raise RuntimeError(f"login page: HTTP {status}")
        form = urlencode(
            {"username": username, "password": password, "csrf_token": match[1], "next": ""}
        )
        status, _ = self.request("POST", "/logga-in", form)
        if status != 303:
            raise RuntimeError(f"login failed: HTTP {status}")

    def timed(self, path: str) -> float:
        start = time.perf_counter()
        status, _ = self.request("GET", path)
        elapsed = time.perf_counter() - start
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        return elapsed * 1000


def _bulk_insert(database_url: str, template: dict[str, Any], owners: list[int]) -> list[str]:
    """Insert DRAFTS rows (SQLAlchemy core, batched); returns the measured owner's draft ids."""
    import sqlalchemy as sa

    from server.db import make_engine
    from server.models import Draft

    table = Draft.__table__
    payload: bytes = template["payload"]
    old_id = str(template["id"]).encode()
    own_ids: list[str] = []
    now = datetime.now(UTC)
    rng = random.Random(6)  # noqa: S311  (reproducible set-up, not security)
    engine = make_engine(database_url)
    try:
        for start in range(0, DRAFTS, BATCH):
            rows = []
            for i in range(start, min(start + BATCH, DRAFTS)):
                draft_id = uuid.uuid4()
                body = payload.replace(old_id, str(draft_id).encode())
                own = rng.random() < OWN_SHARE
                owner = owners[0] if own else owners[1 + i % (len(owners) - 1)]
                if own:
                    own_ids.append(str(draft_id))
                rows.append(
                    {
                        **template,
                        "id": draft_id,
                        "owner_id": owner,
                        "case_ref": f"BoU-2026-{i % 5000:04d}",
                        "received_at": now - timedelta(seconds=DRAFTS - i),
                        "payload": body,
                        "payload_sha256": hashlib.sha256(body).hexdigest(),
                    }
                )
            with engine.begin() as conn:
                conn.execute(sa.insert(table), rows)
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
    finally:
        engine.dispose()
    return own_ids


def _template(database_url: str, draft_id: str) -> dict[str, Any]:
    import sqlalchemy as sa

    from server.db import make_engine
    from server.models import Draft

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(sa.select(Draft.__table__).where(Draft.id == uuid.UUID(draft_id)))
            return dict(row.mappings().one())
    finally:
        engine.dispose()


def _deep_cursor(database_url: str, owner_id: int, offset: int) -> str:
    """The inbox cursor ("Äldre" link) of the row `offset` rows down the owner's inbox."""
    import sqlalchemy as sa

    from server.db import make_engine
    from server.models import Draft

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            at, key = conn.execute(
                sa.select(Draft.received_at, Draft.id)
                .where(Draft.owner_id == owner_id)
                .order_by(Draft.received_at.desc(), Draft.id.desc())
                .offset(offset)
                .limit(1)
            ).one()
    finally:
        engine.dispose()
    return f"{at.isoformat()}~{key.hex}"


def _p(values: list[float], q: int) -> float:
    return round(statistics.quantiles(values, n=100)[q - 1], 1)


def _measure(database_url: str, home: Path) -> dict[str, Any]:
    from tests.server.harness import PASSWORD, ServerProcess
    from tests.web.conftest import current_catalogue, make_person, upload
    from tests.web.meeting import meeting_draft

    server = ServerProcess.start(database_url, home, workers=1)
    try:
        admin = server.admin()
        person = make_person(server, admin, "bench_cw", "Bänk Handläggare")
        others = []
        for n in range(OTHER_OWNERS):
            made = admin.post(
                "/api/v1/admin/users",
                json={"username": f"bench_o{n}", "password": PASSWORD, "role": "caseworker"},
            )
            others.append(int(made.json()["id"]))
        first = upload(person, meeting_draft(person.device.key, current_catalogue(server)))
        template = _template(database_url, first)
        t0 = time.perf_counter()
        own_ids = _bulk_insert(database_url, template, [template["owner_id"], *others])
        insert_s = time.perf_counter() - t0

        client = _Client(server.port)
        client.login(person.username, PASSWORD)
        rng = random.Random(7)  # noqa: S311
        for _ in range(WARMUP):
            client.timed(f"/utkast/{rng.choice(own_ids)}")
            client.timed("/inkorg")
        draft_ms = [client.timed(f"/utkast/{rng.choice(own_ids)}") for _ in range(REQUESTS)]
        inbox_ms = [client.timed("/inkorg") for _ in range(REQUESTS)]
        deep = len(own_ids) // 50 // 2
        cursor = quote(_deep_cursor(database_url, template["owner_id"], deep * 50))
        deep_ms = [
            client.timed(f"/inkorg?efter={cursor}&sida={deep + 1}") for _ in range(REQUESTS // 3)
        ]
        return {
            "drafts_stored": DRAFTS + 1,
            "own_drafts": len(own_ids) + 1,
            "payload_bytes": len(template["payload"]),
            "bulk_insert_s": round(insert_s, 1),
            "draft_page_p50_ms": _p(draft_ms, 50),
            "draft_page_p95_ms": _p(draft_ms, 95),
            "inbox_p50_ms": _p(inbox_ms, 50),
            "inbox_p95_ms": _p(inbox_ms, 95),
            "inbox_deep_page": deep,
            "inbox_deep_p95_ms": _p(deep_ms, 95),
            "meets_draft_target": _p(draft_ms, 95) <= TARGET_DRAFT_MS,
            "meets_inbox_target": _p(inbox_ms, 95) <= TARGET_INBOX_MS,
        }
    finally:
        server.stop()


def run() -> dict[str, Any]:
    from bench.databases import on_both

    result: dict[str, Any] = {
        "requests": REQUESTS,
        "target_draft_ms": TARGET_DRAFT_MS,
        "target_inbox_ms": TARGET_INBOX_MS,
        "workers": 1,
    }
    with tempfile.TemporaryDirectory(prefix="fredag-bench-webview-") as tmp:
        result.update(on_both(_measure, Path(tmp), "benchweb", postgres_optional=True))
    return result


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "## Web view: draft page and inbox with 100,000 drafts",
        "",
        "Real uvicorn, one worker; one keep-alive client on the same machine, logged in as a "
        "caseworker who owns about half of the 100,000 stored drafts (each a distinct payload). "
        f"{result['requests']} requests per page after warm-up; every request checks ownership "
        "and commits an audit row. Draft page: a random one of the caseworker's drafts. "
        "Inbox: first page of 50, and a page half-way down (keyset cursor). "
        f"Targets: draft page p95 ≤ {result['target_draft_ms']:g} ms, "
        f"inbox p95 ≤ {result['target_inbox_ms']:g} ms.",
        "",
        "| Database | draft page p50 / p95 | inbox p50 / p95 | inbox deep page p95 "
        "| bulk insert | targets |",
        "|---|---|---|---|---|---|",
    ]
    for backend in ("sqlite", "postgres"):
        r = result.get(backend, {})
        if "skipped" in r or not r:
            lines.append(f"| {backend} | skipped: {r.get('skipped', 'not run')} | | | | |")
            continue
        ok = r["meets_draft_target"] and r["meets_inbox_target"]
        lines.append(
            f"| {backend} | {r['draft_page_p50_ms']:g} / {r['draft_page_p95_ms']:g} ms "
            f"| {r['inbox_p50_ms']:g} / {r['inbox_p95_ms']:g} ms "
            f"| {r['inbox_deep_p95_ms']:g} ms (page {r['inbox_deep_page']}) "
            f"| {r['bulk_insert_s']:g} s | {'met' if ok else '**missed**'} |"
        )
    return "\n".join(lines)
