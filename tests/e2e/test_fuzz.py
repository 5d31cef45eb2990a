"""Property-based fuzzing of the running server from its own OpenAPI schema (schemathesis):
whatever the generated request, the answer is never a 5xx. Bounded: few examples per
operation and no deadline, so it stays a smoke test rather than a campaign."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.server.harness import ADMIN, ADMIN_PASSWORD, ServerProcess

MAX_EXAMPLES = 12


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own: fuzzing as an administrator changes its data."""
    home: Path = tmp_path_factory.mktemp("fuzz-server")
    process = ServerProcess.start(f"sqlite:///{home / 'fredag.db'}", home)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def admin_session(fuzz_server: ServerProcess) -> Iterator[requests.Session]:
    """A requests session logged in as the administrator, with its CSRF header."""
    session = requests.Session()
    login = session.post(
        f"{fuzz_server.base_url}/api/v1/auth/login",
        json={"username": ADMIN, "password": ADMIN_PASSWORD},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    session.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    yield session
    session.close()


def _openapi() -> dict[str, Any]:
    """The OpenAPI document the server publishes at /api/v1/openapi.json (made in-process so
    the tests can be generated at collection; the requests go to the real server)."""
    from server.app import create_app
    from server.config import ServerSettings

    app = create_app(ServerSettings(env="development", database_url="sqlite://"))
    return app.openapi()


schema = schemathesis.openapi.from_dict(_openapi())
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


class TestFuzz:
    @schema.parametrize()
    @FUZZ
    def test_anonymous_requests_never_get_a_5xx(
        self, case: Any, fuzz_server: ServerProcess
    ) -> None:
        """Any schema-shaped request without a login is answered without a server error."""
        case.call_and_validate(base_url=fuzz_server.base_url, checks=[not_a_server_error])

    @schema.exclude(path_regex=r"/auth/logout").parametrize()
    @FUZZ
    def test_admin_requests_never_get_a_5xx(
        self, case: Any, fuzz_server: ServerProcess, admin_session: requests.Session
    ) -> None:
        """Any schema-shaped request from a logged-in administrator is answered without a 5xx."""
        case.call_and_validate(
            base_url=fuzz_server.base_url, session=admin_session, checks=[not_a_server_error]
        )

    def test_server_is_still_up(self, fuzz_server: ServerProcess) -> None:
        """After the fuzzing the server still answers."""
        response = httpx.get(f"{fuzz_server.base_url}/api/v1/health", timeout=10)
        assert response.status_code == 200
