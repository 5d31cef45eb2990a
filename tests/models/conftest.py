"""Fixtures for the model tests: a tiny Whisper checkpoint and its conversion, once per run,
with the network switched off; and a models directory of their own (not the shared home)."""

from __future__ import annotations

import io
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from models.register import Installed
from tests.models.tiny_whisper import build_tiny_whisper

TINY = "tiny-sv"


class NetworkAttempt(AssertionError):
    """Raised instead of opening a network connection while the network is blocked."""


@contextmanager
def no_network(attempts: list[str]) -> Iterator[None]:
    """Block (and record) every TCP/UDP connection and DNS lookup; unix sockets still work."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise NetworkAttempt(f"network use during an offline step: {args[:2]!r}")

    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        return refuse(self, address)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setattr(socket.socket, "connect", connect)
        mp.setattr(socket, "create_connection", refuse)
        mp.setattr(socket, "getaddrinfo", refuse)
        yield


@pytest.fixture(scope="session", autouse=True)
def hub_offline() -> Iterator[None]:
    """HF_HUB_OFFLINE=1 for every model test, as on a device."""
    old = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    yield
    if old is None:
        os.environ.pop("HF_HUB_OFFLINE", None)
    else:
        os.environ["HF_HUB_OFFLINE"] = old


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random transformers Whisper checkpoint (model card says apache-2.0)."""
    with no_network([]):
        return build_tiny_whisper(tmp_path_factory.mktemp("tiny-whisper"))


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models directory for these tests only, so other areas never see the tiny model."""
    return tmp_path_factory.mktemp("models-home") / "models"


@pytest.fixture(scope="session")
def network_attempts() -> list[str]:
    """Connections tried during the session's conversion (should stay empty)."""
    return []


@pytest.fixture(scope="session")
def converted(tiny_checkpoint: Path, models_dir: Path, network_attempts: list[str]) -> Installed:
    """The tiny checkpoint converted to int8 CTranslate2 and installed, network blocked."""
    from models.convert import convert_checkpoint

    with no_network(network_attempts):
        return convert_checkpoint(tiny_checkpoint, models_dir, TINY, quantization="int8")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh FREDAG_HOME for one test (CLI subprocesses and settings read it)."""
    monkeypatch.setenv("FREDAG_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def fredag(*args: str) -> Ran:
    """Run the `fredag` command line in this process (shares the already imported torch)."""
    from fredag.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return Ran(code, out.getvalue(), err.getvalue())
