"""The meeting controller: pause, resume and stop (by key), the journal it writes, and what
the view shows."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest

from device.capture.sources import FileSource
from device.journal.session import SessionLog, load_session
from device.journal.store import Store
from device.meeting.controller import MeetingController
from device.stages.streaming import StreamingOptions
from device.stages.tagging import load_tagger
from device.views.keys import KeyInput
from device.views.terminal import PlainView, attach
from tests.device.conftest import make_meta


@pytest.mark.slow
class TestKeys:
    def test_pause_resume_stop(self, meeting_wav: Path, transcriber: Any, store: Store) -> None:
        """p pauses, r resumes, s stops; states and every shown segment are in the journal."""
        meta = make_meta()
        log = SessionLog.create(store, meta)
        out = io.StringIO()
        controller = MeetingController(
            log=log,
            meta=meta,
            source=FileSource(meeting_wav, speed=3.0),
            transcriber=transcriber,
            tagger=load_tagger(),
            options=StreamingOptions(previews=False),
        )
        attach(PlainView(out), controller.events)
        keys = KeyInput(controller)
        controller.start()
        for key, wait in (("p", 2.0), ("r", 1.0), ("s", 2.0)):
            time.sleep(wait)
            keys.on_key(key)
        result = controller.wait(timeout=120)
        assert result is not None
        assert result.capture_error is None
        record = load_session(store, meta.session_id)
        states = [r["state"] for r in log.journal if r.get("type") == "state"]
        assert states[:3] == ["recording", "paused", "resumed"]
        assert [s.text for s in record.segments] == [s.text for s in result.segments]
        shown = [line for line in out.getvalue().splitlines() if line.startswith("[")]
        assert len(shown) == len(result.segments)
        assert "-- pausad" in out.getvalue()
        assert result.audio_s < 24.0  # stopped before the end of the meeting


class TestWorkerErrors:
    def test_transcriber_failure_is_a_fredag_error(self, meeting_wav: Path) -> None:
        """A crash inside the transcription worker reaches the loop as a one-line Fredag error."""
        from device.stages.streaming import StreamingTranscriber
        from fredag.errors import ModelError
        from tests.support.speech import read_wav

        class Broken:
            def segments(self, *args: Any, **kwargs: Any) -> Any:
                raise RuntimeError("CTranslate2 exploded")

        audio = read_wav(meeting_wav)[0]
        engine = StreamingTranscriber(Broken(), lambda c: None)  # type: ignore[arg-type]
        with pytest.raises(ModelError, match="transcription failed: CTranslate2 exploded"):
            for pos in range(0, audio.size, 1600):
                engine.feed(audio[pos : pos + 1600])
            engine.close()
