"""The journal entry's structure, headings and labels: the one module device and server share.

An entry reads, in this order (SOSFS 2014:5):

    title              "JOURNALANTECKNING – UTKAST (ej godkänd)"; approved: "JOURNALANTECKNING"
    header             Datum, Handläggare, Ärende, Kontakttyp, Närvarande, Samtycke
    Vad som framkom    per life area touched: the area's name, then its lines in meeting order
                       (the question answered, the quote, denials as their own lines; words
                       said again verbatim are one line with all their times; words that are
                       both a finding and a denial one line; where a "han"/"hon" is someone
                       named sentences back, the words naming them: "Sammanhang"; a line
                       the caseworker edited on the server says so: "(ändrad av
                       handläggaren)", never passed off as a verbatim quote; a speaker
                       label the device changed with hindsight says so: "person 2 (ändrad
                       av enheten)", `speaker_name`, as the transcript and every view do)
    Markeringar        the caseworker's marks from the meeting
    Bedömning          empty in a draft: only the caseworker writes it
    Planering          likewise
    footer             quotes are verbatim from an automatic transcript (which model) and may
                       hold mishearings

The whole transcript is an attachment ("Bilaga: transkription"), never part of the journal
text; `attachment_lines` renders it for an export that asks for it. The factors the tagger
noted are not journal text either: they are structured tags with their evidence
(`Draft.factors`/`denied`), reviewed one by one on the server's review page; the area
headings and the quotes under them are what the entry says. (`factor_lines` renders the
factor list only for text versions saved before the entry was structured.)

The device builds "Vad som framkom" with `journal_from_findings` and signs it (`Draft.journal`);
the server edits that structure line by line and renders it with `render_entry`. Nobody finds
headings in text. Every word here that is not a quote or the caseworker's input is a fixed
heading or label from `LABELS` (or a catalogue name); `render_entry(..., verbatim=blank)`
shows exactly those words to the guard.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, Protocol

from fredag.clock import to_local
from fredag.protocol import (
    Evidence,
    FactorFinding,
    HeldReferent,
    Journal,
    JournalArea,
    JournalLine,
    Mark,
    Meeting,
    Quote,
    ReadKind,
    Segment,
)

Lang = Literal["sv", "en"]

LABELS: Final[dict[str, dict[str, str]]] = {
    "title_draft": {
        "sv": "JOURNALANTECKNING – UTKAST (ej godkänd)",
        "en": "JOURNAL ENTRY – DRAFT (not approved)",
    },
    "title_final": {"sv": "JOURNALANTECKNING", "en": "JOURNAL ENTRY"},
    "date": {"sv": "Datum", "en": "Date"},
    "at": {"sv": "kl.", "en": "at"},
    "caseworker": {"sv": "Handläggare", "en": "Caseworker"},
    "case": {"sv": "Ärende", "en": "Case"},
    "contact_type": {"sv": "Kontakttyp", "en": "Contact type"},
    "present": {"sv": "Närvarande", "en": "Present"},
    "not_given": {"sv": "ej angivet", "en": "not given"},
    "consent": {
        "sv": "Samtycke till inspelning: bekräftat",
        "en": "Consent to recording: confirmed",
    },
    "heard": {"sv": "Vad som framkom", "en": "What was said"},
    "no_speech": {"sv": "Inget tal uppfattades.", "en": "No speech was heard."},
    "no_quotes": {
        "sv": "Inga citat noterades. Hela transkriptionen finns i bilagan.",
        "en": "No quotes were noted. The whole transcript is in the attachment.",
    },
    "outside_areas": {"sv": "Utan livsområde", "en": "Outside any life area"},
    "question": {"sv": "Fråga", "en": "Question"},
    "referent": {"sv": "Sammanhang", "en": "Context"},
    "speaker_unless_named": {"sv": "Talare om inget annat anges", "en": "Speaker unless named"},
    "denied": {"sv": "Förnekat", "en": "Denied"},
    "mark": {"sv": "Markerat av handläggaren", "en": "Marked by the caseworker"},
    "unsure": {"sv": "(osäkert uppfattat)", "en": "(heard unsurely)"},
    "edited": {"sv": "(ändrad av handläggaren)", "en": "(edited by the caseworker)"},
    "speaker_revised": {"sv": "(ändrad av enheten)", "en": "(changed by the device)"},
    "marks": {"sv": "Markeringar", "en": "Marks"},
    "factors": {"sv": "Faktorer som nämndes", "en": "Factors mentioned"},
    "catalogue": {"sv": "faktorkatalog", "en": "factor catalogue"},
    "reviewed": {"sv": "granskade av handläggaren", "en": "reviewed by the caseworker"},
    "risk": {"sv": "Riskfaktorer", "en": "Risk factors"},
    "protective": {"sv": "Skyddsfaktorer", "en": "Protective factors"},
    "asked_denied": {"sv": "Efterfrågat och förnekat", "en": "Asked about and denied"},
    "none_noted": {"sv": "inga noterade", "en": "none noted"},
    "assessment": {"sv": "Bedömning", "en": "Assessment"},
    "planning": {"sv": "Planering", "en": "Planning"},
    "not_written": {"sv": "(ej ifyllt)", "en": "(not written)"},
    "footer": {
        "sv": "Ordagranna citat ur automatisk transkription ({model}); kan innehålla hörfel.",
        "en": "Verbatim quotes from an automatic transcript ({model}); may contain mishearings.",
    },
    "attachment": {"sv": "Bilaga: transkription", "en": "Attachment: transcript"},
    "case_type_barn": {"sv": "barn och unga", "en": "children and young people"},
    "case_type_vuxen": {"sv": "vuxen", "en": "adult"},
}

CASEWORKER_LABEL: Final = "handläggare"
"""The speaker label speaker attribution gives the enrolled caseworker's voice."""

FactorGroup = Literal["risk", "protective", "denied"]
Verbatim = Callable[[str], str]


def label(key: str, lang: Lang = "sv") -> str:
    """A fixed heading or label in `lang` (Swedish first)."""
    return LABELS[key][lang]


def clock(seconds: float) -> str:
    """A time in the meeting: `mm:ss`, or `h:mm:ss` from the first hour on."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class AreaName:
    """A life area as the catalogue names it; `order` is its place in the catalogue."""

    slug: str
    name_sv: str
    name_en: str
    order: int


@dataclass(frozen=True)
class FactorNote:
    """A factor in the entry's factor section: its name and the group it is listed under."""

    name: str
    group: FactorGroup


@dataclass(frozen=True)
class Entry:
    """Everything an entry's text is made of. `assessment`/`planning` None: a draft (left
    empty for the caseworker); a string: what the caseworker wrote ("" reads "(ej ifyllt)")."""

    meeting: Meeting
    journal: Journal
    model_name: str
    assessment: str | None = None
    planning: str | None = None
    final: bool = False
    caseworker: str | None = None
    """Who the header names; None: the meeting's caseworker as the device recorded it."""
    has_speech: bool = True
    revised: frozenset[int] = frozenset()
    """The transcript segments whose speaker label the device changed with hindsight
    (`revised_segments`): their quotes' speakers are marked so."""


# ------------------------------------------------------------------ building the journal


Span = tuple[int, int]


_CLAUSE_END = re.compile(r"[,;:–—](?=\s)")
ONWARD_SENTENCES: Final = 2
"""How many sentences on a denial or something told as over looks for the one that ends it."""
_TRAILING = ",;:–— \t\n"


def asks(text: str) -> bool:
    """The default question test: the sentence ends with a question mark."""
    return text.rstrip().endswith("?")


_SENTENCE = re.compile(r"\S.*?(?:[.!?…]+(?=\s|$)|$)", re.S)


def sentence_spans(text: str) -> list[Span]:
    """The default sentence splitter: spans ending at . ! ? … before a space or the end."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]


def _segments_of(evidence: Evidence, segments: Sequence[Segment]) -> list[tuple[int, Span]]:
    """The segments a quote covers with its span in each: its own, and the next ones when it
    runs on into them."""
    first = evidence.segment
    if first >= len(segments):
        return []
    length = len(segments[first].text)
    out = [
        (first, (evidence.char_start, min(max(evidence.char_end, evidence.char_start + 1), length)))
    ]
    overflow = evidence.char_start + len(evidence.quote) - length
    nxt = first + 1
    while overflow > 0 and nxt < len(segments):
        out.append((nxt, (0, min(overflow, len(segments[nxt].text)))))
        overflow -= len(segments[nxt].text) + 1
        nxt += 1
    return out


def _speaker(segment: Segment) -> str | None:
    """The segment's speaker label once speaker attribution sets one (issue 15)."""
    value = getattr(segment, "speaker", None)
    if value is None:
        return None
    text = getattr(value, "label", value)
    return str(text) if text else None


def speaker_revised(segment: Segment) -> bool:
    """Whether the device changed the segment's speaker label with hindsight
    (`Speaker.revised`: a voice it recognised only later), not the caseworker."""
    return bool(getattr(getattr(segment, "speaker", None), "revised", False))


def revised_segments(segments: Sequence[Segment]) -> frozenset[int]:
    """The segments whose speaker label the device changed with hindsight: what marks a
    quote's speaker in the entry (`Entry.revised`), from the signed transcript itself, so a
    draft made before the journal marked them shows the mark too."""
    return frozenset(i for i, s in enumerate(segments) if speaker_revised(s))


def speaker_name(name: str, revised: bool, lang: Lang = "sv") -> str:
    """A speaker as the entry, its attachment and the review page show them: the label, and
    "(ändrad av enheten)" when the device changed it with hindsight, never silently. The one
    place that mark is put on a label (the caseworker's renaming keeps it: the device still
    changed whose the words are)."""
    return f"{name} {label('speaker_revised', lang)}" if revised else name


def _quote(segments: Sequence[Segment], index: int, span: Span) -> Quote:
    seg = segments[index]
    end = None if span[1] >= len(seg.text) else span[1]
    return Quote(
        segment=index,
        char_start=span[0],
        char_end=end,
        start=seg.start,
        text=seg.text[span[0] : span[1]],
        speaker=_speaker(seg),
    )


def _overlaps(span: Span, ranges: Sequence[Span]) -> bool:
    return any(span[0] < r[1] and r[0] < span[1] for r in ranges)


def clause_spans(text: str, sentence: Span) -> list[Span]:
    """A sentence's clauses: cut after , ; : – followed by a space."""
    out: list[Span] = []
    begin = sentence[0]
    for m in _CLAUSE_END.finditer(text, sentence[0], sentence[1]):
        out.append((begin, m.end()))
        begin = m.end()
        while begin < sentence[1] and text[begin].isspace():
            begin += 1
    if begin < sentence[1]:
        out.append((begin, sentence[1]))
    return out


def _covering(text: str, ranges: Sequence[Span], splitter: Splitter, *, onward: bool) -> Span:
    """The words of `text` that carry `ranges`, as one span. Without `splitter.reads` the
    whole sentences holding them. With it, of each such sentence only the run of clauses from
    the first to the last that holds a quote or a word that changes how the quote reads
    (negation, "förut", "om", the person: `Splitter.reads`), so a shortened quote can never
    read as its opposite. `onward`: a denial or something told as over also takes the
    utterance's next sentences up to one that says it is over (`Splitter.ends`: "Jag drack
    mycket förra året. Men det är över nu."), at most `ONWARD_SENTENCES` on and never past a
    question."""
    spans: list[Span] = []
    sentences = list(splitter.sentences(text))
    last = -1
    for n, sentence in enumerate(sentences):
        if not _overlaps(sentence, ranges):
            continue
        last = n
        spans.append(_clause_run(text, sentence, ranges, splitter))
    if not spans:
        return (0, len(text))
    if onward and splitter.ends is not None:
        for sentence in sentences[last + 1 : last + 1 + ONWARD_SENTENCES]:
            words = text[sentence[0] : sentence[1]]
            if splitter.asks(words):
                break  # a new question: the next exchange
            if splitter.ends(words):
                spans.append(sentence)
                break
    return (min(s[0] for s in spans), max(s[1] for s in spans))


def _clause_run(text: str, sentence: Span, ranges: Sequence[Span], splitter: Splitter) -> Span:
    if splitter.reads is None:
        return sentence
    reads = splitter.reads
    kept = [c for c in splitter.clauses(text, sentence) if _overlaps(c, ranges) or reads(text, c)]
    if not kept:
        return sentence
    begin, end = kept[0][0], kept[-1][1]
    if end >= sentence[1] or text[end : sentence[1]].strip(_TRAILING + ".!?…") == "":
        end = sentence[1]  # the sentence's last clause kept: its full stop too
    while end > begin and text[end - 1] in _TRAILING:
        end -= 1
    for lo, hi in ranges:  # never cut into a quote
        if lo < sentence[1] and sentence[0] < hi:
            begin, end = min(begin, max(lo, sentence[0])), max(end, min(hi, sentence[1]))
    return (begin, end)


def _asked_within(text: str, span: Span, splitter: Splitter) -> tuple[Span, Span | None]:
    """When `span` opens with a question and goes on to more sentences (asked and answered
    in one utterance), the rest as the span and the question apart; else `span` unchanged."""
    inside = [s for s in splitter.sentences(text) if span[0] <= s[0] and s[1] <= span[1]]
    if len(inside) < 2 or not splitter.asks(text[inside[0][0] : inside[0][1]]):
        return span, None
    return (inside[1][0], span[1]), inside[0]


@dataclass(frozen=True)
class Splitter:
    """How utterances are cut: into sentences, and whether a sentence asks."""

    sentences: Callable[[str], Sequence[Span]] = sentence_spans
    asks: Callable[[str], bool] = asks
    clauses: Callable[[str, Span], Sequence[Span]] = clause_spans
    """A sentence's clauses (spans in the text), in order."""
    reads: Callable[[str, Span], bool] | None = None
    """Whether a clause (its span in the text) holds a word that can change how a quote in its
    sentence reads: a negation, "förut", "om", a person. None: every clause may, so sentences
    are quoted whole."""
    dated: Callable[[str], bool] | None = None
    """Whether a quote itself says when (past, over, "nu", a negation). Something told as
    over whose quote does not is quoted with what came after it. None: never looked at."""
    ends: Callable[[str], bool] | None = None
    """Whether a sentence says that what was just told is over ("Men det är över nu"): a
    denial or something told as over is quoted with it. None: never looked for."""
    alone: Callable[[str, str], bool] | None = None
    """Whether an answer (the quoted words) can be read without the question before it (the
    question's words). None: never, so every answer's question is quoted."""


def _question(segments: Sequence[Segment], before: int, splitter: Splitter) -> Quote | None:
    """The utterance before's last sentence, when it asks."""
    if before < 0:
        return None
    text = segments[before].text
    spans = splitter.sentences(text)
    if not spans:
        return None
    last = spans[-1]
    return _quote(segments, before, last) if splitter.asks(text[last[0] : last[1]]) else None


_Found = tuple[Span, tuple[int, str], str | None, str, bool, ReadKind]
"""Evidence in one segment: its span there, its area's rank, the area, the factor, whether
read unsurely, its kind."""
_Hit = tuple[Span, str, bool, ReadKind]
"""Evidence in one segment as a line holds it: its span, the factor, unsure, its kind."""
_KINDS: Final[tuple[ReadKind, ...]] = ("denied", "said", "over")
"""A line's kind when its words read as several: a denial first (it takes "Förnekat")."""


def journal_from_findings(
    segments: Sequence[Segment],
    factors: Sequence[FactorFinding],
    denied: Sequence[FactorFinding],
    areas: Mapping[str, AreaName],
    *,
    over: Sequence[FactorFinding] = (),
    marks: Sequence[Mark] = (),
    splitter: Splitter = Splitter(),
    unsure_at: float = -1.0,
    persons: Persons | None = None,
) -> Journal:
    """ "Vad som framkom" from the findings: per life area touched (catalogue order), the
    sentences carrying its evidence in meeting order, each with the question it answers (the
    utterance before, when its last sentence asks), denials as their own lines, and what was
    told as past and over (`over`, "han har slutat") as lines of kind `over` (no "Förnekat").
    Every line's text is a verbatim span of one transcript segment: the whole sentences
    holding the quotes (of a very long sentence, its clauses holding them). An utterance is
    quoted once: under the area of the factor it shows first (its earliest quote; ties in
    catalogue order), listing all the factors it shows, of every kind (words both said and
    denied are one `denied` line, the said factors in `also_as`); words said again verbatim
    (same kind, speaker and question) are folded into their first line's `also_at`. A factor
    without an area goes to an unnamed block. A line whose evidence the tagger read with a
    confidence at or below `unsure_at` is marked unsure. With `persons` (the tagger's reading
    of who is who), a line whose "han"/"hon" is a person nothing shown before it in its area
    names gets the words that last named them (`JournalLine.referents`)."""

    def rank(area: str | None) -> tuple[int, str]:
        known = areas.get(area) if area is not None else None
        return (known.order, known.slug) if known else (1_000_000, area or "")

    hits: dict[int, list[_Found]] = {}  # segment -> its evidence
    groups: tuple[tuple[ReadKind, Sequence[FactorFinding]], ...] = (
        ("said", factors),
        ("denied", denied),
        ("over", over),
    )
    for kind, group in groups:
        for finding in group:
            for evidence in finding.evidence:
                for index, span in _segments_of(evidence, segments):
                    unsure = evidence.confidence <= unsure_at
                    hits.setdefault(index, []).append(
                        (span, rank(finding.area), finding.area, finding.factor, unsure, kind)
                    )
    placed: dict[str | None, list[tuple[int, list[_Hit]]]] = {}
    for index, found in hits.items():
        for together in _same_words(segments[index].text, found, splitter):
            first = min(together, key=lambda h: (h[0][0], h[1]))
            shown = [(h[0], h[3], h[4], h[5]) for h in together]
            placed.setdefault(first[2], []).append((index, shown))

    blocks: list[JournalArea] = []
    for area in sorted(placed, key=rank):
        entries = sorted(placed[area], key=lambda p: (p[0], min(h[0][0] for h in p[1])))
        # A question that is itself evidence (asked, then answered) is the answer's question,
        # not a line of its own; the answer line names the factors of both. Only when every
        # kind the question shows is one the answer shows too: the answer to "Dricker du?"
        # denied takes the question's denied factors, never as said.
        asked: dict[int, tuple[int, list[_Hit]]] = {}
        for entry in entries:
            index, shown = entry
            prev = next(
                (
                    e
                    for e in entries
                    if e[0] == index - 1 and {h[3] for h in e[1]} <= {h[3] for h in shown}
                ),
                None,
            )
            if prev is not None and _question(segments, index - 1, splitter) is not None:
                asked[id(entry)] = prev
        merged = {id(p) for p in asked.values()}
        lines_at = {e[0] for e in entries}
        lines: list[JournalLine] = []
        for entry in entries:
            if id(entry) in merged:
                continue
            index, shown = entry
            lines += _line(segments, index, shown, asked.get(id(entry)), lines_at, splitter)
        known = areas.get(area) if area is not None else None
        folded = fold_repeats(lines, revised_segments(segments))
        if persons is not None:
            folded = with_referents(folded, segments, persons, splitter)
        blocks.append(
            JournalArea(
                area=area,
                name_sv=known.name_sv if known else None,
                name_en=known.name_en if known else None,
                lines=folded,
            )
        )
    return Journal(areas=blocks, marks=marks_as_lines(segments, marks))


def _same_words(text: str, found: list[_Found], splitter: Splitter) -> list[list[_Found]]:
    """The evidence in one utterance, grouped into lines: by kind, and kinds whose quotes
    would share words as one group ("Nej, jag har varit nykter i tio år.", sobriety said and
    alcohol denied, is one line; "Nej, aldrig." denied and "Jag vill verkligen sluta
    dricka." said stay two)."""
    kinds = [k for k in _KINDS if any(h[5] == k for h in found)]
    spans = {
        k: _covering(text, [h[0] for h in found if h[5] == k], splitter, onward=k != "said")
        for k in kinds
    }
    groups: list[tuple[Span, list[ReadKind]]] = []
    for kind in sorted(kinds, key=lambda k: spans[k]):
        span = spans[kind]
        if groups and span[0] < groups[-1][0][1]:
            last, members = groups[-1]
            groups[-1] = ((last[0], max(last[1], span[1])), [*members, kind])
        else:
            groups.append((span, [kind]))
    return [[h for h in found if h[5] in members] for _span, members in groups]


def _line(
    segments: Sequence[Segment],
    index: int,
    shown: list[_Hit],
    asked: tuple[int, list[_Hit]] | None,
    lines_at: set[int],
    splitter: Splitter,
) -> list[JournalLine]:
    """The line quoting segment `index` for the evidence `shown` in it (and, `asked`, in
    the question before it that the tagger read with it); and, for something told as over
    whose quote does not say when, the exchange after it."""
    seg = segments[index]
    ranges = [h[0] for h in shown]
    kinds = {h[3] for h in shown}
    kind = next(k for k in _KINDS if k in kinds)
    span = _covering(seg.text, ranges, splitter, onward=kinds != {"said"})
    before = index - 1
    question = None
    if asked is not None or before not in lines_at:
        question = _question(segments, before, splitter)
    span, inner = _asked_within(seg.text, span, splitter)
    if inner is not None:  # asked and answered in one utterance: the question apart
        question = _quote(segments, index, inner)
    if (  # the tagger read the answer with its question (`asked`): it stays
        question is not None
        and asked is None
        and not _overlaps(inner or (0, 0), ranges)
        and splitter.alone is not None
        and splitter.alone(seg.text[span[0] : span[1]], question.text)
    ):
        question = None  # the answer reads on its own: its question is not quoted
    every = shown + (asked[1] if asked is not None else [])
    factors = {k: sorted({h[1] for h in every if h[3] == k}) for k in _KINDS if k in kinds}
    quote = _quote(segments, index, span)
    line = JournalLine(
        **quote.model_dump(),
        kind=kind,
        question=question,
        factors=factors.pop(kind),
        also_as=factors,
        unsure=any(h[2] for h in shown),
    )
    out = [line]
    if "over" in kinds and splitter.dated is not None and not splitter.dated(quote.text):
        told = line.factors if kind == "over" else line.also_as["over"]
        out += _what_ended_it(segments, index, told, lines_at, splitter)
    return out


def _what_ended_it(
    segments: Sequence[Segment],
    index: int,
    told: list[str],
    taken: set[int],
    splitter: Splitter,
) -> list[JournalLine]:
    """Something the tagger read as over whose quote does not say so itself ("att han spelar
    fotboll", then "Gör han det fortfarande?" / "Nej, han slutade"): the next utterances,
    whole and verbatim, as lines of their own (one that asks as the next one's question), up
    to `ONWARD_SENTENCES` of them and the first that says when, so it never reads as still
    so."""
    out: list[JournalLine] = []
    question: Quote | None = None
    for k in range(index + 1, min(len(segments), index + 1 + ONWARD_SENTENCES)):
        if k in taken or not segments[k].text.strip():
            break
        asked = _question(segments, k, splitter)
        if asked is not None and asked.char_start == 0 and question is None:
            question = asked  # the utterance is a question: the next one answers it
            continue
        line = _quote(segments, k, (0, len(segments[k].text)))
        out.append(JournalLine(**line.model_dump(), kind="over", question=question, factors=told))
        question = None
        if splitter.dated is None or splitter.dated(line.text):
            break
    return out


def fold_repeats(
    lines: Sequence[JournalLine], revised: Collection[int] = frozenset()
) -> list[JournalLine]:
    """Lines whose words were said again verbatim (same kind, text, speaker, question and
    sureness, and a speaker label the device changed with hindsight, `revised`, or not) as
    one line: the first, with the later times in `also_at` and the factors of all (of every
    kind)."""
    out: list[JournalLine] = []
    first: dict[tuple[object, ...], int] = {}
    for line in lines:
        asked = line.question.text if line.question is not None else None
        key = (line.kind, line.text, line.speaker, asked, line.unsure, line.segment in revised)
        at = first.get(key)
        if at is None:
            first[key] = len(out)
            out.append(line)
            continue
        kept = out[at]
        out[at] = kept.model_copy(
            update={
                "also_at": [*kept.also_at, line.start, *line.also_at],
                "factors": sorted({*kept.factors, *line.factors}),
                "also_as": {
                    k: sorted({*kept.also_as.get(k, []), *line.also_as.get(k, [])})
                    for k in _KINDS
                    if k in kept.also_as or k in line.also_as
                },
            }
        )
    return out


Place = tuple[int, int, int]
"""Words in the transcript: (segment, char_start, char_end)."""


class Persons(Protocol):
    """Who, other than the client, the meeting's words name, as the tagger reads them
    (`risk_factors.tagger.persons`)."""

    @property
    def naming(self) -> Collection[Place]:
        """The words that name a person other than the client ("pappa", "Marcus")."""
        ...

    @property
    def named(self) -> Mapping[tuple[int, int], Place]:
        """(segment, char_start) of a "han"/"hon" read as such a person → the words that
        last named them."""
        ...


def with_referents(
    lines: Sequence[JournalLine],
    segments: Sequence[Segment],
    persons: Persons,
    splitter: Splitter = Splitter(),
) -> list[JournalLine]:
    """The lines of one area, each "han"/"hon" the tagger read as another person made
    readable: when the last person named in what is shown before the pronoun (the area's
    lines above, in the order they read: referents, question, quote; then the line's own
    words before it) is not that person, the words that named them are shown with the line:
    as its question when they are in the question just before it, else in `referents` (the
    clause naming them, verbatim, with its time). When it is that person named in a line
    above (not in the line's own words), the same clause is kept in `held`, shown only once
    no line above quotes the naming word any more (`shown_referents`: a line dropped or moved
    on the review page). Verbatim only: nothing is written."""
    pronouns: dict[int, list[tuple[int, Place]]] = {}
    for (segment, at), place in persons.named.items():
        pronouns.setdefault(segment, []).append((at, place))
    naming = sorted(set(persons.naming) | set(persons.named.values()))
    shown: list[Place] = []
    out: list[JournalLine] = []
    for line in lines:
        if line.segment is None or line.segment >= len(segments) or line.edited:
            out.append(line)
            continue
        question, referents, held = line.question, list(line.referents), list(line.held)
        for answer, quoted in ((False, line.question), (True, line)):
            if quoted is None:
                continue
            seg, begin, end = _place(quoted)
            for at, place in sorted(pronouns.get(seg, [])):
                if not begin <= at < end:
                    continue
                before = [*shown, *(_place(r) for r in referents)]
                if answer and question is not None:
                    before.append(_place(question))
                before.append((seg, begin, at))
                if _last_named(naming, before) == place:
                    own = before[len(shown) :]
                    if _last_named(naming, own) is None and all(
                        (h.word_start, h.word_end) != place[1:] or h.segment != place[0]
                        for h in held
                    ):
                        clause = _naming_clause(segments, place, splitter)
                        held.append(
                            HeldReferent(
                                **clause.model_dump(), word_start=place[1], word_end=place[2]
                            )
                        )
                    continue
                asked = _asked_naming(segments, line, question, place, splitter)
                earlier = _sentence_before(segments, line, place, splitter)
                if answer and earlier is not None:
                    line = line.model_copy(update=earlier.model_dump())  # its own words on
                    begin = line.char_start
                elif answer and asked is not None:
                    question = asked  # the question before, from the words naming them
                elif all(not _inside(place, _place(r)) for r in referents):
                    referents.append(_naming_clause(segments, place, splitter))
        if question is not line.question or referents != line.referents or held != line.held:
            referents.sort(key=lambda q: (q.segment or 0, q.char_start))
            update = {"question": question, "referents": referents, "held": held}
            line = line.model_copy(update=update)
        shown += [_place(q) for q in (*line.referents, line.question, line) if q is not None]
        out.append(line)
    return out


def shown_referents(lines: Sequence[JournalLine]) -> list[list[Quote]]:
    """For each line of an area as it stands (after any drop, move or pull on the review
    page), the words naming whom its "han"/"hon" stands for that are shown with it: its
    `referents`, and each of its `held` ones whose naming word no line above it quotes any
    more (a line above as shown: its referents, its question, and its words unless the
    caseworker edited them). In meeting order."""
    out: list[list[Quote]] = []
    above: list[Place] = []
    for line in lines:
        shown: list[Quote] = list(line.referents)
        for held in line.held:
            word = (held.segment or 0, held.word_start, held.word_end)
            if not any(_inside(word, quoted) for quoted in above):
                shown.append(Quote(**held.model_dump(exclude={"word_start", "word_end"})))
        shown.sort(key=lambda q: (q.segment or 0, q.char_start))
        out.append(shown)
        quoted = [*shown, line.question, None if line.edited else line]
        above += [_place(q) for q in quoted if q is not None and q.segment is not None]
    return out


def _place(quote: Quote) -> Place:
    length = len(quote.text)
    return (quote.segment or 0, quote.char_start, quote.char_start + length)


def _inside(word: Place, quoted: Place) -> bool:
    return word[0] == quoted[0] and quoted[1] <= word[1] and word[2] <= quoted[2]


def _last_named(naming: Sequence[Place], shown: Sequence[Place]) -> Place | None:
    """The last word naming someone in what is shown (places in reading order)."""
    for quoted in reversed(shown):
        inside = [w for w in naming if _inside(w, quoted)]
        if inside:
            return inside[-1]
    return None


def _asked_naming(
    segments: Sequence[Segment],
    line: JournalLine,
    question: Quote | None,
    word: Place,
    splitter: Splitter,
) -> Quote | None:
    """The question the line answers (the utterance before, when it asks), taken from the
    sentence holding `word` on when that sentence is the question or the one before it ("Du
    nämnde din bror. Hur har han det?"); None when `word` is not there or the line shows
    another question."""
    asks = _question(segments, (line.segment or 0) - 1, splitter)
    if asks is None or word[0] != asks.segment:
        return None
    if question is not None and _place(question) != _place(asks):
        return None
    sentences = [s for s in splitter.sentences(segments[word[0]].text) if s[0] <= asks.char_start]
    for sentence in sentences[-2:]:
        if sentence[0] <= word[1] < sentence[1]:
            return _quote(segments, word[0], (sentence[0], _place(asks)[2]))
    return None


def _sentence_before(
    segments: Sequence[Segment], line: JournalLine, word: Place, splitter: Splitter
) -> Quote | None:
    """The line's quote from the sentence just before it on, when that sentence of the same
    utterance holds `word` ("Det är min sambo, Marcus. Han har tagit stryptag …"); else
    None."""
    if word[0] != line.segment or word[1] >= line.char_start:
        return None
    before = [s for s in splitter.sentences(segments[word[0]].text) if s[1] <= line.char_start]
    if not before or not before[-1][0] <= word[1] < before[-1][1]:
        return None
    return _quote(segments, word[0], (before[-1][0], _place(line)[2]))


NAMING_SENTENCE_WORDS: Final = 8
"""A sentence naming someone of at most this many words is quoted whole as a referent."""


def _naming_clause(segments: Sequence[Segment], word: Place, splitter: Splitter) -> Quote:
    """The words naming a person (`word`) as a referent: their sentence when it asks or is
    short ("Det är min sambo, Marcus."), else its clause holding them, verbatim."""
    text = segments[word[0]].text
    for sentence in splitter.sentences(text):
        if sentence[0] <= word[1] < sentence[1]:
            words = text[sentence[0] : sentence[1]]
            if splitter.asks(words) or len(words.split()) <= NAMING_SENTENCE_WORDS:
                return _quote(segments, word[0], sentence)
            for clause in splitter.clauses(text, sentence):
                if clause[0] <= word[1] < clause[1]:
                    begin, end = clause
                    while end > begin and text[end - 1] in _TRAILING:
                        end -= 1
                    return _quote(segments, word[0], (begin, max(end, word[2])))
            return _quote(segments, word[0], sentence)
    return _quote(segments, word[0], (word[1], word[2]))


def marks_as_lines(segments: Sequence[Segment], marks: Sequence[Mark]) -> list[JournalLine]:
    """Each mark with the utterance being said at that moment (or the last one before it)."""
    out: list[JournalLine] = []
    for mark in sorted(marks, key=lambda m: m.at):
        index = None
        for i, seg in enumerate(segments):
            if seg.start <= mark.at:
                index = i
        if index is None:
            out.append(JournalLine(kind="mark", segment=None, start=mark.at, text=""))
            continue
        seg = segments[index]
        out.append(
            JournalLine(
                kind="mark",
                segment=index,
                start=mark.at,
                text=seg.text,
                speaker=_speaker(seg),
            )
        )
    return out


def whole_transcript(segments: Sequence[Segment]) -> Journal:
    """An old (fredag.draft/1) draft's "Vad som framkom": every segment, outside any area."""
    lines = [
        JournalLine(segment=i, start=s.start, text=s.text, speaker=_speaker(s))
        for i, s in enumerate(segments)
    ]
    return Journal(areas=[JournalArea(area=None, lines=lines)] if lines else [])


# ------------------------------------------------------------------ rendering


def area_heading(area: JournalArea, lang: Lang = "sv") -> str:
    name = area.name_en if lang == "en" and area.name_en else area.name_sv
    return name or (area.area or label("outside_areas", lang))


def quote_line(
    quote: Quote,
    prefix: str | None = None,
    *,
    start: float | None = None,
    also_at: Sequence[float] = (),
    verbatim: Verbatim = _same,
    revised: bool = False,
    lang: Lang = "sv",
) -> str:
    """`[mm:ss] Label: "words"`: a time (and the times the same words were said again), an
    optional fixed label or speaker (`revised`: a label the device changed with hindsight,
    marked so, `speaker_name`), the quote."""
    who = [prefix] if prefix else []
    if quote.speaker:
        who.append(speaker_name(verbatim(quote.speaker), revised, lang))
    times = [quote.start if start is None else start, *also_at]
    head = "[" + ", ".join(clock(t) for t in times) + "]"
    if who:
        head += " " + " – ".join(who) + ":"
    if quote.segment is None and not quote.text:
        return head.rstrip(":")
    return f'{head} "{verbatim(quote.text)}"'


def line_texts(
    line: JournalLine,
    lang: Lang = "sv",
    verbatim: Verbatim = _same,
    *,
    implied: str | None = None,
    referents: Sequence[Quote] | None = None,
    revised: Collection[int] = frozenset(),
) -> list[str]:
    """The rendered lines of one journal line: the words naming whom its "han"/"hon" stands
    for ("Sammanhang – handläggare:"; `referents`, by default the line's own, as
    `shown_referents` gives them for its area) and its question first, when it has them. A
    quote by `implied` (the speaker named once above all lines) carries no speaker of its
    own. A quote of a segment in `revised` (its label the device changed with hindsight,
    `revised_segments`) always names its speaker, marked so (`speaker_name`)."""

    def marked(quote: Quote) -> bool:
        return bool(quote.speaker) and quote.segment in revised

    def said(quote: Quote, prefix: str | None, also_at: Sequence[float] = ()) -> str:
        return quote_line(
            quote, prefix, also_at=also_at, verbatim=verbatim, revised=marked(quote), lang=lang
        )

    out: list[str] = []
    for referent in line.referents if referents is None else referents:
        if implied is not None and referent.speaker == implied and not marked(referent):
            referent = referent.model_copy(update={"speaker": None})
        out.append(said(referent, label("referent", lang)))
    if line.question is not None:
        question = line.question
        if (question.speaker or "").strip().lower() == CASEWORKER_LABEL and not marked(question):
            # the caseworker's own question: "Fråga:" is hers; anyone else's is named
            question = question.model_copy(update={"speaker": None})
        out.append(said(question, label("question", lang)))
    prefix = {
        "said": None,
        "denied": label("denied", lang),
        "over": None,  # told as over: the quote says so itself; it is no denial
        "mark": label("mark", lang),
    }
    quote = line
    if line.kind != "mark" and implied is not None and line.speaker == implied and not marked(line):
        quote = line.model_copy(update={"speaker": None})
    text = said(quote, prefix[line.kind], line.also_at)
    if line.unsure:
        text += f" {label('unsure', lang)}"
    if line.edited:
        # The caseworker's words, not the transcript's: never passed off as a verbatim quote.
        text += f" {label('edited', lang)}"
    out.append(text)
    return out


def implied_speaker(
    journal: Journal, lang: Lang = "sv", revised: Collection[int] = frozenset()
) -> str | None:
    """The speaker named once under "Vad som framkom" ("Talare om inget annat anges: person
    1") instead of on each of their lines: whoever said most of the quoted lines, when naming
    them once makes the text shorter; None otherwise (and for the caseworker's own words).
    Lines whose label the device revised (`revised`) are not counted: they name their
    speaker anyway, marked."""
    said: dict[str, int] = {}
    for area in journal.areas:
        for line in area.lines:
            if line.segment in revised:
                continue
            if line.speaker and line.speaker.strip().lower() != CASEWORKER_LABEL:
                said[line.speaker] = said.get(line.speaker, 0) + 1
    if not said:
        return None
    who, count = max(sorted(said.items()), key=lambda kv: kv[1])
    note = len(label("speaker_unless_named", lang).split()) + len(who.split())
    return who if count * len(who.split()) > note else None


def area_group(heading: str) -> tuple[str | None, str]:
    """ "Barnets behov: hälsa" → ("Barnets behov", "Hälsa"); a name without a group → (None,
    name)."""
    group, sep, rest = heading.partition(": ")
    if not sep or not rest.strip():
        return None, heading
    return group, rest[:1].upper() + rest[1:]


def journal_lines(
    journal: Journal,
    lang: Lang = "sv",
    verbatim: Verbatim = _same,
    *,
    has_speech: bool = True,
    revised: Collection[int] = frozenset(),
) -> list[str]:
    """ "Vad som framkom" and "Markeringar" as text; an area without lines has no heading.
    Areas of one group (BBIC's "Barnets behov: hälsa", "Barnets behov: utbildning") share
    the group's heading once, each area's own name under it; a speaker who said most lines
    is named once at the top (`implied_speaker`). Quotes of the segments in `revised` name
    their speaker marked as changed by the device (`line_texts`)."""
    out = [label("heard", lang)]
    areas = [a for a in journal.areas if a.lines]
    if not areas:
        out.append(label("no_quotes" if has_speech else "no_speech", lang))
    implied = implied_speaker(journal, lang, revised)
    if implied is not None:
        out.append(f"{label('speaker_unless_named', lang)}: {verbatim(implied)}")
    current: str | None = None
    for area in areas:
        indent = "  " if area.area is not None else ""
        if area.area is not None or len(areas) > 1:
            group, name = area_group(area_heading(area, lang))
            if group is None:
                out += ["", area_heading(area, lang)]
            else:
                if group != current:
                    out += ["", group]
                out.append(f"  {name}")
                indent = "    "
            current = group
        for line, shown in zip(area.lines, shown_referents(area.lines), strict=True):
            texts = line_texts(
                line, lang, verbatim, implied=implied, referents=shown, revised=revised
            )
            out += [f"{indent}{text}" for text in texts]
    if journal.marks:
        out += ["", label("marks", lang)]
        for line in journal.marks:
            out += [f"  {text}" for text in line_texts(line, lang, verbatim, revised=revised)]
    return out


def header_lines(
    meeting: Meeting, lang: Lang = "sv", verbatim: Verbatim = _same, caseworker: str | None = None
) -> list[str]:
    start, end = to_local(meeting.started_at), to_local(meeting.ended_at)
    present = ", ".join(meeting.present)
    return [
        f"{label('date', lang)}: {start:%Y-%m-%d}, {label('at', lang)} {start:%H:%M}–{end:%H:%M}",
        f"{label('caseworker', lang)}: {verbatim(caseworker or meeting.caseworker)}",
        f"{label('case', lang)}: {verbatim(meeting.case_ref)} "
        f"({label('case_type_' + meeting.case_type, lang)})",
        f"{label('contact_type', lang)}: {verbatim(meeting.contact_type)}",
        f"{label('present', lang)}: {verbatim(present) if present else label('not_given', lang)}",
        label("consent", lang),
    ]


def factor_lines(
    factors: Sequence[FactorNote], catalogue_version: str, lang: Lang = "sv", reviewed: bool = False
) -> list[str]:
    """The factors noted, names only, by group: risk, protective, asked about and denied.
    Only for text versions saved before the entry was structured (`server.web.entry`)."""
    note = f"{label('catalogue', lang)} {catalogue_version}"
    if reviewed:
        note += f", {label('reviewed', lang)}"
    out = [f"{label('factors', lang)} ({note})"]
    for group, key in (("risk", "risk"), ("protective", "protective"), ("denied", "asked_denied")):
        names = [f.name for f in factors if f.group == group]
        out.append(
            f"{label(key, lang)}: {'; '.join(names) if names else label('none_noted', lang)}"
        )
    return out


def _written(text: str | None, lang: Lang, verbatim: Verbatim) -> list[str]:
    if text is None:  # a draft: left empty for the caseworker (the review page has the box)
        return []
    if not text.strip():
        return [label("not_written", lang)]
    return [verbatim(text.strip())]


def render_entry(entry: Entry, lang: Lang = "sv", verbatim: Verbatim = _same) -> str:
    """The entry as the caseworker reads, approves and exports it. `verbatim` wraps every text
    people said or wrote (meeting details, quotes, Bedömning): what the tool did not write."""
    title = label("title_final" if entry.final else "title_draft", lang)
    lines = [
        title,
        "",
        *header_lines(entry.meeting, lang, verbatim, entry.caseworker),
        "",
        *journal_lines(
            entry.journal, lang, verbatim, has_speech=entry.has_speech, revised=entry.revised
        ),
        "",
        label("assessment", lang),
        *_written(entry.assessment, lang, verbatim),
        "",
        label("planning", lang),
        *_written(entry.planning, lang, verbatim),
        "",
        label("footer", lang).format(model=entry.model_name),
    ]
    return "\n".join(lines) + "\n"


def tool_lines(entry: Entry, lang: Lang = "sv") -> list[str]:
    """Every line of the entry the tool wrote: the rendering with what people said or wrote
    blanked out. This is what the guard checks."""
    text = render_entry(entry, lang, verbatim=lambda _s: "…")
    return [line for line in text.splitlines() if line.strip()]


def attachment_lines(
    segments: Sequence[Segment], lang: Lang = "sv", names: Mapping[str, str] | None = None
) -> list[str]:
    """ "Bilaga: transkription": the whole transcript with times, each speaker as the
    caseworker named them in the entry (`names`: device label → her name). Never journal
    text."""
    out = [label("attachment", lang)]
    for seg in segments:
        who = _speaker(seg)
        if who:
            who = (names or {}).get(who, who)
            # A label the device changed with hindsight (issue 15): said so, never silently.
            who = speaker_name(who, speaker_revised(seg), lang)
        out.append(f"[{clock(seg.start)}] {who + ': ' if who else ''}{seg.text}")
    return out
