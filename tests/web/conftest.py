"""Web view fixtures: one real `fredag server serve` (SQLite) and Debian's chromium.

People and devices are made through the real API (admin, enrollment codes, device enroll);
drafts reach the server through the real sync API, signed by the enrolled device's key.
The browser is Debian's /usr/bin/chromium driven by Playwright: never a browser download.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fredag.protocol import Draft, b64url_decode, sign_draft
from tests.server.harness import (
    PASSWORD,
    Api,
    EnrolledDevice,
    ServerProcess,
    enroll_device,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def screenshot(page: Any, name: str, tmp: Path | None = None, *, full_page: bool = True) -> Path:
    """Save a full-page screenshot: into docs/screenshots when FREDAG_WEB_SCREENSHOTS=1
    (how the README's pictures are refreshed), else beside the test's temporary files."""
    folder = DOCS_SCREENSHOTS if os.environ.get("FREDAG_WEB_SCREENSHOTS") == "1" else tmp
    folder = folder or Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.mouse.move(0, 0)
    page.screenshot(path=str(path), full_page=full_page)
    return path


@dataclass
class Person:
    username: str
    full_name: str
    device: EnrolledDevice


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A real server on 127.0.0.1 with an SQLite database (migrated by the CLI)."""
    home = tmp_path_factory.mktemp("web-server")
    process = ServerProcess.start(f"sqlite:///{home / 'fredag.db'}", home)
    yield process
    process.stop()


@pytest.fixture(scope="session")
def admin_api(web_server: ServerProcess) -> Iterator[Api]:
    api = web_server.admin()
    yield api
    api.close()


def make_person(server: ServerProcess, admin: Api, username: str, full_name: str) -> Person:
    made = admin.post(
        "/api/v1/admin/users",
        json={
            "username": username,
            "full_name": full_name,
            "password": PASSWORD,
            "role": "caseworker",
        },
    )
    assert made.status_code == 201, made.text
    return Person(username, full_name, enroll_device(server, admin, username))


@pytest.fixture(scope="session")
def anna(web_server: ServerProcess, admin_api: Api) -> Person:
    """Caseworker Anna Lind with one enrolled device."""
    return make_person(web_server, admin_api, "anna", "Anna Lind")


@pytest.fixture(scope="session")
def bo(web_server: ServerProcess, admin_api: Api) -> Person:
    """Caseworker Bo Ek with one enrolled device."""
    return make_person(web_server, admin_api, "bo", "Bo Ek")


def current_catalogue(server: ServerProcess) -> dict[str, Any]:
    """The catalogue a device downloads now: the signed payload's catalogue and version."""
    with server.client() as api:
        response = api.get("/api/v1/catalogue")
    assert response.status_code == 200, response.text
    payload = response.json()["envelope"]["payload"]
    data = json.loads(b64url_decode(payload))
    catalogue: dict[str, Any] = data["catalogue"]
    return catalogue


def upload(person: Person, draft: Draft) -> str:
    """Sign `draft` with the person's device key and upload it through the sync API."""
    response = person.device.upload(sign_draft(draft, person.device.key))
    assert response.status_code == 201, response.text
    return str(draft.draft_id)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, through Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def context(browser: Any, web_server: ServerProcess) -> Iterator[Any]:
    """A fresh browser profile (no cookies) pointed at the server."""
    ctx = browser.new_context(
        base_url=web_server.base_url,
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
        locale="sv-SE",
        timezone_id="Europe/Stockholm",  # the caseworker's clock; the server's dates are Swedish
    )
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


def login(page: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form."""
    page.goto("/logga-in")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/logga-in" not in url)


def review_all(page: Any) -> None:
    """Accept every factor tag still unreviewed on the open draft page (approval needs it)."""
    from playwright.sync_api import expect

    pending = page.locator("li.factor.st-unreviewed")
    for left in range(pending.count(), 0, -1):
        pending.first.locator("button.accept").click()
        expect(pending).to_have_count(left - 1)


def approve(page: Any, draft_id: str) -> None:
    """Open the draft, review every tag, tick the box and approve."""
    page.goto(f"/utkast/{draft_id}")
    approve_open(page)


def approve_open(page: Any) -> None:
    """On the open draft page: review every tag, tick the box and approve."""
    from playwright.sync_api import expect

    review_all(page)
    page.get_by_label("Jag har läst texten och godkänner den som journalanteckning.").check()
    page.get_by_role("button", name="Godkänn journalanteckning").click()
    expect(page.locator("#status")).to_have_text("Godkänd")


def downloaded(page: Any, folder: Path, name: str, link: str) -> Path:
    """The file the export `link` downloads, saved as `name` in `folder`."""
    with page.expect_download() as download:
        page.locator(link).click()
    path = folder / name
    download.value.save_as(path)
    return path


def exported_text(page: Any, folder: Path, name: str, link: str = "#export-txt") -> str:
    """The approved entry's paste text, downloaded with "Exportera text" (or the export
    `link` names) into `folder`."""
    return downloaded(page, folder, name, link).read_text(encoding="utf-8")


def exported_pdf_text(page: Any, folder: Path, name: str) -> str:
    """The approved entry's PDF, downloaded with "Exportera PDF" into `folder`, as text (its
    words, whitespace as single spaces: the PDF wraps long lines)."""
    from tests.support.pdf import pdf_text

    pdf = downloaded(page, folder, name, "#export-pdf").read_bytes()
    return " ".join(pdf_text(pdf).split())
