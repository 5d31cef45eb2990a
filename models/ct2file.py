"""Reading the header of a CTranslate2 `model.bin` without loading it: which type the weights
are stored in (the quantization a model was converted with), and whether the file is whole.
"""

from __future__ import annotations

import struct
from collections import Counter
from pathlib import Path
from typing import BinaryIO

from fredag.errors import ModelInvalid

# Order of include/ctranslate2/types.h (ctranslate2.specs.model_spec._dtype_to_type_id).
_DTYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")
_KNOWN_VERSIONS = (5, 6)


def _read(fh: BinaryIO, fmt: str) -> int:
    size = struct.calcsize(fmt)
    data = fh.read(size)
    if len(data) != size:
        raise EOFError
    value: int = struct.unpack(fmt, data)[0]
    return value


def _skip_string(fh: BinaryIO) -> None:
    length = _read(fh, "<H")
    fh.seek(length, 1)  # the UTF-8 text and its NUL terminator


def stored_weight_type(model_bin: Path) -> str:
    """The type that holds most of the bytes of `model_bin`: "int8", "float16", "float32", ...

    Raises ModelInvalid when the file is truncated or is not a CTranslate2 model; returns
    "unknown" for a binary format version this reader does not know.
    """
    size = model_bin.stat().st_size
    by_type: Counter[str] = Counter()
    try:
        with model_bin.open("rb") as fh:
            version = _read(fh, "<I")
            if version not in _KNOWN_VERSIONS:
                return "unknown"
            _skip_string(fh)  # spec name
            _read(fh, "<I")  # spec revision
            for _ in range(_read(fh, "<I")):
                _skip_string(fh)
                fh.seek(4 * _read(fh, "<B"), 1)  # the shape
                type_id = _read(fh, "<B")
                nbytes = _read(fh, "<I")
                if type_id >= len(_DTYPES) or fh.tell() + nbytes > size:
                    raise EOFError
                by_type[_DTYPES[type_id]] += nbytes
                fh.seek(nbytes, 1)
    except EOFError:
        raise ModelInvalid(
            f"{model_bin} is truncated or corrupt (not a whole CTranslate2 model)"
        ) from None
    if not by_type:
        raise ModelInvalid(f"{model_bin} holds no weights")
    return by_type.most_common(1)[0][0]
