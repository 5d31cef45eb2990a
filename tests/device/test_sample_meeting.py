"""The bundled sample meeting (what `make run` plays) through the real model and tagger:
what the parent states is noted with its words, what was asked and denied never is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import run_fredag

SAMPLE = Path(__file__).resolve().parents[2] / "fredag" / "samples" / "mote-exempel.ogg"
VIOLENCE = {"child_exposed_ipv", "child_maltreatment", "escalating_ipv", "threats_weapons"}


@pytest.fixture(scope="module")
def draft() -> dict[str, Any]:
    proc = run_fredag(
        "draft", str(SAMPLE), "--case", "DEMO-1", "--case-type", "barn",
        "--caseworker", "Anna Lind", "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


@pytest.mark.slow
class TestSampleMeeting:
    def test_stated_factors_are_noted_with_their_words(self, draft: dict[str, Any]) -> None:
        """The father's drinking and the truancy the parent describes are noted, quoted."""
        found = {f["factor"]: f for f in draft["factors"]}
        assert {"parental_substance_abuse", "truancy"} <= set(found)
        segments = draft["transcript"]["segments"]
        for finding in found.values():
            for ev in finding["evidence"]:
                assert ev["quote"] in segments[ev["segment"]]["text"]

    def test_asked_and_denied_violence_is_never_a_finding(self, draft: dict[str, Any]) -> None:
        """Violence the caseworker asked about and the parent denied is not a present factor."""
        assert not VIOLENCE & {f["factor"] for f in draft["factors"]}
        assert "prior_victimisation" not in {f["factor"] for f in draft["factors"]}

    def test_caseworker_prompts_give_no_factor(self, draft: dict[str, Any]) -> None:
        """No factor is quoted from the caseworker's own questions and requests."""
        segments = draft["transcript"]["segments"]
        asked = {
            i
            for i, s in enumerate(segments)
            if s["text"].rstrip().endswith("?") or s["text"].lower().startswith("berätta")
        }
        quoted = {ev["segment"] for f in draft["factors"] for ev in f["evidence"]}
        assert not asked & quoted

    def test_assessment_and_planning_stay_empty(self, draft: dict[str, Any]) -> None:
        """The draft leaves Bedömning and Planering to the caseworker."""
        assert draft["assessment"] is None and draft["planning"] is None
        assert "Bedömning" in draft["rendered"] and "Planering" in draft["rendered"]
