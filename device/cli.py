"""The handheld's commands: `fredag transcribe`, `draft`, `record`, `sessions`, `devices` and
`device init` (sync and status land with the sync client). Each command imports its heavy
parts when it runs."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from fredag.errors import NoSpeech, UsageError
from fredag.settings import get_settings

if TYPE_CHECKING:
    from device.capture.audio import AudioArray
    from device.journal.session import SessionMeta
    from device.stages.transcript_file import TranscriptFile

PROGRESS_MIN_AUDIO_S = 60.0
AUDIO_ARG = typer.Argument(..., help="wav, mp3, m4a, ogg or flac file.")


def transcribe(
    audio: Path = AUDIO_ARG,
    model: str | None = typer.Option(
        None, "--model", help="Model name or CTranslate2 directory (default: FREDAG_MODEL)."
    ),
    language: str | None = typer.Option(None, "--language", help="Spoken language (default sv)."),
    as_json: bool = typer.Option(False, "--json", help="Print segments and metadata as JSON."),
) -> None:
    """Transcribe a recording on this device, offline."""
    from device.capture.audio import decode_file, duration_s
    from device.stages.transcribe import TranscribeOptions, Transcriber
    from models.registry import resolve

    settings = get_settings(model=model, language=language)
    samples = decode_file(audio)
    resolved = resolve(settings.model, settings.models_dir)
    transcriber = Transcriber(
        resolved, compute_type=settings.compute_type, cpu_threads=settings.cpu_threads
    )
    options = TranscribeOptions(
        language=settings.language, beam_size=settings.beam_size, word_timestamps=True
    )
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


CASE_OPT = typer.Option(..., "--case", help="The case reference, as the municipality uses it.")
CASE_TYPE_OPT = typer.Option(..., "--case-type", help="barn or vuxen.")
CONTACT_OPT = typer.Option("besök", "--contact-type", help="besök, hembesök, telefon, …")
PRESENT_OPT = typer.Option(
    None, "--present", help="Someone present (repeat the option; e.g. 'klienten', 'mamma')."
)
CASEWORKER_OPT = typer.Option(
    None,
    "--caseworker",
    help="The caseworker's name (default: FREDAG_CASEWORKER, else the caseworker this device "
    "is enrolled to).",
)


def _caseworker(name: str | None) -> str:
    """Who the draft names as Handläggare: as given, else the caseworker the device is
    enrolled to; never the operating-system login ("ej angiven" on a device not enrolled)."""
    from device.journal.store import Store
    from device.sync.enrollment import draft_caseworker
    from fredag.settings import get_settings

    return draft_caseworker(Store(get_settings().home), name)


def _meta(
    case: str,
    case_type: str,
    contact_type: str,
    present: list[str] | None,
    caseworker: str | None,
    consent: bool,
    keep_audio: bool = False,
) -> SessionMeta:
    from device.journal.session import SessionMeta

    return SessionMeta(
        case_ref=case,
        case_type=case_type,  # type: ignore[arg-type]  # checked by SessionMeta
        contact_type=contact_type,
        present=tuple(present or ()),
        caseworker=_caseworker(caseworker),
        consent_confirmed=consent,
        keep_audio=keep_audio,
    )


TRANSCRIPT_OPT = typer.Option(
    None,
    "--transcript",
    help="Make the draft from this transcript (the JSON of `fredag transcribe --json`) "
    "instead of a recording: no audio, no model.",
)


RECORDING_ARG = typer.Argument(None, help="The recording of the meeting (or --transcript).")


def draft(
    audio: Path | None = RECORDING_ARG,
    case: str = CASE_OPT,
    case_type: str = CASE_TYPE_OPT,
    contact_type: str = CONTACT_OPT,
    present: list[str] | None = PRESENT_OPT,
    caseworker: str | None = CASEWORKER_OPT,
    consent: bool = typer.Option(
        True, "--consent/--no-consent", help="The client agreed to the recording (default yes)."
    ),
    model: str | None = typer.Option(None, "--model", help="Model name or directory."),
    transcript: Path | None = TRANSCRIPT_OPT,
    as_json: bool = typer.Option(False, "--json", help="Print the draft as JSON."),
) -> None:
    """Make a signed draft journal entry from a recording or a transcript (stored for sync)."""
    from device.journal.identity import load_or_init_identity
    from device.journal.session import SessionLog
    from device.journal.signing import finish, sign_segments
    from device.journal.store import Store
    from device.stages.tagging import load_tagger, tag_meeting

    if (audio is None) == (transcript is None):
        raise UsageError("give either a recording or --transcript FILE")
    if audio is not None:
        from risk_factors.dictionary import warm_up

        # Whisper's words will need the dictionary (words run together): missing, it is an
        # error now rather than after the transcription; its load runs beside it.
        warm_up()
    meta = _meta(case, case_type, contact_type, present, caseworker, consent)
    settings = get_settings(model=model)
    source = audio if audio is not None else transcript
    assert source is not None
    heard = _heard_meeting(audio, transcript, model)
    # The file's time is when the meeting ended; it began its duration earlier.
    ended_at = datetime.fromtimestamp(source.stat().st_mtime, UTC)
    meta = replace(meta, started_at=ended_at - timedelta(seconds=heard.duration_s))
    identity, created = load_or_init_identity(settings.home)
    if created:
        typer.echo(f"fredag: created this device's identity {identity.key_id[:16]}…", err=True)
    store = Store(settings.home)
    log = SessionLog.create(store, meta)
    log.model(heard.model, heard.language)
    for seg in heard.segments:
        log.segment(seg)
    # Tagged once, with how each segment was heard where the transcriber said; journaled.
    tagging = tag_meeting(load_tagger(), heard.segments, meta.case_type, heard.heard)
    log.factors(tagging, len(heard.segments))
    signed = sign_segments(
        meta=meta,
        ended_at=ended_at,
        segments=heard.segments,
        duration_s=heard.duration_s,
        language=heard.language,
        model=heard.model,
        tagging=tagging,
        identity=identity,
    )
    finish(log, signed, heard.duration_s)
    if as_json:
        from device.journal.draft import draft_view

        typer.echo(json.dumps(draft_view(signed.draft), ensure_ascii=False, indent=2))
    else:
        typer.echo(signed.draft.rendered, nl=False)


def _heard_meeting(
    audio: Path | None, transcript: Path | None, model: str | None
) -> TranscriptFile:
    """The meeting's segments: read from `transcript`, or transcribed from `audio` now."""
    from device.stages.transcript_file import read_transcript

    if transcript is not None:
        heard = read_transcript(transcript)
        if not heard.segments:
            raise NoSpeech(f"the transcript {transcript} has no segments")
        return heard
    assert audio is not None
    from device.capture.audio import decode_file, duration_s
    from device.stages.transcribe import TranscribeOptions, Transcriber
    from models.registry import resolve

    settings = get_settings(model=model)
    samples = decode_file(audio)
    resolved = resolve(settings.model, settings.models_dir)
    transcriber = Transcriber(
        resolved, compute_type=settings.compute_type, cpu_threads=settings.cpu_threads
    )
    options = TranscribeOptions(
        language=settings.language, beam_size=settings.beam_size, word_timestamps=True
    )
    result = transcriber.transcribe(samples, options)
    if not result.segments:
        raise NoSpeech(f"no speech found in {audio} ({duration_s(samples):.1f} s of audio)")
    return _with_speakers(result.to_json(), str(audio), samples)


def _with_speakers(data: dict[str, Any], source: str, samples: AudioArray) -> TranscriptFile:
    """The transcript with who said each segment (`device.stages.speakers`, the caseworker's
    enrolment used); a segment in which the voice changes where a turn may end (a pause the
    live loop's VAD ends an utterance at) is split there into one segment per voice."""
    from device.journal.store import Store
    from device.stages.speakers import open_tracker, transcript_with_speakers

    tracker = open_tracker(Store(get_settings().home))
    return transcript_with_speakers(tracker, data, samples, source)[1]


INPUT_OPT = typer.Option(
    None, "--input", help="Play this recording into the loop at real-time pace instead of a mic."
)
SPEED_OPT = typer.Option(1.0, "--speed", help="Pace factor for --input (2 = twice as fast).")
DEVICE_OPT = typer.Option(None, "--device", help="Input device name (or part) or index.")


def record(
    case: str | None = typer.Option(
        None, "--case", help="The case reference, as the municipality uses it."
    ),
    case_type: str | None = typer.Option(None, "--case-type", help="barn or vuxen."),
    input_file: Path | None = INPUT_OPT,
    device: str | None = DEVICE_OPT,
    contact_type: str = CONTACT_OPT,
    present: list[str] | None = PRESENT_OPT,
    caseworker: str | None = CASEWORKER_OPT,
    consent: bool = typer.Option(
        False, "--consent", help="The client was told about the recording and agreed."
    ),
    keep_audio: bool = typer.Option(
        False, "--keep-audio", help="Keep the raw audio (encrypted) after transcription."
    ),
    speed: float = SPEED_OPT,
    stop_after: float | None = typer.Option(
        None, "--stop-after", help="Stop after this many seconds of audio."
    ),
    resume: str | None = typer.Option(
        None, "--resume", help="Continue an interrupted session (id or its start)."
    ),
    plain: bool = typer.Option(False, "--plain", help="Plain line output, no live panel."),
    model: str | None = typer.Option(None, "--model", help="Model name or directory."),
) -> None:
    """Record a meeting live: transcribe, note factors, and sign a draft when it ends."""
    from device.meeting.recording import RecordRequest, run_recording

    meta = None
    if resume is None:
        if case is None or case_type is None:
            raise UsageError("--case and --case-type are needed (or --resume SESSION)")
        if not consent and sys.stdin.isatty():
            consent = typer.confirm(
                "Har klienten informerats om inspelningen och samtyckt till den?", default=False
            )
        meta = _meta(case, case_type, contact_type, present, caseworker, consent, keep_audio)
    run_recording(
        RecordRequest(
            meta=meta,
            resume=resume,
            input_file=input_file,
            device=device,
            speed=speed,
            stop_after_s=stop_after,
            plain=plain or None,
            model=model,
        )
    )
    from device.sync.cli import auto_sync  # upload the new draft now when a server answers

    auto_sync()


sessions_app = typer.Typer(
    help="Meetings stored on this device, including interrupted ones.",
    invoke_without_command=True,
)


@sessions_app.callback()
def sessions_list(ctx: typer.Context) -> None:
    """List the sessions on this device (interrupted ones can be resumed or finished)."""
    if ctx.invoked_subcommand is not None:
        return
    from device.meeting.recording import describe_sessions

    for line in describe_sessions():
        typer.echo(line)


@sessions_app.command("finish")
def sessions_finish(
    session: str = typer.Argument(..., help="The session id (or its first characters)."),
    as_json: bool = typer.Option(False, "--json", help="Print the draft as JSON."),
) -> None:
    """Finish an interrupted session: make and sign its draft from what was committed."""
    from device.journal.draft import draft_view
    from device.meeting.recording import finish_session

    signed = finish_session(session)
    from device.sync.cli import auto_sync  # upload the new draft now when a server answers

    auto_sync()
    if as_json:
        typer.echo(json.dumps(draft_view(signed.draft), ensure_ascii=False, indent=2))
    else:
        typer.echo(signed.draft.rendered, nl=False)


@sessions_app.command("show")
def sessions_show(
    session: str = typer.Argument(..., help="The session id (or its first characters)."),
) -> None:
    """Show a session's committed transcript."""
    from device.meeting.recording import show_session

    for line in show_session(session):
        typer.echo(line)


def devices() -> None:
    """List the audio input devices (use the index or name with --device)."""
    from device.capture.sources import list_inputs

    inputs = list_inputs()
    if not inputs:
        typer.echo("no audio input devices found")
        return
    for dev in inputs:
        mark = "*" if dev.is_default else " "
        typer.echo(
            f"{mark}{dev.index:3d}  {dev.name}  ({dev.channels} ch, "
            f"{dev.default_samplerate:.0f} Hz, {dev.hostapi})"
        )


device_app = typer.Typer(help="This device's keys and identity.", no_args_is_help=True)


@device_app.command("show")
def device_show() -> None:
    """Show this device's key id and public key (also while it is locked)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from device.keys.vault import vault_for
    from fredag.protocol import key_id

    raw = vault_for(get_settings().home).keyfile().signing_public
    public = Ed25519PublicKey.from_public_bytes(raw)
    typer.echo(f"key id: {key_id(public)}")
    pem = public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    typer.echo(pem, nl=False)


UI_PORT_OPT = typer.Option(8470, "--port", help="Port on 127.0.0.1 (only there).")
UI_DEVICE_OPT = typer.Option(None, "--device", help="Input device (default: the default one).")
UI_INPUT_OPT = typer.Option(
    None, "--input", help="Play this recording as the microphone (demos, tests)."
)
UI_SPEED_OPT = typer.Option(1.0, "--speed", help="With --input: play this many times faster.")
UI_STOP_AFTER_OPT = typer.Option(
    None, "--stop-after", help="End each meeting after this many seconds of audio (tests)."
)
UI_LOCK_OPT = typer.Option(
    5.0, "--lock-after", help="Lock the screen after this many minutes without a touch."
)
UI_VOICE_INPUT_OPT = typer.Option(
    None,
    "--voice-input",
    help="Play this recording as the caseworker reading the text of 'Min röst' (demos, tests).",
)
UI_CONSENT_OPT = typer.Option(
    None, "--consent-text", help="A text file: the consent text the caseworker reads out."
)


def ui(
    port: int = UI_PORT_OPT,
    device: str | None = UI_DEVICE_OPT,
    input_file: Path | None = UI_INPUT_OPT,
    speed: float = UI_SPEED_OPT,
    consent_text: Path | None = UI_CONSENT_OPT,
    stop_after: float | None = UI_STOP_AFTER_OPT,
    lock_after: float = UI_LOCK_OPT,
    voice_input: Path | None = UI_VOICE_INPUT_OPT,
) -> None:
    """The handheld's touch screen on http://127.0.0.1:PORT/ (open the printed launch address
    in the kiosk browser); meetings are recorded in this process."""
    from device.views.touch.hub import Source
    from device.views.touch.serve import run_ui

    if device is not None and input_file is not None:
        raise UsageError("give either --input or --device, not both")
    text = None
    if consent_text is not None:
        try:
            text = consent_text.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UsageError(
                f"cannot read the consent text {consent_text}: {exc.strerror}"
            ) from exc
    if lock_after <= 0:
        raise UsageError("--lock-after must be above 0 minutes")
    source = Source(device, input_file, speed, stop_after, voice_input)
    run_ui(port, source, text, typer.echo, lock_after * 60)


def register(app: typer.Typer) -> None:
    from device.keys import cli as keys_cli  # `device init|unlock|lock|passphrase|status`
    from device.sync import cli as sync_cli  # `sync`, `status`, `device enroll`
    from device.voice import cli as voice_cli  # `voice enroll|forget|status`

    app.command("transcribe")(transcribe)
    app.command("draft")(draft)
    app.command("record")(record)
    app.command("devices")(devices)
    app.command("ui")(ui)
    app.add_typer(sessions_app, name="sessions")
    app.add_typer(device_app, name="device")
    keys_cli.register(device_app)
    sync_cli.register(app, device_app)
    voice_cli.register(app)
