"""Hostile input against the running server: each a clear 4xx with nothing stored (or, for
valid but hostile text, stored as inert text), and the server stays up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fredag.protocol import (
    b64url_decode,
    b64url_encode,
    canonical_json,
    draft_bytes,
    key_id,
    sign_payload,
)
from tests.e2e.support import all_drafts
from tests.server.factory import envelope_json, make_draft, signed
from tests.server.harness import Api, EnrolledDevice, ServerProcess, enroll_device, new_caseworker

INJECTIONS = [
    "../../../../etc/passwd",
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "'; DROP TABLE drafts; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(5)",
    "${jndi:ldap://127.0.0.1/a}",
    "<script>alert(1)</script>",
    "\u0000",
]
DRAFT_FIELDS: list[tuple[Any, ...]] = [
    ("draft_id",),
    ("device_key_id",),
    ("created_at",),
    ("meeting", "case_ref"),
    ("meeting", "case_type"),
    ("meeting", "contact_type"),
    ("meeting", "caseworker"),
    ("meeting", "present", 0),
    ("meeting", "started_at"),
    ("transcript", "language"),
    ("transcript", "model", "name"),
    ("transcript", "model", "sha256"),
    ("transcript", "segments", 0, "text"),
    ("catalogue", "version"),
    ("catalogue", "sha256"),
    ("factors", 0, "factor"),
    ("factors", 0, "kind"),
    ("factors", 0, "name_sv"),
    ("factors", 0, "evidence", 0, "quote"),
    ("factors", 0, "evidence", 0, "catalogue_version"),
    ("factors", 0, "evidence", 0, "model"),
    ("rendered",),
]


@pytest.fixture(scope="module")
def people(server: ServerProcess, admin: Api) -> Iterator[tuple[str, Api]]:
    """A caseworker for this module, logged in."""
    name, api = new_caseworker(server, admin)
    yield name, api
    api.close()


@pytest.fixture
def device(server: ServerProcess, admin: Api, people: tuple[str, Api]) -> EnrolledDevice:
    """A freshly enrolled device of the module's caseworker."""
    return enroll_device(server, admin, people[0])


@pytest.fixture
def unchanged(server: ServerProcess, db: sa.Engine) -> Iterator[None]:
    """Asserts after the test that nothing was stored and the server still answers."""
    before = all_drafts(db)
    yield
    assert all_drafts(db) == before
    assert httpx.get(f"{server.base_url}/api/v1/health", timeout=10).status_code == 200


def post_raw(device: EnrolledDevice, body: bytes, **headers: str) -> httpx.Response:
    return device.api.post(
        "/api/v1/drafts", content=body, headers={"content-type": "application/json", **headers}
    )


def assert_refused(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.text)
    body = response.json()
    assert body["detail"] and body["code"], body  # a reason in words and a machine code
    assert "Traceback" not in response.text
    return dict(body)


@pytest.mark.usefixtures("unchanged")
class TestRefusedAndNothingStored:
    def test_tampered_payload(self, device: EnrolledDevice) -> None:
        """A payload changed after signing fails the signature check (400)."""
        envelope = envelope_json(signed(device.key))
        payload = b64url_decode(envelope["payload"])
        envelope["payload"] = b64url_encode(payload.replace(b"dricker", b"dansar"))
        assert_refused(device.upload(envelope), 400)

    def test_signature_from_another_device(
        self, device: EnrolledDevice, server: ServerProcess, admin: Api, people: tuple[str, Api]
    ) -> None:
        """Bytes naming device A but signed by enrolled device B are refused."""
        other = enroll_device(server, admin, people[0])
        payload = draft_bytes(make_draft(device.key))
        forged = {
            "format": "fredag.envelope/1",
            "key_id": device.key_id,
            "alg": "Ed25519",
            "payload": b64url_encode(payload),
            "signature": b64url_encode(other.key.sign(payload)),
        }
        assert_refused(device.upload(forged), 400)
        # B signing honestly, but a draft that claims to come from A:
        claimed = sign_payload(payload, other.key).model_dump(mode="json")
        assert_refused(other.upload(claimed), 422)

    def test_unenrolled_key(self, device: EnrolledDevice) -> None:
        """A key the server never enrolled is refused (403)."""
        stranger = Ed25519PrivateKey.generate()
        body = assert_refused(device.upload(signed(stranger)), 403)
        assert body["code"] == "unknown_device"

    def test_revoked_device(self, device: EnrolledDevice, admin: Api) -> None:
        """A revoked device's upload is refused (403) even with a valid signature."""
        revoked = admin.post(f"/api/v1/admin/devices/{device.device_id}/revoke")
        assert revoked.status_code == 200, revoked.text
        body = assert_refused(device.upload(signed(device.key)), 403)
        assert body["code"] == "device_revoked"

    def test_oversized_body(self, device: EnrolledDevice) -> None:
        """A body over the limit is refused with 413, with or without a Content-Length."""
        big = b'{"payload": "' + b"A" * (5 * 1024 * 1024) + b'"}'
        assert_refused(post_raw(device, big), 413)

        def chunks() -> Iterator[bytes]:
            yield b'{"payload": "'
            for _ in range(80):
                yield b"A" * 65536
            yield b'"}'

        streamed = device.api.post(
            "/api/v1/drafts", content=chunks(), headers={"content-type": "application/json"}
        )
        assert_refused(streamed, 413)

    @pytest.mark.parametrize(
        "body",
        [
            b"",
            b"not json",
            b"[]",
            b"null",
            b'"a string"',
            b"\xff\xfe\xfa",
            b'{"payload": 1}',
            b'{"signature": "x"}',
            b"[" * 100_000 + b"]" * 100_000,
            b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        ],
        ids=lambda b: repr(b[:12]),
    )
    def test_malformed_body(self, device: EnrolledDevice, body: bytes) -> None:
        """Bodies that are not a signed envelope get a 4xx naming the problem."""
        assert_refused(post_raw(device, body), 400, 422)

    def test_unknown_field_in_envelope(self, device: EnrolledDevice) -> None:
        """An envelope with a field the protocol does not have is refused (422)."""
        envelope = envelope_json(signed(device.key))
        envelope["note"] = "extra"
        assert_refused(device.upload(envelope), 422)

    def test_unknown_field_in_signed_draft(self, device: EnrolledDevice) -> None:
        """A correctly signed draft with an extra field (say, an assessment) is refused."""
        data = make_draft(device.key).model_dump(mode="json", by_alias=True)
        data["recommendation"] = "placering"
        data["assessment"] = "Barnet bör placeras."
        envelope = sign_payload(canonical_json(data), device.key).model_dump(mode="json")
        assert_refused(device.upload(envelope), 422)

    @pytest.mark.parametrize("field", ["format", "key_id", "alg", "payload", "signature"])
    @pytest.mark.parametrize("attack", INJECTIONS, ids=range(len(INJECTIONS)))
    def test_injection_in_envelope_fields(
        self, device: EnrolledDevice, field: str, attack: str
    ) -> None:
        """Injection strings in any envelope field are refused."""
        envelope = envelope_json(signed(device.key))
        envelope[field] = attack
        assert_refused(device.upload(envelope), 400, 403, 422)

    def test_path_and_sql_injection_in_urls(self, people: tuple[str, Api]) -> None:
        """Hostile draft ids in the URL are a 404 or 422, never a file or a query."""
        _name, caseworker = people
        for attack in [*INJECTIONS[:5], "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "00000000-0000"]:
            response = caseworker.get(f"/api/v1/drafts/{attack}")
            assert response.status_code in (404, 422), (attack, response.status_code)
            assert "root:" not in response.text


class TestHostileTextIsInert:
    @pytest.mark.parametrize("path", DRAFT_FIELDS, ids=lambda p: ".".join(map(str, p)))
    def test_injection_in_every_draft_field(
        self,
        device: EnrolledDevice,
        people: tuple[str, Api],
        db: sa.Engine,
        server: ServerProcess,
        path: tuple[Any, ...],
    ) -> None:
        """Each hostile string in a signed draft is refused, or stored exactly as inert text."""
        _name, caseworker = people
        for attack in INJECTIONS:
            data = make_draft(device.key).model_dump(mode="json", by_alias=True)
            target = data
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = attack
            envelope = sign_payload(canonical_json(data), device.key).model_dump(mode="json")
            before = all_drafts(db)
            response = device.upload(envelope)
            if response.status_code == 201:
                got = caseworker.get(f"/api/v1/drafts/{data['draft_id']}")
                assert got.status_code == 200
                assert got.json()["draft"] == data  # exactly the text sent, inert
                assert all_drafts(db) == before + 1
            else:
                assert_refused(response, 400, 422)
                assert all_drafts(db) == before
        assert httpx.get(f"{server.base_url}/api/v1/health", timeout=10).status_code == 200
        with db.connect() as conn:  # the tables are all still there
            assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar_one() >= 1

    def test_html_in_transcript_is_escaped_in_the_web_view(
        self, device: EnrolledDevice, people: tuple[str, Api]
    ) -> None:
        """<script> in what was said is stored as text and shown escaped, never run."""
        attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
        draft = make_draft(device.key, text=f"Mamma sa {attack} och pappa dricker mycket.")
        assert device.upload(signed(device.key, draft)).status_code == 201
        _name, caseworker = people
        api = caseworker.get(f"/api/v1/drafts/{draft.draft_id}").json()
        assert attack in api["draft"]["transcript"]["segments"][0]["text"]
        page = caseworker.get(f"/utkast/{draft.draft_id}")
        if page.status_code == 404 and "utkast" not in page.text.lower():
            pytest.skip("the web view is not mounted")
        assert page.status_code == 200, page.text[:300]
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;" in page.text

    def test_replay_stores_once(self, device: EnrolledDevice, db: sa.Engine) -> None:
        """The same signed envelope sent again is answered as a duplicate, not stored twice."""
        envelope = signed(device.key)
        before = all_drafts(db)
        first = device.upload(envelope)
        again = device.upload(envelope)
        assert first.status_code == 201 and again.status_code == 200
        assert again.json()["duplicate"] is True
        assert all_drafts(db) == before + 1
        other_bytes = make_draft(device.key, draft_id=make_draft(device.key).draft_id)
        reused = make_draft(device.key, draft_id=other_bytes.draft_id, text="Annat innehåll.")
        assert device.upload(signed(device.key, other_bytes)).status_code == 201
        conflict = device.upload(signed(device.key, reused))
        assert_refused(conflict, 409)
        assert key_id(device.key.public_key()) == device.key_id
