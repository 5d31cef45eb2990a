"""Rebuild a Hugging Face transformers checkpoint of whisper-base from the packaged CTranslate2
`model.bin`, so conversion can be tested on real weights without any download.

This is the CTranslate2 converter run backwards: fused q/k/v projections are split again, the
key projection (which has no bias in transformers) gets its zero bias dropped, and names map
back to `WhisperForConditionalGeneration`'s state dict. Weights stay float16, like the
checkpoints KBLab publishes.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from tests.models.tiny_whisper import ct2_config, multilingual_config, save_checkpoint

_DTYPES: dict[int, Any] = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


def read_ct2(model_bin: Path) -> dict[str, np.ndarray]:
    """Every variable of a CTranslate2 model.bin (format version 6) as a numpy array."""

    def num(fh: BinaryIO, fmt: str) -> int:
        value: int = struct.unpack(fmt, fh.read(struct.calcsize(fmt)))[0]
        return value

    def text(fh: BinaryIO) -> str:
        return fh.read(num(fh, "<H"))[:-1].decode()

    out: dict[str, np.ndarray] = {}
    with model_bin.open("rb") as fh:
        assert num(fh, "<I") == 6
        text(fh)
        num(fh, "<I")
        for _ in range(num(fh, "<I")):
            name = text(fh)
            shape = [num(fh, "<I") for _ in range(num(fh, "<B"))]
            dtype = _DTYPES[num(fh, "<B")]
            out[name] = np.frombuffer(fh.read(num(fh, "<I")), dtype=dtype).reshape(shape)
    return out


def _state_dict(ct2: dict[str, np.ndarray], layers: int) -> dict[str, np.ndarray]:
    sd: dict[str, np.ndarray] = {}

    def linear(dst: str, src: str, *, bias: bool = True) -> None:
        sd[f"{dst}.weight"] = ct2[f"{src}/weight"]
        if bias:
            sd[f"{dst}.bias"] = ct2[f"{src}/bias"]

    def norm(dst: str, src: str) -> None:
        sd[f"{dst}.weight"] = ct2[f"{src}/gamma"]
        sd[f"{dst}.bias"] = ct2[f"{src}/beta"]

    def split(dst: str, src: str, names: tuple[str, ...]) -> None:
        weights = np.split(ct2[f"{src}/weight"], len(names))
        biases = np.split(ct2[f"{src}/bias"], len(names))
        for name, w, b in zip(names, weights, biases, strict=True):
            sd[f"{dst}.{name}.weight"] = w
            if name != "k_proj":
                sd[f"{dst}.{name}.bias"] = b

    for part in ("encoder", "decoder"):
        sd[f"model.{part}.embed_positions.weight"] = ct2[f"{part}/position_encodings/encodings"]
        norm(f"model.{part}.layer_norm", f"{part}/layer_norm")
        for i in range(layers):
            hf, c = f"model.{part}.layers.{i}", f"{part}/layer_{i}"
            split(f"{hf}.self_attn", f"{c}/self_attention/linear_0", ("q_proj", "k_proj", "v_proj"))
            linear(f"{hf}.self_attn.out_proj", f"{c}/self_attention/linear_1")
            norm(f"{hf}.self_attn_layer_norm", f"{c}/self_attention/layer_norm")
            linear(f"{hf}.fc1", f"{c}/ffn/linear_0")
            linear(f"{hf}.fc2", f"{c}/ffn/linear_1")
            norm(f"{hf}.final_layer_norm", f"{c}/ffn/layer_norm")
            if part == "decoder":
                linear(f"{hf}.encoder_attn.q_proj", f"{c}/attention/linear_0")
                split(f"{hf}.encoder_attn", f"{c}/attention/linear_1", ("k_proj", "v_proj"))
                linear(f"{hf}.encoder_attn.out_proj", f"{c}/attention/linear_2")
                norm(f"{hf}.encoder_attn_layer_norm", f"{c}/attention/layer_norm")
    for conv in ("conv1", "conv2"):
        linear(f"model.encoder.{conv}", f"encoder/{conv}")
    sd["model.decoder.embed_tokens.weight"] = ct2["decoder/embeddings/weight"]
    sd["proj_out.weight"] = ct2["decoder/embeddings/weight"]
    return sd


def whisper_base_as_transformers(model_bin: Path, out: Path) -> Path:
    """Write whisper-base as a float16 transformers checkpoint (with tokenizer) to `out`."""
    import torch
    from transformers import WhisperForConditionalGeneration

    config = multilingual_config(
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=8,
        decoder_attention_heads=8,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
        dtype="float16",
    )
    with torch.device("meta"):  # no random initialisation: every weight is assigned below
        model = WhisperForConditionalGeneration(config)
    arrays = _state_dict(read_ct2(model_bin), 6)
    state = {k: torch.from_numpy(v.copy()) for k, v in arrays.items()}
    missing, unexpected = model.load_state_dict(state, strict=False, assign=True)
    assert not unexpected and not missing, (missing, unexpected)
    model.tie_weights()
    return save_checkpoint(
        model,
        out,
        alignment_heads=ct2_config()["alignment_heads"],
        card="---\nlicense: mit\n---\n# whisper-base, rebuilt for tests\n",
    )
