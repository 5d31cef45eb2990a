"""`fredag catalogue validate|show|export` and `fredag tag`.

`fredag tag --jsonl` is a contract other tools call: one JSON object per input line, in order,
``{"id", "tags": [{"factor", "kind", "quote", "start", "end", "confidence"}], "denied": [...]}``.
A malformed input line gives ``{"id": ..., "error": "..."}`` in its place, a line on stderr,
and exit code 2 once every line has been answered.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from fredag.errors import CatalogueError, UsageError

catalogue_app = typer.Typer(
    help="The evidence-based factor catalogue: validate, show, export.", no_args_is_help=True
)


@catalogue_app.command("validate")
def validate(
    path: Annotated[
        Path | None, typer.Argument(help="A catalogue file; the packaged one if omitted.")
    ] = None,
) -> None:
    """Check a catalogue file against the schema, the slug contract and the no-intervention rule."""
    from risk_factors.catalogue import catalogue_sha256, default_catalogue_path, load_catalogue

    catalogue = load_catalogue(path)
    shown = path or default_catalogue_path()
    typer.echo(
        f"{shown}: ok, version {catalogue.version}, {len(catalogue.factors)} factors, "
        f"sha256 {catalogue_sha256(catalogue)}"
    )


@catalogue_app.command("show")
def show(
    slug: str = typer.Argument(..., help="A factor slug, e.g. parental_substance_abuse."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one factor: names, description, life areas, sources, cues and examples."""
    from risk_factors.catalogue import load_catalogue

    catalogue = load_catalogue()
    factor = next((f for f in catalogue.factors if f.slug == slug), None)
    if factor is None:
        raise CatalogueError(f"no factor {slug!r} in catalogue {catalogue.version}")
    data = factor.model_dump(mode="json")
    data["citations"] = [catalogue.sources[c] for c in factor.sources]
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    lines = [
        f"{factor.slug} ({factor.kind}, {factor.level}, gäller {factor.applies_to})",
        f"  {factor.name.sv} / {factor.name.en}",
        f"  {factor.description}",
        *[
            f"  Livsområde ({case_type}): {area.name.sv}"
            for case_type in ("barn", "vuxen")
            if (area := catalogue.area_of(factor.slug, case_type)) is not None
        ],
        "  Källor:",
        *[f"    - {c}" for c in data["citations"]],
        "  Ledord:",
        *[f"    - {c.match}" + (f"  (utom: {c.unless})" if c.unless else "") for c in factor.cues],
        "  Exempel som visar faktorn:",
        *[f"    + {e}" for e in factor.examples.positive],
        "  Exempel som inte gör det:",
        *[f"    - {e}" for e in factor.examples.negative],
        f"  Katalogversion {catalogue.version}",
    ]
    typer.echo("\n".join(lines))


@catalogue_app.command("export")
def export(
    fmt: str = typer.Option("json", "--format", help="json or csv."),
) -> None:
    """Write the whole catalogue to stdout as JSON (with sha256 and citations) or CSV."""
    from risk_factors.catalogue import export_csv, export_json, load_catalogue

    catalogue = load_catalogue()
    if fmt == "json":
        typer.echo(export_json(catalogue))
    elif fmt == "csv":
        typer.echo(export_csv(catalogue), nl=False)
    else:
        raise UsageError(f"--format must be json or csv, not {fmt!r}")


def tag(
    text: str | None = typer.Argument(None, help="Swedish text to tag (omit with --jsonl)."),
    case_type: str = typer.Option("barn", "--case-type", help="barn or vuxen."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
    jsonl: bool = typer.Option(
        False,
        "--jsonl",
        help='Read {"id","text","case_type"} lines on stdin, write one result line each.',
    ),
) -> None:
    """Note which catalogue factors a text mentions, each with the words that show it."""
    from risk_factors.tagger import CASE_TYPES, Tagger

    if jsonl:
        if text is not None:
            raise UsageError("give either TEXT or --jsonl, not both")
        _tag_jsonl(Tagger.default(), sys.stdin, sys.stdout)
        return
    if text is None:
        raise UsageError("nothing to tag: give TEXT, or --jsonl with JSON lines on stdin")
    if case_type not in CASE_TYPES:
        raise UsageError(f"--case-type must be barn or vuxen, not {case_type!r}")
    result = Tagger.default().tag_text(text, case_type)
    if as_json:
        payload = {
            "catalogue_version": result.catalogue_version,
            "catalogue_sha256": result.catalogue_sha256,
            "tags": [t.to_dict() for t in result.tags],
            "denied": [d.to_dict() for d in result.denied],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not result.tags and not result.denied:
        typer.echo("Inga faktorer noterade.")
    for t in result.tags:
        typer.echo(f"{t.factor} ({t.kind}, {t.confidence:.2f}): «{t.quote}» [{t.start}:{t.end}]")
    for d in result.denied:
        typer.echo(f"nekad/avslutad: {d.factor} ({d.reason}): «{d.quote}» [{d.start}:{d.end}]")


def _brief(tag: Any) -> dict[str, Any]:
    return {
        "factor": tag.factor,
        "kind": tag.kind,
        "quote": tag.quote,
        "start": tag.start,
        "end": tag.end,
        "confidence": tag.confidence,
    }


def _parse_line(line: str, number: int) -> tuple[Any, str, str]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UsageError(f"line {number}: not JSON ({exc.msg})") from exc
    if not isinstance(obj, dict):
        raise UsageError(f"line {number}: expected a JSON object")
    text, case_type = obj.get("text"), obj.get("case_type")
    if not isinstance(text, str):
        raise UsageError(f"line {number}: 'text' must be a string")
    if case_type not in ("barn", "vuxen"):
        raise UsageError(f"line {number}: 'case_type' must be barn or vuxen, not {case_type!r}")
    return obj.get("id"), text, case_type


def _tag_jsonl(tagger: Any, stdin: TextIO, stdout: TextIO) -> None:
    bad = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            ident, text, case_type = _parse_line(line, number)
        except UsageError as exc:
            bad += 1
            ident = _id_of(line)
            print(json.dumps({"id": ident, "error": str(exc)}, ensure_ascii=False), file=stdout)
            print(f"fredag tag: {exc}", file=sys.stderr)
            continue
        result = tagger.tag_text(text, case_type)
        out = {
            "id": ident,
            "tags": [_brief(t) for t in result.tags],
            "denied": [{**_brief(d), "reason": d.reason} for d in result.denied],
        }
        print(json.dumps(out, ensure_ascii=False), file=stdout, flush=False)
    stdout.flush()
    if bad:
        raise UsageError(f"{bad} malformed input line(s); see the error lines in the output")


def _id_of(line: str) -> Any:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return None
    return obj.get("id") if isinstance(obj, dict) else None


def register(app: typer.Typer) -> None:
    """Mount `catalogue` and `tag` on the root app."""
    app.add_typer(catalogue_app, name="catalogue")
    app.command("tag")(tag)
