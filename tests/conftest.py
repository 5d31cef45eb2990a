"""Fixtures every test package can use. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def fredag_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A per-run FREDAG_HOME so tests never touch the user's data; models are assembled once."""
    home = tmp_path_factory.mktemp("fredag-home")
    old = os.environ.get("FREDAG_HOME")
    os.environ["FREDAG_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("FREDAG_HOME", None)
    else:
        os.environ["FREDAG_HOME"] = old


# The device's keys in tests: a passphrase unlocks each process non-interactively (as CI and
# `make run` do), with cheap Argon2id parameters, and unlock tokens in the run's own directory.
TEST_PASSPHRASE = "test-lösenfras-1"


@pytest.fixture(scope="session", autouse=True)
def device_keys_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """FREDAG_PASSPHRASE, FREDAG_KDF_PROFILE=test and a private FREDAG_RUNTIME_DIR for the run."""
    runtime = tmp_path_factory.mktemp("fredag-runtime")
    runtime.chmod(0o700)
    values = {
        "FREDAG_PASSPHRASE": TEST_PASSPHRASE,
        "FREDAG_KDF_PROFILE": "test",
        "FREDAG_RUNTIME_DIR": str(runtime),
    }
    old = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    yield
    for name, value in old.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def whisper_base(fredag_home: Path):  # type: ignore[no-untyped-def]
    """The real whisper-base model, assembled from its PyPI packages into the test home."""
    from models.registry import resolve

    return resolve("whisper-base", fredag_home / "models")


@pytest.fixture(scope="session")
def transcriber(whisper_base):  # type: ignore[no-untyped-def]
    """One loaded whisper-base (int8) for the whole run: loading costs about a second."""
    from device.stages.transcribe import Transcriber

    return Transcriber(whisper_base, compute_type="int8")
