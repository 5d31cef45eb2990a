"""The handheld's touch screen: a small Starlette app served by uvicorn on 127.0.0.1, in the
process that records (`fredag ui`).

Pages are rendered on the server (Jinja2); the live parts of the meeting screen come as
server-sent events (`/handelser`) that `static/ui.js` applies; every asset is in `static/`.
Who may use it: `device.views.touch.guard`. No case content is ever in a URL: case
references, names and session ids travel in POST bodies only.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from device.journal.session import CASE_REF, CONTACT_TYPES, SessionMeta
from device.stages.relabel import speaker_choices
from device.views.messages import Code
from device.views.touch.guard import COOKIE, CsrfRefused, Guard, Secrets, check_csrf
from device.views.touch.hub import Hub, Meeting, failure_kind
from device.views.touch.live import mmss
from device.views.touch.miccheck import CheckState
from device.views.touch.texts import DEFAULT_CONSENT, LANG_COOKIE, error_text, text
from device.views.touch.voice import enrolled_voice as voice_enrolled
from device.views.touch.voice import forget as voice_forget
from device.voice.attribution import CASEWORKER_LABEL
from device.voice.enrolment import ENROL_TEXT
from fredag.errors import FredagError

HERE = Path(__file__).parent
PRESENT_CHOICES = ("klienten", "mamma", "pappa", "barnet", "vårdnadshavare", "tolk")
SSE_WAIT_S = 10.0


class TouchApp:
    """The routes, with the hub (the device side) and this start's secrets."""

    def __init__(self, hub: Hub, keys: Secrets, *, consent_text: str | None = None) -> None:
        self.hub = hub
        self.keys = keys
        self.consent_text = consent_text or DEFAULT_CONSENT
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.globals["mmss"] = mmss

    # -- helpers ------------------------------------------------------------------------------
    def lang(self, request: Request) -> str:
        return "en" if request.cookies.get(LANG_COOKIE) == "en" else "sv"

    def page(self, request: Request, name: str, status_code: int = 200, **values: Any) -> Response:
        lang = self.lang(request)
        context = {
            "lang": lang,
            "t": lambda key: text(lang, key),
            "csrf": self.keys.csrf,
            "here": request.url.path,
            **values,
        }
        return self.templates.TemplateResponse(request, name, context, status_code=status_code)

    def error_page(self, request: Request, exc: FredagError, status_code: int = 409) -> Response:
        """An action that failed: what happened in plain words, the error's own (English)
        text apart as the technical reason."""
        message = error_text(self.lang(request), exc)
        return self.page(request, "error.html", status_code, message=message, detail=str(exc))

    async def action(self, request: Request) -> FormData:
        try:
            return await check_csrf(request, self.keys)
        except CsrfRefused:
            raise HTTPException(403, "csrf") from None

    @staticmethod
    def back(url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    # -- locked -----------------------------------------------------------------------------------
    async def locked(self, request: Request) -> Response:
        if await anyio.to_thread.run_sync(self.hub.unlocked):
            return self.back("/")
        recording = self.hub.recording_for()
        return self.page(
            request, "locked.html", recording=recording, error=None, is_locked_page=True
        )

    async def locked_elapsed(self, request: Request) -> Response:
        """The locked screen's clock: how long the meeting has recorded, nothing else."""
        recording = self.hub.recording_for()
        return PlainTextResponse("" if recording is None else mmss(recording))

    async def unlock(self, request: Request) -> Response:
        from device.keys.banners import banner

        form = await self.action(request)
        passphrase = str(form.get("passphrase", ""))
        try:
            await anyio.to_thread.run_sync(self.hub.unlock, passphrase)
        except FredagError as exc:
            message = banner(exc) if self.lang(request) == "sv" else str(exc)
            recording = self.hub.recording_for()
            return self.page(
                request, "locked.html", 403, recording=recording, error=message, is_locked_page=True
            )
        return self.back("/")

    async def lock(self, request: Request) -> Response:
        await self.action(request)
        await anyio.to_thread.run_sync(self.hub.lock)
        return self.back("/lasat")

    # -- launch and language --------------------------------------------------------------------
    async def launch(self, request: Request) -> Response:
        if not self.keys.token_ok(request.query_params.get("nyckel")):
            raise HTTPException(403, "token")
        response = self.back("/")
        response.set_cookie(COOKIE, self.keys.token, httponly=True, samesite="strict", path="/")
        return response

    async def language(self, request: Request) -> Response:
        form = await self.action(request)
        here = str(form.get("here", "/"))
        response = self.back(here if here.startswith("/") and not here.startswith("//") else "/")
        response.set_cookie(
            LANG_COOKIE, "sv" if self.lang(request) == "en" else "en", samesite="strict"
        )
        return response

    # -- start ----------------------------------------------------------------------------------
    async def start(self, request: Request) -> Response:
        if self.hub.running():
            return self.back("/samtal")
        if self.hub.meeting is not None:
            return self.back("/efter")
        facts = await anyio.to_thread.run_sync(self.hub.start_facts)
        mic = self.hub.mic.state()
        return self.page(
            request,
            "start.html",
            facts=facts,
            sync_message=self.hub.sync_message,
            mic=mic,
            mic_message=self.mic_message(self.lang(request), mic),
        )

    async def sync(self, request: Request) -> Response:
        await self.action(request)
        _ok, line = await anyio.to_thread.run_sync(self.hub.sync_now)
        if line == "not_enrolled":
            self.hub.sync_message = text(self.lang(request), "not_enrolled")
        return self.back("/")

    async def finish_interrupted(self, request: Request) -> Response:
        form = await self.action(request)
        session_id = str(form.get("session", ""))
        try:
            draft = await anyio.to_thread.run_sync(self.hub.finish_interrupted, session_id)
        except FredagError as exc:
            return self.error_page(request, exc)
        return self.page(request, "signed.html", draft=draft, state="unsent")

    async def mic_check(self, request: Request) -> Response:
        await self.action(request)
        if not self.hub.running() and not self.hub.voice_busy():
            self.hub.mic.start()
        if request.headers.get("hx-request"):
            return Response(status_code=204)
        return self.back("/")

    def mic_message(self, lang: str, state: CheckState) -> str:
        if state.running:
            return text(lang, "mic_listening")
        return text(lang, f"mic_{state.outcome}") if state.outcome else ""

    async def mic_level(self, request: Request) -> Response:
        """The microphone check, live: its level and, at the end, what it found."""
        mic, lang = self.hub.mic, self.lang(request)

        async def stream() -> AsyncIterator[str]:
            seq = -1
            yield "retry: 1000\n\n"
            while not await request.is_disconnected():
                state = await anyio.to_thread.run_sync(mic.wait_change, seq, SSE_WAIT_S)
                if state.seq == seq:
                    yield ": still here\n\n"
                    continue
                seq = state.seq
                change = {
                    "level": state.level,
                    "running": state.running,
                    "outcome": state.outcome,
                    "text": self.mic_message(lang, state),
                    "detail": state.detail or "",
                }
                yield f"data: {json.dumps(change, ensure_ascii=False)}\n\n"
                if not state.running:
                    return

        return StreamingResponse(stream(), media_type="text/event-stream")

    # -- new meeting and consent ----------------------------------------------------------------
    async def new(self, request: Request) -> Response:
        if self.hub.running():
            return self.back("/samtal")
        facts = await anyio.to_thread.run_sync(self.hub.start_facts)
        return self.page(
            request,
            "new.html",
            recent=facts.recent_cases,
            contact_types=CONTACT_TYPES,
            present_choices=PRESENT_CHOICES,
            values={},
            error=None,
        )

    @staticmethod
    def _details(form: FormData) -> dict[str, Any]:
        present = [str(p) for p in form.getlist("present") if str(p).strip()]
        present += [p.strip() for p in str(form.get("present_other", "")).split(",") if p.strip()]
        return {
            "case_ref": str(form.get("case_ref", "")).strip(),
            "case_type": str(form.get("case_type", "")),
            "contact_type": str(form.get("contact_type", "")),
            "present": tuple(dict.fromkeys(present)),
        }

    async def details(self, request: Request) -> Response:
        form = await self.action(request)
        d = self._details(form)
        if (
            not CASE_REF.match(d["case_ref"])
            or d["case_type"] not in ("barn", "vuxen")
            or d["contact_type"] not in CONTACT_TYPES
        ):
            facts = await anyio.to_thread.run_sync(self.hub.start_facts)
            return self.page(
                request,
                "new.html",
                422,
                recent=facts.recent_cases,
                contact_types=CONTACT_TYPES,
                present_choices=PRESENT_CHOICES,
                values=d,
                error=text(self.lang(request), "invalid_case"),
            )
        return self.page(request, "consent.html", d=d, consent_text=self.consent_text)

    async def consent(self, request: Request) -> Response:
        form = await self.action(request)
        d = self._details(form)
        if form.get("answer") == "refused":
            await anyio.to_thread.run_sync(
                lambda: self.hub.refuse(
                    d["case_ref"], d["case_type"], d["contact_type"], d["present"]
                )
            )
            return self.back("/nekat")
        try:
            meta = SessionMeta(
                case_ref=d["case_ref"],
                case_type=d["case_type"],
                contact_type=d["contact_type"],
                present=d["present"],
                caseworker=self.hub.caseworker(),
                consent_confirmed=form.get("answer") == "given",
            )
            await anyio.to_thread.run_sync(self.hub.begin, meta)
        except FredagError as exc:
            return self.error_page(request, exc)
        return self.back("/samtal")

    async def refused(self, request: Request) -> Response:
        return self.page(request, "refused.html")

    # -- during the meeting -------------------------------------------------------------------
    async def meeting(self, request: Request) -> Response:
        m = self.hub.meeting
        if m is None:
            return self.back("/")
        if not self.hub.running():
            return self.back("/efter")
        seq, screen = m.live.snapshot()
        return self.page(
            request,
            "meeting.html",
            seq=seq,
            s=screen,
            case_ref=m.opened.meta.case_ref,
            session_id=m.opened.log.session_id,
        )

    async def control(self, request: Request) -> Response:
        await self.action(request)
        m = self.hub.meeting
        if m is None or not self.hub.running():
            return self.back("/")
        c = m.opened.controller
        what = request.path_params["what"]
        if what not in ("paus", "fortsatt", "markera", "stopp"):
            raise HTTPException(404, "")
        if what == "paus":
            c.pause()
        elif what == "fortsatt":
            c.resume()
        elif what == "markera":
            try:
                c.mark()
            except FredagError as exc:  # e.g. a full disk: the meeting's banner says why
                return self.error_page(request, exc)
        elif what == "stopp":
            c.stop()
            return self.back("/efter")
        if request.headers.get("hx-request"):
            return Response(status_code=204)
        return self.back("/samtal")

    async def confirm_stop(self, request: Request) -> Response:
        if not self.hub.running():
            return self.back("/")
        return self.page(request, "stop.html")

    async def events(self, request: Request) -> Response:
        m = self.hub.meeting
        if m is None:
            return Response(status_code=204)
        live = m.live
        try:
            after = int(request.query_params.get("efter", "0"))
        except ValueError:
            after = 0

        async def stream() -> AsyncIterator[str]:
            seq = after
            yield "retry: 1000\n\n"
            while not await request.is_disconnected():
                got = await anyio.to_thread.run_sync(live.wait_changes, seq, SSE_WAIT_S)
                if got is None:
                    yield f"data: {json.dumps({'op': 'reload'})}\n\n"
                    return
                seq, news = got
                for data in news:
                    yield f"data: {data}\n\n"
                if not news:
                    yield ": still here\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    # -- who said it: the caseworker corrects a line's speaker ---------------------------------
    def _line(self, raw: object) -> int | None:
        m = self.hub.meeting
        if m is None or not self.hub.running():
            return None
        try:
            index = int(str(raw))
        except ValueError:
            return None
        segments = m.opened.controller.segments
        return index if 0 <= index < len(segments) else None

    async def speaker_choice(self, request: Request) -> Response:
        """Tap on a line's speaker label: who said it? (the line's number only in the URL)."""
        index = self._line(request.query_params.get("rad", ""))
        m = self.hub.meeting
        if index is None or m is None:
            return self.back("/samtal")
        segments = m.opened.controller.segments
        return self.page(
            request,
            "speaker.html",
            index=index,
            seg=segments[index],
            choices=speaker_choices(segments, index),
            caseworker_label=CASEWORKER_LABEL,
        )

    async def correct_speaker(self, request: Request) -> Response:
        form = await self.action(request)
        index = self._line(form.get("rad", ""))
        m = self.hub.meeting
        if index is None or m is None:
            return self.back("/samtal")
        try:
            await anyio.to_thread.run_sync(
                m.opened.controller.correct_speaker, index, str(form.get("label", ""))
            )
        except FredagError as exc:
            return self.error_page(request, exc)
        return self.back(f"/samtal#seg-{index}")

    # -- the caseworker's voice ("Min röst") ----------------------------------------------------
    async def voice(self, request: Request) -> Response:
        if self.hub.running():
            return self.back("/samtal")
        recording = self.hub.voice
        status = recording.status() if recording is not None else None
        if status is not None and status.phase == "done":
            self.hub.voice = None  # the result is shown once
        found = await anyio.to_thread.run_sync(lambda: voice_enrolled(self.hub.store()))
        return self.page(
            request,
            "voice.html",
            status=status,
            enrolled=found,
            enrol_text=ENROL_TEXT,
            forgotten=request.query_params.get("borttagen") == "1",
        )

    async def voice_record(self, request: Request) -> Response:
        await self.action(request)
        try:
            await anyio.to_thread.run_sync(self.hub.start_voice)
        except FredagError as exc:
            return self.error_page(request, exc)
        return self.back("/rost")

    async def voice_done(self, request: Request) -> Response:
        await self.action(request)
        if self.hub.voice is not None:
            self.hub.voice.stop()
        if request.headers.get("hx-request"):
            return Response(status_code=204)
        return self.back("/rost")

    async def voice_level(self, request: Request) -> Response:
        """The reading's phase and live input level, polled by the screen while it records."""
        recording = self.hub.voice
        if recording is None:
            return JSONResponse({"phase": "done"})
        st = recording.status()
        return JSONResponse(
            {
                "phase": st.phase,
                "level": st.level,
                "elapsed": mmss(st.elapsed_s),
                "left": max(0, round(st.limit_s - st.elapsed_s)),
            }
        )

    async def voice_confirm_forget(self, request: Request) -> Response:
        return self.page(request, "voice_forget.html")

    async def voice_forget(self, request: Request) -> Response:
        await self.action(request)
        if self.hub.voice_busy():
            return self.back("/rost")
        await anyio.to_thread.run_sync(lambda: voice_forget(self.hub.store()))
        return self.back("/rost?borttagen=1")

    # -- after ------------------------------------------------------------------------------------
    async def after(self, request: Request) -> Response:
        m = self.hub.meeting
        if m is None:
            return self.back("/")
        if self.hub.running():
            return self.page(request, "stopping.html")
        if m.draft is None:
            return await self.failed_page(request, m, m.failure_kind, m.failure or "")
        state = None
        if m.signed is not None:
            state = await anyio.to_thread.run_sync(
                self.hub.draft_sync_state, str(m.signed.draft.draft_id)
            )
        capture_error = m.result.capture_error if m.result is not None else None
        return self.page(
            request,
            "after.html",
            draft=m.draft,
            signed=m.signed is not None,
            state=state,
            capture_error=str(capture_error) if capture_error else None,
            sync_message=self.hub.sync_message,
        )

    async def failed_page(
        self, request: Request, m: Meeting, kind: Code | None, failure: str, status: int = 200
    ) -> Response:
        """The meeting stopped on a failure: why, in plain words, what was kept, and the way on
        (continue or finish)."""
        kept = await anyio.to_thread.run_sync(self.hub.kept_segments, m)
        return self.page(
            request,
            "failed.html",
            status,
            kind=kind or Code.FAILED,
            failure=failure,
            session_id=m.opened.log.session_id,
            segments=kept,
        )

    async def sign(self, request: Request) -> Response:
        form = await self.action(request)
        try:
            await anyio.to_thread.run_sync(self.hub.sign)
        except FredagError as exc:
            return self.error_page(request, exc)
        if form.get("send") == "1":
            await anyio.to_thread.run_sync(self.hub.sync_now)
        return self.back("/efter")

    async def resend(self, request: Request) -> Response:
        await self.action(request)
        await anyio.to_thread.run_sync(self.hub.sync_now)
        return self.back("/efter")

    async def done(self, request: Request) -> Response:
        await self.action(request)
        self.hub.close_meeting()
        self.hub.sync_message = None
        return self.back("/")

    async def continue_meeting(self, request: Request) -> Response:
        await self.action(request)
        m = self.hub.meeting
        if m is None or self.hub.running() or m.signed is not None:
            return self.back("/")
        session_id = m.opened.log.session_id
        try:  # the disk may still be full: the screen says so, the stopped meeting stays
            await anyio.to_thread.run_sync(
                m.opened.log.state, "paused", m.opened.controller.audio_s
            )
        except FredagError as exc:
            return await self.failed_page(request, m, failure_kind(exc), str(exc), 409)
        self.hub.meeting = None
        try:
            await anyio.to_thread.run_sync(lambda: self.hub.begin(None, resume=session_id))
        except FredagError as exc:
            return self.error_page(request, exc)
        return self.back("/samtal")

    # -- the app ----------------------------------------------------------------------------------
    async def refused_page(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 403:
            return self.page(request, "error.html", 403, message=text(self.lang(request), "csrf"))
        return self.page(request, "error.html", exc.status_code, message=str(exc.detail))

    def routes(self) -> list[Route | Mount]:
        return [
            Route("/oppna", self.launch),
            Route("/", self.start),
            Route("/lasat", self.locked),
            Route("/lasat/tid", self.locked_elapsed),
            Route("/lasa-upp", self.unlock, methods=["POST"]),
            Route("/las", self.lock, methods=["POST"]),
            Route("/sprak", self.language, methods=["POST"]),
            Route("/synka", self.sync, methods=["POST"]),
            Route("/avbrutna/avsluta", self.finish_interrupted, methods=["POST"]),
            Route("/mikrofon", self.mic_check, methods=["POST"]),
            Route("/mikrofon/niva", self.mic_level),
            Route("/nytt", self.new),
            Route("/nytt", self.details, methods=["POST"]),
            Route("/samtycke", self.consent, methods=["POST"]),
            Route("/nekat", self.refused),
            Route("/samtal", self.meeting),
            Route("/samtal/stopp", self.confirm_stop),
            Route("/samtal/fortsatt-efter-fel", self.continue_meeting, methods=["POST"]),
            Route("/samtal/talare", self.speaker_choice),
            Route("/samtal/talare", self.correct_speaker, methods=["POST"]),
            Route("/samtal/{what:str}", self.control, methods=["POST"]),
            Route("/handelser", self.events),
            Route("/efter", self.after),
            Route("/rost", self.voice),
            Route("/rost/spela-in", self.voice_record, methods=["POST"]),
            Route("/rost/klar", self.voice_done, methods=["POST"]),
            Route("/rost/niva", self.voice_level),
            Route("/rost/ta-bort", self.voice_confirm_forget),
            Route("/rost/ta-bort", self.voice_forget, methods=["POST"]),
            Route("/signera", self.sign, methods=["POST"]),
            Route("/skicka-igen", self.resend, methods=["POST"]),
            Route("/klar", self.done, methods=["POST"]),
            Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
            # The browser asks for an icon on every page; no icon, but no 404 in its console.
            Route("/favicon.ico", lambda _request: Response(status_code=204)),
        ]


OPEN_WHILE_LOCKED = ("/lasat", "/lasa-upp", "/sprak", "/oppna", "/static/")


class LockGate:
    """While the device is locked every page but the locked screen (and its unlock, the
    language switch and the static files) answers with a redirect to it; the live feed ends
    so the meeting screen reloads into it. Any request but the live feed is a touch that keeps
    the screen from locking when idle."""

    def __init__(self, app: ASGIApp, hub: Hub) -> None:
        self.app = app
        self.hub = hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(OPEN_WHILE_LOCKED):
            await self.app(scope, receive, send)
            return
        if path != "/handelser":
            self.hub.touched()
        if not await anyio.to_thread.run_sync(self.hub.unlocked):
            if path == "/handelser":
                response: Response = Response(
                    f"data: {json.dumps({'op': 'reload'})}\n\n", media_type="text/event-stream"
                )
            else:
                response = RedirectResponse("/lasat", status_code=303)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(hub: Hub, keys: Secrets, port: int, consent_text: str | None = None) -> Any:
    touch = TouchApp(hub, keys, consent_text=consent_text)
    app = Starlette(routes=touch.routes(), exception_handlers={HTTPException: touch.refused_page})
    return Guard(LockGate(app, hub), keys=keys, port=port)
