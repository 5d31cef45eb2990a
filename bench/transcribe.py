"""`fredag transcribe` on the bundled two-voice Swedish meeting: RTF, peak RSS, WER, and how
long assembling whisper-base from its installed packages takes."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fredag" / "samples" / "mote-exempel.ogg"
SCRIPT = ROOT / "fredag" / "samples" / "mote-exempel.txt"
FREDAG = Path(sys.executable).with_name("fredag")
RUNS = 5

NAME = "transcribe"


def reference_text() -> str:
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    return " ".join(line.split("|", 1)[1] for line in lines if line and not line.startswith("#"))


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of exactly this child, and its stdout."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(f"{args} exited {proc.returncode}")
        out.seek(0)
        return wall, usage.ru_maxrss / 1024, out.read().decode()


def run() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from tests.support.speech import wer

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "FREDAG_HOME": home}
        assembly = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            subprocess.run(
                [str(FREDAG), "models", "install", "--force"],
                env=env,
                check=True,
                capture_output=True,
            )
            assembly.append(time.perf_counter() - t0)
        walls, rss, result = [], [], {}
        for _ in range(RUNS):
            wall, peak, stdout = run_measured(
                [str(FREDAG), "transcribe", str(SAMPLE), "--json"], env
            )
            walls.append(wall)
            rss.append(peak)
            result = json.loads(stdout)
    duration = float(result["duration_s"])
    return {
        "audio": SAMPLE.name,
        "audio_s": round(duration, 1),
        "model": "whisper-base int8, beam 5, 2 cores",
        "runs": RUNS,
        "rtf_median": round(statistics.median(walls) / duration, 3),
        "rtf_min": round(min(walls) / duration, 3),
        "wall_s_median": round(statistics.median(walls), 2),
        "peak_rss_mb_median": round(statistics.median(rss)),
        "wer": round(wer(reference_text(), result["text"]), 3),
        "assembly_s_median": round(statistics.median(assembly), 2),
    }


def markdown(r: dict[str, Any]) -> str:
    return f"""## Transcription (`fredag transcribe`)

{r["audio"]} ({r["audio_s"]} s, two espeak-ng voices, Opus), {r["model"]}, {r["runs"]} runs of the
real CLI (process start and model load included), peak RSS from `wait4` of each child.

| measure | median | target |
| --- | --- | --- |
| real-time factor (wall / audio) | {r["rtf_median"]} (best {r["rtf_min"]}) | ≤ 0.15 |
| peak RSS | {r["peak_rss_mb_median"]} MB | ≤ 500 MB |
| WER against the script | {r["wer"]} | (espeak voice; ≈0.3 expected) |
| assembling whisper-base from its packages | {r["assembly_s_median"]} s | ≤ 5 s |
"""
