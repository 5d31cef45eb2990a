"""The no-intervention, no-assessment guard for tool-authored text in a draft.

Only words the tool writes are checked (headings, labels, factor names); what the client and
caseworker said is quoted, not authored, and is left alone. `risk_factors.guard` is the one
rule set when it is installed; the patterns here are the floor used until then.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from fredag.errors import GuardError

# Phrases that propose an intervention or state an assessment, in Swedish and English.
_FLOOR_PATTERNS = (
    r"\brekommender\w*",
    r"\bföreslå\w*",
    r"\bförslag\w*\s+(?:till|på|om)\b",
    r"\bbör\s+(?:\w+\s+){0,2}(?:placeras|omhändertas|utredas|beviljas|erbjudas|få|ges|ha)\b",
    r"\bbehöver\s+(?:\w+\s+){0,2}(?:placeras|omhändertas|insats\w*)",
    r"\binsats\w*\s*:",
    r"\bbedömning\s*:\s*\S",
    r"\b(?:vi|jag|fredag)\s+bedömer\b",
    r"\bsocialtjänsten\s+bör\b",
    r"\bomedelbar\s+placering\b",
    r"\brecommend\w*",
    r"\bshould\s+be\s+(?:placed|removed|investigated)\b",
    r"\bassessment\s*:\s*\S",
)
_FLOOR = re.compile("|".join(_FLOOR_PATTERNS), re.IGNORECASE)

Checker = Callable[[str], str | None]


def _floor_check(text: str) -> str | None:
    match = _FLOOR.search(text)
    return match.group(0) if match else None


def _checker() -> Checker:
    """`risk_factors.guard`'s check when it is there, else the floor."""
    from device import guard_adapter

    return guard_adapter.load() or _floor_check


def check_tool_text(pieces: Iterable[str], *, checker: Checker | None = None) -> None:
    """Raise `GuardError` when any piece proposes an intervention or states an assessment."""
    check = checker or _checker()
    for piece in pieces:
        hit = check(piece) or _floor_check(piece)
        if hit:
            raise GuardError(
                f"refusing to produce the draft: tool-authored text proposes an intervention "
                f"or an assessment ({hit!r} in {piece[:80]!r})"
            )
