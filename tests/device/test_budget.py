"""The CPU budget: with one core taken away the loop degrades and commits later, never loses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.device.conftest import MEETING_TURNS
from tests.support.speech import wer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def starved_run(
    meeting_wav: Path, whisper_base: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The meeting played at real time into the loop on one core that a spinner shares."""
    out = tmp_path_factory.mktemp("budget") / "run.json"
    env = {
        **os.environ,
        "FREDAG_HOME": str(tmp_path_factory.mktemp("budget-home")),
        "FREDAG_MODEL": str(whisper_base.path),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [sys.executable, "-m", "tests.support.loaded_loop", str(meeting_wav), str(out)],
        env=env,
        cwd=ROOT,
        check=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    result: dict[str, Any] = json.loads(out.read_text())
    return result


@pytest.mark.slow
class TestOneCoreTakenAway:
    def test_the_spinner_competed_for_the_whole_run(self, starved_run: dict[str, Any]) -> None:
        """The competing process was still spinning on the loop's core when the loop ended."""
        assert starved_run["spinner_alive"]

    def test_every_captured_sample_reached_the_loop(self, starved_run: dict[str, Any]) -> None:
        """Capture was neither dropped nor cut short: all the audio was fed."""
        assert starved_run["fed_samples"] == round(starved_run["engine_audio_s"] * 16000)
        assert starved_run["engine_audio_s"] > 20

    def test_everything_committed_is_in_the_journal(self, starved_run: dict[str, Any]) -> None:
        """The journal read back holds exactly the committed segments, in order."""
        assert starved_run["committed"]
        assert starved_run["journal"] == starved_run["committed"]

    def test_every_turn_was_committed(self, starved_run: dict[str, Any]) -> None:
        """Every turn's words are in the committed text (late, maybe joined, but there)."""
        script = " ".join(text for _, text in MEETING_TURNS)
        text = " ".join(seg["text"] for seg in starved_run["committed"])
        assert wer(script, text) <= 0.4, text
