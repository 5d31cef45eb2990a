"""Is this written word Swedish? The Hunspell Swedish dictionary (Debian's ``hunspell-sv``),
read with spylls (Hunspell ported to Python), as a signal about what the recogniser wrote.

simplemma knows inflected words but few compounds; Hunspell also accepts a well-formed
compound ("smörkniv", "fotbollslaget"). A word neither knows ("märgökniv", "fullpåsofan") is
no Swedish word: the recogniser most likely ran two words together (`risk_factors.cues`).

The dictionary is loaded once per process (3–5.5 s and 100–130 MB resident, spylls being pure
Python), on first use, and only a transcript heard with word probabilities ever needs it
(typed text never does). `fredag draft AUDIO` and a live meeting (`open_meeting`: its
committed segments carry the recogniser's words) call `warm_up` when they start: a missing
dictionary is an error before anything is transcribed or recorded, and the load runs beside
the transcription.
"""

from __future__ import annotations

import os
import sys
import threading
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


def _path() -> Path:
    """The dictionary's path without suffix; ExtraMissing when it is not installed."""
    for folder in _folders():
        if (folder / f"{DICTIONARY}.dic").is_file() and (folder / f"{DICTIONARY}.aff").is_file():
            return folder / DICTIONARY
    raise ExtraMissing(
        "the Swedish Hunspell dictionary is not installed (apt-get install hunspell-sv, "
        "or set FREDAG_HUNSPELL_DIR to a folder with sv_SE.aff and sv_SE.dic)"
    )


_lock = threading.Lock()
_loaded: Any = None


def _dictionary() -> Any:
    """The loaded dictionary: loaded now, or waited for while another thread loads it
    (`warm_up`), never loaded twice."""
    global _loaded
    with _lock:
        if _loaded is None:
            try:
                from spylls.hunspell import Dictionary
            except ImportError as exc:  # pragma: no cover - a core dependency
                raise ExtraMissing("spylls is not installed: pip install spylls") from exc
            _loaded = Dictionary.from_files(str(_path()))
        return _loaded


def is_loaded() -> bool:
    """True once the dictionary is in memory."""
    return _loaded is not None


def warm_up() -> threading.Thread:
    """Check now that the dictionary is installed (ExtraMissing at once, not after a long
    transcription) and load it on a background thread; a lookup meanwhile waits for that
    load instead of starting its own. Returns the thread (join it to wait)."""
    _path()
    thread = threading.Thread(target=_load_quietly, name="fredag-dictionary", daemon=True)
    thread.start()
    return thread


def _load_quietly() -> None:
    try:
        _dictionary()
    except Exception:  # the lookup that needs it loads it again and raises
        return


@lru_cache(maxsize=100_000)
def is_dictionary_word(word: str) -> bool:
    """True when Hunspell's Swedish dictionary accepts the lower-case word, compounds
    included."""
    return bool(word) and bool(_dictionary().lookup(word))


__all__ = ["is_dictionary_word", "is_loaded", "warm_up"]
