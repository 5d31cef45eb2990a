"""Running the real `fredag` console script in a subprocess, as a user or another tool would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FREDAG = Path(sys.executable).with_name("fredag")


def run_fredag(
    *args: str, input: str | None = None, timeout: float = 600, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(FREDAG), *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        check=False,
    )
