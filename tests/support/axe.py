"""axe-core in the browser tests (axe-playwright-python ships axe.min.js; nothing is
downloaded): every page of the handheld's screen and of the review web view must have no
serious or critical violation (WCAG 2.1 AA, EN 301 549)."""

from __future__ import annotations

from typing import Any

BLOCKING = ("serious", "critical")
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def blocking_violations(page: Any) -> list[str]:
    """One line per serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING:
            continue
        targets = [str(node.get("target")) for node in violation.get("nodes", [])][:3]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    return lines


def assert_accessible(page: Any, what: str) -> None:
    found = blocking_violations(page)
    assert not found, f"{what} ({page.url}): " + "; ".join(found)
