"""Which server this device is enrolled with, and that server's pinned public key.

Written once by `fredag device enroll URL CODE` into the encrypted store (blob ``enrollment``);
the server key learnt then is the only key a catalogue is accepted from.
"""

from __future__ import annotations

import ipaddress
import json
import os
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, ValidationError

from device.journal.store import Store
from fredag.errors import NotEnrolled, SignatureError, StoreError, UsageError
from fredag.protocol import b64url_decode, key_id

BLOB = "enrollment"
LOOPBACK_NAMES = ("localhost",)


class Enrollment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    server_url: str
    device_id: int
    key_id: str
    caseworker: str
    caseworker_name: str | None = None
    """The caseworker's full name as the server knows it (newer servers send it)."""
    server_key_id: str
    server_public_key: str  # raw 32 bytes, base64url
    ca_file: str | None = None
    enrolled_at: datetime

    def server_key(self) -> Ed25519PublicKey:
        raw = b64url_decode(self.server_public_key)
        key = Ed25519PublicKey.from_public_bytes(raw)
        if key_id(key) != self.server_key_id:
            raise SignatureError("the pinned server key does not match its key id")
        return key


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    """The base URL without a trailing slash; https, or http on this machine only."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"not a server URL: {url!r} (expected https://host[:port])")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise UsageError(
            f"refusing plain http to {parts.hostname}: drafts travel only over https "
            "(plain http is allowed to this machine only, for the demo)"
        )
    if parts.query or parts.fragment:
        raise UsageError(f"a server URL has no query or fragment: {url!r}")
    return url.strip().rstrip("/")


def check_ca_file(path: Path | None) -> str | None:
    if path is None:
        return None
    if not path.is_file():
        raise UsageError(f"no such CA file: {path}")
    return str(path.resolve())


def save(store: Store, enrollment: Enrollment) -> None:
    store.put_blob(BLOB, enrollment.model_dump_json().encode())


def load_optional(store: Store) -> Enrollment | None:
    data = store.get_blob(BLOB)
    if data is None:
        return None
    try:
        return Enrollment.model_validate(json.loads(data))
    except (ValueError, ValidationError) as exc:
        raise StoreError("the device's enrollment record is damaged; enroll again") from exc


NOT_GIVEN = "ej angiven"
"""The draft's Handläggare on a device not enrolled to anyone (never the OS login)."""


def draft_caseworker(store: Store, given: str | None = None) -> str:
    """Who a draft names as Handläggare, on every path that starts a meeting (`fredag record`,
    `fredag draft`, the touch screen): as `given` (``--caseworker``), else
    ``FREDAG_CASEWORKER``, else the caseworker this device is enrolled to (the full name the
    server sent, else their user name); never the operating-system login: ``NOT_GIVEN``."""
    if given:
        return given
    if named := os.environ.get("FREDAG_CASEWORKER"):
        return named
    enrolled = load_optional(store)
    if enrolled is None:
        return NOT_GIVEN
    return enrolled.caseworker_name or enrolled.caseworker or NOT_GIVEN


def load(store: Store) -> Enrollment:
    found = load_optional(store)
    if found is None:
        raise NotEnrolled(
            "this device is not enrolled with a server: ask an administrator for an enrollment "
            "code and run `fredag device enroll URL CODE`"
        )
    return found
