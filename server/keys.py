"""The server's Ed25519 key: made by the first `fredag server migrate`, kept in the database.

It signs what the server hands to devices (the catalogue). Devices learn its public key when
they enroll. Whoever can read the database can read this key: protect backups accordingly.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from fredag.errors import UsageError
from fredag.protocol import b64url_decode, b64url_encode, key_id
from server.models import ServerKey


def ensure_server_key(session: Session) -> ServerKey:
    """The newest server key, generating one if the database has none."""
    existing = session.scalars(select(ServerKey).order_by(ServerKey.id.desc()).limit(1)).first()
    if existing is not None:
        return existing
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    row = ServerKey(
        key_id=key_id(public),
        private_key=private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
        public_key=public.public_bytes(Encoding.Raw, PublicFormat.Raw),
    )
    session.add(row)
    session.flush()
    return row


def current_key(session: Session) -> tuple[ServerKey, Ed25519PrivateKey]:
    row = session.scalars(select(ServerKey).order_by(ServerKey.id.desc()).limit(1)).first()
    if row is None:
        raise UsageError("the server has no signing key: run `fredag server migrate`")
    return row, Ed25519PrivateKey.from_private_bytes(row.private_key)


def public_key_b64(row: ServerKey) -> str:
    return b64url_encode(row.public_key)


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A raw 32-byte Ed25519 public key given as 64 hex digits or base64url (padding optional)."""
    text = text.strip()
    raw: bytes | None = None
    if len(text) == 64:
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raw = None
    if raw is None:
        try:
            raw = b64url_decode(text)
        except ValueError as exc:
            raise ValueError("public_key is neither hex nor base64url") from exc
    if len(raw) != 32:
        raise ValueError("public_key must be a raw 32-byte Ed25519 key")
    return Ed25519PublicKey.from_public_bytes(raw)
