"""The sync client against the real server app in-process (faults injected at the transport):
idempotent uploads, backoff, faults, retention and the outbox surviving restarts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from device.journal.store import Store
from device.sync.client import run_sync
from device.sync.outbox import Outbox, now
from device.sync.settings import SyncSettings
from device.sync.status import status_lines
from fredag.errors import Refused, ServerUnreachable, StoreError, SyncError
from tests.sync.server import SyncServer
from tests.sync.support import queue_draft


def sync(home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]):  # type: ignore[no-untyped-def]
    return run_sync(home, settings, transport=server.transport(), sleep=sleeps.append)


class TestUpload:
    def test_every_queued_draft_is_stored_once_and_deleted_locally(
        self, home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]
    ) -> None:
        """Three queued drafts are uploaded once each and their local sessions removed."""
        drafts = [queue_draft(home, case_ref=f"BU-{i}") for i in range(3)]
        report = sync(home, server, settings, sleeps)
        assert sorted(report.uploaded) == sorted(str(d.draft_id) for d in drafts)
        assert set(server.drafts()) == {str(d.draft_id) for d in drafts}
        assert report.pending == 0 and report.deleted == 3
        assert Store(home).session_ids() == []

    def test_second_sync_sends_nothing(
        self, home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]
    ) -> None:
        """A sync with nothing queued makes no upload request."""
        queue_draft(home)
        sync(home, server, settings, sleeps)
        uploads = server.uploads
        report = sync(home, server, settings, sleeps)
        assert server.uploads == uploads and report.uploaded == [] and report.ok

    def test_lost_answer_is_retried_without_a_duplicate(
        self, home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]
    ) -> None:
        """When the server stores a draft but the answer is lost, the retry is a duplicate."""
        draft = queue_draft(home)
        server.faults.extend(["lost_answer"])
        report = sync(home, server, settings, sleeps)
        assert report.duplicates == [str(draft.draft_id)]
        assert list(server.drafts()) == [str(draft.draft_id)]
        assert len(sleeps) == 1

    def test_backoff_is_exponential_with_jitter_and_capped(
        self, home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]
    ) -> None:
        """Each wait is drawn below a doubling ceiling (1, 2, 4 … capped at 8 s)."""
        queue_draft(home)
        server.faults.extend(["503", "refused", "timeout"])
        report = sync(home, server, settings, sleeps)
        assert report.ok and len(server.drafts()) == 1
        assert len(sleeps) == 3
        for attempt, slept in enumerate(sleeps):
            assert 0 <= slept <= min(8.0, 1.0 * 2 ** (attempt + 1))

    def test_unreachable_server_keeps_everything_queued(
        self, home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]
    ) -> None:
        """After every attempt fails the run stops, the draft stays, and status says why."""
        queue_draft(home)
        queue_draft(home)
        server.faults.extend(["refused"] * 10)
        report = sync(home, server, settings, sleeps)
        assert isinstance(report.failure, ServerUnreachable)
        assert server.uploads == settings.attempts  # the second draft is not hammered too
        assert report.pending == 2 and len(Store(home).session_ids()) == 2
        text = "\n".join(status_lines(Store(home)))
        assert "I kö: 2 utkast" in text and "Connection refused" in text

    def test_queue_resumes_after_a_restart(
        self, home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]
    ) -> None:
        """A later run (a new process in real life) uploads what an earlier run could not."""
        draft = queue_draft(home)
        server.faults.extend(["refused"] * settings.attempts)
        assert sync(home, server, settings, sleeps).pending == 1
        report = sync(home, server, settings, sleeps)
        assert report.uploaded == [str(draft.draft_id)] and report.pending == 0

    def test_refusal_is_not_retried_and_others_go_on(
        self, home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]
    ) -> None:
        """A 4xx for one draft (its signature garbled on the way, so the server refuses it) is
        recorded with the server's reason, not retried, and the next draft is still sent."""
        first = queue_draft(home, case_ref="A")
        second = queue_draft(home, case_ref="B")
        server.faults.extend(["garbled"])
        report = sync(home, server, settings, sleeps)
        assert sleeps == [] and report.failure is None
        assert [d for d, _why in report.refused] == [str(first.draft_id)]
        assert report.uploaded == [str(second.draft_id)]
        assert "signature check failed" in "\n".join(status_lines(Store(home)))
        assert list(server.drafts()) == [str(second.draft_id)]
        assert len(Store(home).session_ids()) == 1  # the refused one is kept

    def test_revoked_device_stops_the_run_and_keeps_the_drafts(
        self, home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]
    ) -> None:
        """A device the administrator revoked gets a clear error; nothing is deleted."""
        queue_draft(home)
        server.revoke_all_devices()
        report = sync(home, server, settings, sleeps)
        assert isinstance(report.failure, Refused) and "revoked" in str(report.failure)
        assert report.pending == 1 and len(Store(home).session_ids()) == 1

    def test_receipt_for_other_bytes_keeps_the_draft_queued(
        self, home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]
    ) -> None:
        """A confirmation whose sha256 is not of the bytes sent does not count."""
        queue_draft(home)
        server.faults.extend(["bad_receipt"])
        report = sync(home, server, settings, sleeps)
        assert isinstance(report.failure, SyncError) and report.pending == 1
        assert len(Store(home).session_ids()) == 1


class TestRetention:
    def test_retention_keeps_confirmed_drafts_for_a_while(
        self, home: Path, server: SyncServer, sleeps: list[float]
    ) -> None:
        """With 24 h retention a confirmed draft stays, and goes once the time has passed."""
        queue_draft(home)
        report = sync(home, server, SyncSettings(retention_hours=24), sleeps)
        assert report.deleted == 0 and len(Store(home).session_ids()) == 1
        outbox = Outbox(Store(home))
        assert outbox.purge(timedelta(hours=24), at=now() + timedelta(hours=25)) == 1
        assert Store(home).session_ids() == []
        assert outbox.state().confirmed()[0].deleted_at is not None

    def test_unfinished_sessions_are_never_queued_or_deleted(
        self, home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]
    ) -> None:
        """An interrupted session (no signed draft yet) is left alone by the sync."""
        from device.journal.session import SessionLog, SessionMeta

        meta = SessionMeta("BU-1", "barn", "besök", (), "Anna", True)
        SessionLog.create(Store(home), meta)
        report = sync(home, server, settings, sleeps)
        assert report.pending == 0 and server.uploads == 0
        assert Store(home).session_ids() == [meta.session_id]


class TestDiskFull:
    def test_store_write_failure_keeps_the_session(
        self,
        home: Path,
        server: SyncServer,
        settings: SyncSettings,
        sleeps: list[float],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """If the outbox cannot be written (disk full) the sync fails clearly, the draft stays."""
        from device.sync import outbox

        draft = queue_draft(home)
        Outbox(Store(home)).reconcile()

        def full(self: object, record: object) -> int:
            raise StoreError("cannot write to the device store (No space left on device)")

        monkeypatch.setattr(outbox.Journal, "append", full)
        with pytest.raises(StoreError, match="No space left"):
            sync(home, server, settings, sleeps)
        monkeypatch.undo()
        assert len(Store(home).session_ids()) == 1
        report = sync(home, server, settings, sleeps)
        assert str(draft.draft_id) in report.uploaded + report.duplicates
        assert list(server.drafts()) == [str(draft.draft_id)]


class TestCompaction:
    def test_compaction_keeps_what_matters(
        self, home: Path, server: SyncServer, settings: SyncSettings, sleeps: list[float]
    ) -> None:
        """Rewriting the outbox keeps pending drafts with their errors and the newest sent ones."""
        from device.sync.outbox import compact

        sent = [queue_draft(home, case_ref=f"S-{i}") for i in range(4)]
        sync(home, server, settings, sleeps)
        waiting = queue_draft(home, case_ref="W")
        server.faults.extend(["refused"] * settings.attempts)
        sync(home, server, settings, sleeps)
        outbox = Outbox(Store(home))
        before, before_count = outbox.state(), outbox.record_count()
        written = compact(outbox, keep_sent=2)
        after = Outbox(Store(home)).state()
        assert written == outbox.record_count() < before_count
        assert [e.draft_id for e in after.pending()] == [str(waiting.draft_id)]
        assert after.pending()[0].attempts == before.pending()[0].attempts
        assert after.pending()[0].last_error == before.pending()[0].last_error
        assert [e.draft_id for e in after.confirmed()] == [str(d.draft_id) for d in sent[-2:]]
        assert after.last_run_error == before.last_run_error
        report = sync(home, server, settings, sleeps)  # and the compacted outbox still works
        assert report.uploaded == [str(waiting.draft_id)]
