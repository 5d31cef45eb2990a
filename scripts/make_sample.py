"""Regenerate fredag/samples/mote-exempel.ogg from mote-exempel.txt with espeak-ng.

The committed audio lets `make run` work without espeak-ng; this script documents how it was
made. Run from the repository root: .venv/bin/python scripts/make_sample.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.speech import conversation  # noqa: E402

SAMPLES = ROOT / "fredag" / "samples"


def main() -> None:
    turns = []
    for line in (SAMPLES / "mote-exempel.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            speaker, text = line.split("|", 1)
            turns.append((int(speaker), text.strip()))
    wav = conversation(turns, SAMPLES / "mote-exempel.wav", gap_s=1.0)
    out = SAMPLES / "mote-exempel.ogg"
    subprocess.run(["sox", str(wav), "-C", "5", str(out)], check=True)
    wav.unlink()
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
