"""Run the benchmarks and record them; see bench/__init__.py."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
AREAS = [
    "transcribe",
    "tagger",
    "meetings",
    "streaming",
    "server",
    "webview",
    "sync",
    "drafts_index",
    "keys",
    "models",
    "speakers",
    "turns",
    "draft",
    "touch",
]
HEADER = """# Benchmarks

Written by `make bench` (`python -m bench [AREA ...]`); each section is replaced when its area
runs again. This machine is shared and noisy: figures are medians (and p95 where latency
matters) over repeated runs, and ratios are more telling than absolute times.
"""


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def write_section(name: str, body: str) -> None:
    text = DOC.read_text() if DOC.exists() else HEADER
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"<!-- bench:{name} -->\n{body.strip()}\n\n"
        f"_Measured {stamp} on {machine()}._\n<!-- /bench:{name} -->"
    )
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.S)
    text = (
        pattern.sub(lambda _m: section, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section + "\n"
    )
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("areas", nargs="*", help=f"areas to run (default: all of {AREAS})")
    args = parser.parse_args()
    names = args.areas or AREAS
    failed = []
    for name in names:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError:
            if args.areas:
                print(f"bench: no benchmark area {name!r}", file=sys.stderr)
                failed.append(name)
            continue
        print(f"== bench {name}", file=sys.stderr, flush=True)
        result: dict[str, Any] = module.run()
        print(json.dumps({name: result}, ensure_ascii=False, indent=2), flush=True)
        write_section(name, module.markdown(result))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
