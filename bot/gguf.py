"""Read the key/value metadata at the head of a GGUF file (enough to confirm which model it is)."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, BinaryIO

# GGUF value types -> struct format of scalars (8 = string, 9 = array are handled apart).
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


class GGUFError(ValueError):
    pass


def _read(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise GGUFError("truncated GGUF header")
    return data


def _string(f: BinaryIO) -> str:
    (n,) = struct.unpack("<Q", _read(f, 8))
    if n > 1 << 24:
        raise GGUFError("implausible string length in GGUF header")
    return _read(f, n).decode("utf-8", "replace")


def _value(f: BinaryIO, vtype: int, keep: bool) -> Any:
    if vtype in _SCALARS:
        fmt = _SCALARS[vtype]
        return struct.unpack(fmt, _read(f, struct.calcsize(fmt)))[0]
    if vtype == 8:
        return _string(f)
    if vtype == 9:
        (itype,) = struct.unpack("<I", _read(f, 4))
        (count,) = struct.unpack("<Q", _read(f, 8))
        if itype in _SCALARS:  # skip numeric arrays (token types, scores) without decoding them
            f.seek(count * struct.calcsize(_SCALARS[itype]), 1)
            return count
        items = [_value(f, itype, keep) for _ in range(count)]
        return items if keep else count
    raise GGUFError(f"unknown GGUF value type {vtype}")


def read_metadata(path: Path) -> dict[str, Any]:
    """Metadata of a GGUF file; arrays are replaced by their length (tokenizer vocabularies are large)."""
    with open(path, "rb") as f:
        if _read(f, 4) != b"GGUF":
            raise GGUFError(f"{path} is not a GGUF file (bad magic bytes)")
        version, _tensors, kv_count = struct.unpack("<IQQ", _read(f, 20))
        if version < 2:
            raise GGUFError(f"{path}: GGUF version {version} is too old")
        meta: dict[str, Any] = {"gguf.version": version}
        for _ in range(kv_count):
            key = _string(f)
            (vtype,) = struct.unpack("<I", _read(f, 4))
            meta[key] = _value(f, vtype, keep=False)
        return meta
