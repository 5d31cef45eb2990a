"""Who reaches what: caseworkers only their own drafts, admins never case content."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.server.factory import signed
from tests.server.harness import Api, EnrolledDevice, ServerProcess, enroll_device, new_caseworker


@pytest.fixture
def two_caseworkers(
    server: ServerProcess, admin: Api
) -> tuple[tuple[str, Api, EnrolledDevice], tuple[str, Api, EnrolledDevice]]:
    """Two caseworkers, each with a device and one uploaded draft."""
    people = []
    for _ in range(2):
        name, api = new_caseworker(server, admin)
        device = enroll_device(server, admin, name)
        assert device.upload(signed(device.key, case_ref=f"CASE-{name}")).status_code == 201
        people.append((name, api, device))
    return people[0], people[1]


def _draft_ids(api: Api) -> list[str]:
    response = api.get("/api/v1/drafts")
    assert response.status_code == 200, response.text
    return [d["id"] for d in response.json()]


class TestCaseworkerIsolation:
    def test_caseworker_sees_own_drafts_only(self, two_caseworkers: tuple) -> None:  # type: ignore[type-arg]
        """Each caseworker's list holds their own draft and not the other's."""
        (_, api_a, _), (_, api_b, _) = two_caseworkers
        ids_a, ids_b = _draft_ids(api_a), _draft_ids(api_b)
        assert len(ids_a) == 1 and len(ids_b) == 1
        assert not set(ids_a) & set(ids_b)

    def test_other_caseworkers_draft_is_404(self, two_caseworkers: tuple) -> None:  # type: ignore[type-arg]
        """Another caseworker's draft answers 404, exactly like a draft that does not exist."""
        (_, api_a, _), (_, api_b, _) = two_caseworkers
        theirs = _draft_ids(api_b)[0]
        foreign = api_a.get(f"/api/v1/drafts/{theirs}")
        missing = api_a.get(f"/api/v1/drafts/{uuid.uuid4()}")
        assert foreign.status_code == 404
        assert foreign.json() == missing.json()
        assert api_b.get(f"/api/v1/drafts/{theirs}").status_code == 200

    def test_filter_by_other_case_shows_nothing(self, two_caseworkers: tuple) -> None:  # type: ignore[type-arg]
        """Filtering on another caseworker's case reference lists nothing."""
        (_, api_a, _), (name_b, _, _) = two_caseworkers
        response = api_a.get("/api/v1/drafts", params={"case_ref": f"CASE-{name_b}"})
        assert response.json() == []

    def test_own_draft_carries_signed_content(self, two_caseworkers: tuple) -> None:  # type: ignore[type-arg]
        """A caseworker's draft read returns the device's draft with its evidence."""
        (name_a, api_a, device_a), _ = two_caseworkers
        draft = api_a.get(f"/api/v1/drafts/{_draft_ids(api_a)[0]}").json()
        assert draft["case_ref"] == f"CASE-{name_a}"
        assert draft["key_id"] == device_a.key_id
        assert draft["draft"]["factors"][0]["evidence"][0]["quote"] == "dricker mycket"


class TestRoles:
    def test_admin_cannot_read_case_content(self, admin: Api, two_caseworkers: tuple) -> None:  # type: ignore[type-arg]
        """An administrator gets 403 on the draft list and on a draft."""
        (_, api_a, _), _ = two_caseworkers
        draft_id = _draft_ids(api_a)[0]
        assert admin.get("/api/v1/drafts").status_code == 403
        assert admin.get(f"/api/v1/drafts/{draft_id}").status_code == 403

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("GET", "/api/v1/admin/users"),
            ("POST", "/api/v1/admin/users"),
            ("GET", "/api/v1/admin/devices"),
            ("POST", "/api/v1/admin/enrollment-codes"),
            ("POST", "/api/v1/admin/catalogue"),
            ("GET", "/api/v1/admin/audit"),
        ],
    )
    def test_caseworker_cannot_administer(
        self, method: str, path: str, caseworker: tuple[str, Api]
    ) -> None:
        """Caseworkers get 403 on every administration endpoint."""
        response = caseworker[1].request(method, path, json={})
        assert response.status_code == 403

    @pytest.mark.parametrize(
        "path", ["/api/v1/drafts", "/api/v1/admin/users", "/api/v1/auth/me", "/api/v1/admin/audit"]
    )
    def test_anonymous_gets_401(self, server: ServerProcess, path: str) -> None:
        """Without a session cookie, protected endpoints answer 401 in JSON."""
        response = httpx.get(server.base_url + path)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"

    def test_change_without_csrf_header_is_refused(self, server: ServerProcess, admin: Api) -> None:
        """A logged-in admin's change without the X-CSRF-Token header is 403."""
        response = admin.post(
            "/api/v1/admin/enrollment-codes",
            json={"caseworker": "x"},
            headers={"X-CSRF-Token": ""},
        )
        assert response.status_code == 403
        assert response.json()["code"] == "csrf"

    def test_admin_creates_users_but_not_duplicates(self, admin: Api) -> None:
        """An admin can create a user once; the same name again is a conflict."""
        name = f"u_{uuid.uuid4().hex[:8]}"
        body = {"username": name, "password": "a-long-password", "role": "caseworker"}
        assert admin.post("/api/v1/admin/users", json=body).status_code == 201
        assert admin.post("/api/v1/admin/users", json=body).status_code == 409


class TestUserAdministration:
    def test_deactivated_user_is_logged_out_and_cannot_log_in(
        self, server: ServerProcess, admin: Api
    ) -> None:
        """Deactivating a caseworker ends their session and refuses their next login."""
        from tests.server.harness import PASSWORD

        name, api = new_caseworker(server, admin)
        user_id = api.get("/api/v1/auth/me").json()["id"]
        response = admin.patch(f"/api/v1/admin/users/{user_id}", json={"is_active": False})
        assert response.status_code == 200
        assert api.get("/api/v1/auth/me").status_code == 401
        assert server.client().login(name, PASSWORD).status_code == 401

    def test_deactivated_caseworkers_devices_are_refused_until_reactivated(
        self, server: ServerProcess, admin: Api
    ) -> None:
        """A deactivated caseworker's device gets 403 owner_inactive; reactivation lets it in."""
        from tests.server.factory import signed
        from tests.server.harness import enroll_device

        name, api = new_caseworker(server, admin)
        user_id = api.get("/api/v1/auth/me").json()["id"]
        device = enroll_device(server, admin, name)
        assert admin.patch(f"/api/v1/admin/users/{user_id}", json={"is_active": False}).is_success
        envelope = signed(device.key)
        refused = device.upload(envelope)
        assert refused.status_code == 403
        assert refused.json()["code"] == "owner_inactive"
        assert admin.patch(f"/api/v1/admin/users/{user_id}", json={"is_active": True}).is_success
        assert device.upload(envelope).status_code == 201

    def test_admin_cannot_deactivate_themselves(self, admin: Api) -> None:
        """An administrator cannot lock themselves out."""
        me = admin.get("/api/v1/auth/me").json()["id"]
        response = admin.patch(f"/api/v1/admin/users/{me}", json={"is_active": False})
        assert response.status_code == 409
