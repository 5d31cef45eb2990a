"""An in-process stand-in for the server's sync API behind `httpx.MockTransport`, with faults.

It keeps drafts by draft_id exactly as the real server does (verify, store once, 200 duplicate
for the same bytes) and can be told to fail the next requests: refuse the connection, time
out, answer 503, or store the draft and then drop the answer ("lost answer").
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fredag.errors import SignatureError
from fredag.protocol import (
    SignedEnvelope,
    b64url_decode,
    b64url_encode,
    canonical_json,
    key_id,
    sign_payload,
    verify_draft,
)

Fault = Literal["refused", "timeout", "503", "422", "lost_answer", "revoked", "bad_receipt"]
URL = "http://127.0.0.1:9"


def packaged_catalogue() -> dict[str, Any]:
    from risk_factors.catalogue import load_catalogue

    data: dict[str, Any] = load_catalogue().model_dump(mode="json")
    return data


class FakeServer:
    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.devices: dict[str, Ed25519PublicKey] = {}
        self.drafts: dict[str, bytes] = {}
        self.uploads = 0
        self.faults: deque[Fault] = deque()
        self.catalogue: dict[str, Any] | None = None
        self.catalogue_version = "2026.11-1"
        self.sign_catalogue_with: Ed25519PrivateKey | None = None

    @property
    def server_key(self) -> dict[str, str]:
        raw = self.key.public_key().public_bytes_raw()
        return {
            "key_id": key_id(self.key.public_key()),
            "alg": "Ed25519",
            "public_key": b64url_encode(raw),
        }

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/v1/devices/enroll":
            return self._enroll(json.loads(request.content))
        if path == "/api/v1/catalogue":
            return self._catalogue()
        if path == "/api/v1/drafts":
            return self._upload(request)
        return httpx.Response(404, json={"detail": "not found", "code": "not_found"})

    def _enroll(self, body: dict[str, Any]) -> httpx.Response:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(body["public_key"]))
        kid = key_id(public)
        self.devices[kid] = public
        return httpx.Response(
            201,
            json={
                "device_id": len(self.devices),
                "key_id": kid,
                "caseworker": "anna",
                "server_key": self.server_key,
            },
        )

    def _upload(self, request: httpx.Request) -> httpx.Response:
        self.uploads += 1
        fault = self.faults.popleft() if self.faults else None
        if fault == "refused":
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if fault == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if fault == "503":
            return httpx.Response(503, json={"detail": "busy", "code": "busy"})
        if fault == "422":
            return httpx.Response(422, json={"detail": "not a valid draft", "code": "invalid"})
        if fault == "revoked":
            return httpx.Response(
                403, json={"detail": "this device has been revoked", "code": "device_revoked"}
            )
        envelope = SignedEnvelope.model_validate_json(request.content)
        public = self.devices.get(envelope.key_id)
        if public is None:
            return httpx.Response(403, json={"detail": "unknown", "code": "unknown_device"})
        try:
            draft = verify_draft(envelope, public)
        except SignatureError as exc:
            return httpx.Response(400, json={"detail": str(exc), "code": "bad_signature"})
        payload = b64url_decode(envelope.payload)
        draft_id = str(draft.draft_id)
        duplicate = draft_id in self.drafts
        if duplicate and self.drafts[draft_id] != payload:
            return httpx.Response(409, json={"detail": "conflict", "code": "draft_id_conflict"})
        self.drafts[draft_id] = payload
        if fault == "lost_answer":
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        sha = hashlib.sha256(payload).hexdigest()
        if fault == "bad_receipt":
            sha = "0" * 64
        return httpx.Response(
            200 if duplicate else 201,
            json={
                "draft_id": draft_id,
                "duplicate": duplicate,
                "received_at": datetime.now(UTC).isoformat(),
                "payload_sha256": sha,
            },
        )

    def _catalogue(self) -> httpx.Response:
        if self.catalogue is None:
            return httpx.Response(404, json={"detail": "none", "code": "no_catalogue"})
        wrapped = {
            "format": "fredag.catalogue/1",
            "version": self.catalogue_version,
            "catalogue": self.catalogue,
        }
        signer = self.sign_catalogue_with or self.key
        envelope = sign_payload(canonical_json(wrapped), signer)
        return httpx.Response(
            200,
            json={
                "version": self.catalogue_version,
                "sha256": hashlib.sha256(canonical_json(self.catalogue)).hexdigest(),
                "published_at": datetime.now(UTC).isoformat(),
                "envelope": envelope.model_dump(mode="json"),
                "server_key": self.server_key,
            },
        )
