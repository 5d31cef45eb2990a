"""The `fredag catalogue` and `fredag tag` commands, run as the real console script."""

from __future__ import annotations

import csv
import functools
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from fredag.cli import main
from risk_factors.catalogue import default_catalogue_path
from tests.support.cli import run_fredag

from .conftest import DATA, SHARED

SCORER = SHARED / "eval" / "score_tagging.py"
FREDAG = str(Path(sys.executable).with_name("fredag"))


def _run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    """Run the root command in-process (same code path as the script, without start-up cost)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class TestCatalogueCommands:
    def test_validate_packaged(self, capsys: Any, monkeypatch: Any) -> None:
        """`catalogue validate` accepts the packaged catalogue and prints version and hash."""
        code, out, _err = _run(capsys, monkeypatch, "catalogue", "validate")
        assert code == 0
        assert "59 factors" in out and "sha256" in out

    def test_validate_rejects_bad_file_with_one_line(
        self, capsys: Any, monkeypatch: Any, tmp_path: Path
    ) -> None:
        """A catalogue with a prescribing description fails with exit 6 and a one-line error."""
        data = yaml.safe_load(default_catalogue_path().read_text(encoding="utf-8"))
        data["factors"][0]["description"] = "Placering rekommenderas."
        path = tmp_path / "bad.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        code, _out, err = _run(capsys, monkeypatch, "catalogue", "validate", str(path))
        assert code == 6
        assert "early_onset_normbreaking" in err and "rekommenderas" in err
        assert len(err.strip().splitlines()) == 1

    def test_show_factor(self, capsys: Any, monkeypatch: Any) -> None:
        """`catalogue show SLUG` prints names, life area, citations, cues and examples."""
        code, out, _err = _run(capsys, monkeypatch, "catalogue", "show", "parental_substance_abuse")
        assert code == 0
        assert "Förälders missbruk eller beroende" in out
        assert "Livsområde (barn): Familj och miljö: familjens bakgrund" in out
        assert "Helsedirektoratet" in out and "Ledord" in out

    def test_show_json(self, capsys: Any, monkeypatch: Any) -> None:
        """`catalogue show SLUG --json` prints the factor with its citations."""
        code, out, _err = _run(capsys, monkeypatch, "catalogue", "show", "neglect", "--json")
        assert code == 0 and json.loads(out)["citations"]

    def test_show_unknown_slug(self, capsys: Any, monkeypatch: Any) -> None:
        """An unknown slug is a one-line catalogue error."""
        code, _out, err = _run(capsys, monkeypatch, "catalogue", "show", "no_such_factor")
        assert code == 6 and "no_such_factor" in err

    def test_export_json_and_csv(self, capsys: Any, monkeypatch: Any) -> None:
        """`catalogue export` writes JSON with a hash, and CSV with 59 rows; xml is refused."""
        _code, out, _err = _run(capsys, monkeypatch, "catalogue", "export", "--format", "json")
        data = json.loads(out)
        assert len(data["factors"]) == 59 and len(data["sha256"]) == 64
        _code, out, _err = _run(capsys, monkeypatch, "catalogue", "export", "--format", "csv")
        assert len(list(csv.DictReader(io.StringIO(out)))) == 59
        code, _out, _err = _run(capsys, monkeypatch, "catalogue", "export", "--format", "xml")
        assert code == 2


class TestTagCommand:
    def test_tag_text(self, capsys: Any, monkeypatch: Any) -> None:
        """`fredag tag TEXT` lists the factor with its quote."""
        code, out, _err = _run(
            capsys, monkeypatch, "tag", "--case-type", "barn", "Pappa dricker varje kväll."
        )
        assert code == 0
        assert "parental_substance_abuse" in out and "Pappa dricker" in out

    def test_tag_json(self, capsys: Any, monkeypatch: Any) -> None:
        """`--json` gives tags and denials with spans, version and hash."""
        text = "Pappa dricker inte. Hon skolkar."
        _code, out, _err = _run(capsys, monkeypatch, "tag", "--json", text)
        data = json.loads(out)
        assert [t["factor"] for t in data["tags"]] == ["truancy"]
        assert [d["factor"] for d in data["denied"]] == ["parental_substance_abuse"]
        tag = data["tags"][0]
        assert text[tag["start"] : tag["end"]] == tag["quote"]
        assert data["catalogue_version"] and len(data["catalogue_sha256"]) == 64

    def test_bad_case_type(self, capsys: Any, monkeypatch: Any) -> None:
        """An unknown --case-type is a usage error (exit 2)."""
        code, _out, err = _run(capsys, monkeypatch, "tag", "--case-type", "familj", "Pappa.")
        assert code == 2 and "barn or vuxen" in err

    def test_nothing_to_tag(self, capsys: Any, monkeypatch: Any) -> None:
        """`fredag tag` without TEXT or --jsonl is a usage error."""
        code, _out, err = _run(capsys, monkeypatch, "tag")
        assert code == 2 and "nothing to tag" in err

    def test_jsonl_in_process_matches_order(self, capsys: Any, monkeypatch: Any) -> None:
        """In-process --jsonl skips blank lines and answers the rest in order."""
        stdin = (
            '{"id": 1, "text": "Hon skolkar.", "case_type": "barn"}\n\n'
            '{"id": 2, "text": "Vi ses.", "case_type": "barn"}\n'
        )
        code, out, _err = _run(capsys, monkeypatch, "tag", "--jsonl", stdin=stdin)
        assert code == 0
        assert [json.loads(line)["id"] for line in out.splitlines()] == [1, 2]

    def test_jsonl_contract_through_the_script(self) -> None:
        """The real script answers every line in order with the contract fields; a malformed
        line gets an error line in its place, the rest are still answered, and the exit is 2."""
        lines = [
            json.dumps({"id": "a", "text": "Tar pappa droger?", "case_type": "barn"}),
            json.dumps({"id": 2, "text": "Jag dricker varje kväll.", "case_type": "vuxen"}),
            "this is not json",
            json.dumps({"id": "x", "text": "Pappa dricker.", "case_type": "familj"}),
            json.dumps({"id": "c", "text": "Han har aldrig slagit mig.", "case_type": "vuxen"}),
        ]
        proc = run_fredag("tag", "--jsonl", input="\n".join(lines) + "\n")
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr and "line 3" in proc.stderr
        out = [json.loads(line) for line in proc.stdout.splitlines()]
        assert [o["id"] for o in out] == ["a", 2, None, "x", "c"]
        assert out[0]["tags"] == [] and out[0]["denied"] == []
        tag = out[1]["tags"][0]
        assert set(tag) == {"factor", "kind", "quote", "start", "end", "confidence"}
        assert tag["factor"] == "alcohol_problem" and tag["kind"] == "risk"
        assert "Jag dricker varje kväll."[tag["start"] : tag["end"]] == tag["quote"]
        assert "error" in out[2] and "case_type" in out[3]["error"]
        assert out[4]["tags"] == [] and out[4]["denied"][0]["factor"] == "escalating_ipv"

    def test_jsonl_all_good_exits_zero(self, capsys: Any, monkeypatch: Any) -> None:
        """--jsonl exits 0 when every line is well formed."""
        stdin = json.dumps({"id": "q", "text": "Pappa dricker.", "case_type": "barn"}) + "\n"
        code, out, _err = _run(capsys, monkeypatch, "tag", "--jsonl", stdin=stdin)
        assert code == 0 and json.loads(out)["tags"][0]["factor"] == "parental_substance_abuse"


@functools.cache
def _score(path: Path, min_f1: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(SCORER),
            "--cmd",
            f"{FREDAG} tag --jsonl",
            str(path),
            "--min-f1",
            str(min_f1),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _counts(stdout: str) -> dict[str, float]:
    fields = stdout.strip().splitlines()[-2].split()
    return {k: float(v) for k, v in (f.split("=") for f in fields)}


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score_tagging.py is not here")
class TestScoresThroughTheRealCli:
    def test_shared_dev_set(self) -> None:
        """../shared/tagging-dev.jsonl: F1 >= 0.90 and no tag on denying or asking sentences."""
        proc = _score(SHARED / "tagging-dev.jsonl", 0.90)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert _counts(proc.stdout)["negative-items-with-false-tags"] == 0

    def test_shared_asr_set(self) -> None:
        """The ASR set: F1 >= 0.55 and no more false tags than on the clean text."""
        asr = _score(SHARED / "tagging-dev-asr.jsonl", 0.55)
        clean = _score(SHARED / "tagging-dev.jsonl", 0.90)
        assert asr.returncode == 0, asr.stdout + asr.stderr
        assert _counts(asr.stdout)["fp"] <= _counts(clean.stdout)["fp"]

    def test_heldout_set(self) -> None:
        """Our held-back set: F1 >= 0.85 through the real CLI."""
        proc = _score(DATA / "heldout.jsonl", 0.85)
        assert proc.returncode == 0, proc.stdout + proc.stderr
