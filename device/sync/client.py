"""One sync run: upload every queued draft (backoff with jitter), pull the catalogue, clean up.

Idempotent by construction: the server keys drafts by draft_id and answers a repeat upload of
the same bytes with ``duplicate: true``, so an upload whose answer was lost (server killed,
connection dropped, device killed) is simply sent again on the next attempt or run. A draft's
local copy is deleted only after its confirmation is written to the outbox, and only once
the configured retention has passed.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from device.journal.store import Store
from device.sync import catalogue, enrollment
from device.sync.outbox import COMPACT_AFTER, Entry, Outbox, compact
from device.sync.settings import SyncSettings
from device.sync.transport import ServerApi, UploadReceipt
from fredag.errors import (
    CatalogueRejected,
    Refused,
    ServerFailed,
    ServerUnreachable,
    StoreError,
    SyncError,
    UsageError,
)

RETRYABLE = (ServerUnreachable, ServerFailed)
# Refusals that mean every other upload would be refused the same way: stop the run.
DEVICE_REFUSALS = frozenset({"unknown_device", "device_revoked", "owner_inactive"})


@dataclass
class SyncReport:
    uploaded: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    pending: int = 0
    deleted: int = 0
    catalogue_version: str | None = None
    security_events: int = 0  # the device's security events reported in this run
    catalogue_error: str | None = None
    failure: SyncError | None = None  # what ended the run early

    @property
    def error(self) -> str | None:
        return str(self.failure) if self.failure is not None else None

    @property
    def ok(self) -> bool:
        return self.error is None and self.catalogue_error is None and not self.refused


@contextmanager
def sync_lock(store: Store) -> Iterator[None]:
    """Only one sync per device at a time (released by the OS if the process dies)."""
    store.cipher()
    path = store.root / "sync.lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot open {path}: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise SyncError("another sync is running on this device; try again shortly") from exc
        yield
    finally:
        os.close(fd)


class _Run:
    def __init__(
        self,
        store: Store,
        api: ServerApi,
        settings: SyncSettings,
        sleep: Callable[[float], None],
    ) -> None:
        self.store = store
        self.api = api
        self.settings = settings
        self.sleep = sleep
        self.outbox = Outbox(store)
        self.report = SyncReport()

    def _retrying(self, on_retry: Callable[[BaseException], None] | None = None) -> Retrying:
        def before_sleep(state: object) -> None:
            outcome = getattr(state, "outcome", None)
            exc = outcome.exception() if outcome is not None else None
            if on_retry is not None and exc is not None:
                on_retry(exc)

        return Retrying(
            stop=stop_after_attempt(self.settings.attempts),
            wait=wait_random_exponential(
                multiplier=self.settings.backoff_initial_s, max=self.settings.backoff_max_s
            ),
            retry=retry_if_exception_type(RETRYABLE),
            sleep=self.sleep,
            reraise=True,
            before_sleep=before_sleep,
        )

    def _upload(self, entry: Entry, envelope: dict[str, Any]) -> UploadReceipt:
        receipt = self._retrying(lambda exc: self.outbox.failed(entry, str(exc), permanent=False))(
            self.api.upload, envelope
        )
        if receipt.draft_id != entry.draft_id:
            raise SyncError("the server confirmed another draft than the one sent; kept queued")
        return receipt

    def uploads(self) -> None:
        state = self.outbox.reconcile()
        for entry in state.pending():
            try:
                envelope = self.outbox.envelope(entry)
            except (StoreError, UsageError) as exc:
                self.outbox.failed(entry, f"the local copy cannot be read: {exc}", permanent=True)
                self.report.refused.append((entry.draft_id, str(exc)))
                continue
            try:
                receipt = self._upload(entry, envelope)
            except Refused as exc:
                self.outbox.failed(entry, str(exc), permanent=True)
                self.report.refused.append((entry.draft_id, str(exc)))
                if exc.code in DEVICE_REFUSALS:
                    raise
                continue
            except SyncError as exc:
                self.outbox.failed(entry, str(exc), permanent=False)
                raise
            self.outbox.confirmed(entry, receipt.received_at, receipt.duplicate)
            (self.report.duplicates if receipt.duplicate else self.report.uploaded).append(
                entry.draft_id
            )

    def report_security(self) -> None:
        """Report the device's unreported security events (wrong passphrases, a wipe);
        a server that does not know the endpoint yet (404) leaves them for a later run."""
        from device.keys import audit

        events = audit.unreported(self.store.vault)
        if not events:
            return
        envelope = audit.signed_report(self.store.vault, events)
        try:
            self._retrying()(self.api.report_security_events, envelope)
        except Refused as exc:
            if exc.status == 404:
                return
            raise
        audit.mark_reported(self.store.vault, max(int(e["seq"]) for e in events))
        self.report.security_events = len(events)

    def pull_catalogue(self, enrolled: enrollment.Enrollment) -> None:
        try:
            public = self._retrying()(self.api.catalogue)
            if public is not None:
                self.report.catalogue_version = catalogue.accept(
                    self.store, public, enrolled.server_key()
                )
        except CatalogueRejected as exc:
            self.report.catalogue_error = str(exc)


def run_sync(
    home: Path,
    settings: SyncSettings,
    *,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    pull_catalogue: bool = True,
) -> SyncReport:
    """Upload what is queued and pull the catalogue; the report says what happened.

    Errors that end the run early (server unreachable after every retry, device refused) are
    recorded in the outbox and the report, not raised; store errors (disk full) are raised.
    """
    store = Store(home)
    enrolled = enrollment.load(store)
    api = ServerApi(
        enrolled.server_url,
        ca_file=enrolled.ca_file,
        timeout_s=settings.timeout_s,
        transport=transport,
    )
    with sync_lock(store), api:
        run = _Run(store, api, settings, sleep)
        try:
            run.uploads()
            run.report_security()
            if pull_catalogue:
                run.pull_catalogue(enrolled)
        except SyncError as exc:
            run.report.failure = exc
        retention = timedelta(hours=settings.retention_hours)
        run.report.deleted = run.outbox.purge(retention)
        run.report.pending = len(run.outbox.state().pending())
        run.outbox.run_ended(
            len(run.report.uploaded) + len(run.report.duplicates),
            run.report.error,
            run.report.catalogue_error,
        )
        if run.outbox.record_count() > COMPACT_AFTER:
            compact(run.outbox)
        return run.report
