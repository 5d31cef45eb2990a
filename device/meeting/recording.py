"""The `fredag record` and `fredag sessions` flows: wiring settings, store, model, source,
recorder, view and the signed draft together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from device.capture.sources import AudioSource, FileSource, MicrophoneSource
from device.journal.identity import DeviceIdentity, load_or_init_identity
from device.journal.session import (
    SessionLog,
    SessionMeta,
    SessionRecord,
    find_session,
    load_session,
)
from device.journal.signing import SignedDraft, finish, sign_segments
from device.journal.store import Store
from device.meeting.recorder import Recorder
from device.stages.streaming import StreamingOptions
from device.stages.tagging import load_tagger
from device.stages.transcribe import TranscribeOptions, Transcriber
from device.views.terminal import View, make_view
from fredag.clock import local_text
from fredag.errors import CaptureError, DeviceLocked, StoreError, UsageError
from fredag.journal import clock
from fredag.settings import DeviceSettings, get_settings
from models.registry import resolve

RESUME_GAP_S = 1.0


@dataclass(frozen=True)
class RecordRequest:
    meta: SessionMeta | None
    resume: str | None
    input_file: Path | None
    device: str | None
    speed: float = 1.0
    stop_after_s: float | None = None
    plain: bool | None = None
    model: str | None = None


def _identity(settings: DeviceSettings, view: View | None = None) -> DeviceIdentity:
    identity, created = load_or_init_identity(settings.home)
    if created and view is not None:
        view.message(f"Skapade enhetens identitet {identity.key_id[:16]}… (fredag device init)")
    return identity


def _source(req: RecordRequest) -> AudioSource:
    if req.input_file is not None:
        if req.device is not None:
            raise UsageError("give either --input or --device, not both")
        return FileSource(req.input_file, speed=req.speed, stop_after_s=req.stop_after_s)
    return MicrophoneSource(req.device, stop_after_s=req.stop_after_s)


def _open_session(store: Store, req: RecordRequest) -> tuple[SessionLog, SessionRecord | None]:
    if req.resume is not None:
        log, record = SessionLog.reopen(store, find_session(store, req.resume))
        if record.finished:
            raise UsageError(f"session {log.session_id[:8]} is finished already")
        return log, record
    assert req.meta is not None
    return SessionLog.create(store, req.meta), None


def run_recording(req: RecordRequest) -> SignedDraft:
    settings = get_settings(model=req.model)
    store = Store(settings.home)
    store.cipher()  # a wrong key or passphrase fails now, before anything is recorded
    source = _source(req)  # device problems fail here, before a session exists
    view = make_view(req.plain)
    _identity(settings, view)  # set up now if new; the key itself is loaded to sign, not held
    resolved = resolve(settings.model, settings.models_dir)
    transcriber = Transcriber(
        resolved, compute_type=settings.compute_type, cpu_threads=settings.cpu_threads
    )
    log, previous = _open_session(store, req)
    meta = previous.meta if previous is not None else req.meta
    assert meta is not None
    offset = previous.audio_s + RESUME_GAP_S if previous is not None else 0.0
    if previous is not None:
        log.state("resumed", offset)
    log.model(resolved.info, settings.language)
    tagger = load_tagger()
    recorder = Recorder(
        log=log,
        case_type=meta.case_type,
        source=source,
        transcriber=transcriber,
        tagger=tagger,
        view=view,
        options=StreamingOptions(
            transcribe=TranscribeOptions(language=settings.language, beam_size=settings.beam_size)
        ),
        offset_s=offset,
        keep_audio=meta.keep_audio,
        previous=previous.segments if previous is not None else (),
    )
    view.start(f"Ärende {meta.case_ref} · {source.description} · session {log.session_id[:8]}")
    if previous is not None:
        view.committed(previous.segments)
    try:
        result = recorder.run()
    finally:
        view.stop()
    if result.capture_error is not None:
        log.state("paused", result.audio_s)
        raise CaptureError(
            f"{result.capture_error} — session {log.session_id[:8]} is kept with "
            f"{len(result.segments)} segments; continue with `fredag record --resume "
            f"{log.session_id[:8]}` or finish it with `fredag sessions finish {log.session_id[:8]}`"
        )
    log.state("stopped", result.audio_s)
    try:
        identity = _identity(settings)  # the signing key, only while the device is unlocked
    except DeviceLocked:
        raise DeviceLocked(
            f"the meeting stopped while the device was locked: session {log.session_id[:8]} is "
            "kept, sealed; unlock (`fredag device unlock`) and sign its draft with "
            f"`fredag sessions finish {log.session_id[:8]}`"
        ) from None
    signed = sign_segments(
        meta=meta,
        ended_at=datetime.now(UTC),
        segments=result.segments,
        duration_s=result.audio_s,
        language=settings.language,
        model=resolved.info,
        tagger=tagger,
        identity=identity,
    )
    finish(log, signed, result.audio_s)
    view.message(signed.draft.rendered)
    view.message(f"Utkastet är signerat och sparat (session {log.session_id[:8]}).")
    return signed


def finish_session(prefix: str) -> SignedDraft:
    """Make and sign the draft of an interrupted (or stopped) session from its journal."""
    settings = get_settings()
    store = Store(settings.home)
    session_id = find_session(store, prefix)
    log, record = SessionLog.reopen(store, session_id)
    if record.finished:
        raise UsageError(f"session {session_id[:8]} is finished already")
    if record.model is None:
        raise UsageError(f"session {session_id[:8]} never started transcribing; nothing to finish")
    if record.interrupted:
        log.state("stopped", record.audio_s)
    signed = sign_segments(
        meta=record.meta,
        ended_at=record.last_at,
        segments=record.segments,
        duration_s=record.audio_s,
        language=record.language,
        model=record.model,
        tagger=load_tagger(),
        identity=_identity(settings),
    )
    finish(log, signed, record.audio_s)
    return signed


STATE_LABEL = {
    "recording": "AVBRUTEN",
    "paused": "AVBRUTEN (pausad)",
    "resumed": "AVBRUTEN",
    "stopped": "stoppad, utan utkast",
    "finished": "klar, signerad",
}


def describe_sessions() -> list[str]:
    store = Store(get_settings().home)
    store.cipher()  # a locked device says so once, rather than every session looking damaged
    sessions: list[SessionRecord] = []
    lines = []
    for session_id in store.session_ids():
        try:
            sessions.append(load_session(store, session_id))
        except StoreError as exc:
            lines.append(f"{session_id[:8]}  SKADAD: {exc}")
    if not sessions and not lines:
        return ["inga sessioner på enheten"]
    for rec in sorted(sessions, key=lambda r: r.meta.started_at):
        meta = rec.meta
        started = local_text(meta.started_at)
        torn = " (sista skrivningen avbröts, återställd)" if rec.torn_tail else ""
        lines.append(
            f"{meta.session_id[:8]}  {started}  {meta.case_ref} ({meta.case_type})  "
            f"{len(rec.segments)} segment, {clock(rec.audio_s)}  {STATE_LABEL[rec.state]}{torn}"
        )
    if any(r.interrupted for r in sessions):
        lines.append(
            "Avbrutna sessioner: fortsätt med `fredag record --resume ID` "
            "eller avsluta med `fredag sessions finish ID`."
        )
    return lines


def show_session(prefix: str) -> list[str]:
    store = Store(get_settings().home)
    record = load_session(store, find_session(store, prefix))
    head = f"{record.meta.session_id}  {record.meta.case_ref}  {STATE_LABEL[record.state]}"
    return [head] + [f"[{clock(s.start)}] {s.text}" for s in record.segments]
