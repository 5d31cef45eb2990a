"""`fredag voice enroll | forget | status`: the caseworker's voice on this device."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from fredag.settings import get_settings

if TYPE_CHECKING:
    from device.capture.audio import AudioArray

voice_app = typer.Typer(
    help="The caseworker's voice (for 'handläggare' labels); stored encrypted, never synced.",
    no_args_is_help=True,
)
ENROL_SECONDS = 25.0
INPUT_OPT = typer.Option(
    None, "--input", help="A recording of the text being read, instead of the microphone."
)
DEVICE_OPT = typer.Option(None, "--device", help="Input device (see fredag devices).")
SECONDS_OPT = typer.Option(ENROL_SECONDS, "--seconds", help="How long to record.")


@voice_app.command("enroll")
def enroll(
    input_file: Path | None = INPUT_OPT,
    device: str | None = DEVICE_OPT,
    seconds: float = SECONDS_OPT,
) -> None:
    """Enrol the caseworker's voice: read the shown text aloud (about 20 s)."""
    from device.capture.audio import decode_file
    from device.journal.store import Store
    from device.voice import enrolment
    from device.voice.encoder import shared_encoder

    encoder = shared_encoder()  # a missing model fails before anyone starts reading
    if input_file is not None:
        audio = decode_file(input_file)
    else:
        typer.echo("Läs texten nedan högt, i lugn takt:\n")
        typer.echo(enrolment.ENROL_TEXT + "\n")
        audio = _record(device, seconds)
    result = enrolment.embed_enrolment(encoder, audio)
    enrolment.save(Store(get_settings().home), result)
    typer.echo(
        f"Röstprofil sparad ({result.speech_s:.0f} s tal), krypterad på enheten; den lämnar "
        "aldrig enheten. Ta bort den med: fredag voice forget"
    )


def _record(device: str | None, seconds: float) -> AudioArray:
    import numpy as np

    from device.capture.sources import MicrophoneSource, drain

    source = MicrophoneSource(device, stop_after_s=seconds)
    typer.echo(f"Spelar in {seconds:.0f} s från {source.description} …")
    source.start()
    try:
        chunks = list(drain(source))
    finally:
        source.close()
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)


@voice_app.command("forget")
def forget() -> None:
    """Delete the caseworker's enrolled voice from this device."""
    from device.journal.store import Store
    from device.voice import enrolment

    if enrolment.forget(Store(get_settings().home)):
        typer.echo("Röstprofilen är borttagen.")
    else:
        typer.echo("Det fanns ingen röstprofil på enheten.")


@voice_app.command("status")
def status() -> None:
    """Whether a caseworker's voice is enrolled on this device."""
    from device.journal.store import Store
    from device.voice import enrolment

    found = enrolment.load(Store(get_settings().home))
    if found is None:
        typer.echo("Ingen röstprofil: alla röster märks person 1, person 2, …")
    else:
        typer.echo(
            f"Röstprofil från {found.created_at:%Y-%m-%d %H:%M} UTC ({found.speech_s:.0f} s tal)."
        )


def register(app: typer.Typer) -> None:
    app.add_typer(voice_app, name="voice")
