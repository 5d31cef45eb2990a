"""The device's encrypted local store: append-only journals and atomic blobs, AES-256-GCM.

Layout under ``$FREDAG_HOME/device/``::

    keys.json          the wrapped keys (data key, signing key, sealing key): device.keys
    store.check        a small encrypted record that proves the data key is the right one
    sessions/<id>/journal.fj   one meeting's append-only journal
    sessions/<id>/journal.sealed.fj   what the meeting wrote while the device was locked
    journals/<name>.fj         other journals (e.g. the sync outbox)
    blobs/<name>.fb            whole encrypted files, replaced atomically

A journal file starts with a 24-byte header (magic ``FRJ1`` + 4 reserved bytes + a 16-byte
random file id). Each record is ``u32 length | 12-byte nonce | ciphertext+tag``; the additional
authenticated data binds the record to its file id and its sequence number, so records cannot
be swapped, reordered or moved between journals without detection. Every append is fsynced.

After a power loss the last record may be torn (short, or its bytes never reached the disk):
`Journal.read` drops a broken *last* record, and `Journal.append` cuts it off before writing.
A broken record anywhere else is tampering or corruption and raises `StoreError`.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from fredag.errors import StoreError
from fredag.protocol import canonical_json

MAGIC = b"FRJ1"
HEADER_LEN = 24
NONCE_LEN = 12
LEN_PREFIX = struct.Struct(">I")
MAX_RECORD = 64 * 1024 * 1024
BLOB_MAGIC = b"FRB1"
PASSPHRASE_ENV = "FREDAG_PASSPHRASE"  # noqa: S105 (the variable's name, not a secret)
# scrypt cost of stores made before the keys were wrapped (read once, when migrating).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_CHECK_PLAINTEXT = b"fredag-store-key-check/1"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Create `path` with mode 0600 (never readable by others, even for an instant)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    tmp.replace(path)
    _fsync_dir(path.parent)


class RecordCipher(Protocol):
    """What a journal encrypts its records with: `Cipher`, or a sealing cipher that cannot open."""

    @property
    def can_open(self) -> bool: ...

    def seal(self, plaintext: bytes, aad: bytes) -> bytes: ...

    def open(self, sealed: bytes, aad: bytes) -> bytes: ...


class Cipher:
    """AES-256-GCM with a fresh random nonce per message."""

    can_open = True

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise StoreError("the store key must be 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_LEN)
        return nonce + self._aead.encrypt(nonce, plaintext, aad)

    def open(self, sealed: bytes, aad: bytes) -> bytes:
        if len(sealed) < NONCE_LEN + 16:
            raise InvalidTag
        return self._aead.decrypt(sealed[:NONCE_LEN], sealed[NONCE_LEN:], aad)


@dataclass(frozen=True)
class ReadResult:
    records: list[dict[str, Any]]
    torn_tail: bool  # a broken last record was dropped (power loss during a write)
    good_length: int  # bytes of the file that hold whole, authentic records


class Journal:
    """One append-only file of encrypted JSON records; each append is durable when it returns."""

    def __init__(self, path: Path, cipher: RecordCipher) -> None:
        self.path = path
        self._cipher = cipher
        self._file_id: bytes | None = None
        self._count: int | None = None
        self._lock = threading.Lock()  # appends come from the loop and the transcriber
        self._size: int | None = None  # file size after this object's last append

    # -- reading ---------------------------------------------------------------------------
    def _header(self, data: bytes) -> bytes:
        if len(data) < HEADER_LEN or data[:4] != MAGIC:
            raise StoreError(f"{self.path} is not a Fredag journal (bad header)")
        return data[8:HEADER_LEN]

    def _aad(self, file_id: bytes, seq: int) -> bytes:
        return MAGIC + file_id + seq.to_bytes(8, "big")

    def read_all(self) -> ReadResult:
        """Every authentic record, in order; a torn last record is reported, not raised."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return ReadResult([], False, 0)
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror}") from exc
        if len(data) < HEADER_LEN and MAGIC.startswith(data[:4]):
            return ReadResult([], bool(data), 0)  # torn while creating the file
        file_id = self._header(data)
        records: list[dict[str, Any]] = []
        pos = HEADER_LEN
        while pos < len(data):
            broken = self._record_at(data, pos, file_id, len(records))
            if isinstance(broken, str):
                if self._is_tail(data, pos):
                    return ReadResult(records, True, pos)
                raise StoreError(
                    f"{self.path}: record {len(records) + 1} {broken}; "
                    "the journal was tampered with or damaged"
                )
            record, pos = broken
            records.append(record)
        return ReadResult(records, False, pos)

    def _record_at(
        self, data: bytes, pos: int, file_id: bytes, seq: int
    ) -> tuple[dict[str, Any], int] | str:
        if pos + LEN_PREFIX.size > len(data):
            return "is cut short"
        (length,) = LEN_PREFIX.unpack_from(data, pos)
        start = pos + LEN_PREFIX.size
        if length > MAX_RECORD or start + length > len(data):
            return "is cut short"
        try:
            plain = self._cipher.open(data[start : start + length], self._aad(file_id, seq))
            record = json.loads(plain)
        except InvalidTag:
            return "fails authentication (wrong key, or changed bytes)"
        except ValueError:
            return "is not valid JSON"
        if not isinstance(record, dict):
            return "is not a JSON object"
        return record, start + length

    def _is_tail(self, data: bytes, pos: int) -> bool:
        """Whether the broken record at `pos` is a torn last write rather than tampering.

        A torn write is cut short, or (on file systems that grow the file before its data
        blocks reach the disk) reads back as zeros. A whole last record with other bytes
        that fails authentication was changed, and is reported as such.
        """
        if pos + LEN_PREFIX.size > len(data) or not any(data[pos:]):
            return True
        (length,) = LEN_PREFIX.unpack_from(data, pos)
        end = pos + LEN_PREFIX.size + length
        if end > len(data):
            return True
        return end == len(data) and not any(data[pos + LEN_PREFIX.size : end])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.read_all().records)

    # -- writing ---------------------------------------------------------------------------
    def _prepare(self) -> None:
        if self._file_id is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        count, torn_tail, good_length = (
            self._counted(self.read_all()) if self._cipher.can_open else self.scan()
        )
        if not self.path.exists() or good_length < HEADER_LEN:
            file_id = secrets.token_bytes(16)
            write_private(self.path, MAGIC + b"\0" * 4 + file_id)
        else:
            with self.path.open("rb") as fh:
                file_id = self._header(fh.read(HEADER_LEN))
            if torn_tail:
                self._truncate(good_length)
        self._file_id = file_id
        self._count = count

    @staticmethod
    def _counted(result: ReadResult) -> tuple[int, bool, int]:
        return len(result.records), result.torn_tail, result.good_length

    def scan(self) -> tuple[int, bool, int]:
        """(records, torn tail, good length) from the record frames alone, without a key.

        A writer that cannot read (a locked device sealing to a public key) appends this way;
        the records' authenticity is checked when they are read after unlock."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return 0, False, 0
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror}") from exc
        if len(data) < HEADER_LEN and MAGIC.startswith(data[:4]):
            return 0, bool(data), 0
        self._header(data)
        pos, count = HEADER_LEN, 0
        while pos < len(data):
            if pos + LEN_PREFIX.size > len(data) or not any(data[pos:]):
                return count, True, pos
            (length,) = LEN_PREFIX.unpack_from(data, pos)
            end = pos + LEN_PREFIX.size + length
            if length > MAX_RECORD or end > len(data):
                return count, True, pos
            if end == len(data) and not any(data[pos + LEN_PREFIX.size : end]):
                return count, True, pos
            pos, count = end, count + 1
        return count, False, pos

    def _truncate(self, length: int) -> None:
        try:
            with self.path.open("r+b") as fh:
                fh.truncate(length)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise StoreError(f"cannot repair {self.path}: {exc.strerror}") from exc

    def append(self, record: dict[str, Any]) -> int:
        """Encrypt and append one record, fsync it, and return its sequence number.

        Safe from several threads (a lock) and several processes or `Journal` objects on the
        same file (an exclusive `flock` on a lock file; the record count is re-read when the
        file changed since this object last wrote)."""
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            lock_path = self.path.with_name(self.path.name + ".lock")
            try:
                lock_fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise StoreError(f"cannot write to the device store ({exc.strerror})") from exc
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_EX)
                return self._append(record)
            finally:
                os.close(lock_fd)

    def _append(self, record: dict[str, Any]) -> int:
        size = self.path.stat().st_size if self.path.exists() else -1
        if size != self._size:
            self._file_id = None  # written by someone else since: read the count again
        self._prepare()
        assert self._file_id is not None and self._count is not None
        seq = self._count
        sealed = self._cipher.seal(canonical_json(record), self._aad(self._file_id, seq))
        try:
            with self.path.open("ab") as fh:
                fh.write(LEN_PREFIX.pack(len(sealed)) + sealed)
                fh.flush()
                os.fsync(fh.fileno())
                self._size = fh.tell()
        except OSError as exc:
            # A partial write is cut off on the next open; nothing committed before is lost.
            self._file_id = None
            self._size = None
            raise StoreError(f"cannot write to the device store ({exc.strerror})") from exc
        self._count = seq + 1
        return seq


def _derive_key(passphrase: str, salt: bytes) -> bytes:
    """The data key of a store made before the keys were wrapped (``store.salt``; migration)."""
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode())


class Store:
    """The encrypted store of one device (one FREDAG_HOME).

    Its data key is one of the device's wrapped keys (`device.keys`): the store opens while
    the device is unlocked; a passphrase given here, or in FREDAG_PASSPHRASE, unlocks it for
    this process (and sets the device up on first use, for CI and `make run`)."""

    def __init__(self, home: Path, *, passphrase: str | None = None) -> None:
        from device.keys.vault import vault_for

        self.root = home / "device"
        self._explicit = passphrase is not None
        if passphrase is None:
            passphrase = os.environ.get(PASSPHRASE_ENV) or None
        self._passphrase = passphrase
        self.vault = vault_for(home)
        self._checked = False

    @property
    def uses_passphrase(self) -> bool:
        return self._passphrase is not None

    def _ensure_root(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(
                f"cannot create the device store at {self.root}: {exc.strerror}"
            ) from exc

    def cipher(self) -> RecordCipher:
        """The store's cipher; raises `DeviceLocked` when the device is locked.

        The cipher asks the device's keys on every record, so a journal opened while unlocked
        stops reading the moment the device locks."""
        from device.keys.lockable import VaultCipher

        self._ensure_root()
        self.vault.ensure_unlocked(self._passphrase, explicit=self._explicit)
        if not self._checked:
            self._check(self.vault.data_cipher())
            self._checked = True
        return VaultCipher(self.vault)

    def _check(self, cipher: Cipher) -> None:
        check = self.root / "store.check"
        if not check.exists():
            write_private(check, cipher.seal(_CHECK_PLAINTEXT, b"check"))
            return
        try:
            cipher.open(check.read_bytes(), b"check")
        except InvalidTag:
            raise StoreError(
                "the device store cannot be opened: its data key does not match store.check"
            ) from None

    # -- journals and blobs ----------------------------------------------------------------
    def journal(self, name: str) -> Journal:
        """A named journal outside the sessions (e.g. ``outbox``); see `session_journal`."""
        _check_name(name)
        return self._lockable(self.root / "journals" / f"{name}.fj")

    def _lockable(self, path: Path) -> Journal:
        from device.keys.lockable import LockableJournal

        self.cipher()
        journal = LockableJournal(path, self.vault)
        journal.merge()
        return journal

    def session_dir(self, session_id: str) -> Path:
        _check_name(session_id)
        return self.root / "sessions" / session_id

    def session_journal(self, session_id: str, name: str = "journal") -> Journal:
        """A session's journal; needs the device unlocked to open.

        Once open it keeps taking appends when the device locks (a meeting in progress):
        they are sealed to the device's public key and merged in at the next unlock."""
        _check_name(name)
        return self._lockable(self.session_dir(session_id) / f"{name}.fj")

    def session_ids(self) -> list[str]:
        base = self.root / "sessions"
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if (p / "journal.fj").is_file())

    def session_stamps(self) -> dict[str, tuple[int, int]]:
        """Every session id with its journal's (size, mtime_ns), from one directory scan and
        no decryption: journals are append-only, so a changed stamp means a changed session
        (the index of signed drafts, `device.sync.index`, reads only those)."""
        stamps: dict[str, tuple[int, int]] = {}
        try:
            entries = list(os.scandir(self.root / "sessions"))
        except FileNotFoundError:
            return stamps
        except OSError as exc:
            raise StoreError(f"cannot list the sessions: {exc.strerror}") from exc
        for entry in entries:
            try:
                # Plain os.stat: pathlib's overhead was half the cost at 1,000 sessions.
                stat = os.stat(f"{entry.path}/journal.fj")  # noqa: PTH116
            except (FileNotFoundError, NotADirectoryError):
                continue  # not a session, or deleted while we looked
            except OSError as exc:
                raise StoreError(f"cannot read session {entry.name[:8]}: {exc.strerror}") from exc
            stamps[entry.name] = (stat.st_size, stat.st_mtime_ns)
        return stamps

    def put_blob(self, name: str, data: bytes) -> None:
        """Write a whole encrypted file atomically (temp file, fsync, rename)."""
        _check_name(name)
        base = self.root / "blobs"
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        sealed = BLOB_MAGIC + self.cipher().seal(data, BLOB_MAGIC + name.encode())
        try:
            write_private(base / f"{name}.fb", sealed)
        except OSError as exc:
            raise StoreError(f"cannot write to the device store ({exc.strerror})") from exc

    def get_blob(self, name: str) -> bytes | None:
        _check_name(name)
        path = self.root / "blobs" / f"{name}.fb"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            if data[:4] != BLOB_MAGIC:
                raise InvalidTag
            return self.cipher().open(data[4:], BLOB_MAGIC + name.encode())
        except InvalidTag:
            raise StoreError(f"{path} was tampered with or damaged") from None

    def delete_blob(self, name: str) -> None:
        _check_name(name)
        (self.root / "blobs" / f"{name}.fb").unlink(missing_ok=True)


def _check_name(name: str) -> None:
    if not name or not all(c.isalnum() or c in "-_." for c in name) or name.startswith("."):
        raise StoreError(f"not a valid store name: {name!r}")
