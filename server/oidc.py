"""Sign-in with the municipality's identity provider: OpenID Connect, authorization code + PKCE.

The protocol side, with no users in it (server/oidc_users.py maps the verified claims to a
Fredag user):

* `metadata(settings)` reads the provider's discovery document and its keys (JWKS), checks
  that the document names the configured issuer, and caches both per process for
  `FREDAG_OIDC_METADATA_MINUTES`; keys are read again once when a token names a key id that
  is not there yet (key rotation).
* `begin(...)` stores a one-use pending sign-in (keyed hash of `state`, the nonce, the PKCE
  verifier) and returns the provider's authorization URL (`S256` code challenge).
* `finish(...)` spends the pending sign-in atomically (a replayed callback finds nothing),
  checks the state against the browser's cookie, exchanges the code at the token endpoint
  and verifies the ID token with authlib/joserfc: signature against the provider's keys
  (asymmetric algorithms the provider announces, never `none` or HMAC), issuer, audience
  (and `azp` for several audiences), expiry and issue time (with `FREDAG_OIDC_LEEWAY_SECONDS`),
  nonce and `at_hash`.

Every failure is an `OidcFailure` with a stable `reason` (audit rows and the Swedish page use
it) and the HTTP status of the page; no network or token error escapes as anything else.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import quote_plus, urlencode, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import (
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet
from sqlalchemy import delete
from sqlalchemy.orm import Session

from fredag.errors import FredagError
from server.config import ServerSettings, is_loopback_url
from server.models import OidcLogin, User, utcnow
from server.security import keyed_hash

CALLBACK_PATH = "/oidc/callback"
STATE_COOKIE = "fredag_oidc_state"
# Asymmetric JWS algorithms only: an ID token signed with the client secret (HS*) or unsigned
# ("none") is refused whatever the provider announces.
ALLOWED_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)
MAX_RESPONSE_BYTES = 1024 * 1024


class OidcFailure(FredagError):
    """A sign-in through the identity provider that did not succeed.

    `reason` is stable (audit rows, the page's text): unreachable, provider_error, state,
    denied, code_rejected, invalid_token, issuer, audience, expired, nonce, no_subject,
    not_in_group, acr, inactive.
    """

    STATUS: ClassVar[dict[str, int]] = {
        "unreachable": 502,
        "provider_error": 502,
        "state": 400,
        "denied": 403,
        "not_in_group": 403,
        "acr": 403,
        "inactive": 403,
    }

    def __init__(
        self, reason: str, detail: str = "", *, user: User | None = None, **audit: Any
    ) -> None:
        super().__init__(f"sign-in refused: {reason}{': ' + detail if detail else ''}")
        self.reason = reason
        self.detail = detail
        self.user = user
        self.audit = audit

    @property
    def status(self) -> int:
        return self.STATUS.get(self.reason, 401)


@dataclass
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None
    algorithms: tuple[str, ...]
    keys: dict[str, Any]
    fetched_at: float = field(default_factory=time.monotonic)


_cache: dict[str, ProviderMetadata] = {}
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _client(settings: ServerSettings) -> httpx.Client:
    verify: str | bool = settings.oidc_ca_file or True
    return httpx.Client(timeout=settings.oidc_timeout_seconds, verify=verify)


def _get_json(client: httpx.Client, url: str, what: str) -> dict[str, Any]:
    try:
        response = client.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise OidcFailure("unreachable", f"{what}: {type(exc).__name__}") from exc
    if response.status_code != 200 or len(response.content) > MAX_RESPONSE_BYTES:
        raise OidcFailure("provider_error", f"{what}: HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError as exc:
        raise OidcFailure("provider_error", f"{what}: not JSON") from exc
    if not isinstance(body, dict):
        raise OidcFailure("provider_error", f"{what}: not a JSON object")
    return body


def _endpoint(doc: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = doc.get(name)
    if not value:
        if required:
            raise OidcFailure("provider_error", f"discovery has no {name}")
        return None
    if not isinstance(value, str):
        raise OidcFailure("provider_error", f"discovery: {name} is not a URL")
    scheme = urlsplit(value).scheme
    if scheme != "https" and not (scheme == "http" and is_loopback_url(value)):
        raise OidcFailure("provider_error", f"discovery: {name} is not https")
    return value


def _fetch(settings: ServerSettings) -> ProviderMetadata:
    configured = settings.oidc_issuer.strip()
    url = configured.rstrip("/") + "/.well-known/openid-configuration"
    with _client(settings) as client:
        doc = _get_json(client, url, "discovery")
        issuer = doc.get("issuer")
        if not isinstance(issuer, str) or issuer.rstrip("/") != configured.rstrip("/"):
            raise OidcFailure("provider_error", f"discovery names another issuer: {issuer!r}")
        jwks_uri = _endpoint(doc, "jwks_uri") or ""
        keys = _get_json(client, jwks_uri, "keys")
    announced = doc.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = tuple(a for a in ALLOWED_ALGORITHMS if a in announced)
    if not algorithms:
        raise OidcFailure("provider_error", f"no acceptable signing algorithm in {announced}")
    return ProviderMetadata(
        issuer=issuer,
        authorization_endpoint=_endpoint(doc, "authorization_endpoint") or "",
        token_endpoint=_endpoint(doc, "token_endpoint") or "",
        jwks_uri=jwks_uri,
        end_session_endpoint=_endpoint(doc, "end_session_endpoint", required=False),
        algorithms=algorithms,
        keys=keys,
    )


def metadata(settings: ServerSettings) -> ProviderMetadata:
    """The provider's discovery document and keys (cached; OidcFailure when unreachable)."""
    key = settings.oidc_issuer.strip()
    with _lock:
        cached = _cache.get(key)
    if (
        cached is not None
        and time.monotonic() - cached.fetched_at < settings.oidc_metadata_minutes * 60
    ):
        return cached
    fresh = _fetch(settings)
    with _lock:
        _cache[key] = fresh
    return fresh


def cached_metadata(settings: ServerSettings) -> ProviderMetadata | None:
    """The metadata if this process has it, else a fresh read, else None (for logout)."""
    try:
        return metadata(settings)
    except OidcFailure:
        return None


def _refresh_keys(settings: ServerSettings, meta: ProviderMetadata) -> None:
    """Read the keys again: a token named a key id the cached set does not have (rotation).

    ID tokens only ever come from the token endpoint's answer, never from the browser, so
    nobody outside can make Fredag read the keys more often than people sign in.
    """
    with _client(settings) as client:
        meta.keys = _get_json(client, meta.jwks_uri, "keys")


def public_base(settings: ServerSettings, request_base: str) -> str:
    """Fredag's own address as the provider sees it: the setting, else the request's."""
    return (settings.oidc_public_url or request_base).rstrip("/")


@dataclass(frozen=True)
class Started:
    url: str
    state: str


def begin(
    db: Session, settings: ServerSettings, *, redirect_uri: str, next_url: str, ui_locales: str
) -> Started:
    """Store a pending sign-in and return the provider's authorization URL for it."""
    meta = metadata(settings)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    now = utcnow()
    db.execute(delete(OidcLogin).where(OidcLogin.expires_at < now))
    db.add(
        OidcLogin(
            state_hash=keyed_hash(settings, state),
            nonce=nonce,
            code_verifier=verifier,
            redirect_uri=redirect_uri,
            next_url=next_url,
            expires_at=now + timedelta(minutes=settings.oidc_login_minutes),
        )
    )
    params = {
        "response_type": "code",
        "client_id": settings.oidc_client_id,
        "redirect_uri": redirect_uri,
        "scope": settings.oidc_scopes,
        "state": state,
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
        "ui_locales": ui_locales,
    }
    if settings.oidc_caseworker_acr:
        params["acr_values"] = " ".join(settings.oidc_caseworker_acr)
    separator = "&" if urlsplit(meta.authorization_endpoint).query else "?"
    return Started(url=meta.authorization_endpoint + separator + urlencode(params), state=state)


@dataclass(frozen=True)
class Verified:
    """A verified ID token: its claims, its compact form (the logout hint) and where to go."""

    claims: dict[str, Any]
    id_token: str
    next_url: str


def _take_pending(db: Session, settings: ServerSettings, state: str, cookie: str) -> OidcLogin:
    if not state or len(state) > 200:
        raise OidcFailure("state", "no state in the callback")
    if not cookie or not secrets.compare_digest(cookie, state):
        raise OidcFailure("state", "the state does not belong to this browser")
    state_hash = keyed_hash(settings, state)
    row = db.get(OidcLogin, state_hash)
    if row is None:
        raise OidcFailure("state", "unknown or already used state")
    spent = db.execute(delete(OidcLogin).where(OidcLogin.state_hash == state_hash))
    if getattr(spent, "rowcount", 0) != 1:
        raise OidcFailure("state", "state already used")
    if row.expires_at <= utcnow():
        raise OidcFailure("state", "the sign-in took too long")
    return row


def _exchange(
    settings: ServerSettings, meta: ProviderMetadata, code: str, pending: OidcLogin
) -> dict[str, Any]:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": pending.redirect_uri,
        "code_verifier": pending.code_verifier,
    }
    headers = {"Accept": "application/json"}
    secret = settings.oidc_client_secret.get_secret_value()
    method = settings.oidc_token_auth_method
    if method == "client_secret_basic":
        # RFC 6749 2.3.1: both are form-encoded before they go into the Basic header.
        pair = f"{quote_plus(settings.oidc_client_id)}:{quote_plus(secret)}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    else:
        data["client_id"] = settings.oidc_client_id
        if method == "client_secret_post":
            data["client_secret"] = secret
    try:
        with _client(settings) as client:
            response = client.post(
                meta.token_endpoint,
                data=data,
                headers=headers,
            )
    except httpx.HTTPError as exc:
        raise OidcFailure("unreachable", f"token endpoint: {type(exc).__name__}") from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if response.status_code != 200:
        error = str(body.get("error", ""))[:100]
        reason = "code_rejected" if error == "invalid_grant" else "provider_error"
        raise OidcFailure(reason, f"token endpoint: HTTP {response.status_code} {error}")
    if not isinstance(body.get("id_token"), str):
        raise OidcFailure("provider_error", "the token response has no id_token")
    return body


def _decode(settings: ServerSettings, meta: ProviderMetadata, id_token: str) -> jwt.Token:
    for attempt in (1, 2):
        try:
            keys = KeySet.import_key_set(meta.keys)  # type: ignore[arg-type]
            return jwt.decode(id_token, keys, algorithms=list(meta.algorithms))
        except InvalidKeyIdError as exc:
            if attempt == 2:
                raise OidcFailure("invalid_token", "signed with an unknown key") from exc
            _refresh_keys(settings, meta)
        except (JoseError, ValueError, TypeError) as exc:
            raise OidcFailure("invalid_token", f"{type(exc).__name__}") from exc
    raise OidcFailure("invalid_token", "signed with an unknown key")  # pragma: no cover


_CLAIM_REASONS = {"iss": "issuer", "aud": "audience", "azp": "audience", "nonce": "nonce"}


def verify_id_token(
    settings: ServerSettings,
    meta: ProviderMetadata,
    id_token: str,
    *,
    nonce: str,
    access_token: str | None,
) -> dict[str, Any]:
    """The verified claims of an ID token, else OidcFailure (with the failing claim's reason)."""
    token = _decode(settings, meta, id_token)
    options: dict[str, Any] = {
        "iss": {"essential": True, "value": meta.issuer},
        "aud": {"essential": True, "value": settings.oidc_client_id},
        "nonce": {"essential": True, "value": nonce},
    }
    params: dict[str, Any] = {"nonce": nonce, "client_id": settings.oidc_client_id}
    if access_token:
        params["access_token"] = access_token
    claims = CodeIDToken(token.claims, token.header, options, params)
    try:
        claims.validate(leeway=settings.oidc_leeway_seconds)
    except ExpiredTokenError as exc:
        raise OidcFailure("expired", "the ID token has expired") from exc
    except (InvalidClaimError, MissingClaimError) as exc:
        claim = str(getattr(exc, "claim", "") or "").split(",")[0]
        reason = _CLAIM_REASONS.get(claim, "invalid_token")
        raise OidcFailure(reason, f"claim {claim or '?'}: {exc.error}") from exc
    except JoseError as exc:
        raise OidcFailure("invalid_token", str(exc.error)) from exc
    return dict(claims)


def finish(
    db: Session,
    settings: ServerSettings,
    *,
    state: str,
    cookie_state: str,
    code: str,
    error: str,
) -> Verified:
    """Finish a sign-in from the provider's redirect: state, code exchange, ID token."""
    pending = _take_pending(db, settings, state, cookie_state)
    if error:
        raise OidcFailure("denied", f"the provider answered {error[:100]!r}")
    if not code or len(code) > 4096:
        raise OidcFailure("code_rejected", "no code in the callback")
    meta = metadata(settings)
    tokens = _exchange(settings, meta, code, pending)
    access = tokens.get("access_token")
    claims = verify_id_token(
        settings,
        meta,
        tokens["id_token"],
        nonce=pending.nonce,
        access_token=access if isinstance(access, str) else None,
    )
    return Verified(claims=claims, id_token=tokens["id_token"], next_url=pending.next_url)


def logout_url(settings: ServerSettings, id_token: str | None, return_to: str) -> str | None:
    """The provider's end-session URL for RP-initiated logout, when it announces one."""
    if not settings.oidc_enabled:
        return None
    meta = cached_metadata(settings)
    if meta is None or not meta.end_session_endpoint:
        return None
    params = {"client_id": settings.oidc_client_id, "post_logout_redirect_uri": return_to}
    if id_token:
        params["id_token_hint"] = id_token
    separator = "&" if urlsplit(meta.end_session_endpoint).query else "?"
    return meta.end_session_endpoint + separator + urlencode(params)
