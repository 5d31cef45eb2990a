"""The no-intervention guard: tool-authored text never proposes an intervention or an assessment.

Fredag notes which factors were *mentioned*; deciding what they mean (bedömning) and what to
do (insatser, planering) is the caseworker's job. Every piece of text the tool writes itself
(catalogue entries, draft headings and summaries) goes through this guard:

    from risk_factors.guard import assert_no_prescription, find_prescriptions

    assert_no_prescription(text, where="draft.rendered")   # raises GuardError
    hits = find_prescriptions(text)                         # [] when the text is clean

Do not run it on quotes from the transcript: what people said is evidence, not tool text.
The phrases are Swedish first with the common English equivalents. Bare nouns such as
"Bedömning" (a heading left empty for the caseworker) pass; "Bedömning:" followed by text,
"bedöms", "bör placeras", "insats:" and the like do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fredag.errors import GuardError

__all__ = ["GuardHit", "assert_no_prescription", "find_prescriptions", "first_prescription"]

# (rule name, pattern). Patterns are matched case-insensitively on word boundaries.
_RULES: tuple[tuple[str, str], ...] = (
    ("recommend_sv", r"rekommender\w*"),
    ("propose_sv", r"föreslå\w*|föreslag\w*|förslag(?:et)?\s*(?::|på|till|om)"),
    ("should_sv", r"bör|borde"),
    (
        "must_place_sv",
        r"(?:ska|måste|behöver)\s+(?:\w+\s+){0,2}(?:placeras|omhändertas|utredas|flytta\s+hem)",
    ),
    ("needs_sv", r"behöver\s+(?:inte\s+)?(?:\w+as|få|ges|ha\s+stöd|träffa|gå\s+i|söka|ta\s+emot)"),
    ("place_sv", r"placeras|omhändertas|omedelbart\s+omhändertagande|omedelbar\s+placering"),
    (
        "assess_sv",
        r"bedöm(?:s|er|t|de|da|ande)|bedömningen|bedömning\s*:|bedömningsvis"
        r"|(?:min|vår|socialtjänstens)\s+bedömning|gör(?:a)?\s+bedömningen",
    ),
    (
        "intervention_sv",
        r"insats(?:er|en|erna)?\s*:|åtgärd(?:er|en|erna)?\s*:|åtgärdsförslag"
        r"|insats(?:en)?\s+(?:bör|ska|behövs)",
    ),
    (
        "risk_rating_sv",
        r"(?:hög|låg|förhöjd|måttlig|allvarlig)\s+risk(?!\s*(?:faktor|område))|risknivå\w*",
    ),
    ("lvu_sv", r"(?:ansök\w*\s+om|vård\s+enligt|beslut\s+om)\s+lvu|lvu\s+(?:bör|ska|behövs)"),
    ("recommend_en", r"recommend\w*|we\s+suggest|is\s+advised|we\s+advise"),
    (
        "should_en",
        r"should\s+(?:be\s+)?(?:placed|removed|referred|assessed|receive|get|be\s+given)"
        r"|must\s+be\s+(?:placed|removed)|needs?\s+to\s+be\s+(?:placed|removed|referred)",
    ),
    (
        "assess_en",
        r"is\s+assessed|assessment\s*:|we\s+assess|(?:high|low|elevated)\s+risk(?!\s*factor)"
        r"|risk\s+level",
    ),
    ("intervention_en", r"interventions?\s*:|proposed\s+(?:intervention|measure)s?"),
)

_COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)) for name, pattern in _RULES
)


@dataclass(frozen=True)
class GuardHit:
    """One prescribing or assessing phrase: its words, its span and the rule that caught it."""

    phrase: str
    start: int
    end: int
    rule: str


def find_prescriptions(text: str) -> list[GuardHit]:
    """Every prescribing or assessing phrase in `text`, in order of position; [] when clean."""
    hits = [
        GuardHit(m.group(0), m.start(), m.end(), name)
        for name, pattern in _COMPILED
        for m in pattern.finditer(text)
    ]
    hits.sort(key=lambda h: (h.start, -h.end))
    kept: list[GuardHit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


def first_prescription(text: str) -> GuardHit | None:
    """The first prescribing or assessing phrase in `text`, or None."""
    hits = find_prescriptions(text)
    return hits[0] if hits else None


def assert_no_prescription(text: str, where: str = "text") -> None:
    """Raise GuardError naming `where` and the phrase if `text` prescribes or assesses."""
    hit = first_prescription(text)
    if hit is not None:
        raise GuardError(
            f"{where}: tool-authored text must not propose an intervention or an assessment "
            f"(found {hit.phrase!r})"
        )
