"""The journal entry a caseworker approves: their text, reviewed factors, Bedömning, Planering.

`compose()` takes the latest text version and replaces the device's factor section and the
empty Bedömning/Planering headings with the reviewed factors (rejected ones left out) and what
the caseworker wrote. If the caseworker has reworded the text so the headings are gone, the
sections are appended instead. Nothing here writes to the database.

The factor section is built from the caseworker's decisions, not from the text, so it is not
editable in the text: `locked_section_changed()` tells a save that would change it (or drop the
Bedömning/Planering headings around it) apart, and the save is refused with a message instead
of the typed words silently vanishing from the entry.
"""

from __future__ import annotations

from collections.abc import Sequence

from server.web.highlight import clock
from server.web.view import FactorGroups, FactorView

DRAFT_TITLE_PREFIX = "JOURNALANTECKNING – UTKAST"
FINAL_TITLE = "JOURNALANTECKNING"
FACTORS_HEADING = "Faktorer som nämndes"
NOT_WRITTEN = "(ej ifyllt)"


def _factor_lines(group: Sequence[FactorView]) -> list[str]:
    out: list[str] = []
    for factor in group:
        if factor.rejected:
            continue
        out.append(f"  – {factor.name} ({factor.slug})")
        out += [
            f'      "{ev.evidence.quote}" [{clock(ev.evidence.start)}–{clock(ev.evidence.end)}]'
            for ev in factor.evidence
        ]
    return out


def factor_section(groups: FactorGroups, catalogue_version: str) -> list[str]:
    lines = [f"{FACTORS_HEADING} (faktorkatalog {catalogue_version}, granskade av handläggaren)"]
    for title, group, empty in (
        ("Riskfaktorer:", groups.risk, "  – inga noterade"),
        ("Skyddsfaktorer:", groups.protective, "  – inga noterade"),
        ("Efterfrågat och förnekat:", groups.denied, "  – inget noterat"),
    ):
        lines.append(title)
        lines += _factor_lines(group) or [empty]
    return lines


def _index(lines: list[str], predicate: object, start: int = 0) -> int:
    for i in range(start, len(lines)):
        line = lines[i].strip()
        if callable(predicate) and predicate(line):
            return i
    return -1


def _structure(lines: list[str]) -> tuple[int, int, int]:
    """Line numbers of the factor heading, "Bedömning" and "Planering" (-1 when missing)."""
    i_factors = _index(lines, lambda s: s.startswith(FACTORS_HEADING))
    i_assess = _index(lines, lambda s: s == "Bedömning", max(i_factors, 0))
    i_plan = _index(lines, lambda s: s == "Planering", max(i_assess, 0))
    return i_factors, i_assess, i_plan


def _split(text: str) -> list[str]:
    return text.replace("\r\n", "\n").rstrip("\n").split("\n")


def locked_section(text: str) -> list[str] | None:
    """The factor section of `text` as compose() would replace it (blank lines and trailing
    spaces ignored), or None when the text does not have the device's structure."""
    lines = _split(text)
    i_factors, i_assess, i_plan = _structure(lines)
    if not 0 <= i_factors < i_assess < i_plan:
        return None
    return [line.rstrip() for line in lines[i_factors:i_assess] if line.strip()]


def locked_section_changed(current: str, new: str) -> bool:
    """Whether saving `new` over `current` would change the factor section compose() builds,
    or remove the Bedömning/Planering headings that keep it apart from the caseworker's own
    text (the old section would then stay beside the built one). A text without the factor
    heading at all is the caseworker's own rewrite: compose() appends the sections to it."""
    before = locked_section(current)
    if before is None:
        return False
    if not any(line.strip().startswith(FACTORS_HEADING) for line in _split(new)):
        return False
    return locked_section(new) != before


def _typed(block: list[str]) -> str:
    kept = [line for line in block if line.strip() and not line.strip().startswith("(tomt")]
    return "\n".join(kept).strip()


def _join(first: str, second: str) -> str:
    return "\n".join(part for part in (first.strip(), second.strip()) if part)


def _written(assessment: str, planning: str) -> list[str]:
    return [
        "Bedömning",
        assessment.strip() or NOT_WRITTEN,
        "",
        "Planering",
        planning.strip() or NOT_WRITTEN,
    ]


def compose(
    text: str,
    groups: FactorGroups,
    catalogue_version: str,
    assessment: str,
    planning: str,
) -> str:
    """The entry text: `text` with reviewed factors, Bedömning and Planering filled in."""
    lines = _split(text)
    if lines and lines[0].startswith(DRAFT_TITLE_PREFIX):
        lines[0] = FINAL_TITLE
    factors = factor_section(groups, catalogue_version)
    i_factors, i_assess, i_plan = _structure(lines)
    if 0 <= i_factors < i_assess < i_plan:
        # Keep anything the caseworker typed under the headings in the text itself.
        typed_assessment = _typed(lines[i_assess + 1 : i_plan])
        i_end = _index(lines, lambda s: s == "", i_plan + 1)
        i_end = len(lines) if i_end < 0 else i_end
        typed_planning = _typed(lines[i_plan + 1 : i_end])
        written = _written(_join(typed_assessment, assessment), _join(typed_planning, planning))
        body = [*lines[:i_factors], *factors, "", *written, *lines[i_end:]]
    else:
        body = [*lines, "", *factors, "", *_written(assessment, planning)]
    return "\n".join(body).rstrip("\n") + "\n"
