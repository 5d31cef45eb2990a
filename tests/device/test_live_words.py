"""The live loop hears words as `fredag draft AUDIO` does: each committed segment carries the
recogniser's words with their meeting times and probabilities, journaled with it and read by
the tagger, so the word-probability mechanisms (a sound-alike cue word accepted only where the
recogniser was unsure, a run-together non-word split) act on the live draft too. The Hunspell
dictionary they may need is checked when a meeting opens."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bench.meetings import draft_from_transcript
from device.capture.sources import FileSource
from device.journal.session import SessionLog, load_session
from device.journal.store import Store
from device.meeting.controller import MeetingController
from device.meeting.recording import RecordRequest, open_meeting
from device.stages.decoding import Decoder
from device.stages.factors import MeetingFactors
from device.stages.scheduling import Budget
from device.stages.streaming import StreamingOptions
from device.stages.tagging import load_tagger
from device.stages.transcribe import Continued, HeardWord, TranscribeOptions, _after_prefix
from device.stages.utterance import Utterance
from fredag.errors import ExtraMissing
from fredag.protocol import Segment
from tests.device.conftest import make_meta
from tests.support.speech import conversation, silence, write_wav

FAST = StreamingOptions(previews=False, speculate=False)


@dataclass
class _Word:
    """A word as faster-whisper gives it."""

    word: str
    start: float
    end: float
    probability: float


class TestWordsOfAContinuation:
    def test_only_the_words_after_the_forced_prefix_are_kept(self) -> None:
        """The decode's words cover the prefix and the new text; those of the new text are
        the continuation's (a word that straddles the prefix's end is left out)."""
        prefix = "Har du blivit slagen?"
        words = [
            _Word(w, i, i + 0.5, 0.9)
            for i, w in enumerate(["", "Har", "du", "blivit", "slagen?", "Nej."])
        ]
        kept = _after_prefix(
            [_Word(" " + w.word, w.start, w.end, w.probability) for w in words[1:]], len(prefix)
        )
        assert [w.word for w in kept] == ["Nej."]
        assert _after_prefix([_Word(" Ha", 0, 1, 0.9), _Word("rs", 1, 2, 0.5)], 3) == ()


class ScriptedWords:
    """No model: a decode after the context hears a scripted text with word times in the
    joined audio (context, 0.4 s gap, the utterance)."""

    def __init__(self, heard: Continued) -> None:
        self.heard = heard

    def continuation(self, audio: np.ndarray, prefix: str, options: Any) -> Continued | None:
        assert options.word_timestamps
        return self.heard

    def segments(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("decoded alone")


class TestWordsInMeetingTime:
    def test_words_of_a_decode_after_the_context_are_in_meeting_time(self) -> None:
        """A word the decoder heard 1.5-1.9 s into (1 s of context, 0.4 s gap, the utterance)
        is 0.1-0.5 s into the utterance, which starts 3 s into the meeting; a word aligned
        into the gap before it is kept at the utterance's start."""
        heard = Continued(
            "Nej, aldrig.",
            (HeardWord(1.2, 1.35, "Nej,", 0.4), HeardWord(1.5, 1.9, "aldrig.", 0.95)),
        )
        decoder = Decoder(ScriptedWords(heard), FAST, Budget(30.0))  # type: ignore[arg-type]
        one_s = np.full(16000, 0.1, dtype=np.float32)
        decoder.remember_context([one_s], [Segment(start=0, end=1, text="Har han slagit dig?")])
        utt = Utterance(2, 48000)
        utt.add(one_s)
        [decoded] = decoder.final([utt])
        assert decoded.segment == Segment(start=3.0, end=4.0, text="Nej, aldrig.")
        assert decoded.words == (
            HeardWord(3.0, 3.0, "Nej,", 0.4),
            HeardWord(3.1, 3.5, "aldrig.", 0.95),
        )


QUESTION = "Har han haft kontakt med polisen?"
ANSWER = "Han är misstänkt för rån, och det blir förhandling i tingsrätten i december."


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A question and an answer whose cue word whisper-base mishears ("misstänkt" as
    "mistankt"), unsure of it: only the word probabilities let the tagger accept it."""
    return conversation([(0, QUESTION), (1, ANSWER)], tmp_path_factory.mktemp("x") / "x.wav")


@pytest.mark.slow
class TestTheLiveDraftReadsLikeTheFileDraft:
    def test_a_sound_alike_cue_is_found_live_as_in_the_file_draft(
        self, transcriber: Any, store: Store, exchange: Path
    ) -> None:
        """The live meeting and `fredag draft` of the same recording both note
        legal_problems; the live loop finds it only through the words it heard (the same
        segments read as text alone give nothing), and a session finished from its journal
        (a crash before tagging) reads the same."""
        from device.capture.audio import decode_file

        data = transcriber.transcribe(
            decode_file(exchange), TranscribeOptions(word_timestamps=True)
        ).to_json()
        file_draft = draft_from_transcript(data, "BoU-1", "barn")
        assert "legal_problems" in {f["factor"] for f in file_draft["factors"]}

        meta = make_meta()
        c = MeetingController(
            log=SessionLog.create(store, meta),
            meta=meta,
            source=FileSource(exchange, speed=4.0),
            transcriber=transcriber,
            tagger=load_tagger(),
            options=FAST,
        )
        result = c.run()
        assert {t.factor for t in result.tagging.tags} == {"legal_problems"}
        record = load_session(store, meta.session_id)
        assert len(record.words) == len(record.segments) == len(result.segments)
        answer = record.words[-1]
        assert answer and all(0 <= w.probability <= 1 for w in answer)
        assert all(
            s.start - 0.01 <= w.start <= w.end <= s.end + 0.01
            for s, ws in zip(record.segments, record.words, strict=True)
            for w in ws
        )
        as_text = MeetingFactors(load_tagger(), "barn", previous=record.segments)
        assert as_text.catch_up().tags == ()
        from_journal = MeetingFactors(
            load_tagger(), "barn", previous=record.segments, words=record.words
        )
        assert from_journal.catch_up().tags == result.tagging.tags


class TestTheDictionaryAtMeetingStart:
    def test_a_missing_dictionary_fails_before_the_meeting_opens(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without the Hunspell dictionary a meeting does not open (ExtraMissing, naming
        hunspell-sv) and no session is made: the live loop's tagger would need it."""
        from risk_factors import dictionary

        monkeypatch.setattr(dictionary, "SEARCH", (tmp_path,))
        monkeypatch.setenv("FREDAG_HUNSPELL_DIR", str(tmp_path))
        monkeypatch.setattr(dictionary, "_loaded", None)
        monkeypatch.setenv("FREDAG_HOME", str(tmp_path / "home"))
        wav = write_wav(tmp_path / "m.wav", silence(1.0))
        request = RecordRequest(meta=make_meta(), resume=None, input_file=wav, device=None)
        with pytest.raises(ExtraMissing, match="hunspell-sv"):
            open_meeting(request)
        assert not (tmp_path / "home").exists() or not list((tmp_path / "home").rglob("*.fj"))
