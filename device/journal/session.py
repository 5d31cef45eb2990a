"""A meeting session: its metadata, its journal in the encrypted store, and its state.

A session's journal (see `device.journal.store`) holds, in order:

* ``{"type": "meta", ...}``: the `SessionMeta`, written before any audio is captured;
* ``{"type": "segment", "start", "end", "text", "speaker", "seq", "words"}``: each committed
  segment, the moment it is committed (committed text never changes, so it is never
  rewritten); its speaker's label, role and confidence when attributed, never a voice
  embedding; ``words`` (when the decode heard word times) the recogniser's words with their
  times and probabilities, ``[{"start", "end", "word", "probability"}]``, which the tagger
  reads, so a session tagged from its journal (resumed, finished) reads as it did live;
* ``{"type": "factors", "through", "tags", "denied", "catalogue_version", "catalogue_sha256",
  "persons"}``: the factors found in the segments committed last, written right after them and
  before they are shown; ``through`` counts the segments tagged so far (tag once: the draft is
  built from these records, `device.stages.factors`); ``persons`` who is who as that reading
  took it in those segments (``{"naming": [[segment, start, end], ...], "named": [[segment,
  start, segment, start, end], ...]}``: the words naming another person, and each
  "han"/"hon" read as one with the word that named them). A record without it (written
  before taggings carried it) leaves who is who unknown and the draft reads it again;
* ``{"type": "mark", "at"}``: the caseworker marked this moment (meeting seconds);
* ``{"type": "speaker", "segment", "start", "label", "role"}``: the caseworker corrected who
  said segment number ``segment`` (which starts at ``start``); replayed over the segment's
  own speaker, the last correction winning (`device.stages.relabel`). A label, never a voice.
  When the correction changes what the tagger reads there, the same record holds the
  revision, ``"factors": {"first", "through", "tags", "denied", "persons"}``: the factors
  now noted in segments ``first`` ≤ i < ``through`` and who is who there, replacing what the
  records before noted there
  (`device.stages.factors.Revision`; one record, so a crash keeps both or neither);
  with ``"by": "device", "confidence"`` the record is the device's own revision of the
  label (the speaker tracker recognised the voice only later: `device.stages.relabel`), replayed
  as a speaker marked ``revised``; a record without ``by`` is the caseworker's;
* ``{"type": "state", "state": "recording|paused|resumed|stopped|finished", "at", "audio_s"}``;
* ``{"type": "draft", "envelope": {...}}``: the signed draft once the session is finished.

A session whose last state is not ``stopped`` or ``finished`` was interrupted (a crash, a kill,
a power loss); `fredag sessions` lists it and it can be resumed or finished.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import ValidationError

from device.journal.store import Journal, Store
from device.stages.factors import Revision, persons_replaced, revised
from device.stages.tagging import FoundTag, Tagging
from device.stages.transcribe import HeardWord, word_from_json, word_json
from fredag.errors import ConsentRequired, StoreError, UsageError
from fredag.protocol import CaseType, Meeting, ModelInfo, Segment
from risk_factors.tagger import Persons

CONTACT_TYPES = ("besök", "hembesök", "telefon", "videosamtal", "nätverksmöte", "skolbesök")
CASE_REF = re.compile(r"^[\w./:-]{1,64}$")
SessionState = Literal["recording", "paused", "resumed", "stopped", "finished"]
OPEN_STATES = ("recording", "paused", "resumed")


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SessionMeta:
    """What a caseworker states before a meeting is recorded."""

    case_ref: str
    case_type: CaseType
    contact_type: str
    present: tuple[str, ...]
    caseworker: str
    consent_confirmed: bool
    started_at: datetime = field(default_factory=now)
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    keep_audio: bool = False

    def __post_init__(self) -> None:
        if not self.consent_confirmed:
            raise ConsentRequired(
                "no recording without consent: confirm that the client was told about the "
                "recording and agreed (--consent)"
            )
        if not CASE_REF.match(self.case_ref):
            raise UsageError(
                f"not a valid case reference: {self.case_ref!r} "
                "(letters, digits and . / : - _, at most 64)"
            )
        if self.case_type not in ("barn", "vuxen"):
            raise UsageError(f"case type must be barn or vuxen, not {self.case_type!r}")
        if not self.contact_type.strip():
            raise UsageError("a contact type is needed (e.g. besök, hembesök, telefon)")
        if not self.caseworker.strip():
            raise UsageError("the caseworker's name is needed (--caseworker)")

    def to_record(self) -> dict[str, Any]:
        data = asdict(self)
        data["present"] = list(self.present)
        data["started_at"] = self.started_at.isoformat()
        return {"type": "meta", **data}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> SessionMeta:
        try:
            return cls(
                case_ref=record["case_ref"],
                case_type=record["case_type"],
                contact_type=record["contact_type"],
                present=tuple(record["present"]),
                caseworker=record["caseworker"],
                consent_confirmed=record["consent_confirmed"],
                started_at=datetime.fromisoformat(record["started_at"]),
                session_id=record["session_id"],
                keep_audio=bool(record.get("keep_audio", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"a session's metadata record is damaged ({exc})") from exc

    def meeting(self, ended_at: datetime) -> Meeting:
        return Meeting(
            case_ref=self.case_ref,
            case_type=self.case_type,
            contact_type=self.contact_type,
            present=list(self.present),
            caseworker=self.caseworker,
            consent_confirmed=True,
            started_at=self.started_at,
            ended_at=ended_at,
        )


@dataclass(frozen=True)
class SessionRecord:
    """A session as replayed from its journal."""

    meta: SessionMeta
    segments: tuple[Segment, ...]
    state: SessionState
    audio_s: float
    last_at: datetime
    envelope: dict[str, Any] | None
    torn_tail: bool
    model: ModelInfo | None = None
    language: str = "sv"
    marks: tuple[float, ...] = ()
    noted: Tagging | None = None  # the factors noted so far, from the "factors" records
    tagged_through: int = 0  # how many of `segments` were tagged
    words: tuple[tuple[HeardWord, ...], ...] = ()  # each segment's heard words (or none)

    @property
    def interrupted(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def finished(self) -> bool:
        return self.state == "finished"


class SessionLog:
    """Writes one session's records to its journal as the meeting goes on."""

    def __init__(self, store: Store, session_id: str) -> None:
        self.store = store
        self.session_id = session_id
        self.journal: Journal = store.session_journal(session_id)
        self._seq = 0

    @classmethod
    def create(cls, store: Store, meta: SessionMeta) -> SessionLog:
        log = cls(store, meta.session_id)
        if log.journal.path.exists():
            raise StoreError(f"session {meta.session_id} exists already")
        log.journal.append(meta.to_record())
        log.state("recording", 0.0)
        return log

    @classmethod
    def reopen(cls, store: Store, session_id: str) -> tuple[SessionLog, SessionRecord]:
        record = load_session(store, session_id)
        log = cls(store, session_id)
        log._seq = len(record.segments)
        return log, record

    def segment(self, segment: Segment, words: tuple[HeardWord, ...] = ()) -> None:
        # Every field of the segment, so what a post-decode stage adds (a speaker) is kept,
        # and the words heard in it (the tagger reads them: tag once from the journal too).
        record: dict[str, Any] = {"type": "segment", "seq": self._seq, **segment.model_dump()}
        if words:
            record["words"] = [word_json(w) for w in words]
        self.journal.append(record)
        self._seq += 1

    def state(self, state: SessionState, audio_s: float) -> None:
        self.journal.append(
            {"type": "state", "state": state, "at": now().isoformat(), "audio_s": audio_s}
        )

    def factors(self, new: Tagging, through: int) -> None:
        self.journal.append(
            {
                "type": "factors",
                "through": through,
                "tags": [asdict(t) for t in new.tags],
                "denied": [asdict(t) for t in new.denied],
                "catalogue_version": new.catalogue_version,
                "catalogue_sha256": new.catalogue_sha256,
                **_persons_record(new.persons),
            }
        )

    def mark(self, at_s: float) -> None:
        self.journal.append({"type": "mark", "at": round(at_s, 2)})

    def speaker(self, index: int, segment: Segment, revision: Revision | None = None) -> None:
        """The caseworker's correction of segment `index`'s speaker (already on `segment`),
        or the device's revision of it (`segment.speaker.revised`), with the factors it
        revises (in the same record)."""
        assert segment.speaker is not None
        record: dict[str, Any] = {
            "type": "speaker",
            "segment": index,
            "start": segment.start,
            "label": segment.speaker.label,
            "role": segment.speaker.role,
        }
        if segment.speaker.revised:
            record["by"] = "device"
            record["confidence"] = segment.speaker.confidence
        if revision is not None:
            record["factors"] = {
                "first": revision.first,
                "through": revision.through,
                "tags": [asdict(t) for t in revision.tags],
                "denied": [asdict(t) for t in revision.denied],
                **_persons_record(revision.persons),
            }
        self.journal.append(record)

    def model(self, model: ModelInfo, language: str) -> None:
        self.journal.append({"type": "model", **model.model_dump(), "language": language})

    def draft(self, envelope: dict[str, Any]) -> None:
        self.journal.append({"type": "draft", "envelope": envelope})


def load_session(store: Store, session_id: str) -> SessionRecord:
    journal = store.session_journal(session_id)
    if not journal.path.exists():
        raise UsageError(f"no session {session_id!r} on this device (see `fredag sessions`)")
    result = journal.read_all()
    records = result.records
    if not records or records[0].get("type") != "meta":
        raise StoreError(f"session {session_id} has no metadata; it cannot be used")
    meta = SessionMeta.from_record(records[0])
    segments: list[Segment] = []
    words: list[tuple[HeardWord, ...]] = []
    state: SessionState = "recording"
    audio_s = 0.0
    last_at = meta.started_at
    envelope: dict[str, Any] | None = None
    model: ModelInfo | None = None
    language = "sv"
    marks: list[float] = []
    noted: Tagging | None = None
    tagged_through = 0
    corrections: list[dict[str, Any]] = []
    for rec in records[1:]:
        kind = rec.get("type")
        if kind == "segment":
            segments.append(_segment(rec))
            words.append(_words(rec))
            audio_s = max(audio_s, float(rec["end"]))
        elif kind == "state":
            state = rec["state"]
            audio_s = max(audio_s, float(rec.get("audio_s", 0.0)))
            last_at = datetime.fromisoformat(rec["at"])
        elif kind == "draft":
            envelope = rec["envelope"]
        elif kind == "factors":
            noted = _add_factors(noted, rec)
            tagged_through = int(rec["through"])
        elif kind == "mark":
            marks.append(float(rec["at"]))
        elif kind == "speaker":
            corrections.append(rec)
            if "factors" in rec and noted is not None:
                noted = _revise_factors(noted, rec["factors"])
        elif kind == "model":
            model = ModelInfo(name=rec["name"], sha256=rec["sha256"])
            language = rec.get("language", language)
    for rec in corrections:
        _correct(segments, rec)
    return SessionRecord(
        meta,
        tuple(segments),
        state,
        audio_s,
        last_at,
        envelope,
        result.torn_tail,
        model,
        language,
        tuple(marks),
        noted,
        tagged_through,
        tuple(words),
    )


def _segment(rec: dict[str, Any]) -> Segment:
    try:
        # The segment's own fields; the journal adds its bookkeeping (type, seq, merged_from).
        return Segment.model_validate({k: v for k, v in rec.items() if k in Segment.model_fields})
    except ValidationError as exc:
        raise StoreError(f"a session's segment record is damaged ({exc})") from exc


def _words(rec: dict[str, Any]) -> tuple[HeardWord, ...]:
    try:
        return tuple(word_from_json(w) for w in rec.get("words") or ())
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"a session's segment record is damaged ({exc})") from exc


def _correct(segments: list[Segment], rec: dict[str, Any]) -> None:
    """Apply one speaker correction (or the device's revision); one naming no segment of
    this session is ignored."""
    from device.stages.relabel import corrected_speaker, revised_speaker

    try:
        index, start, label = int(rec["segment"]), float(rec["start"]), str(rec["label"])
        if rec.get("by") == "device":
            speaker = revised_speaker(str(rec["role"]), label, float(rec["confidence"]))
        else:
            speaker = corrected_speaker(label)
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise StoreError(f"a session's speaker record is damaged ({exc})") from exc
    if 0 <= index < len(segments) and abs(segments[index].start - start) < 1e-6:
        segments[index] = segments[index].model_copy(update={"speaker": speaker})


def _revise_factors(noted: Tagging, rec: dict[str, Any]) -> Tagging:
    try:
        first, through = int(rec["first"]), int(rec["through"])
        tags = tuple(_found(t) for t in rec["tags"])
        denied = tuple(_found(t) for t in rec["denied"])
        persons = _persons(rec)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"a session's speaker record is damaged ({exc})") from exc
    return revised(noted, first, through, tags, denied, persons)


def _persons_record(persons: Persons | None) -> dict[str, Any]:
    """Who is who as journaled (`persons`; nothing when not known)."""
    if persons is None:
        return {}
    return {
        "persons": {
            "naming": sorted([list(w) for w in persons.naming]),
            "named": sorted([[k, at, *w] for (k, at), w in persons.named.items()]),
        }
    }


def _persons(rec: dict[str, Any]) -> Persons | None:
    """Who is who from a record (None: a record written before taggings carried it)."""
    if "persons" not in rec:
        return None
    data = rec["persons"]
    naming = frozenset((int(k), int(a), int(b)) for k, a, b in data["naming"])
    named = {(int(k), int(at)): (int(j), int(a), int(b)) for k, at, j, a, b in data["named"]}
    return Persons(naming, named)


def _found(data: dict[str, Any]) -> FoundTag:
    known = {f.name for f in fields(FoundTag)}
    return FoundTag(**{k: v for k, v in data.items() if k in known})


def _add_factors(noted: Tagging | None, rec: dict[str, Any]) -> Tagging:
    try:
        tags = tuple(_found(t) for t in rec["tags"])
        denied = tuple(_found(t) for t in rec["denied"])
        version, sha = rec["catalogue_version"], rec["catalogue_sha256"]
        persons = _persons(rec)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"a session's factors record is damaged ({exc})") from exc
    if noted is None:
        return Tagging(tags, denied, version, sha, persons=persons)
    return replace(
        noted,
        tags=noted.tags + tags,
        denied=noted.denied + denied,
        catalogue_version=version,
        catalogue_sha256=sha,
        # Each record holds who is who in its own new segments: added to what was known.
        persons=persons_replaced(noted.persons, 0, 0, persons),
    )


def list_sessions(store: Store) -> list[SessionRecord]:
    """Every session on the device, oldest first; damaged ones raise `StoreError`."""
    found = [load_session(store, sid) for sid in store.session_ids()]
    return sorted(found, key=lambda r: r.meta.started_at)


def find_session(store: Store, prefix: str) -> str:
    """The id of the one session whose id starts with `prefix`."""
    ids = [sid for sid in store.session_ids() if sid.startswith(prefix)]
    if not ids:
        raise UsageError(f"no session {prefix!r} on this device (see `fredag sessions`)")
    if len(ids) > 1:
        raise UsageError(f"{prefix!r} names several sessions; give more of the id")
    return ids[0]
