"""`fredag ui`: the touch screen served on 127.0.0.1 by uvicorn, in this (recording) process.

The launch address carries this start's token; it is printed and written to
``$FREDAG_HOME/ui-launch-url`` (mode 0600) for the kiosk browser's autostart to read
(docs/device.md).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from device.journal.store import write_private
from device.views.touch.guard import LAUNCH_PATH, Secrets
from device.views.touch.hub import LOCK_AFTER_S, Hub, Source
from fredag.errors import UsageError

LAUNCH_FILE = "ui-launch-url"


def launch_url(port: int, keys: Secrets) -> str:
    return f"http://127.0.0.1:{port}{LAUNCH_PATH}?nyckel={keys.token}"


def _check_port(port: int) -> None:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise UsageError(
                f"port {port} on 127.0.0.1 is taken ({exc.strerror}); use --port"
            ) from exc


def run_ui(
    port: int,
    source: Source,
    consent_text: str | None,
    on_message: Callable[[str], None],
    lock_after_s: float = LOCK_AFTER_S,
) -> None:
    import uvicorn

    from device.views.touch.app import create_app

    _check_port(port)
    hub = Hub(source, lock_after_s)
    if not hub.unlocked():  # FREDAG_PASSPHRASE opens the keys now, as for every command
        on_message("Enheten är låst: skärmen ber om lösenfrasen.")
    stop_idle = threading.Event()
    threading.Thread(target=hub.lock_when_idle, args=(stop_idle,), daemon=True).start()
    keys = Secrets()
    app = create_app(hub, keys, port, consent_text)
    url = launch_url(port, keys)
    launch_file = Path(hub.home) / LAUNCH_FILE
    write_private(launch_file, (url + "\n").encode())
    on_message(f"Enhetens skärm: {url}")
    on_message(f"(adressen finns också i {launch_file}; gäller tills fredag ui stoppas)")
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=3,
        lifespan="off",
    )
    try:
        uvicorn.Server(config).run()
    finally:
        stop_idle.set()
        meeting = hub.meeting
        if meeting is not None and hub.running():
            meeting.opened.controller.stop()  # Ctrl-C: what was committed is in the journal
            with contextlib.suppress(Exception):
                meeting.opened.controller.wait(30)
        with contextlib.suppress(OSError):
            launch_file.unlink()
