"""The device's Ed25519 identity and signing drafts with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from device.journal.identity import init_identity, key_path, load_identity
from fredag.errors import SignatureError, UsageError
from tests.support.cli import run_fredag


class TestIdentity:
    def test_private_key_is_0600_and_loads_back(self, home: Path) -> None:
        """`init` writes the private key with mode 0600 and loading it gives the same key id."""
        made = init_identity(home)
        assert key_path(home).stat().st_mode & 0o777 == 0o600
        assert load_identity(home).key_id == made.key_id
        assert len(made.key_id) == 64

    def test_init_refuses_to_replace(self, home: Path) -> None:
        """A second init without --force is refused so an enrolled key is not lost by mistake."""
        init_identity(home)
        with pytest.raises(UsageError, match="--force"):
            init_identity(home)

    def test_missing_identity_says_what_to_run(self, home: Path) -> None:
        """Loading without an identity names `fredag device init`."""
        with pytest.raises(UsageError, match="fredag device init"):
            load_identity(home)

    def test_readable_private_key_is_refused(self, home: Path) -> None:
        """A private key that others can read is refused."""
        init_identity(home)
        key_path(home).chmod(0o644)
        with pytest.raises(SignatureError, match="chmod 600"):
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
