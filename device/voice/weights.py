"""Reading the speaker encoder's weights from the installed `resemblyzer` wheel, without torch.

The `resemblyzer` package (PyPI, Apache-2.0) ships `pretrained.pt`, a GE2E speaker encoder (a
3-layer LSTM over 40 mel bands and a linear projection to 256 dimensions), saved with torch's
legacy (pre-zip) serialization. Importing `resemblyzer` would import torch, librosa and
webrtcvad; the device needs none of them. So the package is installed without its
dependencies, located with `importlib.util.find_spec` (which does not run it), and the file is
read here by a restricted unpickler that knows only the handful of names a tensor checkpoint
uses. Nothing is ever downloaded: a missing package is `ModelPackageMissing`.

Legacy format: five pickles (magic number, protocol version, system info, the checkpoint whose
tensors point at storages by key, the list of storage keys), then each storage's raw bytes in
that order, each preceded by its element count as a little-endian int64.
"""

from __future__ import annotations

import hashlib
import importlib.util
import pickle
import struct
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from fredag.errors import ModelCorrupt, ModelPackageMissing

PACKAGE = "resemblyzer"
WEIGHTS_FILE = "pretrained.pt"
# resemblyzer 0.1.4's pretrained.pt; a different file is refused rather than half-trusted.
WEIGHTS_SHA256 = "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"
LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_DTYPES: dict[str, tuple[type[np.generic], int]] = {
    "FloatStorage": (np.float32, 4),
    "DoubleStorage": (np.float64, 8),
    "LongStorage": (np.int64, 8),
    "IntStorage": (np.int32, 4),
}
Array = npt.NDArray[np.float32]


def weights_path() -> Path:
    """Where the installed package keeps the weights; `ModelPackageMissing` if it is not there."""
    spec = importlib.util.find_spec(PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / WEIGHTS_FILE
        if path.is_file():
            return path
    raise ModelPackageMissing(
        "the speaker model is not installed: it ships in the PyPI package resemblyzer==0.1.4 "
        "(install it without its dependencies: pip install --no-deps resemblyzer==0.1.4, as "
        "scripts/bootstrap.sh does); Fredag never downloads a model at run time"
    )


@dataclass
class _Storage:
    kind: str
    key: str
    size: int
    data: npt.NDArray[Any] | None = None


@dataclass
class _Tensor:
    storage: _Storage
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]

    def array(self) -> npt.NDArray[Any]:
        assert self.storage.data is not None
        base = self.storage.data[self.offset :]
        itemsize = base.itemsize
        view = np.lib.stride_tricks.as_strided(
            base, shape=self.shape, strides=tuple(s * itemsize for s in self.stride)
        )
        return np.array(view)


class _StorageType:
    def __init__(self, name: str) -> None:
        self.name = name


def _rebuild_tensor_v2(
    storage: _Storage, offset: int, shape: tuple[int, ...], stride: tuple[int, ...], *_: Any
) -> _Tensor:
    return _Tensor(storage, offset, tuple(shape), tuple(stride))


def _rebuild_parameter(tensor: _Tensor, *_: Any) -> _Tensor:
    return tensor


class _Unpickler(pickle.Unpickler):
    """Knows tensors, storages and ordered dicts; refuses every other global (no code runs)."""

    def __init__(self, file: IO[bytes], storages: dict[str, _Storage]) -> None:
        super().__init__(file, encoding="latin1")
        self.storages = storages

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("collections", "OrderedDict"):
            return OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor_v2
        if (module, name) == ("torch._utils", "_rebuild_parameter"):
            return _rebuild_parameter
        if module == "torch" and name in _DTYPES:
            return _StorageType(name)
        raise pickle.UnpicklingError(f"unexpected object in the weights: {module}.{name}")

    def persistent_load(self, pid: Any) -> _Storage:
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError("unexpected persistent id in the weights")
        _, kind, key, _location, size, view = pid
        if view is not None:
            raise pickle.UnpicklingError("storage views are not supported")
        if key not in self.storages:
            self.storages[key] = _Storage(kind.name, key, int(size))
        return self.storages[key]


def _load_legacy(file: IO[bytes]) -> dict[str, Any]:
    storages: dict[str, _Storage] = {}
    if _Unpickler(file, storages).load() != LEGACY_MAGIC:
        raise ValueError("not a legacy torch checkpoint")
    _Unpickler(file, storages).load()  # protocol version
    _Unpickler(file, storages).load()  # system info
    checkpoint = _Unpickler(file, storages).load()
    keys = _Unpickler(file, storages).load()
    for key in keys:
        storage = storages[key]
        dtype, itemsize = _DTYPES[storage.kind]
        (count,) = struct.unpack("<q", file.read(8))
        raw = file.read(count * itemsize)
        if len(raw) != count * itemsize:
            raise ValueError("the weights file is truncated")
        storage.data = np.frombuffer(raw, dtype=dtype)
    if not isinstance(checkpoint, dict):
        raise ValueError("the checkpoint is not a dictionary")
    return checkpoint


def load_state(path: Path | None = None) -> tuple[dict[str, Array], str]:
    """The model's weights as float32 arrays by name, and the file's sha256."""
    path = path or weights_path()
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        import io

        checkpoint = _load_legacy(io.BytesIO(data))
        state = checkpoint["model_state"]
        arrays = {name: t.array().astype(np.float32) for name, t in state.items()}
    except (pickle.UnpicklingError, ValueError, KeyError, EOFError, struct.error) as exc:
        raise ModelCorrupt(f"the speaker model at {path} cannot be read ({exc})") from exc
    return arrays, digest
