"""The touch screen's words for what went wrong (`device.views.touch.texts.error_text`): plain
Swedish first, English by the switch, never the exception's own text as the message."""

from __future__ import annotations

import errno

from device.views.touch.texts import error_text
from fredag.errors import (
    CaptureError,
    DeviceLocked,
    FredagError,
    ModelError,
    StoreError,
    UsageError,
)


def full_disk() -> StoreError:
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as exc:
            raise StoreError("cannot write to the device store") from exc
    except StoreError as exc:
        return exc


class TestErrorPagesAreWorded:
    def test_each_kind_of_error_has_its_own_plain_words(self) -> None:
        """A full disk, a locked device, no microphone, the model, the store, an action not
        possible now and anything else each get their own Swedish sentence, not the
        exception's English text; English by the switch."""
        errors: list[FredagError] = [
            full_disk(),
            DeviceLocked("the device is locked"),
            CaptureError("no input device"),
            ModelError("model not found"),
            StoreError("journal damaged"),
            UsageError("a meeting is running already"),
            FredagError("boom"),
        ]
        sv = [error_text("sv", exc) for exc in errors]
        assert sv[0].startswith("Enhetens lagringsutrymme är fullt")
        assert sv[1].startswith("Enheten är låst")
        assert sv[2].startswith("Ingen mikrofon fungerar")
        assert len(set(sv)) == len(sv)
        assert not any(str(exc) in text for exc, text in zip(errors, sv, strict=True))
        assert error_text("en", errors[0]).startswith("The device's storage is full")
        assert error_text("en", errors[5]) == "That cannot be done right now."
