"""The registry: atomic assembly of packaged models, resolving names, the settings file."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fredag.errors import ModelCorrupt, ModelInvalid, ModelNotFound, ModelPackageMissing
from fredag.settings import get_settings
from models import registry
from models.choose import with_model, write_model_setting
from models.ct2file import stored_weight_type
from models.packaged import PackagedFile, PackagedModel, assemble
from models.provenance import find_license
from models.register import Installed
from models.speech import swedish_clip

GOOD = b'{"weights": "the real bytes"}\n'


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An importable package `fredag_test_parts` holding data/part1 and data/part2."""
    pkg = tmp_path / "site" / "fredag_test_parts"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "data" / "part1").write_bytes(GOOD[:10])
    (pkg / "data" / "part2").write_bytes(GOOD[10:])
    sys.modules.pop("fredag_test_parts", None)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    yield "fredag_test_parts"
    sys.modules.pop("fredag_test_parts", None)


def _model(package: str, sha256: str = hashlib.sha256(GOOD).hexdigest()) -> PackagedModel:
    parts = ((package, "data/part1"), (package, "data/part2"))
    return PackagedModel(
        name="fake",
        source="test",
        license="MIT",
        quantization="int8",
        description="a fake packaged model",
        files=(PackagedFile("model.bin", parts, sha256),),
    )


class TestPackagedAssembly:
    def test_joins_parts_and_records_provenance(self, fake_package: str, tmp_path: Path) -> None:
        """Parts are joined in order into model.bin, with provenance and the pinned hash."""
        prov = assemble(_model(fake_package), tmp_path / "models" / "fake")
        assert (tmp_path / "models" / "fake" / "model.bin").read_bytes() == GOOD
        assert prov.model_sha256 == hashlib.sha256(GOOD).hexdigest()

    def test_a_part_with_wrong_bytes_names_the_package(
        self, fake_package: str, tmp_path: Path
    ) -> None:
        """A part whose bytes changed raises ModelCorrupt naming the package to reinstall."""
        (tmp_path / "site" / fake_package / "data" / "part2").write_bytes(b"tampered")
        with pytest.raises(ModelCorrupt, match="pip install --force-reinstall fredag-test-parts"):
            assemble(_model(fake_package), tmp_path / "models" / "fake")

    def test_a_failing_assembly_leaves_no_directory(
        self, fake_package: str, tmp_path: Path
    ) -> None:
        """After a failed assembly neither the target nor a temporary directory exists."""
        with pytest.raises(ModelCorrupt):
            assemble(_model(fake_package, sha256="0" * 64), tmp_path / "models" / "fake")
        assert list((tmp_path / "models").iterdir()) == []

    def test_a_missing_package_names_what_to_reinstall(self, tmp_path: Path) -> None:
        """A part from a package that is not installed raises ModelPackageMissing naming it."""
        with pytest.raises(ModelPackageMissing, match="fredag-no-such-package is not installed"):
            assemble(_model("fredag_no_such_package"), tmp_path / "models" / "fake")
        assert list((tmp_path / "models").iterdir()) == []

    def test_a_missing_part_names_the_package(self, fake_package: str, tmp_path: Path) -> None:
        """A package that lacks one of its part files is reported with the reinstall command."""
        (tmp_path / "site" / fake_package / "data" / "part2").unlink()
        with pytest.raises(ModelPackageMissing, match="data/part2 is missing from"):
            assemble(_model(fake_package), tmp_path / "models" / "fake")

    def test_an_existing_model_is_kept_without_force(
        self, fake_package: str, tmp_path: Path
    ) -> None:
        """Assembling again without force returns the installed copy and rewrites nothing."""
        target = tmp_path / "models" / "fake"
        first = assemble(_model(fake_package), target)
        (tmp_path / "site" / fake_package / "data" / "part2").write_bytes(b"tampered")
        assert assemble(_model(fake_package), target) == first


class TestResolve:
    def test_a_directory_without_tokenizer(self, tmp_path: Path) -> None:
        """Resolving a CTranslate2 directory without tokenizer.json raises ModelInvalid."""
        (tmp_path / "m").mkdir()
        (tmp_path / "m" / "model.bin").write_bytes(b"x")
        (tmp_path / "m" / "config.json").write_text('{"suppress_ids": []}')
        with pytest.raises(ModelInvalid, match=r"missing tokenizer\.json"):
            registry.resolve(str(tmp_path / "m"), tmp_path / "models")

    def test_an_unknown_name_lists_the_known_ones(
        self, converted: Installed, models_dir: Path
    ) -> None:
        """An unknown name raises ModelNotFound listing installed and packaged models."""
        with pytest.raises(ModelNotFound, match=r"known: .*tiny-sv.*whisper-base"):
            registry.resolve("kb-whisper-large", models_dir)

    def test_a_path_to_an_installed_model_keeps_its_provenance(self, converted: Installed) -> None:
        """Resolving an installed model by path uses its recorded name and hash."""
        resolved = registry.resolve(str(converted.path), converted.path.parent)
        assert resolved.provenance == converted.provenance
        assert resolved.info.name == "tiny-sv"

    def test_a_truncated_model_bin_header(self, converted: Installed, tmp_path: Path) -> None:
        """Reading the header of a cut-off model.bin raises ModelInvalid."""
        cut = tmp_path / "model.bin"
        cut.write_bytes((converted.path / "model.bin").read_bytes()[:5000])
        with pytest.raises(ModelInvalid, match="truncated or corrupt"):
            stored_weight_type(cut)


class TestUnfinished:
    def test_list_names_leftover_staging_directories(self, home: Path) -> None:
        """`fredag models list` points at a staging directory an interrupted install left."""
        from tests.models.conftest import fredag

        (home / "models" / ".kb-whisper-base-x1y2").mkdir(parents=True)
        done = fredag("models", "list")
        assert done.returncode == 0
        assert "unfinished installations" in done.stdout
        assert ".kb-whisper-base-x1y2" in done.stdout
        assert registry.list_installed(home / "models") == []


class TestModelSetting:
    def test_inserts_replaces_and_keeps_other_settings(self) -> None:
        """Only the top-level model line changes; other keys and tables are kept."""
        assert with_model("", "a") == 'model = "a"\n'
        text = 'language = "sv"\nmodel = "old"\n[server]\nmodel = "keep"\n'
        assert (
            with_model(text, "new") == 'language = "sv"\nmodel = "new"\n[server]\nmodel = "keep"\n'
        )
        assert with_model('[server]\nurl = "x"\n', "b") == 'model = "b"\n[server]\nurl = "x"\n'

    def test_the_written_file_chooses_the_model(
        self, home: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """After writing config.toml, get_settings().model is the chosen name."""
        monkeypatch.delenv("FREDAG_MODEL", raising=False)
        write_model_setting(home / "config.toml", "kb-whisper-base")
        assert get_settings().model == "kb-whisper-base"
        monkeypatch.setenv("FREDAG_MODEL", "whisper-base")
        assert get_settings().model == "whisper-base"

    def test_use_refuses_an_unknown_model(self, home: Path) -> None:
        """`fredag models use` with an unknown name fails and writes no settings file."""
        from tests.models.conftest import fredag

        done = fredag("models", "use", "kb-whisper-huge")
        assert done.returncode == 3
        assert "no model named 'kb-whisper-huge'" in done.stderr
        assert not (home / "config.toml").exists()


class TestProvenanceSources:
    def test_license_from_model_card_front_matter(self, tmp_path: Path) -> None:
        """The license key of README.md front matter is found, quotes stripped."""
        (tmp_path / "README.md").write_text("---\nlanguage: sv\nlicense: 'apache-2.0'\n---\n")
        assert find_license(tmp_path) == "apache-2.0"

    def test_license_file_and_nothing(self, tmp_path: Path) -> None:
        """A LICENSE file is pointed to; a directory with neither gives None."""
        assert find_license(tmp_path) is None
        (tmp_path / "LICENSE").write_text("MIT License\n\nCopyright ...")
        assert find_license(tmp_path) == "see LICENSE (MIT License)"


class TestValidationClip:
    def test_espeak_speaks_the_sentence(self) -> None:
        """With espeak-ng the clip is a few seconds of 16 kHz Swedish speech."""
        clip = swedish_clip()
        assert clip.origin == "espeak-ng" and clip.reference
        assert 2.0 < clip.seconds < 10.0

    def test_without_espeak_a_tone_and_a_clear_note(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without espeak-ng the clip is a synthetic tone and says so."""
        monkeypatch.setattr("models.speech.shutil.which", lambda _name: None)
        clip = swedish_clip()
        assert clip.reference is None
        assert "espeak-ng is not installed" in clip.origin
        assert clip.seconds == 3.0
