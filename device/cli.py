"""The handheld's commands: `fredag transcribe` (and, as they land, record, draft, sessions,
device, sync, status). Each command imports its heavy parts when it runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from fredag.errors import NoSpeech
from fredag.settings import get_settings

PROGRESS_MIN_AUDIO_S = 60.0


def transcribe(
    audio: Path = typer.Argument(..., help="wav, mp3, m4a, ogg or flac file."),
    model: str | None = typer.Option(
        None, "--model", help="Model name or CTranslate2 directory (default: FREDAG_MODEL)."
    ),
    language: str | None = typer.Option(None, "--language", help="Spoken language (default sv)."),
    as_json: bool = typer.Option(False, "--json", help="Print segments and metadata as JSON."),
) -> None:
    """Transcribe a recording on this device, offline."""
    from device.audio import decode_file, duration_s
    from device.transcribe import TranscribeOptions, Transcriber
    from models.registry import resolve

    settings = get_settings(model=model, language=language)
    samples = decode_file(audio)
    resolved = resolve(settings.model, settings.models_dir)
    transcriber = Transcriber(
        resolved, compute_type=settings.compute_type, cpu_threads=settings.cpu_threads
    )
    options = TranscribeOptions(language=settings.language, beam_size=settings.beam_size)
    total = duration_s(samples)
    if sys.stderr.isatty() and total >= PROGRESS_MIN_AUDIO_S:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("Transkriberar", total=total)
            result = transcriber.transcribe(
                samples, options, progress=lambda done: bar.update(task, completed=done)
            )
    else:
        result = transcriber.transcribe(samples, options)
    if not result.segments:
        raise NoSpeech(f"no speech found in {audio} ({total:.1f} s of audio)")
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        for seg in result.segments:
            typer.echo(f"[{seg.start:7.2f} → {seg.end:7.2f}] {seg.text}")


def register(app: typer.Typer) -> None:
    app.command("transcribe")(transcribe)
