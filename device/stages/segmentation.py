"""Utterance segmentation: audio chunks in, utterances out (Silero VAD, frame by frame).

`Segmenter` keeps a short pre-roll so an utterance starts a little before the VAD noticed
speech, ends an utterance at the endpoint (`VadSettings.min_silence_s` of silence) or on
`flush` (pause, stop, end of input), and cuts one that runs past `max_utterance_s` so audio
memory stays bounded. It does no decoding and takes no lock: its owner
(`device.stages.streaming.StreamingTranscriber`) serialises access.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import numpy.typing as npt

from device.capture.audio import SAMPLE_RATE, AudioArray
from device.stages.utterance import Utterance
from device.stages.vad import Endpointer, Pause, SileroStream, SpeechEvent, VadSettings


class Segmenter:
    def __init__(self, vad: VadSettings, max_utterance_s: float, offset_s: float = 0.0) -> None:
        self.settings = vad
        self.max_utterance_s = max_utterance_s
        self.offset_s = offset_s
        self._vad = SileroStream()
        self._end = Endpointer(vad)
        self._pre: deque[AudioArray] = deque()
        self._pre_n = 0
        self._pre_keep = int((vad.pad_s + 0.1) * SAMPLE_RATE) + 2 * 512
        self.samples = 0
        self._uid = 0
        self.current: Utterance | None = None

    # -- the audio thread, without the owner's lock (Silero is the costly part) ------------
    def probabilities(self, chunk: AudioArray) -> npt.NDArray[np.float32]:
        return self._vad.feed(chunk)

    # -- under the owner's lock --------------------------------------------------------------
    def push(self, chunk: AudioArray, probs: npt.NDArray[np.float32]) -> list[Utterance]:
        """Add `chunk` (with its speech probabilities); the utterances it ended."""
        self.samples += chunk.size
        ended: list[Utterance] = []
        self._remember(chunk)
        if self.current is not None:
            self.current.add(chunk)
        for ev in self._end.push(probs):
            self._event(ev, ended)
        cur = self.current
        if cur is not None and cur.n >= self.max_utterance_s * SAMPLE_RATE:
            ended.append(self._finish_current(cur.end_sample, restart=True))
        return ended

    def flush(self) -> list[Utterance]:
        """End the utterance in progress (pause, stop, end of input)."""
        ended = []
        ev = self._end.force_end()
        if ev is not None and self.current is not None:
            ended.append(self._finish_current(self.samples, restart=False))
        self.current = None
        return ended

    @property
    def pause(self) -> Pause | None:
        """In a pause within an utterance: where it ends if the pause lasts."""
        return self._end.pause

    @property
    def pausing(self) -> bool:
        return self._end.pausing

    def _remember(self, chunk: AudioArray) -> None:
        self._pre.append(chunk)
        self._pre_n += chunk.size
        while self._pre and self._pre_n - self._pre[0].size >= self._pre_keep:
            self._pre_n -= self._pre.popleft().size

    def _new(self, start_sample: int) -> Utterance:
        self._uid += 1
        return Utterance(self._uid, start_sample, self.offset_s)

    def _preroll(self, start_sample: int) -> Utterance:
        """A new utterance from `start_sample`, filled from the pre-roll buffer up to now."""
        buf = np.concatenate(list(self._pre)) if self._pre else np.zeros(0, np.float32)
        first = self.samples - buf.size
        start = max(start_sample, first)
        utt = self._new(start)
        utt.add(buf[start - first :])
        return utt

    def _event(self, ev: SpeechEvent, ended: list[Utterance]) -> None:
        if ev.kind == "start":
            if self.current is None:
                self.current = self._preroll(ev.sample)
        elif ev.kind == "cancel":
            self.current = None
        elif self.current is not None:
            ended.append(self._finish_current(min(ev.sample, self.samples), restart=False))

    def _finish_current(self, end_sample: int, *, restart: bool) -> Utterance:
        cur = self.current
        assert cur is not None
        audio = cur.audio()
        keep = max(0, end_sample - cur.start_sample)
        final = Utterance(cur.uid, cur.start_sample, self.offset_s)
        final.add(audio[:keep])
        final.hypothesis = cur.hypothesis
        self.current = None
        if restart:
            nxt = self._new(cur.start_sample + keep)
            nxt.add(audio[keep:])
            self.current = nxt
        return final
