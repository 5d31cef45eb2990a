"""The package boundaries DEVELOPERS.md promises: device and server never import each other,
the shared core imports neither, and the device install works without the server's packages."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The root command mounts every package's own cli module; it is the one composition point.
COMPOSITION_POINT = "fredag/cli.py"
SERVER_ONLY = ("fastapi", "starlette", "sqlalchemy", "alembic", "uvicorn", "psycopg", "argon2")
# The handheld's touch screen (device/views/touch, `fredag ui`) is served by plain Starlette and
# uvicorn, in the device extra: only that package may import them (never FastAPI).
TOUCH = "device/views/touch/"
TOUCH_PARTS = {"starlette", "uvicorn"}


def imported_modules(package: str) -> set[tuple[str, str]]:
    """(file, top-level module) for every import statement in a package, at any depth."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {(str(path.relative_to(ROOT)), a.name.split(".")[0]) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(path.relative_to(ROOT)), node.module.split(".")[0]))
    return found


class TestImportBoundaries:
    @pytest.mark.parametrize(
        ("package", "forbidden"),
        [
            ("device", {"server"}),
            ("server", {"device"}),
            ("fredag", {"device", "server"} | set(SERVER_ONLY)),
            ("models", {"device", "server"} | set(SERVER_ONLY)),
            ("risk_factors", {"device", "server"} | set(SERVER_ONLY)),
        ],
    )
    def test_package_does_not_import(self, package: str, forbidden: set[str]) -> None:
        """No module of the package imports a package on the other side of its boundary."""
        offending = sorted(
            (f, m)
            for f, m in imported_modules(package)
            if m in forbidden and not (f == COMPOSITION_POINT and m in {"device", "server"})
        )
        assert offending == []

    def test_device_never_imports_server_only_libraries(self) -> None:
        """device/ uses no FastAPI, SQLAlchemy, Alembic, psycopg or argon2, and Starlette and
        uvicorn only in the touch screen's package."""
        offending = sorted(
            (f, m)
            for f, m in imported_modules("device")
            if m in SERVER_ONLY and not (m in TOUCH_PARTS and f.startswith(TOUCH))
        )
        assert offending == []


BLOCKER = """
import importlib.abc, sys
BLOCKED = {blocked!r}
class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, Blocker())
from fredag.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_as_device_install(*args: str) -> subprocess.CompletedProcess[str]:
    code = textwrap.dedent(BLOCKER.format(blocked=set(SERVER_ONLY)))
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


class TestDeviceInstallWithoutServerPackages:
    def test_help_lists_commands(self) -> None:
        """`fredag --help` works when none of the server's packages can be imported."""
        proc = run_as_device_install("--help")
        assert proc.returncode == 0, proc.stderr
        assert "transcribe" in proc.stdout

    def test_device_commands_run(self) -> None:
        """Device-side commands run without the server's packages (models, catalogue, tag)."""
        for args in (
            ("models", "list", "--json"),
            ("catalogue", "validate"),
            ("tag", "--case-type", "barn", "Pappa dricker varje dag."),
        ):
            proc = run_as_device_install(*args)
            assert proc.returncode == 0, (args, proc.stderr)

    def test_touch_screen_needs_no_fastapi(self) -> None:
        """`fredag ui`'s app is built with FastAPI, SQLAlchemy and the rest blocked, and loads
        no server code."""
        code = textwrap.dedent(
            BLOCKER.format(blocked=set(SERVER_ONLY) - TOUCH_PARTS).replace(
                "from fredag.cli import main\nsys.exit(main(sys.argv[1:]))",
                "from device.views.touch.app import create_app\n"
                "from device.views.touch.guard import Secrets\n"
                "from device.views.touch.hub import Hub, Source\n"
                "create_app(Hub(Source()), Secrets(), 8470)\n"
                "loaded = {m.split('.')[0] for m in sys.modules}\n"
                "assert not loaded & {'server', 'fastapi', 'sqlalchemy'}, loaded",
            )
        )
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
        )
        assert proc.returncode == 0, proc.stderr

    def test_server_command_explains_missing_extra(self) -> None:
        """A server command on a device install says which extra is missing, no traceback."""
        proc = run_as_device_install("server", "migrate")
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr
        assert "fredag[server]" in proc.stderr or "[server]" in proc.stderr, proc.stderr
