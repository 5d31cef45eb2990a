"""Building the draft journal entry (`fredag.protocol.Draft`, schema fredag.draft/2).

The entry's structure, headings and wording live in `fredag.journal` (shared with the server).
Here the device fills it in: the meeting details, "Vad som framkom" as life areas holding the
sentences that carry each factor's evidence (verbatim, with the question they answer), the
denials as their own lines (what was told as past and over as plain lines), the words naming
whom a "han"/"hon" stands for where the tagger read it as someone named sentences back
(the tagger's own reading, `device.stages.tagging.persons_of`), the caseworker's marks, and
Bedömning and Planering left empty for the caseworker. The factors noted travel as
structured tags with their evidence (`factors`, `denied`) and the whole transcript as the
attachment (`transcript`); neither is journal text.

Every piece of text the tool writes itself is checked by the guard (`device.journal.guard`); a draft
whose tool-authored text proposes an intervention or an assessment is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from device.journal.guard import Checker, check_tool_text
from device.journal.session import SessionMeta
from device.stages.tagging import FoundTag, Tagging, persons_of, told_over
from fredag.journal import (
    Entry,
    Splitter,
    journal_from_findings,
    render_entry,
    revised_segments,
    tool_lines,
)
from fredag.protocol import (
    CatalogueRef,
    Draft,
    Evidence,
    FactorFinding,
    Mark,
    ModelInfo,
    Segment,
    Transcript,
)
from risk_factors.context import (
    clause_spans,
    is_question,
    reading_words,
    says_over,
    tense_words,
)
from risk_factors.persons import person_gender
from risk_factors.tagger import UNCERTAIN_CONFIDENCE
from risk_factors.text import split_sentences, tokenize

Span = tuple[int, int]
READING = reading_words()
TENSE = tense_words()
_THIRD = frozenset({"han", "hon", "hen", "de", "dom", "honom", "henne", "dem"})
_THIRD |= frozenset({"hans", "hennes", "deras"})
_BARE = frozenset({"ja", "nej", "nä", "jo", "japp", "nja", "ibland", "aldrig", "ofta", "sällan"})
_BARE |= frozenset({"kanske", "inte", "alltid", "mycket", "lite", "nu", "längre", "mer", "det"})
_BARE |= frozenset({"gör", "har", "är", "var", "så", "men", "och", "jag", "vet", "ju", "nog"})
_BARE |= frozenset({"absolut", "visst", "jovisst", "ok", "okej", "precis", "typ", "väl", "då"})


def _sentences(text: str) -> list[Span]:
    return [(s.start, s.end) for s in split_sentences(text)]


def _asks(sentence: str) -> bool:
    found = split_sentences(sentence)
    return bool(found) and is_question(found[-1])


_CONTRAST = frozenset({"men", "fast", "utan", "fastän", "annars"})


def _clauses(text: str, span: Span) -> list[Span]:
    """The clauses of the sentence at `span` as the tagger scopes a negation, except that a
    contrast stays whole: "Det är mest lugnt, men det blir bråk …" is one, so a quote is
    never more one-sided than what was said."""
    out: list[Span] = []
    for sentence in split_sentences(text):
        if span[0] <= sentence.start and sentence.end <= span[1]:
            for clause in clause_spans(sentence):
                words = tokenize(text, clause[0], clause[1])
                if out and words and words[0].lower in _CONTRAST:
                    out[-1] = (out[-1][0], clause[1])
                elif out and len(words) > 1 and words[0].lower == "och":
                    out.append((words[1].start, clause[1]))  # a quote does not open on "och"
                else:
                    out.append(clause)
    return out or [span]


def _reads(text: str, span: Span) -> bool:
    """Whether the clause at `span` holds a word that can change how a quote in its sentence
    reads (`risk_factors.context.reading_words`, a person's name, "storebror")."""
    starts = {s.start for s in split_sentences(text)}
    for token in tokenize(text, span[0], span[1]):
        if token.lower in READING or person_gender(token.lower) is not None:
            return True
        if token.start not in starts and text[token.start].isupper():
            return True  # a name
    return False


_CHILD_NOUNS = frozenset({"barn", "barnen", "barnet", "son", "sonen", "dotter", "dottern"})
_CHILD_NOUNS |= frozenset({"pojken", "flickan", "killen", "tjejen", "grabben"})


def _names_someone(text: str) -> bool:
    """Whether `text` names a person by more than a pronoun: "pappa", "sonen", a name.

    Not the tagger's reading of who is who: where the tagger read an answer's "han"/"hon" as
    someone named in the question, `fredag.journal.with_referents` already restores that
    question from `Tagging.persons`. That reading holds only persons other than the client and
    only "han"/"hon", so the child a child's case is about ("Hur går det med Nora?" / "Hon
    …") and "de"/"honom" ("De träffar honom varannan helg") are decided here."""
    starts = {s.start for s in split_sentences(text)}
    return any(
        person_gender(t.lower) is not None
        or t.lower in _CHILD_NOUNS
        or (t.start not in starts and text[t.start].isupper())
        for t in tokenize(text)
    )


def _alone(answer: str, question: str) -> bool:
    """Whether an answer can be read without its question: not when it is only yes, no, a
    how often ("Nej.", "Ja, ibland."), and not when its person is a "han"/"de" for someone
    only the question names ("Har din son några fritidsaktiviteter?" / "Han spelade fotboll
    förut …")."""
    words = {t.lower for t in tokenize(answer)}
    if words <= _BARE:
        return False
    return not (words & _THIRD and not _names_someone(answer) and _names_someone(question))


def _dated(quote: str) -> bool:
    """Whether a quote itself says when: a negation, past and over, "nu", "fortfarande"."""
    return any(t.lower in TENSE for t in tokenize(quote))


def _ends(sentence: str) -> bool:
    """The tagger's own test for a later sentence that ends what was just told."""
    found = split_sentences(sentence)
    return bool(found) and says_over(found[-1])


SPLITTER = Splitter(
    sentences=_sentences,
    asks=_asks,
    clauses=_clauses,
    reads=_reads,
    dated=_dated,
    ends=_ends,
    alone=_alone,
)
"""Sentences, clauses and questions as the tagger reads them (risk_factors.text and .context):
a quote is the run of clauses holding its evidence and every word that changes how it reads;
an answer's question is quoted only when the answer cannot be read without it."""


def findings(
    tags: Sequence[FoundTag],
    catalogue_version: str,
    model: str,
    areas: dict[str, str] | None = None,
) -> list[FactorFinding]:
    """Group tags by factor, in order of first mention, each tag becoming one evidence."""
    grouped: dict[str, list[FoundTag]] = {}
    for tag in sorted(tags, key=lambda t: (t.start, t.segment, t.char_start)):
        grouped.setdefault(tag.factor, []).append(tag)
    return [
        FactorFinding(
            factor=slug,
            kind=group[0].kind,
            name_sv=group[0].name_sv,
            area=(areas or {}).get(slug),
            evidence=[
                Evidence(
                    quote=t.quote,
                    segment=t.segment,
                    char_start=t.char_start,
                    char_end=t.char_end,
                    start=t.start,
                    end=t.end,
                    confidence=t.confidence,
                    catalogue_version=catalogue_version,
                    model=model,
                )
                for t in group
            ],
        )
        for slug, group in grouped.items()
    ]


def build_draft(
    *,
    meta: SessionMeta,
    ended_at: datetime,
    segments: Sequence[Segment],
    duration_s: float,
    language: str,
    model: ModelInfo,
    tagging: Tagging,
    device_key_id: str,
    marks: Sequence[Mark] = (),
    checker: Checker | None = None,
    draft_id: uuid.UUID | None = None,
    created_at: datetime | None = None,
) -> Draft:
    """The draft of one meeting; refused by the guard if tool text proposes or assesses."""
    meeting = meta.meeting(ended_at)
    transcript = Transcript(
        language=language, duration_s=round(duration_s, 3), model=model, segments=list(segments)
    )
    catalogue = CatalogueRef(version=tagging.catalogue_version, sha256=tagging.catalogue_sha256)
    area_slugs = {slug: area.slug for slug, area in tagging.areas.items()}
    factors = findings(tagging.tags, tagging.catalogue_version, model.name, area_slugs)
    # Told as past and over without being asked ("han har slutat"): neither a tag nor a
    # denial, but quoted in "Vad som framkom" as what was said about the area.
    over = [t for t in tagging.denied if told_over(t)]
    denied = findings(
        [t for t in tagging.denied if not told_over(t)],
        tagging.catalogue_version,
        model.name,
        area_slugs,
    )
    areas = {area.slug: area for area in tagging.areas.values()}
    journal = journal_from_findings(
        transcript.segments,
        factors,
        denied,
        areas,
        over=findings(over, tagging.catalogue_version, model.name, area_slugs),
        marks=marks,
        splitter=SPLITTER,
        unsure_at=UNCERTAIN_CONFIDENCE,
        persons=persons_of(tagging, transcript.segments, meeting.case_type),
    )
    entry = Entry(
        meeting=meeting,
        journal=journal,
        model_name=model.name,
        has_speech=bool(transcript.segments),
        revised=revised_segments(transcript.segments),
    )
    check_tool_text(tool_lines(entry), checker=checker)
    return Draft(
        draft_id=draft_id or uuid.uuid4(),
        device_key_id=device_key_id,
        created_at=created_at or datetime.now(UTC),
        meeting=meeting,
        transcript=transcript,
        catalogue=catalogue,
        factors=factors,
        denied=denied,
        marks=list(marks),
        journal=journal,
        rendered=render_entry(entry),
    )


def draft_view(draft: Draft) -> dict[str, Any]:
    """The JSON that `fredag draft --json` prints: the draft plus a top-level catalogue_version."""
    data = draft.model_dump(mode="json", by_alias=True)
    data["catalogue_version"] = draft.catalogue.version
    return data
