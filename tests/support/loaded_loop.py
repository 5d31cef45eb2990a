"""The live loop on one core that another process keeps busy (`python -m tests.support.loaded_loop
WAV OUT`): the test of the CPU budget runs it in a child so the core it takes away is its own.

This process pins itself to one CPU and starts a spinner pinned to the same CPU, then plays
WAV at real-time pace through the file source into the streaming transcriber, each commit
written to an encrypted session journal as `fredag record` does. OUT gets what was committed,
what the journal holds when read back, the audio fed, and the engine's call counts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

SPIN = "while True: pass"


def main(wav: Path, out: Path) -> None:
    from device.capture.sources import FileSource, drain
    from device.journal.session import SessionLog, SessionMeta, load_session
    from device.journal.store import Store
    from device.stages.streaming import Commit, StreamingOptions, StreamingTranscriber
    from device.stages.transcribe import Transcriber
    from fredag.settings import get_settings
    from models.registry import resolve

    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    spinner = subprocess.Popen([sys.executable, "-c", SPIN])
    try:
        os.sched_setaffinity(spinner.pid, {cpu})
        settings = get_settings()
        transcriber = Transcriber(resolve(settings.model, settings.models_dir))
        store = Store(settings.home, passphrase=None)  # unlocked as in `fredag record`
        meta = SessionMeta("BUDGET-1", "barn", "besök", ("mamma",), "Test", consent_confirmed=True)
        log = SessionLog.create(store, meta)
        committed: list[dict[str, Any]] = []

        def on_commit(commit: Commit) -> None:
            for seg in commit.segments:
                log.segment(seg)
                committed.append(seg.model_dump())

        previews: list[str] = []
        engine = StreamingTranscriber(
            transcriber, on_commit, StreamingOptions(), on_tentative=previews.append
        )
        source = FileSource(wav)
        source.start()
        fed = 0
        for chunk in drain(source):
            engine.feed(chunk)
            fed += chunk.size
        engine.close()
        journal = [s.model_dump() for s in load_session(store, log.session_id).segments]
        out.write_text(
            json.dumps(
                {
                    "committed": committed,
                    "journal": journal,
                    "fed_samples": fed,
                    "engine_audio_s": engine.audio_s,
                    "calls": dict(engine.calls),
                    "spinner_alive": spinner.poll() is None,
                }
            )
        )
    finally:
        spinner.kill()
        spinner.wait()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
