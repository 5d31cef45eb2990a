"""Who said it: a speaker for each committed utterance, decided during the meeting.

`SpeakerTracker.attribute(audio)` embeds an utterance's audio (`device.voice.encoder`) and
compares it with

* the enrolled caseworker's voice, if there is one (`device.voice.enrolment`): a match is
  role ``caseworker``, label ``handläggare``;
* the voices heard so far in this meeting, kept as running means of their utterances'
  embeddings: ``person 1``, ``person 2``, … in order of first appearance (role ``other``).

A voice that matches nothing well enough starts a new person, but only from an utterance long
enough for its embedding to be trusted (`new_voice_min_s`); a short one ("Nej.") goes to the
nearest voice with a lower confidence. Without an enrolment every voice is a person.

A long utterance is also embedded window by window (1.6 s windows): when its beginning and its
end sound like different known voices, the speaker probably changed inside it, and the
attribution is marked `uncertain` with the time of the change (the text cannot be cut there:
the transcript has no word times), with the voice heard longest as its speaker.

Privacy (GDPR art. 9): the voices of everyone but the enrolled caseworker exist only in this
object's memory, for one meeting; nothing here writes, logs or returns an embedding. Only
labels, roles and confidences leave it. `close()` drops them at the end of the meeting.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from device.voice.encoder import SAMPLE_RATE, Array, SpeakerEncoder, unit

SpeakerRole = Literal["caseworker", "other"]
CASEWORKER_LABEL = "handläggare"


def person_label(n: int) -> str:
    return f"person {n}"


@dataclass(frozen=True)
class AttributionOptions:
    # Tuned on the synthesized meetings of bench/speakers.py (docs/device.md has the figures).
    caseworker_min: float = 0.88  # similarity to the enrolment that makes it the caseworker
    same_voice_min: float = 0.90  # similarity to a voice of this meeting that makes it that one
    short_s: float = 3.0  # below this an embedding is noisier: thresholds are lowered
    short_discount: float = 0.12  # how much lower, at zero length (linear up to short_s)
    new_voice_min_s: float = 2.5  # a shorter utterance never starts a new voice
    change_min_s: float = 3.2  # utterances at least this long are checked for a change inside
    change_margin: float = 0.03  # how much better the other voice must fit a window
    max_voices: int = 8
    # Once `center_after` utterances are heard, voices are compared after subtracting the mean
    # of everything heard in the meeting (what all voices in the room share: language,
    # microphone, room), with these thresholds instead.
    center_after: int = 2
    caseworker_min_centered: float = 0.20
    same_voice_min_centered: float = 0.10
    short_discount_centered: float = 0.10


@dataclass(frozen=True)
class Attribution:
    role: SpeakerRole
    label: str
    confidence: float
    uncertain: bool = False
    change_at: float | None = None  # seconds into the utterance where another voice starts


@dataclass
class _Voice:
    label: str
    role: SpeakerRole
    centroid: Array
    weight: float
    fixed: bool = False  # the enrolment: not moved by the meeting

    def add(self, embedding: Array, weight: float) -> None:
        if self.fixed:
            return
        total = self.weight + weight
        self.centroid = unit(
            np.asarray((self.centroid * self.weight + embedding * weight) / total, np.float32)
        )
        self.weight = total


@dataclass
class _State:
    voices: list[_Voice] = field(default_factory=list)
    persons: int = 0
    heard: int = 0
    total: Array | None = None  # sum of every utterance's embedding

    def hear(self, embedding: Array) -> None:
        self.total = embedding.copy() if self.total is None else self.total + embedding
        self.heard += 1


class SpeakerTracker:
    """Online attribution for one meeting; call `attribute` in utterance order."""

    def __init__(
        self,
        encoder: SpeakerEncoder,
        enrolled: Array | None = None,
        options: AttributionOptions | None = None,
    ) -> None:
        self.encoder = encoder
        self.opts = options or AttributionOptions()
        self._state = _State()
        self._lock = threading.Lock()
        if enrolled is not None:
            self._state.voices.append(
                _Voice(CASEWORKER_LABEL, "caseworker", unit(enrolled), 1.0, fixed=True)
            )

    @property
    def enrolled(self) -> bool:
        return any(v.role == "caseworker" for v in self._state.voices)

    @property
    def labels(self) -> list[str]:
        return [v.label for v in self._state.voices]

    def label_taken(self, label: str) -> None:
        """The caseworker gave a line the label `label` (a correction): a voice heard for the
        first time later is numbered after it, so two voices never share a label. No voice is
        looked at or changed."""
        if label.startswith("person ") and label[7:].isdigit():
            with self._lock:
                self._state.persons = max(self._state.persons, int(label[7:]))

    def close(self) -> None:
        """Forget every voice heard (the meeting is over)."""
        with self._lock:
            self._state = _State(voices=[v for v in self._state.voices if v.fixed])

    @property
    def _centered(self) -> bool:
        """Centring needs two voices to tell apart: with one, the mean is that voice."""
        return self._state.heard >= self.opts.center_after and len(self._state.voices) >= 2

    def _threshold(self, voice: _Voice, seconds: float) -> float:
        o = self.opts
        short = max(0.0, 1.0 - seconds / o.short_s)
        if self._centered:
            base = o.caseworker_min_centered if voice.fixed else o.same_voice_min_centered
            return base - o.short_discount_centered * short
        base = o.caseworker_min if voice.fixed else o.same_voice_min
        return base - o.short_discount * short

    def _project(self, vectors: Array) -> Array:
        """Unit vectors as compared: centred on the meeting's mean once there is one."""
        if not self._centered or self._state.total is None:
            return vectors
        centred = vectors - self._state.total / self._state.heard
        norms = np.linalg.norm(centred, axis=-1, keepdims=True)
        return np.asarray(centred / np.maximum(norms, 1e-9), dtype=np.float32)

    def _scores(self, embedding: Array) -> list[float]:
        if not self._state.voices:
            return []
        centroids = self._project(np.stack([v.centroid for v in self._state.voices]))
        return [float(x) for x in centroids @ self._project(embedding)]

    def attribute(self, audio: Array) -> Attribution:
        """The speaker of one utterance (16 kHz mono float32); updates this meeting's voices."""
        partials, spans = self.encoder.embed_partials(audio)
        return self.assign(partials, spans, audio.size / SAMPLE_RATE)

    def assign(
        self, partials: Array, spans: list[tuple[float, float]], seconds: float
    ) -> Attribution:
        """The speaker of an utterance already embedded window by window."""
        embedding = unit(partials.mean(axis=0))
        with self._lock:
            voice, confidence = self._decide(embedding, seconds)
            change = self._change(partials, spans, voice, seconds)
            voice.add(embedding, seconds)
            self._state.hear(embedding)
        if change is not None:
            return Attribution(voice.role, voice.label, min(confidence, 0.5), True, change)
        return Attribution(voice.role, voice.label, confidence)

    def _decide(self, embedding: Array, seconds: float) -> tuple[_Voice, float]:
        voices = self._state.voices
        scores = self._scores(embedding)
        if voices:
            order = np.argsort(scores)[::-1]
            best = voices[int(order[0])]
            top = scores[int(order[0])]
            second = scores[int(order[1])] if len(order) > 1 else -1.0
            fits = top >= self._threshold(best, seconds)
            may_start = seconds >= self.opts.new_voice_min_s and len(voices) < self.opts.max_voices
            if fits or not may_start:
                return best, _confidence(top, second, fits, seconds, self.opts.short_s)
        self._state.persons += 1
        voice = _Voice(person_label(self._state.persons), "other", embedding, 0.0)
        voices.append(voice)
        top_other = max(scores) if scores else -1.0
        return voice, _confidence(1.0, top_other, True, seconds, self.opts.short_s)

    def _change(
        self, partials: Array, spans: list[tuple[float, float]], voice: _Voice, seconds: float
    ) -> float | None:
        """Where another known voice takes over inside the utterance, if one clearly does."""
        if seconds < self.opts.change_min_s or len(partials) < 3 or len(self._state.voices) < 2:
            return None
        centroids = self._project(np.stack([v.centroid for v in self._state.voices]))
        sims = self._project(partials) @ centroids.T  # (windows, voices)
        best = sims.argmax(axis=1)
        top = np.sort(sims, axis=1)
        clear = (top[:, -1] - top[:, -2]) >= self.opts.change_margin
        first, last = best[0], best[-1]
        if first == last or not (clear[0] and clear[-1]):
            return None
        switch = next(i for i in range(len(best)) if best[i] != first)
        return round(spans[switch][0] + (spans[switch - 1][1] - spans[switch][0]) / 2, 2)


def _confidence(top: float, second: float, fits: bool, seconds: float, short_s: float) -> float:
    """0..1: how clearly the chosen voice beats the next one, lower for short or unmatched."""
    margin = top - second if second > -1.0 else 0.2
    value = min(1.0, max(0.0, margin / 0.2))
    value = 0.5 + 0.5 * value if fits else 0.4 * value
    if seconds < short_s:
        value *= 0.5 + 0.5 * seconds / short_s
    return round(min(1.0, max(0.0, value)), 2)
