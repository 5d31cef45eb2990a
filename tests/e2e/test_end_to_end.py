"""Device process → uvicorn server → the caseworker's draft, evidence and signature intact."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from device.journal.identity import load_identity
from fredag.protocol import b64url_decode, canonical_json
from tests.e2e.support import enrolled_device, exactly_once
from tests.server.harness import Api, ServerProcess


class TestEndToEnd:
    def test_synced_draft_reaches_its_caseworker_intact(
        self, server: ServerProcess, admin: Api, db: sa.Engine, tmp_path: Path
    ) -> None:
        """`fredag sync` delivers a draft the caseworker reads with every evidence unchanged."""
        device, _name, caseworker = enrolled_device(server, admin, tmp_path / "dev", via_cli=True)
        from tests.sync.support import queue_draft

        draft = queue_draft(device.home, case_ref="BU-2026-0042")
        done = device.fredag("sync")
        assert done.returncode == 0, done.stderr
        assert "Skickade 1 nytt utkast" in done.stdout
        got = caseworker.get(f"/api/v1/drafts/{draft.draft_id}")
        assert got.status_code == 200, got.text
        body = got.json()
        sent = draft.model_dump(mode="json", by_alias=True)
        assert body["draft"] == sent  # every field, every evidence, byte for byte below
        assert body["draft"]["factors"][0]["evidence"] == sent["factors"][0]["evidence"]
        assert body["draft"]["assessment"] is None and body["draft"]["planning"] is None
        # The server keeps the signed bytes and the signature; they verify with the device key.
        with db.connect() as conn:
            payload, signature = conn.execute(
                sa.text("SELECT payload, signature FROM drafts WHERE key_id = :k"),
                {"k": device.key_id},
            ).one()
        assert bytes(payload) == canonical_json(sent)
        public: Ed25519PublicKey = load_identity(device.home).public_key
        public.verify(b64url_decode(signature), payload)
        assert exactly_once(db, device.key_id, [str(draft.draft_id)])

    def test_status_tells_what_was_sent(
        self, server: ServerProcess, admin: Api, tmp_path: Path
    ) -> None:
        """After a sync, `fredag status` lists the sent draft and nothing queued."""
        device, _name, _cw = enrolled_device(server, admin, tmp_path / "dev")
        ids = device.queue(2)
        assert device.fredag("sync").returncode == 0
        status = device.fredag("status")
        assert status.returncode == 0
        assert "I kö: 0 utkast" in status.stdout and "Skickade: 2 utkast" in status.stdout
        assert all(i in status.stdout for i in ids)
        assert device.sessions() == 0  # confirmed drafts are deleted from the device

    def test_catalogue_is_pulled_and_pinned(
        self, server: ServerProcess, admin: Api, tmp_path: Path
    ) -> None:
        """The server's published catalogue is verified and used for the next session."""
        from device.sync.catalogue import for_next_session

        device, _name, _cw = enrolled_device(server, admin, tmp_path / "dev")
        done = device.fredag("sync")
        assert done.returncode == 0 and "Ny faktorkatalog" in done.stdout
        published = server.client().get("/api/v1/catalogue").json()
        body = for_next_session(device.home)
        assert body is not None and body["version"] == published["version"]

    def test_finishing_an_interrupted_session_syncs_it(
        self, server: ServerProcess, admin: Api, db: sa.Engine, tmp_path: Path
    ) -> None:
        """`fredag sessions finish` signs an interrupted meeting and uploads it at once."""
        from device.journal.session import SessionLog, SessionMeta
        from device.journal.store import Store
        from fredag.protocol import ModelInfo, Segment
        from tests.server.factory import SHA

        device, _name, caseworker = enrolled_device(server, admin, tmp_path / "dev")
        meta = SessionMeta("BU-2026-0099", "barn", "besök", ("klienten",), "Anna", True)
        log = SessionLog.create(Store(device.home), meta)
        log.model(ModelInfo(name="whisper-base", sha256=SHA), "sv")
        log.segment(Segment(start=0.0, end=3.0, text="Pappa dricker mycket på helgerna."))
        done = device.fredag("sessions", "finish", meta.session_id[:8])
        assert done.returncode == 0, done.stderr
        assert "Skickade 1 nytt utkast" in done.stdout  # the auto-sync line
        listed = caseworker.get("/api/v1/drafts").json()
        assert [d["case_ref"] for d in listed] == ["BU-2026-0099"]
