"""Adding a ready CTranslate2 Whisper directory, and what happens when model files go bad."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fredag.errors import ModelCorrupt, ModelExists, ModelInvalid, UsageError
from models import registry
from models.add import add_directory
from models.provenance import PROVENANCE_FILE, Provenance
from models.register import Installed
from models.validate import check_loads
from tests.models.conftest import fredag
from tests.support.cli import run_fredag


def _published_copy(converted: Installed, dest: Path, *, without: tuple[str, ...] = ()) -> Path:
    """A copy of the converted model laid out like a published `ctranslate2/` directory."""
    dest.mkdir(parents=True)
    for path in converted.path.iterdir():
        if path.name not in (PROVENANCE_FILE, "README.md", *without):
            shutil.copyfile(path, dest / path.name)
    return dest


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


class TestAdd:
    def test_installs_a_published_directory_with_provenance(
        self, converted: Installed, tmp_path: Path, models_dir: Path
    ) -> None:
        """A KB-Whisper-like repo (README.md above ctranslate2/) installs with its license."""
        repo = tmp_path / "kb-whisper-tiny"
        src = _published_copy(converted, repo / "ctranslate2")
        (repo / "README.md").write_text("---\nlicense: apache-2.0\n---\n# KB-Whisper\n")
        installed = add_directory(src, models_dir, "kb-tiny")
        prov = Provenance.load(models_dir / "kb-tiny")
        assert prov.license == "apache-2.0"
        assert prov.quantization == "int8"
        assert str(src) in prov.source
        assert set(prov.files) == {p.name for p in src.iterdir()}
        assert prov.model_sha256 == converted.provenance.model_sha256
        assert installed.check.heard == converted.check.heard
        assert registry.verify("kb-tiny", models_dir) == prov

    def test_source_and_license_can_be_given(
        self, converted: Installed, tmp_path: Path, models_dir: Path
    ) -> None:
        """--source and --license are recorded when the files do not say where they came from."""
        src = _published_copy(converted, tmp_path / "ct2")
        add_directory(src, models_dir, "given", source="KBLab/kb-whisper-tiny", license="MIT")
        prov = Provenance.load(models_dir / "given")
        assert (prov.source, prov.license) == ("KBLab/kb-whisper-tiny", "MIT")

    def test_a_directory_without_tokenizer(
        self, converted: Installed, tmp_path: Path, models_dir: Path
    ) -> None:
        """A directory missing tokenizer.json is refused, naming the file; nothing is installed."""
        src = _published_copy(converted, tmp_path / "ct2", without=("tokenizer.json",))
        with pytest.raises(ModelInvalid, match=r"missing tokenizer\.json"):
            add_directory(src, models_dir, "no-tokenizer")
        assert not (models_dir / "no-tokenizer").exists()

    def test_a_truncated_model_bin(
        self, converted: Installed, tmp_path: Path, models_dir: Path
    ) -> None:
        """A truncated model.bin fails validation clearly and leaves no directory behind."""
        src = _published_copy(converted, tmp_path / "ct2")
        _truncate(src / "model.bin")
        with pytest.raises(ModelInvalid, match=r"model\.bin.*(truncated|corrupt)"):
            add_directory(src, models_dir, "truncated")
        assert not (models_dir / "truncated").exists()
        assert not [p for p in models_dir.iterdir() if p.name.startswith(".truncated")]

    def test_an_existing_name_without_force(
        self, converted: Installed, tmp_path: Path, models_dir: Path
    ) -> None:
        """Adding onto an installed name fails unless --force is given, which replaces it."""
        src = _published_copy(converted, tmp_path / "ct2")
        add_directory(src, models_dir, "twice")
        with pytest.raises(ModelExists, match="'twice' is already installed"):
            add_directory(src, models_dir, "twice")
        add_directory(src, models_dir, "twice", force=True, license="MIT")
        assert Provenance.load(models_dir / "twice").license == "MIT"

    def test_a_packaged_name_or_a_path_as_name(
        self, converted: Installed, models_dir: Path
    ) -> None:
        """The packaged model's name and names with slashes are refused."""
        with pytest.raises(UsageError, match="packaged model"):
            add_directory(converted.path, models_dir, "whisper-base")
        with pytest.raises(UsageError, match="invalid model name"):
            add_directory(converted.path, models_dir, "../escape")

    def test_cli_add_then_use(
        self, converted: Installed, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`fredag models add` installs the directory and `models use` makes it the default."""
        monkeypatch.delenv("FREDAG_MODEL", raising=False)
        src = _published_copy(converted, tmp_path / "ct2")
        done = fredag("models", "add", str(src), "--name", "kb-tiny")
        assert done.returncode == 0, done.stderr
        assert "installed in" in done.stdout
        used = fredag("models", "use", "kb-tiny")
        assert used.returncode == 0, used.stderr
        assert 'model = "kb-tiny"' in (home / "config.toml").read_text()
        listed = json.loads(fredag("models", "list", "--json").stdout)
        assert [r["name"] for r in listed if r["default"]] == ["kb-tiny"]


class TestCorruptInstalledModel:
    def test_verify_and_load_fail_clearly(
        self, converted: Installed, tmp_path: Path, models_dir: Path
    ) -> None:
        """After model.bin is damaged, verify names the file and loading raises ModelInvalid."""
        from device.stages.transcribe import Transcriber

        add_directory(_published_copy(converted, tmp_path / "ct2"), models_dir, "damaged")
        _truncate(models_dir / "damaged" / "model.bin")
        with pytest.raises(ModelCorrupt, match=r"'damaged': model\.bin does not match"):
            registry.verify("damaged", models_dir)
        with pytest.raises(ModelInvalid, match="cannot load"):
            Transcriber(registry.resolve("damaged", models_dir))
        with pytest.raises(ModelInvalid, match="truncated or corrupt"):
            check_loads(models_dir / "damaged")

    def test_cli_verify_exits_nonzero(
        self, converted: Installed, tmp_path: Path, home: Path
    ) -> None:
        """`fredag models verify` prints one line naming the damaged file and exits 3."""
        src = _published_copy(converted, tmp_path / "ct2")
        assert fredag("models", "add", str(src), "--name", "bad").returncode == 0
        (home / "models" / "bad" / "tokenizer.json").write_text("{}")
        done = run_fredag("models", "verify", "bad")
        assert done.returncode == 3
        assert "tokenizer.json does not match its recorded sha256" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


class TestMelBins:
    def test_a_preprocessor_that_disagrees_with_the_model(
        self, converted: Installed, tmp_path: Path, models_dir: Path
    ) -> None:
        """A preprocessor_config.json with 128 mel bins for an 80-bin model is refused."""
        src = _published_copy(converted, tmp_path / "ct2")
        (src / "preprocessor_config.json").write_text('{"feature_size": 128}')
        with pytest.raises(ModelInvalid, match=r"expects 80 mel bins but .* gives 128"):
            add_directory(src, models_dir, "mels")
        assert not (models_dir / "mels").exists()
