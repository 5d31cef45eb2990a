"""Device enrollment with one-time, expiring codes, and revocation."""

from __future__ import annotations

import time

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fredag.protocol import b64url_decode, b64url_encode, key_id
from tests.server.harness import Api, EnrolledDevice, ServerProcess

ENROLL = "/api/v1/devices/enroll"
CODES = "/api/v1/admin/enrollment-codes"


def _code(admin: Api, caseworker: str, **extra: object) -> str:
    response = admin.post(CODES, json={"caseworker": caseworker, **extra})
    assert response.status_code == 201, response.text
    return str(response.json()["code"])


def _raw_key() -> tuple[Ed25519PrivateKey, bytes]:
    key = Ed25519PrivateKey.generate()
    return key, key.public_key().public_bytes_raw()


class TestEnrollment:
    def test_enroll_with_hex_key_binds_device_to_caseworker(
        self, server: ServerProcess, admin: Api, caseworker: tuple[str, Api]
    ) -> None:
        """A device enrolled with a code belongs to its caseworker and learns the server key."""
        key, raw = _raw_key()
        response = server.client().post(
            ENROLL,
            json={"code": _code(admin, caseworker[0]), "public_key": raw.hex(), "name": "Platta 1"},
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["caseworker"] == caseworker[0]
        assert body["key_id"] == key_id(key.public_key())
        assert len(b64url_decode(body["server_key"]["public_key"])) == 32

    def test_enroll_accepts_base64url_key(
        self, server: ServerProcess, admin: Api, caseworker: tuple[str, Api]
    ) -> None:
        """A public key given as unpadded base64url enrolls the same as hex."""
        key, raw = _raw_key()
        b64 = b64url_encode(raw)
        response = server.client().post(
            ENROLL, json={"code": _code(admin, caseworker[0]), "public_key": b64}
        )
        assert response.status_code == 201, response.text
        assert response.json()["key_id"] == key_id(key.public_key())

    def test_code_works_only_once(
        self, server: ServerProcess, admin: Api, caseworker: tuple[str, Api]
    ) -> None:
        """A second device using an already spent code is refused."""
        code = _code(admin, caseworker[0])
        first = server.client().post(ENROLL, json={"code": code, "public_key": _raw_key()[1].hex()})
        second = server.client().post(
            ENROLL, json={"code": code, "public_key": _raw_key()[1].hex()}
        )
        assert first.status_code == 201
        assert second.status_code == 403
        assert second.json()["code"] == "bad_enrollment_code"

    def test_expired_code_is_refused(
        self, server: ServerProcess, admin: Api, caseworker: tuple[str, Api]
    ) -> None:
        """A code used after its validity ran out enrolls nothing."""
        code = _code(admin, caseworker[0], valid_minutes=0.001)
        time.sleep(0.2)
        response = server.client().post(
            ENROLL, json={"code": code, "public_key": _raw_key()[1].hex()}
        )
        assert response.status_code == 403
        assert "expired" in response.json()["detail"]

    def test_unknown_code_is_refused(self, server: ServerProcess) -> None:
        """A made-up code enrolls nothing."""
        response = server.client().post(
            ENROLL, json={"code": "AAAA-BBBB-CCCC", "public_key": _raw_key()[1].hex()}
        )
        assert response.status_code == 403

    def test_malformed_key_is_refused(
        self, server: ServerProcess, admin: Api, caseworker: tuple[str, Api]
    ) -> None:
        """A public key that is not 32 raw bytes is a 422 and leaves the code unspent."""
        code = _code(admin, caseworker[0])
        bad = server.client().post(ENROLL, json={"code": code, "public_key": "ab" * 31 + "zz"})
        assert bad.status_code == 422
        good = server.client().post(ENROLL, json={"code": code, "public_key": _raw_key()[1].hex()})
        assert good.status_code == 201

    def test_same_key_cannot_enroll_twice(
        self, server: ServerProcess, admin: Api, device: EnrolledDevice
    ) -> None:
        """Re-enrolling an enrolled key is a conflict."""
        response = server.client().post(
            ENROLL,
            json={
                "code": _code(admin, device.owner),
                "public_key": device.key.public_key().public_bytes_raw().hex(),
            },
        )
        assert response.status_code == 409

    def test_codes_only_for_caseworkers(self, admin: Api) -> None:
        """An enrollment code cannot be tied to an administrator or an unknown user."""
        assert admin.post(CODES, json={"caseworker": "admin"}).status_code == 404
        assert admin.post(CODES, json={"caseworker": "nobody_here"}).status_code == 404

    def test_code_is_stored_only_as_hash(
        self, admin: Api, caseworker: tuple[str, Api], db_engine: sa.Engine
    ) -> None:
        """The database never holds the code itself."""
        code = _code(admin, caseworker[0])
        with db_engine.connect() as conn:
            hashes = conn.execute(sa.text("SELECT code_hash FROM enrollment_codes")).scalars().all()
        assert all(code.replace("-", "") not in h and code not in h for h in hashes)


class TestRevocation:
    def test_revoked_device_uploads_are_refused(
        self, admin: Api, device: EnrolledDevice, db_engine: sa.Engine
    ) -> None:
        """After revocation the device's uploads get 403 and nothing is stored."""
        from tests.server.factory import make_draft, signed

        assert device.upload(signed(device.key)).status_code == 201
        revoked = admin.post(f"/api/v1/admin/devices/{device.device_id}/revoke")
        assert revoked.status_code == 200
        assert revoked.json()["revoked_at"] is not None
        draft = make_draft(device.key)
        response = device.upload(signed(device.key, draft))
        assert response.status_code == 403
        assert response.json()["code"] == "device_revoked"
        with db_engine.connect() as conn:
            count = conn.execute(
                sa.text("SELECT count(*) FROM drafts WHERE id = :id"),
                {"id": draft.draft_id.hex if "sqlite" in str(db_engine.url) else draft.draft_id},
            ).scalar_one()
        assert count == 0

    def test_revoking_unknown_device_is_404(self, admin: Api) -> None:
        """Revoking a device that does not exist says so."""
        assert admin.post("/api/v1/admin/devices/999999/revoke").status_code == 404

    def test_caseworker_cannot_revoke(
        self, caseworker: tuple[str, Api], device: EnrolledDevice
    ) -> None:
        """Only administrators revoke devices."""
        response = caseworker[1].post(f"/api/v1/admin/devices/{device.device_id}/revoke")
        assert response.status_code == 403
