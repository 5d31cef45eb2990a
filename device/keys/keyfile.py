"""The wrapped keys: ``$FREDAG_HOME/device/keys.json``, the only place the device's secrets
are kept on disk, and only encrypted.

The file holds, in clear, what a locked device needs and nothing secret: the Argon2id
parameters and salt, which platform key store (if any) holds the device secret, the public
sealing key (so a locked device can still write) and the public signing key. The secrets —
the store's data key, the Ed25519 signing key and the X25519 sealing key — are one AES-256-GCM
ciphertext under the key-encryption key derived from the passphrase; the clear header is its
additional authenticated data, so a changed parameter or public key fails to unwrap.

A sha256 of the ciphertext tells a damaged file (``KeysDamaged``, not counted as a wrong
passphrase, never a reason to wipe) from a wrong passphrase (``WrongPassphrase``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from device.keys.kdf import SALT_LEN, KdfParams, derive_kek
from fredag.errors import KeysDamaged, StoreError, WrongPassphrase
from fredag.protocol import b64url_decode, b64url_encode, canonical_json

FORMAT = "fredag-keys/1"
KEYS_FILE = "keys.json"
_PAYLOAD_VERSION = b"\x01"


@dataclass(frozen=True, repr=False)
class KeyMaterial:
    """The device's three secrets (32 bytes each). Never logged, never written in clear."""

    data_key: bytes
    signing_key: bytes
    sealing_key: bytes

    @classmethod
    def generate(
        cls, *, data_key: bytes | None = None, signing_key: bytes | None = None
    ) -> KeyMaterial:
        return cls(
            data_key=data_key if data_key is not None else secrets.token_bytes(32),
            signing_key=signing_key
            if signing_key is not None
            else Ed25519PrivateKey.generate().private_bytes_raw(),
            sealing_key=X25519PrivateKey.generate().private_bytes_raw(),
        )

    def to_bytes(self) -> bytes:
        return _PAYLOAD_VERSION + self.data_key + self.signing_key + self.sealing_key

    @classmethod
    def from_bytes(cls, raw: bytes) -> KeyMaterial:
        if len(raw) != 97 or raw[:1] != _PAYLOAD_VERSION:
            raise KeysDamaged("the wrapped keys have an unknown layout")
        return cls(raw[1:33], raw[33:65], raw[65:97])

    def sealing_public(self) -> bytes:
        return X25519PrivateKey.from_private_bytes(self.sealing_key).public_key().public_bytes_raw()

    def signing_public(self) -> bytes:
        private = Ed25519PrivateKey.from_private_bytes(self.signing_key)
        return private.public_key().public_bytes_raw()

    def __repr__(self) -> str:
        return "KeyMaterial(<secret>)"


@dataclass(frozen=True)
class KeyFile:
    kdf: KdfParams
    salt: bytes
    platform: str | None  # "systemd-creds" when the device secret is in the platform key store
    sealing_public: bytes
    signing_public: bytes
    nonce: bytes
    wrapped: bytes

    def _aad(self) -> bytes:
        return canonical_json(self._header())

    def _header(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "kdf": {**self.kdf.to_json(), "salt": b64url_encode(self.salt)},
            "platform": self.platform,
            "sealing_public": b64url_encode(self.sealing_public),
            "signing_public": b64url_encode(self.signing_public),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            **self._header(),
            "nonce": b64url_encode(self.nonce),
            "wrapped": b64url_encode(self.wrapped),
            "wrapped_sha256": hashlib.sha256(self.wrapped).hexdigest(),
        }

    @classmethod
    def wrap(
        cls,
        material: KeyMaterial,
        passphrase: str,
        params: KdfParams,
        *,
        platform: str | None = None,
        platform_secret: bytes | None = None,
    ) -> KeyFile:
        """Wrap `material` under a fresh salt; the same material wraps again on a new passphrase."""
        salt = secrets.token_bytes(SALT_LEN)
        kek = derive_kek(passphrase, salt, params, platform_secret)
        shell = cls(
            kdf=params,
            salt=salt,
            platform=platform,
            sealing_public=material.sealing_public(),
            signing_public=material.signing_public(),
            nonce=secrets.token_bytes(12),
            wrapped=b"",
        )
        wrapped = AESGCM(kek).encrypt(shell.nonce, material.to_bytes(), shell._aad())
        return cls(**{**shell.__dict__, "wrapped": wrapped})

    def unwrap(self, passphrase: str, platform_secret: bytes | None = None) -> KeyMaterial:
        kek = derive_kek(passphrase, self.salt, self.kdf, platform_secret)
        try:
            raw = AESGCM(kek).decrypt(self.nonce, self.wrapped, self._aad())
        except InvalidTag:
            raise WrongPassphrase("wrong passphrase: the device stays locked") from None
        material = KeyMaterial.from_bytes(raw)
        if material.sealing_public() != self.sealing_public:
            raise KeysDamaged("the key file's public sealing key does not match its private key")
        return material

    # -- the file ------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise StoreError(f"cannot read the device's key file {path}: {exc.strerror}") from exc
        except ValueError:
            raise KeysDamaged(f"the device's key file {path} is damaged (not JSON)") from None
        try:
            if data["format"] != FORMAT:
                raise KeysDamaged(f"{path} has an unknown format {data['format']!r}")
            keyfile = cls(
                kdf=KdfParams.from_json(data["kdf"]),
                salt=b64url_decode(data["kdf"]["salt"]),
                platform=data["platform"],
                sealing_public=b64url_decode(data["sealing_public"]),
                signing_public=b64url_decode(data["signing_public"]),
                nonce=b64url_decode(data["nonce"]),
                wrapped=b64url_decode(data["wrapped"]),
            )
            checksum = data["wrapped_sha256"]
        except (KeyError, TypeError, ValueError) as exc:
            raise KeysDamaged(f"the device's key file {path} is damaged ({exc})") from None
        if (
            hashlib.sha256(keyfile.wrapped).hexdigest() != checksum
            or len(keyfile.salt) != SALT_LEN
            or len(keyfile.nonce) != 12
            or len(keyfile.sealing_public) != 32
            or len(keyfile.signing_public) != 32
            or keyfile.platform not in (None, "systemd-creds")
        ):
            raise KeysDamaged(
                f"the device's key file {path} is damaged; nothing was changed "
                "(restore it from a backup, or set the device up again)"
            )
        return keyfile

    def save(self, path: Path) -> None:
        from device.journal.store import write_private

        write_private(path, json.dumps(self.to_json(), indent=2).encode() + b"\n")
