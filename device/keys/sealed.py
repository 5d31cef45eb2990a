"""Sealed-box encryption for what a locked device writes: it can encrypt, it cannot read back.

Each record gets a fresh ephemeral X25519 key pair; the AES-256-GCM key is HKDF-SHA256 of the
shared secret with both public keys as salt. The ephemeral private key is dropped as soon as
the record is sealed, so the writing process holds nothing that opens what it wrote: only the
device's sealing private key (wrapped with the other keys) does, after unlock.

    sealed record = ephemeral public key (32) | nonce (12) | AES-GCM ciphertext + tag
"""

from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fredag.errors import DeviceLocked

INFO = b"fredag-sealed-record/1"
PUB_LEN = 32
NONCE_LEN = 12


def _record_key(shared: bytes, ephemeral_pub: bytes, recipient_pub: bytes) -> bytes:
    hkdf = HKDF(algorithm=SHA256(), length=32, salt=ephemeral_pub + recipient_pub, info=INFO)
    return hkdf.derive(shared)


class SealingCipher:
    """Seals to a public key; `open` needs the private key (`SealedReader`)."""

    can_open = False

    def __init__(self, public_raw: bytes) -> None:
        self.public_raw = public_raw
        self._public = X25519PublicKey.from_public_bytes(public_raw)

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        ephemeral = X25519PrivateKey.generate()
        eph_pub = ephemeral.public_key().public_bytes_raw()
        key = _record_key(ephemeral.exchange(self._public), eph_pub, self.public_raw)
        nonce = secrets.token_bytes(NONCE_LEN)
        return eph_pub + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)

    def open(self, sealed: bytes, aad: bytes) -> bytes:
        raise DeviceLocked("the device is locked: what it wrote meanwhile opens after unlock")


class SealedReader(SealingCipher):
    """Opens sealed records with the device's sealing private key (only while unlocked)."""

    can_open = True

    def __init__(self, private_raw: bytes) -> None:
        self._private = X25519PrivateKey.from_private_bytes(private_raw)
        super().__init__(self._private.public_key().public_bytes_raw())

    def open(self, sealed: bytes, aad: bytes) -> bytes:
        if len(sealed) < PUB_LEN + NONCE_LEN + 16:
            raise InvalidTag
        eph_pub = sealed[:PUB_LEN]
        nonce = sealed[PUB_LEN : PUB_LEN + NONCE_LEN]
        try:
            shared = self._private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
        except ValueError:
            raise InvalidTag from None
        key = _record_key(shared, eph_pub, self.public_raw)
        return AESGCM(key).decrypt(nonce, sealed[PUB_LEN + NONCE_LEN :], aad)
