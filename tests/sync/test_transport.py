"""`ServerApi` and enrollment: httpx errors become SyncErrors at the boundary, TLS is on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from device.journal.store import Store
from device.sync import enrollment
from device.sync.enroll import enroll
from device.sync.transport import ServerApi, tls_verify
from fredag.errors import Refused, ServerFailed, ServerUnreachable, SyncError, UsageError
from tests.sync.server import URL, SyncServer


def api_raising(exc: Exception) -> ServerApi:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return ServerApi(URL, transport=httpx.MockTransport(handler))


def api_answering(status: int, body: object) -> ServerApi:
    return ServerApi(
        URL, transport=httpx.MockTransport(lambda _r: httpx.Response(status, json=body))
    )


class TestErrorMapping:
    @pytest.mark.parametrize(
        "exc",
        [
            httpx.ConnectError("[Errno 111] Connection refused"),
            httpx.ReadTimeout("timed out"),
            httpx.ConnectTimeout("timed out"),
            httpx.RemoteProtocolError("Server disconnected without sending a response."),
            httpx.ReadError("connection reset"),
        ],
    )
    def test_transport_errors_are_server_unreachable(self, exc: Exception) -> None:
        """Every network failure is a ServerUnreachable chained to the httpx error."""
        with pytest.raises(ServerUnreachable) as caught:
            api_raising(exc).catalogue()
        assert caught.value.__cause__ is exc

    def test_untrusted_certificate_is_not_retried(self) -> None:
        """A TLS verification failure is a plain SyncError naming --ca-file."""
        exc = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
        with pytest.raises(SyncError, match="--ca-file") as caught:
            api_raising(exc).catalogue()
        assert not isinstance(caught.value, ServerUnreachable)

    def test_5xx_is_server_failed(self) -> None:
        """A 500 answer is a retryable ServerFailed."""
        with pytest.raises(ServerFailed, match="HTTP 500"):
            api_answering(500, {"detail": "internal"}).catalogue()

    def test_4xx_is_refused_with_the_servers_reason(self) -> None:
        """A 403 carries the server's words and machine code."""
        with pytest.raises(Refused, match="revoked") as caught:
            api_answering(403, {"detail": "device revoked", "code": "device_revoked"}).upload(
                {"payload": "e30"}
            )
        assert caught.value.code == "device_revoked" and caught.value.status == 403

    def test_non_json_answer_is_a_clear_error(self) -> None:
        """An HTML page where JSON was expected says the URL may not be a Fredag server."""
        api = ServerApi(
            URL, transport=httpx.MockTransport(lambda _r: httpx.Response(200, text="<html>"))
        )
        with pytest.raises(SyncError, match="not JSON"):
            api.catalogue()


class TestTls:
    def test_verification_is_on_by_default(self) -> None:
        """Without a CA file httpx verifies against the system's CAs."""
        assert tls_verify(None) is True

    def test_custom_ca_file_is_used(self, tmp_path: Path) -> None:
        """A CA file becomes an SSL context that requires verification."""
        import ssl
        import subprocess

        key, cert = tmp_path / "ca.key", tmp_path / "ca.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ed25519", "-nodes", "-keyout", str(key),
             "-out", str(cert), "-subj", "/CN=Kommunens CA", "-days", "1"],
            check=True, capture_output=True,
        )  # fmt: skip
        context = tls_verify(str(cert))
        assert isinstance(context, ssl.SSLContext) and context.verify_mode == ssl.CERT_REQUIRED

    def test_unreadable_ca_file_is_a_usage_error(self, tmp_path: Path) -> None:
        """A CA file that is not PEM is refused with its path."""
        bad = tmp_path / "ca.pem"
        bad.write_text("not a certificate")
        with pytest.raises(UsageError, match="CA file"):
            tls_verify(str(bad))

    @pytest.mark.parametrize("url", ["http://fredag.kommun.se", "ftp://127.0.0.1", "nonsense"])
    def test_plain_http_only_to_this_machine(self, url: str) -> None:
        """Drafts travel over https; plain http is refused except to loopback."""
        with pytest.raises(UsageError):
            enrollment.check_server_url(url)

    def test_loopback_http_is_allowed(self) -> None:
        """The demo's http://127.0.0.1 URL is accepted."""
        assert enrollment.check_server_url("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"


class TestEnroll:
    def test_enrollment_pins_the_server_key(self, tmp_path: Path, server: SyncServer) -> None:
        """Enrolling stores the server's URL and key; the key is the one the server holds."""
        record = enroll(tmp_path / "h", URL, server.issue_code(), transport=server.transport())
        key_id, private = server.server_key()
        assert record.server_key_id == key_id and record.caseworker == "anna"
        assert record.server_key().public_bytes_raw() == private.public_key().public_bytes_raw()

    def test_enrolling_twice_needs_force(
        self, tmp_path: Path, server: SyncServer, make_server: Callable[[], SyncServer]
    ) -> None:
        """A second enrollment is refused unless --force (here: moving to a new server)."""
        enroll(tmp_path / "h", URL, server.issue_code(), transport=server.transport())
        with pytest.raises(UsageError, match="--force"):
            enroll(tmp_path / "h", URL, server.issue_code(), transport=server.transport())
        other = make_server()
        record = enroll(
            tmp_path / "h", URL, other.issue_code(), transport=other.transport(), force=True
        )
        assert record.server_key_id == other.server_key()[0] != server.server_key()[0]

    def test_spent_code_is_refused(self, tmp_path: Path, server: SyncServer) -> None:
        """A one-time code works once: a second device using it gets the server's refusal."""
        code = server.issue_code()
        enroll(tmp_path / "a", URL, code, transport=server.transport())
        with pytest.raises(Refused):
            enroll(tmp_path / "b", URL, code, transport=server.transport())
        assert enrollment.load_optional(Store(tmp_path / "b")) is None

    def test_server_key_not_matching_its_id_is_refused(
        self, tmp_path: Path, server: SyncServer
    ) -> None:
        """A server that sends a key with another key id is not trusted."""
        real = server.transport()

        def handler(request: httpx.Request) -> httpx.Response:
            body = real.handle_request(request).json()
            body["server_key"]["key_id"] = "0" * 64
            return httpx.Response(201, json=body)

        with pytest.raises(SyncError, match="key id"):
            enroll(tmp_path / "h", URL, server.issue_code(), transport=httpx.MockTransport(handler))
        assert enrollment.load_optional(Store(tmp_path / "h")) is None
