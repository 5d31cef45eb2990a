"""`fredag models use`: write the one model setting into `$FREDAG_HOME/config.toml`.

Only the top-level `model = "..."` line is touched; every other line of the file is kept as it
is. The file is replaced atomically.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_MODEL_LINE = re.compile(r"^\s*model\s*=")
_TABLE = re.compile(r"^\s*\[")


def with_model(text: str, name: str) -> str:
    """`text` (a TOML document) with its top-level `model` key set to `name`."""
    line = f"model = {json.dumps(name)}"
    lines = text.splitlines()
    for i, current in enumerate(lines):
        if _TABLE.match(current):
            break
        if _MODEL_LINE.match(current):
            lines[i] = line
            return "\n".join(lines) + "\n"
    return "\n".join([line, *lines]) + "\n"


def write_model_setting(settings_path: Path, name: str) -> None:
    """Set `model = name` in the settings file, creating the file if needed."""
    text = settings_path.read_text() if settings_path.is_file() else ""
    settings_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = settings_path.with_name(f".{settings_path.name}.tmp")
    tmp.write_text(with_model(text, name))
    tmp.replace(settings_path)
