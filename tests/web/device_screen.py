"""The handheld's screen in the browser tests: a real `fredag ui` process (its own
FREDAG_HOME, the real whisper-base, audio from a recording at real-time pace or from an ALSA
input) and a phone-sized, touch-enabled Chromium context."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.cli import FREDAG
from tests.support.postgres import free_port

PHONE = {"width": 360, "height": 640}


@dataclass
class UiProcess:
    proc: subprocess.Popen[str]
    launch_url: str
    base_url: str
    home: Path
    lines: list[str]

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def start_ui(
    home: Path, model_dir: Path, *args: str, env: dict[str, str] | None = None
) -> UiProcess:
    """`fredag ui` on a free port; returns once it printed its launch address."""
    port = free_port()
    full_env = {
        **os.environ,
        "FREDAG_HOME": str(home),
        "FREDAG_MODEL": str(model_dir),
        **(env or {}),
    }
    proc = subprocess.Popen(
        [str(FREDAG), "ui", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=full_env,
    )
    lines: list[str] = []
    got: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            got.put(line)

    threading.Thread(target=pump, daemon=True).start()
    while True:
        try:
            line = got.get(timeout=60)
        except queue.Empty:
            proc.kill()
            raise AssertionError("fredag ui printed nothing: " + "".join(lines)) from None
        if "http://" in line:
            url = line.split(": ", 1)[1].strip()
            break
    for _ in range(300):  # the address is printed just before uvicorn listens
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        if proc.poll() is not None:
            raise AssertionError("fredag ui stopped: " + "".join(lines))
        time.sleep(0.1)
    return UiProcess(proc, url, f"http://127.0.0.1:{port}", home, lines)


@contextmanager
def ui_running(
    home: Path, model_dir: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[UiProcess]:
    ui = start_ui(home, model_dir, *args, env=env)
    try:
        yield ui
    finally:
        ui.stop()


def phone(browser: Any, ui: UiProcess, **viewport: int) -> Any:
    """A phone-sized touch context on the screen, opened through the launch address."""
    ctx = browser.new_context(
        base_url=ui.base_url,
        viewport=viewport or PHONE,
        has_touch=True,
        is_mobile=True,
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
    )
    ctx.set_default_timeout(20_000)
    page = ctx.new_page()
    page.goto(ui.launch_url)
    return page


def meeting_started(browser: Any, base_url: str, launch_url: str, case_ref: str) -> Any:
    """A phone context on the screen at `base_url` (opened through `launch_url`) with a new
    meeting for `case_ref` started after consent: the page on the meeting screen."""
    ctx = browser.new_context(
        base_url=base_url, viewport=PHONE, has_touch=True, is_mobile=True, locale="sv-SE"
    )
    ctx.set_default_timeout(20_000)
    page = ctx.new_page()
    page.goto(launch_url)
    page.get_by_role("link", name="Nytt samtal").tap()
    page.get_by_label("Ärendenummer").fill(case_ref)
    page.get_by_role("button", name="Vidare till samtycke").tap()
    page.get_by_role("button", name="Samtycke givet").tap()
    page.wait_for_url("**/samtal")
    return page


def small_targets(page: Any) -> list[str]:
    """Visible buttons, links and form controls smaller than 48 x 48 px."""
    found: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll(
              'button, a.button, a.chip, input[type=radio], input[type=checkbox], select, input'))
           .filter(e => e.offsetParent !== null && e.type !== 'hidden')
           .map(e => {
             const box = (e.closest('label') || e).getBoundingClientRect();
             return [e.outerHTML.slice(0, 80), box.width, box.height];
           })
           .filter(([_, w, h]) => w < 48 || h < 48)
           .map(([html, w, h]) => `${html} ${w}x${h}`)"""
    )
    return found


def said_texts(items: Any) -> list[str]:
    """The words of each transcript line on the handheld's screen, without its time and
    speaker label (the `.at` and `.who` spans)."""
    texts = items.evaluate_all(
        "els => els.map(li => { const c = li.cloneNode(true);"
        " c.querySelectorAll('.at, .who').forEach(n => n.remove());"
        " return c.textContent; })"
    )
    return [str(t).strip() for t in texts]
