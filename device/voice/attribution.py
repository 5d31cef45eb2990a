"""Who said it: a speaker for each committed utterance, decided during the meeting.

`SpeakerTracker.attribute(audio, text)` embeds an utterance's audio (`device.voice.encoder`),
measures its pitch level (`device.voice.pitch`) and compares both with

* the enrolled caseworker's voice, if there is one (`device.voice.enrolment`): a match is
  role ``caseworker``, label ``handläggare``. Her voice adapts during the meeting: the
  enrolment (read aloud, unlike her questions) counts as `enrolment_weight_s` seconds of her
  speech, and the utterances attributed to her are added, in RAM only;
* the voices heard so far in this meeting: ``person 1``, ``person 2``, … in order of first
  appearance (role ``other``).

Once two voices are known, embeddings are compared after subtracting the mean of everything
heard in the meeting (what all voices in the room share). The score of a voice is that
similarity, less a cost for a different pitch level (GE2E hardly hears pitch; people differ
in it), less a turn-taking prior: right after a question, its asker is less likely to be the
one speaking (`after_question_penalty`; the text of the utterance is needed for it), unless
the utterance is a question itself (`question_not_answer`: a second question answers nothing);
right after a line that is no question, its speaker is less likely to say the next short
utterance (`after_line_penalty`: alternation, a one-word reply after another client's line).

A voice that fits nothing starts a new person, but only from an utterance long enough for its
embedding to be trusted (`new_voice_min_s`), and only if it is clearly someone else: further
from every known voice than the two most alike known voices are from each other. A long
utterance that fits a client's voice best but is less like it than that voice's own long
utterances are (`_stranger`) is someone new too: with the caseworker and one client known, a
second client is nearer the client than the caseworker, so fitting is no evidence. A voice
whose long utterances fall into two clearly different halves holds two people (`_split`):
the later half becomes a new person. A short utterance ("Nej.") goes to
the best-scoring known voice, with a lower confidence, unless it answers a question and
nobody but the asker is known, or its pitch level is far from every known voice but the
asker's (`_newcomer`: a one-word answer is then someone not heard yet). A voice known only
from short utterances takes the next long utterance that fits no voice (`_unsettled`), and in
the look-back nothing far from it in pitch.

Learning from a correction (`correct`): the caseworker says who said an utterance; it moves
to that voice for good (through every look-back), the voices are re-estimated, and later
utterances follow. The labels already given are never changed here.

Look-back: after each utterance, all utterances of the meeting so far are re-assigned to their
nearest voice and each voice is re-estimated from them (`refine_rounds`), so one early mistake
does not pull a voice towards someone else for the rest of the meeting; a voice no utterance
is nearest to any more was a stray and is dropped. The labels already given stay as they were
(they are committed and journaled); the following decisions use the better voices — with
one exception, `revisions`: an utterance heard before the voice it now belongs to existed (a
second client's first lines, taken for the first client's because the second client's voice
was not known yet) gets that voice's label once, when that voice is settled. The caller shows
it as the device's revision of a committed line, marked as such, never silently.

Her floor in this meeting (`_floor`): once `floor_after` long utterances are hers, a long
utterance less like her enrolment (raw cosine) than their median less `floor_margin` is not
hers, whatever the centred comparison says: a client who sounds near her and was taken for her
early in the meeting (before the floor) does not stay in her voice.

Her short lines (`_hers_short`): a short utterance ("Precis.") that fits a client's voice
best is the enrolled caseworker's when it is clearly more like her enrolment (raw cosine) than
that client's own utterances of its length are in this meeting (their median, while the client
is known only from short utterances; right after a line of that client, a straight line through
its utterances' similarity against their shortness): short embeddings lean to a voice of many
one-word answers, her acknowledgements too, but they stay nearer her enrolment.

A long utterance is also embedded window by window (1.6 s windows): when a stretch of its
windows (at its start, its end or in its middle) sounds like another voice than the rest
(`_change_point`: two different known voices, or two sides less alike than any voice is with
itself), the speaker probably changed inside it, and the attribution is marked `uncertain`
with the time of the change (its speaker the voice the whole fits best). `change_in` runs
the same test without attributing: the live loop asks it first and, where the words' times
allow, cuts the utterance there and attributes each piece
(`device.stages.speakers.SpeakerStage`); an utterance it does not cut is attributed with
that answer, not tested again (unless the voices changed in between: a correction, or the
utterance making a new voice).

Privacy (GDPR art. 9): the voices of everyone but the enrolled caseworker (embeddings, pitch
levels, the meeting's utterance history) exist only in this object's memory, for one meeting;
nothing here writes, logs or returns them. Only labels, roles and confidences leave it.
`close()` drops them at the end of the meeting, and what her voice learnt during it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from device.voice.encoder import SAMPLE_RATE, Array, SpeakerEncoder, unit

SpeakerRole = Literal["caseworker", "other"]
CASEWORKER_LABEL = "handläggare"


# A label changed with hindsight is the tracker's estimate, not a certainty.
_REVISED_CONFIDENCE = 0.6


def person_label(n: int) -> str:
    return f"person {n}"


@dataclass(frozen=True)
class AttributionOptions:
    # Tuned on the development meetings of bench/speakers.py (docs/device.md has the figures;
    # its held-out meetings were never used for tuning).
    caseworker_min: float = 0.88  # similarity to the enrolment that makes it the caseworker
    same_voice_min: float = 0.90  # similarity to a voice of this meeting that makes it that one
    short_s: float = 3.0  # below this an embedding is noisier: thresholds are lowered
    short_discount: float = 0.12  # how much lower, at zero length (linear up to short_s)
    new_voice_min_s: float = 3.0  # a shorter utterance starts a new voice only by `_newcomer`
    change_min_s: float = 3.2  # utterances at least this long are checked for a change inside
    change_margin: float = 0.03  # how much better the other voice must fit one side
    change_min_windows: int = 2  # windows each side of a change (one if only three in all)
    change_self_max: float = 0.74  # the two sides less alike than this (raw): two voices
    max_voices: int = 8
    # Once `center_after` utterances are heard, voices are compared after subtracting the mean
    # of everything heard in the meeting (what all voices in the room share: language,
    # microphone, room), with these thresholds instead.
    center_after: int = 2
    caseworker_min_centered: float = 0.10
    same_voice_min_centered: float = 0.10
    short_discount_centered: float = 0.10
    # The caseworker's voice adapts during the meeting (RAM only): her centroid is the
    # enrolment, counted as `enrolment_weight_s` seconds of speech, plus the utterances
    # attributed to her with at least `adapt_min_confidence`.
    enrolment_weight_s: float = 6.0
    adapt_min_confidence: float = 0.6
    # Look-back: after each utterance, every utterance heard so far is re-assigned to its
    # nearest voice and the voices re-estimated from them, this many times (0: never).
    refine_rounds: int = 2
    history_max: int = 400  # the most recent utterances kept for that (bounds its cost)
    # Pitch (`device.voice.pitch`): a difference in pitch level of one `pitch_sigma` (log F0;
    # wider for short utterances) costs `pitch_weight` / 2 of similarity, at most 2 sigma.
    pitch_sigma: float = 0.06
    pitch_sigma_short: float = 0.12
    pitch_weight: float = 0.08
    pitch_cap: float = 2.0  # in sigmas
    # A new voice only from an utterance further from every known voice than the two most
    # alike known voices are from each other: by `new_voice_margin` in the centred comparison,
    # or by `new_voice_margin_raw` in raw cosine similarity (the centred one is unsteady while
    # the meeting's mean holds only a few utterances).
    new_voice_margin: float = 0.1
    new_voice_margin_raw: float = 0.08
    # Turn-taking: right after a question, the one who asked it is less likely to speak.
    after_question_penalty: float = 0.3
    # A question answers nothing: for an utterance that is itself a question (its text ends
    # with "?"), the one before is not a question it answers, so its asker is not held back
    # (the caseworker asking a second question before anyone answers; False: she is).
    question_not_answer: bool = True
    # Alternation: right after a line that is no question, its speaker is less likely to say
    # the next short utterance (under `after_line_max_s`): a one-word answer after one
    # client's line is the other client's reply, or the caseworker's acknowledgement. Never
    # the enrolled caseworker (her lines are told by her enrolment), and only when another
    # voice but hers is known that the utterance is not far from in pitch (`short_new_pitch`):
    # a client going on with a short line beside a child known from one word stays hers.
    after_line_penalty: float = 0.3
    after_line_max_s: float = 3.0
    # A short utterance that fits no voice starts a new one (known by too little until a long
    # utterance joins it: `_unsettled`) when its pitch level is this far (log F0) from every
    # known voice's, or when it answers a question by the only voice known.
    short_new_pitch: float = 0.25
    short_new_after_question: bool = True
    # A voice known only from short utterances keeps what it was given, but in the look-back
    # takes no utterance `short_new_pitch` or more from its pitch level (False: any).
    short_voice_keeps: bool = True
    # A long utterance less like the voice it fits best (raw cosine to its centroid) than
    # `stranger_max` AND than that voice's own long utterances are (the least alike of them,
    # each against the rest, less `stranger_margin`; at least `stranger_after` of them) is
    # someone new, however well it fits otherwise: with the caseworker and one client known,
    # a second client is nearer the client than the caseworker, so fitting is no evidence.
    stranger_after: int = 2
    stranger_max: float = 0.82
    stranger_margin: float = 0.02
    # The enrolled caseworker's floor in this meeting: once `floor_after` long utterances are
    # hers, a long utterance less like her enrolment (raw cosine) than their median less
    # `floor_margin` is not hers, however well it fits otherwise (0: no floor).
    floor_after: int = 4
    floor_margin: float = 0.10
    # Her short lines (`_hers_short`): a short utterance ("Precis.", "Jaha.") that fits a
    # client's voice best is the enrolled caseworker's all the same when it is clearly more
    # like her enrolment (raw cosine) than that voice's own utterances of its length are.
    # Short embeddings of different people are alike in their shortness, so her short
    # acknowledgements land nearer a voice that holds many one-word answers; but they stay
    # nearer her enrolment than the client's own short utterances do. (1) A voice known only
    # from short utterances (at least `short_unsettled_after`): more alike than their median
    # by `short_unsettled_margin`. (2) A voice with two long utterances or more and at least
    # `short_enrolled_after` short ones, right after a line given to that voice (her
    # acknowledgement of the client's answer): more alike than that voice's utterances of
    # the same length are expected to be (a straight line through their similarity against
    # their shortness) by `short_enrolled_margin`. Never right after her own question (a
    # short utterance there is an answer). 0 (after): never.
    short_unsettled_after: int = 2
    short_unsettled_margin: float = 0.08
    short_enrolled_after: int = 3
    short_enrolled_margin: float = 0.06
    # Two people heard as one voice (a second client who sounds like the first and never made
    # a voice of their own): once a voice holds `split_min` long utterances, they are parted in
    # two (2-means on the embeddings); if each part has `split_part_min` of them and the two
    # parts' centroids are less alike (raw cosine) than `split_max` AND than the other voices'
    # own halves are (their median, less `split_margin`), the later part is a new person.
    split_min: int = 6
    split_part_min: int = 2
    split_max: float = 0.82
    split_margin: float = 0.06
    # Relabelling with hindsight (`revisions`): an utterance heard before the voice it now
    # belongs to existed (a second client's early lines, taken for the first client's) is
    # given that voice's label, once that voice holds `revise_min_long` long utterances.
    # 0: never.
    revise_min_long: int = 2
    # A short utterance (its embedding scatters) is relabelled only once that voice holds
    # `revise_short_min_long` long utterances: with two, the look-back moved a client's
    # one-word answers to a second client of one voice type heard later.
    revise_short_min_long: int = 4
    # A line given the enrolled caseworker is kept hers if it is at least this alike (raw
    # cosine) to her enrolment: espeak variants of one voice (`sv`, `sv+m3`) are so alike
    # that the look-back moved her own early questions to a client heard later.
    revise_enrolled_max: float = 0.85


@dataclass(frozen=True)
class Attribution:
    role: SpeakerRole
    label: str
    confidence: float
    uncertain: bool = False
    change_at: float | None = None  # seconds into the utterance where another voice starts


@dataclass(frozen=True)
class Revision:
    """An utterance's label changed with hindsight (`SpeakerTracker.revisions`): `key` as
    given to `attribute`, the voice it now belongs to. Only a label, never a voice."""

    key: object
    role: SpeakerRole
    label: str
    confidence: float


@dataclass
class _Voice:
    label: str
    role: SpeakerRole
    total: Array  # weighted sum of the embeddings attributed to it (RAM only)
    weight: float
    anchor: Array | None = None  # the enrolment (the caseworker only)
    anchor_weight: float = 0.0
    pitch_total: float = 0.0
    pitch_weight: float = 0.0
    born: int = 0  # how many utterances the meeting had heard when this voice was made

    @property
    def fixed(self) -> bool:
        return self.anchor is not None

    @property
    def centroid(self) -> Array:
        if self.anchor is None:
            return unit(self.total)
        return unit(np.asarray(self.anchor * self.anchor_weight + self.total, np.float32))

    @property
    def pitch(self) -> float | None:
        return self.pitch_total / self.pitch_weight if self.pitch_weight > 0 else None

    def add(self, embedding: Array, weight: float, pitch: float | None) -> None:
        self.total = np.asarray(self.total + embedding * weight, np.float32)
        self.weight += weight
        if pitch is not None:
            self.pitch_total += pitch * weight
            self.pitch_weight += weight


@dataclass
class _Heard:
    """One utterance of the meeting as the tracker keeps it (RAM only)."""

    embedding: Array
    seconds: float
    pitch: float | None
    key: object = None  # the caller's name for it (the segment's start): for a correction
    given: str = ""  # the label it was given (or revised to)
    pinned: _Voice | None = None  # the caseworker said whose it is (a correction)
    index: int = 0  # its place in the meeting (0: the first utterance heard)
    revised: bool = False  # its label was changed once with hindsight (`revisions`)


@dataclass(frozen=True)
class _Checked:
    """What `change_in` did with one utterance's audio (RAM only, until the `attribute` of
    that audio): its windows, the change-point test's answer, the count of corrections then."""

    audio: Array
    partials: Array
    spans: list[tuple[float, float]]
    change: float | None
    corrections: int


@dataclass
class _State:
    voices: list[_Voice] = field(default_factory=list)
    persons: int = 0
    heard: int = 0
    total: Array | None = None  # sum of every utterance's embedding
    asked_by: _Voice | None = None  # the voice whose last utterance was a question
    said_by: _Voice | None = None  # the voice given the last utterance, if no question
    # Every utterance of the meeting so far: RAM only, for re-estimating the voices with
    # hindsight (`_refine`) and learning from a correction (`correct`).
    history: list[_Heard] = field(default_factory=list)
    owners: list[_Voice] = field(default_factory=list)  # the voice each was last assigned
    revised: list[Revision] = field(default_factory=list)  # not yet taken (`revisions`)

    def hear(self, embedding: Array) -> None:
        self.total = embedding.copy() if self.total is None else self.total + embedding
        self.heard += 1


class SpeakerTracker:
    """Online attribution for one meeting; call `attribute` in utterance order."""

    def __init__(
        self,
        encoder: SpeakerEncoder | None,
        enrolled: Array | None = None,
        options: AttributionOptions | None = None,
        enrolled_pitch: float | None = None,
    ) -> None:
        self.encoder = encoder
        self.opts = options or AttributionOptions()
        self._enrolled = None if enrolled is None else unit(enrolled)
        self._enrolled_pitch = enrolled_pitch
        self._state = self._fresh()
        self._lock = threading.Lock()
        # What `change_in` did with an utterance's audio, kept for the `attribute` of the same
        # audio that follows it (RAM only, dropped by that call or `close`): the windows it
        # embedded (embedded once, not twice) and the change-point test's answer (tested
        # once), with the count of corrections at the time: after a correction (the voices it
        # tested against changed) that answer is not used.
        self._checked: _Checked | None = None
        self._corrections = 0

    def _fresh(self) -> _State:
        state = _State()
        if self._enrolled is not None:
            zero = np.zeros_like(self._enrolled)
            voice = _Voice(
                CASEWORKER_LABEL,
                "caseworker",
                zero,
                0.0,
                self._enrolled,
                self.opts.enrolment_weight_s,
            )
            if self._enrolled_pitch is not None:
                voice.pitch_total = self._enrolled_pitch * self.opts.enrolment_weight_s
                voice.pitch_weight = self.opts.enrolment_weight_s
            state.voices.append(voice)
        return state

    @property
    def enrolled(self) -> bool:
        return self._enrolled is not None

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
        """Forget every voice heard (the meeting is over), and what the caseworker's voice
        learnt during it; only the enrolment stays."""
        with self._lock:
            self._state = self._fresh()
            self._checked = None
            self._corrections += 1

    @property
    def _centered(self) -> bool:
        """Centring needs two voices to tell apart: with one, the mean is that voice."""
        return self._state.heard >= self.opts.center_after and len(self._state.voices) >= 2

    def _short(self, seconds: float) -> float:
        return max(0.0, 1.0 - seconds / self.opts.short_s)

    def _threshold(self, voice: _Voice, seconds: float) -> float:
        o = self.opts
        short = self._short(seconds)
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

    def _pitch_cost(self, voice: _Voice, pitch: float | None, seconds: float) -> float:
        """Until her voice is heard in the meeting, the caseworker's pitch level is her
        reading's, which questions and conversation do not keep: no cost then."""
        if pitch is None or voice.pitch is None or (voice.fixed and voice.weight == 0):
            return 0.0
        o = self.opts
        sigma = o.pitch_sigma + (o.pitch_sigma_short - o.pitch_sigma) * self._short(seconds)
        z = min(o.pitch_cap, abs(pitch - voice.pitch) / sigma)
        return o.pitch_weight * z * z / 2

    def _pitch_costs(self, heard: list[_Heard]) -> npt.NDArray[np.float64]:
        """`_pitch_cost` of every utterance heard against every voice."""
        o = self.opts
        pitch = np.array([np.nan if h.pitch is None else h.pitch for h in heard])[:, None]
        levels = np.array([np.nan if v.pitch is None else v.pitch for v in self._state.voices])
        short = np.clip(1.0 - np.array([h.seconds for h in heard]) / o.short_s, 0.0, None)[:, None]
        sigma = o.pitch_sigma + (o.pitch_sigma_short - o.pitch_sigma) * short
        z = np.minimum(o.pitch_cap, np.abs(pitch - levels[None, :]) / sigma)
        return np.asarray(np.nan_to_num(o.pitch_weight * z * z / 2, nan=0.0), dtype=np.float64)

    def _scores(self, embedding: Array, pitch: float | None, seconds: float) -> list[float]:
        if not self._state.voices:
            return []
        voices = self._state.voices
        centroids = self._project(np.stack([v.centroid for v in voices]))
        sims = centroids @ self._project(embedding)
        out = []
        for voice, sim in zip(voices, sims, strict=True):
            score = float(sim) - self._pitch_cost(voice, pitch, seconds)
            if voice is self._state.asked_by and len(voices) >= 2:
                # Turn-taking prior: only among known voices (with one, the alternative is a
                # new voice, which needs the embedding's evidence, not the text's).
                score -= self.opts.after_question_penalty
            if (
                voice is self._state.said_by
                and not voice.fixed
                and seconds < self.opts.after_line_max_s
                and any(
                    not v.fixed and v is not voice and not self._pitch_apart(pitch, v)
                    for v in voices
                )
            ):
                # Alternation: the one who just made a statement is less likely to say
                # the next short utterance.
                score -= self.opts.after_line_penalty
            out.append(score)
        return out

    def attribute(self, audio: Array, text: str | None = None, key: object = None) -> Attribution:
        """The speaker of one utterance (16 kHz mono float32, and its words if known: a
        question shapes who is expected next); updates this meeting's voices. `key` names
        the utterance for a later `correct` (the live loop uses the segment's start)."""
        from device.voice.pitch import pitch_level

        if self.encoder is None:
            raise ValueError("a tracker without an encoder only assigns embedded utterances")
        with self._lock:
            checked, self._checked = self._checked, None
        known: tuple[float | None, int] | None = None
        if checked is not None and checked.audio is audio:  # `change_in` just embedded it
            partials, spans = checked.partials, checked.spans
            known = (checked.change, checked.corrections)
        else:
            partials, spans = self.encoder.embed_partials(audio)
        seconds = audio.size / SAMPLE_RATE
        return self._assign(partials, spans, seconds, pitch_level(audio), text, key, known)

    def change_in(self, audio: Array) -> float | None:
        """Where (seconds into `audio`) another voice clearly takes over inside the utterance,
        by the same test that marks an attributed utterance `uncertain` (`_change`); None
        when none does. Read only: nothing is learnt or kept, so the live loop can cut the
        utterance there first and attribute each piece on its own
        (`device.stages.speakers.SpeakerStage`). Embeds `audio` (only an utterance long
        enough to be checked, `change_min_s`); an `attribute` of the same audio object right
        after uses those windows, and this answer, instead of embedding it and testing it
        again (`_assign`)."""
        if self.encoder is None:
            raise ValueError("a tracker without an encoder only assigns embedded utterances")
        seconds = audio.size / SAMPLE_RATE
        if seconds < self.opts.change_min_s:
            return None
        partials, spans = self.encoder.embed_partials(audio)
        with self._lock:
            change = self._change(partials, spans, seconds)
            # for the `attribute` of this audio
            self._checked = _Checked(audio, partials, spans, change, self._corrections)
            return change

    def assign(
        self,
        partials: Array,
        spans: list[tuple[float, float]],
        seconds: float,
        pitch: float | None = None,
        text: str | None = None,
        key: object = None,
    ) -> Attribution:
        """The speaker of an utterance already embedded window by window (and its pitch
        level, `device.voice.pitch.pitch_level`)."""
        return self._assign(partials, spans, seconds, pitch, text, key, None)

    def _assign(
        self,
        partials: Array,
        spans: list[tuple[float, float]],
        seconds: float,
        pitch: float | None,
        text: str | None,
        key: object,
        known: tuple[float | None, int] | None,
    ) -> Attribution:
        """`assign`, with `known` the change-point test's answer for these windows as
        `change_in` just gave it, and the count of corrections then (None: not asked). That
        answer is used unless the voices the test compares with changed since: a correction
        came in between, or deciding made a new voice. Then the test runs again, as it
        always did here; so the result is always what testing here gives, and for every
        other utterance the test runs once."""
        embedding = unit(partials.mean(axis=0))
        asked = text is not None and text.rstrip().endswith("?")
        with self._lock:
            voices = len(self._state.voices)
            if asked and self.opts.question_not_answer:
                # A question answers nothing: the one before it has no asker here to hold
                # back (`asked_by` is set anew for every utterance once it is decided).
                self._state.asked_by = None
            voice, confidence = self._decide(embedding, pitch, seconds)
            if (
                known is not None
                and known[1] == self._corrections
                and len(self._state.voices) == voices
            ):
                change = known[0]
            else:
                change = self._change(partials, spans, seconds)
            if not voice.fixed or (change is None and confidence >= self.opts.adapt_min_confidence):
                voice.add(embedding, seconds, pitch)
            index = self._state.heard
            self._state.hear(embedding)
            heard = _Heard(embedding, seconds, pitch, key, voice.label, index=index)
            self._state.history.append(heard)
            self._state.owners.append(voice)
            del self._state.history[: -self.opts.history_max]
            del self._state.owners[: -self.opts.history_max]
            self._refine()
            if self._split():
                self._refine()
                # A voice split off in this very step may hold this utterance: it is not
                # committed yet, so it takes that voice's label now rather than being shown
                # with the old one and relabelled at once (`_revise`).
                owner = self._state.owners[-1]
                if owner is not voice and owner.born > index:
                    voice, heard.given = owner, owner.label
                    confidence = min(confidence, _REVISED_CONFIDENCE)
            self._revise()
            self._state.asked_by = voice if asked and change is None else None
            self._state.said_by = voice if not asked and change is None else None
        if change is not None:
            return Attribution(voice.role, voice.label, min(confidence, 0.5), True, change)
        return Attribution(voice.role, voice.label, confidence)

    def _floor(self) -> float | None:
        """The least raw similarity to the enrolment a long utterance of the caseworker has in
        this meeting: her own long utterances' median less `floor_margin` (None without an
        enrolment or before `floor_after` of them)."""
        o = self.opts
        state = self._state
        if self._enrolled is None or o.floor_after <= 0:
            return None
        own = [
            float(h.embedding @ self._enrolled)
            for h, who in zip(state.history, state.owners, strict=True)
            if who.fixed and h.seconds >= o.new_voice_min_s
        ]
        if len(own) < o.floor_after:
            return None
        return float(np.median(own)) - o.floor_margin

    def _below_floor(self, embedding: Array, seconds: float) -> bool:
        """Whether an utterance is long and below the caseworker's floor (`_floor`)."""
        if seconds < self.opts.new_voice_min_s or self._enrolled is None:
            return False
        floor = self._floor()
        return floor is not None and float(embedding @ self._enrolled) < floor

    def _decide(
        self, embedding: Array, pitch: float | None, seconds: float
    ) -> tuple[_Voice, float]:
        voices = self._state.voices
        scores = self._scores(embedding, pitch, seconds)
        if self._below_floor(embedding, seconds):
            scores = [-np.inf if v.fixed else x for v, x in zip(voices, scores, strict=True)]
        if voices:
            order = np.argsort(scores)[::-1]
            best = voices[int(order[0])]
            top = scores[int(order[0])]
            second = scores[int(order[1])] if len(order) > 1 else -1.0
            fits = top >= self._threshold(best, seconds)
            long = seconds >= self.opts.new_voice_min_s
            stranger = long and self._stranger(embedding, best)
            may_start = len(voices) < self.opts.max_voices and (
                stranger
                or (not fits and (self._apart(embedding) if long else self._newcomer(pitch, best)))
            )
            fits = fits and not stranger
            if not may_start and self._hers_short(embedding, seconds, best):
                her = next(v for v in voices if v.fixed)
                k = voices.index(her)
                return her, _confidence(scores[k], top, False, seconds, self.opts.short_s)
            if not may_start:
                return best, _confidence(top, second, fits, seconds, self.opts.short_s)
            # A voice the caseworker made from a short utterance (a correction) is known by
            # too little to tell it apart: the first long utterance that fits no voice is its.
            unsettled = [
                k
                for k, v in enumerate(voices)
                if self._unsettled(v) and not self._pitch_apart(pitch, v)
            ]
            if unsettled:
                k = max(unsettled, key=lambda j: scores[j])
                return voices[k], _confidence(scores[k], top, False, seconds, self.opts.short_s)
        self._state.persons += 1
        voice = _Voice(
            person_label(self._state.persons),
            "other",
            np.zeros_like(embedding),
            0.0,
            born=self._state.heard,
        )
        voices.append(voice)
        top_other = max(scores) if scores else -1.0
        return voice, _confidence(1.0, top_other, True, seconds, self.opts.short_s)

    def _hers_short(self, embedding: Array, seconds: float, best: _Voice) -> bool:
        """Whether a short utterance that fits a client's voice best is the enrolled
        caseworker's (see the options: `short_unsettled_*`, `short_enrolled_*`)."""
        o = self.opts
        state = self._state
        asked_by_her = state.asked_by is not None and state.asked_by.fixed
        if self._enrolled is None or best.fixed or seconds >= o.new_voice_min_s or asked_by_her:
            return False  # (right after her question a short utterance is an answer)
        mine = [h for h, who in zip(state.history, state.owners, strict=True) if who is best]
        shortness = np.array([self._short(h.seconds) for h in mine])
        alike = np.array([float(h.embedding @ self._enrolled) for h in mine])
        this = float(embedding @ self._enrolled)
        if self._unsettled(best):  # known only from short utterances
            return (
                0 < o.short_unsettled_after <= len(mine)
                and this >= float(np.median(alike)) + o.short_unsettled_margin
            )
        after_it = bool(state.history) and state.history[-1].given == best.label
        if o.short_enrolled_after <= 0 or not after_it:
            return False
        if (shortness > 0).sum() < o.short_enrolled_after or (shortness == 0).sum() < 2:
            return False
        design = np.stack([np.ones_like(shortness), shortness], axis=1)
        level, slope = np.linalg.lstsq(design, alike, rcond=None)[0]
        expected = float(level + slope * self._short(seconds))
        return this >= expected + o.short_enrolled_margin

    def _stranger(self, embedding: Array, voice: _Voice) -> bool:
        """Whether a long utterance is further from `voice` than its own long utterances
        are (see the options: `stranger_*`)."""
        o = self.opts
        if voice.fixed or o.stranger_after <= 0:
            return False
        state = self._state
        mine = [
            h
            for h, who in zip(state.history, state.owners, strict=True)
            if who is voice and h.seconds >= o.new_voice_min_s and h.pinned is None
        ]
        if len(mine) < o.stranger_after:
            return False
        vectors = np.stack([h.embedding * h.seconds for h in mine])
        total = vectors.sum(axis=0)
        own = min(
            float(h.embedding @ unit(np.asarray(total - v, np.float32)))
            for h, v in zip(mine, vectors, strict=True)
        )
        bar = min(o.stranger_max, own - o.stranger_margin)
        return float(embedding @ unit(np.asarray(total, np.float32))) < bar

    def _unsettled(self, voice: _Voice) -> bool:
        """A voice known only from short utterances (a correction, or `_newcomer`)."""
        state = self._state
        mine = [h for h, who in zip(state.history, state.owners, strict=True) if who is voice]
        return not voice.fixed and all(h.seconds < self.opts.new_voice_min_s for h in mine)

    def _newcomer(self, pitch: float | None, best: _Voice) -> bool:
        """Whether a short utterance that fits no voice is someone not heard yet: right after
        a question (its asker does not answer it), when no other voice is known or its pitch
        level is far (`short_new_pitch`, log F0) from every other known voice's."""
        o = self.opts
        asker = self._state.asked_by
        if not o.short_new_after_question or asker is None:
            return False
        others = [v for v in self._state.voices if v is not asker]
        if not others:
            return True
        return all(self._pitch_apart(pitch, v) for v in others)

    def _pitch_apart(self, pitch: float | None, voice: _Voice) -> bool:
        """Whether a pitch level is clearly not this voice's (`short_new_pitch` apart)."""
        o = self.opts
        if pitch is None or voice.pitch is None or o.short_new_pitch <= 0:
            return False
        return abs(pitch - voice.pitch) > o.short_new_pitch

    def _apart(self, embedding: Array) -> bool:
        """Whether an utterance that fits no voice is someone new: it is further from every
        known voice than the two most alike known voices are from each other (centred, or
        raw: see the options), or far below what its nearest voice's own utterances score."""
        voices = self._state.voices
        if len(voices) < 2:
            return True
        o = self.opts
        raw = np.stack([v.centroid for v in voices])
        for c, e, margin in (
            (self._project(raw), self._project(embedding), o.new_voice_margin),
            (raw, embedding, -o.new_voice_margin_raw),
        ):
            pairs = c @ c.T
            closest = float(pairs[np.triu_indices(len(voices), 1)].max())
            if float((c @ e).max()) < closest + margin:
                return True
        return False

    def _refine(self) -> None:
        """Hindsight: re-assign every utterance heard so far to the voice it is nearest to
        now (embedding and pitch), and re-estimate each voice from its utterances. Early
        mistakes then stop pulling a voice towards someone else. An utterance the caseworker
        corrected stays with the voice she gave it. The labels already given are not changed
        (they are committed); the next decisions use the better voices."""
        state = self._state
        if self.opts.refine_rounds <= 0 or not self._centered or len(state.voices) < 2:
            return
        embeddings = np.stack([h.embedding for h in state.history])
        for _ in range(self.opts.refine_rounds):
            sims = (
                self._project(embeddings)
                @ self._project(np.stack([v.centroid for v in state.voices])).T
            ).astype(np.float64)
            rows = sims - self._pitch_costs(state.history)
            if self.opts.short_voice_keeps:
                # A voice known only from short utterances (`_unsettled`) keeps what it was
                # given but takes nothing far from it in pitch: short embeddings of different
                # people are alike in their shortness, so it took other people's one-word
                # answers, its pitch level followed them, and its own speaker's first long
                # utterance no longer joined it (`_decide`).
                for k, voice in enumerate(state.voices):
                    if self._unsettled(voice):
                        rows[
                            [
                                who is not voice and self._pitch_apart(h.pitch, voice)
                                for h, who in zip(state.history, state.owners, strict=True)
                            ],
                            k,
                        ] = -np.inf
            nearest = np.argmax(rows, axis=1)
            state.owners = [
                h.pinned if h.pinned is not None else state.voices[int(k)]
                for h, k in zip(state.history, nearest, strict=True)
            ]
            owned = {id(v) for v in state.owners}
            kept = [v for v in state.voices if v.fixed or id(v) in owned]
            if len(kept) < len(state.voices):  # a voice nobody sounds like any more: a stray
                state.voices = kept
                continue
            self._reestimate(embeddings)

    def revisions(self) -> list[Revision]:
        """The labels changed with hindsight since the last call (see `_revise`), oldest
        utterance first; the caller shows each as the device's revision of a committed line."""
        with self._lock:
            out, self._state.revised = self._state.revised, []
        return out

    def _revise(self) -> None:
        """Relabel, once, each utterance heard before the voice it now belongs to existed:
        a second client's early lines taken for the first client's (or the caseworker's),
        before the second client's voice was made (`_stranger`, `_split`, a new voice, a
        correction). Only once that voice is settled (`revise_min_long` long utterances of
        its own), never an utterance the caseworker corrected, never one that sounds like
        the enrolment given to her (`revise_enrolled_max`), and never one whose voice already
        existed when it was heard (that label was the tracker's choice among the voices it
        knew; changing it would be second-guessing, not new knowledge)."""
        o = self.opts
        state = self._state
        if o.revise_min_long <= 0:
            return
        long: dict[int, int] = {}
        for h, who in zip(state.history, state.owners, strict=True):
            if h.seconds >= o.new_voice_min_s:
                long[id(who)] = long.get(id(who), 0) + 1
        by_label = {v.label: v for v in state.voices}
        for h, who in zip(state.history, state.owners, strict=True):
            if (
                h.pinned is not None
                or h.revised
                or who.label == h.given
                or h.index >= who.born
                or long.get(id(who), 0) < o.revise_min_long
                or (
                    h.seconds < o.new_voice_min_s and long.get(id(who), 0) < o.revise_short_min_long
                )
            ):
                continue
            old = by_label.get(h.given)
            if (
                old is not None
                and old.fixed
                and self._enrolled is not None
                and float(h.embedding @ self._enrolled) >= o.revise_enrolled_max
            ):
                continue
            h.given, h.revised = who.label, True
            state.revised.append(Revision(h.key, who.role, who.label, _REVISED_CONFIDENCE))

    def _split(self) -> bool:
        """Part a voice that holds two people (see the options: `split_*`): the part heard
        later becomes a new person, and the look-back then sorts the short utterances. The
        bar is set by this meeting's other voices (how alike their own halves are: room,
        microphone and language shape that), and never above `split_max`."""
        o = self.opts
        state = self._state
        if o.split_min <= 0 or len(state.voices) >= o.max_voices:
            return False
        found: list[tuple[_Voice, list[int], npt.NDArray[np.bool_], float]] = []
        own_halves: dict[int, float] = {}
        for voice in state.voices:
            at = [
                i
                for i, (h, who) in enumerate(zip(state.history, state.owners, strict=True))
                if who is voice and h.seconds >= o.new_voice_min_s and h.pinned is None
            ]
            if len(at) < o.split_min:
                continue
            second, alike = _halves(np.stack([state.history[i].embedding for i in at]))
            own_halves[id(voice)] = alike
            parts = (int(second.sum()), int((~second).sum()))
            if not voice.fixed and min(parts) >= o.split_part_min:
                found.append((voice, at, second, alike))
        if not found or len(own_halves) < 2:
            return False
        voice, at, second, alike = min(found, key=lambda f: f[3])
        others = [a for k, a in own_halves.items() if k != id(voice)]
        if alike >= min(o.split_max, float(np.median(others)) - o.split_margin):
            return False
        if second[0]:  # the part holding the voice's first long utterance keeps its label
            second = ~second
        state.persons += 1
        new = _Voice(
            person_label(state.persons), "other", np.zeros_like(voice.total), 0.0, born=state.heard
        )
        state.voices.append(new)
        for i, later in zip(at, second, strict=True):
            if later:
                state.owners[i] = new
        self._reestimate()
        return True

    def _reestimate(self, embeddings: Array | None = None) -> None:
        """Each voice's embedding and pitch level from the utterances it now owns (the
        caseworker's also from her enrolment)."""
        state = self._state
        if embeddings is None:
            embeddings = np.stack([h.embedding for h in state.history])
        seconds = np.array([h.seconds for h in state.history])
        for voice in state.voices:
            members = np.array([who is voice for who in state.owners], dtype=bool)
            if not members.any():
                continue
            w = seconds[members]
            voice.total = np.asarray((embeddings[members] * w[:, None]).sum(axis=0), np.float32)
            voice.weight = float(w.sum())
            pitched = [
                (h.pitch, h.seconds)
                for h, m in zip(state.history, members, strict=True)
                if m and h.pitch is not None
            ]
            anchor_w = self.opts.enrolment_weight_s if voice.fixed else 0.0
            anchor_p = (self._enrolled_pitch or 0.0) * anchor_w if voice.fixed else 0.0
            if voice.fixed and self._enrolled_pitch is None:
                anchor_w = 0.0
            voice.pitch_total = anchor_p + sum(p * s for p, s in pitched)
            voice.pitch_weight = anchor_w + sum(s for _p, s in pitched)

    def correct(self, key: object, label: str) -> bool:
        """The caseworker says utterance `key` (as given to `attribute`) was `label`'s: the
        tracker learns from it (RAM only, like everything it holds). The utterance moves to
        that voice (made if the tracker has none of that label: a new person, or
        `handläggare` without an enrolment) and stays there; the voices are re-estimated, so
        later utterances of that voice follow. If the utterance is long and sounds like the
        rest of the voice it was given, the caseworker is saying that voice is `label`: the
        whole voice takes the label. Committed labels are not changed here (the caller holds
        them). False when the utterance is no longer held (too short to attribute, heard
        before a restart, or beyond `history_max`)."""
        self.label_taken(label)
        with self._lock:
            self._corrections += 1  # the voices `change_in` tested against change
            state = self._state
            at = next((i for i, h in enumerate(state.history) if h.key == key), None)
            if at is None:
                return False
            heard = state.history[at]
            target = next((v for v in state.voices if v.label == label), None)
            given = next((v for v in state.voices if v.label == heard.given), None)
            if given is not None and given is not target and self._whole_voice(at, given):
                if target is None:  # the voice is someone the tracker had no name for
                    given.label = label
                    given.role = "caseworker" if label == CASEWORKER_LABEL else "other"
                    target = given
                elif not given.fixed:  # one voice heard as two: join them
                    state.owners = [target if v is given else v for v in state.owners]
                    state.voices = [v for v in state.voices if v is not given]
                    if state.asked_by is given:
                        state.asked_by = target
                    if state.said_by is given:
                        state.said_by = target
            if target is None:
                role: SpeakerRole = "caseworker" if label == CASEWORKER_LABEL else "other"
                target = _Voice(label, role, np.zeros_like(heard.embedding), 0.0, born=state.heard)
                state.voices.append(target)
            heard.pinned = target
            state.owners[at] = target
            owned = {id(v) for v in state.owners}
            state.voices = [v for v in state.voices if v.fixed or id(v) in owned]
            if state.asked_by is not None and id(state.asked_by) not in owned:
                state.asked_by = None
            if state.said_by is not None and id(state.said_by) not in owned:
                state.said_by = None
            self._reestimate()
            self._refine()
            return True

    def _whole_voice(self, at: int, voice: _Voice) -> bool:
        """Whether utterance `at` (long enough to trust its embedding) sounds like the other
        utterances of `voice` do: within one standard deviation of their own similarity to
        the voice without it (at least two other long ones: a younger voice may be a mixture
        of two people, so only the line moves; a voice of that line alone simply goes)."""
        state = self._state
        heard = state.history[at]
        if heard.seconds < self.opts.new_voice_min_s or voice.fixed:
            return False
        others = [
            h
            for i, (h, who) in enumerate(zip(state.history, state.owners, strict=True))
            if who is voice and i != at and h.pinned is None
        ]
        long = [h for h in others if h.seconds >= self.opts.new_voice_min_s]
        if len(long) < 2:
            return False
        centroid = unit(np.sum([h.embedding * h.seconds for h in others], axis=0))
        own = np.array([float(h.embedding @ centroid) for h in long])
        return float(heard.embedding @ centroid) >= float(own.mean() - own.std())

    def _change(
        self, partials: Array, spans: list[tuple[float, float]], seconds: float
    ) -> float | None:
        """Where another voice clearly takes over inside the utterance, if one does: a
        change-point test over its windows (`_change_point`); the time of the change, in
        seconds into the utterance's voiced audio."""
        if seconds < self.opts.change_min_s or len(partials) < 2:
            return None
        k = self._change_point(partials)
        if k is None:
            return None
        return round(spans[k][0] + (spans[k - 1][1] - spans[k][0]) / 2, 2)

    def _change_point(self, partials: Array) -> int | None:
        """The window another voice begins with, if one does. Every stretch of windows is
        tried against the rest of the utterance — a stretch at the start or the end (one
        change: A-B) or in the middle (two: A-B-A, a question, its answer and the next
        question), at least `change_min_windows` windows on each side (one when there are
        only three) — each side's windows averaged, so one odd window decides nothing. It is
        a change when (1) the two sides fit two different known voices, each by at least
        `change_margin` (centred, as attribution compares), or (2) the two sides are less
        alike (raw cosine) than `change_self_max`, which no voice is with itself — this needs
        no known voice, so it also finds a voice the meeting has not heard alone yet (turns
        so quick that every utterance holds two). Of the changes, the one with the most
        evidence (how clear, times its smaller side's windows) wins; its first boundary is
        the change (the live loop checks each piece again)."""
        o = self.opts
        n = len(partials)
        m = o.change_min_windows if n > 2 * o.change_min_windows else 1
        if n < 2 * m:
            return None
        raw = np.vstack([np.zeros((1, partials.shape[1])), np.cumsum(partials, axis=0)])
        voices = self._state.voices
        fits = None
        if len(voices) >= 2:
            centroids = self._project(np.stack([v.centroid for v in voices]))
            sims = self._project(partials) @ centroids.T  # (windows, voices)
            fits = np.vstack([np.zeros((1, len(voices))), np.cumsum(sims, axis=0)])
        found: tuple[float, int] | None = None
        for i in range(n - m + 1):
            for j in range(i + m, n + 1):
                outside = n - (j - i)
                if outside < m:
                    continue
                inner = raw[j] - raw[i]
                outer = raw[n] - inner
                alike = float(unit(inner) @ unit(outer))
                clarity = o.change_self_max - alike
                if fits is not None:
                    a_in = (fits[j] - fits[i]) / (j - i)
                    a_out = (fits[n] - fits[j] + fits[i]) / outside
                    a, b = int(a_out.argmax()), int(a_in.argmax())
                    if a != b:
                        gap = min(a_out[a] - a_out[b], a_in[b] - a_in[a]) - o.change_margin
                        clarity = max(clarity, float(gap))
                # The stretch with the most evidence wins: how clear, times the windows of
                # its smaller side (the purest two windows would cut a turn in the middle).
                weight = clarity * min(j - i, outside)
                if clarity > 0 and (found is None or weight > found[0]):
                    found = (weight, i if i > 0 else j)
        return None if found is None else found[1]


def _halves(embeddings: Array, rounds: int = 10) -> tuple[npt.NDArray[np.bool_], float]:
    """Unit embeddings parted in two by 2-means on cosine similarity, started from the two
    least alike: which are in the second part, and how alike the two parts' centroids are."""
    sims = embeddings @ embeddings.T
    i, j = np.unravel_index(int(np.argmin(sims)), sims.shape)
    centres = np.stack([embeddings[i], embeddings[j]])
    second = np.zeros(len(embeddings), dtype=bool)
    for _ in range(rounds):
        nearest = (embeddings @ centres.T).argmax(axis=1) == 1
        if nearest.all() or not nearest.any():
            break
        second = nearest
        centres = np.stack([unit(embeddings[~k].mean(axis=0)) for k in (second, ~second)])
    return second, float(centres[0] @ centres[1])


def _confidence(top: float, second: float, fits: bool, seconds: float, short_s: float) -> float:
    """0..1: how clearly the chosen voice beats the next one, lower for short or unmatched."""
    margin = top - second if second > -1.0 else 0.3
    value = min(1.0, max(0.0, margin / 0.6))
    value = 0.5 + 0.5 * value if fits else 0.4 * value
    if seconds < short_s:
        value *= 0.5 + 0.5 * seconds / short_s
    return round(min(1.0, max(0.0, value)), 2)
