"""The CPU budget: with one core taken away the loop degrades and commits later, never loses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.stages.scheduling import LEVELS, Budget, Scheduler
from device.stages.streaming import StreamingOptions
from device.stages.utterance import Utterance
from device.stages.vad import Pause
from tests.device.conftest import MEETING_TURNS
from tests.support.speech import wer

ROOT = Path(__file__).resolve().parents[2]
EAGER = StreamingOptions(preview_max_cpu=99, speculate_max_cpu=99, preview_min_s=0.5)


class FakeSegmenter:
    """What the scheduler reads of segmentation: the utterance in progress and its pause."""

    def __init__(self, current: Utterance | None, pause: Pause | None = None) -> None:
        self.current = current
        self.pause = pause
        self.pausing = pause is not None


def utterance(uid: int, seconds: float = 2.0) -> Utterance:
    utt = Utterance(uid, uid * 100_000)
    utt.add(np.zeros(int(seconds * 16000), dtype=np.float32))
    return utt


def scheduler(lag: float) -> Scheduler:
    out = Scheduler(EAGER, Budget(30.0))
    out.last_lag = lag
    return out


class TestDegradationOrder:
    def test_levels_in_their_stated_order(self) -> None:
        """The lag thresholds give full, previews off, speculation off, larger batches."""
        levels = [LEVELS[scheduler(lag).level()] for lag in (0.0, 2.0, 4.0, 7.0)]
        assert levels == ["full", "previews off", "speculation off", "larger batches"]

    def test_previews_go_first(self) -> None:
        """A preview due with no lag is not made once commits lag by `lag_previews_s`."""
        seg = FakeSegmenter(utterance(1))
        job = scheduler(0.0).next_job(seg, previews_wanted=True)  # type: ignore[arg-type]
        assert job is not None and job.kind == "preview"
        assert scheduler(2.0).next_job(seg, previews_wanted=True) is None  # type: ignore[arg-type]

    def test_speculation_goes_second(self) -> None:
        """A speculation due is still made without previews, and not once speculation is off."""
        cur = utterance(1)
        seg = FakeSegmenter(cur, Pause(end_sample=cur.end_sample - 1600, length_s=0.4))
        job = scheduler(2.0).next_job(seg, previews_wanted=True)  # type: ignore[arg-type]
        assert job is not None and job.kind == "speculate"
        assert scheduler(4.0).next_job(seg, previews_wanted=True) is None  # type: ignore[arg-type]

    def test_larger_batches_wait_for_the_next_utterance(self) -> None:
        """Far behind, a lone utterance that ended waits while someone speaks; the next one
        to end is decoded with it in one job."""
        sched = scheduler(7.0)
        speaking = FakeSegmenter(utterance(9))
        sched.queue([utterance(1)])
        assert sched.next_job(speaking, previews_wanted=False) is None  # type: ignore[arg-type]
        sched.queue([utterance(2)])
        job = sched.next_job(speaking, previews_wanted=False)  # type: ignore[arg-type]
        assert job is not None and job.kind == "final"
        assert [u.uid for u in job.utterances] == [1, 2]

    def test_nothing_waits_at_the_end_or_in_silence(self) -> None:
        """A held utterance is decoded when the meeting closes or nobody speaks."""
        for seg, closing in ((FakeSegmenter(utterance(9)), True), (FakeSegmenter(None), False)):
            sched = scheduler(7.0)
            sched.queue([utterance(1)])
            job = sched.next_job(seg, previews_wanted=False, closing=closing)  # type: ignore[arg-type]
            assert job is not None and job.kind == "final"

    def test_lag_falls_back_once_commits_catch_up(self) -> None:
        """The level follows the latest commit's lag: a quick commit restores full service."""
        sched = scheduler(7.0)
        sched.queue([utterance(1)])
        job = sched.next_job(FakeSegmenter(None), previews_wanted=False)  # type: ignore[arg-type]
        assert job is not None
        sched.job_done()
        assert sched.last_lag < 1.0 and LEVELS[sched.level()] == "full"


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
