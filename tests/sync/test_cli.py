"""`fredag sync`, `status` and `device enroll` as a user runs them: one line, an exit code."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import run_fredag


class TestCli:
    def test_sync_without_enrollment_says_what_to_do(self, tmp_path: Path) -> None:
        """An unenrolled device gets one line naming `fredag device enroll`, exit 11."""
        result = run_fredag("sync", env={"FREDAG_HOME": str(tmp_path)})
        assert result.returncode == 11
        assert "fredag device enroll" in result.stderr and "Traceback" not in result.stderr

    def test_status_without_enrollment(self, tmp_path: Path) -> None:
        """Status works before enrollment and says the device is not enrolled."""
        result = run_fredag("status", env={"FREDAG_HOME": str(tmp_path)})
        assert result.returncode == 0 and "ej registrerad" in result.stdout

    def test_enroll_with_a_bad_url(self, tmp_path: Path) -> None:
        """A non-URL is a usage error, exit 2, without a traceback."""
        result = run_fredag(
            "device", "enroll", "fredag.kommun.se", "X", env={"FREDAG_HOME": str(tmp_path)}
        )
        assert result.returncode == 2 and "not a server URL" in result.stderr

    def test_enroll_with_nobody_listening(self, tmp_path: Path) -> None:
        """Connection refused is one clear line and exit 11."""
        from tests.support.postgres import free_port

        url = f"http://127.0.0.1:{free_port()}"
        result = run_fredag("device", "enroll", url, "X", env={"FREDAG_HOME": str(tmp_path)})
        assert result.returncode == 11
        assert "cannot connect" in result.stderr and "Traceback" not in result.stderr
