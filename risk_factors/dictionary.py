"""Is this written word Swedish? The Hunspell Swedish dictionary (Debian's ``hunspell-sv``),
read with spylls (Hunspell ported to Python), as a signal about what the recogniser wrote.

simplemma knows inflected words but few compounds; Hunspell also accepts a well-formed
compound ("smörkniv", "fotbollslaget"). A word neither knows ("märgökniv", "fullpåsofan") is
no Swedish word: the recogniser most likely ran two words together (`risk_factors.cues`).

The dictionary is loaded once, on first use (a few seconds), and only a transcript heard with
word probabilities ever needs it; typed text never does.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from fredag.errors import ExtraMissing

DICTIONARY = "sv_SE"
SEARCH = (
    Path(sys.prefix) / "share" / "hunspell",
    Path("/usr/share/hunspell"),
)
"""Where the dictionary files (``sv_SE.aff``, ``sv_SE.dic``) are looked for, in order, after
``$FREDAG_HUNSPELL_DIR``."""


def _folders() -> list[Path]:
    override = os.environ.get("FREDAG_HUNSPELL_DIR")
    return ([Path(override)] if override else []) + list(SEARCH)


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    try:
        from spylls.hunspell import Dictionary
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise ExtraMissing("spylls is not installed: pip install spylls") from exc
    for folder in _folders():
        if (folder / f"{DICTIONARY}.dic").is_file() and (folder / f"{DICTIONARY}.aff").is_file():
            return Dictionary.from_files(str(folder / DICTIONARY))
    raise ExtraMissing(
        "the Swedish Hunspell dictionary is not installed (apt-get install hunspell-sv, "
        "or set FREDAG_HUNSPELL_DIR to a folder with sv_SE.aff and sv_SE.dic)"
    )


@lru_cache(maxsize=100_000)
def is_dictionary_word(word: str) -> bool:
    """True when Hunspell's Swedish dictionary accepts the lower-case word, compounds
    included."""
    return bool(word) and bool(_dictionary().lookup(word))


__all__ = ["is_dictionary_word"]
