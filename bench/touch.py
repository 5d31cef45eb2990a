"""The handheld's touch screen (`fredag ui`) on the 5-minute synthesized meeting of the
streaming area, played at real-time pace as its microphone, watched in headless Chromium.

Measures, as the caseworker sees it: speech end → the text on the screen (p50, p95; the
moment the server-sent event that adds the segment is applied to the page), next to the
terminal view's committed-text latency from the streaming area; and pressing stop → the
draft on the screen → signed and queued ("Signera, skicka senare").
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
NAME = "touch"
CHROMIUM = "/usr/bin/chromium"
PASSPHRASE = "bänkens lösenfras 2026"  # noqa: S105 (a throw-away device's passphrase)

# Every change the screen applies, with the browser's wall clock (before the page's scripts).
RECORDER = """
window.__seen = [];
const NativeEventSource = window.EventSource;
window.EventSource = function (url) {
  const es = new NativeEventSource(url);
  es.addEventListener("message", (e) => {
    const c = JSON.parse(e.data);
    window.__seen.push([Date.now() / 1000, c.op, c.end ?? c.t ?? null]);
  });
  return es;
};
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def screen_latencies(seen: list[list[Any]], ends: list[float]) -> list[float]:
    """Per turn: seconds from its speech end until a segment covering it was on the screen.
    The audio clock's start in wall time is the earliest (arrival − audio time) of the level
    events (each arrives at or after its moment)."""
    levels = [wall - t for wall, op, t in seen if op == "level" and t is not None]
    start = min(levels)
    segments = [(wall, end) for wall, op, end in seen if op == "segment"]
    out = []
    for end in ends:
        covering = [wall for wall, seg_end in segments if seg_end >= end - 0.3]
        if covering:
            out.append(covering[0] - (start + end))
    return out


def terminal_figures() -> tuple[str, str]:
    """The terminal view's committed-text latency (p50, p95) as the streaming area wrote it."""
    text = (ROOT / "docs" / "benchmarks.md").read_text()
    p50 = re.search(r"committed-text latency p50 \| ([^|]+)\|", text)
    p95 = re.search(r"committed-text latency p95 \| ([^|]+)\|", text)
    return (p50.group(1).strip() if p50 else "?", p95.group(1).strip() if p95 else "?")


def run() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import expect, sync_playwright

    from bench.streaming import build_meeting, pct
    from tests.support.speech import read_wav, silence, write_wav

    fredag = Path(sys.executable).with_name("fredag")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        spoken, _script, ends = build_meeting(base / "spoken.wav")
        audio_s = ends[-1]
        # Silence after the last words: the caseworker stops the meeting, not the recording.
        wav = write_wav(base / "meeting.wav", np.concatenate([read_wav(spoken)[0], silence(30)]))
        port = _free_port()
        env = {
            **os.environ,
            "FREDAG_HOME": str(base / "home"),
            "FREDAG_KDF_PROFILE": "test",
            "FREDAG_PASSPHRASE": PASSPHRASE,
        }
        proc = subprocess.Popen(
            [str(fredag), "ui", "--port", str(port), "--input", str(wav), "--lock-after", "60"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert proc.stdout is not None
            launch = proc.stdout.readline().split(": ", 1)[1].strip()
            time.sleep(2)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
                )
                ctx = browser.new_context(
                    viewport={"width": 360, "height": 640}, has_touch=True, is_mobile=True
                )
                ctx.add_init_script(RECORDER)
                ctx.set_default_timeout(60_000)
                page = ctx.new_page()
                page.goto(launch)
                page.get_by_role("link", name="Nytt samtal").tap()
                page.get_by_label("Ärendenummer").fill("BENCH-1")
                page.get_by_role("button", name="Vidare till samtycke").tap()
                page.get_by_role("button", name="Samtycke givet").tap()
                page.wait_for_url("**/samtal")
                load = [os.getloadavg()[0]]
                while True:  # until the meeting's last words have been heard
                    page.wait_for_timeout(5_000)
                    load.append(os.getloadavg()[0])
                    heard = [c[2] for c in page.evaluate("window.__seen") if c[1] == "level"]
                    if heard and heard[-1] >= audio_s + 1.0:
                        break
                    if proc.poll() is not None:
                        raise RuntimeError("fredag ui stopped during the meeting")
                page.wait_for_timeout(3_000)
                seen = page.evaluate("window.__seen")
                page.get_by_role("link", name="Avsluta samtalet").tap()
                stop_at = time.monotonic()
                page.get_by_role("button", name="Ja, avsluta").tap()
                expect(page.get_by_role("button", name="Signera, skicka senare")).to_be_visible(
                    timeout=600_000
                )
                draft_at = time.monotonic()
                page.get_by_role("button", name="Signera, skicka senare").tap()
                expect(page.locator("#signed")).to_be_visible()
                signed_at = time.monotonic()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(30)
    lat = screen_latencies(seen, ends)
    p50_terminal, p95_terminal = terminal_figures()
    return {
        "audio_s": round(audio_s, 1),
        "turns": len(ends),
        "turns_on_screen": len(lat),
        "screen_latency_p50_s": round(statistics.median(lat), 2),
        "screen_latency_p95_s": round(pct(lat, 0.95), 2),
        "screen_latency_max_s": round(max(lat), 2),
        "terminal_latency_p50": p50_terminal,
        "terminal_latency_p95": p95_terminal,
        "stop_to_draft_s": round(draft_at - stop_at, 2),
        "draft_to_signed_s": round(signed_at - draft_at, 2),
        "load_avg_1m": round(statistics.mean(load), 1),
    }


def markdown(r: dict[str, Any]) -> str:
    p50 = f"{r['screen_latency_p50_s']} s"
    p95 = f"{r['screen_latency_p95_s']} s (max {r['screen_latency_max_s']} s)"
    return f"""On the {r["audio_s"]} s synthesized meeting of the streaming area ({r["turns"]}
turns, {r["turns_on_screen"]} seen on the screen), `fredag ui` with the recording as its
microphone at real-time pace, watched in headless Chromium at 360 × 640 (touch). Measured on
the shared development machine (1-minute load average {r["load_avg_1m"]} during the meeting;
above about 1.5 every decode waits for a core, so these are the shared machine's figures, not
the device's).

| measure | value | terminal view (streaming area) |
| --- | --- | --- |
| speech end → text on the screen, p50 | {p50} | committed {r["terminal_latency_p50"]} |
| speech end → text on the screen, p95 | {p95} | committed {r["terminal_latency_p95"]} |
| stop pressed → the draft on the screen | {r["stop_to_draft_s"]} s | |
| "Signera, skicka senare" → signed and queued | {r["draft_to_signed_s"]} s | |

Stop → signed, queued draft = the two last rows added (the caseworker's reading time between
them not counted): {round(r["stop_to_draft_s"] + r["draft_to_signed_s"], 2)} s.
"""
