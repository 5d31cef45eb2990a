"""The encrypted device store: journals, blobs, keys, torn writes and tampering."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from device.journal.store import HEADER_LEN, Store
from fredag.errors import StoreError

SECRET = "Mamma dricker varje dag"


class TestEncryptionAtRest:
    def test_no_plaintext_on_disk(self, store: Store, home: Path) -> None:
        """Nothing written through the store appears in plain text in any file."""
        store.session_journal("s1").append({"type": "segment", "text": SECRET})
        store.put_blob("outbox-1", SECRET.encode())
        for path in home.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert SECRET.encode() not in data, path
                assert b"segment" not in data, path

    def test_keys_are_wrapped(self, store: Store, home: Path) -> None:
        """No key file: the data key is only in keys.json, wrapped, which is mode 0600."""
        store.journal("outbox").append({"x": 1})
        assert not (home / "device" / "store.key").exists()
        keys = home / "device" / "keys.json"
        assert keys.stat().st_mode & 0o777 == 0o600
        assert store.vault.material().data_key not in keys.read_bytes()

    def test_passphrase_opens_the_store(self, home: Path) -> None:
        """A passphrase sets the store up; after lock a wrong passphrase cannot open it."""
        Store(home, passphrase="rätt lösen").journal("j").append({"n": 1})
        assert list(Store(home, passphrase="rätt lösen").journal("j")) == [{"n": 1}]
        Store(home).vault.lock()
        with pytest.raises(StoreError, match="wrong passphrase"):
            Store(home, passphrase="fel lösen").journal("j")
        assert list(Store(home, passphrase="rätt lösen").journal("j")) == [{"n": 1}]

    def test_blob_round_trip_and_tamper(self, store: Store, home: Path) -> None:
        """A blob reads back as written; a changed byte is reported as tampering."""
        store.put_blob("env-1", b"signed envelope")
        assert store.get_blob("env-1") == b"signed envelope"
        path = home / "device" / "blobs" / "env-1.fb"
        data = bytearray(path.read_bytes())
        data[-1] ^= 1
        path.write_bytes(bytes(data))
        with pytest.raises(StoreError, match="tampered"):
            store.get_blob("env-1")


class TestJournal:
    def test_records_read_back_in_order(self, store: Store) -> None:
        """Appended records are read back in order, also by a new Store object."""
        journal = store.session_journal("s1")
        for i in range(5):
            assert journal.append({"i": i}) == i
        assert [r["i"] for r in Store(store.root.parent).session_journal("s1")] == list(range(5))

    def test_tampered_record_is_detected(self, store: Store) -> None:
        """A changed byte in a record that is not the last one raises StoreError."""
        journal = store.session_journal("s1")
        for i in range(3):
            journal.append({"i": i, "text": "x" * 20})
        data = bytearray(journal.path.read_bytes())
        data[HEADER_LEN + 30] ^= 0x40
        journal.path.write_bytes(bytes(data))
        with pytest.raises(StoreError, match="tampered"):
            journal.read_all()

    def test_changed_last_record_is_tampering_not_torn(self, store: Store) -> None:
        """A whole last record whose bytes were changed is reported, not silently dropped."""
        journal = store.session_journal("s1")
        journal.append({"i": 0})
        journal.append({"i": 1})
        data = bytearray(journal.path.read_bytes())
        data[-3] ^= 1
        journal.path.write_bytes(bytes(data))
        with pytest.raises(StoreError):
            journal.read_all()

    def test_swapped_records_are_detected(self, store: Store) -> None:
        """Records bound to their position cannot be reordered without detection."""
        journal = store.session_journal("s1")
        journal.append({"i": 0})
        journal.append({"i": 1})
        data = journal.path.read_bytes()
        body = data[HEADER_LEN:]
        half = len(body) // 2
        journal.path.write_bytes(data[:HEADER_LEN] + body[half:] + body[:half])
        with pytest.raises(StoreError):
            journal.read_all()

    @pytest.mark.parametrize("cut", [1, 3, 10, 30])
    def test_torn_last_record_is_dropped_and_repaired(self, store: Store, cut: int) -> None:
        """A last record cut short by power loss is dropped; the next append repairs the file."""
        journal = store.session_journal("s1")
        for i in range(3):
            journal.append({"i": i})
        size = journal.path.stat().st_size
        with journal.path.open("r+b") as fh:
            fh.truncate(size - cut)
        result = journal.read_all()
        assert result.torn_tail
        assert [r["i"] for r in result.records] == [0, 1]
        fresh = Store(store.root.parent).session_journal("s1")
        fresh.append({"i": 9})
        assert [r["i"] for r in fresh] == [0, 1, 9]

    def test_zero_filled_tail_is_torn(self, store: Store) -> None:
        """Zeros after the last record (file grown, data never written) count as a torn write."""
        journal = store.session_journal("s1")
        journal.append({"i": 0})
        with journal.path.open("ab") as fh:
            fh.write(b"\0" * 57)
        result = journal.read_all()
        assert result.torn_tail and result.records == [{"i": 0}]

    def test_unwritable_store_is_a_store_error(self, store: Store, home: Path) -> None:
        """A journal that cannot be written gives StoreError, not an OSError traceback."""
        journal = store.session_journal("s1")
        journal.append({"i": 0})
        if os.geteuid() == 0:
            pytest.skip("root ignores file permissions")
        journal.path.chmod(0o400)
        with pytest.raises(StoreError):
            store.session_journal("s1").append({"i": 1})

    def test_bad_names_are_refused(self, store: Store) -> None:
        """Names that could leave the store directory are refused."""
        with pytest.raises(StoreError):
            store.journal("../etc")


class TestConcurrentAppends:
    def test_appends_from_threads_stay_readable(self, store: Store) -> None:
        """Appends from several threads at once (loop and transcriber) never corrupt the file."""
        import threading

        journal = store.session_journal("s1")

        def write(who: int) -> None:
            for i in range(25):
                journal.append({"who": who, "i": i})

        threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        records = journal.read_all().records
        assert len(records) == 100
        for who in range(4):
            assert [r["i"] for r in records if r["who"] == who] == list(range(25))

    def test_two_journal_objects_on_one_file(self, store: Store) -> None:
        """Two Journal objects (or processes) appending to one file keep it consistent."""
        first = store.journal("outbox")
        second = Store(store.root.parent).journal("outbox")
        for i in range(3):
            first.append({"n": 2 * i})
            second.append({"n": 2 * i + 1})
        assert [r["n"] for r in store.journal("outbox")] == list(range(6))
