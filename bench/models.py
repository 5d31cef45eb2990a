"""Every installed speech model on the same synthesized Swedish clip, at int8 and float32:
real-time factor, load time, peak RSS and WER, so an admin can pick a model for the hardware.
Also what `fredag models convert` costs on a base-size checkpoint (whisper-base rebuilt as a
transformers checkpoint from its packaged weights, the size of KB-Whisper base), and how the
converted int8 model runs.

Each (model, compute type) runs in its own child process (`python -m bench.models --child`),
so peak RSS is that process's own high-water mark, read with `wait4`. The decode settings are
the device's own (`device.stages.transcribe.TranscribeOptions`: beam 5, VAD, guards).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NAME = "models"
RUNS = 3
COMPUTE_TYPES = ("int8", "float32")
CONVERT_QUANTIZATIONS = ("int8", "float16")
FREDAG = Path(sys.executable).with_name("fredag")
TEXT = (
    "Hej och välkommen. Jag heter Anna och jag är socialsekreterare här. "
    "Vi ska prata om hur ni har det hemma och hur skolan fungerar för barnen. "
    "Mamma berättar att hon har svårt att sova och att pengarna inte räcker hela månaden. "
    "Morfar hjälper till med hämtningar från förskolan två dagar i veckan."
)


def _write_clip(path: Path) -> float:
    sys.path.insert(0, str(ROOT))
    from models.speech import SAMPLE_RATE, swedish_clip

    clip = swedish_clip(TEXT)
    if clip.reference is None:
        raise RuntimeError(f"bench models needs espeak-ng: {clip.origin}")
    pcm = (clip.audio.clip(-1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    return clip.seconds


def child(model_dir: str, compute_type: str, wav: str) -> None:
    """Load one model, transcribe the clip once, print timings and text as JSON."""
    from device.capture.audio import decode_file
    from device.stages.transcribe import TranscribeOptions, Transcriber
    from models.registry import resolve

    audio = decode_file(Path(wav))
    t0 = time.perf_counter()
    transcriber = Transcriber(resolve(model_dir, Path(model_dir).parent), compute_type=compute_type)
    t1, c1 = time.perf_counter(), time.process_time()
    result = transcriber.transcribe(audio, TranscribeOptions())
    t2, c2 = time.perf_counter(), time.process_time()
    print(
        json.dumps(
            {"load_s": t1 - t0, "transcribe_s": t2 - t1, "cpu_s": c2 - c1, "text": result.text}
        )
    )


def _run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB of exactly this child, and its stdout."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{args} exited {os.waitstatus_to_exitcode(status)}")
        out.seek(0)
        return wall, usage.ru_maxrss / 1024, out.read().decode()


def _measure(args: list[str]) -> tuple[float, dict[str, Any]]:
    """Peak RSS in MB of exactly this child, and its JSON output."""
    _wall, rss, stdout = _run_child(args)
    return rss, json.loads(stdout)


def _conversions(tmp: Path) -> tuple[list[dict[str, Any]], Path]:
    """Convert a base-size transformers checkpoint with the real CLI at each quantization."""
    from fredag.settings import get_settings
    from models.registry import resolve

    base = resolve("whisper-base", get_settings().models_dir)
    src = tmp / "whisper-base-hf"
    src.mkdir()
    build = (
        "import sys; from pathlib import Path; "
        "from tests.models.ct2_to_hf import whisper_base_as_transformers as w; "
        "w(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    subprocess.run(
        [sys.executable, "-c", build, str(base.path / "model.bin"), str(src)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    home = tmp / "home"
    env = {**os.environ, "FREDAG_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    rows = []
    for quantization in CONVERT_QUANTIZATIONS:
        name = f"whisper-base-converted-{quantization}"
        args = [str(FREDAG), "models", "convert", str(src), "--name", name]
        wall, rss, _ = _run_child([*args, "--quantization", quantization], env)
        size = sum(p.stat().st_size for p in (home / "models" / name).iterdir())
        rows.append(
            {
                "quantization": quantization,
                "wall_s": round(wall, 1),
                "peak_rss_mb": round(rss),
                "size_mb": round(size / 1e6),
            }
        )
    return rows, home / "models"


def _bench_one(model_dir: Path, compute_type: str, wav: Path, audio_s: float) -> dict[str, Any]:
    from tests.support.speech import wer

    args = [sys.executable, "-m", "bench.models", "--child", str(model_dir), compute_type, str(wav)]
    rss, loads, decodes, cpus, text = [], [], [], [], ""
    for _ in range(RUNS):
        peak, out = _measure(args)
        rss.append(peak)
        loads.append(out["load_s"])
        decodes.append(out["transcribe_s"])
        cpus.append(out["cpu_s"])
        text = out["text"]
    return {
        "compute_type": compute_type,
        "rtf_median": round(statistics.median(decodes) / audio_s, 3),
        "cpu_s_per_audio_s": round(statistics.median(cpus) / audio_s, 3),
        "load_s_median": round(statistics.median(loads), 2),
        "peak_rss_mb_median": round(statistics.median(rss)),
        "wer": round(wer(TEXT, text), 3),
        "text": text,
    }


def run() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from fredag.settings import get_settings
    from models.registry import list_installed, resolve

    settings = get_settings()
    load_before = os.getloadavg()[0]
    resolve("whisper-base", settings.models_dir)  # assembled from its packages if needed
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "clip.wav"
        audio_s = _write_clip(wav)
        conversions, converted_dir = _conversions(Path(tmp))
        installed = [(settings.models_dir, p) for p in list_installed(settings.models_dir)]
        converted = [(converted_dir, p) for p in list_installed(converted_dir)]
        int8 = [(d, p) for d, p in converted if p.quantization == "int8"]
        for models_dir, prov in installed + int8:
            model_dir = models_dir / prov.name
            for compute_type in COMPUTE_TYPES:
                row = _bench_one(model_dir, compute_type, wav, audio_s)
                rows.append(
                    {
                        "model": prov.name,
                        "stored": prov.quantization,
                        "size_mb": round(prov.size_bytes / 1e6),
                        **row,
                    }
                )
    return {
        "audio_s": round(audio_s, 1),
        "runs": RUNS,
        "cpus": os.cpu_count(),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "rows": rows,
        "conversions": conversions,
    }


def markdown(r: dict[str, Any]) -> str:
    lines = [
        "## Models (`fredag models`): which model for which device",
        "",
        f"Every installed model on the same espeak-ng Swedish clip ({r['audio_s']} s), the "
        f"device's decode settings (beam 5, VAD), {r['runs']} runs each in a fresh process "
        "(load time separate from the real-time factor; peak RSS from `wait4` of each child, "
        "model load included). WER on one synthetic clip only ranks models roughly and varies "
        "between runs (the temperature fallback samples); on real "
        "Swedish speech (FLEURS) whisper-base has 39.6% WER and KB-Whisper base 9.1%. "
        f"Load average before/after: {r['load_average'][0]} / {r['load_average'][1]} on "
        f"{r['cpus']} cores (a busy machine inflates RTF).",
        "",
        "RTF is wall time and suffers when the machine is busy; CPU s per audio s (all threads, "
        "decoding only) is what the decoding costs, independent of other load: divided by the "
        "device's cores it is the best RTF that device can reach.",
        "",
        "| model | stored | size | compute | RTF | CPU s / audio s | load | peak RSS | WER |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in r["rows"]:
        lines.append(
            f"| {row['model']} | {row['stored']} | {row['size_mb']} MB | {row['compute_type']} "
            f"| {row['rtf_median']} | {row['cpu_s_per_audio_s']} | {row['load_s_median']} s "
            f"| {row['peak_rss_mb_median']} MB "
            f"| {row['wer']} |"
        )
    lines += [
        "",
        "`fredag models convert` of a base-size transformers checkpoint (whisper-base rebuilt "
        "from its packaged weights as float16 safetensors, like KB-Whisper base), real CLI in a "
        "fresh process: torch import, conversion, validation load and decode included.",
        "",
        "| quantization | wall | peak RSS | size on disk |",
        "| --- | --- | --- | --- |",
    ]
    for c in r["conversions"]:
        lines.append(
            f"| {c['quantization']} | {c['wall_s']} s | {c['peak_rss_mb']} MB | {c['size_mb']} MB |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.models")
    parser.add_argument("--child", nargs=3, metavar=("MODEL_DIR", "COMPUTE_TYPE", "WAV"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
    else:
        print(json.dumps(run(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
