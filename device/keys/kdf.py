"""The memory-hard key derivation that binds the device's keys to the caseworker's passphrase.

Argon2id (RFC 9106) through the `cryptography` library (OpenSSL's implementation), so the
device install needs no extra package. The parameters are stored beside the wrapped keys, so a
later release can raise them: the next passphrase change re-wraps with the new ones.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from fredag.errors import KeysDamaged

# A test suite or CI sets FREDAG_KDF_PROFILE=test: cheap parameters for keys it creates itself.
PROFILE_ENV = "FREDAG_KDF_PROFILE"
SALT_LEN = 16
KEY_LEN = 32
# Refuse parameters a damaged or hostile key file could use to exhaust the device.
MAX_MEMORY_KIB = 2 * 1024 * 1024
MAX_ITERATIONS = 64
MAX_LANES = 16


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: memory in KiB, passes over it, and lanes (parallelism)."""

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    def to_json(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, data: Any) -> KdfParams:
        try:
            if data["name"] != "argon2id":
                raise ValueError(data["name"])
            params = cls(int(data["memory_kib"]), int(data["iterations"]), int(data["lanes"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise KeysDamaged(f"the key file's KDF parameters are damaged ({exc})") from None
        if not (
            8 * params.lanes <= params.memory_kib <= MAX_MEMORY_KIB
            and 1 <= params.iterations <= MAX_ITERATIONS
            and 1 <= params.lanes <= MAX_LANES
        ):
            raise KeysDamaged("the key file's KDF parameters are out of range")
        return params


DEFAULT = KdfParams()
# Only for test suites and CI (FREDAG_KDF_PROFILE=test): fast, still Argon2id.
FAST_FOR_TESTS = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)


def params_for_new_keys() -> KdfParams:
    return FAST_FOR_TESTS if os.environ.get(PROFILE_ENV) == "test" else DEFAULT


def normalize(passphrase: str) -> bytes:
    """The passphrase as bytes; NFC, so 'å' typed on any keyboard gives the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_kek(
    passphrase: str, salt: bytes, params: KdfParams, secret: bytes | None = None
) -> bytes:
    """The key-encryption key; `secret` is the platform key store's device secret, if any."""
    kdf = Argon2id(
        salt=salt,
        length=KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
        secret=secret,
    )
    return kdf.derive(normalize(passphrase))
