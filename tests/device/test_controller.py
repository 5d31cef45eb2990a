"""The meeting controller: its controls, its event stream, post-decode stages, the commit path
that never holds up capture, and tag once (the factors shown are the factors signed)."""

from __future__ import annotations

import errno
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from device.capture.sources import FileSource
from device.journal.identity import DeviceIdentity
from device.journal.session import SessionLog, load_session
from device.journal.signing import sign_segments
from device.journal.store import Store
from device.meeting.controller import MeetingController, RecordResult
from device.stages.commit import Commit
from device.stages.factors import MeetingFactors
from device.stages.streaming import StreamingOptions
from device.stages.tagging import load_tagger, tag_meeting
from device.stages.transcribe import HeardWord, TranscribedSegment, word_json
from device.views.events import (
    ErrorRaised,
    Event,
    FactorsNoted,
    InputLevel,
    Marked,
    SegmentsCommitted,
    StateChanged,
    WarningRaised,
)
from device.views.keys import KeyInput
from device.views.messages import Code
from fredag.errors import ModelError, StoreError
from fredag.journal import clock
from fredag.protocol import Mark, ModelInfo, Segment
from risk_factors import cues
from tests.device.conftest import KeywordTagger, make_meta
from tests.device.doubles import InstantTranscriber, NullTagger
from tests.support.speech import silence, write_wav

FAST = StreamingOptions(previews=False, speculate=False)
MODEL = ModelInfo(name="instant", sha256="0" * 64)


class Recorded:
    """A subscriber that keeps every event and lets the test wait for one."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._cond = threading.Condition()

    def __call__(self, event: Event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait_for(self, check: Callable[[list[Event]], bool], timeout: float = 60) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: check(self.events), timeout)

    def of(self, kind: type) -> list[Any]:
        with self._cond:
            return [e for e in self.events if isinstance(e, kind)]


def controller(
    store: Store, wav: Path, *, speed: float = 20.0, tagger: Any = None, **kw: Any
) -> MeetingController:
    meta = make_meta()
    return MeetingController(
        log=SessionLog.create(store, meta),
        meta=meta,
        source=FileSource(wav, speed=speed),
        transcriber=kw.pop("transcriber", None) or InstantTranscriber(),
        tagger=tagger or NullTagger(),
        options=kw.pop("options", FAST),
        **kw,
    )


def finished(c: MeetingController) -> RecordResult:
    result = c.wait(120)
    assert result is not None, "the meeting never ended"
    return result


class TestControls:
    def test_every_subscriber_gets_the_same_events(self, store: Store, meeting_wav: Path) -> None:
        """Two views subscribed to one meeting see the same events, committed text first
        journaled, and the meeting's input level and end."""
        c = controller(store, meeting_wav)
        a, b = Recorded(), Recorded()
        c.events.subscribe(a)
        c.events.subscribe(b)
        c.start()
        result = finished(c)
        assert a.events == b.events
        shown = [s for e in a.of(SegmentsCommitted) for s in e.segments]
        assert shown == list(result.segments) and shown
        assert [s.text for s in load_session(store, c.meta.session_id).segments] == [
            s.text for s in shown
        ]
        assert a.of(InputLevel)
        assert a.of(StateChanged)[-1].state == "stopping"

    def test_pause_resume_and_stop_from_another_thread(
        self, store: Store, meeting_wav: Path
    ) -> None:
        """pause, resume and stop work from any thread; each state is journaled and published."""
        c = controller(store, meeting_wav, speed=2.0)
        seen = Recorded()
        c.events.subscribe(seen)
        c.start()
        assert seen.wait_for(lambda ev: any(isinstance(e, InputLevel) for e in ev))
        c.pause()
        assert seen.wait_for(lambda ev: any(isinstance(e, StateChanged) for e in ev))
        c.resume()
        assert seen.wait_for(lambda ev: len([e for e in ev if isinstance(e, StateChanged)]) >= 2)
        c.stop()
        result = finished(c)
        assert [e.state for e in seen.of(StateChanged)] == ["paused", "recording", "stopping"]
        states = [r["state"] for r in c.log.journal if r.get("type") == "state"]
        assert states == ["recording", "paused", "resumed"]
        assert result.audio_s < 24.0

    def test_mark_is_kept_in_the_session_and_shown_in_the_draft(
        self, store: Store, meeting_wav: Path, identity: DeviceIdentity
    ) -> None:
        """A mark is journaled at the current meeting time, published, kept in the draft's
        data and shown in its text under "Markeringar" with its time."""
        c = controller(store, meeting_wav, speed=4.0)
        seen = Recorded()
        c.events.subscribe(seen)
        c.start()
        assert seen.wait_for(lambda ev: any(isinstance(e, SegmentsCommitted) for e in ev))
        at = c.mark()
        result = finished(c)
        assert result.marks == (at,) and at > 0
        assert [e.at_s for e in seen.of(Marked)] == [at]
        assert load_session(store, c.meta.session_id).marks == (at,)
        draft = sign_segments(
            meta=c.meta,
            ended_at=c.meta.started_at,
            segments=result.segments,
            duration_s=result.audio_s,
            language="sv",
            model=MODEL,
            tagging=result.tagging,
            identity=identity,
            marks=result.marks,
        ).draft
        assert draft.marks == [Mark(at=at)]
        assert "Markeringar" in draft.rendered
        assert f"[{clock(at)}] Markerat av handläggaren" in draft.rendered

    def test_a_silent_input_is_warned_about_once(self, store: Store, tmp_path: Path) -> None:
        """Input that stays silent (a muted microphone) gives one warning, shown on the plain
        view, while the meeting goes on; the level keeps being published."""
        import io

        from device.views.terminal import PlainView, attach

        wav = write_wav(tmp_path / "tyst.wav", silence(40.0))
        c = controller(store, wav, speed=40.0)
        seen, out = Recorded(), io.StringIO()
        c.events.subscribe(seen)
        attach(PlainView(out), c.events)
        c.start()
        finished(c)
        assert len(seen.of(WarningRaised)) == 1
        levels = seen.of(InputLevel)
        assert len(levels) >= 100 and levels[-1].at_s == pytest.approx(40.0, abs=0.5)
        assert "Varning: Inget ljud från mikrofonen" in out.getvalue()

    def test_keys_are_an_input_adapter(self) -> None:
        """p pauses, r resumes, space toggles, m marks, l locks, s and q stop: calls on the
        controls."""
        calls: list[str] = []

        class Controls:
            paused = False

            def pause(self) -> None:
                calls.append("pause")
                self.paused = True

            def resume(self) -> None:
                calls.append("resume")
                self.paused = False

            def stop(self) -> None:
                calls.append("stop")

            def mark(self) -> float:
                calls.append("mark")
                return 0.0

            def lock(self) -> None:
                calls.append("lock")

        keys = KeyInput(Controls())
        for key in ["p", "r", "m", " ", " ", "x", "l", "s", "q"]:
            keys.on_key(key)
        assert calls == ["pause", "resume", "mark", "pause", "resume", "lock", "stop", "stop"]


class GatedStage:
    """A post-decode stage that holds the first commit until the test opens the gate."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.gate = threading.Event()

    def __call__(self, commit: Commit) -> Commit:
        self.entered.set()
        self.gate.wait(300)
        return commit


class TestCommitPath:
    def test_capture_keeps_running_while_a_stage_holds_the_commit_path(
        self, store: Store, meeting_wav: Path
    ) -> None:
        """While a stage holds a commit, the capture loop goes on reading and feeding audio
        (its input level keeps coming) and nothing of that commit is journaled or shown."""
        stage = GatedStage()
        c = controller(store, meeting_wav, speed=4.0, stages=[stage])
        seen = Recorded()
        c.events.subscribe(seen)
        c.start()
        assert stage.entered.wait(60), "no commit reached the stage"
        before = len(seen.of(InputLevel))
        # 16 more level readings = 4 s of audio captured and fed while the commit is held
        ok = seen.wait_for(lambda ev: sum(isinstance(e, InputLevel) for e in ev) >= before + 16)
        held = (
            not seen.of(SegmentsCommitted) and not load_session(store, c.meta.session_id).segments
        )
        stage.gate.set()
        result = finished(c)
        assert ok, "capture stopped while the commit path was held"
        assert held
        assert result.segments

    def test_a_stage_gets_each_commit_with_its_audio_and_may_annotate_it(
        self, store: Store, meeting_wav: Path
    ) -> None:
        """A stage sees every committed segment with the audio it was decoded from, what it
        returns is what is journaled and shown, and it is closed once the meeting has ended."""
        sizes: list[int] = []
        closed: list[int] = []

        class Shout:
            def __call__(self, commit: Commit) -> Commit:
                sizes.extend(commit.audio_between(s.start, s.end).size for s in commit.segments)
                loud = [s.model_copy(update={"text": s.text.upper()}) for s in commit.segments]
                return commit.with_segments(loud)

            def close(self) -> None:
                closed.append(len(sizes))

        c = controller(store, meeting_wav, stages=[Shout()])
        c.start()
        result = finished(c)
        assert closed == [len(sizes)]  # once, after the last commit
        assert result.segments and all(s.text.isupper() for s in result.segments)
        assert len(sizes) == len(result.segments) and all(n > 0 for n in sizes)
        stored = load_session(store, c.meta.session_id).segments
        assert [s.text for s in stored] == [s.text for s in result.segments]


WORDS = {
    "farmor": ("supportive_network", "protective", "Stödjande nätverk"),
    "dricker": ("parental_substance_abuse", "risk", "Förälders missbruk"),
}


class TestTagOnce:
    def test_each_commit_is_tagged_once_with_meeting_wide_segment_numbers(self) -> None:
        """Factors found in a commit keep their place in the whole meeting; the segments
        before it are context only and are not reported again."""
        factors = MeetingFactors(KeywordTagger(WORDS), "barn")
        first = factors.add([Segment(start=0, end=2, text="Farmor hjälper till.")])
        second = factors.add([Segment(start=2, end=4, text="Pappa dricker mycket.")])
        assert [(t.factor, t.segment) for t in first.tags] == [("supportive_network", 0)]
        assert [(t.factor, t.segment) for t in second.tags] == [("parental_substance_abuse", 1)]
        assert factors.tagging().tags == first.tags + second.tags

    def test_resumed_meeting_keeps_what_was_noted_and_tags_what_was_not(self, store: Store) -> None:
        """A session cut off between a commit and its tagging is tagged from there on; what
        was noted before comes from the journal, not from tagging again."""
        meta = make_meta()
        log = SessionLog.create(store, meta)
        factors = MeetingFactors(KeywordTagger(WORDS), "barn")
        said = Segment(start=0, end=2, text="Farmor hjälper till.")
        log.segment(said)
        log.factors(factors.add([said]), factors.tagged_through)
        log.segment(Segment(start=2, end=4, text="Pappa dricker mycket."))  # then a crash
        record = load_session(store, meta.session_id)
        assert record.tagged_through == 1 and record.noted is not None
        resumed = MeetingFactors(
            NullTagger(),  # tagging the first segment again would lose its factor
            "barn",
            previous=record.segments,
            noted=record.noted,
            tagged_through=record.tagged_through,
        )
        assert [t.factor for t in resumed.tagging().tags] == ["supportive_network"]
        again = MeetingFactors(
            KeywordTagger(WORDS),
            "barn",
            previous=record.segments,
            noted=record.noted,
            tagged_through=record.tagged_through,
        )
        again.catch_up()
        assert [(t.factor, t.segment) for t in again.tagging().tags] == [
            ("supportive_network", 0),
            ("parental_substance_abuse", 1),
        ]


SAMPLE = Path(__file__).resolve().parents[2] / "fredag" / "samples" / "mote-exempel.ogg"


@pytest.mark.slow
class TestTagOnceOnTheSampleMeeting:
    def test_factors_shown_are_the_factors_signed(
        self, store: Store, transcriber: Any, identity: DeviceIdentity
    ) -> None:
        """On the bundled sample meeting, live, the factors the view was shown (with their
        quotes and times) are exactly the factors in the signed draft."""
        from device.stages.tagging import load_tagger

        meta = make_meta()
        c = MeetingController(
            log=SessionLog.create(store, meta),
            meta=meta,
            source=FileSource(SAMPLE, speed=4.0),
            transcriber=transcriber,
            tagger=load_tagger(),
            options=StreamingOptions(previews=False),
        )
        seen = Recorded()
        c.events.subscribe(seen)
        c.start()
        result = finished(c)
        draft = sign_segments(
            meta=meta,
            ended_at=meta.started_at,
            segments=result.segments,
            duration_s=result.audio_s,
            language="sv",
            model=transcriber.model.info,
            tagging=result.tagging,
            identity=identity,
        ).draft
        shown = sorted(
            (t.factor, t.quote, t.segment, t.start) for e in seen.of(FactorsNoted) for t in e.tags
        )
        signed = sorted(
            (f.factor, e.quote, e.segment, e.start) for f in draft.factors for e in f.evidence
        )
        assert shown and shown == signed
        assert {"parental_substance_abuse", "truancy"} <= {f for f, *_ in shown}
        for factor, quote, segment, _start in signed:
            assert quote in draft.transcript.segments[segment].text, factor


class TestSpeakerStage:
    def test_live_commits_are_journaled_with_their_speakers(
        self, store: Store, meeting_wav: Path
    ) -> None:
        """With the speaker stage (real speaker model), every committed segment is journaled
        with a speaker label; labels only, the voices stay in the stage's memory."""
        from device.stages.speakers import SpeakerStage
        from device.voice.attribution import SpeakerTracker
        from device.voice.encoder import shared_encoder

        c = controller(store, meeting_wav, stages=[SpeakerStage(SpeakerTracker(shared_encoder()))])
        c.start()
        result = finished(c)
        stored = load_session(store, c.meta.session_id).segments
        assert stored and [s.speaker for s in stored] == [s.speaker for s in result.segments]
        labels = {s.speaker.label for s in stored if s.speaker is not None}
        assert labels and all(label.startswith("person ") for label in labels)


class TestFailuresAreAnnounced:
    def test_a_full_disk_is_published_the_moment_it_happens(
        self, store: Store, meeting_wav: Path
    ) -> None:
        """The journal refusing a segment (no space left) on the transcription worker is
        published at once as ErrorRaised(DISK_FULL), before the loop stops; the meeting
        ends with the error and every segment shown is in the journal."""
        c = controller(store, meeting_wav, speed=4.0)
        seen = Recorded()
        c.events.subscribe(seen)
        write, full = c.log.segment, threading.Event()

        def segment(seg: Segment, words: Any = ()) -> None:
            if full.is_set():
                raise StoreError("the session journal could not be written") from OSError(
                    errno.ENOSPC, "No space left on device"
                )
            write(seg, words)

        c.log.segment = segment  # type: ignore[method-assign]
        c.start()
        assert seen.wait_for(lambda ev: any(isinstance(e, SegmentsCommitted) for e in ev))
        full.set()
        with pytest.raises(StoreError):
            c.wait(120)
        [error] = seen.of(ErrorRaised)
        assert error.code is Code.DISK_FULL and "could not be written" in error.detail
        ends = [e for e in seen.events if isinstance(e, ErrorRaised | StateChanged)]
        assert isinstance(ends[0], ErrorRaised) and ends[-1] == StateChanged(
            "stopping", ends[-1].elapsed_s
        )
        shown = [s.text for e in seen.of(SegmentsCommitted) for s in e.segments]
        kept = [s.text for s in load_session(store, c.meta.session_id).segments]
        assert shown and all(text in kept for text in shown)

    def test_a_crashed_transcription_is_published_while_paused(
        self, store: Store, meeting_wav: Path
    ) -> None:
        """The model failing (here while the meeting is paused) is published as
        ErrorRaised(TRANSCRIPTION_FAILED), the technical reason apart, and ends the meeting
        although no audio is fed."""
        entered, release = threading.Event(), threading.Event()

        class Crashing(InstantTranscriber):
            crash = False

            def segments(self, audio: Any, options: Any, *, offset_s: float = 0.0) -> Any:
                if self.crash:
                    entered.set()
                    release.wait(60)
                    raise RuntimeError("std::bad_alloc")
                return super().segments(audio, options, offset_s=offset_s)

        model = Crashing()
        c = controller(store, meeting_wav, speed=4.0, transcriber=model)
        seen = Recorded()
        c.events.subscribe(seen)
        c.start()
        assert seen.wait_for(lambda ev: any(isinstance(e, SegmentsCommitted) for e in ev))
        model.crash = True
        assert entered.wait(60)  # the worker is in the decode that will fail
        c.pause()
        assert seen.wait_for(lambda ev: any(isinstance(e, StateChanged) for e in ev))
        release.set()
        with pytest.raises(ModelError):
            c.wait(120)
        [error] = seen.of(ErrorRaised)
        assert error.code is Code.TRANSCRIPTION_FAILED and "bad_alloc" in error.detail
        assert [e.state for e in seen.of(StateChanged)] == ["paused", "stopping"]


RUN_TOGETHER = "Sonen har ont i magen och soverdåligt."  # "sover dåligt" heard as one non-word


class HeardRunTogether(InstantTranscriber):
    """Every decode hears a sentence with two words run together, each word unsure."""

    def segments(
        self, audio: Any, options: Any, *, offset_s: float = 0.0
    ) -> list[TranscribedSegment]:
        end = offset_s + audio.size / 16000
        words = tuple(HeardWord(offset_s, end, f" {w}", 0.5) for w in RUN_TOGETHER.split())
        return [TranscribedSegment(offset_s, end, RUN_TOGETHER, -0.1, 0.0, words)]


class TestTheLiveLoopReadsHeardWords:
    """The live loop hears words with their probabilities, as `fredag draft AUDIO` does, and
    its tagger reads them: the Hunspell dictionary is asked about an unsure non-word (it is
    warmed up when a meeting opens, `device.meeting.recording.open_meeting`)."""

    def test_run_together_words_are_read_live_as_the_file_draft_reads_them(
        self, store: Store, meeting_wav: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A live meeting whose committed text holds a non-word run together, each word heard
        unsure, looks it up in the dictionary and notes what `fredag draft`'s reading of the
        same heard words notes: the live draft finds neither less nor more."""
        looked_up: list[str] = []
        real = cues.is_dictionary_word
        monkeypatch.setattr(cues, "is_dictionary_word", lambda w: looked_up.append(w) or real(w))
        c = controller(store, meeting_wav, transcriber=HeardRunTogether(), tagger=load_tagger())
        c.start()
        result = finished(c)
        assert "soverdåligt" in looked_up
        record = load_session(store, c.log.session_id)
        assert [len(w) for w in record.words] == [len(RUN_TOGETHER.split())] * len(result.segments)
        heard = [
            {"start": s.start, "end": s.end, "text": s.text, "words": [word_json(w) for w in ws]}
            for s, ws in zip(record.segments, record.words, strict=True)
        ]
        file_draft = tag_meeting(load_tagger(), record.segments, "barn", heard)
        assert {t.factor for t in result.tagging.tags} == {t.factor for t in file_draft.tags}
        as_text = tag_meeting(load_tagger(), record.segments, "barn")
        assert {t.factor for t in file_draft.tags} != {t.factor for t in as_text.tags}
