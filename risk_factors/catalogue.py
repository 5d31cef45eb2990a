"""Load, validate, hash and export the factor catalogue.

    from risk_factors.catalogue import load_catalogue, catalogue_sha256
    cat = load_catalogue()              # the packaged risk_factors/data/catalogue.yaml
    cat = load_catalogue(path)          # another file (YAML or JSON)
    validate_catalogue(data)            # a dict, e.g. an admin's edit on the server

Every problem raises `fredag.errors.CatalogueError` with messages naming the factor and field:
missing or duplicate slugs (every slug of the contract in `risk_factors.slugs` stays, retired
if need be; admins may add new ones), kind, level or applies_to that differ from the contract,
missing or undefined sources, cues that do not compile or write an alternative twice in
one group, and text that proposes an intervention
or an assessment (`risk_factors.guard`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from fredag.errors import CatalogueError
from fredag.protocol import canonical_json
from risk_factors.cues import CueSyntaxError, Lexicon, compile_cue
from risk_factors.guard import first_prescription
from risk_factors.schema import Catalogue, Factor
from risk_factors.slugs import CONTRACT

__all__ = [
    "catalogue_sha256",
    "default_catalogue_path",
    "export_csv",
    "export_json",
    "load_catalogue",
    "validate_catalogue",
]

MAX_ERRORS_SHOWN = 12
_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def default_catalogue_path() -> Path:
    """The catalogue shipped inside the package."""
    return Path(str(resources.files("risk_factors").joinpath("data", "catalogue.yaml")))


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Read and validate a catalogue file (YAML or JSON); the packaged one when `path` is None."""
    if path is None:
        return _default_catalogue()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_catalogue() -> Catalogue:
    return _load(default_catalogue_path())


def _load(path: Path) -> Catalogue:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CatalogueError(f"no catalogue file at {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"cannot read catalogue {path}: {exc}") from exc
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: not valid YAML/JSON: {exc}") from exc
    return validate_catalogue(data, where=str(path))


def validate_catalogue(data: Any, where: str = "catalogue") -> Catalogue:
    """A validated Catalogue from parsed data, or CatalogueError listing every problem found."""
    if not isinstance(data, dict):
        raise CatalogueError(
            f"{where}: a catalogue is a mapping with version, sources, factors",
            (
                (
                    "a catalogue is a mapping with version, sources, factors",
                    "en katalog är en tabell med version, källor och faktorer",
                ),
            ),
        )
    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as exc:
        _raise(where, [_pydantic_message(data, err) for err in exc.errors()])
    problems = _contract_problems(catalogue) + _source_problems(catalogue)
    problems += _area_problems(catalogue)
    problems += _cue_problems(catalogue) + _guard_problems(catalogue)
    if problems:
        _raise(where, problems)
    return catalogue


# Each problem in English (the CLI's message) and Swedish (the admin page), one per problem.
Problem = tuple[str, str]


def _at(slug: str, field: str) -> tuple[str, str]:
    return f"factor {slug!r}, field {field!r}", f"faktor {slug!r}, fält {field!r}"


def _raise(where: str, problems: list[Problem]) -> Any:
    shown = [en for en, _sv in problems[:MAX_ERRORS_SHOWN]]
    more = f" (and {len(problems) - len(shown)} more)" if len(problems) > len(shown) else ""
    raise CatalogueError(f"{where}: " + "; ".join(shown) + more, tuple(problems))


_PYDANTIC_SV = {
    "missing": "saknas",
    "string_too_short": "får inte vara tomt",
    "too_short": "får inte vara tomt",
    "string_pattern_mismatch": "har fel form",
    "extra_forbidden": "okänt fält",
    "string_type": "ska vara text",
    "bool_type": "ska vara ja eller nej",
    "list_type": "ska vara en lista",
    "dict_type": "ska vara en tabell (namn: värde)",
}


def _pydantic_sv(err: Any) -> str:
    kind = str(err.get("type", ""))
    if kind == "literal_error":
        return f"måste vara ett av: {err.get('ctx', {}).get('expected', '')}"
    return _PYDANTIC_SV.get(kind, f"ogiltigt värde ({err['msg']})")


def _pydantic_message(data: dict[str, Any], err: Any) -> Problem:
    loc = list(err["loc"])
    msg = str(err["msg"])
    if len(loc) >= 2 and loc[0] == "factors" and isinstance(loc[1], int):
        factors = data.get("factors") or []
        raw = factors[loc[1]] if loc[1] < len(factors) else {}
        slug = raw.get("slug", f"#{loc[1]}") if isinstance(raw, dict) else f"#{loc[1]}"
        field = ".".join(str(p) for p in loc[2:]) or "(factor)"
        en, sv = _at(str(slug), field)
        return f"{en}: {msg}", f"{sv}: {_pydantic_sv(err)}"
    field = ".".join(str(p) for p in loc)
    return f"field {field!r}: {msg}", f"fält {field!r}: {_pydantic_sv(err)}"


def _contract_problems(catalogue: Catalogue) -> list[Problem]:
    """The slug contract: every factor-spec slug stays, with its kind, level and applies_to.

    A contract slug is never removed or renamed (retire it with `retired: true` instead, which
    keeps old drafts' references meaningful). Admins may add new factors with new slugs.
    """
    problems: list[Problem] = []
    counts = Counter(f.slug for f in catalogue.factors)
    for slug, n in counts.items():
        if n > 1:
            en, sv = _at(slug, "slug")
            problems.append((f"{en}: duplicate slug ({n} times)", f"{sv}: koden finns {n} gånger"))
    for slug in sorted(set(CONTRACT) - set(counts)):
        en, sv = _at(slug, "slug")
        problems.append(
            (
                f"{en}: missing from the catalogue (a factor-spec slug is "
                "never removed or renamed; set 'retired: true' instead)",
                f"{sv}: saknas i katalogen (en kod ur faktorspecifikationen tas aldrig bort "
                "eller byter namn – avveckla faktorn i stället)",
            )
        )
    for factor in catalogue.factors:
        spec = CONTRACT.get(factor.slug)
        if spec is None:
            continue
        for name in ("kind", "level", "applies_to"):
            if getattr(factor, name) != getattr(spec, name):
                en, sv = _at(factor.slug, name)
                have, want = getattr(factor, name), getattr(spec, name)
                problems.append(
                    (
                        f"{en}: {have!r} differs from the contract value {want!r}",
                        f"{sv}: {have!r} skiljer sig från det avtalade värdet {want!r}",
                    )
                )
    return problems


def _source_problems(catalogue: Catalogue) -> list[Problem]:
    problems: list[Problem] = []
    for factor in catalogue.factors:
        en, sv = _at(factor.slug, "sources")
        if not factor.sources:
            problems.append((f"{en}: no source cited", f"{sv}: ingen källa anges"))
        for code in factor.sources:
            if code not in catalogue.sources:
                problems.append(
                    (
                        f"{en}: {code!r} is not defined in the catalogue's sources",
                        f"{sv}: källan {code!r} finns inte bland katalogens källor",
                    )
                )
    return problems


def _area_problems(catalogue: Catalogue) -> list[Problem]:
    """Every life area is defined once, with cited sources; every factor names an area of the
    right case type for each case type it applies to."""
    problems: list[Problem] = []
    areas = {a.slug: a for a in catalogue.areas}
    for slug, n in Counter(a.slug for a in catalogue.areas).items():
        if n > 1:
            problems.append(
                (f"area {slug!r}: defined {n} times", f"livsområde {slug!r}: finns {n} gånger")
            )
    for area in catalogue.areas:
        for code in area.sources:
            if code not in catalogue.sources:
                problems.append(
                    (
                        f"area {area.slug!r}, field 'sources': {code!r} is not defined in the "
                        "catalogue's sources",
                        f"livsområde {area.slug!r}, fält 'sources': källan {code!r} finns inte "
                        "bland katalogens källor",
                    )
                )
    for factor in catalogue.factors:
        wanted = ("barn", "vuxen") if factor.applies_to == "alla" else (factor.applies_to,)
        for case_type in ("barn", "vuxen"):
            wanted_slug: str | None = getattr(factor.area, case_type) if factor.area else None
            en, sv = _at(factor.slug, f"area.{case_type}")
            if wanted_slug is None:
                if case_type in wanted:
                    problems.append(
                        (
                            f"{en}: no life area for {case_type} cases",
                            f"{sv}: inget livsområde för {case_type}ärenden",
                        )
                    )
                continue
            found = areas.get(wanted_slug)
            if found is None:
                problems.append(
                    (
                        f"{en}: {wanted_slug!r} is not one of the catalogue's areas",
                        f"{sv}: {wanted_slug!r} är inte ett av katalogens livsområden",
                    )
                )
            elif found.case_type != case_type:
                problems.append(
                    (
                        f"{en}: {wanted_slug!r} is an area of {found.case_type} cases",
                        f"{sv}: {wanted_slug!r} är ett livsområde för {found.case_type}ärenden",
                    )
                )
    return problems


def _written_twice(text: str | None) -> list[str]:
    """The alternatives written twice inside one `|` group of a cue's match or unless, in
    lower case with single spaces ("ilska|ilskan|ilska" gives ["ilska"]). A regular expression
    has no groups."""
    if not text or text.startswith("re:"):
        return []
    twice: list[str] = []
    for group in text.split("+"):
        counts = Counter(" ".join(alt.lower().split()) for alt in group.split("|"))
        twice += [alt for alt, n in counts.items() if n > 1 and alt and alt not in twice]
    return twice


def _cue_problems(catalogue: Catalogue) -> list[Problem]:
    """Cues that do not compile, and an alternative written twice in one group: it changes
    nothing the tagger finds, so an admin who removes one copy expecting a change is misled."""
    problems: list[Problem] = []
    lexicon = Lexicon()
    for factor in catalogue.factors:
        for i, cue in enumerate(factor.cues):
            en, sv = _at(factor.slug, f"cues[{i}]")
            try:
                compile_cue(factor.slug, cue.match, lexicon, unless=cue.unless)
            except CueSyntaxError as exc:
                problems.append(
                    (f"{en}: cannot compile: {exc}", f"{sv}: ledtråden går inte att tolka: {exc}")
                )
            for field, text in (("match", cue.match), ("unless", cue.unless)):
                for alt in _written_twice(text):
                    problems.append(
                        (
                            f"{en}: {alt!r} is written twice in one group of {field!r}",
                            f"{sv}: {alt!r} står två gånger i samma grupp i {field!r}",
                        )
                    )
    return problems


def _texts(factor: Factor) -> list[tuple[str, str]]:
    out = [("name.sv", factor.name.sv), ("name.en", factor.name.en)]
    out.append(("description", factor.description))
    out += [(f"examples.positive[{i}]", t) for i, t in enumerate(factor.examples.positive)]
    out += [(f"examples.negative[{i}]", t) for i, t in enumerate(factor.examples.negative)]
    return out


def _guard_problems(catalogue: Catalogue) -> list[Problem]:
    problems: list[Problem] = []
    for code, citation in catalogue.sources.items():
        hit = first_prescription(citation)
        if hit:
            problems.append(
                (
                    f"source {code!r}: proposes an intervention or assessment ({hit.phrase!r})",
                    f"källa {code!r}: föreslår en insats eller bedömning ({hit.phrase!r})",
                )
            )
    for area in catalogue.areas:
        for field, text in (("name.sv", area.name.sv), ("name.en", area.name.en)):
            hit = first_prescription(text)
            if hit:
                problems.append(
                    (
                        f"area {area.slug!r}, field {field!r}: found {hit.phrase!r}",
                        f"livsområde {area.slug!r}, fält {field!r}: {hit.phrase!r} föreslår "
                        "en insats eller bedömning",
                    )
                )
    for factor in catalogue.factors:
        for field, text in _texts(factor):
            hit = first_prescription(text)
            if hit:
                en, sv = _at(factor.slug, field)
                problems.append(
                    (
                        f"{en}: the catalogue describes factors and never prescribes; "
                        f"found {hit.phrase!r}",
                        f"{sv}: katalogen beskriver faktorer och föreskriver aldrig något – "
                        f"{hit.phrase!r} föreslår en insats eller bedömning",
                    )
                )
    return problems


def catalogue_sha256(catalogue: Catalogue) -> str:
    """sha256 (hex) of the catalogue's canonical JSON: sorted keys, compact, UTF-8."""
    return hashlib.sha256(canonical_json(catalogue.model_dump(mode="json"))).hexdigest()


def export_json(catalogue: Catalogue) -> str:
    """The catalogue as JSON, with its sha256 and each factor's sources expanded to citations."""
    data = catalogue.model_dump(mode="json")
    data["sha256"] = catalogue_sha256(catalogue)
    for factor in data["factors"]:
        factor["citations"] = [catalogue.sources[c] for c in factor["sources"]]
    return json.dumps(data, ensure_ascii=False, indent=2)


CSV_COLUMNS = (
    "slug",
    "kind",
    "level",
    "applies_to",
    "name_sv",
    "name_en",
    "description",
    "sources",
    "citations",
)


def export_csv(catalogue: Catalogue) -> str:
    """One row per factor, in the columns of factor-spec.csv plus description and citations."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in catalogue.factors:
        writer.writerow(
            [
                f.slug,
                f.kind,
                f.level,
                f.applies_to,
                f.name.sv,
                f.name.en,
                f.description,
                "; ".join(f.sources),
                " | ".join(catalogue.sources[c] for c in f.sources),
            ]
        )
    return buf.getvalue()
