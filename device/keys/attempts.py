"""Wrong passphrases slow down: the count and the next allowed time are kept on disk.

The first `FREE_ATTEMPTS` wrong passphrases cost nothing extra; after that each one doubles
the wait before the next try (1 s, 2 s, 4 s, … at most `MAX_DELAY_S`). The state survives a
restart (``device/unlock-attempts.json``), so switching the device off and on does not reset
it. It slows guessing at the device's own prompt; someone who copied the disk attacks the
Argon2id derivation offline instead, which is what its memory cost is for (docs/device.md).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from fredag.errors import UnlockDelayed

ATTEMPTS_FILE = "unlock-attempts.json"
FREE_ATTEMPTS = 3
BASE_DELAY_S = 1.0
MAX_DELAY_S = 3600.0


def delay_for(failures: int) -> float:
    """Seconds to wait after the `failures`-th wrong passphrase in a row."""
    if failures <= FREE_ATTEMPTS:
        return 0.0
    return min(BASE_DELAY_S * 2.0 ** (failures - FREE_ATTEMPTS - 1), MAX_DELAY_S)


@dataclass(frozen=True)
class AttemptState:
    failures: int = 0  # wrong passphrases in a row
    total_failures: int = 0  # since the last successful unlock, kept when a wipe happened
    delay_s: float = 0.0  # the wait the last failure imposed
    not_before: float = 0.0  # unix time of the next allowed try
    wiped_at: float | None = None  # when the case data was wiped after too many failures


class Attempts:
    def __init__(self, root: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = root / ATTEMPTS_FILE
        self.clock = clock

    def state(self) -> AttemptState:
        try:
            data = json.loads(self.path.read_bytes())
            return AttemptState(**data)
        except FileNotFoundError:
            return AttemptState()
        except (OSError, ValueError, TypeError):
            # A damaged counter must not reset the delay: treat it as one more failure's worth.
            return AttemptState(failures=FREE_ATTEMPTS, total_failures=FREE_ATTEMPTS)

    def _save(self, state: AttemptState) -> None:
        from device.journal.store import write_private

        write_private(self.path, json.dumps(asdict(state)).encode())

    def check_allowed(self) -> None:
        state = self.state()
        wait = state.not_before - self.clock()
        if wait > 0:
            until = datetime.fromtimestamp(state.not_before, UTC).astimezone()
            raise UnlockDelayed(
                f"too many wrong passphrases ({state.failures} in a row): try again in "
                f"{wait:.0f} s (at {until:%H:%M:%S})"
            )

    def failed(self) -> AttemptState:
        old = self.state()
        failures = old.failures + 1
        delay = delay_for(failures)
        state = AttemptState(
            failures=failures,
            total_failures=old.total_failures + 1,
            delay_s=delay,
            not_before=self.clock() + delay,
            wiped_at=old.wiped_at,
        )
        self._save(state)
        return state

    def wiped(self) -> AttemptState:
        state = AttemptState(**{**asdict(self.state()), "wiped_at": self.clock()})
        self._save(state)
        return state

    def succeeded(self) -> AttemptState:
        """Reset the counter; returns what it was (for the audit and the caseworker)."""
        old = self.state()
        if old != AttemptState():
            self.path.unlink(missing_ok=True)
        return old
