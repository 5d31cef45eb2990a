"""Uploading signed drafts: verified, stored once, and every bad upload refused storing nothing."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fredag.protocol import b64url_decode, b64url_encode, canonical_json, draft_bytes, sign_payload
from tests.server.factory import envelope_json, make_draft, signed
from tests.server.harness import EnrolledDevice, ServerProcess

UPLOAD = "/api/v1/drafts"


def stored_payload(engine: sa.Engine, draft_id: uuid.UUID) -> bytes | None:
    with engine.connect() as conn:
        key = draft_id.hex if engine.dialect.name == "sqlite" else draft_id
        row = conn.execute(
            sa.text("SELECT payload FROM drafts WHERE id = :id"), {"id": key}
        ).first()
    return None if row is None else bytes(row[0])


def count_drafts(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM drafts")).scalar_one())


class TestUpload:
    def test_signed_draft_is_stored_with_its_exact_bytes(
        self, device: EnrolledDevice, db_engine: sa.Engine
    ) -> None:
        """A valid upload answers 201 and the signed bytes are stored unchanged."""
        draft = make_draft(device.key)
        response = device.upload(signed(device.key, draft))
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["duplicate"] is False
        assert body["draft_id"] == str(draft.draft_id)
        assert stored_payload(db_engine, draft.draft_id) == draft_bytes(draft)
        assert body["payload_sha256"] == hashlib.sha256(draft_bytes(draft)).hexdigest()

    def test_same_draft_twice_is_stored_once(
        self, device: EnrolledDevice, db_engine: sa.Engine
    ) -> None:
        """The same draft again answers 200 with duplicate=true and stores nothing new."""
        envelope = signed(device.key)
        first = device.upload(envelope)
        before = count_drafts(db_engine)
        second = device.upload(envelope)
        assert first.status_code == 201
        assert second.status_code == 200
        assert second.json()["duplicate"] is True
        assert second.json()["received_at"] == first.json()["received_at"]
        assert count_drafts(db_engine) == before

    def test_other_payload_with_same_draft_id_is_a_conflict(
        self, device: EnrolledDevice, db_engine: sa.Engine
    ) -> None:
        """Reusing a stored draft_id for different content is 409 and the original stays."""
        original = make_draft(device.key)
        assert device.upload(signed(device.key, original)).status_code == 201
        changed = make_draft(device.key, draft_id=original.draft_id, case_ref="BU-2026-0999")
        response = device.upload(signed(device.key, changed))
        assert response.status_code == 409
        assert response.json()["code"] == "draft_id_conflict"
        assert stored_payload(db_engine, original.draft_id) == draft_bytes(original)

    def test_upload_needs_no_login_but_a_registered_key(self, server: ServerProcess) -> None:
        """An upload signed by a key that was never enrolled is refused as an unknown device."""
        key = Ed25519PrivateKey.generate()
        response = server.client().post(UPLOAD, json=envelope_json(signed(key)))
        assert response.status_code == 403
        assert response.json()["code"] == "unknown_device"

    def test_upload_is_in_openapi(self, server: ServerProcess) -> None:
        """The upload endpoint documents the signed envelope as its request body."""
        schema = httpx.get(f"{server.base_url}/api/v1/openapi.json").json()
        body = schema["paths"][UPLOAD]["post"]["requestBody"]["content"]["application/json"]
        assert "signature" in body["schema"]["properties"]


def _tampered(device: EnrolledDevice) -> dict[str, Any]:
    envelope = envelope_json(signed(device.key))
    payload = json.loads(b64url_decode(envelope["payload"]))
    payload["rendered"] = "Ändrad text"
    envelope["payload"] = b64url_encode(canonical_json(payload))
    return envelope


def _other_signer(device: EnrolledDevice) -> dict[str, Any]:
    envelope = envelope_json(signed(device.key))
    other = Ed25519PrivateKey.generate()
    envelope["signature"] = b64url_encode(other.sign(b64url_decode(envelope["payload"])))
    return envelope


def _unsigned(device: EnrolledDevice) -> dict[str, Any]:
    envelope = envelope_json(signed(device.key))
    del envelope["signature"]
    return envelope


def _empty_signature(device: EnrolledDevice) -> dict[str, Any]:
    return {**envelope_json(signed(device.key)), "signature": ""}


def _unknown_field(device: EnrolledDevice) -> dict[str, Any]:
    return {**envelope_json(signed(device.key)), "extra": "x"}


def _assessment_written(device: EnrolledDevice) -> dict[str, Any]:
    data = make_draft(device.key).model_dump(mode="json", by_alias=True)
    data["assessment"] = "Barnet bör placeras."
    return envelope_json(sign_payload(canonical_json(data), device.key))


def _names_other_device(device: EnrolledDevice) -> dict[str, Any]:
    data = make_draft(device.key).model_dump(mode="json", by_alias=True)
    data["device_key_id"] = "b" * 64
    return envelope_json(sign_payload(canonical_json(data), device.key))


def _not_a_draft(device: EnrolledDevice) -> dict[str, Any]:
    return envelope_json(sign_payload(b'{"hello": "world"}', device.key))


REFUSALS = {
    "tampered payload": (_tampered, 400, "bad_signature"),
    "signature from another key": (_other_signer, 400, "bad_signature"),
    "no signature": (_unsigned, 400, "unsigned"),
    "empty signature": (_empty_signature, 400, "unsigned"),
    "unknown envelope field": (_unknown_field, 422, "malformed"),
    "assessment written by the device": (_assessment_written, 422, "invalid_draft"),
    "draft names another device": (_names_other_device, 422, "invalid_draft"),
    "signed payload that is not a draft": (_not_a_draft, 422, "invalid_draft"),
}


class TestRefusals:
    @pytest.mark.parametrize("case", list(REFUSALS))
    def test_bad_envelope_is_refused_and_nothing_stored(
        self, case: str, device: EnrolledDevice, db_engine: sa.Engine
    ) -> None:
        """Each kind of bad envelope gets its clear 4xx JSON error and stores no draft."""
        make, status, code = REFUSALS[case]
        before = count_drafts(db_engine)
        response = device.upload(make(device))
        assert response.status_code == status, response.text
        assert response.json()["code"] == code
        assert response.json()["detail"]
        assert count_drafts(db_engine) == before

    @pytest.mark.parametrize(
        "body", [b"not json", b"[1, 2]", b"{}", b'{"signature": "x"}', "å".encode("latin-1")]
    )
    def test_malformed_body_is_refused(
        self, body: bytes, device: EnrolledDevice, db_engine: sa.Engine
    ) -> None:
        """Bodies that are not a signed envelope get a 4xx JSON error and store nothing."""
        before = count_drafts(db_engine)
        response = device.api.post(
            UPLOAD, content=body, headers={"content-type": "application/json"}
        )
        assert 400 <= response.status_code < 500
        assert response.json()["detail"]
        assert count_drafts(db_engine) == before

    def test_oversized_body_is_refused_before_reading(
        self, server: ServerProcess, device: EnrolledDevice, db_engine: sa.Engine
    ) -> None:
        """A body declared larger than the limit gets 413 at once."""
        before = count_drafts(db_engine)
        response = device.api.post(UPLOAD, content=b"{" + b" " * (6 * 1024 * 1024) + b"}")
        assert response.status_code == 413
        assert response.json()["code"] == "too_large"
        assert count_drafts(db_engine) == before

    def test_oversized_chunked_body_is_refused(
        self, device: EnrolledDevice, db_engine: sa.Engine
    ) -> None:
        """A chunked body without Content-Length is cut off with 413 once it passes the limit."""

        def chunks() -> Iterator[bytes]:
            for _ in range(100):
                yield b" " * (64 * 1024)

        before = count_drafts(db_engine)
        response = device.api.post(UPLOAD, content=chunks())
        assert response.status_code == 413
        assert count_drafts(db_engine) == before

    def test_server_stays_up_after_refusals(
        self, server: ServerProcess, device: EnrolledDevice
    ) -> None:
        """After a run of bad uploads a good one is still stored."""
        for make, _status, _code in REFUSALS.values():
            device.upload(make(device))
        assert device.upload(signed(device.key)).status_code == 201
        assert server.process.poll() is None


class TestOddButValid:
    def test_draft_time_without_zone_is_taken_as_utc(
        self, device: EnrolledDevice, db_engine: sa.Engine
    ) -> None:
        """A signed draft whose created_at has no time zone is stored, not a server error."""
        from datetime import datetime

        draft = make_draft(device.key, created_at=datetime(2026, 11, 20, 9, 31))
        response = device.upload(signed(device.key, draft))
        assert response.status_code == 201, response.text
        assert stored_payload(db_engine, draft.draft_id) == draft_bytes(draft)

    def test_same_draft_sent_at_once_on_many_connections_is_stored_once(
        self, server: ServerProcess, device: EnrolledDevice, db_engine: sa.Engine
    ) -> None:
        """Eight simultaneous uploads of one draft store it once: one 201, the rest duplicates."""
        from concurrent.futures import ThreadPoolExecutor

        body = envelope_json(signed(device.key))
        before = count_drafts(db_engine)

        def send(_: int) -> int:
            with httpx.Client(base_url=server.base_url) as client:
                return client.post(UPLOAD, json=body).status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = sorted(pool.map(send, range(8)))
        assert statuses == [200] * 7 + [201]
        assert count_drafts(db_engine) == before + 1


class TestSchemaVersions:
    @pytest.mark.parametrize("schema", ["fredag.draft/1", "fredag.draft/2"])
    def test_old_and_new_drafts_are_both_stored(
        self, device: EnrolledDevice, db_engine: sa.Engine, schema: str
    ) -> None:
        """A v1 draft from an older device and a v2 draft with speakers are both accepted."""
        from fredag.protocol import Draft

        data = make_draft(device.key).model_dump(mode="json", by_alias=True)
        for segment in data["transcript"]["segments"]:
            segment["speaker"] = {"role": "other", "label": "person 1", "confidence": 0.7}
        if schema.endswith("/1"):
            data["schema"] = schema
            del data["journal"], data["marks"]
            for item in (*data["factors"], *data["denied"], *data["transcript"]["segments"]):
                item.pop("area", None), item.pop("speaker", None)
        draft = Draft.model_validate(data)
        response = device.upload(signed(device.key, draft))
        assert response.status_code == 201, response.text
        assert stored_payload(db_engine, draft.draft_id) == draft_bytes(draft)
