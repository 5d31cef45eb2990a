"""Published factor catalogues and the signed copy devices download.

The catalogue content itself belongs to risk_factors/ (data files, schema, validation). This
module only stores published versions and signs them; it uses risk_factors' loader and
validator when they are there and otherwise accepts any JSON object with factors.

Signed form (docs/protocol.md): a `SignedEnvelope` by the server key whose payload is the
canonical JSON of ``{"format": "fredag.catalogue/1", "version": V, "catalogue": {...}}``.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fredag.errors import CatalogueError
from fredag.protocol import SignedEnvelope, canonical_json, sign_payload
from server.keys import current_key
from server.models import CatalogueVersion, User

CATALOGUE_FORMAT = "fredag.catalogue/1"


def _to_jsonable(obj: Any) -> dict[str, Any]:
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        obj = dump(mode="json")
    if not isinstance(obj, dict):
        raise CatalogueError("a catalogue must be a JSON object")
    return obj


def bundled_catalogue() -> dict[str, Any] | None:
    """The catalogue shipped in risk_factors/, if that package offers a loader yet."""
    try:
        module = importlib.import_module("risk_factors.catalogue")
    except ImportError:
        return None
    for name in ("load_catalogue", "load_default", "default_catalogue", "load"):
        loader = getattr(module, name, None)
        if callable(loader):
            try:
                return _to_jsonable(loader())
            except Exception:
                return None
    return None


def validate(body: dict[str, Any]) -> dict[str, Any]:
    """The normalized catalogue, validated by risk_factors when it can (sources required, no
    intervention language); raises CatalogueError."""
    try:
        module = importlib.import_module("risk_factors.catalogue")
    except ImportError:
        module = None
    validator = getattr(module, "validate_catalogue", None) if module else None
    if callable(validator):
        return _to_jsonable(validator(body))
    factors = body.get("factors")
    if not isinstance(factors, list) or not factors:
        raise CatalogueError("a catalogue needs a non-empty list of factors")
    return body


def current(session: Session) -> CatalogueVersion | None:
    return session.scalars(
        select(CatalogueVersion).order_by(CatalogueVersion.id.desc()).limit(1)
    ).first()


# A version name travels in every draft's evidence, in file names and in addresses.
VERSION_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")


def publish(
    session: Session, body: dict[str, Any], version: str | None, publisher: User | None
) -> CatalogueVersion:
    """Store a new current catalogue version (the caller audit-logs it).

    `version` defaults to the catalogue's own `version` field and must agree with it.
    """
    body = validate(body)
    own = body.get("version")
    if version is None:
        version = str(own) if own else hashlib.sha256(canonical_json(body)).hexdigest()[:12]
    elif own is not None and str(own) != version:
        raise CatalogueError(f"version {version!r} differs from the catalogue's own {own!r}")
    if not VERSION_NAME.fullmatch(version):
        message = (
            f"catalogue version {version!r} is not a version name: letters, digits and . _ -, "
            "at most 64, starting with a letter or digit (for example 2026.12-1)"
        )
        swedish = (
            f"{version!r} är inget versionsnamn: bokstäver, siffror och . _ -, högst 64 tecken, "
            "först en bokstav eller siffra (till exempel 2026.12-1)"
        )
        raise CatalogueError(message, ((message, swedish),))
    if session.scalars(select(CatalogueVersion).where(CatalogueVersion.version == version)).first():
        message = f"catalogue version {version!r} is already published"
        swedish = f"katalogversionen {version!r} är redan publicerad: välj ett nytt versionsnamn"
        raise CatalogueError(message, ((message, swedish),))
    data = canonical_json(body)
    row = CatalogueVersion(
        version=version,
        body=data,
        sha256=hashlib.sha256(data).hexdigest(),
        published_by_id=publisher.id if publisher else None,
    )
    session.add(row)
    session.flush()
    return row


def seed_catalogue(session: Session) -> CatalogueVersion | None:
    """Publish the bundled catalogue if nothing is published yet."""
    if current(session) is not None:
        return None
    body = bundled_catalogue()
    if body is None:
        return None
    try:
        return publish(session, body, None, None)
    except CatalogueError:
        return None


def signed(session: Session, row: CatalogueVersion) -> SignedEnvelope:
    """The catalogue wrapped with its version and signed by the server key."""
    _key_row, private = current_key(session)
    wrapped = {
        "format": CATALOGUE_FORMAT,
        "version": row.version,
        "catalogue": json.loads(row.body),
    }
    return sign_payload(canonical_json(wrapped), private)
