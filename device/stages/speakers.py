"""Speaker stage: each committed segment gets its speaker (`fredag.protocol.Speaker`).

The work is `device.voice.attribution.SpeakerTracker` (one per meeting, RAM only); this module
turns its `Attribution`s into the protocol's `Speaker` labels on segments, for a live commit
(`SpeakerStage`, given the commit's audio: one VAD utterance, so turns are already apart)
and for a whole recording (`attribute_transcript`, `fredag draft AUDIO`: the recogniser's
segments do not follow turns, so each is cut at pauses between its words, attributed piece by
piece, and split where the voice changes). It also says what the tagger reads as each
segment's speaker (`heard_speaker`): the label, except for an uncertain one and for a
caseworker label below `CASEWORKER_TRUST`, which are read as unknown, so a client's words are
not dismissed as the caseworker's own on a doubtful attribution.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Literal, Protocol

from device.capture.audio import SAMPLE_RATE, AudioArray
from device.journal.store import Store
from device.stages.transcribe import HeardWord
from device.stages.transcript_file import TranscriptFile, parse_transcript
from device.stages.vad import Endpointer, SileroStream, VadSettings
from device.voice.attribution import Attribution, Revision, SpeakerTracker
from fredag.protocol import Segment, Speaker

MIN_SEGMENT_S = 0.2  # less audio than this holds no voice to speak of
# The tagger reads a segment as the caseworker's own words (never a finding about the client)
# only when she is this sure to have said it; otherwise as unknown (possibly the client).
CASEWORKER_TRUST = 0.9


def speaker_of(attribution: Attribution) -> Speaker:
    return Speaker(
        role=attribution.role,
        label=attribution.label,
        confidence=attribution.confidence,
        uncertain=attribution.uncertain,
    )


def open_tracker(store: Store) -> SpeakerTracker:
    """A tracker for one meeting, with the caseworker's enrolment if there is one. The model
    missing is `ModelPackageMissing` (never a download)."""
    from device.voice import enrolment
    from device.voice.encoder import shared_encoder

    encoder = shared_encoder()
    enrolled = enrolment.load(store, encoder.sha256)
    if enrolled is None:
        return SpeakerTracker(encoder)
    return SpeakerTracker(encoder, enrolled.embedding, enrolled_pitch=enrolled.pitch)


def attribute_segments(
    tracker: SpeakerTracker,
    segments: Sequence[Segment],
    audio_of: Callable[[Segment], AudioArray],
) -> list[Segment]:
    """The segments, in order, each with its speaker (none where it has almost no audio)."""
    out = []
    for segment in segments:
        audio = audio_of(segment)
        if audio.size < MIN_SEGMENT_S * SAMPLE_RATE:
            out.append(segment)
            continue
        speaker = speaker_of(tracker.attribute(audio, segment.text, key=segment.start))
        out.append(segment.model_copy(update={"speaker": speaker}))
    return out


class _Commit(Protocol):
    """What the stage needs of a live commit (`device.stages.commit.Commit`)."""

    @property
    def segments(self) -> tuple[Segment, ...]: ...

    def words_of(self) -> tuple[tuple[HeardWord, ...], ...]: ...

    def audio_between(self, start_s: float, end_s: float) -> AudioArray: ...

    def with_segments(
        self, segments: Sequence[Segment], words: Sequence[tuple[HeardWord, ...]] | None = None
    ) -> Any: ...


Piece = tuple[Segment, tuple[HeardWord, ...]]
CHANGE_BEFORE_S = 0.5  # where to look for the pause a change of voice comes at, around the
CHANGE_AFTER_S = 1.5  # tracker's time (later: its time leaves out the utterance's silences)
CHANGE_PAUSE_S = 0.15  # the least silence between two words a live cut is made at
MAX_CUT_DEPTH = 2  # a piece of a cut piece may be cut again, not further (at most 4 pieces)


class SpeakerStage:
    """A post-decode stage: the commit's segments come out with their speakers. A segment
    whose words have times is first checked for a change of voice inside it
    (`SpeakerTracker.change_in`); where one is found it is cut at the word the new voice
    begins with, and each piece is attributed on its own (`split_at_change`)."""

    def __init__(self, tracker: SpeakerTracker) -> None:
        self.tracker = tracker
        self.cuts = 0  # segments cut at a change of voice in this meeting (for benchmarks)

    def __call__(self, commit: Any) -> Any:
        c: _Commit = commit
        pieces: list[Piece] = []
        for segment, words in zip(c.segments, c.words_of(), strict=True):
            pieces += self._attribute(segment, words, c)
        if len(pieces) == len(c.segments):
            return c.with_segments([p for p, _ in pieces])
        return c.with_segments([p for p, _ in pieces], [w for _, w in pieces])

    def _attribute(
        self, segment: Segment, words: tuple[HeardWord, ...], c: _Commit, depth: int = 0
    ) -> list[Piece]:
        audio = c.audio_between(segment.start, segment.end)
        if audio.size < MIN_SEGMENT_S * SAMPLE_RATE:
            return [(segment, words)]
        checked = len(words) >= 2 and depth < MAX_CUT_DEPTH
        change = self.tracker.change_in(audio) if checked else None
        pieces = split_at_change(segment, words, change) if change is not None else None
        if pieces is None:
            return [(self._speaker(segment, audio), words)]
        out: list[Piece] = []
        for piece, piece_words in pieces:
            # Each piece is checked again: a question, its answer and the next question in
            # one utterance (A-B-A) is two changes.
            out += self._attribute(piece, piece_words, c, depth + 1)
        labels = [p.speaker.label if p.speaker is not None else None for p, _ in out]
        if None in labels or len(set(labels)) == 1:
            # The pieces do not bear the change out: the segment stays whole, with the longest
            # piece's speaker, marked uncertain as the tracker marks a change it cannot cut.
            speaker = max(out, key=lambda p: p[0].end - p[0].start)[0].speaker
            if speaker is not None:
                speaker = speaker.model_copy(
                    update={"uncertain": True, "confidence": min(speaker.confidence, 0.5)}
                )
            return [(segment.model_copy(update={"speaker": speaker}), words)]
        self.cuts += 1
        return out

    def _speaker(self, segment: Segment, audio: AudioArray) -> Segment:
        return attribute_segments(self.tracker, [segment], lambda _s: audio)[0]

    def revisions(self) -> list[Revision]:
        """The committed lines the tracker relabelled with hindsight since the last call
        (`SpeakerTracker.revisions`: their `key` is the segment's start), taken once: the
        committer journals and shows each as the device's revision."""
        return self.tracker.revisions()

    def corrected(self, segment: Segment) -> None:
        """The caseworker corrected who said `segment` (`device.stages.relabel`): the tracker
        learns from it (the utterance moves to that voice, in RAM; later lines follow) and
        numbers a voice it hears later after any person she made."""
        if segment.speaker is not None:
            self.tracker.correct(segment.start, segment.speaker.label)

    def close(self) -> None:
        self.tracker.close()


def split_at_change(
    segment: Segment, words: tuple[HeardWord, ...], change_s: float
) -> tuple[Piece, Piece] | None:
    """`segment` cut in two where another voice takes over, `change_s` seconds into its audio
    (the tracker's estimate, `SpeakerTracker.change_in`): at the widest pause between two
    of its words from `CHANGE_BEFORE_S` before that time to `CHANGE_AFTER_S` after it (a turn
    comes at a pause; the tracker's time runs early, leaving out silences), each piece with
    its words and the text from that word on. None when no pause of `CHANGE_PAUSE_S` or more
    between two words lies there (measured: a cut where the words run on split one voice's
    question in two, "Har din son några" / "fritidsaktiviteter"), or the words cannot be found
    in the text in order."""
    at = segment.start + change_s
    gaps = []  # (pause, -distance from the tracker's time, word index)
    for i in range(1, len(words)):
        middle = (words[i - 1].end + words[i].start) / 2
        pause = round(words[i].start - words[i - 1].end, 2)
        if at - CHANGE_BEFORE_S <= middle <= at + CHANGE_AFTER_S and pause >= CHANGE_PAUSE_S:
            gaps.append((pause, -abs(middle - at), i))
    if not gaps:
        return None
    *_, k = max(gaps)
    char = _word_position(segment.text, words, k)
    if char is None or not segment.text[:char].strip():
        return None
    boundary = round((words[k - 1].end + words[k].start) / 2, 2)
    boundary = min(max(boundary, segment.start), segment.end)
    first = segment.model_copy(update={"end": boundary, "text": segment.text[:char].rstrip()})
    second = segment.model_copy(update={"start": boundary, "text": segment.text[char:].strip()})
    return (first, words[:k]), (second, words[k:])


def _word_position(text: str, words: tuple[HeardWord, ...], k: int) -> int | None:
    """Where word `k` begins in `text`, the words found one after another in it."""
    pos = 0
    for i, w in enumerate(words):
        at = text.find(w.word, pos)
        if at < 0:
            return None
        if i == k:
            return at
        pos = at + len(w.word)
    return None


def heard_speaker(segment: Segment) -> str | None:
    """The speaker the tagger reads: the label (`handläggare` = the caseworker), or None
    (possibly the client) when there is none or it is uncertain."""
    speaker = segment.speaker
    if speaker is None or speaker.uncertain:
        return None
    if speaker.role == "caseworker" and speaker.confidence < CASEWORKER_TRUST:
        return None
    return speaker.label


def with_heard_speakers(
    heard: Sequence[dict[str, Any]] | None, segments: Sequence[Segment]
) -> list[dict[str, Any]] | None:
    """The tagger's view of the segments (`heard`, or made from the segments) with each
    attributed speaker added; unchanged if no segment has one."""
    if not any(s.speaker is not None for s in segments):
        return None if heard is None else list(heard)
    if heard is None or len(heard) != len(segments):
        heard = [{"start": s.start, "end": s.end, "text": s.text} for s in segments]
    out = []
    for item, segment in zip(heard, segments, strict=True):
        name = heard_speaker(segment)
        out.append({**item, "speaker": name} if name is not None else dict(item))
    return out


PAUSE_S = 0.5  # `cut="words"`: a gap between two words this long may be a turn
EDGE_S = 0.1  # audio kept either side of a piece's words
VAD_CHUNK = 1600  # samples fed to the VAD at a time: the live capture's 0.1 s chunks
Cut = Literal["vad", "words"]
TURN_PAUSE_S = VadSettings().min_silence_s  # `cut="vad"`: the silence that may end a turn


def speech_pauses(
    samples: AudioArray, settings: VadSettings | None = None
) -> list[tuple[float, float]]:
    """The pauses (start, end in seconds) at which the live loop's VAD (Silero and its
    endpointer, `device.stages.vad`, the live loop's settings) ends an utterance: where a
    turn may end. Each is the silence between one utterance's last speech and the next one's
    first."""
    vad = settings or VadSettings()
    pad = vad.pad_s
    stream, endpointer = SileroStream(), Endpointer(vad)
    pauses: list[tuple[float, float]] = []
    ended: float | None = None
    for i in range(0, samples.size, VAD_CHUNK):
        for event in endpointer.push(stream.feed(samples[i : i + VAD_CHUNK])):
            at = event.sample / SAMPLE_RATE
            if event.kind == "start":
                if ended is not None:
                    pauses.append((ended, max(ended, at + pad)))
                ended = None
            else:  # "end", or "cancel" (a burst too short for an utterance: still a turn)
                ended = at - pad
    return pauses


def attribute_transcript(
    tracker: SpeakerTracker, data: dict[str, Any], samples: AudioArray, cut: Cut = "vad"
) -> tuple[dict[str, Any], list[Speaker | None]]:
    """A recording's transcript JSON (`fredag transcribe --json`, with word times) with its
    segments split where the voice changes, and who said each segment.

    The recogniser's segments do not follow turns: one often ends a question and starts the
    answer. So each segment is cut where a turn may end, each piece is attributed from its own
    audio, and neighbouring pieces of one voice are joined again: a segment whose pieces have
    different voices becomes one segment per voice, cut at the word where the voice changes.
    Where a turn may end (`cut`): `"vad"` at the pauses the live loop's VAD ends an utterance
    at (`speech_pauses`; a word belongs to the side of a pause its middle is on, and a piece's
    audio is kept inside its stretch of speech, so no neighbour's voice leaks in through the
    recogniser's word times, `_span`) and also at gaps of
    `PAUSE_S` between the recogniser's word times (a quicker turn the VAD runs on through);
    `"words"` only at those gaps (less reliable alone: whisper's words often run into the
    pause). A segment without word times is attributed whole."""
    out_segments: list[dict[str, Any]] = []
    speakers: list[Speaker | None] = []
    pauses = speech_pauses(samples, VadSettings(min_silence_s=TURN_PAUSE_S))
    regions = _Regions(pauses, samples.size / SAMPLE_RATE) if cut == "vad" else None
    try:
        for seg in data["segments"]:
            for part, speaker in _split_segment(tracker, seg, samples, regions):
                out_segments.append(part)
                speakers.append(speaker)
    finally:
        tracker.close()
    return {**data, "segments": out_segments}, speakers


def transcript_with_speakers(
    tracker: SpeakerTracker,
    data: dict[str, Any],
    samples: AudioArray,
    source: str,
    cut: Cut = "vad",
) -> tuple[dict[str, Any], TranscriptFile]:
    """`fredag draft AUDIO`'s reading of a recording's transcript: split where the voice
    changes (`attribute_transcript`) and parsed, each segment with its speaker."""
    split, speakers = attribute_transcript(tracker, data, samples, cut)
    heard = parse_transcript(split, source)
    segments = tuple(
        s if who is None else s.model_copy(update={"speaker": who})
        for s, who in zip(heard.segments, speakers, strict=True)
    )
    return split, replace(heard, segments=segments)


class _Regions:
    """The stretches of speech between the VAD's pauses: which one a time is in, and where
    each one's speech begins and ends."""

    def __init__(self, pauses: list[tuple[float, float]], duration: float) -> None:
        self.cuts = [(a + b) / 2 for a, b in pauses]
        self.starts = [0.0] + [b for _a, b in pauses]
        self.ends = [a for a, _b in pauses] + [duration]

    def of(self, word: dict[str, Any]) -> int:
        return bisect.bisect(self.cuts, (float(word["start"]) + float(word["end"])) / 2)


def _pieces(words: list[dict[str, Any]], regions: _Regions | None) -> list[list[dict[str, Any]]]:
    pieces: list[list[dict[str, Any]]] = [[words[0]]]
    for prev, word in itertools.pairwise(words):
        apart = float(word["start"]) - float(prev["end"]) >= PAUSE_S
        if regions is not None:
            apart = apart or regions.of(word) != regions.of(prev)
        if apart:
            pieces.append([])
        pieces[-1].append(word)
    return pieces


def _span(piece: list[dict[str, Any]], regions: _Regions | None) -> tuple[float, float]:
    """Where a piece's audio is: its words' times (and `EDGE_S` either side), kept inside the
    VAD stretches its words are in, so a neighbour's voice does not come in through word times
    that run into a pause (never widened: a stretch may hold another voice's words that the
    recogniser did not write)."""
    start, end = float(piece[0]["start"]) - EDGE_S, float(piece[-1]["end"]) + EDGE_S
    if regions is None:
        return start, end
    lo, hi = regions.starts[regions.of(piece[0])], regions.ends[regions.of(piece[-1])]
    return max(lo - EDGE_S, start), min(hi + EDGE_S, end)


def _split_segment(
    tracker: SpeakerTracker,
    seg: dict[str, Any],
    samples: AudioArray,
    regions: _Regions | None = None,
) -> list[tuple[dict[str, Any], Speaker | None]]:

    def audio(start: float, end: float) -> AudioArray:
        a = max(0, round(start * SAMPLE_RATE))
        return samples[a : max(a, round(end * SAMPLE_RATE))]

    words = [w for w in seg.get("words") or [] if "start" in w and "end" in w]
    start, end = float(seg["start"]), float(seg["end"])
    if not words:
        clip = audio(start - EDGE_S, end + EDGE_S)
        if clip.size < MIN_SEGMENT_S * SAMPLE_RATE:
            return [(dict(seg), None)]
        return [(dict(seg), speaker_of(tracker.attribute(clip, str(seg["text"]))))]
    groups: list[tuple[list[dict[str, Any]], Attribution | None]] = []
    for piece in _pieces(words, regions):
        text = " ".join(str(w["word"]).strip() for w in piece)
        clip = audio(*_span(piece, regions))
        found = tracker.attribute(clip, text) if clip.size >= MIN_SEGMENT_S * SAMPLE_RATE else None
        if groups and (
            found is None or groups[-1][1] is None or groups[-1][1].label == found.label
        ):
            groups[-1] = (groups[-1][0] + piece, groups[-1][1] or found)
        else:
            groups.append((list(piece), found))
    if len(groups) == 1:
        found = groups[0][1]
        return [(dict(seg), None if found is None else speaker_of(found))]
    out = []
    for i, (piece_words, found) in enumerate(groups):
        part = {
            **seg,
            "start": start if i == 0 else round(float(piece_words[0]["start"]), 2),
            "end": end if i == len(groups) - 1 else round(float(piece_words[-1]["end"]), 2),
            "text": " ".join(str(w["word"]).strip() for w in piece_words),
            "words": piece_words,
        }
        out.append((part, None if found is None else speaker_of(found)))
    return out
