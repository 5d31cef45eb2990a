"""Load, validate, hash and export the factor catalogue.

    from risk_factors.catalogue import load_catalogue, catalogue_sha256
    cat = load_catalogue()              # the packaged risk_factors/data/catalogue.yaml
    cat = load_catalogue(path)          # another file (YAML or JSON)
    validate_catalogue(data)            # a dict, e.g. an admin's edit on the server

Every problem raises `fredag.errors.CatalogueError` with messages naming the factor and field:
missing or duplicate slugs (every slug of the contract in `risk_factors.slugs` stays, retired
if need be; admins may add new ones), kind, level or applies_to that differ from the contract,
missing or undefined sources, cues that do not compile, and text that proposes an intervention
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
        raise CatalogueError(f"{where}: a catalogue is a mapping with version, sources, factors")
    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as exc:
        _raise(where, [_pydantic_message(data, err) for err in exc.errors()])
    problems = _contract_problems(catalogue) + _source_problems(catalogue)
    problems += _cue_problems(catalogue) + _guard_problems(catalogue)
    if problems:
        _raise(where, problems)
    return catalogue


def _raise(where: str, problems: list[str]) -> Any:
    shown = problems[:MAX_ERRORS_SHOWN]
    more = f" (and {len(problems) - len(shown)} more)" if len(problems) > len(shown) else ""
    raise CatalogueError(f"{where}: " + "; ".join(shown) + more)


def _pydantic_message(data: dict[str, Any], err: Any) -> str:
    loc = list(err["loc"])
    msg = str(err["msg"])
    if len(loc) >= 2 and loc[0] == "factors" and isinstance(loc[1], int):
        factors = data.get("factors") or []
        raw = factors[loc[1]] if loc[1] < len(factors) else {}
        slug = raw.get("slug", f"#{loc[1]}") if isinstance(raw, dict) else f"#{loc[1]}"
        field = ".".join(str(p) for p in loc[2:]) or "(factor)"
        return f"factor {slug!r}, field {field!r}: {msg}"
    return f"field {'.'.join(str(p) for p in loc)!r}: {msg}"


def _contract_problems(catalogue: Catalogue) -> list[str]:
    """The slug contract: every factor-spec slug stays, with its kind, level and applies_to.

    A contract slug is never removed or renamed (retire it with `retired: true` instead, which
    keeps old drafts' references meaningful). Admins may add new factors with new slugs.
    """
    problems: list[str] = []
    counts = Counter(f.slug for f in catalogue.factors)
    for slug, n in counts.items():
        if n > 1:
            problems.append(f"factor {slug!r}, field 'slug': duplicate slug ({n} times)")
    for slug in sorted(set(CONTRACT) - set(counts)):
        problems.append(
            f"factor {slug!r}, field 'slug': missing from the catalogue (a factor-spec slug is "
            "never removed or renamed; set 'retired: true' instead)"
        )
    for factor in catalogue.factors:
        spec = CONTRACT.get(factor.slug)
        if spec is None:
            continue
        for name in ("kind", "level", "applies_to"):
            if getattr(factor, name) != getattr(spec, name):
                problems.append(
                    f"factor {factor.slug!r}, field {name!r}: {getattr(factor, name)!r} "
                    f"differs from the contract value {getattr(spec, name)!r}"
                )
    return problems


def _source_problems(catalogue: Catalogue) -> list[str]:
    problems: list[str] = []
    for factor in catalogue.factors:
        if not factor.sources:
            problems.append(f"factor {factor.slug!r}, field 'sources': no source cited")
        for code in factor.sources:
            if code not in catalogue.sources:
                problems.append(
                    f"factor {factor.slug!r}, field 'sources': {code!r} is not defined in "
                    "the catalogue's sources"
                )
    return problems


def _cue_problems(catalogue: Catalogue) -> list[str]:
    problems: list[str] = []
    lexicon = Lexicon()
    for factor in catalogue.factors:
        for i, cue in enumerate(factor.cues):
            try:
                compile_cue(factor.slug, cue.match, lexicon, unless=cue.unless)
            except CueSyntaxError as exc:
                problems.append(f"factor {factor.slug!r}, field 'cues[{i}]': cannot compile: {exc}")
    return problems


def _texts(factor: Factor) -> list[tuple[str, str]]:
    out = [("name.sv", factor.name.sv), ("name.en", factor.name.en)]
    out.append(("description", factor.description))
    out += [(f"examples.positive[{i}]", t) for i, t in enumerate(factor.examples.positive)]
    out += [(f"examples.negative[{i}]", t) for i, t in enumerate(factor.examples.negative)]
    return out


def _guard_problems(catalogue: Catalogue) -> list[str]:
    problems: list[str] = []
    for code, citation in catalogue.sources.items():
        hit = first_prescription(citation)
        if hit:
            problems.append(
                f"source {code!r}: proposes an intervention or assessment ({hit.phrase!r})"
            )
    for factor in catalogue.factors:
        for field, text in _texts(factor):
            hit = first_prescription(text)
            if hit:
                problems.append(
                    f"factor {factor.slug!r}, field {field!r}: the catalogue describes factors and "
                    f"never prescribes; found {hit.phrase!r}"
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
