"""`ServerApi`: the device's HTTP client for the sync API, and the one place httpx is used.

Every httpx error and every refusal becomes a `fredag.errors.SyncError` subclass here, with
``raise ... from``: `ServerUnreachable` and `ServerFailed` are worth retrying, `Refused` (a 4xx
with the server's reason) is not. TLS certificates are always verified, against the system's
CAs or a municipality's own CA file. Tests pass an `httpx.MockTransport` as `transport`.
"""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from fredag import __version__
from fredag.errors import Refused, ServerFailed, ServerUnreachable, SyncError, UsageError
from fredag.protocol import b64url_decode

API_PREFIX = "/api/v1"
RETRY_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True)
class UploadReceipt:
    """The server's confirmation that it holds a draft (now or from an earlier upload)."""

    draft_id: str
    duplicate: bool
    received_at: datetime
    payload_sha256: str


def tls_verify(ca_file: str | None) -> ssl.SSLContext | bool:
    if ca_file is None:
        return True
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(f"cannot use the CA file {ca_file}: {exc}") from exc


def _detail(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        return str(body.get("detail") or response.reason_phrase), str(body.get("code") or "")
    return response.reason_phrase or f"HTTP {response.status_code}", ""


class ServerApi:
    """The sync API of one server. Use as a context manager (or call `close`)."""

    def __init__(
        self,
        base_url: str,
        *,
        ca_file: str | None = None,
        timeout_s: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
            verify=tls_verify(ca_file),
            transport=transport,
            headers={"User-Agent": f"fredag-device/{__version__}"},
            follow_redirects=False,
        )

    def __enter__(self) -> ServerApi:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- the one place requests are made ---------------------------------------------------
    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        where = self.base_url
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.ConnectTimeout as exc:
            raise ServerUnreachable(
                f"the server at {where} did not answer (connect timeout)"
            ) from exc
        except httpx.TimeoutException as exc:
            raise ServerUnreachable(f"the server at {where} did not answer in time") from exc
        except httpx.ConnectError as exc:
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):
                raise SyncError(
                    f"the TLS certificate of {where} is not trusted; if the municipality uses "
                    "its own CA, enroll with --ca-file"
                ) from exc
            raise ServerUnreachable(f"cannot connect to the server at {where} ({exc})") from exc
        except httpx.TransportError as exc:
            raise ServerUnreachable(
                f"the connection to {where} broke off ({type(exc).__name__})"
            ) from exc
        return self._check(response)

    def _check(self, response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if status < 300:
            return response
        detail, code = _detail(response)
        if status >= 500 or status in RETRY_STATUSES:
            raise ServerFailed(
                f"the server could not take the request now (HTTP {status}): {detail}"
            )
        if status < 400:
            raise SyncError(f"unexpected answer from the server (HTTP {status})")
        raise Refused(f"the server refused: {detail} (HTTP {status})", status=status, code=code)

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError as exc:
            raise SyncError("the server's answer is not JSON; is the URL a Fredag server?") from exc
        if not isinstance(body, dict):
            raise SyncError("the server's answer is not a JSON object")
        return body

    # -- the API -----------------------------------------------------------------------------
    def enroll(self, code: str, public_key_hex: str, name: str) -> dict[str, Any]:
        response = self._request(
            "POST",
            "/devices/enroll",
            json={"code": code, "public_key": public_key_hex, "name": name},
        )
        return self._json(response)

    def upload(self, envelope: dict[str, Any]) -> UploadReceipt:
        """Upload one signed envelope; a draft the server already has comes back as duplicate."""
        body = self._json(self._request("POST", "/drafts", json=envelope))
        try:
            receipt = UploadReceipt(
                draft_id=str(body["draft_id"]),
                duplicate=bool(body["duplicate"]),
                received_at=datetime.fromisoformat(str(body["received_at"])),
                payload_sha256=str(body["payload_sha256"]),
            )
        except (KeyError, ValueError) as exc:
            raise SyncError("the server's upload receipt is incomplete") from exc
        payload = str(envelope["payload"])
        sent = b64url_decode(payload)
        if receipt.payload_sha256 != hashlib.sha256(sent).hexdigest():
            raise SyncError("the server confirmed other bytes than the device sent; kept queued")
        return receipt

    def report_security_events(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Send the device's signed security events; the answer counts accepted and duplicates."""
        return self._json(self._request("POST", "/devices/security-events", json=envelope))

    def catalogue(self) -> dict[str, Any] | None:
        """The current signed catalogue, or None when the server has published none yet."""
        try:
            return self._json(self._request("GET", "/catalogue"))
        except Refused as exc:
            if exc.status == 404:
                return None
            raise
