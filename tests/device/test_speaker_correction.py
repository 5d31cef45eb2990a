"""The caseworker corrects who said a line during the meeting (a tap on the touch screen, key t
in the terminal): the labels offered, the correction journaled before it is shown, replayed
from the journal, carried by the signed draft; and the reading of "Min röst" checked."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from device.journal.identity import DeviceIdentity
from device.journal.session import load_session
from device.journal.signing import sign_segments
from device.journal.store import Store
from device.stages.relabel import corrected_speaker, next_choice, speaker_choices
from device.views.events import SegmentsCommitted, SpeakerCorrected
from device.views.keys import KeyInput
from device.views.terminal import PlainView, attach
from device.views.touch.live import LiveMeeting
from device.voice import enrolment
from fredag.errors import UsageError
from fredag.journal import clock
from fredag.protocol import ModelInfo, Segment, Speaker
from tests.device.test_controller import Recorded, controller, finished
from tests.support.speech import read_wav, speak

MODEL = ModelInfo(name="instant", sha256="0" * 64)


def seg(start: float, label: str | None = None) -> Segment:
    speaker = None
    if label is not None:
        role = "caseworker" if label == "handläggare" else "other"
        speaker = Speaker(role=role, label=label, confidence=0.6)
    return Segment(start=start, end=start + 1, text=f"rad {start:g}", speaker=speaker)


class TestChoices:
    def test_caseworker_each_person_and_a_new_one(self) -> None:
        """A line can become handläggare, any person of the other lines, or the next person."""
        lines = [seg(0, "handläggare"), seg(1, "person 2"), seg(2, "person 1"), seg(3)]
        assert speaker_choices(lines, 3) == ["handläggare", "person 1", "person 2", "person 3"]
        assert speaker_choices([seg(0)], 0) == ["handläggare", "person 1"]

    def test_a_line_alone_with_its_label_offers_it_as_the_new_person(self) -> None:
        """The line's own label is not counted, so correcting never skips a number."""
        lines = [seg(0, "person 1"), seg(1, "person 2")]
        assert speaker_choices(lines, 1) == ["handläggare", "person 1", "person 2"]

    def test_the_terminal_key_cycles_and_a_correction_is_the_caseworkers_decision(self) -> None:
        """Key t goes handläggare → person 1 → … → new person → handläggare; a corrected
        speaker has confidence 1 and is not uncertain."""
        lines = [seg(0, "person 1"), seg(1)]
        assert next_choice(lines, 1) == "handläggare"
        lines[1] = seg(1, "handläggare")
        assert next_choice(lines, 1) == "person 1"
        lines[1] = seg(1, "person 1")
        assert next_choice(lines, 1) == "person 2"
        lines[1] = seg(1, "person 2")
        assert next_choice(lines, 1) == "handläggare"
        assert corrected_speaker("handläggare") == Speaker(
            role="caseworker", label="handläggare", confidence=1.0, uncertain=False
        )
        assert corrected_speaker("person 3").role == "other"


class TestCorrectionDuringTheMeeting:
    def test_journaled_shown_and_signed(
        self, store: Store, meeting_wav: Path, identity: DeviceIdentity
    ) -> None:
        """A correction is in the session journal at once (a crash keeps it), is published
        to the views, and the signed draft's segment carries the corrected label."""
        c = controller(store, meeting_wav, speed=4.0)
        seen, out = Recorded(), io.StringIO()
        c.events.subscribe(seen)
        attach(PlainView(out), c.events)
        c.start()
        assert seen.wait_for(lambda ev: any(isinstance(e, SegmentsCommitted) for e in ev))
        fixed = c.correct_speaker(0, "person 1")
        assert fixed.speaker == corrected_speaker("person 1")
        replayed = load_session(store, c.meta.session_id)  # what a kill -9 now would leave
        assert replayed.segments[0].speaker == fixed.speaker
        [record] = [r for r in c.log.journal if r.get("type") == "speaker"]
        assert set(record) == {"type", "segment", "start", "label", "role"}  # a label, no voice
        [event] = seen.of(SpeakerCorrected)
        assert event.index == 0 and event.segment == fixed
        assert f"-- talare rättad: [{clock(fixed.start)}] person 1: {fixed.text}" in out.getvalue()
        c.stop()
        result = finished(c)
        assert result.segments[0].speaker == fixed.speaker
        draft = sign_segments(
            meta=c.meta,
            ended_at=c.meta.started_at,
            segments=result.segments,
            duration_s=result.audio_s,
            language="sv",
            model=MODEL,
            tagging=result.tagging,
            identity=identity,
        ).draft
        assert draft.transcript.segments[0].speaker == corrected_speaker("person 1")

    def test_an_unknown_label_or_line_is_refused_and_nothing_journaled(
        self, store: Store, meeting_wav: Path
    ) -> None:
        """Only handläggare, a person of the meeting or the next new one; only a shown line;
        only before the meeting has ended."""
        c = controller(store, meeting_wav, speed=4.0)
        seen = Recorded()
        c.events.subscribe(seen)
        c.start()
        assert seen.wait_for(lambda ev: any(isinstance(e, SegmentsCommitted) for e in ev))
        with pytest.raises(UsageError):
            c.correct_speaker(0, "mamma")
        with pytest.raises(UsageError):
            c.correct_speaker(0, "person 7")
        with pytest.raises(UsageError):
            c.correct_speaker(10_000, "handläggare")
        c.stop()
        finished(c)
        with pytest.raises(UsageError):  # the draft is made: the labels are final
            c.correct_speaker(0, "handläggare")
        assert not [r for r in c.log.journal if r.get("type") == "speaker"]

    def test_key_t_corrects_the_last_line(self, store: Store, meeting_wav: Path) -> None:
        """In the terminal, t sets the last shown line's speaker to the next choice."""
        c = controller(store, meeting_wav, speed=4.0)
        seen = Recorded()
        c.events.subscribe(seen)
        c.start()
        assert seen.wait_for(lambda ev: any(isinstance(e, SegmentsCommitted) for e in ev))
        keys = KeyInput(c)
        keys.on_key("t")
        keys.on_key("t")
        c.stop()
        finished(c)
        labels = [e.segment.speaker.label for e in seen.of(SpeakerCorrected)]
        assert labels[0] == "handläggare" and len(labels) == 2

    def test_replayed_last_correction_wins_and_a_stale_one_is_ignored(self, store: Store) -> None:
        """The journal replays every correction in order; one naming a segment that is not
        there (another start time) changes nothing."""
        from device.journal.session import SessionLog
        from tests.device.conftest import make_meta

        log = SessionLog.create(store, make_meta())
        for s in (seg(0.0, "person 1"), seg(2.0, "person 1")):
            log.segment(s)
        log.speaker(1, seg(2.0).model_copy(update={"speaker": corrected_speaker("handläggare")}))
        log.speaker(1, seg(2.0).model_copy(update={"speaker": corrected_speaker("person 2")}))
        log.speaker(0, seg(9.0).model_copy(update={"speaker": corrected_speaker("handläggare")}))
        record = load_session(store, log.session_id)
        assert [s.speaker.label for s in record.segments if s.speaker] == ["person 1", "person 2"]
        assert record.segments[1].speaker == corrected_speaker("person 2")


class TestTerminalPanel:
    def test_the_rich_panel_relabels_the_line_it_shows(self) -> None:
        """In the terminal's live panel the corrected line shows its new label in place."""
        from device.views.terminal import RichView

        view = RichView()
        view.committed((seg(0, "person 1"), seg(3, "person 1")))
        view.corrected(seg(3).model_copy(update={"speaker": corrected_speaker("handläggare")}))
        assert list(view._lines) == ["[00:00] person 1: rad 0", "[00:03] handläggare: rad 3"]


class TestTouchScreenFeed:
    def test_a_correction_changes_the_line_on_the_screen(self) -> None:
        """The screen's snapshot and live feed get the corrected label of that line."""
        live = LiveMeeting()
        live.on_event(SegmentsCommitted((seg(0, "person 1"), seg(1, "person 1"))))
        fixed = seg(1).model_copy(update={"speaker": corrected_speaker("handläggare")})
        live.on_event(SpeakerCorrected(1, fixed))
        _, screen = live.snapshot()
        assert screen.segments[1] == (1, fixed)
        _, news = live.wait_changes(0, 0.1) or (0, [])
        assert '"op": "speaker", "i": 1, "who": "handläggare"' in news[-1]


class TestTrackerNumbering:
    def test_a_voice_heard_after_a_new_person_is_numbered_after_it(self) -> None:
        """After the caseworker makes a line `person 3`, the tracker's next new voice is
        `person 4` (labels only: no voice is involved)."""
        from device.voice.attribution import SpeakerTracker

        tracker = SpeakerTracker(encoder=None)  # type: ignore[arg-type]  # assign() only
        tracker.label_taken("person 3")
        tracker.label_taken("handläggare")
        rng = np.random.default_rng(7)
        partials = rng.normal(size=(4, 256)).astype(np.float32)
        spans = [(i * 0.8, i * 0.8 + 1.6) for i in range(4)]
        assert tracker.assign(partials, spans, 4.0).label == "person 4"


@pytest.fixture(scope="module")
def reading(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """The enrolment text read by espeak's Swedish voice (about 20 s)."""
    folder = tmp_path_factory.mktemp("reading")
    return read_wav(speak(enrolment.ENROL_TEXT, folder / "reading.wav"))[0]


class TestReadingCheck:
    def test_a_good_reading_a_quiet_one_and_a_short_one(self, reading: np.ndarray) -> None:
        """The reading is usable; the same at -50 dB is too quiet; its first 5 s too short
        (what the touch screen and `fredag voice enroll` tell the caseworker)."""
        good = enrolment.check_reading(reading)
        assert good.problem is None and good.speech_s >= enrolment.MIN_SPEECH_S
        quiet = enrolment.check_reading((reading * 10 ** (-50 / 20)).astype(np.float32))
        assert quiet.problem == "too_quiet"
        assert enrolment.check_reading(reading[: 5 * 16_000]).problem == "too_short"
