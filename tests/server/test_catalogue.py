"""The catalogue devices download: current version, signed with the server's key."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from fredag.errors import SignatureError
from fredag.protocol import (
    SignedEnvelope,
    b64url_decode,
    b64url_encode,
    canonical_json,
    verify_payload,
)
from tests.server.harness import Api, EnrolledDevice, ServerProcess


def _bundled() -> dict[str, Any] | None:
    from server.catalogue import bundled_catalogue

    return bundled_catalogue()


def publish_direct(engine: sa.Engine, body: dict[str, Any]) -> str:
    """Store a catalogue version straight in the database (bypassing content validation)."""
    from server.models import CatalogueVersion

    version = f"test-{uuid.uuid4().hex[:8]}"
    data = canonical_json({**body, "version": version})
    with Session(engine) as session:
        session.add(
            CatalogueVersion(version=version, body=data, sha256=hashlib.sha256(data).hexdigest())
        )
        session.commit()
    return version


class TestCatalogueDownload:
    def test_current_catalogue_is_signed_by_the_server_key(
        self, server: ServerProcess, db_engine: sa.Engine, device: EnrolledDevice
    ) -> None:
        """The downloaded catalogue verifies against the key the device got at enrollment."""
        version = publish_direct(db_engine, {"factors": [{"slug": "test_factor"}]})
        response = httpx.get(f"{server.base_url}/api/v1/catalogue")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["version"] == version
        server_key = Ed25519PublicKey.from_public_bytes(
            b64url_decode(device.server_key["public_key"])
        )
        payload = verify_payload(SignedEnvelope.model_validate(body["envelope"]), server_key)
        signed = json.loads(payload)
        assert signed["format"] == "fredag.catalogue/1"
        assert signed["version"] == version
        assert signed["catalogue"]["factors"] == [{"slug": "test_factor"}]
        assert hashlib.sha256(canonical_json(signed["catalogue"])).hexdigest() == body["sha256"]

    def test_tampered_catalogue_fails_verification(
        self, server: ServerProcess, db_engine: sa.Engine, device: EnrolledDevice
    ) -> None:
        """Changing the signed catalogue bytes makes the device's verification fail."""
        publish_direct(db_engine, {"factors": [{"slug": "test_factor"}]})
        envelope = httpx.get(f"{server.base_url}/api/v1/catalogue").json()["envelope"]
        payload = json.loads(b64url_decode(envelope["payload"]))
        payload["catalogue"]["factors"] = []
        envelope["payload"] = b64url_encode(canonical_json(payload))
        server_key = Ed25519PublicKey.from_public_bytes(
            b64url_decode(device.server_key["public_key"])
        )
        with pytest.raises(SignatureError):
            verify_payload(SignedEnvelope.model_validate(envelope), server_key)


class TestCataloguePublish:
    def test_invalid_catalogue_is_refused(self, admin: Api) -> None:
        """A catalogue without factors is refused with 422 and a reason."""
        response = admin.post("/api/v1/admin/catalogue", json={"catalogue": {"factors": []}})
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_catalogue"

    def test_publish_becomes_current_and_is_logged(self, server: ServerProcess, admin: Api) -> None:
        """A published catalogue is what devices download next, and the change is audited."""
        bundled = _bundled()
        if bundled is None:
            pytest.skip("risk_factors has no bundled catalogue to publish yet")
        version = f"{bundled['version']}-test-{uuid.uuid4().hex[:6]}"
        response = admin.post(
            "/api/v1/admin/catalogue", json={"catalogue": {**bundled, "version": version}}
        )
        assert response.status_code == 201, response.text
        assert httpx.get(f"{server.base_url}/api/v1/catalogue").json()["version"] == version
        rows = admin.get("/api/v1/admin/audit", params={"action": "catalogue.publish"}).json()
        assert any(r["object_id"] == version for r in rows)

    @pytest.mark.parametrize("name", ["ny version!", "2026.12&x=1", "-1", "x" * 65])
    def test_a_name_that_is_no_version_name_is_refused(self, admin: Api, name: str) -> None:
        """A version name outside letters, digits and . _ - is refused (422), nothing published."""
        bundled = _bundled()
        if bundled is None:
            pytest.skip("risk_factors has no bundled catalogue to publish yet")
        response = admin.post(
            "/api/v1/admin/catalogue", json={"catalogue": {**bundled, "version": name}}
        )
        assert response.status_code == 422, response.text
        assert "not a version name" in response.text
        rows = admin.get("/api/v1/admin/audit", params={"action": "catalogue.publish"}).json()
        assert not any(r["object_id"] == name for r in rows)

    def test_caseworker_cannot_publish(self, caseworker: tuple[str, Api]) -> None:
        """Only administrators change the catalogue."""
        response = caseworker[1].post(
            "/api/v1/admin/catalogue", json={"catalogue": {"factors": []}}
        )
        assert response.status_code == 403
