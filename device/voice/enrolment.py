"""The caseworker's enrolled voice: one embedding, in the device's encrypted store only.

`fredag voice enroll` has the caseworker read `ENROL_TEXT` (about 20 s of Swedish) and stores
the unit-length mean of its 1.6 s windows' embeddings in the encrypted blob `voice-caseworker`
(AES-256-GCM, `device.journal.store`), with the speaker model's sha256 so an enrolment made
with another model is not trusted. It never leaves the device: it is not part of a session, a
draft, a signed envelope or anything synced. `fredag voice forget` deletes it; a new
enrolment replaces it.

Since this session it also keeps her pitch level (`device.voice.pitch.pitch_level`, one
number) under `pitch`; an enrolment without it still loads (the level is then learnt during
each meeting).

This is the only voice embedding Fredag ever writes, and only with the caseworker's own action.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import numpy as np

from device.journal.store import Store
from device.voice.encoder import SAMPLE_RATE, Array, SpeakerEncoder, unit, voiced
from fredag.errors import AudioError, StoreError

BLOB = "voice-caseworker"
FORMAT = "fredag.voice/1"
MIN_SPEECH_S = 8.0
QUIET_DBFS = -45.0  # the loud part of a reading below this: too far from the mic, or muted
ENROL_TEXT = (
    "Jag heter Kim och jag arbetar som socialsekreterare här i kommunen. Mitt uppdrag är att "
    "lyssna på barn och föräldrar och att skriva ner det som sägs på ett riktigt sätt. "
    "I dag är det fredag. Vädret är kallt, men solen skiner över sjön och skogen, och på "
    "eftermiddagen ska jag träffa en familj som bor i det gula huset vid torget."
)


@dataclass(frozen=True)
class Enrolment:
    embedding: Array
    model_sha256: str
    speech_s: float
    created_at: datetime
    pitch: float | None = None  # log F0 level of her reading (device.voice.pitch)


def loudness_dbfs(audio: Array) -> float:
    """How loud the reading's loud part is: the 95th percentile of its 30 ms windows' RMS, in
    dBFS (-inf for silence). Speech close to a working microphone is about -30 to -15."""
    win = SAMPLE_RATE * 30 // 1000
    n = audio.size // win
    if n == 0:
        return -math.inf
    frames = audio[: n * win].reshape(n, win)
    rms = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1))
    loud = float(np.percentile(rms, 95))
    return 20 * math.log10(loud) if loud > 0 else -math.inf


@dataclass(frozen=True)
class Reading:
    """What a reading of `ENROL_TEXT` gave: `problem` is None (usable), ``too_quiet`` or
    ``too_short``; the touch screen and `fredag voice enroll` say the same from it."""

    speech_s: float
    loudness_dbfs: float
    problem: Literal["too_quiet", "too_short"] | None


def check_reading(audio: Array) -> Reading:
    """Whether a reading can be an enrolment: loud enough, with enough speech."""
    loudness = loudness_dbfs(audio)
    if loudness < QUIET_DBFS:
        return Reading(0.0, loudness, "too_quiet")
    speech_s = round(voiced(audio).size / SAMPLE_RATE, 1)
    return Reading(speech_s, loudness, "too_short" if speech_s < MIN_SPEECH_S else None)


def embed_enrolment(encoder: SpeakerEncoder, audio: Array) -> Enrolment:
    """The caseworker's voice from a reading; `AudioError` if it is too quiet or holds too
    little speech (`check_reading`)."""
    reading = check_reading(audio)
    if reading.problem == "too_quiet":
        raise AudioError(
            f"the reading is too quiet ({reading.loudness_dbfs:.0f} dBFS): hold the device "
            "closer and read a little louder"
        )
    if reading.problem == "too_short":
        raise AudioError(
            f"only {reading.speech_s:.1f} s of speech: read the whole text aloud (at least "
            f"{MIN_SPEECH_S:.0f} s of speech is needed)"
        )
    from device.voice.pitch import pitch_level

    level = pitch_level(audio)
    return Enrolment(
        encoder.embed(audio),
        encoder.sha256,
        reading.speech_s,
        datetime.now(UTC),
        None if level is None else round(level, 4),
    )


def save(store: Store, enrolment: Enrolment) -> None:
    record = {
        "format": FORMAT,
        "embedding": [round(float(x), 6) for x in enrolment.embedding],
        "model_sha256": enrolment.model_sha256,
        "speech_s": enrolment.speech_s,
        "created_at": enrolment.created_at.isoformat(),
    }
    if enrolment.pitch is not None:
        record["pitch"] = enrolment.pitch
    store.put_blob(BLOB, json.dumps(record).encode())


def load(store: Store, model_sha256: str | None = None) -> Enrolment | None:
    """The stored enrolment; None if there is none, or it was made with another model."""
    raw = store.get_blob(BLOB)
    if raw is None:
        return None
    try:
        record = json.loads(raw)
        if record.get("format") != FORMAT:
            raise ValueError("unknown format")
        enrolment = Enrolment(
            unit(np.asarray(record["embedding"], dtype=np.float32)),
            str(record["model_sha256"]),
            float(record["speech_s"]),
            datetime.fromisoformat(record["created_at"]),
            None if record.get("pitch") is None else float(record["pitch"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"the stored voice enrolment is damaged ({exc})") from exc
    if model_sha256 is not None and enrolment.model_sha256 != model_sha256:
        return None
    return enrolment


def forget(store: Store) -> bool:
    """Delete the enrolment; True if there was one."""
    existed = store.get_blob(BLOB) is not None
    store.delete_blob(BLOB)
    return existed
