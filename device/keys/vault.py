"""The device's keys, locked and unlocked: the one API the CLI and the touch UI share.

    vault = vault_for(home)
    vault.init(passphrase)                  # first start: make and wrap the keys
    vault.unlock(passphrase)                # once per working session
    vault.is_unlocked
    vault.lock()                            # drops the keys in every process of this device
    vault.change_passphrase(old, new)       # re-wraps; no journal is re-encrypted

Errors, each one line for the caseworker and nothing destroyed: `WrongPassphrase` (counted,
and the next try is delayed), `UnlockDelayed`, `KeysDamaged`, `KeyStoreMissing`,
`DeviceLocked`.

The keys live in this process's memory only while unlocked (`KeyMaterial`; Python cannot
promise to erase freed memory, so "dropped" means every reference is let go). `lock()` and
`fredag device lock` in another process end the working session: the lock epoch moves and
`refresh()`, which the recorder calls every loop, drops the keys.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)

from device.journal.store import Cipher, write_private
from device.keys import audit, platform, runtime
from device.keys.attempts import Attempts, AttemptState
from device.keys.kdf import KdfParams, params_for_new_keys
from device.keys.keyfile import KEYS_FILE, KeyFile, KeyMaterial
from device.keys.lockable import merge_all
from device.keys.sealed import SealedReader, SealingCipher
from device.keys.wipe import secure_remove, wipe_case_data
from fredag.errors import (
    DeviceLocked,
    KeysDamaged,
    StoreError,
    UsageError,
    WrongPassphrase,
)

MIN_PASSPHRASE = 8
LEGACY_KEY = "store.key"
LEGACY_SALT = "store.salt"
LEGACY_IDENTITY = "identity.key"
PUBLIC_IDENTITY = "identity.pub"


@dataclass(frozen=True)
class _Unwrapped:
    keyfile: KeyFile
    secret: bytes | None  # the platform key store's part, when the keys are bound to one
    material: KeyMaterial
    before: AttemptState  # the failures counted before this success


@dataclass(frozen=True)
class UnlockReport:
    """What an unlock found: earlier wrong passphrases, a wipe, a migration, merged records."""

    failures_before: int = 0
    wiped: bool = False
    migrated: bool = False
    merged: int = 0


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        raise UsageError(f"a passphrase needs at least {MIN_PASSPHRASE} characters")


class Vault:
    """The keys of one device (one $FREDAG_HOME); one object per home and process."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.root = home / "device"
        self.attempts = Attempts(self.root)
        self.wipe_after: int | None = None  # None: the municipality's setting (config.toml)
        self.on_change: list[Callable[[bool], None]] = []  # the touch UI's lock screen
        self._mutex = threading.RLock()
        self._material: KeyMaterial | None = None
        self._data_cipher: Cipher | None = None
        self._writer: SealingCipher | None = None
        self._epoch = 0
        self._seen_lock = False

    # -- state ---------------------------------------------------------------------------------
    @property
    def keys_path(self) -> Path:
        return self.root / KEYS_FILE

    @property
    def is_set_up(self) -> bool:
        return self.keys_path.exists()

    @property
    def has_legacy_keys(self) -> bool:
        """A device from before the keys were wrapped (a key file, or a scrypt salt)."""
        return not self.is_set_up and any(
            (self.root / name).exists() for name in (LEGACY_KEY, LEGACY_SALT, LEGACY_IDENTITY)
        )

    @property
    def is_unlocked(self) -> bool:
        return self._material is not None

    def keyfile(self) -> KeyFile:
        try:
            return KeyFile.load(self.keys_path)
        except FileNotFoundError:
            raise self._not_set_up() from None

    def _not_set_up(self) -> DeviceLocked:
        if self.has_legacy_keys:
            return DeviceLocked(
                "this device's keys are still in a key file: run `fredag device unlock` to "
                "choose a passphrase and convert them"
            )
        return DeviceLocked("this device has no keys yet: run `fredag device init`")

    def _adopt(self, material: KeyMaterial, epoch: int) -> None:
        was = self._material is not None
        self._material = material
        self._data_cipher = Cipher(material.data_key)
        self._writer = SealingCipher(material.sealing_public())
        self._epoch = epoch
        if not was:
            self._notify(True)

    def _drop(self) -> None:
        was = self._material is not None
        self._material = None
        self._data_cipher = None
        if was:
            self._notify(False)

    def _notify(self, unlocked: bool) -> None:
        for listener in list(self.on_change):
            listener(unlocked)

    def refresh(self) -> bool:
        """Follow locks and unlocks made by other processes; returns `is_unlocked`."""
        with self._mutex:
            epoch = runtime.read_epoch(self.root)
            if self._material is not None and epoch != self._epoch:
                self._seen_lock = True
                self._drop()
            if self._material is None and self.is_set_up:
                material = runtime.read_token(self.home, epoch)
                if material is not None and self._matches(material):
                    self._adopt(material, epoch)
            return self._material is not None

    def _matches(self, material: KeyMaterial) -> bool:
        try:
            return self.keyfile().sealing_public == material.sealing_public()
        except StoreError:
            return False

    def ensure_unlocked(
        self, passphrase: str | None = None, *, explicit: bool = False
    ) -> KeyMaterial:
        """The keys: held, from this working session's token, or unlocked with `passphrase`.

        A passphrase given here (or FREDAG_PASSPHRASE, for CI and `make run`) unlocks this
        process, and sets a new device up. A process that saw a lock stays locked until an
        explicit `unlock` (or an `explicit` passphrase) or `fredag device unlock`."""
        with self._mutex:
            if self.refresh():
                assert self._material is not None
                return self._material
            if passphrase is not None and (explicit or not self._seen_lock):
                if self.is_set_up or self.has_legacy_keys:
                    self.unlock(passphrase)
                else:
                    self.init(passphrase)
                assert self._material is not None
                return self._material
            if not self.is_set_up:
                raise self._not_set_up()
            raise DeviceLocked("the device is locked: run `fredag device unlock`")

    # -- the keys while unlocked ---------------------------------------------------------------
    def material(self) -> KeyMaterial:
        material = self._material
        if material is None:
            raise DeviceLocked("the device is locked: run `fredag device unlock`")
        return material

    def data_cipher(self) -> Cipher:
        cipher = self._data_cipher
        if cipher is None:
            raise DeviceLocked("the device is locked: run `fredag device unlock`")
        return cipher

    def signing_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.material().signing_key)

    def sealing_writer(self) -> SealingCipher:
        """Seals to the device's public key; works while locked."""
        with self._mutex:
            if self._writer is None:
                self._writer = SealingCipher(self.keyfile().sealing_public)
            return self._writer

    def sealing_reader(self) -> SealedReader:
        return SealedReader(self.material().sealing_key)

    # -- set up, unlock, lock ------------------------------------------------------------------
    def init(
        self,
        passphrase: str,
        *,
        key_store: str = "none",
        params: KdfParams | None = None,
    ) -> UnlockReport:
        """Make the device's keys and wrap them under `passphrase` (converting old key files)."""
        with self._mutex:
            if self.is_set_up:
                raise UsageError(
                    f"this device is set up already ({self.keys_path}); change the passphrase "
                    "with `fredag device passphrase`"
                )
            check_new_passphrase(passphrase)
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            material, migrated = self._legacy_material(passphrase)
            secret = platform.create_secret(key_store, self.root)
            keyfile = KeyFile.wrap(
                material,
                passphrase,
                params or params_for_new_keys(),
                platform=None if key_store == "none" else key_store,
                platform_secret=secret,
            )
            keyfile.save(self.keys_path)
            self._write_public(material)
            self._adopt(material, runtime.read_epoch(self.root))
            self._seen_lock = False
            if migrated:
                self._remove_legacy(material)
                audit.record(self, "keys_migrated", source=migrated)
            audit.record(self, "keys_created", key_store=key_store)
            return UnlockReport(migrated=bool(migrated))

    def unlock(self, passphrase: str, *, remember: bool = False) -> UnlockReport:
        """Unwrap the keys; `remember` keeps them for this working session's later commands."""
        with self._mutex:
            if not self.is_set_up:
                if self.has_legacy_keys:
                    return self.init(passphrase)
                raise self._not_set_up()
            unwrapped = self._unwrap(passphrase)
            material, before = unwrapped.material, unwrapped.before
            epoch = runtime.read_epoch(self.root)
            if remember:
                epoch = max(epoch, 0)
                runtime.write_token(self.home, material, epoch)
            self._adopt(material, epoch)
            self._seen_lock = False
            self._remove_legacy(material)
            report = UnlockReport(
                failures_before=before.total_failures,
                wiped=before.wiped_at is not None,
                merged=merge_all(self.root, self),
            )
            if before.total_failures:
                audit.record(
                    self,
                    "unlocked_after_failures",
                    failures=before.total_failures,
                    wiped=report.wiped,
                )
            return report

    def _unwrap(self, passphrase: str) -> _Unwrapped:
        """The keys under `passphrase` (mutex held): refused while a delay runs, a wrong
        passphrase counted (and the wipe limit applied), a right one resets the count."""
        self.attempts.check_allowed()
        keyfile = self.keyfile()
        secret = platform.load_secret(keyfile.platform, self.root)
        try:
            material = keyfile.unwrap(passphrase, secret)
        except WrongPassphrase as exc:
            raise self._failed() from exc
        return _Unwrapped(keyfile, secret, material, self.attempts.succeeded())

    def _failed(self) -> WrongPassphrase:
        state = self.attempts.failed()
        audit.record(self, "unlock_failed", failures=state.failures, delay_s=state.delay_s)
        limit = self._wipe_limit()
        if limit and state.failures >= limit and state.wiped_at is None:
            removed = wipe_case_data(self.root)
            self.attempts.wiped()
            audit.record(self, "case_data_wiped", failures=state.failures, files=removed)
            return WrongPassphrase(
                f"wrong passphrase ({state.failures} in a row): the limit set for this device "
                f"is {limit}, so its case data was wiped"
            )
        return WrongPassphrase(_wrong_message(state))

    def _wipe_limit(self) -> int:
        if self.wipe_after is not None:
            return self.wipe_after
        from fredag.settings import get_settings

        return get_settings().unlock_wipe_after

    def lock(self) -> None:
        """End the working session: this process and every other one drop the keys."""
        with self._mutex:
            if self.root.exists():
                runtime.bump_epoch(self.root)
            runtime.remove_token(self.home)
            self._seen_lock = True
            self._drop()

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the same keys under `new`; every journal stays as it is."""
        with self._mutex:
            check_new_passphrase(new)
            unwrapped = self._unwrap(old)
            KeyFile.wrap(
                unwrapped.material,
                new,
                params_for_new_keys(),
                platform=unwrapped.keyfile.platform,
                platform_secret=unwrapped.secret,
            ).save(self.keys_path)
            audit.record(self, "passphrase_changed")

    def replace_signing_key(self, passphrase: str) -> Ed25519PrivateKey:
        """A new device identity (the server must enroll the device again)."""
        with self._mutex:
            unwrapped = self._unwrap(passphrase)
            old = unwrapped.material
            fresh = KeyMaterial.generate(data_key=old.data_key)
            material = KeyMaterial(old.data_key, fresh.signing_key, old.sealing_key)
            KeyFile.wrap(
                material,
                passphrase,
                unwrapped.keyfile.kdf,
                platform=unwrapped.keyfile.platform,
                platform_secret=unwrapped.secret,
            ).save(self.keys_path)
            self._write_public(material)
            self._adopt(material, self._epoch)
            audit.record(self, "identity_replaced")
            return self.signing_key()

    # -- migration from key files --------------------------------------------------------------
    def _legacy_material(self, passphrase: str) -> tuple[KeyMaterial, str | None]:
        key_file = self.root / LEGACY_KEY
        salt_file = self.root / LEGACY_SALT
        data_key: bytes | None = None
        source: list[str] = []
        if key_file.exists():
            data_key = key_file.read_bytes()
            if len(data_key) != 32:
                raise KeysDamaged(f"the old store key {key_file} is damaged (not 32 bytes)")
            source.append(LEGACY_KEY)
        elif salt_file.exists():
            from device.journal.store import _derive_key

            data_key = _derive_key(passphrase, salt_file.read_bytes())
            source.append(LEGACY_SALT)
        if data_key is not None:
            self._check_data_key(data_key, LEGACY_SALT in source)
        signing_key = self._legacy_signing_key()
        if signing_key is not None:
            source.append(LEGACY_IDENTITY)
        material = KeyMaterial.generate(data_key=data_key, signing_key=signing_key)
        return material, "+".join(source) or None

    def _check_data_key(self, data_key: bytes, from_passphrase: bool) -> None:
        check = self.root / "store.check"
        if not check.exists():
            return
        try:
            Cipher(data_key).open(check.read_bytes(), b"check")
        except InvalidTag:
            if from_passphrase:
                raise WrongPassphrase(
                    "wrong passphrase: it does not open this device's existing store"
                ) from None
            raise KeysDamaged(
                f"the old store key {self.root / LEGACY_KEY} does not open this device's store; "
                "nothing was changed"
            ) from None

    def _legacy_signing_key(self) -> bytes | None:
        path = self.root / LEGACY_IDENTITY
        if not path.exists():
            return None
        try:
            key = load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise KeysDamaged(f"the old device key {path} is damaged; nothing was changed") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise KeysDamaged(f"the old device key {path} is not an Ed25519 key")
        return key.private_bytes_raw()

    def _remove_legacy(self, material: KeyMaterial) -> None:
        """Remove old key files once their keys are wrapped (again after a crash mid-way)."""
        key_file = self.root / LEGACY_KEY
        if key_file.exists() and key_file.read_bytes() == material.data_key:
            secure_remove(key_file)
        salt_file = self.root / LEGACY_SALT
        if salt_file.exists() and self.is_set_up:
            secure_remove(salt_file)
        id_file = self.root / LEGACY_IDENTITY
        if id_file.exists():
            try:
                same = self._legacy_signing_key() == material.signing_key
            except KeysDamaged:
                same = False
            if same:
                secure_remove(id_file)

    def _write_public(self, material: KeyMaterial) -> None:
        public = Ed25519PrivateKey.from_private_bytes(material.signing_key).public_key()
        pem = public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        write_private(self.root / PUBLIC_IDENTITY, pem)


def _wrong_message(state: AttemptState) -> str:
    if state.delay_s > 0:
        return (
            f"wrong passphrase ({state.failures} in a row): the next try waits "
            f"{state.delay_s:.0f} s"
        )
    return "wrong passphrase: the device stays locked"


_VAULTS: dict[Path, Vault] = {}
_VAULTS_LOCK = threading.Lock()


def vault_for(home: Path) -> Vault:
    """The one `Vault` of `home` in this process (every `Store(home)` shares it)."""
    key = home.expanduser().absolute()
    with _VAULTS_LOCK:
        vault = _VAULTS.get(key)
        if vault is None:
            vault = _VAULTS[key] = Vault(home)
        return vault
