"""The catalogue pulled at sync: accepted only with the pinned server's signature, else the old
one is kept; the accepted one is what the next session's tagger uses."""

from __future__ import annotations

import copy
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from device.journal.store import Store
from device.sync import catalogue
from device.sync.client import run_sync
from device.sync.settings import SyncSettings
from tests.sync.fake_server import FakeServer, packaged_catalogue


def _sync(home: Path, fake: FakeServer):  # type: ignore[no-untyped-def]
    return run_sync(
        home, SyncSettings(attempts=1), transport=fake.transport(), sleep=lambda _s: None
    )


class TestCatalogue:
    def test_signed_catalogue_is_kept_and_used_next_session(
        self, home: Path, fake: FakeServer
    ) -> None:
        """A catalogue signed by the pinned key is stored and given to the next session."""
        fake.catalogue = packaged_catalogue()
        report = _sync(home, fake)
        assert report.catalogue_version == "2026.11-1" and report.catalogue_error is None
        assert catalogue.current_version(Store(home)) == "2026.11-1"
        assert catalogue.for_next_session(home) == fake.catalogue

    def test_same_version_is_not_fetched_twice(self, home: Path, fake: FakeServer) -> None:
        """A second sync with the same published version changes nothing."""
        fake.catalogue = packaged_catalogue()
        _sync(home, fake)
        assert _sync(home, fake).catalogue_version is None

    def test_catalogue_from_another_key_is_refused(self, home: Path, fake: FakeServer) -> None:
        """A catalogue signed by any key but the pinned one is refused; the old one stays."""
        fake.catalogue = packaged_catalogue()
        _sync(home, fake)
        fake.catalogue_version = "2026.12-evil"
        fake.sign_catalogue_with = Ed25519PrivateKey.generate()
        report = _sync(home, fake)
        assert report.catalogue_error is not None and "kept the old one" in report.catalogue_error
        assert catalogue.current_version(Store(home)) == "2026.11-1"

    def test_invalid_catalogue_is_refused(self, home: Path, fake: FakeServer) -> None:
        """A properly signed catalogue that fails validation is refused too."""
        bad = copy.deepcopy(packaged_catalogue())
        bad["factors"] = bad["factors"][:-1]  # a contract slug is missing
        fake.catalogue = bad
        report = _sync(home, fake)
        assert report.catalogue_error is not None
        assert catalogue.current_version(Store(home)) is None
        assert catalogue.for_next_session(home) is None

    def test_tampered_stored_catalogue_is_not_used(self, home: Path, fake: FakeServer) -> None:
        """A stored envelope whose payload was changed fails verification when loaded."""
        import json

        fake.catalogue = packaged_catalogue()
        _sync(home, fake)
        store = Store(home)
        record = json.loads(store.get_blob(catalogue.BLOB) or b"{}")
        record["envelope"]["payload"] = record["envelope"]["payload"][:-4] + "AAAA"
        store.put_blob(catalogue.BLOB, json.dumps(record).encode())
        assert catalogue.for_next_session(home) is None

    def test_no_published_catalogue_is_fine(self, home: Path, fake: FakeServer) -> None:
        """A server without a catalogue (404) is not an error."""
        report = _sync(home, fake)
        assert report.ok and report.catalogue_version is None
