"""The live loop cuts an utterance where the voice changes: the attribution stage
(`SpeakerStage`) asks the tracker where another voice takes over (`SpeakerTracker.change_in`)
and, where the words' times show a pause there, cuts the segment at that word and attributes
each piece on its own audio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.stages.commit import Commit
from device.stages.speakers import SpeakerStage, split_at_change
from device.stages.transcribe import HeardWord
from device.stages.utterance import Utterance
from device.voice.attribution import Attribution
from fredag.protocol import Segment


def _words(*spans: tuple[str, float, float]) -> tuple[HeardWord, ...]:
    return tuple(HeardWord(a, b, w, 0.9) for w, a, b in spans)


def _spread(said: list[str], start: float, step: float, share: float) -> list[HeardWord]:
    """`said` heard one word per `step` s from `start`, each word `share` of its step long."""
    return [
        HeardWord(start + k * step, start + (k + share) * step, w, 0.9) for k, w in enumerate(said)
    ]


# Two espeak voices as unlike as a caseworker and a client are (the real-encoder tests).
WOMAN = ("-v", "sv+f2", "-s", "135", "-g", "6")
MAN = ("-v", "sv+m7", "-p", "35", "-s", "135", "-g", "6")


class VoicesByTime:
    """A stand-in tracker: the voice changes `change` s into any audio longer than 3 s; an
    utterance is the voice `labels` gives for its key (its start)."""

    def __init__(self, change: float | None, labels: dict[float, str]) -> None:
        self.change = change
        self.labels = labels  # segment start -> label
        self.heard: list[tuple[float, str | None]] = []

    def change_in(self, audio: np.ndarray) -> float | None:
        return self.change if audio.size > 3 * 16000 else None

    def revisions(self) -> list[object]:
        return []  # no label changed with hindsight

    def attribute(self, audio: np.ndarray, text: str | None = None, key: Any = None) -> Attribution:
        self.heard.append((key, text))
        label = self.labels[key]
        role = "caseworker" if label == "handläggare" else "other"
        return Attribution(role, label, 0.9)  # type: ignore[arg-type]


class TestCutAtAVoiceChange:
    TEXT = "Har han slagit dig? Nej, aldrig."
    WORDS = _words(
        ("Har", 10.2, 10.5), ("han", 10.5, 10.7), ("slagit", 10.7, 11.2), ("dig?", 11.2, 11.6),
        ("Nej,", 11.9, 12.3), ("aldrig.", 12.3, 13.0),
    )  # fmt: skip

    def commit(self) -> Commit:
        utt = Utterance(1, 10 * 16000)
        utt.add(np.full(int(3.2 * 16000), 0.1, dtype=np.float32))
        segment = Segment(start=10.0, end=13.2, text=self.TEXT)
        return Commit((segment,), 13.2, 0.0, (utt,), words=(self.WORDS,))

    def test_an_utterance_is_cut_at_the_pause_where_the_voice_changes(self) -> None:
        """The tracker hears another voice take over about 1.5 s in: the segment is cut at
        the widest pause between words there, and each piece is attributed on its own audio
        (the whole never is), with its words."""
        tracker = VoicesByTime(1.5, {10.0: "handläggare", 11.75: "person 1"})
        out = SpeakerStage(tracker)(self.commit())  # type: ignore[arg-type]
        assert [(s.start, s.end, s.text) for s in out.segments] == [
            (10.0, 11.75, "Har han slagit dig?"),
            (11.75, 13.2, "Nej, aldrig."),
        ]
        assert [s.speaker.label for s in out.segments] == ["handläggare", "person 1"]
        assert out.words == (self.WORDS[:4], self.WORDS[4:])
        assert tracker.heard == [(10.0, "Har han slagit dig?"), (11.75, "Nej, aldrig.")]

    def test_one_voice_after_all_keeps_the_segment_whole(self) -> None:
        """When both pieces turn out to be the same voice, the segment stays as committed,
        marked uncertain (as a change the tracker sees but nothing cuts)."""
        tracker = VoicesByTime(1.5, {10.0: "person 1", 11.75: "person 1"})
        out = SpeakerStage(tracker)(self.commit())  # type: ignore[arg-type]
        assert [s.text for s in out.segments] == [self.TEXT]
        speaker = out.segments[0].speaker
        assert speaker is not None and speaker.label == "person 1" and speaker.uncertain
        assert out.words == (self.WORDS,)

    def test_no_pause_near_the_change_no_cut(self) -> None:
        """A change with no pause between two words near it (past the last word, or words
        running on without a pause) is not cut."""
        segment = Segment(start=10.0, end=13.2, text=self.TEXT)
        assert split_at_change(segment, self.WORDS, 4.5) is None
        running_on = tuple(
            HeardWord(10.2 + 0.4 * i, 10.6 + 0.4 * i, w.word, 0.9) for i, w in enumerate(self.WORDS)
        )  # no pause between any two words: one voice going on, never cut
        assert split_at_change(segment, running_on, 1.5) is None
        assert split_at_change(segment, self.WORDS, 1.5) is not None


class CountingEncoder:
    """The real speaker encoder, counting the audio it embeds."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.embedded: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def embed_partials(self, audio: np.ndarray) -> Any:
        self.embedded.append(audio.size)
        return self.real.embed_partials(audio)


@pytest.mark.slow
class TestTheChangeCheckCostsNoSecondEmbedding:
    def test_an_utterance_checked_for_a_change_is_embedded_once(self, tmp_path: Path) -> None:
        """Once two voices are known, the stage checks a long utterance for a change of voice
        and then attributes it: the real encoder embeds it once, not twice, and the
        change-point test runs on it once, not twice."""
        from device.voice.attribution import SpeakerTracker
        from device.voice.encoder import shared_encoder
        from tests.support.speech import read_wav, speak

        lines = [
            (WOMAN, "Hej och välkommen hit, jag heter Anna och jag arbetar som socialsekreterare."),
            (MAN, "Tack, jag är lite nervös men det känns bra att vi kan prata om det i dag."),
            (WOMAN, "Kan du berätta lite mer om hur det har gått för din son i skolan i höstas?"),
        ]
        encoder = CountingEncoder(shared_encoder())
        stage = SpeakerStage(SpeakerTracker(encoder))  # type: ignore[arg-type]
        tested: list[int] = []
        change_point = stage.tracker._change_point

        def counted(partials: np.ndarray) -> int | None:
            tested.append(len(partials))
            return change_point(partials)

        stage.tracker._change_point = counted  # type: ignore[method-assign]
        start = 0.0
        labels = []
        for i, (voice, text) in enumerate(lines):
            audio = read_wav(speak(text, tmp_path / f"{i}.wav", voice))[0]
            utt = Utterance(i, round(start * 16000))
            utt.add(audio)
            end = start + audio.size / 16000
            said = text.split()
            step = (end - start) / len(said)
            words = tuple(_spread(said, start, step, 0.8))
            segment = Segment(start=round(start, 2), end=round(end, 2), text=text)
            if i == len(lines) - 1:  # two voices known, long enough: checked for a change
                assert len(stage.tracker.labels) >= 2 and audio.size >= 3.2 * 16000
            tested.clear()
            out = stage(Commit((segment,), end, 0.0, (utt,), words=(words,)))
            labels.append(out.segments[0].speaker.label)
            start = end + 1.0
        assert labels[0] != labels[1] and labels[2] == labels[0]
        assert len(encoder.embedded) == len(lines)  # the last one checked, embedded once
        assert len(tested) == 1  # and tested for a change once (twice before)

    def test_reusing_the_answer_changes_no_attribution(self, tmp_path: Path) -> None:
        """A meeting through the stage (three turns; an answer and the next question in one
        utterance, cut; an answer and a question with no pause between their words, so not
        cut but marked uncertain; an answer) comes out the same, line for line, whether the
        attribution uses the change test's answer or tests again as it did before."""
        from device.voice.attribution import SpeakerTracker
        from device.voice.encoder import shared_encoder
        from tests.support.speech import read_wav, speak

        texts = [
            (WOMAN, "Hej och välkommen hit, jag heter Anna och jag arbetar som socialsekreterare."),
            (MAN, "Tack, jag är lite nervös men det känns bra att vi kan prata om det i dag."),
            (WOMAN, "Kan du berätta lite mer om hur det har gått för din son i skolan i höstas?"),
            (MAN, "Han har varit borta många dagar och säger att han inte orkar gå dit."),
            (WOMAN, "Hur sover han på nätterna när det är skola dagen efter?"),
            (MAN, "Dåligt, han sitter uppe sent med mobilen och är mycket trött på morgonen."),
        ]
        clips = [read_wav(speak(t, tmp_path / f"{i}.wav", v))[0] for i, (v, t) in enumerate(texts)]
        pause = np.zeros(int(0.3 * 16000), dtype=np.float32)
        # (turns in one utterance, whether their words run on with no pause to cut at)
        turns = [([0], False), ([1], False), ([2], False), ([3, 4], False), ([5, 4], True)]
        turns.append(([3], False))

        def meeting(reuse: bool) -> list[Segment]:
            tracker = SpeakerTracker(shared_encoder())
            if not reuse:  # as before: the attribution tests the utterance again
                asked = tracker.change_in

                def change_in(audio: np.ndarray) -> float | None:
                    found = asked(audio)
                    tracker._checked = None
                    return found

                tracker.change_in = change_in  # type: ignore[method-assign]
            stage = SpeakerStage(tracker)
            start, out = 0.0, []
            for n, (turn, run_on) in enumerate(turns):
                pieces, words, at = [], [], start
                for k in turn:
                    clip, said = clips[k], texts[k][1].split()
                    step = clip.size / 16000 / len(said)
                    words += _spread(said, at, step, 0.8)
                    pieces += [clip, pause]
                    at += clip.size / 16000 + 0.3
                audio = np.concatenate(pieces[:-1])
                utt = Utterance(n, round(start * 16000))
                utt.add(audio)
                end = start + audio.size / 16000
                if run_on:  # every word as long, no pause between any two
                    step = (end - start) / len(words)
                    words = _spread([w.word for w in words], start, step, 1.0)
                text = " ".join(texts[k][1] for k in turn)
                segment = Segment(start=round(start, 2), end=round(end, 2), text=text)
                out += stage(Commit((segment,), end, 0.0, (utt,), words=(tuple(words),))).segments
                start = end + 1.0
            return out

        reused = meeting(reuse=True)
        assert len(reused) == len(turns) + 1  # the one cut
        assert len({s.speaker.label for s in reused if s.speaker is not None}) == 2
        assert any(s.speaker is not None and s.speaker.uncertain for s in reused)
        assert reused == meeting(reuse=False)
