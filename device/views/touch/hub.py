"""What the touch screen does on the device: the one meeting of this process (through the
meeting controller of `device.meeting`), the start screen's facts, signing and sync.

The screen's handlers call these from worker threads (`anyio.to_thread`): opening a meeting
loads the model, signing writes the store, sync talks to the server.
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from device.capture.sources import AudioSource, FileSource, MicrophoneSource
from device.journal.draft import build_draft
from device.journal.identity import load_or_init_identity
from device.journal.refusal import note_refusal
from device.journal.session import SessionMeta, list_sessions, load_session
from device.journal.signing import SignedDraft, finish
from device.journal.store import Store
from device.keys.vault import vault_for
from device.meeting.controller import RecordResult
from device.meeting.recording import OpenMeeting, RecordRequest, finish_session, open_meeting
from device.sync import enrollment
from device.sync.index import DraftIndex
from device.sync.outbox import Outbox
from device.views.messages import Code, failure_code
from device.views.touch.live import LiveMeeting
from device.views.touch.miccheck import MicCheck
from device.views.touch.voice import Enrolled, VoiceRecording, enrolled_voice
from fredag.clock import local_text
from fredag.errors import FredagError, StoreError, UsageError
from fredag.protocol import Draft, Mark, Segment
from fredag.settings import get_settings

RECENT_CASES = 6
LOCK_AFTER_S = 300.0  # the screen locks after five minutes without a touch


def _when(at: datetime | None) -> str | None:
    return local_text(at, "%Y-%m-%d %H:%M") if at is not None else None


@dataclass(frozen=True)
class Source:
    """Where a meeting's audio comes from: a microphone (default input, or `device`), or a
    recording played at `speed` (`make run`'s sample meeting). The caseworker's reading of the
    enrolment text ("Min röst") comes from the same microphone, or from `voice_input` played
    at `speed` (tests, demos)."""

    device: str | None = None
    input_file: Path | None = None
    speed: float = 1.0
    stop_after_s: float | None = None
    voice_input: Path | None = None


@dataclass(frozen=True)
class Interrupted:
    session_id: str
    case_ref: str
    started: str
    segments: int
    audio: str


@dataclass(frozen=True)
class StartFacts:
    server_url: str | None
    enrolled_to: str | None
    waiting: int
    last_sync: str | None
    last_error: str | None
    free_disk_gb: float
    interrupted: tuple[Interrupted, ...]
    recent_cases: tuple[str, ...]
    source: str
    voice: Enrolled | None = None  # the caseworker's enrolled voice ("Min röst")


@dataclass
class Meeting:
    """The meeting of this process: running, then ended with a draft to sign."""

    opened: OpenMeeting
    live: LiveMeeting
    result: RecordResult | None = None
    draft: Draft | None = None
    signed: SignedDraft | None = None
    failure: str | None = None
    failure_kind: Code | None = None  # see `failure_kind`


def failure_kind(exc: BaseException) -> Code:
    """What stopped a meeting, for the screen's banner (`device.views.messages.failure_code`;
    the controller published the same code the moment it happened)."""
    return failure_code(exc)


class Hub:
    def __init__(self, source: Source, lock_after_s: float = LOCK_AFTER_S) -> None:
        self.source = source
        self.lock_after_s = lock_after_s
        self.last_activity = time.monotonic()
        self.settings = get_settings()
        self.home = self.settings.home
        self.meeting: Meeting | None = None
        self.last_signed: Draft | None = None
        self.sync_message: str | None = None
        self.voice: VoiceRecording | None = None
        self._lock = threading.Lock()
        self.mic = MicCheck(self.open_input)

    def store(self) -> Store:
        return Store(self.home)

    # -- locked and unlocked ------------------------------------------------------------------
    def unlocked(self) -> bool:
        """Whether the device's keys are open in this process (FREDAG_PASSPHRASE opens them
        once at start, as for every command; after a lock only the passphrase does)."""
        vault = vault_for(self.home)
        if vault.refresh():
            return True
        try:
            self.store().cipher()
        except FredagError:
            return False
        return vault.is_unlocked

    def unlock(self, passphrase: str) -> None:
        vault_for(self.home).unlock(passphrase)
        self.touched()

    def lock(self) -> None:
        vault_for(self.home).lock()

    def touched(self) -> None:
        self.last_activity = time.monotonic()

    def lock_when_idle(self, stop: threading.Event, every_s: float = 1.0) -> None:
        """Lock the device once nobody touched the screen for `lock_after_s` (a thread)."""
        while not stop.wait(every_s):
            idle = time.monotonic() - self.last_activity
            if idle >= self.lock_after_s and vault_for(self.home).is_unlocked:
                self.lock()

    def recording_for(self) -> float | None:
        """How long the running meeting has recorded (the locked screen shows only this)."""
        if not self.running() or self.meeting is None:
            return None
        return self.meeting.live.snapshot()[1].elapsed_s

    # -- the start screen -------------------------------------------------------------------
    def caseworker(self) -> str:
        """The draft's Handläggare: as for `fredag record` (`enrollment.draft_caseworker`)."""
        return enrollment.draft_caseworker(self.store())

    def start_facts(self) -> StartFacts:
        store = self.store()
        enrolled = enrollment.load_optional(store)
        outbox = Outbox(store).state()
        unsent = sum(
            1 for r in DraftIndex(store).signed_drafts() if r.draft_id not in outbox.entries
        )
        try:
            sessions = list_sessions(store)
        except StoreError:
            sessions = []
        interrupted = tuple(
            Interrupted(
                r.meta.session_id,
                r.meta.case_ref,
                local_text(r.meta.started_at, "%Y-%m-%d %H:%M"),
                len(r.segments),
                f"{int(r.audio_s) // 60:02d}:{int(r.audio_s) % 60:02d}",
            )
            for r in sessions
            if r.interrupted and (self.meeting is None or r.meta.session_id != self._running_id())
        )
        recent: list[str] = []
        for r in reversed(sessions):
            if r.meta.case_ref not in recent:
                recent.append(r.meta.case_ref)
        src = self.source
        return StartFacts(
            server_url=enrolled.server_url if enrolled else None,
            enrolled_to=enrolled.caseworker if enrolled else None,
            waiting=len(outbox.pending()) + unsent,
            last_sync=local_text(outbox.last_run_at, "%Y-%m-%d %H:%M")
            if outbox.last_run_at
            else None,
            last_error=outbox.last_run_error,
            free_disk_gb=shutil.disk_usage(self.home if self.home.exists() else Path.home()).free
            / 1e9,
            interrupted=interrupted,
            recent_cases=tuple(recent[:RECENT_CASES]),
            source=str(src.input_file.name) if src.input_file else (src.device or "standard"),
            voice=enrolled_voice(store),
        )

    def open_input(self) -> AudioSource:
        """The input a meeting records from, for the microphone check."""
        src = self.source
        if src.input_file is not None:
            return FileSource(src.input_file, speed=src.speed)
        return MicrophoneSource(src.device)

    def _running_id(self) -> str | None:
        return self.meeting.opened.log.session_id if self.meeting is not None else None

    # -- the caseworker's voice ("Min röst") ----------------------------------------------------
    def voice_busy(self) -> bool:
        return self.voice is not None and not self.voice.done

    def start_voice(self) -> VoiceRecording:
        """Record a reading of the enrolment text from the meeting's input (never during a
        meeting: the microphone is the meeting's)."""
        with self._lock:
            if self.running():
                raise UsageError("a meeting is running: the microphone is in use")
            if self.voice_busy():
                raise UsageError("a reading is being recorded already")
            src = self.source
            audio: AudioSource
            if src.voice_input is not None:
                audio = FileSource(src.voice_input, speed=src.speed)
            else:
                audio = MicrophoneSource(src.device)
            self.mic.cancel()  # the input is opened once, by the reading
            recording = VoiceRecording(audio, self.store(), self.unlocked)
            recording.start()
            self.voice = recording
            return recording

    # -- a meeting ----------------------------------------------------------------------------
    def running(self) -> bool:
        m = self.meeting
        return m is not None and m.result is None and m.failure is None

    def begin(self, meta: SessionMeta | None, resume: str | None = None) -> Meeting:
        """Open the meeting (model, session, source) and start recording."""
        with self._lock:
            if self.running():
                raise UsageError("a meeting is running already")
            if self.voice_busy():
                raise UsageError("the microphone is recording a reading for 'Min röst'")
            self.mic.cancel()  # the meeting's input is opened once, by the meeting
            req = RecordRequest(
                meta=meta,
                resume=resume,
                input_file=self.source.input_file,
                device=self.source.device,
                speed=self.source.speed,
                stop_after_s=self.source.stop_after_s,
            )
            opened = open_meeting(req)
            live = LiveMeeting()
            opened.controller.events.subscribe(live.on_event)
            meeting = Meeting(opened, live)
            self.meeting = meeting
            opened.controller.start()
        threading.Thread(target=self._await_end, args=(meeting,), daemon=True).start()
        return meeting

    def _await_end(self, meeting: Meeting) -> None:
        try:
            result = meeting.opened.controller.wait()
            assert result is not None
            meeting.draft = self._preview(meeting.opened, result)
            meeting.result = result
        except FredagError as exc:
            meeting.failure, meeting.failure_kind = str(exc), failure_kind(exc)
        except Exception as exc:  # the screen must show something, not hang
            meeting.failure = f"{type(exc).__name__}: {exc}"
            meeting.failure_kind = failure_kind(exc)
        finally:
            if meeting.result is None and meeting.failure is None:
                meeting.failure = "the meeting ended without a result"
            if meeting.failure is not None:
                meeting.live.ended("finish")  # the banner is up: continue, or finish and sign
            elif meeting.result is not None and meeting.result.capture_error is not None:
                meeting.live.ended("draft")  # the microphone vanished: continue, or the draft
            else:
                meeting.live.ended()

    def _preview(self, opened: OpenMeeting, result: RecordResult) -> Draft:
        """The draft exactly as it will be signed."""
        return build_draft(
            meta=opened.meta,
            ended_at=datetime.now(UTC),
            segments=result.segments,
            duration_s=result.audio_s,
            language=opened.language,
            model=opened.model,
            tagging=result.tagging,
            device_key_id=load_or_init_identity(self.home)[0].key_id,
            marks=[Mark(at=at) for at in result.marks],
        )

    def sign(self) -> SignedDraft:
        """Sign the previewed draft and store it in its session (queued for sync)."""
        with self._lock:
            meeting = self.meeting
            if meeting is None or meeting.draft is None or meeting.result is None:
                raise UsageError("no ended meeting to sign")
            if meeting.signed is None:
                log, audio_s = meeting.opened.log, meeting.result.audio_s
                log.state("stopped", audio_s)
                draft = meeting.draft
                identity, _ = load_or_init_identity(self.home)  # DeviceLocked while locked
                meeting.signed = SignedDraft(draft, identity.sign(draft))
                finish(log, meeting.signed, audio_s)
                self.last_signed = draft
            return meeting.signed

    def kept_segments(self, meeting: Meeting) -> tuple[Segment, ...]:
        """What a meeting that stopped on a failure has in its journal (all that was shown)."""
        return load_session(self.store(), meeting.opened.log.session_id).segments

    def close_meeting(self) -> None:
        with self._lock:
            if self.meeting is not None and not self.running():
                self.meeting = None

    def refuse(
        self, case_ref: str, case_type: str, contact_type: str, present: tuple[str, ...]
    ) -> None:
        note_refusal(
            self.store(),
            case_ref=case_ref,
            case_type=case_type,
            contact_type=contact_type,
            present=present,
            caseworker=self.caseworker(),
        )

    def finish_interrupted(self, session_id: str) -> Draft:
        if session_id == self._running_id() and self.running():
            raise UsageError("that meeting is running")
        signed = finish_session(session_id)
        self.last_signed = signed.draft
        with self._lock:
            if self._running_id() == session_id and not self.running():
                self.meeting = None  # the meeting that stopped on a failure, now finished
        return signed.draft

    # -- sync ---------------------------------------------------------------------------------
    def sync_now(self) -> tuple[bool, str]:
        """Upload what is queued; (ok, a line for the screen)."""
        from device.sync.cli import summary
        from device.sync.client import run_sync
        from device.sync.settings import sync_settings

        if enrollment.load_optional(self.store()) is None:
            return False, "not_enrolled"
        report = run_sync(self.home, sync_settings(attempts=2))
        lines = summary(report)
        ok = report.failure is None and not report.refused
        text = lines[0] if ok else (report.error or lines[0])
        self.sync_message = text
        return ok, text

    def draft_sync_state(self, draft_id: str) -> str:
        """queued | sent | refused | unsent: this draft's place in the outbox."""
        entry = Outbox(self.store()).state().entries.get(draft_id)
        if entry is None:
            return "unsent"
        if entry.confirmed_at is not None:
            return "sent"
        if entry.refused:
            return "refused"
        return "queued"
