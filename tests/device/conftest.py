"""Fixtures for the device tests: a fresh store per test, a fake tagger, short speech clips."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from device.journal.identity import DeviceIdentity, init_identity
from device.journal.session import SessionMeta
from device.journal.store import Store
from device.stages.tagging import FoundTag, Tagging
from fredag.journal import AreaName
from fredag.protocol import CaseType, Segment


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A FREDAG_HOME of this test's own."""
    return tmp_path / "home"


@pytest.fixture
def store(home: Path) -> Store:
    return Store(home, passphrase=None)


@pytest.fixture
def identity(home: Path) -> DeviceIdentity:
    return init_identity(home)


def make_meta(**changes: object) -> SessionMeta:
    fields: dict[str, object] = {
        "case_ref": "BoU-2026-0042",
        "case_type": "barn",
        "contact_type": "hembesök",
        "present": ("mamma", "Elias 12 år"),
        "caseworker": "Anna Svensson",
        "consent_confirmed": True,
        "started_at": datetime(2026, 11, 20, 13, 0, tzinfo=UTC),
    }
    fields.update(changes)
    return SessionMeta(**fields)  # type: ignore[arg-type]


class KeywordTagger:
    """A stand-in tagger: tags a word wherever it occurs, denies words after 'inte'."""

    def __init__(
        self,
        words: dict[str, tuple[str, str, str]],
        name: str = "Testfaktor",
        areas: Mapping[str, AreaName] | None = None,
    ) -> None:
        self.words = words  # word -> (slug, kind, name_sv)
        self.areas = dict(areas or {})  # slug -> its life area

    def tag_segments(self, segments: Sequence[Segment], case_type: CaseType) -> Tagging:
        tags: list[FoundTag] = []
        denied: list[FoundTag] = []
        for i, seg in enumerate(segments):
            low = seg.text.lower()
            for word, (slug, kind, name_sv) in self.words.items():
                at = low.find(word)
                if at < 0:
                    continue
                tag = FoundTag(
                    factor=slug,
                    kind=kind,  # type: ignore[arg-type]
                    name_sv=name_sv,
                    quote=seg.text[at : at + len(word)],
                    segment=i,
                    char_start=at,
                    char_end=at + len(word),
                    start=seg.start,
                    end=seg.end,
                    confidence=0.9,
                )
                (denied if "inte" in low.split() else tags).append(tag)
        digest = hashlib.sha256(b"test-catalogue").hexdigest()
        return Tagging(tuple(tags), tuple(denied), "test-1", digest, self.areas)


@pytest.fixture
def device_env(tmp_path: Path, whisper_base: object) -> dict[str, str]:
    """Environment for a `fredag` subprocess: its own FREDAG_HOME, the already assembled model."""
    model_dir = whisper_base.path  # type: ignore[attr-defined]
    return {"FREDAG_HOME": str(tmp_path / "home"), "FREDAG_MODEL": str(model_dir)}


@pytest.fixture(scope="session")
def meeting_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short two-speaker Swedish meeting (about 25 s) synthesized once per run."""
    from tests.support.speech import conversation

    return conversation(MEETING_TURNS, tmp_path_factory.mktemp("meeting") / "meeting.wav")


MEETING_TURNS = [
    (0, "Hej och välkommen. Berätta hur det går i skolan."),
    (1, "Han har svårt att sova och är trött på morgonen."),
    (0, "Hur ser det ut hemma just nu?"),
    (1, "Farmor hjälper familjen varje vecka och barnen tycker om henne."),
]
