"""The factor catalogue the server publishes: downloaded, verified, kept, used next session.

A catalogue is accepted only when all of these hold, else it is refused (`CatalogueRejected`)
and the catalogue the device had stays in use:

* the envelope is signed by the server key pinned at enrollment (key id and signature);
* the signed payload is ``{"format": "fredag.catalogue/1", "version": V, "catalogue": {...}}``
  with the version the server announced, and sha256 of the canonical catalogue matches;
* `risk_factors` validates the catalogue (factor contract, sources, no intervention language).

The accepted envelope is kept in the encrypted store (blob ``catalogue``) and verified again
each time it is loaded (`synced_catalogue`), so a changed copy on disk is never used.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from device.journal.store import Store
from fredag.errors import CatalogueError, CatalogueRejected, SignatureError, StoreError
from fredag.protocol import SignedEnvelope, canonical_json, verify_payload

BLOB = "catalogue"
CATALOGUE_FORMAT = "fredag.catalogue/1"


def verify_catalogue(
    envelope_json: Any, server_key: Ed25519PublicKey, announced: str | None = None
) -> tuple[str, dict[str, Any]]:
    """(version, catalogue) from a server-signed envelope, or CatalogueRejected saying why."""
    try:
        envelope = SignedEnvelope.model_validate(envelope_json)
        payload = verify_payload(envelope, server_key)
    except ValidationError as exc:
        raise CatalogueRejected("the catalogue envelope is malformed; kept the old one") from exc
    except SignatureError as exc:
        raise CatalogueRejected(
            f"the catalogue is not signed by this device's server ({exc}); kept the old one"
        ) from exc
    try:
        wrapped = json.loads(payload)
    except ValueError as exc:
        raise CatalogueRejected("the signed catalogue is not JSON; kept the old one") from exc
    if not isinstance(wrapped, dict) or wrapped.get("format") != CATALOGUE_FORMAT:
        raise CatalogueRejected("the signed payload is not a Fredag catalogue; kept the old one")
    version, body = wrapped.get("version"), wrapped.get("catalogue")
    if not isinstance(version, str) or not isinstance(body, dict):
        raise CatalogueRejected("the signed catalogue lacks a version or body; kept the old one")
    if announced is not None and announced != version:
        raise CatalogueRejected(
            f"the server announced version {announced} but signed {version}; kept the old one"
        )
    _validate(body)
    return version, body


def _validate(body: dict[str, Any]) -> None:
    try:
        from risk_factors.catalogue import validate_catalogue
    except ImportError:  # pragma: no cover - risk_factors ships with the device
        return
    try:
        validate_catalogue(body, where="downloaded catalogue")
    except CatalogueError as exc:
        raise CatalogueRejected(f"{exc}; kept the old one") from exc


def _stored(store: Store) -> dict[str, Any] | None:
    data = store.get_blob(BLOB)
    if data is None:
        return None
    try:
        found = json.loads(data)
    except ValueError as exc:
        raise StoreError("the stored catalogue is damaged") from exc
    return found if isinstance(found, dict) else None


def current_version(store: Store) -> str | None:
    stored = _stored(store)
    return str(stored["version"]) if stored and "version" in stored else None


def accept(store: Store, public: dict[str, Any], server_key: Ed25519PublicKey) -> str | None:
    """Verify the server's `/catalogue` answer and keep it; the new version, or None if the
    device has it already. Raises CatalogueRejected (keeping the old one) when it fails."""
    announced = public.get("version")
    if not isinstance(announced, str):
        raise CatalogueRejected("the server's catalogue answer has no version; kept the old one")
    if announced == current_version(store):
        return None
    version, body = verify_catalogue(public.get("envelope"), server_key, announced)
    sha = hashlib.sha256(canonical_json(body)).hexdigest()
    if public.get("sha256") not in (None, sha):
        raise CatalogueRejected(
            "the catalogue's sha256 does not match its content; kept the old one"
        )
    record = {
        "version": version,
        "sha256": sha,
        "envelope": public["envelope"],
        "fetched_at": datetime.now(UTC).isoformat(),
    }
    store.put_blob(BLOB, json.dumps(record, ensure_ascii=False).encode())
    return version


def synced_catalogue(store: Store, server_key: Ed25519PublicKey) -> dict[str, Any] | None:
    """The last accepted catalogue, verified again; None when none was synced yet.

    This is what the tagger uses for the next session (before the first sync, the catalogue
    shipped with `risk_factors`)."""
    stored = _stored(store)
    if stored is None:
        return None
    try:
        _version, body = verify_catalogue(stored.get("envelope"), server_key)
    except CatalogueRejected as exc:
        raise StoreError(f"the stored catalogue fails verification: {exc}") from exc
    return body


def for_next_session(home: Path) -> dict[str, Any] | None:
    """The synced catalogue for a new session, or None (use the packaged one) when this device
    never synced one. A stored copy that fails verification is not used, and said so."""
    import sys

    from device.sync import enrollment

    store = Store(home)
    try:
        enrolled = enrollment.load_optional(store)
        if enrolled is None:
            return None
        return synced_catalogue(store, enrolled.server_key())
    except (StoreError, SignatureError) as exc:
        print(f"fredag: not using the synced catalogue ({exc})", file=sys.stderr)
        return None
