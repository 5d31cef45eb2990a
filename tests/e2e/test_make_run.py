"""`make run` (scripts/run.sh) as a user runs it: real server, demo users, enrolled device, a
meeting through the live loop with the real model, synced, reviewable; Ctrl-C stops it all."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
READY = "Servern och enhetens skärm kör tills du trycker Ctrl-C."


def _lines(proc: subprocess.Popen[str]) -> queue.Queue[str]:
    out: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            out.put(line)
        out.put("")

    threading.Thread(target=pump, daemon=True).start()
    return out


def _wait_for(lines: queue.Queue[str], marker: str, timeout: float) -> str:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if line == "":
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"{marker!r} never came; output:\n{''.join(seen)}")


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow
class TestMakeRun:
    def test_demo_flow_end_to_end_and_ctrl_c(self, tmp_path: Path, whisper_base: Any) -> None:
        """The script prints both addresses (the handheld's screen, which opens with its token
        only, and the review web view) and the logins in Swedish only; with MEETING=terminal the
        caseworker sees the synced draft (its case reference on Swedish time); Ctrl-C stops the
        server and the screen with exit 0. The screen's microphone check hears the sample
        meeting through the stand-in ALSA microphone."""
        from tests.support.speech import speak

        clip = speak("Pappa dricker varje dag och det blir bråk hemma.", tmp_path / "m.wav")
        port = free_port()
        ui_port = free_port()
        env = {
            **os.environ,
            "FREDAG_DEMO_DIR": str(tmp_path / "demo"),
            "FREDAG_DEMO_INPUT": str(clip),
            "SPEED": "8",
            "PORT": str(port),
            "UI_PORT": str(ui_port),
            "MEETING": "terminal",
            "FREDAG_MODEL": str(whisper_base.path),
        }
        env.pop("FREDAG_HOME", None)
        proc = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "run.sh")],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            output = _wait_for(_lines(proc), READY, timeout=400)
            url = f"http://127.0.0.1:{port}"
            assert url in output and "handlaggare / demo-handlaggare-1" in output
            assert "I kö: 0 utkast" in output and "Skickade: 1 utkast" in output
            assert "Synk: Skickade 1 nytt utkast till servern." in output
            english = ("fredag:", "demo:", "created ", "database at", "enrolled ")
            assert not [line for line in output.splitlines() if line.strip().startswith(english)]
            with httpx.Client(base_url=url, timeout=30) as api:
                login = api.post(
                    "/api/v1/auth/login",
                    json={"username": "handlaggare", "password": "demo-handlaggare-1"},
                )
                assert login.status_code == 200, login.text
                drafts = api.get("/api/v1/drafts").json()
                assert len(drafts) == 1 and drafts[0]["case_ref"].startswith("DEMO-")
                named = datetime.strptime(drafts[0]["case_ref"], "DEMO-%Y%m%d-%H%M%S")
                stockholm = datetime.now(ZoneInfo("Europe/Stockholm")).replace(tzinfo=None)
                assert abs(stockholm - named) < timedelta(minutes=30)  # not UTC (1-2 h off)
                full = api.get(f"/api/v1/drafts/{drafts[0]['id']}").json()["draft"]
                assert full["transcript"]["segments"]  # what the real model heard
                assert api.get("/").status_code in (200, 303, 307)
            launch = f"http://127.0.0.1:{ui_port}/oppna?nyckel="
            assert launch in output  # the handheld's screen, beside the review web view
            assert httpx.get(f"http://127.0.0.1:{ui_port}/").status_code == 403  # no token
            with httpx.Client(timeout=30) as screen:
                token = output.split(launch, 1)[1].split()[0]
                start = screen.get(launch + token, follow_redirects=True)
                assert start.status_code == 200 and "Nytt samtal" in start.text
                # The microphone check hears the sample through the stand-in ALSA input.
                base = f"http://127.0.0.1:{ui_port}"
                csrf = start.text.split('name="csrf" value="')[1].split('"')[0]
                asked = screen.post(
                    base + "/mikrofon", data={"csrf": csrf}, headers={"Origin": base}
                )
                assert asked.status_code == 303, asked.text
                change: dict[str, Any] = {}
                with screen.stream("GET", base + "/mikrofon/niva") as events:
                    for line in events.iter_lines():
                        if line.startswith("data:"):
                            change = json.loads(line[5:])
                            if not change["running"]:
                                break
                assert change.get("outcome") == "ok", change
            os.killpg(proc.pid, signal.SIGINT)
            assert proc.wait(timeout=60) == 0  # the way to end the demo: no "Error 130"
            assert not _port_open(port)
            assert not _port_open(ui_port)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
