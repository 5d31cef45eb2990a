"""The no-intervention, no-assessment guard applied to tool-authored text in a draft.

Only words the tool writes are checked (headings, labels, factor names); what the client and
caseworker said is quoted, not authored, and is left alone. The rules are the team's one rule
set, `risk_factors.guard`; `checker` lets a test inject another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fredag.errors import GuardError
from risk_factors.guard import first_prescription

Checker = Callable[[str], str | None]


def prescription(text: str) -> str | None:
    """The first phrase in `text` that proposes an intervention or states an assessment."""
    hit = first_prescription(text)
    return None if hit is None else hit.phrase


def check_tool_text(pieces: Iterable[str], *, checker: Checker | None = None) -> None:
    """Raise `GuardError` when any piece proposes an intervention or states an assessment."""
    check = checker or prescription
    for piece in pieces:
        hit = check(piece)
        if hit:
            raise GuardError(
                f"refusing to produce the draft: tool-authored text proposes an intervention "
                f"or an assessment ({hit!r} in {piece[:80]!r})"
            )
