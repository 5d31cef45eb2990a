"""Seeded renderings of a meeting script for the speech bench (bench/renderings.py).

A two-turn script (about 3 s of espeak-ng speech) in a throw-away cache; no model runs.
"""

from __future__ import annotations

import importlib.util
import os
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bench import renderings
from bench.meetings import SHARED

SCRIPT = "H|Har barnen blivit slagna?\nK|Nej, han har aldrig rört barnen.\n"


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "barn-test.txt"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


@pytest.fixture
def sox_env() -> Iterator[None]:
    """SOX_OPTS restored after the test (rendering 0 and the shared scorer read it)."""
    old = os.environ.get("SOX_OPTS")
    yield
    if old is None:
        os.environ.pop("SOX_OPTS", None)
    else:
        os.environ["SOX_OPTS"] = old


def samples(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16000, 1, 2)
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def shared_speak(cache: Path) -> object:
    """The shared scorer's speak(), writing into `cache`."""
    path = SHARED / "eval" / "score_meeting.py"
    if not path.exists():
        pytest.skip("../shared/eval/score_meeting.py is not here")
    spec = importlib.util.spec_from_file_location("shared_score_meeting_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.CACHE = cache  # type: ignore[attr-defined]
    return module.speak  # type: ignore[attr-defined]


@pytest.mark.parametrize("condition", ["clean", "room"])
class TestSeededRenderings:
    def test_same_number_same_bytes(self, script: Path, tmp_path: Path, condition: str) -> None:
        """Rendering 1 made twice, in two caches, is the same file byte for byte."""
        one = renderings.render(script, condition, 1, cache=tmp_path / "a")
        two = renderings.render(script, condition, 1, cache=tmp_path / "b")
        assert one.name == two.name and one.name.endswith("-r1.wav")
        assert one.read_bytes() == two.read_bytes()

    def test_other_number_other_audio_same_length(
        self, script: Path, tmp_path: Path, condition: str
    ) -> None:
        """Renderings 1 and 2 differ in their samples and have the same length."""
        one = samples(renderings.render(script, condition, 1, cache=tmp_path))
        two = samples(renderings.render(script, condition, 2, cache=tmp_path))
        assert one.shape == two.shape and one.shape[0] > 16000
        assert not np.array_equal(one, two)
        if condition == "clean":  # only the dither differs: at most 2 LSB, like two sox runs
            assert int(np.abs(one.astype(int) - two.astype(int)).max()) <= 2

    def test_without_dither_it_is_the_shared_scorers_rendering(
        self,
        script: Path,
        tmp_path: Path,
        condition: str,
        sox_env: None,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """With the dither off, rendering 0's noise stretch is the shared speak()'s audio in
        sox's repeatable mode without dither, sample for sample: only the dither and the noise
        stretch vary."""
        os.environ["SOX_OPTS"] = "-R -D"
        speak = shared_speak(tmp_path / "shared")
        expected = samples(speak(script, condition))  # type: ignore[operator]
        monkeypatch.setattr(renderings, "dither", lambda exact, _rng: renderings._round16(exact))
        rng = np.random.default_rng(0)
        clean = renderings._clean(script, tmp_path, rng)
        got = clean if condition == "clean" else renderings._room(clean, tmp_path, rng, 0)
        assert np.array_equal(expected, got)

    def test_rendering_zero_is_the_shared_speak_repeatable(
        self, script: Path, tmp_path: Path, condition: str, sox_env: None
    ) -> None:
        """Rendering 0 is the shared speak()'s file, made in sox's repeatable mode, so two
        fresh caches hold the same bytes."""
        os.environ.pop("SOX_OPTS", None)
        paths = [
            renderings.render(script, condition, 0, speak=shared_speak(tmp_path / d))  # type: ignore[arg-type]
            for d in ("a", "b")
        ]
        assert paths[0].parent == tmp_path / "a"
        key = renderings.shared_key(script, condition)
        assert paths[0].name == f"barn-test-{condition}-{key}.wav"
        assert paths[0].read_bytes() == paths[1].read_bytes()
        assert "SOX_OPTS" not in os.environ


class TestDither:
    def test_dither_level_is_sox_tpdf(self) -> None:
        """The dither is TPDF of ±1 LSB: error variance 1/4 LSB² and no error beyond 1.5 LSB."""
        exact = np.linspace(-1000.0, 1000.0, 200_000)
        error = renderings.dither(exact, np.random.default_rng(1)) - exact
        assert abs(float(error.var()) - 0.25) < 0.01
        assert float(np.abs(error).max()) <= 1.5


class TestOverRenderings:
    def test_medians_worst_and_disagreements(self) -> None:
        """Over three renderings: the median found and denials, the worst rendering's forbidden
        count, the distinct forbidden findings on any rendering, and only the meetings whose
        renderings differ are listed."""
        from bench.meetings import MeetingScore, over_renders

        def one(name: str, found: int, denied: int, forbidden: list[str]) -> MeetingScore:
            return MeetingScore(name, found, 5, denied, 1, [], forbidden, 0.3)

        per_render = [
            [one("a", 3, 1, []), one("b", 2, 0, ["x"])],
            [one("a", 4, 1, ["y"]), one("b", 2, 0, ["x"])],
            [one("a", 2, 0, []), one("b", 2, 0, ["x"])],
        ]
        total = over_renders(per_render)
        assert (total["found"], total["found_median"]) == ([5, 6, 4], 5)
        assert (total["denied"], total["denied_median"]) == ([1, 1, 0], 1)
        assert (total["forbidden"], total["forbidden_worst"], total["forbidden_any"]) == (
            [1, 2, 1],
            2,
            2,
        )
        assert list(total["disagree"]) == ["a"]
        assert total["disagree"]["a"]["forbidden"] == [[], ["y"], []]
