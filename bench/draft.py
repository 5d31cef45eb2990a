"""The draft a caseworker files: how short it is against the transcript, and how fast it is built.

Two meetings, each drafted exactly as on the device (the packaged catalogue's tagger, then
`device.journal.draft.build_draft`), from a perfect transcript of its script (the script's
lines as segments, `SECONDS_PER_WORD` apart; no audio, no model, so the figures are about the
draft, not about speech recognition):

* the 5-minute bench meeting: `bench/streaming.py`'s two-voice script, repeated until 300 s as
  the streaming bench plays it (a dense meeting: nearly every answer is about a factor);
* a synthetic 60-minute meeting: every turn of the project's own barn meeting scripts
  (tests/risk_factors/data/meetings) and of the streaming script, once each, with the
  neutral sentences of tests/risk_factors/data/neutral.txt spread evenly between them until
  60 minutes (*told share*: the scripted turns' share of the transcript's words; an
  assumption about how much of an hour is about the case's factors, stated in the table).

Measured: words of the journal text (the whole entry as approved, and "Vad som framkom" on its
own) against words of the transcript; the share of evidence quotes found verbatim in the
journal text (must be 100%); the time to build the draft (tagging excluded, median of
`RUNS`) and the tagging time.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

NAME = "draft"
ROOT = Path(__file__).resolve().parent.parent
MEETINGS = ROOT / "tests" / "risk_factors" / "data" / "meetings"
NEUTRAL = ROOT / "tests" / "risk_factors" / "data" / "neutral.txt"
SECONDS_PER_WORD = 0.45
GAP_S = 0.6
RUNS = 7
LONG_S = 3600.0


def _segments(lines: list[str], limit_s: float) -> list[Any]:
    from fredag.protocol import Segment

    out = []
    t = 0.0
    for text in lines:
        if t >= limit_s:
            break
        end = t + SECONDS_PER_WORD * max(1, len(text.split()))
        out.append(Segment(start=round(t, 2), end=round(end, 2), text=text))
        t = end + GAP_S
    return out


def bench_meeting() -> list[str]:
    from bench.streaming import TARGET_S, TURNS

    lines: list[str] = []
    total = 0.0
    while total < TARGET_S:
        for _who, text in TURNS:
            lines.append(text)
            total += SECONDS_PER_WORD * len(text.split()) + GAP_S
            if total >= TARGET_S:
                break
    return lines


def long_meeting() -> tuple[list[str], set[str]]:
    """Every told turn once (the own barn scripts, then the streaming script), with neutral
    sentences spread evenly between them to fill 60 minutes; and how many lines were told."""
    from bench.meetings import turns
    from bench.streaming import TURNS

    neutral = [ln.strip() for ln in NEUTRAL.read_text(encoding="utf-8").splitlines() if ln.strip()]
    told = [t for script in sorted(MEETINGS.glob("barn-*.txt")) for _w, t in turns(script)]
    told += [t for _w, t in TURNS]
    told_s = sum(SECONDS_PER_WORD * len(t.split()) + GAP_S for t in told)
    neutral_s = statistics.mean(SECONDS_PER_WORD * len(t.split()) + GAP_S for t in neutral)
    between = max(0, round((LONG_S - told_s) / neutral_s / len(told)))
    lines: list[str] = []
    n = 0
    for text in told:
        lines.append(text)
        lines += [neutral[(n + k) % len(neutral)] for k in range(between)]
        n += between
    while sum(SECONDS_PER_WORD * len(t.split()) + GAP_S for t in lines) < LONG_S:
        lines.append(neutral[n % len(neutral)])
        n += 1
    return lines, set(told)


def measure(label: str, lines: list[str], limit_s: float, told: set[str]) -> dict[str, Any]:
    from device.journal.draft import build_draft
    from device.journal.session import SessionMeta
    from device.stages.tagging import RiskFactorsTagger
    from fredag.protocol import ModelInfo
    from risk_factors.tagger import Tagger

    segments = _segments(lines, limit_s)
    duration = segments[-1].end
    ended = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    meta = SessionMeta(
        case_ref="BENCH-1",
        case_type="barn",
        contact_type="besök",
        present=("mamma",),
        caseworker="Bench Handläggare",
        consent_confirmed=True,
        started_at=ended - timedelta(seconds=duration),
    )
    tagger = RiskFactorsTagger(Tagger.default())
    start = time.perf_counter()
    tagging = tagger.tag_segments(segments, "barn")
    tag_s = time.perf_counter() - start
    model = ModelInfo(name="manuskript", sha256="0" * 64)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        draft = build_draft(
            meta=meta,
            ended_at=ended,
            segments=segments,
            duration_s=duration,
            language="sv",
            model=model,
            tagging=tagging,
            device_key_id="0" * 64,
        )
        times.append(time.perf_counter() - start)
    text = draft.rendered
    heard = text.split("Vad som framkom\n", 1)[1].split("\nFaktorer som nämndes", 1)[0]
    transcript_words = sum(len(s.text.split()) for s in segments)
    told_words = sum(len(s.text.split()) for s in segments if s.text in told)
    quotes = [e.quote for f in (*draft.factors, *draft.denied) for e in f.evidence]
    found = sum(1 for q in quotes if q in heard)
    lines_n = sum(len(a.lines) for a in draft.journal.areas) if draft.journal else 0
    return {
        "meeting": label,
        "minutes": round(duration / 60, 1),
        "segments": len(segments),
        "transcript_words": transcript_words,
        "told_share": round(told_words / transcript_words, 3),
        "journal_words": len(text.split()),
        "heard_words": len(heard.split()),
        "journal_share": round(len(text.split()) / transcript_words, 3),
        "heard_share": round(len(heard.split()) / transcript_words, 3),
        "areas": len(draft.journal.areas) if draft.journal else 0,
        "lines": lines_n,
        "quotes": len(quotes),
        "quotes_in_journal": found,
        "build_ms_median": round(statistics.median(times) * 1000, 1),
        "build_ms_max": round(max(times) * 1000, 1),
        "tag_s": round(tag_s, 2),
    }


def run() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    long, told = long_meeting()
    return {
        "runs": RUNS,
        "meetings": [
            measure("5-minute bench meeting", bench_meeting(), 300.0, set(bench_meeting())),
            measure("synthetic 60-minute meeting", long, LONG_S, told),
        ],
    }


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "## The draft: journal words against transcript words, build time",
        "",
        "Each meeting drafted as on the device from a perfect transcript of its script (the "
        "packaged catalogue's tagger, `build_draft`); see `bench/draft.py` for how the two "
        'meetings are made. *Journal* is the whole entry as approved (header, "Vad som '
        'framkom", factors, Bedömning, Planering); *Vad som framkom* that section alone. '
        "Target: journal ≤ 15% of the transcript with every evidence quote in it. Build time "
        f"excludes tagging; median and max of {result['runs']} runs. "
        "`python -m bench draft` (on a shared 2-core machine).",
        "",
        "| meeting | min | transcript words | told share | journal words (share) | Vad som "
        "framkom (share) | areas / lines | evidence quotes in journal | build ms (max) | "
        "tagging s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in result["meetings"]:
        lines.append(
            f"| {m['meeting']} | {m['minutes']} | {m['transcript_words']} | "
            f"{m['told_share']:.0%} | "
            f"{m['journal_words']} ({m['journal_share']:.1%}) | {m['heard_words']} "
            f"({m['heard_share']:.1%}) | {m['areas']} / {m['lines']} | "
            f"{m['quotes_in_journal']}/{m['quotes']} | {m['build_ms_median']} "
            f"({m['build_ms_max']}) | {m['tag_s']} |"
        )
    short, long = result["meetings"][0], result["meetings"][1]
    fixed = short["journal_words"] - short["heard_words"]
    lines += [
        "",
        f"Every evidence quote is in the journal in both. The hour-long meeting, where "
        f"{long['told_share']:.0%} of what is said is the scripted talk about the case, meets "
        f"the 15% target ({long['journal_share']:.1%}). The 5-minute bench meeting does not "
        f"({short['journal_share']:.1%}), and cannot: it is about factors from its first turn "
        f"to its last, and the entry's fixed parts (header, factor list, empty Bedömning and "
        f"Planering, footer: {fixed} words) are alone "
        f"{fixed / short['transcript_words']:.0%} of its {short['transcript_words']} words. "
        "The journal's length follows how much of a meeting carries evidence, since no "
        "evidence quote is ever dropped.",
    ]
    return "\n".join(lines)
