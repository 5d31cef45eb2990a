"""The device's keys on the real store on disk: a copied home gives nothing away, locked
writes merge on unlock, wrong passphrases slow down and can wipe, old key files migrate."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from device.journal.session import SessionLog, load_session
from device.journal.store import HEADER_LEN, Cipher, Journal, Store
from device.keys import audit
from device.keys.attempts import FREE_ATTEMPTS, delay_for
from device.keys.vault import vault_for
from fredag.errors import (
    DeviceLocked,
    KeysDamaged,
    KeyStoreMissing,
    UnlockDelayed,
    WrongPassphrase,
)
from fredag.protocol import Segment, b64url_encode
from tests.conftest import TEST_PASSPHRASE
from tests.device.conftest import make_meta
from tests.support.cli import run_fredag

WORDS = ("Pappa slår mamma när han dricker", "Elias sover hos mormor ibland")
LOCKED_WORDS = "Farmor hjälper familjen varje vecka"


def _meeting(store: Store) -> SessionLog:
    log = SessionLog.create(store, make_meta())
    for i, text in enumerate(WORDS):
        log.segment(Segment(start=2.0 * i, end=2.0 * i + 1.5, text=text))
    return log


def _no_env_passphrase(env: dict[str, str] | None = None) -> dict[str, str]:
    return {**(env or {}), "FREDAG_PASSPHRASE": ""}


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


class TestLostDevice:
    def test_copied_home_yields_no_plaintext_and_no_key(self, home: Path, tmp_path: Path) -> None:
        """A copy of $FREDAG_HOME holds no transcript word and no key, and opens nothing."""
        store = Store(home)
        log = _meeting(store)
        store.put_blob("enrollment", b"{}")
        vault = store.vault
        material = vault.material()
        vault.lock()
        log.segment(Segment(start=9.0, end=10.0, text=LOCKED_WORDS))  # sealed while locked
        copy = tmp_path / "copy"
        shutil.copytree(home, copy)

        secrets_ = [material.data_key, material.signing_key, material.sealing_key]
        needles = [w.encode() for w in (*WORDS, LOCKED_WORDS)]
        needles += [s for k in secrets_ for s in (k, k.hex().encode(), b64url_encode(k).encode())]
        needles += [b"PRIVATE KEY", b"segment", "Elias".encode("utf-16-le")]
        for path in _files(copy):
            data = path.read_bytes()
            for needle in needles:
                assert needle not in data, (path, needle[:12])
        names = {p.name for p in _files(copy)}
        assert not names & {"store.key", "store.salt", "identity.key"}

        listing = run_fredag("sessions", env=_no_env_passphrase({"FREDAG_HOME": str(copy)}))
        assert listing.returncode == 13, listing.stdout
        assert listing.stderr.count("\n") == 1 and "fredag device unlock" in listing.stderr
        wrong = run_fredag(
            "device",
            "unlock",
            "--passphrase-stdin",
            input="gissning123\n",
            env=_no_env_passphrase({"FREDAG_HOME": str(copy)}),
        )
        assert wrong.returncode == 14 and "Traceback" not in wrong.stderr

    def test_copy_opens_with_the_passphrase(self, home: Path, tmp_path: Path) -> None:
        """The same copy, with the passphrase, opens: the keys really are all in it, wrapped."""
        store = Store(home)
        log = _meeting(store)
        store.vault.lock()
        log.segment(Segment(start=9.0, end=10.0, text=LOCKED_WORDS))
        copy = tmp_path / "copy"
        shutil.copytree(home, copy)
        report = vault_for(copy).unlock(TEST_PASSPHRASE)
        assert report.merged >= 1
        texts = [s.text for s in load_session(Store(copy), log.session_id).segments]
        assert texts == [*WORDS, LOCKED_WORDS]


class TestLockedWrites:
    def test_locked_process_writes_but_cannot_read_back(self, home: Path) -> None:
        """While locked, segments append (sealed) but neither journal can be read."""
        store = Store(home)
        log = _meeting(store)
        store.vault.lock()
        log.segment(Segment(start=9.0, end=10.0, text=LOCKED_WORDS))
        log.state("stopped", 10.0)
        sealed = log.journal.path.with_name("journal.sealed.fj")
        assert Journal(sealed, store.vault.sealing_writer()).scan()[0] == 2
        with pytest.raises(DeviceLocked):
            load_session(Store(home), log.session_id)
        with pytest.raises(DeviceLocked):
            store.vault.sealing_reader()

    def test_unlock_merges_in_order_once(self, home: Path) -> None:
        """Unlock moves the sealed records after the earlier ones; a second merge adds nothing."""
        store = Store(home)
        log = _meeting(store)
        store.vault.lock()
        log.segment(Segment(start=9.0, end=10.0, text=LOCKED_WORDS))
        store.vault.unlock(TEST_PASSPHRASE)
        log.segment(Segment(start=11.0, end=12.0, text="Efter upplåsningen."))
        record = load_session(Store(home), log.session_id)
        assert [s.text for s in record.segments] == [*WORDS, LOCKED_WORDS, "Efter upplåsningen."]
        assert not log.journal.path.with_name("journal.sealed.fj").exists()

    def test_merge_cut_short_is_finished_without_duplicates(self, home: Path) -> None:
        """A crash after some sealed records were merged: the next merge adds only the rest."""
        store = Store(home)
        log = _meeting(store)
        store.vault.lock()
        log.segment(Segment(start=9.0, end=10.0, text="Ett."))
        log.segment(Segment(start=10.0, end=11.0, text="Två."))
        sealed = log.journal.path.with_name("journal.sealed.fj")
        kept = sealed.read_bytes()
        store.vault.unlock(TEST_PASSPHRASE)
        sealed.write_bytes(kept)  # as if the process died before removing the sealed file
        texts = [s.text for s in load_session(Store(home), log.session_id).segments]
        assert texts == [*WORDS, "Ett.", "Två."]

    def test_torn_sealed_record_after_power_loss(self, home: Path) -> None:
        """Power lost mid-write while locked: the torn record is dropped, the rest merge."""
        store = Store(home)
        log = _meeting(store)
        store.vault.lock()
        log.segment(Segment(start=9.0, end=10.0, text="Ett."))
        log.segment(Segment(start=10.0, end=11.0, text="Två."))
        sealed = log.journal.path.with_name("journal.sealed.fj")
        data = sealed.read_bytes()
        sealed.write_bytes(data[:-7])
        log.segment(Segment(start=11.0, end=12.0, text="Tre."))  # the next append cuts it off
        store.vault.unlock(TEST_PASSPHRASE)
        texts = [s.text for s in load_session(Store(home), log.session_id).segments]
        assert texts == [*WORDS, "Ett.", "Tre."]


class TestWrongPassphrase:
    def _locked(self, home: Path) -> Store:
        store = Store(home)
        _meeting(store)
        store.vault.lock()
        return store

    def test_delay_grows_and_is_kept_on_disk(self, home: Path) -> None:
        """Each wrong passphrase is counted on disk; after the free ones the wait doubles."""
        store = self._locked(home)
        vault = store.vault
        now = [1_000_000.0]
        vault.attempts.clock = lambda: now[0]
        delays = []
        for _ in range(FREE_ATTEMPTS + 3):
            with pytest.raises(WrongPassphrase):
                vault.unlock("fel lösenfras")
            state = vault_for(home).attempts.state()
            delays.append(state.delay_s)
            assert state.not_before == now[0] + state.delay_s
            if state.delay_s:
                with pytest.raises(UnlockDelayed, match="try again"):
                    vault.unlock(TEST_PASSPHRASE)  # even the right one waits
                now[0] = state.not_before
        assert delays == [delay_for(n) for n in range(1, FREE_ATTEMPTS + 4)]
        assert delays[-3:] == [1.0, 2.0, 4.0]
        assert vault.attempts.state().failures == FREE_ATTEMPTS + 3
        report = vault.unlock(TEST_PASSPHRASE)
        assert report.failures_before == FREE_ATTEMPTS + 3 and not report.wiped
        assert vault.attempts.state().failures == 0
        events = [e["event"] for e in audit.events(vault)]
        assert events.count("unlock_failed") == FREE_ATTEMPTS + 3
        assert events[-1] == "unlocked_after_failures"

    def test_wipe_limit_removes_case_data_only(self, home: Path) -> None:
        """At the municipality's limit the case data is wiped; keys, enrollment, audit stay."""
        store = self._locked(home)
        vault = store.vault
        vault.wipe_after = 3
        vault.attempts.clock = lambda: 0.0  # never waits: the test is about the limit
        (home / "device" / "blobs").mkdir(exist_ok=True)
        for _ in range(2):
            with pytest.raises(WrongPassphrase, match="wrong passphrase"):
                vault.unlock("fel lösenfras")
        assert store.session_ids() != []
        with pytest.raises(WrongPassphrase, match="wiped"):
            vault.unlock("fel lösenfras")
        assert store.session_ids() == []
        assert (home / "device" / "keys.json").exists()
        assert vault.attempts.state().wiped_at is not None
        report = vault.unlock(TEST_PASSPHRASE)
        assert report.wiped and report.failures_before == 3
        events = [e for e in audit.unreported(vault) if e["event"] == "case_data_wiped"]
        assert len(events) == 1 and events[0]["failures"] == 3

    def test_wipe_limit_from_the_municipality_setting(
        self, home: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The limit comes from the device settings (FREDAG_UNLOCK_WIPE_AFTER or config.toml)."""
        from device.keys.banners import banner

        store = self._locked(home)
        monkeypatch.setenv("FREDAG_UNLOCK_WIPE_AFTER", "1")
        store.vault.wipe_after = None
        with pytest.raises(WrongPassphrase, match="wiped") as caught:
            store.vault.unlock("fel lösenfras")
        assert store.session_ids() == []
        assert "raderades" in banner(caught.value) and banner(caught.value).startswith("Fel")

    def test_cli_wrong_passphrase_one_line_nothing_changed(self, tmp_path: Path) -> None:
        """`fredag device unlock` with a wrong passphrase: one line, exit 14, keys untouched."""
        env = {"FREDAG_HOME": str(tmp_path / "h")}
        assert run_fredag("device", "init", env=env).returncode == 0
        keys = tmp_path / "h" / "device" / "keys.json"
        before = keys.read_bytes()
        done = run_fredag(
            "device",
            "unlock",
            "--passphrase-stdin",
            input="fel lösenfras\n",
            env=_no_env_passphrase(env),
        )
        assert done.returncode == 14
        assert done.stderr.startswith("fredag: ") and done.stderr.count("\n") == 1
        assert keys.read_bytes() == before

    def test_damaged_key_file_is_not_a_wrong_passphrase(self, home: Path) -> None:
        """A changed byte in the wrapped keys: KeysDamaged, not counted, file left as it was."""
        store = self._locked(home)
        keys = home / "device" / "keys.json"
        text = keys.read_text()
        damaged = text.replace('"wrapped": "', '"wrapped": "A', 1)
        keys.write_text(damaged)
        with pytest.raises(KeysDamaged, match="damaged"):
            store.vault.unlock(TEST_PASSPHRASE)
        assert store.vault.attempts.state().failures == 0
        assert keys.read_text() == damaged
        done = run_fredag(
            "device",
            "unlock",
            "--passphrase-stdin",
            input=TEST_PASSPHRASE + "\n",
            env=_no_env_passphrase({"FREDAG_HOME": str(home)}),
        )
        assert done.returncode == 9 and done.stderr.count("\n") == 1
        assert "Traceback" not in done.stderr


class TestPassphraseChange:
    def test_rewraps_without_touching_journals(self, home: Path) -> None:
        """A new passphrase re-wraps the keys; every journal's bytes stay exactly the same."""
        store = Store(home)
        log = _meeting(store)
        journals = {p: p.read_bytes() for p in home.rglob("*.fj")}
        assert log.journal.path in journals
        store.vault.change_passphrase(TEST_PASSPHRASE, "en helt ny lösenfras")
        for path, data in journals.items():
            if path.name == "security.fj":  # the audit only grows: the change is recorded
                assert path.read_bytes().startswith(data)
            else:
                assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(data).digest()
        store.vault.lock()
        with pytest.raises(WrongPassphrase):
            store.vault.unlock(TEST_PASSPHRASE)
        store.vault.unlock("en helt ny lösenfras")
        texts = [s.text for s in load_session(Store(home), log.session_id).segments]
        assert texts == list(WORDS)

    def test_cli_change(self, tmp_path: Path) -> None:
        """`fredag device passphrase --passphrase-stdin` takes the old, then the new one."""
        env = {"FREDAG_HOME": str(tmp_path / "h")}
        assert run_fredag("device", "init", env=env).returncode == 0
        done = run_fredag(
            "device",
            "passphrase",
            "--passphrase-stdin",
            input=f"{TEST_PASSPHRASE}\nny lösenfras 2026\n",
            env=env,
        )
        assert done.returncode == 0, done.stderr
        locked = _no_env_passphrase(env)
        assert run_fredag("device", "lock", env=locked).returncode == 0
        again = run_fredag(
            "device", "unlock", "--passphrase-stdin", input="ny lösenfras 2026\n", env=locked
        )
        assert again.returncode == 0, again.stderr


class TestSetUp:
    def test_short_passphrase_is_refused(self, tmp_path: Path) -> None:
        """`device init` refuses a passphrase under 8 characters and writes no key file."""
        env = _no_env_passphrase({"FREDAG_HOME": str(tmp_path / "h")})
        done = run_fredag("device", "init", "--passphrase-stdin", input="kort\n", env=env)
        assert done.returncode == 2 and "at least 8" in done.stderr
        assert not (tmp_path / "h" / "device" / "keys.json").exists()

    def test_locked_record_fails_before_recording(self, tmp_path: Path) -> None:
        """`fredag record` on a locked device says so in one line and creates no session."""
        env = _no_env_passphrase({"FREDAG_HOME": str(tmp_path / "h")})
        init = run_fredag(
            "device", "init", "--passphrase-stdin", input=TEST_PASSPHRASE + "\n", env=env
        )
        assert init.returncode == 0, init.stderr
        assert run_fredag("device", "lock", env=env).returncode == 0
        done = run_fredag(
            "record", "--case", "BoU-1", "--case-type", "barn", "--consent",
            "--input", "/nonexistent.wav", env=env,
        )  # fmt: skip
        assert done.returncode == 13 and done.stderr.count("\n") == 1
        assert not (tmp_path / "h" / "device" / "sessions").exists()


class TestWorkingSession:
    def test_unlock_once_then_lock(self, tmp_path: Path) -> None:
        """After `device unlock` later commands open the store; after `device lock` they cannot."""
        env = _no_env_passphrase({"FREDAG_HOME": str(tmp_path / "h")})
        init = run_fredag(
            "device", "init", "--passphrase-stdin", input=TEST_PASSPHRASE + "\n", env=env
        )
        assert init.returncode == 0, init.stderr
        assert run_fredag("sessions", env=env).returncode == 0
        assert run_fredag("device", "lock", env=env).returncode == 0
        locked = run_fredag("sessions", env=env)
        assert locked.returncode == 13 and "fredag device unlock" in locked.stderr
        status = run_fredag("device", "status", env=env)
        assert "upplåst: nej" in status.stdout and "argon2id" in status.stdout
        unlock = run_fredag(
            "device", "unlock", "--passphrase-stdin", input=TEST_PASSPHRASE + "\n", env=env
        )
        assert unlock.returncode == 0, unlock.stderr
        assert run_fredag("sessions", env=env).returncode == 0

    def test_other_process_lock_drops_keys_here(self, home: Path) -> None:
        """A lock from another process (the epoch moves) drops this process's keys on refresh."""
        store = Store(home)
        _meeting(store)
        assert store.vault.refresh()
        assert run_fredag("device", "lock", env={"FREDAG_HOME": str(home)}).returncode == 0
        assert not store.vault.refresh()
        with pytest.raises(DeviceLocked):
            Store(home).session_ids() and load_session(Store(home), store.session_ids()[0])


class TestMigration:
    def _legacy_device(self, home: Path) -> tuple[bytes, Ed25519PrivateKey, str]:
        """A device as made before the keys were wrapped: store.key and identity.key in clear."""
        root = home / "device"
        (root / "sessions" / "s1").mkdir(parents=True)
        key = secrets.token_bytes(32)
        (root / "store.key").write_bytes(key)
        (root / "store.key").chmod(0o600)
        cipher = Cipher(key)
        (root / "store.check").write_bytes(cipher.seal(b"fredag-store-key-check/1", b"check"))
        journal = Journal(root / "sessions" / "s1" / "journal.fj", cipher)
        journal.append({"type": "note", "text": "gammal post"})
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        (root / "identity.key").write_bytes(pem)
        return key, private, "s1"

    def test_first_unlock_converts_key_files(self, tmp_path: Path) -> None:
        """First unlock wraps the old keys, removes the key files, and the journals still open."""
        home = tmp_path / "h"
        key, private, sid = self._legacy_device(home)
        env = _no_env_passphrase({"FREDAG_HOME": str(home)})
        locked = run_fredag("sessions", env=env)
        assert locked.returncode == 13 and "key file" in locked.stderr
        done = run_fredag(
            "device", "unlock", "--passphrase-stdin", input=TEST_PASSPHRASE + "\n", env=env
        )
        assert done.returncode == 0, done.stderr
        root = home / "device"
        assert not (root / "store.key").exists() and not (root / "identity.key").exists()
        for path in _files(home):
            assert key not in path.read_bytes(), path
        vault = vault_for(home)
        vault.unlock(TEST_PASSPHRASE)
        assert vault.material().data_key == key
        assert vault.signing_key().private_bytes_raw() == private.private_bytes_raw()
        store = Store(home)
        assert list(store.session_journal(sid)) == [{"type": "note", "text": "gammal post"}]
        assert [e["event"] for e in audit.events(vault)][:1] == ["keys_migrated"]

    def test_scrypt_passphrase_store_migrates(self, home: Path) -> None:
        """A store whose key came from FREDAG_PASSPHRASE via scrypt converts with it."""
        from device.journal.store import _derive_key

        root = home / "device"
        root.mkdir(parents=True)
        salt = secrets.token_bytes(16)
        (root / "store.salt").write_bytes(salt)
        cipher = Cipher(_derive_key(TEST_PASSPHRASE, salt))
        (root / "store.check").write_bytes(cipher.seal(b"fredag-store-key-check/1", b"check"))
        Journal(root / "journals" / "outbox.fj", cipher).append({"n": 1})
        assert list(Store(home).journal("outbox")) == [{"n": 1}]  # FREDAG_PASSPHRASE is set
        assert not (root / "store.salt").exists()
        assert (root / "keys.json").exists()


class TestPlatformKeyStore:
    @pytest.mark.skipif(shutil.which("systemd-creds") is None, reason="no systemd-creds")
    def test_systemd_creds_binds_the_keys(self, home: Path) -> None:
        """With systemd-creds the passphrase alone is not enough; without the credential,
        KeyStoreMissing (not counted as a wrong passphrase)."""
        vault = vault_for(home)
        try:
            vault.init(TEST_PASSPHRASE, key_store="systemd-creds")
        except KeyStoreMissing as exc:
            pytest.skip(f"systemd-creds cannot encrypt here: {exc}")
        vault.lock()
        vault.unlock(TEST_PASSPHRASE)
        vault.lock()
        cred = home / "device" / "platform.cred"
        saved = cred.read_bytes()
        cred.unlink()
        with pytest.raises(KeyStoreMissing, match="systemd-creds"):
            vault.unlock(TEST_PASSPHRASE)
        assert vault.attempts.state().failures == 0
        cred.write_bytes(saved)
        vault.unlock(TEST_PASSPHRASE)


def test_header_constant_matches_store() -> None:
    """The merge reads a sealed journal's file id at the store's header offsets."""
    assert HEADER_LEN == 24 and os.path.basename("x.sealed.fj").endswith(".sealed.fj")
