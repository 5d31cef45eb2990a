"""One reading of who is who: the draft shows whom a "han" stands for as the tagger read it
while tagging (`Tagging.persons`), never a second reading of the meeting that can differ
from the one the factors were decided by. Live, each commit's reading is kept, journaled with
its factors and replayed from the journal; a session journaled before taggings carried it is
read again. Scripted segments and the real tagger, no model."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from device.journal.identity import DeviceIdentity
from device.journal.session import load_session
from device.journal.store import Store
from device.stages.tagging import Tagging, tag_meeting
from fredag.protocol import Draft, JournalLine, Segment
from risk_factors.tagger import Persons, persons
from tests.device.test_quote_trimming import _built as _draft
from tests.device.test_quote_trimming import _tagger
from tests.device.test_speaker_retag import Meeting, line

NAMING = "Berätta om din pappa."
FILLER = ["Det är lugnt hemma.", "Vi bor i en lägenhet.", "Den är fin.", "Vi trivs där."]
PAUSED = "Finns det något du tycker om att göra jag simmar i en klubb varje vecka."
"""Heard with a pause before "jag": the tagger reads a question and its answer (two
sentences); read without the word times it is one sentence."""
DRINKS = "Han dricker mycket på helgerna."


def _heard(fillers: int) -> tuple[list[Segment], list[dict[str, Any]]]:
    """The caseworker names pappa, the client says `fillers` neutral sentences, then the
    paused question-and-answer and "Han dricker …": segments and how they were heard (words
    with times and probabilities)."""
    texts = [NAMING, *FILLER[:fillers], PAUSED, DRINKS]
    segments: list[Segment] = []
    heard: list[dict[str, Any]] = []
    at = 0.0
    for n, text in enumerate(texts):
        words = []
        for word in text.split():
            at += 0.8 if text == PAUSED and word == "jag" else 0.0
            words.append({"word": word, "start": at, "end": at + 0.3, "probability": 0.9})
            at += 0.3
        start, end = words[0]["start"], words[-1]["end"]
        segment = line(n, text, "handläggare" if n == 0 else "person 1")
        segments.append(segment.model_copy(update={"start": start, "end": end}))
        heard.append({"start": start, "end": end, "text": text, "words": words})
        at += 0.5
    return segments, heard


def _line(draft: Draft, text: str) -> JournalLine:
    assert draft.journal is not None
    (found,) = [ln for a in draft.journal.areas for ln in a.lines if ln.text == text]
    return found


def _drinks(tagging: Tagging) -> set[str]:
    return {t.factor for t in tagging.tags if t.quote.startswith("Han dricker")}


class TestTheDraftUsesTheTaggersReading:
    def test_a_han_the_tagger_did_not_read_as_pappa_gets_no_words_naming_pappa(self) -> None:
        """With the pause heard, "Han dricker …" is seven sentences after "pappa": the tagger
        reads it as the child's (not the parent's drinking), and the draft shows no words
        naming pappa, although a reading without the word times would take him for pappa."""
        segments, heard = _heard(fillers=4)
        tagging = tag_meeting(_tagger(), segments, "barn", heard)
        assert _drinks(tagging) == {"early_substance_use"}
        assert tagging.persons is not None and not tagging.persons.named
        again = persons([{k: v for k, v in h.items() if k != "words"} for h in heard], "barn")
        assert again.named, "read again without the word times, he is pappa: the two differ"
        assert _line(_draft(segments, tagging), DRINKS).referents == []

    def test_a_han_the_tagger_read_as_pappa_is_shown_with_the_words_naming_him(self) -> None:
        """One neutral sentence fewer, the tagger reads "Han" as pappa (the parent's
        drinking), and the draft quotes the caseworker's words naming him, the word its
        reading points at."""
        segments, heard = _heard(fillers=3)
        tagging = tag_meeting(_tagger(), segments, "barn", heard)
        assert _drinks(tagging) == {"parental_substance_abuse"}
        assert tagging.persons is not None
        assert list(tagging.persons.named.values()) == [(0, 15, 20)]  # "pappa"
        (referent,) = _line(_draft(segments, tagging), DRINKS).referents
        assert (referent.segment, referent.text) == (0, NAMING)

    def test_the_draft_follows_the_tagging_not_the_transcript(self) -> None:
        """A tagging that says nobody is named gives no referent even where the transcript
        read again would name pappa: the draft does not read the meeting a second time."""
        segments, heard = _heard(fillers=3)
        tagging = tag_meeting(_tagger(), segments, "barn", heard)
        nobody = Tagging(
            tagging.tags, tagging.denied, tagging.catalogue_version,
            tagging.catalogue_sha256, tagging.areas, Persons(frozenset(), {}),
        )  # fmt: skip
        assert _line(_draft(segments, nobody), DRINKS).referents == []


HIT = "Han har slagit mamma flera gånger."


def _meeting(store: Store) -> Meeting:
    """A live meeting, committed line by line: pappa named, then, four lines on, "Han har
    slagit mamma" (another area than the drinking)."""
    m = Meeting(store)
    m.commit(line(0, "Vill du berätta om pappa?", "handläggare"))
    m.commit(line(1, "Han dricker varje helg och blir arg.", "person 1"))
    m.commit(line(2, "Hur går det i skolan?", "handläggare"))
    m.commit(line(3, "Det går bra. Jag har många kompisar.", "person 1"))
    m.commit(line(4, "Och hemma?", "handläggare"))
    m.commit(line(5, HIT, "person 1"))
    return m


class TestLiveReading:
    def test_each_commits_reading_is_kept_journaled_and_signed(
        self, store: Store, identity: DeviceIdentity
    ) -> None:
        """Live, "Han har slagit mamma" committed five lines after the question naming pappa
        is read with it as context (as the whole meeting read at once): the reading is kept
        with the factors, replayed from the journal exactly, and the signed draft quotes the
        question as the words naming him."""
        m = _meeting(store)
        live = m.factors.tagging()
        assert live.persons is not None
        assert live.persons.named[(5, 0)] == (0, 19, 24)  # "pappa", four lines back
        whole = tag_meeting(_tagger(), m.committer.committed(), "barn")
        assert (live.tags, live.persons) == (whole.tags, whole.persons), "as read whole"
        record = load_session(store, m.meta.session_id)
        assert record.noted is not None and record.noted.persons == live.persons
        draft = m.signed(identity)  # signs `live`: closing the meeting tags nothing more
        assert [r.text for r in _line(draft, HIT).referents] == ["Vill du berätta om pappa?"]

    def test_a_session_journaled_without_the_reading_is_read_again(self, store: Store) -> None:
        """A session whose factors records carry no reading (journaled before they did)
        replays with who is who unknown, and its draft reads the meeting again as before."""
        m = _meeting(store)
        records = list(m.log.journal)
        old = [{k: v for k, v in r.items() if k != "persons"} for r in records]
        assert old != records, "the factors records carry the reading"
        m.log.journal.path.unlink()
        journal = store.session_journal(m.meta.session_id)
        for record in old:
            journal.append(record)
        replayed = load_session(store, m.meta.session_id).noted
        assert replayed is not None and replayed.persons is None
        # The journal keeps the factors, not their life areas: looked up again, as on resume.
        draft = _draft(m.committer.committed(), replace(replayed, areas=m.factors.tagging().areas))
        assert [r.text for r in _line(draft, HIT).referents] == ["Vill du berätta om pappa?"]
