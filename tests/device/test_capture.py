"""Capture through sounddevice's real ALSA path (the `file` plugin), and capture failures."""

from __future__ import annotations

import builtins
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from device.capture.sources import FileSource, MicrophoneSource, _sounddevice, drain
from device.journal.session import list_sessions
from device.journal.store import Store
from fredag.errors import CaptureError
from tests.support.cli import run_fredag
from tests.support.speech import read_wav

ASOUNDRC = """
pcm.fredagmic {{
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "{infile}"
    format "raw"
    hint {{
        show on
        description "Fredag test microphone"
    }}
}}
"""


def alsa_home(base: Path, audio: np.ndarray | None) -> Path:
    """A HOME whose ~/.asoundrc defines an input that plays `audio` (none when None)."""
    home = base / "alsa-home"
    home.mkdir()
    if audio is None:
        (home / ".asoundrc").write_text("\n")
        return home
    infile = base / "mic.raw"
    (np.clip(audio, -1, 1) * 32767).astype("<i2").tofile(infile)
    (home / ".asoundrc").write_text(ASOUNDRC.format(infile=infile))
    return home


@pytest.mark.slow
class TestAlsaCapture:
    def test_record_from_alsa_device(
        self, meeting_wav: Path, device_env: dict[str, str], tmp_path: Path
    ) -> None:
        """`fredag record --device` captures speech through sounddevice and ALSA into a draft."""
        audio, _ = read_wav(meeting_wav)
        env = {**device_env, "HOME": str(alsa_home(tmp_path, audio))}
        listing = run_fredag("devices", env=env)
        assert listing.returncode == 0, listing.stderr
        assert "fredagmic" in listing.stdout
        seconds = f"{audio.size / 16000:.2f}"
        proc = run_fredag(
            "record",
            "--device",
            "fredagmic",
            "--case",
            "Vx-1",
            "--case-type",
            "vuxen",
            "--consent",
            "--stop-after",
            seconds,
            "--plain",
            env=env,
        )
        assert proc.returncode == 0, proc.stderr
        assert "mikrofon" in proc.stdout
        [session] = list_sessions(Store(Path(device_env["FREDAG_HOME"])))
        assert session.finished
        text = " ".join(s.text for s in session.segments).lower()
        assert "farmor" in text or "familjen" in text or "skolan" in text, text
        assert session.audio_s == pytest.approx(audio.size / 16000, abs=0.2)


class TestCaptureErrors:
    def test_no_microphone(self, tmp_path: Path, device_env: dict[str, str]) -> None:
        """With no input device, record fails in one line, and no session is left behind."""
        env = {**device_env, "HOME": str(alsa_home(tmp_path, None))}
        proc = run_fredag("record", "--case", "A1", "--case-type", "barn", "--consent", env=env)
        assert proc.returncode == 8
        assert "no microphone" in proc.stderr and "Traceback" not in proc.stderr
        assert list_sessions(Store(Path(device_env["FREDAG_HOME"]))) == []

    def test_unknown_device_names_the_inputs(
        self, tmp_path: Path, device_env: dict[str, str]
    ) -> None:
        """An unknown --device lists the inputs there are."""
        env = {**device_env, "HOME": str(alsa_home(tmp_path, np.zeros(1600)))}
        proc = run_fredag(
            "record",
            "--case",
            "A1",
            "--case-type",
            "barn",
            "--consent",
            "--device",
            "nosuch",
            env=env,
        )
        assert proc.returncode == 8
        assert "nosuch" in proc.stderr and "fredagmic" in proc.stderr

    def test_portaudio_missing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """When the PortAudio library cannot be loaded, the error says what to install."""
        real_import = builtins.__import__

        def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
            if name == "sounddevice":
                raise OSError("PortAudio library not found")
            return real_import(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", fake_import)
        with pytest.raises(CaptureError, match="libportaudio2"):
            _sounddevice()

    def test_no_consent_no_recording(self, device_env: dict[str, str], meeting_wav: Path) -> None:
        """Without --consent (and no terminal to ask on), nothing is recorded."""
        proc = run_fredag(
            "record",
            "--case",
            "A1",
            "--case-type",
            "barn",
            "--input",
            str(meeting_wav),
            env=device_env,
        )
        assert proc.returncode == 2 and "consent" in proc.stderr
        assert list_sessions(Store(Path(device_env["FREDAG_HOME"]))) == []


class _VanishingStream:
    """A sounddevice stream whose device disappears after `good` reads (an edge we cannot
    reach with real hardware in a test)."""

    def __init__(
        self, audio: np.ndarray, good: int, error: type[Exception], *, hang: bool = False
    ) -> None:
        self.audio = (audio * 32767).astype(np.int16)
        self.reads = 0
        self.good = good
        self.error = error
        self.hang = hang
        self.released = threading.Event()

    def start(self) -> None:
        return

    def read(self, frames: int) -> tuple[np.ndarray, bool]:
        if self.reads >= self.good:
            if self.hang:  # PortAudio blocking on a vanished device instead of failing
                self.released.wait(60)
            raise self.error("Unanticipated host error: device unplugged")
        part = self.audio[self.reads * frames : (self.reads + 1) * frames]
        self.reads += 1
        return np.pad(part, (0, frames - part.size)).reshape(-1, 1), False

    def close(self, ignore_errors: bool = True) -> None:
        self.released.set()


@pytest.mark.slow
class TestDeviceVanishes:
    @pytest.mark.parametrize("hang", [False, True], ids=["fails", "hangs"])
    def test_captured_audio_is_kept(
        self,
        meeting_wav: Path,
        transcriber: Any,
        store: Store,
        monkeypatch: pytest.MonkeyPatch,
        hang: bool,
    ) -> None:
        """A device that fails or hangs mid-meeting gives CaptureError; what was heard is kept."""
        import device.capture.sources as capture
        from device.journal.session import SessionLog, load_session
        from device.meeting.controller import MeetingController
        from device.stages.streaming import StreamingOptions
        from device.views.terminal import PlainView, attach
        from tests.device.conftest import make_meta
        from tests.device.doubles import NullTagger

        audio, _ = read_wav(meeting_wav)
        sd = _sounddevice()
        stream = _VanishingStream(audio, good=120, error=sd.PortAudioError, hang=hang)  # 12 s
        device = capture.InputDevice(0, "usb-mic", 1, 16000.0, "ALSA", True)
        monkeypatch.setattr(capture, "resolve_device", lambda spec: device)
        source = MicrophoneSource("usb-mic")
        monkeypatch.setattr(source, "_open", lambda: stream)

        meta = make_meta()
        log = SessionLog.create(store, meta)
        out = (Path(store.root) / "view.txt").open("w")
        controller = MeetingController(
            log=log,
            meta=meta,
            source=source,
            transcriber=transcriber,
            tagger=NullTagger(),
            options=StreamingOptions(),
        )
        attach(PlainView(out), controller.events)
        result = controller.run()
        assert isinstance(result.capture_error, CaptureError)
        assert "kept" in str(result.capture_error)
        assert ("no audio" in str(result.capture_error)) == hang
        assert result.segments, "nothing heard before the device vanished was kept"
        assert result.audio_s == pytest.approx(12.0, abs=0.01)
        stored = load_session(store, meta.session_id)
        assert [s.text for s in stored.segments] == [s.text for s in result.segments]
        assert stored.interrupted


class TestFileSource:
    @staticmethod
    def play(source: FileSource) -> np.ndarray:
        source.start()
        chunks = list(drain(source, timeout=1.0))
        source.close()
        return np.concatenate(chunks)

    def test_plays_at_pace_and_ends(self, meeting_wav: Path) -> None:
        """The file source delivers every sample once, in order, then signals the end."""
        audio, _ = read_wav(meeting_wav)
        assert np.allclose(self.play(FileSource(meeting_wav, speed=50.0)), audio, atol=1e-3)

    def test_stop_after_cuts(self, meeting_wav: Path) -> None:
        """--stop-after limits how much of the file is played."""
        played = self.play(FileSource(meeting_wav, speed=50.0, stop_after_s=2.05))
        assert played.size == 32800

    def test_unreadable_file_fails_before_playing(self, tmp_path: Path) -> None:
        """A file that is not audio is refused when the source is made."""
        from fredag.errors import AudioError

        bad = tmp_path / "notes.wav"
        bad.write_text("not audio")
        with pytest.raises(AudioError):
            FileSource(bad)

    def test_bad_speed(self, meeting_wav: Path) -> None:
        """A zero speed factor is refused clearly."""
        with pytest.raises(CaptureError):
            FileSource(meeting_wav, speed=0)
