"""Adapts `risk_factors.guard` (the team's one rule set) to a check returning the phrase."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def load() -> Callable[[str], str | None] | None:
    try:
        guard: Any = importlib.import_module("risk_factors.guard")
    except ModuleNotFoundError:
        return None
    first = getattr(guard, "first_prescription", None)
    if first is None:
        return None

    def check(text: str) -> str | None:
        hit = first(text)
        return None if hit is None else str(hit.phrase)

    return check
