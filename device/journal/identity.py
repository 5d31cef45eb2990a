"""The device's Ed25519 identity: created once (`fredag device init`), used to sign drafts.

The private key is kept at ``$FREDAG_HOME/device/identity.key`` (PKCS#8 PEM, mode 0600); the
public key, which the server enrolls, at ``identity.pub``. The key id is the sha256 of the raw
public key (`fredag.protocol.key_id`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

from device.journal.store import write_private
from fredag.errors import SignatureError, StoreError, UsageError
from fredag.protocol import Draft, SignedEnvelope, key_id, sign_draft


def identity_dir(home: Path) -> Path:
    return home / "device"


@dataclass(frozen=True)
class DeviceIdentity:
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def public_pem(self) -> str:
        return self.public_key.public_bytes(
            Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def public_raw_hex(self) -> str:
        return self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()

    def sign(self, draft: Draft) -> SignedEnvelope:
        return sign_draft(draft, self.private_key)


def key_path(home: Path) -> Path:
    return identity_dir(home) / "identity.key"


def init_identity(home: Path, *, force: bool = False) -> DeviceIdentity:
    """Create the device identity; refuses to replace an existing one unless `force`."""
    path = key_path(home)
    if path.exists() and not force:
        raise UsageError(
            f"this device has an identity already ({path}); replacing it means the server "
            "must enroll the device again (--force)"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        write_private(path, pem)
        identity = DeviceIdentity(private)
        path.with_name("identity.pub").write_text(identity.public_pem())
    except OSError as exc:
        raise StoreError(f"cannot write the device identity to {path}: {exc.strerror}") from exc
    return identity


def load_identity(home: Path) -> DeviceIdentity:
    path = key_path(home)
    if not path.exists():
        raise UsageError("this device has no identity yet: run `fredag device init`")
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise SignatureError(
            f"the device key {path} is readable by others (mode {mode:o}); run `chmod 600` on it"
        )
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise SignatureError(f"the device key {path} is damaged") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError(f"the device key {path} is not an Ed25519 key")
    return DeviceIdentity(key)


def load_or_init_identity(home: Path) -> tuple[DeviceIdentity, bool]:
    """The device identity, created on first use; the flag says whether it was just created."""
    if key_path(home).exists():
        return load_identity(home), False
    return init_identity(home), True


__all__ = [
    "DeviceIdentity",
    "init_identity",
    "key_path",
    "load_identity",
    "load_or_init_identity",
]
