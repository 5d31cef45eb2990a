"""The index of signed drafts: `fredag status` and the sync find drafts through it instead of
decrypting every session, rebuild it when it is lost or damaged, and lose no draft when a
process dies between writing a draft and updating the index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from device.journal.signing import finish
from device.journal.store import Store
from device.sync import index
from device.sync.index import DraftIndex
from device.sync.outbox import Outbox
from device.sync.status import status_lines
from fredag.errors import StoreError
from tests.sync.support import queue_draft, stopped_meeting


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The session ids the index decrypts (every `load_session` it makes)."""
    seen: list[str] = []
    from device.journal.session import load_session as real

    def counting(store: Store, session_id: str) -> object:
        seen.append(session_id)
        return real(store, session_id)

    monkeypatch.setattr(index, "load_session", counting)
    return seen


def queued_line(home: Path) -> str:
    return next(line for line in status_lines(Store(home)) if line.startswith("I kö:"))


def blob_path(home: Path) -> Path:
    return home / "device" / "blobs" / f"{index.BLOB}.fb"


class TestIndexUsed:
    def test_status_reads_each_session_once(self, tmp_path: Path, reads: list[str]) -> None:
        """The first status reads every session; later ones read only sessions added since."""
        for i in range(3):
            queue_draft(tmp_path, case_ref=f"BU-{i}")
        assert queued_line(tmp_path) == "I kö: 3 utkast" and len(reads) == 3
        assert queued_line(tmp_path) == "I kö: 3 utkast" and len(reads) == 3
        queue_draft(tmp_path, case_ref="BU-new")
        assert queued_line(tmp_path) == "I kö: 4 utkast" and len(reads) == 4

    def test_sync_queues_through_the_index(self, tmp_path: Path, reads: list[str]) -> None:
        """Reconciling the outbox twice decrypts each session once and queues each draft once."""
        drafts = [queue_draft(tmp_path, case_ref=f"BU-{i}") for i in range(2)]
        outbox = Outbox(Store(tmp_path))
        outbox.reconcile()
        state = outbox.reconcile()
        assert len(reads) == 2
        assert [e.draft_id for e in state.pending()] == [str(d.draft_id) for d in drafts]

    def test_deleted_sessions_drop_out(self, tmp_path: Path) -> None:
        """A session whose local copy is gone leaves the index at the next refresh."""
        import shutil

        queue_draft(tmp_path)
        store = Store(tmp_path)
        (session_id,) = store.session_ids()
        assert set(DraftIndex(store).refresh()) == {session_id}
        shutil.rmtree(store.session_dir(session_id))
        assert DraftIndex(store).refresh() == {}
        assert queued_line(tmp_path) == "I kö: 0 utkast"

    def test_unfinished_and_damaged_sessions_are_not_drafts(self, tmp_path: Path) -> None:
        """A stopped session without a draft and an unreadable session are indexed as no draft."""
        stopped_meeting(tmp_path)
        store = Store(tmp_path)
        broken = store.session_dir("0" * 32)
        broken.mkdir(parents=True)
        (broken / "journal.fj").write_bytes(b"not a journal at all")
        entries = DraftIndex(store).refresh()
        assert len(entries) == 2 and not any(e.signed_draft for e in entries.values())
        assert entries["0" * 32].damaged


class TestRebuild:
    @pytest.mark.parametrize(
        "damage",
        [
            pytest.param(lambda path: path.unlink(), id="deleted"),
            pytest.param(lambda path: path.write_bytes(b"FRB1" + b"\0" * 60), id="corrupt"),
            pytest.param(
                lambda path: path.write_bytes(path.read_bytes()[:-1] + b"\x01"), id="bit-flip"
            ),
        ],
    )
    def test_lost_or_damaged_index_is_rebuilt(
        self, tmp_path: Path, reads: list[str], damage: Callable[[Path], object]
    ) -> None:
        """Without a usable index every session is read again and the index written anew."""
        for i in range(2):
            queue_draft(tmp_path, case_ref=f"BU-{i}")
        assert queued_line(tmp_path) == "I kö: 2 utkast" and len(reads) == 2
        damage(blob_path(tmp_path))
        refreshed = DraftIndex(Store(tmp_path))
        assert len(refreshed.refresh()) == 2 and refreshed.rebuilt
        assert len(reads) == 4
        assert queued_line(tmp_path) == "I kö: 2 utkast" and len(reads) == 4

    def test_index_of_another_version_is_rebuilt(self, tmp_path: Path) -> None:
        """An index blob that decrypts but is not this version's JSON is rebuilt."""
        queue_draft(tmp_path)
        Store(tmp_path).put_blob(index.BLOB, b'{"version": 0, "sessions": []}')
        refreshed = DraftIndex(Store(tmp_path))
        assert len(refreshed.refresh()) == 1 and refreshed.rebuilt


class TestCrash:
    def test_draft_written_after_the_index_was_saved(self, tmp_path: Path) -> None:
        """A draft signed after the index last saw its session (process died before the
        index was updated) is found: the session's journal changed, so it is read again."""
        log, signed = stopped_meeting(tmp_path)
        assert queued_line(tmp_path) == "I kö: 0 utkast"  # the index knows it without a draft
        finish(log, signed, 4.0)  # ... and the process dies here, the index untouched
        state = Outbox(Store(tmp_path)).reconcile()
        assert [e.draft_id for e in state.pending()] == [str(signed.draft.draft_id)]

    def test_process_killed_before_saving_the_index(self, tmp_path: Path) -> None:
        """A sync killed (SIGKILL) after reading a new draft but before saving the index loses
        nothing: the next run finds the draft and queues it."""
        import os
        import signal
        import subprocess
        import sys
        import textwrap

        draft = queue_draft(tmp_path)
        script = textwrap.dedent(
            f"""
            import os, signal
            from pathlib import Path
            from device.journal.store import Store
            from device.sync.outbox import Outbox

            def killed(self, name, data):
                os.kill(os.getpid(), signal.SIGKILL)

            Store.put_blob = killed
            Outbox(Store(Path({str(tmp_path)!r}))).reconcile()
            """
        )
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": root}
        done = subprocess.run([sys.executable, "-c", script], env=env, check=False, timeout=120)
        assert done.returncode == -signal.SIGKILL
        assert not blob_path(tmp_path).exists()
        state = Outbox(Store(tmp_path)).reconcile()
        assert [e.draft_id for e in state.pending()] == [str(draft.draft_id)]

    def test_index_that_cannot_be_written_is_not_an_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With the disk full the index is not saved, and status still counts every draft."""
        queue_draft(tmp_path)

        def full(self: Store, name: str, data: bytes) -> None:
            raise StoreError("cannot write to the device store (No space left on device)")

        monkeypatch.setattr(Store, "put_blob", full)
        assert queued_line(tmp_path) == "I kö: 1 utkast"
        assert not blob_path(tmp_path).exists()
