"""The catalogue pulled at sync from the real server app: accepted only with the pinned server's
signature, else the old one is kept; the accepted one is what the next session's tagger uses."""

from __future__ import annotations

from pathlib import Path

from device.journal.store import Store
from device.sync import catalogue
from device.sync.client import run_sync
from device.sync.settings import SyncSettings
from tests.sync.server import SyncServer


def _sync(home: Path, server: SyncServer):  # type: ignore[no-untyped-def]
    return run_sync(
        home, SyncSettings(attempts=1), transport=server.transport(), sleep=lambda _s: None
    )


class TestCatalogue:
    def test_signed_catalogue_is_kept_and_used_next_session(
        self, home: Path, server: SyncServer
    ) -> None:
        """The server's published catalogue, signed by the pinned key, is stored and given to
        the next session."""
        published = server.catalogue()
        assert published is not None
        version, body = published
        report = _sync(home, server)
        assert report.catalogue_version == version and report.catalogue_error is None
        assert catalogue.current_version(Store(home)) == version
        assert catalogue.for_next_session(home) == body

    def test_new_version_replaces_the_old(self, home: Path, server: SyncServer) -> None:
        """A newer version published on the server reaches the device at the next sync."""
        _sync(home, server)
        published = server.catalogue()
        assert published is not None
        server.publish({**published[1], "version": "2026.12-1"}, "2026.12-1")
        assert _sync(home, server).catalogue_version == "2026.12-1"
        assert catalogue.current_version(Store(home)) == "2026.12-1"

    def test_same_version_is_not_fetched_twice(self, home: Path, server: SyncServer) -> None:
        """A second sync with the same published version changes nothing."""
        _sync(home, server)
        assert _sync(home, server).catalogue_version is None

    def test_catalogue_from_another_key_is_refused(self, home: Path, server: SyncServer) -> None:
        """A catalogue signed by any key but the pinned one is refused; the old one stays."""
        first = _sync(home, server).catalogue_version
        server.catalogue_fault = "foreign_key"
        report = _sync(home, server)
        assert report.catalogue_error is not None and "kept the old one" in report.catalogue_error
        assert first is not None and catalogue.current_version(Store(home)) == first

    def test_invalid_catalogue_is_refused(self, home: Path, server: SyncServer) -> None:
        """A catalogue signed by the server's own key that fails validation is refused too."""
        server.catalogue_fault = "invalid"
        report = _sync(home, server)
        assert report.catalogue_error is not None
        assert catalogue.current_version(Store(home)) is None
        assert catalogue.for_next_session(home) is None

    def test_tampered_stored_catalogue_is_not_used(self, home: Path, server: SyncServer) -> None:
        """A stored envelope whose payload was changed fails verification when loaded."""
        import json

        _sync(home, server)
        store = Store(home)
        record = json.loads(store.get_blob(catalogue.BLOB) or b"{}")
        record["envelope"]["payload"] = record["envelope"]["payload"][:-4] + "AAAA"
        store.put_blob(catalogue.BLOB, json.dumps(record).encode())
        assert catalogue.for_next_session(home) is None

    def test_no_published_catalogue_is_fine(self, home: Path, server: SyncServer) -> None:
        """A server without a catalogue (404) is not an error."""
        server.unpublish_all()
        report = _sync(home, server)
        assert report.ok and report.catalogue_version is None
