"""The `fredag record` and `fredag sessions` flows: wiring settings, store, model, source,
the meeting controller, its views and inputs, and the signed draft together.

`open_meeting` is the composition point any front end uses (the terminal here, a touch
screen in the same process): it returns the controller and signs the draft afterwards."""

from __future__ import annotations

from collections.abc import Callable
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
from device.meeting.compose import StageContext, post_decode_stages
from device.meeting.controller import MeetingController, RecordResult
from device.stages.factors import MeetingFactors
from device.stages.streaming import StreamingOptions
from device.stages.tagging import load_tagger
from device.stages.transcribe import TranscribeOptions, Transcriber
from device.views.keys import KeyInput, stop_on_signals
from device.views.terminal import attach, make_view, who
from fredag.clock import local_text
from fredag.errors import CaptureError, DeviceLocked, StoreError, UsageError
from fredag.journal import clock
from fredag.protocol import ModelInfo
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


def _identity(
    settings: DeviceSettings, on_message: Callable[[str], None] | None = None
) -> DeviceIdentity:
    identity, created = load_or_init_identity(settings.home)
    if created and on_message is not None:
        on_message(f"Skapade enhetens identitet {identity.key_id[:16]}… (fredag device init)")
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


@dataclass(frozen=True)
class OpenMeeting:
    """A meeting ready to start: its controller (subscribe views to `controller.events`, give
    inputs its controls) and what is needed to sign its draft when it has ended."""

    controller: MeetingController
    log: SessionLog
    meta: SessionMeta
    settings: DeviceSettings
    model: ModelInfo
    language: str
    title: str

    def sign(self, result: RecordResult) -> SignedDraft:
        """The signed draft of an ended meeting, stored in its session; a capture failure
        leaves the session resumable instead."""
        log = self.log
        if result.capture_error is not None:
            log.state("paused", result.audio_s)
            raise CaptureError(
                f"{result.capture_error} — session {log.session_id[:8]} is kept with "
                f"{len(result.segments)} segments; continue with `fredag record --resume "
                f"{log.session_id[:8]}` or finish it with `fredag sessions finish "
                f"{log.session_id[:8]}`"
            )
        log.state("stopped", result.audio_s)
        try:
            identity = _identity(self.settings)  # the signing key, only while unlocked
        except DeviceLocked:
            raise DeviceLocked(
                f"the meeting stopped while the device was locked: session "
                f"{log.session_id[:8]} is kept, sealed; unlock (`fredag device unlock`) and "
                f"sign its draft with `fredag sessions finish {log.session_id[:8]}`"
            ) from None
        signed = sign_segments(
            meta=self.meta,
            ended_at=datetime.now(UTC),
            segments=result.segments,
            duration_s=result.audio_s,
            language=self.language,
            model=self.model,
            tagging=result.tagging,
            identity=identity,
            marks=result.marks,
        )
        finish(log, signed, result.audio_s)
        return signed


def open_meeting(
    req: RecordRequest, on_message: Callable[[str], None] | None = None
) -> OpenMeeting:
    """Settings, store, source, model, session and controller for one meeting (new, or
    resumed with `req.resume`). The meeting's details and consent come in `req.meta`."""
    from risk_factors.dictionary import warm_up

    # The live loop hears words with probabilities, so the tagger may ask the Swedish
    # dictionary whether an unsure word is two run together: missing, that is an error now,
    # before anything is recorded; its load (seconds) runs beside the model's and the meeting's.
    warm_up()
    settings = get_settings(model=req.model)
    store = Store(settings.home)
    store.cipher()  # a wrong key or passphrase fails now, before anything is recorded
    source = _source(req)  # device problems fail here, before a session exists
    _identity(settings, on_message)  # set up now if new; the key is loaded to sign, not held
    resolved = resolve(settings.model, settings.models_dir)
    transcriber = Transcriber(
        resolved, compute_type=settings.compute_type, cpu_threads=settings.live_cpu_threads
    )
    log, previous = _open_session(store, req)
    meta = previous.meta if previous is not None else req.meta
    assert meta is not None
    offset = previous.audio_s + RESUME_GAP_S if previous is not None else 0.0
    if previous is not None:
        log.state("resumed", offset)
    log.model(resolved.info, settings.language)
    controller = MeetingController(
        log=log,
        meta=meta,
        source=source,
        transcriber=transcriber,
        tagger=load_tagger(),
        options=StreamingOptions(
            transcribe=TranscribeOptions(language=settings.language, beam_size=settings.beam_size)
        ),
        offset_s=offset,
        previous=previous,
        stages=post_decode_stages(StageContext(settings, store, meta)),
    )
    title = f"Ärende {meta.case_ref} · {source.description} · session {log.session_id[:8]}"
    return OpenMeeting(controller, log, meta, settings, resolved.info, settings.language, title)


def run_recording(req: RecordRequest) -> SignedDraft:
    """`fredag record`: the meeting on this terminal, its keys and signals as inputs."""
    view = make_view(req.plain)
    meeting = open_meeting(req, view.message)
    controller = meeting.controller
    attach(view, controller.events)
    view.start(meeting.title)
    try:
        with KeyInput(controller).reading(), stop_on_signals(controller.stop):
            result = controller.run()
    finally:
        view.stop()
    signed = meeting.sign(result)
    view.message(signed.draft.rendered)
    view.message(f"Utkastet är signerat och sparat (session {meeting.log.session_id[:8]}).")
    return signed


def finish_session(prefix: str) -> SignedDraft:
    """Make and sign the draft of an interrupted (or stopped) session from its journal: with
    the factors noted while it was recorded (and any segments committed but never tagged,
    when it was cut off between the two)."""
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
    factors = MeetingFactors(
        load_tagger(),
        record.meta.case_type,
        previous=record.segments,
        noted=record.noted,
        tagged_through=record.tagged_through,
        words=record.words,
    )
    caught_up = factors.catch_up()
    if caught_up.tags or caught_up.denied or factors.tagged_through != record.tagged_through:
        log.factors(caught_up, factors.tagged_through)
    signed = sign_segments(
        meta=record.meta,
        ended_at=record.last_at,
        segments=record.segments,
        duration_s=record.audio_s,
        language=record.language,
        model=record.model,
        tagging=factors.tagging(),
        identity=_identity(settings),
        marks=record.marks,
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
    # Each line with its speaker, as the live view and the draft show it.
    return [head] + [f"[{clock(s.start)}] {who(s)}{s.text}" for s in record.segments]
