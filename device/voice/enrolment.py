"""The caseworker's enrolled voice: one embedding, in the device's encrypted store only.

`fredag voice enroll` has the caseworker read `ENROL_TEXT` (about 20 s of Swedish) and stores
the unit-length mean of its 1.6 s windows' embeddings in the encrypted blob `voice-caseworker`
(AES-256-GCM, `device.journal.store`), with the speaker model's sha256 so an enrolment made
with another model is not trusted. It never leaves the device: it is not part of a session, a
draft, a signed envelope or anything synced. `fredag voice forget` deletes it; a new
enrolment replaces it.

This is the only voice embedding Fredag ever writes, and only with the caseworker's own action.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from device.journal.store import Store
from device.voice.encoder import SAMPLE_RATE, Array, SpeakerEncoder, unit, voiced
from fredag.errors import AudioError, StoreError

BLOB = "voice-caseworker"
FORMAT = "fredag.voice/1"
MIN_SPEECH_S = 8.0
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


def embed_enrolment(encoder: SpeakerEncoder, audio: Array) -> Enrolment:
    """The caseworker's voice from a reading; `AudioError` if there is too little speech."""
    speech_s = voiced(audio).size / SAMPLE_RATE
    if speech_s < MIN_SPEECH_S:
        raise AudioError(
            f"only {speech_s:.1f} s of speech: read the whole text aloud (at least "
            f"{MIN_SPEECH_S:.0f} s of speech is needed)"
        )
    return Enrolment(encoder.embed(audio), encoder.sha256, round(speech_s, 1), datetime.now(UTC))


def save(store: Store, enrolment: Enrolment) -> None:
    record = {
        "format": FORMAT,
        "embedding": [round(float(x), 6) for x in enrolment.embedding],
        "model_sha256": enrolment.model_sha256,
        "speech_s": enrolment.speech_s,
        "created_at": enrolment.created_at.isoformat(),
    }
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
