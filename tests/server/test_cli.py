"""`fredag server serve|migrate|create-user` as an operator runs them."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.server.factory import signed
from tests.server.harness import (
    ADMIN,
    ADMIN_PASSWORD,
    ServerProcess,
    enroll_device,
    new_caseworker,
)
from tests.support.cli import run_fredag
from tests.support.postgres import PostgresCluster


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FREDAG_")}
    return {**env, "FREDAG_HOME": str(home), **extra}


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fredag.kommun.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = directory / "cert.pem", directory / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certfile, keyfile


class TestSettings:
    def test_production_refuses_default_secret(self, tmp_path: Path) -> None:
        """Without FREDAG_SECRET_KEY outside development, serve exits 2 with one plain line."""
        result = run_fredag("server", "serve", "--port", "1", env=_env(tmp_path), timeout=60)
        assert result.returncode == 2
        assert "FREDAG_SECRET_KEY" in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1

    def test_placeholder_secret_is_refused(self, tmp_path: Path) -> None:
        """A template placeholder secret is refused like a missing one."""
        result = run_fredag(
            "server", "serve", env=_env(tmp_path, FREDAG_SECRET_KEY="changethis"), timeout=60
        )
        assert result.returncode == 2
        assert "FREDAG_SECRET_KEY" in result.stderr

    def test_bad_database_url_is_a_plain_error(self, tmp_path: Path) -> None:
        """An unsupported database URL is refused with a message, not a traceback."""
        result = run_fredag(
            "server", "migrate", "--database-url", "mysql://x@y/z", env=_env(tmp_path), timeout=60
        )
        assert result.returncode == 2
        assert "unsupported database" in result.stderr
        assert "Traceback" not in result.stderr

    def test_development_serves_an_empty_sqlite_file(self, tmp_path: Path) -> None:
        """In development, serve brings a new SQLite file to the newest schema and answers."""
        server = ServerProcess.start(
            f"sqlite:///{tmp_path / 'new.db'}",
            tmp_path,
            migrate=False,
            create_admin=False,
            env_overrides={"FREDAG_ENV": "development", "FREDAG_SECRET_KEY": ""},
        )
        try:
            assert httpx.get(f"{server.base_url}/api/v1/server-key").status_code == 200
        finally:
            server.stop()


class TestUsers:
    def test_create_user_twice_is_refused(self, tmp_path: Path) -> None:
        """The second create-user with the same name exits 2 saying the user exists."""
        url = f"sqlite:///{tmp_path / 'u.db'}"
        env = _env(tmp_path)
        migrated = run_fredag("server", "migrate", "--database-url", url, env=env)
        assert migrated.returncode == 0
        assert "schema revision" in migrated.stdout
        args = (
            "server",
            "create-user",
            "anna",
            "--role",
            "caseworker",
            "--password-stdin",
            "--database-url",
            url,
        )
        first = run_fredag(*args, input="a-good-password\n", env=env)
        second = run_fredag(*args, input="a-good-password\n", env=env)
        assert first.returncode == 0, first.stderr
        assert second.returncode == 2
        assert "exists" in second.stderr

    def test_short_password_and_unmigrated_database_are_refused(self, tmp_path: Path) -> None:
        """A short password, or a database never migrated, is a clear error."""
        url = f"sqlite:///{tmp_path / 'empty.db'}"
        env = _env(tmp_path)
        short = run_fredag(
            "server",
            "create-user",
            "bo",
            "--password-stdin",
            "--database-url",
            url,
            input="short\n",
            env=env,
        )
        unmigrated = run_fredag(
            "server",
            "create-user",
            "bo",
            "--password-stdin",
            "--database-url",
            url,
            input="a-good-password\n",
            env=env,
        )
        assert short.returncode == 2 and "password" in short.stderr
        assert unmigrated.returncode == 2 and "fredag server migrate" in unmigrated.stderr


class TestTLS:
    def test_tls_serves_https_with_secure_cookie(self, tmp_path: Path) -> None:
        """With --certfile/--keyfile the server speaks HTTPS and marks the session cookie Secure."""
        certfile, keyfile = _self_signed(tmp_path)
        server = ServerProcess.start(
            f"sqlite:///{tmp_path / 'tls.db'}",
            tmp_path,
            extra_args=("--certfile", str(certfile), "--keyfile", str(keyfile)),
        )
        try:
            context = ssl.create_default_context(cafile=str(certfile))
            with httpx.Client(base_url=server.base_url, verify=context) as client:
                response = client.post(
                    "/api/v1/auth/login", json={"username": ADMIN, "password": ADMIN_PASSWORD}
                )
            assert response.status_code == 200
            assert "secure" in response.headers["set-cookie"].lower()
        finally:
            server.stop()

    def test_certfile_without_keyfile_is_refused(self, tmp_path: Path) -> None:
        """Half a TLS configuration is a usage error."""
        certfile, _ = _self_signed(tmp_path)
        result = run_fredag(
            "server",
            "serve",
            "--certfile",
            str(certfile),
            env=_env(tmp_path, FREDAG_ENV="development"),
            timeout=60,
        )
        assert result.returncode == 2
        assert "--keyfile" in result.stderr


@pytest.mark.postgres
class TestPostgresDeployment:
    def test_serve_refuses_unmigrated_postgres(
        self, tmp_path: Path, postgres_cluster: PostgresCluster
    ) -> None:
        """Serving a PostgreSQL database that was never migrated says to run migrate first."""
        url = postgres_cluster.create_database()
        result = run_fredag(
            "server",
            "serve",
            "--database-url",
            url,
            env=_env(tmp_path, FREDAG_ENV="development"),
            timeout=60,
        )
        assert result.returncode == 2
        assert "fredag server migrate" in result.stderr

    def test_several_workers_share_sessions_and_store_once(
        self, tmp_path: Path, postgres_cluster: PostgresCluster
    ) -> None:
        """With 3 workers any worker honours a session, and a draft sent at once is stored once."""
        server = ServerProcess.start(postgres_cluster.create_database(), tmp_path, workers=3)
        try:
            api = server.admin()
            for _ in range(30):
                # A fresh connection each time lands on any worker.
                with httpx.Client(base_url=server.base_url, cookies=api.cookies) as one:
                    assert one.get("/api/v1/auth/me").status_code == 200
            name, _ = new_caseworker(server, api)
            device = enroll_device(server, api, name)
            body = signed(device.key).model_dump(mode="json")

            def send(_: int) -> int:
                with httpx.Client(base_url=server.base_url) as client:
                    return client.post("/api/v1/drafts", json=body).status_code

            with ThreadPoolExecutor(12) as pool:
                statuses = sorted(pool.map(send, range(12)))
            assert statuses == [200] * 11 + [201]
            api.close()
        finally:
            server.stop()


class TestDatabaseErrors:
    def test_unreachable_database_is_one_plain_line(self, tmp_path: Path) -> None:
        """Migrating a PostgreSQL that does not answer exits 2 with one line, no traceback."""
        result = run_fredag(
            "server",
            "migrate",
            "--database-url",
            "postgresql://fredag@127.0.0.1:1/fredag",
            env=_env(tmp_path),
            timeout=60,
        )
        assert result.returncode == 2
        assert "cannot migrate the database" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
