"""What the meeting tells the caseworker in words: a stable code per message (`Code`), carried
by the controller's `Notice`, `WarningRaised` and `ErrorRaised` events, and its wording,
Swedish first with English beside it. The controller never writes prose for a view; each view
words a code itself (the touch screen in the chosen language, the terminal in Swedish), so
no view shows an exception's English text as its message (at most as a technical detail).

`failure_code` names what stopped a meeting from the exception that stopped it.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from fredag.errors import ModelError, StoreError

LOCKED_LINE = "(låst – sparat krypterat / locked – stored sealed)"  # the terminal's wording


class Code(StrEnum):
    INPUT_SILENT = "input_silent"  # warning: the input has been silent for a while
    MICROPHONE_LOST = "microphone_lost"  # error: the input failed; the loop ended
    DISK_FULL = "disk_full"  # error: the store could not write, no space left
    STORE_FAILED = "store_failed"  # error: another write failure of the store
    TRANSCRIPTION_FAILED = "transcription_failed"  # error: the model or a stage failed
    FAILED = "failed"  # error: anything else stopped the meeting
    LOCKED = "locked"  # notice: the device locked; recording goes on, sealed
    UNLOCKED = "unlocked"  # notice: unlocked; params: count (segments read back)
    LOCKED_LINE = "locked_line"  # notice: a segment sealed while locked; params: at (mm:ss)


MESSAGES: Final[dict[Code, tuple[str, str]]] = {
    Code.INPUT_SILENT: (
        "Inget ljud från mikrofonen – kontrollera att den är på.",
        "No sound from the microphone – check that it is on.",
    ),
    Code.MICROPHONE_LOST: (
        "Mikrofonen slutade fungera. Allt som hördes fram till dess är sparat: fortsätt samtalet "
        "när mikrofonen fungerar igen, eller signera det som finns.",
        "The microphone stopped working. Everything heard until then is kept: continue the "
        "meeting once the microphone works again, or sign what there is.",
    ),
    Code.DISK_FULL: (
        "Enhetens lagringsutrymme är fullt, så inspelningen stoppades. Allt som visades är "
        "sparat. Frigör utrymme och fortsätt samtalet, eller avsluta och signera det som finns.",
        "The device's storage is full, so the recording stopped. Everything shown is kept. "
        "Free some space and continue the meeting, or finish and sign what there is.",
    ),
    Code.STORE_FAILED: (
        "Enheten kunde inte spara mer av samtalet, så inspelningen stoppades. Allt som visades "
        "är sparat: fortsätt samtalet, eller avsluta och signera det som finns.",
        "The device could not store more of the meeting, so the recording stopped. Everything "
        "shown is kept: continue the meeting, or finish and sign what there is.",
    ),
    Code.TRANSCRIPTION_FAILED: (
        "Transkriberingen slutade fungera, så inspelningen stoppades. Allt som visades är "
        "sparat: fortsätt samtalet (transkriberingen startar om), eller avsluta och signera det "
        "som finns.",
        "The transcription stopped working, so the recording stopped. Everything shown is "
        "kept: continue the meeting (the transcription starts again), or finish and sign what "
        "there is.",
    ),
    Code.FAILED: (
        "Ett fel stoppade inspelningen. Allt som visades är sparat: fortsätt samtalet, eller "
        "avsluta och signera det som finns.",
        "An error stopped the recording. Everything shown is kept: continue the meeting, or "
        "finish and sign what there is.",
    ),
    Code.LOCKED: (
        "Enheten är låst: inspelningen fortsätter och ny text sparas krypterad.",
        "The device is locked: the recording goes on and new text is stored encrypted.",
    ),
    Code.UNLOCKED: (
        "Upplåst: {count} segment från den låsta tiden är inlästa.",
        "Unlocked: {count} segments from the locked time are read in.",
    ),
    Code.LOCKED_LINE: (
        "[{at}] låst – sparat krypterat",
        "[{at}] locked – stored encrypted",
    ),
}


def say(code: Code, lang: str = "sv", params: Mapping[str, object] | None = None) -> str:
    """The message for `code` in `lang` ("en", else Swedish), its params filled in."""
    sv, en = MESSAGES[code]
    return (en if lang == "en" else sv).format(**(params or {}))


def failure_code(exc: BaseException) -> Code:
    """What stopped a meeting: DISK_FULL (ENOSPC anywhere in the chain of causes),
    STORE_FAILED (another write failure), TRANSCRIPTION_FAILED (the model or a post-decode
    stage) or FAILED."""
    seen: BaseException | None = exc
    for _ in range(8):  # the chain of causes, not forever
        if seen is None:
            break
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return Code.DISK_FULL
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, StoreError):
        return Code.STORE_FAILED
    if isinstance(exc, ModelError):
        return Code.TRANSCRIPTION_FAILED
    return Code.FAILED
