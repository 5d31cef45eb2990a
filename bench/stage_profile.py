"""Where the live loop's time goes: CPU and wall per stage, measured from outside the stages.

`StageProfile` wraps the loop's parts at their seams without changing them:

* **VAD**: `SileroStream.feed` (the audio thread, Silero on onnxruntime with one thread), and
  faster-whisper's own VAD filter that every transcribe call runs again over its buffer.
* **features**: the log-mel spectrogram faster-whisper computes for every call.
* **encoder**: `WhisperModel.encode` (CTranslate2, its own compute threads).
* **decoder**: CTranslate2's `generate`, split into the **forced prefix** (the committed context
  the decoder is forced through) and **free decoding** by a calibration after the run: a few
  recorded calls are decoded again for one token with and without their prefix, and the
  difference per prefix token is charged to every call's prefix.
* **tagging**, **journal** (encrypt, append, fsync) and **views** (the calls the loop makes on
  the view, plus the Rich refresh thread) from wrappers around the objects the recorder gets.

CPU of a stage that runs on CTranslate2's threads is the whole process's CPU over the call
(`time.process_time`), so it also holds what other threads did meanwhile (the audio thread's
VAD, the view's refresh: a few per cent); a stage that runs on one Python thread is that
thread's CPU (`time.thread_time`). Per-thread totals from the kernel (`threads()`) are the
cross-check.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

STAGES = (
    "vad_stream",
    "vad_filter",
    "features",
    "encoder",
    "forced_prefix",
    "free_decoding",
    "word_align",
    "post_decode",
    "tagging",
    "journal",
    "views",
)
SPECIAL_TOKEN = 50257  # Whisper's first special token (end of text); text tokens are below
CALIBRATION_CALLS = 6
VIEW_THREAD = "view refresh (Rich)"


@dataclass
class StageTime:
    cpu: float = 0.0
    wall: float = 0.0
    calls: int = 0


class StageProfile:
    def __init__(self) -> None:
        self.stages = {name: StageTime() for name in STAGES}
        self._lock = threading.Lock()
        self._undo: list[Callable[[], None]] = []
        self.decoder = StageTime()  # all of generate, before the split
        self.prefix_tokens = 0
        self.prefix_calls = 0
        self._samples: list[tuple[Any, list[int], dict[str, Any]]] = []
        self._model: Any = None
        self.prefix_token_cpu: float | None = None

    def add(self, name: str, cpu: float, wall: float) -> None:
        with self._lock:
            st = self.stages.get(name, self.decoder)
            st.cpu += cpu
            st.wall += wall
            st.calls += 1

    @contextmanager
    def timed(self, name: str, *, thread: bool) -> Iterator[None]:
        clock = time.thread_time if thread else time.process_time
        c0, w0 = clock(), time.perf_counter()
        try:
            yield
        finally:
            self.add(name, clock() - c0, time.perf_counter() - w0)

    def _wrap(self, fn: Callable[..., Any], name: str, *, thread: bool) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with self.timed(name, thread=thread):
                return fn(*args, **kwargs)

        return wrapped

    # -- installing the timers ------------------------------------------------------------------
    def install_vad(self) -> None:
        import faster_whisper.transcribe as fwt

        from device.stages.vad import SileroStream

        feed = SileroStream.feed
        filt = fwt.get_speech_timestamps
        SileroStream.feed = self._wrap(feed, "vad_stream", thread=True)  # type: ignore[method-assign]
        fwt.get_speech_timestamps = self._wrap(filt, "vad_filter", thread=True)

        def undo() -> None:
            SileroStream.feed = feed  # type: ignore[method-assign]
            fwt.get_speech_timestamps = filt

        self._undo.append(undo)

    def install_whisper(self, whisper: Any) -> None:
        """Time `whisper` (a faster_whisper.WhisperModel): features, encoder, generate, the
        word times' alignment."""
        profile = self
        encode = whisper.encode
        model = whisper.model
        extractor = whisper.feature_extractor
        self._model = model
        whisper.encode = self._wrap(encode, "encoder", thread=False)

        class Extractor:
            def __getattr__(self, key: str) -> Any:
                return getattr(extractor, key)

            def __call__(self, *args: Any, **kwargs: Any) -> Any:
                with profile.timed("features", thread=True):
                    return extractor(*args, **kwargs)

        class Model:
            def __getattr__(self, key: str) -> Any:
                return getattr(model, key)

            def generate(self, encoder_output: Any, prompts: list[list[int]], **kw: Any) -> Any:
                prompt = list(prompts[0])
                n = prefix_length(prompt)
                with profile.timed("decoder", thread=False):
                    out = model.generate(encoder_output, prompts, **kw)
                with profile._lock:
                    profile.prefix_tokens += n
                    profile.prefix_calls += bool(n)
                    if n and len(profile._samples) < CALIBRATION_CALLS:
                        profile._samples.append((encoder_output, prompt, kw))
                return out

            def align(self, *args: Any, **kw: Any) -> Any:
                with profile.timed("word_align", thread=False):
                    return model.align(*args, **kw)

        whisper.feature_extractor = Extractor()
        whisper.model = Model()

        def undo() -> None:
            whisper.encode = encode
            whisper.model = model
            whisper.feature_extractor = extractor

        self._undo.append(undo)

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    def tagger(self, tagger: Any) -> Any:
        profile = self

        class Tagger:
            def tag_segments(self, segments: Sequence[Any], case_type: Any) -> Any:
                with profile.timed("tagging", thread=True):
                    return tagger.tag_segments(segments, case_type)

        return Tagger()

    def stage(self, stage: Any) -> Any:
        """A post-decode stage (speaker attribution) timed on the worker's thread."""
        profile = self

        class Stage:
            def __call__(self, commit: Any) -> Any:
                with profile.timed("post_decode", thread=True):
                    return stage(commit)

            def close(self) -> None:
                close = getattr(stage, "close", None)
                if close is not None:
                    close()

        return Stage()

    def journal(self, log: Any) -> Any:
        """`log` with `segment` (encrypt, append, fsync) timed; the same object."""
        log.segment = self._wrap(log.segment, "journal", thread=True)
        return log

    def view(self, view: Any) -> Any:
        profile = self

        class View:
            def __getattr__(self, key: str) -> Any:
                attr = getattr(view, key)
                if key in ("committed", "tentative", "factors", "state"):
                    return profile._wrap(attr, "views", thread=True)
                return attr

        return View()

    # -- after the run --------------------------------------------------------------------------
    def calibrate(self) -> None:
        """CPU per forced prefix token: recorded calls decoded again for one step, with and
        without their prefix (same beam, same encoder output), the difference per token."""
        per_token: list[float] = []
        for encoder_output, prompt, kw in self._samples:
            n = prefix_length(prompt)
            bare = prompt[: len(prompt) - n]
            costs = []
            for p in (prompt, bare):
                opts = {**kw, "max_length": len(p) + 1}
                c0 = time.process_time()
                self._model.generate(encoder_output, [p], **opts)
                costs.append(time.process_time() - c0)
            per_token.append(max(0.0, costs[0] - costs[1]) / n)
        if per_token:
            per_token.sort()
            self.prefix_token_cpu = per_token[len(per_token) // 2]
        forced = min(self.decoder.cpu, (self.prefix_token_cpu or 0.0) * self.prefix_tokens)
        share = forced / self.decoder.cpu if self.decoder.cpu else 0.0
        self.stages["forced_prefix"] = StageTime(
            forced, self.decoder.wall * share, self.prefix_calls
        )
        self.stages["free_decoding"] = StageTime(
            self.decoder.cpu - forced, self.decoder.wall * (1 - share), self.decoder.calls
        )

    def add_thread(self, name: str, cpu: float) -> None:
        """CPU of a whole thread that belongs to a stage (the view's refresh thread)."""
        self.stages[name].cpu += cpu

    def report(self, total_cpu: float, audio_s: float) -> dict[str, Any]:
        rows = {
            name: {
                "cpu_s": round(st.cpu, 2),
                "wall_s": round(st.wall, 2),
                "calls": st.calls,
                "cpu_share": round(st.cpu / total_cpu, 3) if total_cpu else 0.0,
                "cpu_per_audio": round(st.cpu / audio_s, 4) if audio_s else 0.0,
            }
            for name, st in self.stages.items()
        }
        staged = sum(st.cpu for st in self.stages.values())
        rows["other"] = {
            "cpu_s": round(total_cpu - staged, 2),
            "wall_s": None,
            "calls": None,
            "cpu_share": round((total_cpu - staged) / total_cpu, 3) if total_cpu else 0.0,
            "cpu_per_audio": round((total_cpu - staged) / audio_s, 4) if audio_s else 0.0,
        }
        return {
            "stages": rows,
            "prefix_tokens": self.prefix_tokens,
            "prefix_token_cpu_ms": (
                round(self.prefix_token_cpu * 1000, 2)
                if self.prefix_token_cpu is not None
                else None
            ),
        }


def prefix_length(prompt: list[int]) -> int:
    """Text tokens at the end of a Whisper prompt: the forced prefix."""
    n = 0
    for token in reversed(prompt):
        if token >= SPECIAL_TOKEN:
            break
        n += 1
    return n if n < len(prompt) else 0


class ThreadCpu:
    """CPU seconds per thread from the kernel, sampled while the threads live (a thread's
    count is gone once it exits); threads are named by `threading`, the rest are the
    compute pools of CTranslate2 and onnxruntime."""

    def __init__(self) -> None:
        self._last: dict[int, tuple[str, float]] = {}
        self._base: dict[int, float] = {}

    def start(self) -> None:
        """Count from now on (leaves out imports and model loading)."""
        self.sample()
        self._base = {tid: cpu for tid, (_name, cpu) in self._last.items()}

    def sample(self) -> None:
        import psutil

        names = {
            t.native_id: VIEW_THREAD if type(t).__name__ == "_RefreshThread" else t.name
            for t in threading.enumerate()
            if t.native_id
        }
        for th in psutil.Process().threads():
            name = names.get(th.id, "compute pool")
            self._last[th.id] = (name, th.user_time + th.system_time)

    def totals(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for tid, (name, cpu) in self._last.items():
            out[name] = round(out.get(name, 0.0) + cpu - self._base.get(tid, 0.0), 2)
        return out
