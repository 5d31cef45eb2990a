"""Journals that keep taking appends while the device is locked.

`LockableJournal` appends to ``<name>.fj`` with the store's data key while the device is
unlocked. While it is locked it appends to ``<name>.sealed.fj`` instead, each record sealed to
the device's public sealing key (`device.keys.sealed`), with the same framing, fsync and
torn-tail rules as every journal: the locked process can write but not read back. After
unlock, `merge` moves the sealed records into the journal in order, each marked
``merged_from: "<sealed file id>:<seq>"`` so a merge cut short by a crash is finished next
time without duplicates, then removes the sealed file.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from device.journal.store import HEADER_LEN, Journal
from device.keys.wipe import secure_remove
from fredag.errors import DeviceLocked, StoreError

if TYPE_CHECKING:
    from device.keys.vault import Vault

MERGED_FROM = "merged_from"


class VaultCipher:
    """The store's data-key cipher, asked of the device's keys on every record."""

    can_open = True

    def __init__(self, vault: Vault) -> None:
        self._vault = vault

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        return self._vault.data_cipher().seal(plaintext, aad)

    def open(self, sealed: bytes, aad: bytes) -> bytes:
        return self._vault.data_cipher().open(sealed, aad)


@contextmanager
def _flocked(path: Path) -> Iterator[None]:
    """The same exclusive lock `Journal.append` takes on `path`."""
    try:
        fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot lock {path}: {exc.strerror}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def sealed_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".fj") + ".sealed.fj")


class LockableJournal(Journal):
    def __init__(self, path: Path, vault: Vault) -> None:
        super().__init__(path, VaultCipher(vault))
        self.vault = vault
        self.sealed_path = sealed_path(path)
        self._sealed: Journal | None = None
        self._route = threading.RLock()

    def append(self, record: dict[str, Any]) -> int:
        """Append to the journal while unlocked, to the sealed journal while locked.

        Returns the record's sequence number in the file it went to."""
        with self._route:
            if self.vault.is_unlocked:
                try:
                    self._merge()
                    return super().append(record)
                except DeviceLocked:
                    pass  # locked between the check and the write: nothing was written
            return self._sealed_journal().append(record)

    def _sealed_journal(self) -> Journal:
        writer = self.vault.sealing_writer()
        if self._sealed is None or self._sealed._cipher is not writer:
            self._sealed = Journal(self.sealed_path, writer)
        return self._sealed

    @property
    def pending_sealed(self) -> bool:
        return self.sealed_path.exists()

    def merge(self) -> int:
        """Move what was written while locked into the journal; needs the device unlocked."""
        with self._route:
            return self._merge()

    def _merge(self) -> int:
        if not self.sealed_path.exists():
            return 0
        # Under the sealed journal's own lock: a locked process appending to it waits, then
        # starts a new sealed file once this one is gone.
        with _flocked(self.sealed_path):
            return self._merge_locked()

    def _merge_locked(self) -> int:
        if not self.sealed_path.exists():
            return 0
        reader = Journal(self.sealed_path, self.vault.sealing_reader())
        result = reader.read_all()
        with self.sealed_path.open("rb") as fh:
            file_id = fh.read(HEADER_LEN)[8:HEADER_LEN].hex()
        done = {
            r[MERGED_FROM]
            for r in super().read_all().records
            if isinstance(r.get(MERGED_FROM), str)
        }
        moved = 0
        for seq, record in enumerate(result.records):
            ref = f"{file_id}:{seq}"
            if ref not in done:
                super().append({**record, MERGED_FROM: ref})
                moved += 1
        secure_remove(self.sealed_path)
        self._sealed = None
        return moved


def merge_all(root: Path, vault: Vault) -> int:
    """Merge every sealed journal under `root` (``device/``); returns the records moved."""
    moved = 0
    for path in sorted(root.glob("**/*.sealed.fj")):
        main = path.with_name(path.name.removesuffix(".sealed.fj") + ".fj")
        moved += LockableJournal(main, vault).merge()
    return moved
