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


class TestRevisedLabelOnTheStoppedPage:
    """The page of a meeting stopped on a failure marks a label the device changed with
    hindsight, as the meeting and draft pages do; other labels are shown as they are."""

    def test_a_revised_label_is_marked_in_what_was_kept(self) -> None:
        """A kept line whose speaker is `revised` reads "person 2 (ändrad av enheten):", in
        English "(changed by the device)"; a plain one "person 1:"."""
        from jinja2 import Environment, FileSystemLoader

        from device.views.touch.app import HERE, mmss
        from device.views.touch.texts import text
        from fredag.protocol import Segment, Speaker

        env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True)
        env.globals["mmss"] = mmss
        plain = Speaker(role="other", label="person 1", confidence=0.9)
        revised = Speaker(role="other", label="person 2", confidence=0.6, revised=True)
        kept = (
            Segment(start=0, end=1, text="Nej.", speaker=plain),
            Segment(start=1, end=2, text="Ja.", speaker=revised),
        )
        for lang, mark in (("sv", "ändrad av enheten"), ("en", "changed by the device")):
            html = env.get_template("failed.html").render(
                lang=lang,
                t=lambda key, lang=lang: text(lang, key),
                csrf="x",
                here="/",
                kind="failed",
                failure="x",
                session_id="s",
                segments=kept,
            )
            assert f'person 2<span class="revised"> ({mark})</span>:</span> Ja.' in html
            assert '<span class="who">person 1:</span> Nej.' in html
            assert html.count(mark) == 1
