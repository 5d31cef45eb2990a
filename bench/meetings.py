"""Whole meetings: stated factors found, asked-and-denied noted, forbidden findings, WER.

The project's own version of ../shared/eval/score_meeting.py (same meeting format, same
voices and room simulation, same scoring), with a fast text mode:

* ``text``: the script's own lines as transcript segments (a perfect transcript), drafted
  through `fredag draft --transcript`'s code path in process; no audio and no model.
* ``clean`` / ``room``: each script spoken by espeak-ng exactly as the shared scorer does
  (its `speak`, cached), transcribed ONCE by whisper-base with `fredag draft`'s options and
  the transcript cached as JSON (``$FREDAG_EVAL_CACHE/transcripts``); the draft is then made
  from that transcript. Change the tagger or the catalogue and re-score in seconds.
* ``--renders N``: through speech, every meeting on renderings 0 … N-1 (bench/renderings.py:
  0 is the shared scorer's own, k ≥ 1 seeded and reproducible, differing only where two sox
  runs differ), then per set the median found and denials, the worst rendering's forbidden
  count, the WER range and the meetings whose renderings disagree.

    python -m bench.meetings ../shared/meetings-dev --mode text -v
    python -m bench.meetings tests/risk_factors/data/meetings --mode clean
    python -m bench.meetings tests/risk_factors/data/meetings --mode room --renders 3
    python -m bench meetings        # every set in every mode, into docs/benchmarks.md

Sets: the shared dev meetings, the project's own meetings (written before tuning) and the
project's held-out meetings (never looked at while tuning; reported separately).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median
from types import ModuleType
from typing import Any

from bench import renderings

NAME = "meetings"
ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FREDAG_SHARED_DIR", ROOT.parent / "shared"))
OWN = ROOT / "tests" / "risk_factors" / "data" / "meetings"
HELDOUT = ROOT / "tests" / "risk_factors" / "data" / "meetings-heldout"
# Written in session 2 by engineers who never read the tagger: heldout2 scored first at 15:58
# UTC and then used to find general faults; heldout3 scored once at 16:23 UTC, unseen before.
HELDOUT2 = ROOT / "tests" / "risk_factors" / "data" / "meetings-heldout2"
HELDOUT3 = ROOT / "tests" / "risk_factors" / "data" / "meetings-heldout3"
# Written in session 3 by an engineer who never read the tagger; scored once at 19:31 UTC.
HELDOUT4 = ROOT / "tests" / "risk_factors" / "data" / "meetings-heldout4"
# Written in session 4 by an engineer who never read the tagger; scored once at 22:02 UTC.
HELDOUT5 = ROOT / "tests" / "risk_factors" / "data" / "meetings-heldout5"
# Written in session 5 by an engineer who never read the tagger; scored once at 00:40 UTC.
HELDOUT6 = ROOT / "tests" / "risk_factors" / "data" / "meetings-heldout6"
# Written in session 6 by an engineer who never read the tagger; scored once at 03:46 UTC.
HELDOUT7 = ROOT / "tests" / "risk_factors" / "data" / "meetings-heldout7"
# Written in session 7 by an engineer who never read the tagger; scored once at 07:02 UTC.
HELDOUT8 = ROOT / "tests" / "risk_factors" / "data" / "meetings-heldout8"
SETS = {
    "shared dev": SHARED / "meetings-dev",
    "own": OWN,
    "own held-out": HELDOUT,
    "held-out 2": HELDOUT2,
    "held-out 3": HELDOUT3,
    "held-out 4": HELDOUT4,
    "held-out 5": HELDOUT5,
    "held-out 6": HELDOUT6,
    "held-out 7": HELDOUT7,
    "held-out 8": HELDOUT8,
}
MODES = ("text", "clean", "room")
CACHE = Path(os.environ.get("FREDAG_EVAL_CACHE", Path.home() / ".cache" / "fredag-eval"))
SCRIPT_MODEL = {"name": "manuskript", "sha256": "0" * 64}
SECONDS_PER_WORD = 0.45


@dataclass
class MeetingScore:
    name: str
    found: int
    expected: int
    denied: int
    denied_expected: int
    extra: list[str]
    forbidden: list[str]
    wer: float | None
    missed: list[list[str]] = field(default_factory=list)
    denial_missed: list[list[str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def turns(script: Path) -> list[tuple[str, str]]:
    out = []
    for line in script.read_text(encoding="utf-8").splitlines():
        if "|" in line:
            who, text = line.split("|", 1)
            out.append((who.strip(), text.strip()))
    return out


def spec_of(script: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        script.with_suffix(".expect.json").read_text(encoding="utf-8")
    )
    return data


def words(text: str) -> list[str]:
    return re.sub(r"[^\wåäöéü ]", " ", text.lower()).split()


def wer(ref: str, hyp: str) -> float:
    r, h = words(ref), words(hyp)
    prev = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        cur = [i] + [0] * len(h)
        for j, hw in enumerate(h, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (rw != hw))
        prev = cur
    return prev[-1] / max(1, len(r))


def script_transcript(script: Path, speakers: bool = False) -> dict[str, Any]:
    """The script's lines as a transcript JSON (what `fredag transcribe --json` prints), each
    line one segment; with `speakers`, each segment says who spoke ("handläggare" for H)."""
    segments = []
    t = 0.0
    for who, text in turns(script):
        end = t + SECONDS_PER_WORD * max(1, len(text.split()))
        seg: dict[str, Any] = {"start": round(t, 2), "end": round(end, 2), "text": text}
        if speakers:
            seg["speaker"] = "handläggare" if who == "H" else f"klient{who[1:]}"
        segments.append(seg)
        t = end + 0.6
    return {
        "language": "sv",
        "duration_s": round(t, 3),
        "model": SCRIPT_MODEL,
        "segments": segments,
    }


def draft_from_transcript(data: dict[str, Any], case: str, case_type: str) -> dict[str, Any]:
    """The draft JSON `fredag draft --transcript FILE --json` prints, made in process (not
    signed or stored): the same reading, tagging and draft building."""
    from device.stages.transcript_file import parse_transcript

    return draft_of(parse_transcript(data, case), case, case_type)


def draft_of(heard: Any, case: str, case_type: str) -> dict[str, Any]:
    """The draft `fredag draft` makes of these heard segments (not signed or stored)."""
    from device.journal.draft import build_draft, draft_view
    from device.journal.session import SessionMeta
    from device.stages.tagging import tag_meeting

    ended = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    meta = SessionMeta(
        case_ref=case,
        case_type=case_type,  # type: ignore[arg-type]
        contact_type="besök",
        present=(),
        caseworker="bench",
        consent_confirmed=True,
        started_at=ended - timedelta(seconds=heard.duration_s),
    )
    tagging = tag_meeting(_packaged_tagger(), heard.segments, meta.case_type, heard.heard)
    draft = build_draft(
        meta=meta,
        ended_at=ended,
        segments=heard.segments,
        duration_s=heard.duration_s,
        language=heard.language,
        model=heard.model,
        tagging=tagging,
        device_key_id="0" * 64,
    )
    return draft_view(draft)


def _packaged_tagger() -> Any:
    from device.stages.tagging import RiskFactorsTagger
    from risk_factors.tagger import Tagger

    return RiskFactorsTagger(Tagger.default())


def score(name: str, spec: dict[str, Any], draft: dict[str, Any], ref: str | None) -> MeetingScore:
    """The shared scorer's counts for one meeting's draft."""
    text = " ".join(s["text"] for s in draft["transcript"]["segments"])
    got = {f["factor"] for f in draft["factors"]}
    denied = {f["factor"] for f in draft.get("denied", [])}
    hit = [g for g in spec["expect"] if set(g) & got]
    dhit = [g for g in spec.get("denied", []) if set(g) & denied]
    ok = {s for g in spec["expect"] for s in g} | set(spec.get("allow", []))
    problems = []
    if draft.get("assessment") or draft.get("planning"):
        problems.append("the tool wrote Bedömning or Planering")
    flat = " ".join(words(text))
    for f in draft["factors"] + draft.get("denied", []):
        for ev in f.get("evidence", []):
            if " ".join(words(ev["quote"])) not in flat:
                problems.append(f"quote not in transcript: {ev['quote'][:60]!r}")
    return MeetingScore(
        name=name,
        found=len(hit),
        expected=len(spec["expect"]),
        denied=len(dhit),
        denied_expected=len(spec.get("denied", [])),
        extra=sorted(got - ok),
        forbidden=sorted(got & set(spec.get("forbid", []))),
        wer=None if ref is None else wer(ref, text),
        missed=[g for g in spec["expect"] if not set(g) & got],
        denial_missed=[g for g in spec.get("denied", []) if not set(g) & denied],
        problems=problems,
    )


def _shared_scorer() -> ModuleType:
    path = SHARED / "eval" / "score_meeting.py"
    module_spec = importlib.util.spec_from_file_location("shared_score_meeting", path)
    if module_spec is None or module_spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


BIAS = ("none", "cues", "examples")
"""Decoder biasing: none; the catalogue's cue words for the case type as hotwords; or its
example sentences (one per factor, natural punctuated text) as hotwords."""


class SpeechCache:
    """Spoken meetings transcribed once per (audio, model, decoder revision, options), kept as JSON;
    the options (hotwords included) are in the key, so biased and unbiased never mix."""

    def __init__(self, bias: str = "none") -> None:
        self.bias = bias
        self._transcriber: Any = None
        self._options: Any = None
        self._speak = _shared_scorer().speak
        self.transcribe_s = 0.0
        self.audio_s = 0.0
        self.scored_s = 0.0  # speech scored, cached or not

    def _load(self) -> None:
        if self._transcriber is not None:
            return
        from device.stages.transcribe import TranscribeOptions, Transcriber
        from fredag.settings import get_settings
        from models.registry import resolve

        settings = get_settings()
        resolved = resolve(settings.model, settings.models_dir)
        self._transcriber = Transcriber(
            resolved, compute_type=settings.compute_type, cpu_threads=settings.cpu_threads
        )
        self._options = TranscribeOptions(
            language=settings.language, beam_size=settings.beam_size, word_timestamps=True
        )

    def options(self, case_type: str) -> Any:
        """`fredag draft`'s options, with the catalogue's cue words as hotwords when biased."""
        if self.bias == "none":
            return self._options
        from dataclasses import replace

        from device.stages.vocabulary import example_sentences, hotwords
        from risk_factors.catalogue import load_catalogue

        vocabulary = example_sentences if self.bias == "examples" else hotwords
        return replace(self._options, hotwords=vocabulary(load_catalogue(), case_type))

    def transcript(self, script: Path, condition: str, render: int = 0) -> dict[str, Any]:
        """The transcript of rendering `render` of `script` (bench/renderings.py; 0 is the
        shared scorer's own, so its key is the one every earlier run cached under)."""
        from device.stages.transcribe import REVISION

        wav = renderings.render(script, condition, render, speak=self._speak, cache=CACHE)
        self._load()
        options = self.options(spec_of(script)["case_type"])
        key = hashlib.sha256(
            (
                wav.name  # the shared scorer names its audio by a hash of script and condition
                + self._transcriber.model.sha256
                + REVISION
                + json.dumps(asdict(options), sort_keys=True, default=str)
            ).encode()
        ).hexdigest()[:16]
        out = CACHE / "transcripts" / f"{wav.stem}-{key}.json"
        if out.exists():
            data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
            self.scored_s += float(data.get("duration_s", 0.0))
            return data
        from device.capture.audio import decode_file

        samples = decode_file(wav)
        began = time.perf_counter()
        result = self._transcriber.transcribe(samples, options)
        self.transcribe_s += time.perf_counter() - began
        self.audio_s += result.duration_s
        self.scored_s += result.duration_s
        data = result.to_json()
        out.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: others may read the shared cache at the same time.
        part = out.with_name(f".{out.name}.{os.getpid()}")
        part.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        part.replace(out)
        return data


def score_set(
    directory: Path,
    mode: str,
    cache: SpeechCache | None = None,
    speakers: bool = False,
    render: int = 0,
) -> list[MeetingScore]:
    """Every meeting of `directory` in `mode`; through speech, on rendering `render`."""
    scores = []
    for script in sorted(directory.glob("*.txt")):
        spec = spec_of(script)
        ref = " ".join(t for _w, t in turns(script))
        if mode == "text":
            transcript = script_transcript(script, speakers)
        else:
            cache = cache or SpeechCache()
            transcript = cache.transcript(script, mode, render)
        if not transcript["segments"]:
            scores.append(
                MeetingScore(
                    script.stem,
                    0,
                    len(spec["expect"]),
                    0,
                    len(spec.get("denied", [])),
                    [],
                    [],
                    1.0,
                    spec["expect"],
                    spec.get("denied", []),
                    ["no speech heard"],
                )
            )
            continue
        draft = draft_from_transcript(transcript, script.stem, spec["case_type"])
        scores.append(score(script.stem, spec, draft, None if mode == "text" else ref))
    return scores


PAIRS = ROOT / "tests" / "risk_factors" / "data"
PAIR_FILES = ("denials.tsv", "answers.tsv")


def pair_scripts() -> list[tuple[str, str, str, Path]]:
    """The everyday question/answer pairs (data/denials.tsv, data/answers.tsv), each written
    as a two-turn meeting script (caseworker asks, client answers) under the cache: (file,
    case type, slug, script)."""
    out = []
    folder = CACHE / "pairs"
    folder.mkdir(parents=True, exist_ok=True)
    for name in PAIR_FILES:
        lines = (PAIRS / name).read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(x for x in lines if x.strip()):
            case_type, slug, question, answer = line.split("\t")
            script = folder / f"{Path(name).stem}-{i:03d}.txt"
            text = f"H|{question}\nK|{answer}\n"
            if not script.exists() or script.read_text(encoding="utf-8") != text:
                script.write_text(text, encoding="utf-8")
            spec = script.with_suffix(".expect.json")
            spec.write_text(json.dumps({"case_type": case_type, "expect": []}), encoding="utf-8")
            out.append((name, case_type, slug, script))
    return out


def score_pairs(mode: str, cache: SpeechCache | None = None) -> dict[str, Any]:
    """Each everyday pair spoken (or typed, in text mode) and drafted alone: denials noted
    (a hedged answer must give none), denials that came out as findings (`inverted`, the
    harm that must stay 0), and answers whose factor was found with their question."""
    counts = {
        "denials": 0,
        "denials_expected": 0,
        "inverted": 0,
        "answers": 0,
        "answers_expected": 0,
    }
    for name, case_type, slug, script in pair_scripts():
        if mode == "text":
            transcript = script_transcript(script)
        else:
            cache = cache or SpeechCache()
            transcript = cache.transcript(script, mode)
        draft = draft_from_transcript(transcript, script.stem, case_type)
        found = {f["factor"] for f in draft["factors"]}
        denied = {f["factor"] for f in draft.get("denied", [])}
        if name == "denials.tsv":
            answer = turns(script)[-1][1]
            hedged = any(w.strip(".,") in ("tror", "vet") for w in answer.split())
            counts["denials_expected"] += 1
            counts["denials"] += (slug in denied) != hedged
            counts["inverted"] += slug in found
        else:
            counts["answers_expected"] += 1
            counts["answers"] += slug in found
    return counts


def summary(scores: list[MeetingScore]) -> dict[str, Any]:
    found = sum(s.found for s in scores)
    expected = sum(s.expected for s in scores)
    den = sum(s.denied for s in scores)
    den_expected = sum(s.denied_expected for s in scores)
    wers = [s.wer for s in scores if s.wer is not None]
    return {
        "meetings": len(scores),
        "found": found,
        "expected": expected,
        "recall": round(found / max(1, expected), 3),
        "denied": den,
        "denied_expected": den_expected,
        "denied_recall": round(den / max(1, den_expected), 3),
        "extra": sum(len(s.extra) for s in scores),
        "max_extra_per_meeting": max((len(s.extra) for s in scores), default=0),
        "forbidden": sum(len(s.forbidden) for s in scores),
        "problems": sum(len(s.problems) for s in scores),
        "wer": round(sum(wers) / len(wers), 3) if wers else None,
    }


RENDERS = 3
"""Renderings of each meeting through speech in `python -m bench meetings`
(bench/renderings.py): rendering 0 is the shared scorer's, 1 and 2 seeded; median and worst
of three, at three times the transcription of one (see docs/benchmarks.md for the cost)."""


def score_renders(
    directory: Path, mode: str, cache: SpeechCache, renders: int
) -> list[list[MeetingScore]]:
    """Every meeting of `directory` through speech on renderings 0 … `renders` - 1."""
    return [score_set(directory, mode, cache, render=k) for k in range(renders)]


def over_renders(per_render: list[list[MeetingScore]]) -> dict[str, Any]:
    """One set in one condition over its renderings: each rendering's totals, their medians
    (found, denials, extra), the worst rendering's forbidden count, the WER range, and every
    meeting whose renderings disagree on found, denials or forbidden findings."""
    sums = [summary(scores) for scores in per_render]
    first = sums[0]
    found = [t["found"] for t in sums]
    denied = [t["denied"] for t in sums]
    wers = [t["wer"] for t in sums if t["wer"] is not None]
    disagree: dict[str, dict[str, Any]] = {}
    forbidden_any = 0
    for i, name in enumerate(s.name for s in per_render[0]):
        mine = [scores[i] for scores in per_render]
        forbidden_any += len({slug for m in mine for slug in m.forbidden})
        row: dict[str, list[Any]] = {
            "found": [m.found for m in mine],
            "denied": [m.denied for m in mine],
            "forbidden": [m.forbidden for m in mine],
        }
        if any(len({json.dumps(v) for v in values}) > 1 for values in row.values()):
            disagree[name] = row
    return {
        "renders": len(sums),
        "meetings": first["meetings"],
        "expected": first["expected"],
        "denied_expected": first["denied_expected"],
        "found": found,
        "denied": denied,
        "extra": [t["extra"] for t in sums],
        "forbidden": [t["forbidden"] for t in sums],
        "problems": [t["problems"] for t in sums],
        "wer": wers,
        "found_median": median(found),
        "recall_median": round(median(found) / max(1, first["expected"]), 3),
        "denied_median": median(denied),
        "denied_recall_median": round(median(denied) / max(1, first["denied_expected"]), 3),
        "extra_median": median([t["extra"] for t in sums]),
        "max_extra_per_meeting": max(t["max_extra_per_meeting"] for t in sums),
        "forbidden_worst": max(t["forbidden"] for t in sums),
        "forbidden_any": forbidden_any,
        "wer_min": min(wers) if wers else None,
        "wer_max": max(wers) if wers else None,
        "disagree": disagree,
    }


def _print_renders(total: dict[str, Any]) -> None:
    print(
        f"   over {total['renders']} renderings: found median {total['found_median']} "
        f"{total['found']}/{total['expected']}, denied median {total['denied_median']} "
        f"{total['denied']}/{total['denied_expected']}, forbidden worst "
        f"{total['forbidden_worst']} {total['forbidden']} (on some rendering "
        f"{total['forbidden_any']}), WER {total['wer_min']}–"
        f"{total['wer_max']}"
    )
    for name, row in total["disagree"].items():
        print(f"   renderings disagree: {name}: {_disagreement(row)}")


def _disagreement(row: dict[str, Any]) -> str:
    parts = [
        f"{what} {'/'.join(str(v) for v in row[what])}"
        for what in ("found", "denied")
        if len(set(row[what])) > 1
    ]
    if len({json.dumps(v) for v in row["forbidden"]}) > 1:
        parts.append(
            "forbidden "
            + "/".join(str(len(v)) for v in row["forbidden"])
            + " ("
            + ", ".join(f"r{k}: {' '.join(v)}" for k, v in enumerate(row["forbidden"]) if v)
            + ")"
        )
    return ", ".join(parts)


def _print(scores: list[MeetingScore], verbose: bool) -> None:
    for s in scores:
        wer_text = "" if s.wer is None else f" WER {s.wer:.2f}"
        print(
            f"{s.name}: found {s.found}/{s.expected} denied {s.denied}/{s.denied_expected} "
            f"false {len(s.extra)} forbidden {len(s.forbidden)}{wer_text}"
        )
        if verbose:
            print(f"   missed {s.missed}\n   denial missed {s.denial_missed}")
            print(f"   extra {s.extra}\n   forbidden {s.forbidden}")
        for p in s.problems:
            print(f"   PROBLEM {p}")


def run() -> dict[str, Any]:
    cache = SpeechCache()
    out: dict[str, Any] = {}
    began = time.perf_counter()
    for set_name, directory in SETS.items():
        if not directory.is_dir():
            continue
        out[f"{set_name} / text"] = summary(score_set(directory, "text"))
        for mode in MODES[1:]:
            out[f"{set_name} / {mode}"] = over_renders(
                score_renders(directory, mode, cache, RENDERS)
            )
    out["_speech_s"] = round(cache.scored_s, 1)
    out["_meetings_seconds"] = round(time.perf_counter() - began, 1)
    for mode in MODES:
        out[f"everyday pairs / {mode}"] = score_pairs(mode, cache)
    out["_seconds"] = round(time.perf_counter() - began, 1)
    out["_transcribe_rtf"] = round(cache.transcribe_s / cache.audio_s, 3) if cache.audio_s else None
    return out


CPU_PER_AUDIO_S = 0.078
"""CPU seconds (all threads) per second of meeting audio transcribed, measured while warming:
758 CPU-s for rendering 1 of every set, clean and room (9712 s of audio)."""
CPU_MEASURED = (
    "29 Nov 2026 17:42–18:22 UTC on this shared 2-core machine at load average 7–12, where "
    "the 9712 s of audio of one rendering took 2296 s of wall time"
)


def _later(renders: int) -> str:
    """The seeded renderings' numbers in words: "1", "1 and 2", "1 … 4"."""
    return {2: "1", 3: "1 and 2"}.get(renders, f"1 … {renders - 1}")


def _num(x: float) -> str:
    return f"{x:g}"


def _row(key: str, r: dict[str, Any]) -> str:
    """A table row: a text summary, or a set through speech over its renderings."""
    if "renders" not in r:
        wer_text = "–" if r["wer"] is None else f"{r['wer']:.2f}"
        return (
            f"| {key} | {r['meetings']} | – | {r['recall']:.2f} ({r['found']}/{r['expected']}) | "
            f"{r['denied_recall']:.2f} ({r['denied']}/{r['denied_expected']}) | "
            f"{r['extra']} ({r['max_extra_per_meeting']}) | {r['forbidden']} | {wer_text} |"
        )

    def spread(values: list[int]) -> str:
        return ", ".join(str(v) for v in values)

    worst = r["forbidden_worst"]
    forbidden = f"**{worst}**" if worst else "0"
    if r["forbidden_any"] > worst:
        forbidden += f", {r['forbidden_any']} on some rendering"
    wer_text = "–" if r["wer_min"] is None else f"{r['wer_min']:.2f}–{r['wer_max']:.2f}"
    return (
        f"| {key} | {r['meetings']} | {r['renders']} | {r['recall_median']:.2f} "
        f"({_num(r['found_median'])}/{r['expected']}; {spread(r['found'])}) | "
        f"{r['denied_recall_median']:.2f} ({_num(r['denied_median'])}/{r['denied_expected']}; "
        f"{spread(r['denied'])}) | {_num(r['extra_median'])} ({r['max_extra_per_meeting']}) | "
        f"{forbidden} ({spread(r['forbidden'])}) | {wer_text} |"
    )


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "## Meetings (`python -m bench meetings`)",
        "",
        "Whole meetings scored like `../shared/eval/score_meeting.py`: `text` is a perfect "
        "transcript (the script's lines), `clean` espeak-ng speech through whisper-base, "
        "`room` the same with reverberation and noise. Held-out meetings: their lines were not "
        "read while tuning (see below). Transcripts are cached per audio, model and options.",
        "",
        f"Through speech every meeting is scored on {RENDERS} renderings "
        "(`bench/renderings.py`): rendering 0 is the shared scorer's own (the cached wav; "
        "`SOX_OPTS=-R` when none is cached; the cached ones here were made in session 1 and 2 "
        f"with a fresh seed), renderings {_later(RENDERS)} change only what "
        "another run of sox changes (its TPDF dither, and in `room` the pink noise's "
        "realisation), seeded by their number and the same on every run. Found and denials: "
        "the median over the renderings (then each rendering's count, rendering 0 first); "
        "forbidden: the **worst** rendering (each rendering's count in brackets; and how "
        "many distinct forbidden findings the meetings have on some rendering, when more); "
        "extra: the "
        "median (most in one meeting on any rendering); WER: the range of the renderings' "
        f"mean WER. One set: `python -m bench.meetings DIR --mode clean|room --renders {RENDERS}"
        " -v`.",
        "",
        "| set / mode | meetings | renderings | found | denials | extra (max/meeting) | "
        "forbidden | WER |",
        "|---|---|---|---|---|---|---|---|",
    ]
    pairs = {k: r for k, r in result.items() if k.startswith("everyday pairs")}
    disagree = []
    for key, r in result.items():
        if key.startswith("_") or not isinstance(r, dict) or key in pairs:
            continue
        lines.append(_row(key, r))
        for name, row in r.get("disagree", {}).items():
            disagree.append(f"- {key}, {name}: {_disagreement(row)}")
    lines += [
        "",
        "Meetings whose renderings disagree (counts per rendering, rendering 0 first; the "
        "forbidden factors by rendering):",
        "",
        *(disagree or ["- none"]),
    ]
    if pairs:
        lines += [
            "",
            "Everyday question/answer pairs (`tests/risk_factors/data/denials.tsv`, "
            "`answers.tsv`, written in session 2 without the meetings' lines), each spoken and "
            "drafted alone (rendering 0 only). `inverted`: a denial that came out as a finding, "
            "the harm that must stay 0.",
            "",
            "| pairs / mode | denials noted | inverted | answers found |",
            "|---|---|---|---|",
        ]
        for key, r in pairs.items():
            lines.append(
                f"| {key} | {r['denials']}/{r['denials_expected']} | {r['inverted']} | "
                f"{r['answers']}/{r['answers_expected']} |"
            )
    if result.get("_speech_s") and CPU_PER_AUDIO_S:
        hours = result["_speech_s"] / 3600
        cpu_min = result["_speech_s"] * CPU_PER_AUDIO_S / 60
        lines += [
            "",
            f"Cost: the speech rows hear {hours:.1f} h of audio ({RENDERS} renderings × clean "
            f"and room). From a cold cache that is about {cpu_min:.0f} CPU-minutes of "
            f"transcription ({CPU_PER_AUDIO_S} CPU-s per audio second, whisper-base int8, "
            "beam 5, word timestamps, as measured while warming the cache for renderings 1 and "
            f"2; {CPU_MEASURED}), i.e. about {cpu_min / 2:.0f} min on two idle cores, "
            f"{RENDERS} times the cost of one rendering; with the transcripts cached this "
            f"section took {result['_meetings_seconds']:.0f} s (meetings) and "
            f"{result['_seconds']:.0f} s with the pairs.",
        ]
    lines += ["", BASELINE]
    if result.get("_transcribe_rtf") is not None:
        lines += [
            "",
            f"Transcribing the meetings not yet cached ran at RTF {result['_transcribe_rtf']} "
            "(whisper-base int8, beam 5, word timestamps) on this shared 2-core machine.",
        ]
    return "\n".join(lines)


BASELINE = """Before issue 13 (main at 6bcfc5e, same meetings): perfect transcript — shared dev \
found 0.71 (15/21), denials 0.00 (0/3), 1 forbidden; own 0.68 (42/62), 0/12; own held-out \
0.72 (21/29), 0/5, 2 forbidden. Through speech, clean (`../shared/eval/score_meeting.py`, \
sampling fallback, WER 0.32): shared dev 0.33 (7/21), 0/3, 1 forbidden. The old tagger on \
the session-1 cached transcripts: clean — dev 0.29 (6/21), own 0.23 (14/62), held-out 0.34 \
(10/29), no denial anywhere, 2 forbidden; room — dev 0.24, own 0.16, held-out 0.31, 1 \
forbidden. The held-out meetings were scored once before any change made after looking at \
them: clean found 0.45 (13/29), denials 0.20 (1/5), **1 forbidden** (a caseworker's question \
run into the answer without a question mark); see docs/catalogue.md and notes for the fix.

End of session 1 (f624942): text — dev 1.00 / 3/3, own 0.98 / 12/12 (3 extra), held-out \
0.86 / 3/5 (4 extra, max 2); clean — dev 0.52 / 3/3, own 0.35 / 8/12, held-out 0.45 / 1/5 \
(5 extra, max 3); room — dev 0.38 / 2/3, own 0.27 / 2/12, held-out 0.45 / 0/5; 0 forbidden. \
Session 2 changed the tagger only by general mechanisms (sound of compounds and of words \
split in two, strong sound-alikes, the cue's unless read alike too, closed-class words kept \
as they are, questions read in the first person, coordinated clauses as negation scope) and \
catalogue lines for everyday wording written without the meetings' lines (t201–t399, \
data/denials.tsv); of the held-out meetings only scores and the slugs of missed denials \
and extras were seen in session 2, never their lines. The \
transcripts of the own set were re-made after main's transcriber changed (3f00580): WER \
0.37 → 0.36 clean, 0.48 → 0.46 room; then all transcripts were re-made after the \
transcriber changes c05f64e and 4b6e5e9 (the cache key holds the feature code and options). \
The figures above are on the transcripts of main at 15:51 UTC. The shared scorer on the same \
main (`../shared/eval/score_meeting.py ../shared/meetings-dev --condition clean`, through \
`fredag draft`) gave the same: 0.57 (12/21), 3/3 denials, 0 forbidden, WER 0.298.

Through speech a meeting's figures depend on its rendering: the shared `speak()` lets sox \
seed its dither (and in room its pink noise) afresh, so each render differs a little and \
whisper-base may hear it differently. Two renderings of held-out 2 gave, in room, found 15 \
and 12 of 45 and \
**0 and 3 forbidden**; of held-out 3, clean 18 and 21 of 53 with 3 and 4 forbidden (session \
2, before the seeded renderings; those two were unseeded). Since session 3 the table scores \
every meeting on three renderings, seeded, and reports the worst one's forbidden count. \
Held-out 2 and 3 were each scored once unseen (7 forbidden on \
perfect transcripts in both) before they became development data: see the README in each \
folder."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.meetings")
    parser.add_argument("dirs", nargs="*", type=Path, help="meeting directories")
    parser.add_argument("--mode", choices=MODES, default="text")
    parser.add_argument("--speakers", action="store_true", help="text mode: label speakers")
    parser.add_argument("--bias", choices=BIAS, default="none", help="decoder biasing")
    parser.add_argument("-v", action="store_true", help="show misses and extras")
    parser.add_argument("--pairs", action="store_true", help="score the everyday pairs too")
    parser.add_argument(
        "--renders",
        type=int,
        default=1,
        help="through speech: score renderings 0 … N-1 of each meeting (bench/renderings.py)",
    )
    args = parser.parse_args(argv)
    if args.renders < 1:
        parser.error("--renders must be at least 1")
    dirs = args.dirs or [d for d in SETS.values() if d.is_dir()]
    cache = SpeechCache(args.bias) if args.mode != "text" else None
    renders = 1 if args.mode == "text" else args.renders
    failed = False
    for directory in dirs:
        per_render = [
            score_set(directory, args.mode, cache, args.speakers, render=k) for k in range(renders)
        ]
        for k, scores in enumerate(per_render):
            if renders > 1:
                print(f"-- rendering {k}")
            _print(scores, args.v)
            total = summary(scores)
            print(f"== {directory}{f' r{k}' if renders > 1 else ''}: {json.dumps(total)}")
            failed |= total["forbidden"] > 0 or total["problems"] > 0
        if renders > 1:
            _print_renders(over_renders(per_render))
    if args.pairs:
        pairs = score_pairs(args.mode, cache)
        print(f"== everyday pairs: {json.dumps(pairs)}")
        failed |= pairs["inverted"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
