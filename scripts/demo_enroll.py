"""`make run` helper: make sure the demo device is enrolled with the demo server.

    FREDAG_HOME=.fredag/device python scripts/demo_enroll.py URL ADMIN PASSWORD CASEWORKER

Prints Swedish, like the rest of `make run`'s output. Does nothing when the device is
enrolled with this server already (the server lists its key, not revoked); otherwise logs
in as the administrator, issues a one-time enrollment code for CASEWORKER through the JSON
API, and enrolls the device with it (`fredag device enroll`).
"""

from __future__ import annotations

import sys

import httpx


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    url, admin, password, caseworker = argv
    from device.journal.store import Store
    from device.sync import enrollment
    from device.sync.enroll import enroll
    from fredag.settings import get_settings

    home = get_settings().home
    current = enrollment.load_optional(Store(home))
    with httpx.Client(base_url=url + "/api/v1", timeout=30) as api:
        login = api.post("/auth/login", json={"username": admin, "password": password})
        if login.status_code != 200:
            print(f"Kan inte logga in som {admin}: {login.text}", file=sys.stderr)
            return 1
        api.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        if current is not None and current.server_url == url:
            known = api.get("/admin/devices").json()
            if any(d["key_id"] == current.key_id and not d["revoked_at"] for d in known):
                print(f"Enheten {current.device_id} är redan registrerad hos servern.")
                return 0
        issued = api.post("/admin/enrollment-codes", json={"caseworker": caseworker})
        if issued.status_code != 201:
            print(f"Kan inte skapa en registreringskod: {issued.text}", file=sys.stderr)
            return 1
        code = issued.json()["code"]
    record = enroll(home, url, code, name="demo-enhet", force=True)
    print(f"Registrerade enheten {record.device_id} för {record.caseworker} med koden {code}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
