"""The device's local security audit: wrong passphrases, wipes, key migrations and changes.

Events go to the journal ``journals/security.fj``; while the device is locked (which is when
wrong passphrases happen) they are sealed to its public key and merged at the next unlock.
Each event waits to be reported to the server at the next sync: `unreported` lists them and
`mark_reported` records that they were sent (docs/device.md, "Reported at the next sync").
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from device.keys.lockable import MERGED_FROM, LockableJournal
from fredag.errors import StoreError
from fredag.protocol import canonical_json, key_id, sign_payload

if TYPE_CHECKING:
    from device.keys.vault import Vault

JOURNAL = "security"
REPORT_FORMAT = "fredag.security-events/1"


def journal(vault: Vault) -> LockableJournal:
    return LockableJournal(vault.root / "journals" / f"{JOURNAL}.fj", vault)


def record(vault: Vault, event: str, **fields: Any) -> bool:
    """Append one event (sealed while locked); False when it could not be written.

    An audit write that fails (a full disk) never hides the error being reported."""
    try:
        journal(vault).append(
            {"type": "security", "event": event, "at": datetime.now(UTC).isoformat(), **fields}
        )
    except (StoreError, OSError):
        return False
    return True


def events(vault: Vault) -> list[dict[str, Any]]:
    """Every event, oldest first, with its sequence number (needs the device unlocked)."""
    log = journal(vault)
    log.merge()
    return [
        {**r, "seq": i} for i, r in enumerate(log.read_all().records) if r.get("type") == "security"
    ]


def unreported(vault: Vault) -> list[dict[str, Any]]:
    log = journal(vault)
    log.merge()
    records = log.read_all().records
    upto = max((int(r["upto"]) for r in records if r.get("type") == "reported"), default=-1)
    return [
        {**r, "seq": i} for i, r in enumerate(records) if r.get("type") == "security" and i > upto
    ]


def signed_report(vault: Vault, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The events as the server takes them: a ``fredag.security-events/1`` document in an
    envelope signed by the device key (needs the device unlocked)."""
    key = vault.signing_key()
    doc = {
        "format": REPORT_FORMAT,
        "device_key_id": key_id(key.public_key()),
        "events": [
            {
                "seq": e["seq"],
                "event": e["event"],
                "at": e["at"],
                "detail": {
                    k: v
                    for k, v in e.items()
                    if k not in ("type", "event", "at", "seq", MERGED_FROM)
                    and isinstance(v, int | float | bool | str)
                },
            }
            for e in events
        ],
    }
    return sign_payload(canonical_json(doc), key).model_dump()


def mark_reported(vault: Vault, upto: int) -> None:
    journal(vault).append({"type": "reported", "upto": upto, "at": datetime.now(UTC).isoformat()})
