"""A speaker correction during the meeting re-reads the factors around the corrected line: a
client's line first heard as the caseworker's gains its finding, a caseworker's line first
heard as a client's loses it, a one-word answer is paired with the question before it; the
revision is journaled with the correction, shown (chips come and go) and signed, and a session
replayed after a crash has the same factors. Scripted segments and the real tagger, no model."""

from __future__ import annotations

import io

from device.journal.identity import DeviceIdentity
from device.journal.session import SessionLog, load_session
from device.journal.signing import sign_segments
from device.journal.store import Store
from device.meeting.committer import Committer
from device.stages.commit import Commit
from device.stages.factors import MeetingFactors
from device.stages.tagging import RiskFactorsTagger, Tagging
from device.views.events import EventBus, FactorsRevised, SpeakerCorrected
from device.views.terminal import PlainView, RichView, attach
from device.views.touch.live import LiveMeeting
from fredag.protocol import Draft, ModelInfo, Segment, Speaker
from risk_factors.tagger import Tagger
from tests.device.conftest import make_meta
from tests.device.test_controller import Recorded

MODEL = ModelInfo(name="instant", sha256="0" * 64)
TAGGER = RiskFactorsTagger(Tagger.default())


def line(n: int, text: str, label: str) -> Segment:
    """Line `n` of a scripted meeting, attributed by the tracker (not yet corrected)."""
    role = "caseworker" if label == "handläggare" else "other"
    speaker = Speaker(role=role, label=label, confidence=0.95)
    return Segment(start=3.0 * n, end=3.0 * n + 2.5, text=text, speaker=speaker)


class Meeting:
    """A committer fed scripted commits, as the transcription worker would."""

    def __init__(self, store: Store) -> None:
        self.meta = make_meta()
        self.log = SessionLog.create(store, self.meta)
        self.store = store
        self.events = EventBus()
        self.seen = Recorded()
        self.events.subscribe(self.seen)
        self.live = LiveMeeting()
        self.events.subscribe(self.live.on_event)
        self.out = io.StringIO()
        attach(PlainView(self.out), self.events)
        self.rich = RichView()  # its panel's state, never drawn here
        attach(self.rich, self.events)
        self.factors = MeetingFactors(TAGGER, self.meta.case_type)
        self.committer = Committer(log=self.log, factors=self.factors, events=self.events)

    def commit(self, *segments: Segment) -> None:
        self.committer(Commit(segments=segments, covered_until=segments[-1].end, wall=0.0))

    def replayed(self) -> Tagging:
        """The factors a session read back from its journal has (what a kill -9 leaves),
        with anything committed but not tagged tagged along, as resume and finish do."""
        record = load_session(self.store, self.meta.session_id)
        factors = MeetingFactors(
            TAGGER,
            record.meta.case_type,
            previous=record.segments,
            noted=record.noted,
            tagged_through=record.tagged_through,
        )
        factors.catch_up()
        return factors.tagging()

    def signed(self, identity: DeviceIdentity) -> Draft:
        """The meeting closed and its draft signed with the factors noted live."""
        self.committer.close()
        return sign_segments(
            meta=self.meta,
            ended_at=self.meta.started_at,
            segments=self.committer.committed(),
            duration_s=self.committer.committed()[-1].end,
            language="sv",
            model=MODEL,
            tagging=self.factors.tagging(),
            identity=identity,
        ).draft

    def signed_factors(self, identity: DeviceIdentity) -> tuple[set[str], set[str]]:
        draft = self.signed(identity)
        return {f.factor for f in draft.factors}, {f.factor for f in draft.denied}


def noted(tagging: Tagging) -> tuple[object, ...]:
    """What was noted, in order, with the catalogue, the factors' life areas and who is who
    as the tagger read it."""
    assert tagging.areas, "the life areas of the factors are known"
    assert tagging.persons is not None, "the tagger's reading of who is who is known"
    return (
        tagging.tags,
        tagging.denied,
        tagging.catalogue_sha256,
        dict(tagging.areas),
        tagging.persons,
    )


def found(tagging: Tagging) -> set[tuple[str, int]]:
    return {(t.factor, t.segment) for t in tagging.tags}


class TestCorrectionRereadsTheFactors:
    def test_a_clients_line_heard_as_the_caseworkers_gains_its_finding(
        self, store: Store, identity: DeviceIdentity
    ) -> None:
        """A client's "Pappa dricker mycket" first attributed to handläggare gives nothing;
        corrected to person 1 it is found, journaled with the correction, shown as a chip and
        signed."""
        m = Meeting(store)
        m.commit(line(0, "Hur har ni det hemma?", "handläggare"))
        m.commit(line(1, "Pappa dricker mycket på helgerna.", "handläggare"))
        m.commit(line(2, "Hur går det i skolan?", "handläggare"))
        assert not m.factors.tagging().tags and not m.live.screen.chips

        m.committer.correct(1, "person 1")

        assert found(m.factors.tagging()) == {("parental_substance_abuse", 1)}
        [record] = [r for r in m.log.journal if r.get("type") == "speaker"]
        assert record["factors"]["first"] == 0 and record["factors"]["through"] == 3
        assert [t["factor"] for t in record["factors"]["tags"]] == ["parental_substance_abuse"]
        assert noted(m.replayed()) == noted(m.factors.tagging())
        # Shown: the label first, then the factor it brought back.
        kinds = [type(e) for e in m.seen.events[-2:]]
        assert kinds == [SpeakerCorrected, FactorsRevised]
        [revision] = m.seen.of(FactorsRevised)
        assert [t.factor for t in revision.added] == ["parental_substance_abuse"]
        assert not revision.withdrawn
        assert [c.slug for c in m.live.screen.chips] == ["parental_substance_abuse"]
        assert '  + risk: Förälders missbruk eller beroende – "Pappa dricker" [00:03]' in (
            m.out.getvalue()
        )
        factors, _denied = m.signed_factors(identity)
        assert factors == {"parental_substance_abuse"}
        assert factors == {c.slug for c in m.live.screen.chips}  # shown = signed

    def test_a_caseworkers_line_heard_as_a_clients_loses_its_finding(
        self, store: Store, identity: DeviceIdentity
    ) -> None:
        """The caseworker reading back "Pappa dricker mycket på helgerna." heard as person 1
        is a finding; corrected to handläggare it is withdrawn: chip gone, not signed."""
        m = Meeting(store)
        m.commit(line(0, "Jag sover dåligt på nätterna.", "person 1"))
        m.commit(line(1, "Pappa dricker mycket på helgerna.", "person 1"))
        assert found(m.factors.tagging()) == {
            ("youth_mental_ill_health", 0),
            ("parental_substance_abuse", 1),
        }
        assert len(m.live.screen.chips) == 2

        m.committer.correct(1, "handläggare")

        assert found(m.factors.tagging()) == {("youth_mental_ill_health", 0)}
        [revision] = m.seen.of(FactorsRevised)
        assert [t.factor for t in revision.withdrawn] == ["parental_substance_abuse"]
        assert [c.slug for c in m.live.screen.chips] == ["youth_mental_ill_health"]
        assert [x.split(" – ")[0] for x in m.rich._factors] == [
            "risk: Psykisk ohälsa hos barnet (nedstämdhet, ångest, sömnproblem)"
        ]
        _seq, changes = m.live.wait_changes(0, 0) or (0, [])
        assert '"op": "chips"' in changes[-1] and "parental_substance_abuse" not in changes[-1]
        assert '  - togs bort: risk: Förälders missbruk eller beroende – "Pappa dricker"' in (
            m.out.getvalue()
        )
        assert noted(m.replayed()) == noted(m.factors.tagging())
        factors, _denied = m.signed_factors(identity)
        assert factors == {"youth_mental_ill_health"}
        assert factors == {c.slug for c in m.live.screen.chips}  # shown = signed

    def test_a_one_word_answer_corrected_is_asked_and_denied(
        self, store: Store, identity: DeviceIdentity
    ) -> None:
        """The caseworker's "Har det förekommit våld hemma?" and "Nej." with the answer heard
        as handläggare note nothing; the answer corrected to person 1 is asked-and-denied
        with both utterances as evidence, and signed so."""
        m = Meeting(store)
        m.commit(line(0, "Har det förekommit våld hemma?", "handläggare"))
        m.commit(line(1, "Nej.", "handläggare"))
        assert not m.factors.tagging().denied

        m.committer.correct(1, "person 1")

        denied = m.factors.tagging().denied
        assert {"child_exposed_ipv"} <= {d.factor for d in denied}
        assert all(d.asked and d.reason == "negated" for d in denied)
        assert {d.segment for d in denied if d.factor == "child_exposed_ipv"} == {0, 1}
        assert noted(m.replayed()) == noted(m.factors.tagging())
        _factors, signed_denied = m.signed_factors(identity)
        assert "child_exposed_ipv" in signed_denied

    def test_replay_after_a_crash_gives_the_same_factors(self, store: Store) -> None:
        """Corrections back and forth between commits, then a kill -9 (the journal as it is):
        the session read back has exactly the factors shown; a line committed but never
        tagged is read with its corrected speaker when the session is resumed."""
        m = Meeting(store)
        m.commit(line(0, "Har det förekommit våld hemma?", "handläggare"))
        m.commit(line(1, "Nej.", "handläggare"))
        m.committer.correct(1, "person 1")
        m.commit(line(2, "Pappa dricker mycket på helgerna.", "person 1"))
        m.committer.correct(2, "handläggare")
        m.commit(line(3, "Jag sover dåligt på nätterna.", "person 1"))
        m.committer.correct(2, "person 1")
        live = m.factors.tagging()
        assert ("parental_substance_abuse", 2) in found(live) and live.denied
        assert noted(m.replayed()) == noted(live)
        # Cut off between a segment and its factors: the journal has the segment only.
        m.log.segment(line(4, "Mamma slår mig ibland.", "handläggare"))
        m.log.speaker(
            4,
            line(4, "Mamma slår mig ibland.", "person 1").model_copy(
                update={"speaker": Speaker(role="other", label="person 1", confidence=1.0)}
            ),
        )
        resumed = m.replayed()
        assert found(resumed) - found(live), "the corrected, untagged line was read as said"
        assert {t for t in resumed.tags if t.segment < 4} == set(live.tags)

    def test_a_sentence_run_on_across_lines_is_read_again_whole(self, store: Store) -> None:
        """The client's "Mamma" / "har" / "slagit mig." heard as three lines is one finding
        quoted from the first line; the last line corrected to handläggare withdraws it
        although it begins two lines before the corrected one."""
        m = Meeting(store)
        m.commit(
            line(0, "Mamma", "person 1"),
            line(1, "har", "person 1"),
            line(2, "slagit mig.", "person 1"),
        )
        assert found(m.factors.tagging()) == {("child_maltreatment", 0)}
        m.committer.correct(2, "handläggare")
        assert not m.factors.tagging().tags
        [revision] = m.seen.of(FactorsRevised)
        assert (revision.first, revision.through) == (0, 3)
        assert noted(m.replayed()) == noted(m.factors.tagging())

    def test_a_correction_that_changes_no_reading_journals_no_revision(self, store: Store) -> None:
        """Relabelling one client as another changes nothing the tagger reads as a finding:
        the speaker record holds the label only and no revision is shown."""
        m = Meeting(store)
        m.commit(line(0, "Jag sover dåligt på nätterna.", "person 1"))
        m.commit(line(1, "Det gör jag också.", "person 2"))
        m.committer.correct(0, "person 2")
        [record] = [r for r in m.log.journal if r.get("type") == "speaker"]
        assert "factors" not in record
        assert not m.seen.of(FactorsRevised)
