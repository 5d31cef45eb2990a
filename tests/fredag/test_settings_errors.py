"""Bad settings, wherever they come from (a FREDAG_* variable, the settings file, a flag), are
one line naming the variable and what it accepts, with a usage error's exit code: on the
device, in the sync and on the server alike (one mapping, `fredag.settings.load_settings`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.cli import run_fredag
from tests.support.postgres import free_port


def one_usage_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a run that must have failed as a usage error."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fredag: settings: ")
    return lines[0]


class TestDeviceSettings:
    def test_bad_environment_variable(self, tmp_path: Path) -> None:
        """`FREDAG_BEAM_SIZE=abc fredag transcribe` names the variable and says a whole number."""
        result = run_fredag(
            "transcribe", "x.wav", env={"FREDAG_HOME": str(tmp_path), "FREDAG_BEAM_SIZE": "abc"}
        )
        line = one_usage_line(result)
        assert "FREDAG_BEAM_SIZE: 'abc' is not accepted" in line and "a whole number" in line

    def test_bad_value_in_the_settings_file(self, tmp_path: Path) -> None:
        """A bad value in config.toml names the key and the file, not an environment variable."""
        (tmp_path / "config.toml").write_text('beam_size = "many"\n')
        line = one_usage_line(run_fredag("transcribe", "x.wav", env={"FREDAG_HOME": str(tmp_path)}))
        assert f"beam_size in {tmp_path / 'config.toml'}" in line and "at least 1" in line

    def test_settings_file_that_is_not_toml(self, tmp_path: Path) -> None:
        """A config.toml that does not parse is named, with where it breaks."""
        (tmp_path / "config.toml").write_text("model = \n")
        line = one_usage_line(run_fredag("transcribe", "x.wav", env={"FREDAG_HOME": str(tmp_path)}))
        assert str(tmp_path / "config.toml") in line and "not valid TOML" in line


class TestSyncSettings:
    def test_every_bad_variable_is_on_the_one_line(self, tmp_path: Path) -> None:
        """Two bad FREDAG_SYNC_* variables are both named, each with its accepted values."""
        env = {
            "FREDAG_HOME": str(tmp_path),
            "FREDAG_SYNC_ATTEMPTS": "0",
            "FREDAG_SYNC_AUTO": "maybe",
        }
        line = one_usage_line(run_fredag("sync", env=env))
        assert "FREDAG_SYNC_ATTEMPTS: '0'" in line and "from 1 to 100" in line
        assert "FREDAG_SYNC_AUTO: 'maybe'" in line and "true or false" in line

    def test_bad_flag_is_named_as_the_flag(self, tmp_path: Path) -> None:
        """A flag the settings refuse is named as the flag."""
        result = run_fredag("sync", "--attempts", "0", env={"FREDAG_HOME": str(tmp_path)})
        assert "--attempts: 0 is not accepted" in one_usage_line(result)


class TestServerSettings:
    @pytest.mark.parametrize(
        ("variable", "value", "accepted"),
        [
            ("FREDAG_ENV", "staging", "development or production"),
            ("FREDAG_COOKIE_SAMESITE", "none", "lax or strict"),
            ("FREDAG_ARGON2_TIME_COST", "many", "a whole number from 1 to 20"),
        ],
    )
    def test_serve_refuses_to_start(
        self, tmp_path: Path, variable: str, value: str, accepted: str
    ) -> None:
        """`fredag server serve` with a bad FREDAG_* variable stops before it serves."""
        env = {"FREDAG_HOME": str(tmp_path), "FREDAG_ENV": "development", variable: value}
        port = str(free_port())
        line = one_usage_line(run_fredag("server", "serve", "--port", port, env=env, timeout=60))
        assert f"{variable}: '{value}' is not accepted (expected {accepted})" in line


class TestMapping:
    def test_text_values_are_not_echoed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A refused text value (it may be a secret or a URL with a password) is not printed."""
        from pydantic import Field
        from pydantic_settings import BaseSettings, SettingsConfigDict

        from fredag.errors import SettingsInvalid
        from fredag.settings import load_settings

        class Demo(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="FREDAG_DEMO_")
            token: str = Field("long-enough", min_length=8)

        monkeypatch.setenv("FREDAG_DEMO_TOKEN", "hemligt")
        with pytest.raises(SettingsInvalid) as caught:
            load_settings(Demo)
        assert str(caught.value) == (
            "settings: FREDAG_DEMO_TOKEN: value not accepted (expected text, at least 8 characters)"
        )
        assert caught.value.exit_code == 2 and caught.value.__cause__ is not None
