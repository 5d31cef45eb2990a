"""`fredag device enroll URL CODE`: register this device's key with a server, pin its key."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from device.journal.identity import load_or_init_identity
from device.journal.store import Store
from device.sync import enrollment
from device.sync.transport import ServerApi
from fredag.errors import SyncError, UsageError
from fredag.protocol import b64url_decode, key_id


def _server_key(body: dict[str, object]) -> tuple[str, str]:
    raw_key = body.get("server_key")
    if not isinstance(raw_key, dict):
        raise SyncError("the server sent no signing key with the enrollment")
    text = str(raw_key.get("public_key", ""))
    try:
        raw = b64url_decode(text)
        public = Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise SyncError("the server's signing key is not an Ed25519 key") from exc
    if key_id(public) != raw_key.get("key_id"):
        raise SyncError("the server's signing key does not match its key id")
    return str(raw_key["key_id"]), text


def enroll(
    home: Path,
    url: str,
    code: str,
    *,
    name: str | None = None,
    ca_file: Path | None = None,
    force: bool = False,
    timeout_s: float = 30.0,
    transport: httpx.BaseTransport | None = None,
) -> enrollment.Enrollment:
    """Enroll with a one-time code; the server's key is pinned for catalogue verification."""
    base = enrollment.check_server_url(url)
    ca = enrollment.check_ca_file(ca_file)
    store = Store(home)
    existing = enrollment.load_optional(store)
    if existing is not None and not force:
        raise UsageError(
            f"this device is enrolled with {existing.server_url} already "
            "(--force to enroll again, e.g. with a new server)"
        )
    identity, _created = load_or_init_identity(home)
    with ServerApi(base, ca_file=ca, timeout_s=timeout_s, transport=transport) as api:
        body = api.enroll(code.strip(), identity.public_raw_hex(), name or socket.gethostname())
    if body.get("key_id") != identity.key_id:
        raise SyncError("the server enrolled another key than this device's")
    server_key_id, server_public = _server_key(body)
    try:
        device_id = int(str(body["device_id"]))
    except (KeyError, ValueError) as exc:
        raise SyncError("the server's enrollment answer has no device id") from exc
    record = enrollment.Enrollment(
        server_url=base,
        device_id=device_id,
        key_id=identity.key_id,
        caseworker=str(body.get("caseworker", "")),
        caseworker_name=str(body.get("caseworker_name", "")) or None,
        server_key_id=server_key_id,
        server_public_key=server_public,
        ca_file=ca,
        enrolled_at=datetime.now(UTC),
    )
    enrollment.save(store, record)
    return record
