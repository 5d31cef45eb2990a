"""Converting a transformers Whisper checkpoint to CTranslate2 on the device, offline."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from fredag.errors import ExtraMissing, ModelExists, ModelInvalid, UsageError
from fredag.protocol import ModelInfo
from models import registry
from models.ct2file import stored_weight_type
from models.provenance import Provenance, sha256_file
from models.register import Installed
from models.registry import ResolvedModel
from models.speech import swedish_clip
from models.validate import check_loads
from tests.models.conftest import TINY, fredag, no_network
from tests.models.ct2_to_hf import whisper_base_as_transformers
from tests.support.speech import wer


def _copy_checkpoint(src: Path, dest: Path, *, without: tuple[str, ...] = ()) -> Path:
    dest.mkdir(parents=True)
    for path in src.iterdir():
        if path.name not in without:
            shutil.copyfile(path, dest / path.name)
    return dest


def _leftovers(models_dir: Path) -> list[str]:
    return sorted(p.name for p in models_dir.iterdir() if p.name.startswith("."))


class TestConvertedModel:
    def test_faster_whisper_loads_and_transcribes_it_offline(self, converted: Installed) -> None:
        """The converted directory loads in faster-whisper offline and decodes Swedish audio."""
        from faster_whisper import WhisperModel

        model = WhisperModel(
            str(converted.path), device="cpu", compute_type="int8", local_files_only=True
        )
        segments, info = model.transcribe(
            swedish_clip().audio, language="sv", beam_size=1, max_new_tokens=16
        )
        texts = [s.text for s in segments]
        assert info.language == "sv"
        assert all(isinstance(t, str) for t in texts)

    def test_conversion_never_touched_the_network(
        self, converted: Installed, network_attempts: list[str]
    ) -> None:
        """The whole conversion ran with sockets blocked and tried no connection."""
        assert converted.path.is_dir()
        assert network_attempts == []

    def test_validation_decoded_the_synthesized_sentence(self, converted: Installed) -> None:
        """Installation loaded the model and decoded the espeak-ng clip before publishing."""
        assert converted.check.clip.origin == "espeak-ng"
        assert converted.check.weight_type == "int8"
        assert converted.check.n_mels == 80

    def test_carries_tokenizer_preprocessor_and_model_card(self, converted: Installed) -> None:
        """tokenizer.json, preprocessor_config.json and the model card sit beside model.bin."""
        names = {p.name for p in converted.path.iterdir()}
        expected = {"model.bin", "config.json", "vocabulary.json", "tokenizer.json"}
        assert expected | {"preprocessor_config.json", "README.md", "provenance.json"} <= names
        features = json.loads((converted.path / "preprocessor_config.json").read_text())
        assert features["feature_size"] == 80

    def test_provenance_records_source_license_hashes_and_size(
        self, converted: Installed, tiny_checkpoint: Path
    ) -> None:
        """provenance.json names the source, its license, the quantization and every hash."""
        prov = Provenance.load(converted.path)
        assert prov == converted.provenance
        assert prov.license == "apache-2.0"
        assert prov.quantization == "int8"
        assert str(tiny_checkpoint) in prov.source
        on_disk = {p.name for p in converted.path.iterdir()} - {"provenance.json"}
        assert set(prov.files) == on_disk
        for name, digest in prov.files.items():
            assert sha256_file(converted.path / name) == digest
        assert prov.source_files["model.safetensors"] == sha256_file(
            tiny_checkpoint / "model.safetensors"
        )
        assert prov.size_bytes == sum((converted.path / n).stat().st_size for n in prov.files)

    def test_stored_weights_match_the_quantization(self, converted: Installed) -> None:
        """model.bin's header says its weights are stored as int8."""
        assert stored_weight_type(converted.path / "model.bin") == "int8"

    def test_resolve_gives_the_name_and_hash_drafts_record(
        self, converted: Installed, models_dir: Path
    ) -> None:
        """Resolving the name yields ModelInfo with the model's name and model.bin sha256."""
        resolved = registry.resolve(TINY, models_dir)
        assert resolved.path == converted.path
        assert resolved.info == ModelInfo(name=TINY, sha256=converted.provenance.model_sha256)

    def test_transcriber_runs_it_and_stamps_the_model(
        self, converted: Installed, models_dir: Path
    ) -> None:
        """The device's Transcriber runs the converted model and stamps results with its hash."""
        from device.stages.transcribe import TranscribeOptions, Transcriber

        transcriber = Transcriber(registry.resolve(TINY, models_dir))
        result = transcriber.transcribe(
            swedish_clip().audio, TranscribeOptions(beam_size=1, temperature=(0.0,))
        )
        assert result.model.sha256 == converted.provenance.model_sha256
        assert result.duration_s > 1.0

    def test_verify_rechecks_every_file(self, converted: Installed, models_dir: Path) -> None:
        """verify passes for the untouched converted model and covers all of its files."""
        prov = registry.verify(TINY, models_dir)
        assert set(prov.files) >= {"model.bin", "tokenizer.json", "preprocessor_config.json"}


class TestConvertRefuses:
    def test_a_checkpoint_that_is_not_whisper(self, tmp_path: Path, models_dir: Path) -> None:
        """A checkpoint whose config.json names another model type is refused by name."""
        from models.convert import convert_checkpoint

        src = tmp_path / "bert"
        src.mkdir()
        (src / "config.json").write_text(json.dumps({"model_type": "bert"}))
        (src / "model.safetensors").write_bytes(b"not used")
        with pytest.raises(ModelInvalid, match=r"not a Whisper checkpoint.*'bert'"):
            convert_checkpoint(src, models_dir, "bert")
        assert not (models_dir / "bert").exists()

    def test_a_directory_without_config(self, tmp_path: Path, models_dir: Path) -> None:
        """A directory with no config.json is not a Hugging Face checkpoint."""
        from models.convert import convert_checkpoint

        with pytest.raises(ModelInvalid, match=r"no config.json"):
            convert_checkpoint(tmp_path, models_dir, "empty")

    def test_a_checkpoint_without_tokenizer_offline(
        self, tiny_checkpoint: Path, tmp_path: Path, models_dir: Path
    ) -> None:
        """Without tokenizer.json conversion fails clearly and never tries the hub."""
        from models.convert import convert_checkpoint

        src = _copy_checkpoint(
            tiny_checkpoint,
            tmp_path / "no-tok",
            without=("tokenizer.json", "tokenizer_config.json"),
        )
        attempts: list[str] = []
        with no_network(attempts), pytest.raises(ModelInvalid, match=r"no tokenizer.json"):
            convert_checkpoint(src, models_dir, "no-tok")
        assert attempts == []
        assert not (models_dir / "no-tok").exists()

    def test_a_checkpoint_without_weights(
        self, tiny_checkpoint: Path, tmp_path: Path, models_dir: Path
    ) -> None:
        """A checkpoint missing its weights file is refused before anything is converted."""
        from models.convert import convert_checkpoint

        src = _copy_checkpoint(tiny_checkpoint, tmp_path / "w", without=("model.safetensors",))
        with pytest.raises(ModelInvalid, match="has no weights"):
            convert_checkpoint(src, models_dir, "no-weights")

    def test_a_ctranslate2_directory_points_to_add(
        self, converted: Installed, models_dir: Path
    ) -> None:
        """Giving convert an already converted model says to use `fredag models add`."""
        from models.convert import convert_checkpoint

        with pytest.raises(ModelInvalid, match="fredag models add"):
            convert_checkpoint(converted.path, models_dir, "again")

    def test_an_existing_name_without_force(
        self, converted: Installed, tiny_checkpoint: Path, models_dir: Path
    ) -> None:
        """Converting onto an installed name fails and leaves the installed model untouched."""
        from models.convert import convert_checkpoint

        before = sha256_file(converted.path / "provenance.json")
        with pytest.raises(ModelExists, match="--force"):
            convert_checkpoint(tiny_checkpoint, models_dir, TINY)
        assert sha256_file(converted.path / "provenance.json") == before

    def test_force_replaces_atomically(
        self, converted: Installed, tiny_checkpoint: Path, models_dir: Path
    ) -> None:
        """--force replaces an installed model with the new conversion and leaves no temp dirs."""
        from models.add import add_directory
        from models.convert import convert_checkpoint

        first = add_directory(converted.path, models_dir, "tiny-f32")
        second = convert_checkpoint(
            tiny_checkpoint, models_dir, "tiny-f32", quantization="float32", force=True
        )
        assert first.provenance.quantization == "int8"
        assert Provenance.load(models_dir / "tiny-f32").quantization == "float32"
        assert stored_weight_type(models_dir / "tiny-f32" / "model.bin") == "float32"
        assert second.provenance.model_sha256 != first.provenance.model_sha256
        assert _leftovers(models_dir) == []

    def test_an_unknown_quantization(self, tiny_checkpoint: Path, models_dir: Path) -> None:
        """A quantization CTranslate2 cannot use on the device is a usage error."""
        from models.convert import convert_checkpoint

        with pytest.raises(UsageError, match="int8, int8_float32, float16, float32"):
            convert_checkpoint(tiny_checkpoint, models_dir, "q", quantization="int4")

    def test_without_the_convert_extra(
        self, tiny_checkpoint: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without torch the error names the [convert] extra and nothing is installed."""
        from models.convert import convert_checkpoint

        monkeypatch.setitem(sys.modules, "torch", None)
        with pytest.raises(ExtraMissing, match=r"fredag\[convert\]"):
            convert_checkpoint(tiny_checkpoint, models_dir, "no-torch")
        assert not (models_dir / "no-torch").exists()
        assert _leftovers(models_dir) == []


class TestConvertCommand:
    def test_cli_converts_lists_and_verifies(self, tiny_checkpoint: Path, home: Path) -> None:
        """`fredag models convert` installs the model offline; list shows it and verify passes."""
        done = fredag("models", "convert", str(tiny_checkpoint), "--name", "cli-tiny")
        assert done.returncode == 0, done.stderr
        assert "loads and decodes" in done.stdout
        assert "license apache-2.0" in done.stdout
        listed = json.loads(fredag("models", "list", "--json").stdout)
        row = next(r for r in listed if r["name"] == "cli-tiny")
        assert row["installed"] and row["license"] == "apache-2.0" and row["quantization"] == "int8"
        assert "tokenizer.json" in row["files"]
        verified = fredag("models", "verify", "cli-tiny")
        assert verified.returncode == 0 and "cli-tiny: ok" in verified.stdout
        again = fredag("models", "convert", str(tiny_checkpoint), "--name", "cli-tiny")
        assert again.returncode == 3
        assert again.stderr.strip().splitlines() == [
            f"fredag: a model named 'cli-tiny' is already installed in {home / 'models'}; "
            "use --force to replace it"
        ]


class TestNetworkGuard:
    def test_the_guard_blocks_and_records_connections(self) -> None:
        """Inside no_network a TCP connection attempt raises and is recorded."""
        import socket

        attempts: list[str] = []
        with no_network(attempts), pytest.raises(AssertionError, match="network use"):
            socket.create_connection(("huggingface.co", 443), timeout=1)
        assert len(attempts) == 1


class TestFeatureConfig:
    def test_reads_preprocessor_or_processor_config(self, tmp_path: Path) -> None:
        """preprocessor_config.json wins; transformers 5's processor_config.json is a fallback."""
        from models.convert import feature_config

        assert feature_config(tmp_path, 128) == {"feature_size": 128}
        (tmp_path / "processor_config.json").write_text(
            json.dumps({"feature_extractor": {"feature_size": 80, "hop_length": 160}})
        )
        assert feature_config(tmp_path, 80) == {"feature_size": 80, "hop_length": 160}
        (tmp_path / "preprocessor_config.json").write_text(json.dumps({"feature_size": 128}))
        assert feature_config(tmp_path, 128)["feature_size"] == 128

    def test_refuses_a_mel_count_the_model_does_not_have(self, tmp_path: Path) -> None:
        """A checkpoint whose preprocessor and model disagree on mel bins is refused."""
        from models.convert import feature_config

        (tmp_path / "preprocessor_config.json").write_text(json.dumps({"feature_size": 80}))
        with pytest.raises(ModelInvalid, match="80 mel bins but the model has 128"):
            feature_config(tmp_path, 128)


@pytest.mark.slow
class TestRealWeights:
    def test_converted_whisper_base_hears_swedish_like_the_packaged_one(
        self, whisper_base: ResolvedModel, tmp_path: Path, models_dir: Path
    ) -> None:
        """whisper-base rebuilt as a transformers checkpoint converts to a model that hears
        the Swedish sentence as well as the packaged CTranslate2 whisper-base does."""
        from models.convert import convert_checkpoint

        src = whisper_base_as_transformers(whisper_base.path / "model.bin", tmp_path / "hf")
        clip = swedish_clip()
        attempts: list[str] = []
        with no_network(attempts):
            installed = convert_checkpoint(src, models_dir, "base-converted", quantization="int8")
        converted = check_loads(installed.path, clip=clip)
        packaged = check_loads(whisper_base.path, clip=clip)
        assert attempts == []
        assert installed.provenance.license == "mit"
        assert clip.reference is not None
        assert wer(clip.reference, converted.heard) <= 0.5
        assert wer(clip.reference, converted.heard) <= wer(clip.reference, packaged.heard) + 0.2
