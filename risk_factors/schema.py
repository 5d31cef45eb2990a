"""The catalogue's schema (pydantic). Loading and the checks that need more than one field live
in `risk_factors.catalogue`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["risk", "protective"]
Level = Literal[
    "individ", "familj", "kamrater", "natverk", "skola", "narsamhalle", "vuxen", "miljo", "vald"
]
AppliesTo = Literal["barn", "vuxen", "alla"]
CaseType = Literal["barn", "vuxen"]
NonEmpty = Annotated[str, Field(min_length=1, max_length=2_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(_Strict):
    sv: NonEmpty
    en: NonEmpty


class Cue(_Strict):
    """Words that, found together in one sentence, show the factor (syntax: risk_factors.cues)."""

    match: NonEmpty
    unless: NonEmpty | None = None
    window: Annotated[int, Field(ge=0, le=40)] = 8
    weight: Annotated[float, Field(gt=0, le=1)] = 0.9
    case_type: CaseType | None = None


class Examples(_Strict):
    """Sentences that show the factor (positive) and close ones that do not (negative)."""

    positive: Annotated[list[NonEmpty], Field(min_length=1)]
    negative: Annotated[list[NonEmpty], Field(min_length=1)]


class Area(_Strict):
    """A life area a factor belongs to: BBIC's areas for barn, ASI's life areas (and boende,
    våld i nära relation) for vuxen. Named, never reproducing a licensed instrument's items."""

    slug: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
    case_type: CaseType
    name: Names
    sources: Annotated[list[NonEmpty], Field(min_length=1)]


class AreaRef(_Strict):
    """The factor's area in a barn case and in a vuxen case (as `applies_to` needs them)."""

    barn: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")] | None = None
    vuxen: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")] | None = None


class Factor(_Strict):
    slug: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
    kind: Kind
    level: Level
    applies_to: AppliesTo
    name: Names
    description: NonEmpty
    sources: list[NonEmpty]
    past_counts: bool = False
    """True when a past or ended occurrence still shows the factor (e.g. prior victimisation)."""
    cues: Annotated[list[Cue], Field(min_length=1)]
    examples: Examples
    retired: bool = False
    """Retired by an admin: kept in the catalogue (slugs are never removed), never tagged."""
    area: AreaRef | None = None
    """The life area(s) the factor belongs to; the validator requires one per case type."""


class Catalogue(_Strict):
    """A versioned factor catalogue: source citations by code, and the factors citing them."""

    version: Annotated[str, Field(min_length=1, max_length=200)]
    language: Literal["sv"] = "sv"
    sources: dict[str, NonEmpty]
    areas: list[Area] = []
    factors: list[Factor]

    def area_of(self, slug: str, case_type: CaseType) -> Area | None:
        """The life area of factor `slug` in a `case_type` case (None when it has none)."""
        factor = next((f for f in self.factors if f.slug == slug), None)
        wanted = getattr(factor.area, case_type, None) if factor and factor.area else None
        return next((a for a in self.areas if a.slug == wanted), None)
