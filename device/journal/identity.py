"""The device's Ed25519 identity: created with the device's keys (`fredag device init`), used
to sign drafts.

The private key is one of the device's wrapped keys (`device.keys`): it exists in clear only
in memory, while the device is unlocked. The public key, which the server enrolls, is also
written to ``$FREDAG_HOME/device/identity.pub``. The key id is the sha256 of the raw public
key (`fredag.protocol.key_id`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from device.journal.store import PASSPHRASE_ENV
from device.keys.vault import vault_for
from fredag.errors import UsageError
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


def public_key_path(home: Path) -> Path:
    return identity_dir(home) / "identity.pub"


def _passphrase(passphrase: str | None) -> str | None:
    return passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV) or None


def init_identity(
    home: Path, *, force: bool = False, passphrase: str | None = None
) -> DeviceIdentity:
    """Set the device up (keys wrapped under `passphrase`, default FREDAG_PASSPHRASE); with
    `force`, replace the identity of a device that is set up (the data key stays)."""
    vault = vault_for(home)
    secret = _passphrase(passphrase)
    if vault.is_set_up:
        if not force:
            raise UsageError(
                f"this device has an identity already ({vault.keys_path}); replacing it means "
                "the server must enroll the device again (--force)"
            )
        if secret is None:
            raise UsageError("replacing the identity needs the device's passphrase")
        return DeviceIdentity(vault.replace_signing_key(secret))
    if secret is None:
        raise UsageError("setting the device up needs a passphrase (FREDAG_PASSPHRASE)")
    vault.init(secret)
    return DeviceIdentity(vault.signing_key())


def load_identity(home: Path) -> DeviceIdentity:
    """The identity of an unlocked device (FREDAG_PASSPHRASE unlocks this process)."""
    vault = vault_for(home)
    vault.ensure_unlocked(_passphrase(None))
    return DeviceIdentity(vault.signing_key())


def load_or_init_identity(home: Path) -> tuple[DeviceIdentity, bool]:
    """The device identity; the flag says whether the device was set up just now (from
    FREDAG_PASSPHRASE, as CI and `make run` do)."""
    vault = vault_for(home)
    fresh = not vault.is_set_up and not vault.has_legacy_keys
    vault.ensure_unlocked(_passphrase(None))
    return DeviceIdentity(vault.signing_key()), fresh


__all__ = [
    "DeviceIdentity",
    "init_identity",
    "load_identity",
    "load_or_init_identity",
    "public_key_path",
]
