"""Who said what through `fredag draft AUDIO`: attribution against the script, and the tagger
with turns against without, on the meeting sets of `bench/meetings.py`.

Each meeting script is spoken with a clearly different espeak-ng voice per role (`VOICES`: the
caseworker a woman's voice, the client a low man's voice, a second client a high voice),
rendered deterministically (sox in repeatable mode, no dither; 0.6 s between turns, as the
shared scorer does), so the turn times are known. Each rendering is transcribed once by
whisper-base with `fredag draft`'s options (cached like `bench.meetings.SpeechCache`), then
read the way `fredag draft AUDIO` reads it (`device.stages.speakers.transcript_with_speakers`:
the recogniser's segments cut where a turn may end, each piece attributed, same-voice pieces
joined), with and without the caseworker's enrolment (her voice reading
`device.voice.enrolment.ENROL_TEXT`), and drafted.

Reported per set:
* attribution: the share of words (each hypothesis word's true speaker is the turn its middle
  falls in) and of segments (a segment's true speaker is that of most of its words) whose label
  is right; with an enrolment the caseworker's words must be `handläggare`, every other voice
  the label it got most often (no two voices one label). "Mixed": segments holding words of
  two or more turns' speakers.
* the tagger: factors found (and of those, found from someone else's words than the
  caseworker's: *not hers*), asked-and-denied noted, extra, forbidden, and *caseworker
  findings* (found factors whose every evidence quote is in a segment mostly the caseworker's:
  what turns should remove), without speakers (whisper's segments as they are) and with them.

    python -m bench.turns [--condition clean|room] [--cut vad|words] [SET ...]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import subprocess
import sys
import tempfile
import wave
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from device.stages.speakers import Cut

NAME = "turns"
# espeak-ng voice per role (after `-v`), at the shared scorer's pace: a woman caseworker, a
# man with a low voice as the client, a high voice as the second client (a child or partner).
VOICES: dict[str, tuple[str, ...]] = {
    "H": ("sv+f2",),
    "K": ("sv+m7", "-p", "35"),
    "K2": ("sv+f4", "-p", "75"),
}
PACE = ("-s", "135", "-g", "6")
GAP_S = 0.6
# "quick": each turn trimmed to its speech (espeak's own leading and trailing silence cut) and
# turns this far apart, as people who answer at once: shorter than the live loop's endpoint.
QUICK_GAP_S = 0.25
TRIM = ("silence", "1", "0.02", "-45d", "reverse", "silence", "1", "0.02", "-45d", "reverse")
RATE = 16_000
CONDITIONS = ("clean", "quick", "room")


def _folder() -> Path:
    from bench.meetings import CACHE

    return CACHE / "turns"


def render(script: Path, condition: str) -> tuple[Path, list[tuple[float, float, str]]]:
    """The meeting spoken (16 kHz mono WAV, cached) and where each turn is: (start, end, who).
    Deterministic: the same script, voices and condition give the same samples."""
    from bench.meetings import turns

    lines = turns(script)
    key = hashlib.sha256(
        json.dumps(
            [lines, VOICES, PACE, GAP_S, condition]
            + ([QUICK_GAP_S, TRIM] if condition == "quick" else []),
            ensure_ascii=False,
        ).encode()
    ).hexdigest()[:16]
    out = _folder() / f"{script.stem}-{condition}-{key}.wav"
    spans_file = out.with_suffix(".turns.json")
    if out.exists() and spans_file.exists():
        spans = [tuple(x) for x in json.loads(spans_file.read_text(encoding="utf-8"))]
        return out, spans
    out.parent.mkdir(parents=True, exist_ok=True)
    spans = []
    t = 0.0
    gap = QUICK_GAP_S if condition == "quick" else GAP_S
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for i, (who, text) in enumerate(lines):
            raw, part = f"{tmp}/r{i}.wav", f"{tmp}/p{i:03d}.wav"
            voice = VOICES.get(who, VOICES["K"])
            subprocess.run(
                ["espeak-ng", "-v", *voice, *PACE, "-w", raw, text],
                check=True,
                stderr=subprocess.DEVNULL,
            )
            trim = TRIM if condition == "quick" else ()
            subprocess.run(
                ["sox", "-R", "-D", "-q", raw, "-r", "16000", "-c", "1", "-b", "16", part, *trim],
                check=True,
            )
            with wave.open(part, "rb") as w:
                seconds = w.getnframes() / w.getframerate()
            spans.append((round(t, 3), round(t + seconds, 3), who))
            padded = f"{tmp}/q{i:03d}.wav"
            subprocess.run(
                ["sox", "-R", "-D", "-q", part, padded, "pad", "0", str(gap)], check=True
            )
            parts.append(padded)
            t += seconds + gap
        clean = f"{tmp}/clean.wav"
        subprocess.run(["sox", "-R", "-D", "-q", *parts, clean], check=True)
        if condition == "room":
            wet, noise, mixed = f"{tmp}/wet.wav", f"{tmp}/noise.wav", f"{tmp}/room.wav"
            subprocess.run(
                ["sox", "-R", "-D", "-q", clean, wet, "reverb", "40", "50", "60", "remix", "-"],
                check=True,
            )
            with wave.open(wet, "rb") as w:
                seconds = w.getnframes() / w.getframerate()
            subprocess.run(
                ["sox", "-R", "-D", "-q", "-n", "-r", "16000", "-c", "1", "-b", "16", noise,
                 "synth", f"{seconds:.4f}", "pinknoise", "vol", "0.06"],
                check=True,
            )  # fmt: skip
            subprocess.run(
                ["sox", "-R", "-D", "-q", "-m", wet, noise, mixed, "norm", "-3"], check=True
            )
            Path(mixed).replace(out)
        else:
            Path(clean).replace(out)
    spans_file.write_text(json.dumps(spans), encoding="utf-8")
    return out, spans


class Transcripts:
    """whisper-base transcripts of the renderings (`fredag draft`'s options), cached as JSON by
    `bench.meetings.SpeechCache` (keyed by the audio's name, model, decoder and options)."""

    def __init__(self) -> None:
        from bench.meetings import SpeechCache

        self.cache = SpeechCache()
        self.cache._speak = lambda script, condition: str(render(script, condition)[0])

    def transcript(self, script: Path, condition: str) -> dict[str, Any]:
        data: dict[str, Any] = self.cache.transcript(script, condition)
        return data


def enrolment(encoder: Any) -> Any:
    """The caseworker's enrolment: her voice reading ENROL_TEXT, embedded as `fredag voice
    enroll` does."""
    import numpy as np

    from device.voice.enrolment import ENROL_TEXT, embed_enrolment
    from tests.support.speech import read_wav, speak

    with tempfile.TemporaryDirectory() as tmp:
        audio = read_wav(speak(ENROL_TEXT, Path(tmp) / "enrol.wav", ("-v", *VOICES["H"], *PACE)))[0]
    return embed_enrolment(encoder, audio.astype(np.float32))


def _who_at(spans: Sequence[tuple[float, float, str]], start: float, end: float) -> str:
    middle = (start + end) / 2

    def distance(span: tuple[float, float, str]) -> float:
        return (
            0.0
            if span[0] <= middle <= span[1]
            else min(abs(middle - span[0]), abs(middle - span[1]))
        )

    return min(spans, key=distance)[2]


def _word_truths(seg: dict[str, Any], spans: Sequence[tuple[float, float, str]]) -> list[str]:
    words = [w for w in seg.get("words") or [] if "start" in w and "end" in w]
    if not words:
        return [_who_at(spans, float(seg["start"]), float(seg["end"]))] * max(
            1, len(str(seg["text"]).split())
        )
    return [_who_at(spans, float(w["start"]), float(w["end"])) for w in words]


def attribution_score(
    segments: Sequence[dict[str, Any]],
    labels: Sequence[str | None],
    spans: Sequence[tuple[float, float, str]],
    enrolled: bool,
) -> dict[str, int]:
    """Counts of words and segments attributed right (see the module's docstring)."""
    truths = [_word_truths(s, spans) for s in segments]
    words_by: dict[str, Counter[str]] = {}
    for truth, label in zip(truths, labels, strict=True):
        for who in truth:
            words_by.setdefault(who, Counter())[label or ""] += 1
    wanted: dict[str, str] = {}
    taken: set[str] = set()
    if enrolled:
        wanted["H"] = "handläggare"
        taken.add("handläggare")
    for who, counts in sorted(words_by.items(), key=lambda kv: -sum(kv[1].values())):
        if who in wanted:
            continue
        free = [(n, label) for label, n in counts.items() if label and label not in taken]
        if free:
            wanted[who] = max(free)[1]
            taken.add(wanted[who])
    out = Counter[str]()
    for truth, label in zip(truths, labels, strict=True):
        major = Counter(truth).most_common(1)[0][0]
        out["segments"] += 1
        out["segments_right"] += wanted.get(major) == label
        out["mixed"] += len(set(truth)) > 1
        out["words"] += len(truth)
        out["words_right"] += sum(wanted.get(who) == label for who in truth)
        out["caseworker_words"] += sum(who == "H" for who in truth)
        out["caseworker_words_right"] += sum(
            who == "H" and wanted.get(who) == label for who in truth
        )
        out["uncertain"] += label is None
    return dict(out)


def _caseworker_only(
    draft: dict[str, Any],
    segments: Sequence[dict[str, Any]],
    spans: Sequence[tuple[float, float, str]],
) -> set[str]:
    """Found factors whose every evidence quote is in a segment mostly the caseworker's."""
    mostly = [Counter(_word_truths(s, spans)).most_common(1)[0][0] for s in segments]
    out = set()
    for factor in draft["factors"]:
        used = {ev["segment"] for ev in factor.get("evidence", [])}
        if used and all(mostly[i] == "H" for i in used):
            out.add(factor["factor"])
    return out


def tagger_score(
    script: Path, draft: dict[str, Any], segments: Sequence[dict[str, Any]], spans: Any
) -> dict[str, Any]:
    from bench import meetings

    spec = meetings.spec_of(script)
    ref = " ".join(t for _w, t in meetings.turns(script))
    s = meetings.score(script.stem, spec, draft, ref)
    hers = _caseworker_only(draft, segments, spans)
    theirs = {f["factor"] for f in draft["factors"]} - hers
    return {
        "found": s.found,
        "found_not_hers": sum(bool(set(g) & theirs) for g in spec["expect"]),
        "expected": s.expected,
        "denied": s.denied,
        "denied_expected": s.denied_expected,
        "extra": len(s.extra),
        "forbidden": len(s.forbidden),
        "caseworker_findings": len(hers),
        "wer": s.wer,
        "forbidden_slugs": s.forbidden,
    }


def meeting(
    script: Path,
    condition: str,
    transcripts: Transcripts,
    encoder: Any,
    enrolled: Any,
    cut: Cut,
) -> dict[str, Any]:
    """One meeting: the tagger without speakers, and with them (enrolled and not)."""
    import numpy as np

    from bench import meetings
    from device.capture.audio import decode_file
    from device.stages.speakers import transcript_with_speakers
    from device.stages.transcript_file import parse_transcript
    from device.voice.attribution import SpeakerTracker

    case_type = meetings.spec_of(script)["case_type"]
    out: dict[str, Any] = {}
    for speakers in (False, True):
        # The script itself as a perfect transcript, with the script's speakers or none.
        typed = meetings.script_transcript(script, speakers)
        lines = [
            (float(x["start"]), float(x["end"]), who)
            for x, (who, _t) in zip(typed["segments"], meetings.turns(script), strict=True)
        ]
        draft = meetings.draft_from_transcript(typed, script.stem, case_type)
        key = "text / turns" if speakers else "text / no turns"
        out[key] = {"tagger": tagger_score(script, draft, typed["segments"], lines)}
    wav, spans = render(script, condition)
    data = transcripts.transcript(script, condition)
    if not data["segments"]:
        return out
    heard = parse_transcript(json.loads(json.dumps(data)), script.stem)
    draft = meetings.draft_of(heard, script.stem, case_type)
    truths = [set(_word_truths(s, spans)) for s in data["segments"]]
    out["no turns"] = {
        "tagger": tagger_score(script, draft, data["segments"], spans),
        "segments": {"segments": len(truths), "mixed": sum(len(t) > 1 for t in truths)},
    }
    samples = decode_file(wav).astype(np.float32)
    for name, enrol in (("enrolled", enrolled), ("not enrolled", None)):
        tracker = (
            SpeakerTracker(encoder)
            if enrol is None
            else SpeakerTracker(encoder, enrol.embedding, enrolled_pitch=enrol.pitch)
        )
        split, heard = transcript_with_speakers(
            tracker, json.loads(json.dumps(data)), samples, script.stem, cut=cut
        )
        labels = [
            None if s.speaker is None or s.speaker.uncertain else s.speaker.label
            for s in heard.segments
        ]
        draft = meetings.draft_of(heard, script.stem, case_type)
        out[name] = {
            "attribution": attribution_score(split["segments"], labels, spans, enrol is not None),
            "tagger": tagger_score(script, draft, split["segments"], spans),
        }
    return out


def _sum(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for row in rows:
        for k, v in row.items():
            if isinstance(v, bool) or not isinstance(v, int | float):
                if isinstance(v, list):
                    total.setdefault(k, []).extend(v)
                continue
            if k == "wer":
                total.setdefault("_wers", []).append(v)
            else:
                total[k] = total.get(k, 0) + v
    wers = total.pop("_wers", [])
    if wers:
        total["wer"] = round(sum(wers) / len(wers), 3)
    return total


def run_sets(
    sets: Sequence[str] | None = None, condition: str = "clean", cut: Cut = "vad"
) -> dict[str, Any]:
    from bench import meetings
    from device.voice.encoder import shared_encoder

    encoder = shared_encoder()
    enrolled = enrolment(encoder)
    transcripts = Transcripts()
    out: dict[str, Any] = {}
    for set_name, directory in meetings.SETS.items():
        if (sets and set_name not in sets) or not directory.is_dir():
            continue
        rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
        per_meeting = {}
        for script in sorted(directory.glob("*.txt")):
            result = meeting(script, condition, transcripts, encoder, enrolled, cut)
            per_meeting[script.stem] = result
            for mode, parts in result.items():
                for part, counts in parts.items():
                    rows.setdefault(mode, {}).setdefault(part, []).append(counts)
        out[set_name] = {
            "meetings": len(per_meeting),
            **{mode: {part: _sum(v) for part, v in parts.items()} for mode, parts in rows.items()},
            "per_meeting": per_meeting,
        }
    return out


def run() -> dict[str, Any]:
    return {
        "clean": run_sets(condition="clean"),
        "live": [live_changes(), live_changes(0.3)],
    }


def _share(n: int, d: int) -> str:
    return f"{n / d:.1%}" if d else "–"


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "## Who said what through `fredag draft AUDIO` (`python -m bench turns`)",
        "",
        __doc__.split("\n\n    python")[0].strip() if __doc__ else "",
        "",
    ]
    live = result.get("live", [])
    for condition, sets in result.items():
        if condition == "live":
            continue
        lines += [
            f"Condition `{condition}`:",
            "",
            "| set | speakers | words right | segments right (mixed) | caseworker words | "
            "found (not hers) | asked-and-denied | extra | forbidden | caseworker findings |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for set_name, r in sets.items():
            for mode in ("text / no turns", "text / turns", "no turns", "enrolled", "not enrolled"):
                if mode not in r:
                    continue
                t = r[mode]["tagger"]
                a = r[mode].get("attribution")
                whisper = r[mode].get("segments")
                attr = (
                    f"{_share(a['words_right'], a['words'])} | "
                    f"{_share(a['segments_right'], a['segments'])} ({a.get('mixed', 0)}) | "
                    f"{_share(a['caseworker_words_right'], a['caseworker_words'])}"
                    if a
                    else f"– | {whisper['segments']} ({whisper['mixed']}) | –"
                    if whisper
                    else "– | – | –"
                )
                lines.append(
                    f"| {set_name} | {mode} | {attr} | {t['found']}/{t['expected']} "
                    f"({t['found_not_hers']}) | "
                    f"{t['denied']}/{t['denied_expected']} | {t['extra']} | {t['forbidden']} | "
                    f"{t['caseworker_findings']} |"
                )
        lines.append("")
    if live:
        lines += [
            "The live loop (`live_changes`): the bench streaming meeting (`sv`/`sv+m3`) cut into "
            "utterances by the live VAD and attributed as `SpeakerStage` does, without "
            "enrolment. *With a change*: utterances holding two turns' speech; *uncertain*: "
            "marked so by the tracker when attributed whole; *cut*: `SpeakerStage` cutting "
            "the utterance at a change of voice, given word times from the script (each turn's "
            "words spread over its speech), and the pieces still holding two speakers.",
            "",
            "| turns apart (speech to speech) | utterances | with a change | uncertain | "
            "uncertain with a change | cut (of those with a change) | false cuts | "
            "pieces still mixed |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in live:
            lines.append(
                f"| {r['speech_gap_s']} s | {r['utterances']} | {r['with_change']} | "
                f"{r['uncertain']} | {r['uncertain_with_change']} | "
                f"{r.get('cut_right', '–')} of {r.get('cut_with_change', '–')} | "
                f"{r.get('cut_false', '–')} | {r.get('pieces_mixed', '–')} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.turns")
    parser.add_argument("sets", nargs="*", help="sets of bench/meetings.py (default: all)")
    parser.add_argument("--condition", choices=CONDITIONS, default="clean")
    parser.add_argument("--cut", choices=("vad", "words"), default="vad")
    parser.add_argument("--transcribe-only", action="store_true")
    parser.add_argument("--pause", type=float, help="the silence that may end a turn (s)")
    parser.add_argument("--json", type=Path, help="write the whole result here")
    args = parser.parse_args(argv)
    if args.transcribe_only:
        from bench import meetings

        transcripts = Transcripts()
        for set_name, directory in meetings.SETS.items():
            if (args.sets and set_name not in args.sets) or not directory.is_dir():
                continue
            for script in sorted(directory.glob("*.txt")):
                transcripts.transcript(script, args.condition)
                print(f"{set_name} {script.stem}", flush=True)
        return 0
    if args.pause is not None:
        from device.stages import speakers

        speakers.TURN_PAUSE_S = args.pause
    result = run_sets(args.sets or None, args.condition, args.cut)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(markdown({args.condition: result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())


# --- The live loop: a speaker change inside one VAD utterance ----------------------------------


def live_changes(gap_s: float | None = None) -> dict[str, Any]:
    """The bench streaming meeting (`bench.streaming.TURNS`, its voices `sv`/`sv+m3`, turns
    `TURN_GAP_S` apart as that bench plays it; with `gap_s`, each turn trimmed to its speech
    and turns `gap_s` apart, as people who answer quickly), cut into utterances by the live
    loop's VAD (its `Segmenter`, the live settings, 0.1 s chunks) and each attributed as
    `SpeakerStage` does
    (no enrolment): how many utterances hold the speech of two turns' speakers (a change the
    live loop cannot cut: it has no word times), how many the tracker marks uncertain, and of
    those how many hold a change."""
    import numpy as np

    from bench import streaming
    from device.stages.segmentation import Segmenter
    from device.stages.streaming import StreamingOptions
    from device.voice.attribution import SpeakerTracker
    from device.voice.encoder import shared_encoder
    from tests.support.speech import VOICE, VOICE_2, read_wav, silence, speak

    gap = streaming.TURN_GAP_S if gap_s is None else gap_s
    pieces: list[np.ndarray] = []
    spans: list[tuple[float, float, int]] = []
    texts: list[str] = []
    total = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        while total < streaming.TARGET_S:
            for i, (who, text) in enumerate(streaming.TURNS):
                audio = read_wav(
                    speak(text, Path(tmp) / f"t{i}.wav", VOICE if who == 0 else VOICE_2)
                )[0]
                loud = np.flatnonzero(np.abs(audio) > 0.01)
                if gap_s is not None and loud.size:
                    audio = audio[loud[0] : loud[-1] + 1]
                    loud = loud - loud[0]
                if loud.size:
                    spans.append((total + loud[0] / RATE, total + (loud[-1] + 1) / RATE, who))
                    texts.append(text)
                pieces += [audio, silence(gap)]
                total += audio.size / RATE + gap
                if total >= streaming.TARGET_S:
                    break
    samples = np.concatenate(pieces).astype(np.float32)
    options = StreamingOptions()
    segmenter = Segmenter(options.vad, options.max_utterance_s)
    utterances = []
    step = int(0.1 * RATE)
    for i in range(0, samples.size, step):
        chunk = samples[i : i + step]
        utterances += segmenter.push(chunk, segmenter.probabilities(chunk))
    utterances += segmenter.flush()
    tracker = SpeakerTracker(shared_encoder())
    counts = Counter[str]()
    for utt in utterances:
        start = utt.start_sample / RATE
        end = start + utt.n / RATE
        inside = {who for a, b, who in spans if a < end and b > start}
        attribution = tracker.attribute(utt.audio())
        counts["utterances"] += 1
        counts["with_change"] += len(inside) > 1
        counts["uncertain"] += attribution.uncertain
        counts["uncertain_with_change"] += attribution.uncertain and len(inside) > 1
    tracker.close()
    counts.update(_live_cuts(utterances, spans, texts))
    quiet = sorted(b[0] - a[1] for a, b in itertools.pairwise(spans))
    return {
        "gap_s": gap,
        "speech_gap_s": round(float(quiet[len(quiet) // 2]), 2),
        "turns": len(spans),
        "audio_s": round(total, 1),
        **counts,
    }


def _live_cuts(
    utterances: Sequence[Any], spans: Sequence[tuple[float, float, int]], texts: Sequence[str]
) -> Counter[str]:
    """The live loop's cut at a change of voice (`SpeakerStage`, no enrolment) on the same
    utterances, each with its words timed from the script (each turn's words spread evenly
    over its speech, so the pauses between turns are the real ones): how many utterances
    holding two speakers were cut, pieces still holding two, and cuts in one speaker's
    utterance (false cuts)."""
    from device.stages.commit import Commit
    from device.stages.speakers import SpeakerStage
    from device.stages.transcribe import HeardWord
    from device.voice.attribution import SpeakerTracker
    from device.voice.encoder import shared_encoder
    from fredag.protocol import Segment

    timed: list[tuple[HeardWord, int]] = []
    for (a, b, who), text in zip(spans, texts, strict=True):
        said = text.split()
        step = (b - a) / len(said)
        timed += [
            (HeardWord(a + k * step, a + (k + 0.85) * step, w, 0.9), who)
            for k, w in enumerate(said)
        ]
    stage = SpeakerStage(SpeakerTracker(shared_encoder()))
    counts = Counter[str]()
    for utt in utterances:
        start, end = utt.start_s, utt.end_s
        inside = [(w, who) for w, who in timed if start <= (w.start + w.end) / 2 < end]
        if not inside:
            continue
        words = tuple(w for w, _ in inside)
        segment = Segment(
            start=round(start, 2), end=round(end, 2), text=" ".join(w.word for w in words)
        )
        out = stage(Commit((segment,), end, 0.0, (utt,), words=(words,)))
        two = len({who for _, who in inside}) > 1
        counts["cut_utterances"] += 1
        counts["cut_with_change"] += two
        counts["cut"] += len(out.segments) > 1
        counts["cut_right"] += two and len(out.segments) > 1
        counts["cut_false"] += not two and len(out.segments) > 1
        for piece_words in out.words_of():
            owners = {who for w, who in inside if w in piece_words}
            counts["pieces"] += 1
            counts["pieces_mixed"] += len(owners) > 1
    stage.close()
    return counts
