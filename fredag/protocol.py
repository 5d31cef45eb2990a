"""The draft journal entry and its signed envelope: the one schema device and server share.

Format (also in docs/protocol.md):

* A `Draft` is serialized canonically (`canonical_json`): UTF-8 JSON, keys sorted, no
  insignificant whitespace, non-ASCII kept as is. Those exact bytes are what is signed.
* A `SignedEnvelope` carries the bytes base64url-encoded with an Ed25519 signature over them and
  the signer's key id (sha256 of the raw 32-byte public key, hex). The server verifies the bytes
  it received, then parses them; the bytes are stored unchanged for ever.

Non-negotiables enforced here: `assessment` and `planning` are always empty in a draft, every
factor's evidence carries quote, position, time, catalogue version and transcribing model, and
consent must have been confirmed.

Schema versions: `fredag.draft/2` (built by devices now) adds each factor's life area, the
caseworker's marks and `journal`, the structured "Vad som framkom" whose every line is a
verbatim transcript segment, and each transcript segment's `speaker` (role and label,
issue 15); a journal line's `also_as`, `referents` and `held` and a speaker's `revised` came
later, with empty defaults, so a v2 draft made before them parses and verifies unchanged.
`fredag.draft/1` (older devices) is still accepted and still serializes to exactly its own
fields.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from typing import Annotated, Any, Final, Literal
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from fredag.errors import SignatureError

DRAFT_SCHEMA: Final = "fredag.draft/2"
DRAFT_SCHEMA_V1: Final = "fredag.draft/1"
DraftSchema = Literal["fredag.draft/1", "fredag.draft/2"]
ENVELOPE_FORMAT: Final = "fredag.envelope/1"
MAX_ENVELOPE_BYTES = 4 * 1024 * 1024

CaseType = Literal["barn", "vuxen"]
FactorKind = Literal["risk", "protective"]
SpeakerRole = Literal["caseworker", "other"]
Text = Annotated[str, Field(max_length=20_000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
LineKind = Literal["said", "denied", "over", "mark"]
ReadKind = Literal["said", "denied", "over"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelInfo(_Strict):
    """Which speech model transcribed the meeting."""

    name: ShortText
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class CatalogueRef(_Strict):
    version: ShortText
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Speaker(_Strict):
    """Who said a segment, as the device attributed it: `caseworker` ("handläggare", the
    enrolled voice) or `other` ("person 1", …). Only a label: never a voice embedding."""

    role: SpeakerRole
    label: ShortText
    confidence: Annotated[float, Field(ge=0, le=1)]
    uncertain: bool = False
    """The voice may change inside the segment, or it was too short to be sure."""
    revised: bool = False
    """The device changed this label after it was first shown, with hindsight (a voice it
    recognised only later, e.g. a second client's first lines); shown marked as such to the
    caseworker. A caseworker's own correction is not `revised` (it is her decision). Came
    after v2's first drafts, with a default, so those parse and verify unchanged."""


class Segment(_Strict):
    start: Annotated[float, Field(ge=0)]
    end: Annotated[float, Field(ge=0)]
    text: Text
    speaker: Speaker | None = None
    """v2; None where no speaker was attributed (and always in a fredag.draft/1)."""


class Transcript(_Strict):
    language: Annotated[str, Field(min_length=2, max_length=8)]
    duration_s: Annotated[float, Field(ge=0)]
    model: ModelInfo
    segments: Annotated[list[Segment], Field(max_length=20_000)]


class Evidence(_Strict):
    """Words in the transcript that show a factor: where they are and when they were said."""

    quote: Annotated[str, Field(min_length=1, max_length=2_000)]
    segment: Annotated[int, Field(ge=0)]
    char_start: Annotated[int, Field(ge=0)]
    char_end: Annotated[int, Field(ge=0)]
    start: Annotated[float, Field(ge=0)]
    end: Annotated[float, Field(ge=0)]
    confidence: Annotated[float, Field(ge=0, le=1)]
    catalogue_version: ShortText
    model: ShortText


class FactorFinding(_Strict):
    factor: Slug
    kind: FactorKind
    name_sv: ShortText
    evidence: Annotated[list[Evidence], Field(min_length=1, max_length=1_000)]
    area: Slug | None = None
    """The factor's life area in the catalogue (BBIC for barn, ASI's areas for vuxen); v2."""


class Quote(_Strict):
    """Words quoted from one transcript segment: which segment, where in its text (the
    sentences carrying the evidence, `char_end` None: to its end), when, who said them."""

    segment: Annotated[int, Field(ge=0)] | None
    char_start: Annotated[int, Field(ge=0)] = 0
    char_end: Annotated[int, Field(ge=0)] | None = None
    start: Annotated[float, Field(ge=0)]
    text: Text
    speaker: ShortText | None = None
    """Who said it, once speaker attribution labels segments (issue 15); None until then."""


class HeldReferent(Quote):
    """Words naming whom a line's "han"/"hon" stands for, held back because a line above it
    in its area quotes the naming word (`word_start`..`word_end` in the quote's segment): shown
    with the line, like a referent, once no line above it in its area quotes that word any more
    (a line dropped or moved on the review page, or this line moved):
    `fredag.journal.shown_referents`."""

    word_start: Annotated[int, Field(ge=0)]
    word_end: Annotated[int, Field(ge=0)]


class JournalLine(Quote):
    """One line of "Vad som framkom": a quote, the question it answers, the factors it shows.

    `kind`: `said` (evidence of a factor), `denied` (a factor asked about and denied), `over`
    (a factor told as past and over without being asked: "han har slutat"; no finding) or
    `mark` (the caseworker marked this moment). Words that read as more than one kind (a
    finding and a denial: "Nej, jag har varit nykter i tio år.", sobriety said, alcohol
    denied) are one line: `kind` is `denied` when they deny anything, else `said`, and
    `also_as` holds the other kinds' factors. In a signed draft `text` (and every quote of
    the line) is always exactly `segment`'s text from `char_start` to `char_end` and `edited`
    is false; on the server a caseworker's edit sets `edited`.
    """

    kind: LineKind = "said"
    question: Quote | None = None
    factors: Annotated[list[Slug], Field(max_length=100)] = []
    unsure: bool = False
    """The tagger could only read the words unsurely (an unclear "Nej", say)."""
    edited: bool = False
    also_at: Annotated[list[Annotated[float, Field(ge=0)]], Field(max_length=1_000)] = []
    """When the same words (same kind, speaker and question) were said again later in the
    meeting: those times, in order. The repeat is folded into this line, quoted once."""
    also_as: dict[ReadKind, Annotated[list[Slug], Field(max_length=100)]] = {}
    """The factors the same words show as other kinds than `kind` (kind → slugs): a line both
    said and denied is one `denied` line with `also_as={"said": [...]}`. Empty: one kind."""
    referents: Annotated[list[Quote], Field(max_length=10)] = []
    """Where the people its "han"/"hon" stand for were last named (the tagger's reading),
    when nothing quoted before it under its area (nor its own words or question) names
    them: "Vill du berätta om pappa?" before "Han har druckit mycket i flera år." Verbatim
    spans like the line, in meeting order."""
    held: Annotated[list[HeldReferent], Field(max_length=10)] = []
    """The same for a person a line above it in its area names: shown only when that line no
    longer does (see `HeldReferent`). Empty in drafts made before it existed."""


class JournalArea(_Strict):
    """The lines of one life area, in meeting order. `area` None: lines outside any area
    (an old draft's whole transcript)."""

    area: Slug | None
    name_sv: ShortText | None = None
    name_en: ShortText | None = None
    lines: Annotated[list[JournalLine], Field(max_length=20_000)]


class Journal(_Strict):
    """ "Vad som framkom", structured: life areas with their lines, and the caseworker's marks."""

    areas: Annotated[list[JournalArea], Field(max_length=200)]
    marks: Annotated[list[JournalLine], Field(max_length=1_000)] = []


class Mark(_Strict):
    """A bookmark the caseworker set during the meeting, seconds from its start."""

    at: Annotated[float, Field(ge=0)]


class Meeting(_Strict):
    case_ref: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[\w./:-]+$")]
    case_type: CaseType
    contact_type: ShortText
    present: Annotated[list[ShortText], Field(max_length=50)]
    caseworker: ShortText
    consent_confirmed: Literal[True]
    started_at: datetime
    ended_at: datetime


class Draft(_Strict):
    """A draft journal entry as the device produces it. Never journal text until approved."""

    schema_: DraftSchema = Field(DRAFT_SCHEMA, alias="schema")
    draft_id: UUID
    device_key_id: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    created_at: datetime
    meeting: Meeting
    transcript: Transcript
    catalogue: CatalogueRef
    factors: Annotated[list[FactorFinding], Field(max_length=500)]
    denied: Annotated[list[FactorFinding], Field(max_length=500)]
    assessment: None = None
    planning: None = None
    rendered: Annotated[str, Field(max_length=500_000)]
    marks: Annotated[list[Mark], Field(max_length=1_000)] = []
    journal: Journal | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _fields_of_its_version(self) -> Draft:
        if self.schema_ == DRAFT_SCHEMA_V1:
            areas = any(f.area is not None for f in (*self.factors, *self.denied))
            if self.journal is not None or self.marks or areas:
                raise ValueError("a fredag.draft/1 has no journal, marks or factor areas")
            if any(s.speaker is not None for s in self.transcript.segments):
                raise ValueError("a fredag.draft/1 has no segment speakers")
            return self
        if self.journal is None:
            raise ValueError("a fredag.draft/2 carries its journal")
        segments = self.transcript.segments
        for line in _lines(self.journal):
            for quote in (line, line.question, *line.referents, *line.held):
                if quote is None or quote.segment is None:
                    continue
                if (
                    quote.segment >= len(segments)
                    or quote.text
                    != (segments[quote.segment].text[quote.char_start : quote.char_end])
                ):
                    raise ValueError("every journal line quotes a transcript segment verbatim")
            if line.edited:
                raise ValueError("a signed draft's journal lines are never edited")
        return self


def _lines(journal: Journal) -> list[JournalLine]:
    return [line for area in journal.areas for line in area.lines] + list(journal.marks)


class SignedEnvelope(_Strict):
    format: Literal["fredag.envelope/1"] = ENVELOPE_FORMAT
    key_id: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    alg: Literal["Ed25519"] = "Ed25519"
    payload: Annotated[str, Field(min_length=1, max_length=MAX_ENVELOPE_BYTES)]
    signature: Annotated[str, Field(min_length=1, max_length=200)]


def canonical_json(obj: Any) -> bytes:
    """The canonical byte form that is signed: sorted keys, compact, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def draft_bytes(draft: Draft) -> bytes:
    """The signed bytes. A fredag.draft/1 keeps exactly its own fields (no v2 keys)."""
    data = draft.model_dump(mode="json", by_alias=True)
    if draft.schema_ == DRAFT_SCHEMA_V1:
        del data["journal"], data["marks"]
        for finding in (*data["factors"], *data["denied"]):
            del finding["area"]
        for segment in data["transcript"]["segments"]:
            del segment["speaker"]
    return canonical_json(data)


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def b64url_encode(data: bytes) -> str:
    """base64url without padding: how keys, payloads and signatures travel (RFC 4648 §5)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """The bytes of base64url text, padding optional; ValueError when it is not base64url."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except TypeError as exc:  # not a str; binascii.Error is already a ValueError
        raise ValueError("not base64url text") from exc


def _unb64(text: str) -> bytes:
    try:
        return b64url_decode(text)
    except ValueError as exc:
        raise SignatureError("the envelope is not valid base64url") from exc


def sign_payload(payload: bytes, private_key: Ed25519PrivateKey) -> SignedEnvelope:
    return SignedEnvelope(
        key_id=key_id(private_key.public_key()),
        payload=b64url_encode(payload),
        signature=b64url_encode(private_key.sign(payload)),
    )


def sign_draft(draft: Draft, private_key: Ed25519PrivateKey) -> SignedEnvelope:
    if draft.device_key_id != key_id(private_key.public_key()):
        raise SignatureError("the draft names another device key than the one signing it")
    return sign_payload(draft_bytes(draft), private_key)


def verify_payload(envelope: SignedEnvelope, public_key: Ed25519PublicKey) -> bytes:
    """The signed bytes, once the signature and key id check out; else SignatureError."""
    if envelope.key_id != key_id(public_key):
        raise SignatureError("the envelope was signed by another key")
    payload = _unb64(envelope.payload)
    try:
        public_key.verify(_unb64(envelope.signature), payload)
    except InvalidSignature as exc:
        raise SignatureError("the signature does not match the payload") from exc
    return payload


def verify_draft(envelope: SignedEnvelope, public_key: Ed25519PublicKey) -> Draft:
    """Verify, then parse and validate; a signed payload that is not a valid draft is refused."""
    payload = verify_payload(envelope, public_key)
    try:
        draft = Draft.model_validate_json(payload)
    except ValidationError as exc:
        raise SignatureError(
            f"the signed payload is not a valid draft: {exc.errors()[0]['msg']}"
        ) from exc
    if draft.device_key_id != envelope.key_id:
        raise SignatureError("the draft names another device than the one that signed it")
    return draft
