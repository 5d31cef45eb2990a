"""The device's Ed25519 identity: one of the wrapped keys, never on disk in clear."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from device.journal.identity import init_identity, load_identity
from device.keys.vault import vault_for
from fredag.errors import DeviceLocked, UsageError
from tests.support.cli import run_fredag


class TestIdentity:
    def test_private_key_is_wrapped_and_loads_back(self, home: Path) -> None:
        """`init` keeps the private key only wrapped; loading it gives the same key id."""
        made = init_identity(home)
        assert not (home / "device" / "identity.key").exists()
        raw = made.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        for path in home.rglob("*"):
            if path.is_file():
                assert raw not in path.read_bytes(), path
        assert load_identity(home).key_id == made.key_id
        assert len(made.key_id) == 64

    def test_init_refuses_to_replace(self, home: Path) -> None:
        """A second init without --force is refused so an enrolled key is not lost by mistake."""
        init_identity(home)
        with pytest.raises(UsageError, match="--force"):
            init_identity(home)

    def test_force_replaces_identity_and_keeps_the_store(self, home: Path) -> None:
        """--force gives a new identity; the store's data key, and so its journals, stay."""
        from device.journal.store import Store

        first = init_identity(home)
        Store(home).journal("j").append({"n": 1})
        second = init_identity(home, force=True)
        assert second.key_id != first.key_id
        assert load_identity(home).key_id == second.key_id
        assert list(Store(home).journal("j")) == [{"n": 1}]

    def test_missing_identity_says_what_to_run(
        self, home: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Loading without keys (and without FREDAG_PASSPHRASE) names `fredag device init`."""
        monkeypatch.delenv("FREDAG_PASSPHRASE")
        with pytest.raises(DeviceLocked, match="fredag device init"):
            load_identity(home)

    def test_locked_device_cannot_sign(self, home: Path) -> None:
        """After lock the identity cannot be loaded until the device is unlocked again."""
        init_identity(home)
        vault_for(home).lock()
        with pytest.raises(DeviceLocked, match="fredag device unlock"):
            load_identity(home)

    def test_cli_device_init(self, tmp_path: Path) -> None:
        """`fredag device init` prints the key id and public key, and refuses a second run."""
        env = {"FREDAG_HOME": str(tmp_path)}
        first = run_fredag("device", "init", env=env)
        assert first.returncode == 0, first.stderr
        assert "key id:" in first.stdout and "BEGIN PUBLIC KEY" in first.stdout
        second = run_fredag("device", "init", env=env)
        assert second.returncode == 2
        assert "Traceback" not in second.stderr
        shown = run_fredag("device", "show", env={**env, "FREDAG_PASSPHRASE": ""})
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout == first.stdout
