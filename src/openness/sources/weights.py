"""Header-only readers for weight files: safetensors, GGUF and safetensors shard indexes.

Weights are never loaded or executed. A safetensors file is read as its 8-byte length and
JSON header; a GGUF file as its key/value metadata and tensor infos; pickle-based files
(``.bin``, ``.pt``, ...) are never opened at all. Every length read from a file is checked
against the file size and a fixed cap *before* anything is read, so the work done does not
grow with the size of the weights. Nothing here raises on bad input: a file that cannot be
read gives a :class:`~openness.evidence.WeightFile` whose ``problem`` says why, in one line.
"""

from __future__ import annotations

import json
import math
import stat
import struct
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Literal, TypeGuard

from openness.evidence import WeightFile

WeightFormat = Literal["safetensors", "gguf", "pickle", "other"]

MAX_SAFETENSORS_HEADER = 100_000_000
"""Largest safetensors JSON header accepted (the format's own limit)."""

MAX_INDEX_BYTES = 50 * 1024 * 1024
"""Largest ``model.safetensors.index.json`` read."""

MAX_GGUF_STRING = 64 * 1024
"""Longest GGUF key or tensor name read; longer string *values* are skipped and summarised."""

MAX_GGUF_KV = 100_000
"""Most key/value pairs a GGUF header may claim."""

MAX_GGUF_TENSORS = 1_000_000
"""Most tensors a GGUF header may claim."""

MAX_GGUF_ARRAY_ITEMS = 4_000_000
"""Most string or nested-array elements walked (not stored) across all GGUF arrays."""

MAX_GGUF_DIMS = 8
"""Most dimensions a GGUF tensor may have (ggml itself uses at most 4)."""

MAX_GGUF_NESTING = 4
"""Deepest nesting of GGUF arrays inside arrays."""

_FORMATS_BY_SUFFIX: dict[str, WeightFormat] = {
    ".safetensors": "safetensors",
    ".gguf": "gguf",
    ".bin": "pickle",
    ".pt": "pickle",
    ".pth": "pickle",
    ".ckpt": "pickle",
    ".pkl": "pickle",
    ".onnx": "other",
    ".h5": "other",
    ".msgpack": "other",
    ".tflite": "other",
    ".mlmodel": "other",
}

_LFS_POINTER = b"version https://git-lfs.github.com/spec/"

# Bytes per element of safetensors dtypes whose size is a whole number of bytes.
_SAFETENSORS_ITEMSIZE = {
    "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1,
    "U16": 2, "I16": 2, "F16": 2, "BF16": 2,
    "U32": 4, "I32": 4, "F32": 4,
    "U64": 8, "I64": 8, "F64": 8, "C64": 8,
}  # fmt: skip

# ggml tensor types: id -> (name, elements per block, bytes per block).
_GGML_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20),
    6: ("Q5_0", 32, 22), 7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 40),
    10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110), 12: ("Q4_K", 256, 144),
    13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292),
    16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98),
    19: ("IQ1_S", 256, 50), 20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110),
    22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136), 24: ("I8", 1, 1), 25: ("I16", 1, 2),
    26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8), 29: ("IQ1_M", 256, 56),
    30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54), 35: ("TQ2_0", 256, 66),
    39: ("MXFP4", 32, 17), 40: ("NVFP4", 64, 36), 41: ("Q1_0", 128, 18),
}  # fmt: skip

# GGUF metadata value types: id -> (name, struct format) for fixed-size scalars.
_GGUF_SCALARS: dict[int, tuple[str, struct.Struct]] = {
    0: ("uint8", struct.Struct("<B")), 1: ("int8", struct.Struct("<b")),
    2: ("uint16", struct.Struct("<H")), 3: ("int16", struct.Struct("<h")),
    4: ("uint32", struct.Struct("<I")), 5: ("int32", struct.Struct("<i")),
    6: ("float32", struct.Struct("<f")), 7: ("bool", struct.Struct("<?")),
    10: ("uint64", struct.Struct("<Q")), 11: ("int64", struct.Struct("<q")),
    12: ("float64", struct.Struct("<d")),
}  # fmt: skip
_GGUF_STRING = 8
_GGUF_ARRAY = 9
_GGUF_UINT32 = 4
_GGUF_ALIGNMENT_KEY = "general.alignment"
_GGUF_DEFAULT_ALIGNMENT = 32
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_F32 = struct.Struct("<f")


class _Unreadable(Exception):
    """A weight file or index cannot be read; the message is the one-line problem."""


def classify_weight_file(name: str) -> WeightFormat | None:
    """Say which weight format a file name denotes, or None if it is not a weight file.

    ``*.safetensors`` and ``*.gguf`` are read as headers; ``*.bin``, ``*.pt``, ``*.pth``,
    ``*.ckpt`` and ``*.pkl`` are pickle-based and are never opened; ``*.onnx``, ``*.h5``,
    ``*.msgpack``, ``*.tflite`` and ``*.mlmodel`` are "other". The name may be a relative
    path; only its last part counts, and case is ignored.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return _FORMATS_BY_SUFFIX.get(PurePosixPath(base).suffix.lower())


def read_weight_file(path: Path, rel: str) -> WeightFile:
    """Read what can safely be read of the weight file at ``path``, shown as ``rel``.

    Safetensors and GGUF files are read as headers. Pickle-based and other files are only
    stat-ed: their size is reported and their content never touched. A name that
    :func:`classify_weight_file` does not recognise is treated as "other".
    """
    kind = classify_weight_file(rel) or "other"
    if kind == "safetensors":
        return read_safetensors_header(path, rel)
    if kind == "gguf":
        return read_gguf_metadata(path, rel)
    try:
        size = _regular_file_size(path)
    except _Unreadable as error:
        return WeightFile(rel, kind, 0, problem=str(error))
    except OSError as error:
        return WeightFile(rel, kind, 0, problem=_os_problem(error))
    return WeightFile(rel, kind, size)


# --- safetensors -------------------------------------------------------------------------


def read_safetensors_header(path: Path, rel: str) -> WeightFile:
    """Read the JSON header of a safetensors file, checking it against the file size.

    Only the 8-byte header length and the header itself are read. The result counts the
    tensors and their elements (``parameter_count``), lists the distinct dtypes and the
    ``__metadata__`` pairs, sorted. A header that is malformed or inconsistent with the
    file gives counts of None and a one-line ``problem``.
    """
    size = 0
    try:
        size = _regular_file_size(path)
        with path.open("rb") as handle:
            return read_safetensors_stream(handle, size, rel)
    except _Unreadable as error:
        return WeightFile(rel, "safetensors", size, problem=str(error))
    except OSError as error:
        return WeightFile(rel, "safetensors", size, problem=_os_problem(error))


def read_safetensors_stream(handle: BinaryIO, size: int, rel: str) -> WeightFile:
    """:func:`read_safetensors_header` over an open binary stream of ``size`` bytes.

    The stream may be remote (HTTP range requests): only the bytes of the header are read.
    An ``OSError`` of the stream becomes the result's ``problem``.
    """
    try:
        raw = _safetensors_header_bytes(handle, size)
        header = _json_object(raw, "header", encoding="utf-8")
        return _summarise_safetensors(header, rel, size, data_size=size - 8 - len(raw))
    except _Unreadable as error:
        return WeightFile(rel, "safetensors", size, problem=str(error))
    except OSError as error:
        return WeightFile(rel, "safetensors", size, problem=_os_problem(error))


def _safetensors_header_bytes(handle: BinaryIO, size: int) -> bytes:
    """Read the header length and exactly that many header bytes, after bounds checks."""
    if size < 8:
        raise _Unreadable(f"file is {size} bytes, too short for a safetensors header")
    start = handle.read(len(_LFS_POINTER))
    if start == _LFS_POINTER:
        raise _Unreadable("Git LFS pointer file, not the weights themselves")
    if len(start) < 8:
        raise _Unreadable("file ended while reading the header length")
    (length,) = _U64.unpack(start[:8])
    if length < 2:
        raise _Unreadable(f"header length {length} is too small for a JSON object")
    if length > size - 8:
        raise _Unreadable(f"header length {length} exceeds file size {size}")
    if length > MAX_SAFETENSORS_HEADER:
        raise _Unreadable(
            f"header length {length} exceeds the safetensors limit of {MAX_SAFETENSORS_HEADER}"
        )
    handle.seek(8)
    raw = handle.read(length)
    if len(raw) != length:
        raise _Unreadable(f"file ended after {len(raw)} of {length} header bytes")
    return raw


def _summarise_safetensors(
    header: dict[str, Any], rel: str, size: int, data_size: int
) -> WeightFile:
    """Check every tensor entry against the ``data_size`` bytes after the header; count."""
    metadata: tuple[tuple[str, str], ...] = ()
    parameters = 0
    dtypes: set[str] = set()
    tensors = 0
    for name, entry in header.items():
        if name == "__metadata__":
            metadata = _string_pairs(entry)
            continue
        where = f"tensor {_show(name)}"
        if not isinstance(entry, dict):
            raise _Unreadable(f"{where}: entry is not a JSON object")
        dtype = entry.get("dtype")
        shape = entry.get("shape")
        offsets = entry.get("data_offsets")
        if not isinstance(dtype, str):
            raise _Unreadable(f"{where}: dtype is missing or not a string")
        if not _is_count_list(shape):
            raise _Unreadable(f"{where}: shape is not a list of non-negative integers")
        if not (_is_count_list(offsets) and len(offsets) == 2):
            raise _Unreadable(f"{where}: data_offsets is not a pair of non-negative integers")
        begin, end = offsets
        if begin > end:
            raise _Unreadable(f"{where}: data_offsets [{begin}, {end}] run backwards")
        if end > data_size:
            raise _Unreadable(
                f"{where}: data_offsets end {end} is beyond the {data_size} bytes of tensor data"
            )
        # No dtype packs more than one element per bit, which bounds the product early.
        elements = _bounded_product(shape, limit=8 * (end - begin))
        if elements is None:
            raise _Unreadable(f"{where}: shape has more elements than {end - begin} bytes hold")
        itemsize = _SAFETENSORS_ITEMSIZE.get(dtype)
        if itemsize is not None and elements * itemsize != end - begin:
            raise _Unreadable(
                f"{where}: {end - begin} bytes of data but {elements} {dtype} elements "
                f"need {elements * itemsize}"
            )
        tensors += 1
        parameters += elements
        dtypes.add(dtype)
    return WeightFile(
        rel,
        "safetensors",
        size,
        tensor_count=tensors,
        parameter_count=parameters,
        dtypes=tuple(sorted(dtypes)),
        metadata=metadata,
    )


def _string_pairs(entry: object) -> tuple[tuple[str, str], ...]:
    """Turn ``__metadata__`` into sorted pairs; it must map strings to strings."""
    if not isinstance(entry, dict):
        raise _Unreadable("__metadata__ is not a JSON object")
    for key, value in entry.items():
        if not isinstance(value, str):
            raise _Unreadable(f"__metadata__ value of {_show(key)} is not a string")
    return tuple(sorted(entry.items()))


def _is_count_list(value: object) -> TypeGuard[list[int]]:
    """True for a list of non-negative integers (booleans excluded)."""
    return isinstance(value, list) and all(
        isinstance(item, int) and not isinstance(item, bool) and item >= 0 for item in value
    )


def _bounded_product(factors: list[int], limit: int) -> int | None:
    """The product of non-negative ``factors``, or None as soon as it exceeds ``limit``."""
    if 0 in factors:
        return 0
    product = 1
    for factor in factors:
        product *= factor
        if product > limit:
            return None
    return product


# --- safetensors index -------------------------------------------------------------------


def read_safetensors_index(
    path: Path, rel: str
) -> tuple[dict[str, str] | None, int | None, str | None]:
    """Read ``model.safetensors.index.json``: (weight_map, metadata.total_size, problem).

    ``weight_map`` maps tensor names to shard file names as written in the file (they are
    not checked as paths). A missing ``total_size`` is None without a problem. Whatever
    parsed cleanly is returned alongside a problem. ``rel`` is the path shown in reports;
    messages do not repeat it. Files over :data:`MAX_INDEX_BYTES` are not read.
    """
    del rel  # messages are attached to the file by the caller
    try:
        size = _regular_file_size(path)
        if size > MAX_INDEX_BYTES:
            raise _Unreadable(f"index is {size} bytes, over the {MAX_INDEX_BYTES} byte limit")
        with path.open("rb") as handle:
            raw = handle.read(MAX_INDEX_BYTES + 1)
        if len(raw) > MAX_INDEX_BYTES:
            raise _Unreadable(f"index grew past the {MAX_INDEX_BYTES} byte limit while read")
        index = _json_object(raw, "index", encoding="utf-8-sig")
    except _Unreadable as error:
        return None, None, str(error)
    except OSError as error:
        return None, None, _os_problem(error)

    problems: list[str] = []
    weight_map: dict[str, str] | None = None
    raw_map = index.get("weight_map")
    if not isinstance(raw_map, dict):
        problems.append("weight_map is missing or not a JSON object")
    elif not all(isinstance(shard, str) for shard in raw_map.values()):
        problems.append("weight_map has a shard name that is not a string")
    else:
        weight_map = dict(raw_map)

    total: int | None = None
    metadata = index.get("metadata", {})
    raw_total = metadata.get("total_size") if isinstance(metadata, dict) else None
    if not isinstance(metadata, dict):
        problems.append("metadata is not a JSON object")
    elif raw_total is None:
        pass
    elif isinstance(raw_total, bool) or not isinstance(raw_total, int | float):
        problems.append("metadata.total_size is not a number")
    elif isinstance(raw_total, float) and not (raw_total.is_integer() and raw_total >= 0):
        problems.append(f"metadata.total_size {raw_total} is not a whole number of bytes")
    elif raw_total < 0:
        problems.append(f"metadata.total_size {raw_total} is negative")
    else:
        total = int(raw_total)
    return weight_map, total, "; ".join(problems) or None


# --- GGUF --------------------------------------------------------------------------------


def read_gguf_metadata(path: Path, rel: str) -> WeightFile:
    """Read the metadata and tensor infos of a GGUF file (versions 2 and 3, little-endian).

    Scalar and string metadata values are kept as text; arrays are summarised, e.g.
    ``"[array of 32000 str]"``, and string values over :data:`MAX_GGUF_STRING` bytes as
    ``"[string of N bytes]"``. Tensor infos give ``tensor_count``, ``parameter_count`` and
    the ggml type names as ``dtypes``; each tensor's data must lie inside the file. On a
    problem the counts are None; metadata pairs read before it are kept.
    """
    size = 0
    try:
        size = _regular_file_size(path)
        with path.open("rb") as handle:
            return read_gguf_stream(handle, size, rel)
    except _Unreadable as error:
        return WeightFile(rel, "gguf", size, problem=str(error))
    except OSError as error:
        return WeightFile(rel, "gguf", size, problem=_os_problem(error))


def read_gguf_stream(handle: BinaryIO, size: int, rel: str) -> WeightFile:
    """:func:`read_gguf_metadata` over an open binary stream of ``size`` bytes (local or remote)."""
    pairs: list[tuple[str, str]] = []
    try:
        tensors, parameters, dtypes = _read_gguf(_Cursor(handle, size), pairs)
    except _Unreadable as error:
        problem = str(error)
    except OSError as error:
        problem = _os_problem(error)
    else:
        return WeightFile(
            rel,
            "gguf",
            size,
            tensor_count=tensors,
            parameter_count=parameters,
            dtypes=dtypes,
            metadata=tuple(sorted(pairs)),
        )
    return WeightFile(rel, "gguf", size, metadata=tuple(sorted(pairs)), problem=problem)


class _Cursor:
    """Reads a file front to back; every length is checked against what is left first."""

    _WINDOW = 256 * 1024

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._handle = handle
        self.size = size
        self.pos = 0
        self._window = b""
        self._window_start = 0

    def left(self) -> int:
        """Bytes between the current position and the end of the file."""
        return self.size - self.pos

    def skip(self, count: int, what: str) -> None:
        """Move past ``count`` bytes without reading them."""
        if count > self.size - self.pos:
            raise _Unreadable(
                f"{what} at offset {self.pos} needs {count} bytes, "
                f"but only {self.size - self.pos} are left"
            )
        self.pos += count

    def take(self, count: int, what: str) -> bytes:
        """Read ``count`` bytes (callers keep ``count`` small: at most a string cap)."""
        start = self.pos - self._window_start
        self.skip(count, what)
        if start + count > len(self._window):
            self._handle.seek(self.pos - count)
            self._window = self._handle.read(max(count, self._WINDOW))
            self._window_start = self.pos - count
            start = 0
            if len(self._window) < count:
                raise _Unreadable(f"file ended early while reading {what}")
        return self._window[start : start + count]

    def u32(self, what: str) -> int:
        """Read a little-endian unsigned 32-bit integer."""
        value: int = _U32.unpack(self.take(4, what))[0]
        return value

    def u64(self, what: str) -> int:
        """Read a little-endian unsigned 64-bit integer."""
        value: int = _U64.unpack(self.take(8, what))[0]
        return value


def _read_gguf(cursor: _Cursor, pairs: list[tuple[str, str]]) -> tuple[int, int, tuple[str, ...]]:
    """Parse header, metadata (appended to ``pairs``) and tensor infos; check data extents."""
    if cursor.size < 24:  # magic, version, tensor count, key/value count
        raise _Unreadable(f"file is {cursor.size} bytes, too short for a GGUF header")
    magic = cursor.take(4, "magic")
    if magic != b"GGUF":
        rest = cursor.take(min(cursor.left(), len(_LFS_POINTER) - 4), "magic")
        if magic + rest == _LFS_POINTER:
            raise _Unreadable("Git LFS pointer file, not the weights themselves")
        raise _Unreadable(f"not a GGUF file (starts with {magic!r})")
    version = cursor.u32("version")
    if version not in (2, 3):
        if int.from_bytes(_U32.pack(version), "big") in (2, 3):
            raise _Unreadable("big-endian GGUF files are not supported")
        raise _Unreadable(f"unsupported GGUF version {version} (only 2 and 3 are read)")
    tensor_count = cursor.u64("tensor count")
    kv_count = cursor.u64("key/value count")
    if tensor_count > MAX_GGUF_TENSORS:
        raise _Unreadable(f"claims {tensor_count} tensors (limit {MAX_GGUF_TENSORS})")
    if kv_count > MAX_GGUF_KV:
        raise _Unreadable(f"claims {kv_count} key/value pairs (limit {MAX_GGUF_KV})")

    budget = _Budget(MAX_GGUF_ARRAY_ITEMS)
    alignment = _GGUF_DEFAULT_ALIGNMENT
    seen: set[str] = set()
    for number in range(kv_count):
        key = _gguf_name(cursor, f"key {number}")
        if key in seen:
            raise _Unreadable(f"key {_show(key)} appears twice")
        seen.add(key)
        value_type = cursor.u32(f"type of {_show(key)}")
        if key == _GGUF_ALIGNMENT_KEY:
            if value_type != _GGUF_UINT32:
                raise _Unreadable(f"{_GGUF_ALIGNMENT_KEY} has value type {value_type}, not uint32")
            alignment = cursor.u32(_GGUF_ALIGNMENT_KEY)
            if alignment == 0 or alignment & (alignment - 1):
                raise _Unreadable(f"{_GGUF_ALIGNMENT_KEY} {alignment} is not a power of two")
            text = str(alignment)
        else:
            text = _gguf_value(cursor, value_type, f"value of {_show(key)}", budget)
        pairs.append((key, text))

    if tensor_count > cursor.left() // 24:  # smallest tensor info: 8 + 4 + 4 + 8 bytes
        raise _Unreadable(f"claims {tensor_count} tensors but only {cursor.left()} bytes are left")
    parameters = 0
    dtypes: set[str] = set()
    extents: list[tuple[str, int, int]] = []
    for number in range(tensor_count):
        name = _gguf_name(cursor, f"name of tensor {number}")
        where = f"tensor {_show(name)}"
        n_dims = cursor.u32(f"{where}: dimension count")
        if n_dims > MAX_GGUF_DIMS:
            raise _Unreadable(f"{where}: {n_dims} dimensions (limit {MAX_GGUF_DIMS})")
        elements = math.prod(cursor.u64(f"{where}: dimension") for _ in range(n_dims))
        type_id = cursor.u32(f"{where}: type")
        offset = cursor.u64(f"{where}: data offset")
        parameters += elements
        type_name, block, block_bytes = _GGML_TYPES.get(type_id, (f"type {type_id}", 0, 0))
        dtypes.add(type_name)
        if block:
            if elements % block:
                raise _Unreadable(
                    f"{where}: {elements} elements is not a whole number of {type_name} blocks"
                )
            extents.append((where, offset, offset + elements // block * block_bytes))

    data_start = -(-cursor.pos // alignment) * alignment
    data_size = max(cursor.size - data_start, 0)
    for where, begin, end in extents:
        if end > data_size:
            raise _Unreadable(
                f"{where}: data [{begin}, {end}) runs past the end of the file "
                f"({data_size} bytes of tensor data)"
            )
    return tensor_count, parameters, tuple(sorted(dtypes))


class _Budget:
    """Caps the total number of variable-size array elements walked in one file."""

    def __init__(self, items: int) -> None:
        self.items = items

    def spend(self, count: int, what: str) -> None:
        """Account for ``count`` more elements, or fail if the cap would be passed."""
        if count > self.items:
            raise _Unreadable(
                f"{what}: arrays hold more than {MAX_GGUF_ARRAY_ITEMS} strings or arrays in all"
            )
        self.items -= count


def _gguf_name(cursor: _Cursor, what: str) -> str:
    """Read a key or tensor name: a u64 length (at most :data:`MAX_GGUF_STRING`) and bytes."""
    length = cursor.u64(f"{what}: length")
    if length > MAX_GGUF_STRING:
        raise _Unreadable(f"{what}: length {length} is over the {MAX_GGUF_STRING} byte limit")
    return cursor.take(length, what).decode("utf-8", errors="replace")


def _gguf_value(cursor: _Cursor, value_type: int, what: str, budget: _Budget) -> str:
    """Read one metadata value as text; arrays and over-long strings are summarised."""
    scalar = _GGUF_SCALARS.get(value_type)
    if scalar is not None:
        name, layout = scalar
        value = layout.unpack(cursor.take(layout.size, what))[0]
        if name == "bool":
            return "true" if value else "false"
        if name == "float32":
            return _float32_text(value)
        return repr(value) if name == "float64" else str(value)
    if value_type == _GGUF_STRING:
        length = cursor.u64(f"{what}: length")
        if length > MAX_GGUF_STRING:
            cursor.skip(length, what)
            return f"[string of {length} bytes]"
        return cursor.take(length, what).decode("utf-8", errors="replace")
    if value_type == _GGUF_ARRAY:
        item_type = cursor.u32(f"{what}: array element type")
        count = cursor.u64(f"{what}: array length")
        _skip_array(cursor, item_type, count, what, budget, depth=1)
        return f"[array of {count} {_gguf_type_name(item_type)}]"
    raise _Unreadable(f"{what}: unknown value type {value_type}")


def _skip_array(
    cursor: _Cursor, item_type: int, count: int, what: str, budget: _Budget, depth: int
) -> None:
    """Move past ``count`` array elements of ``item_type`` without keeping them."""
    scalar = _GGUF_SCALARS.get(item_type)
    if scalar is not None:
        cursor.skip(count * scalar[1].size, f"{what}: array of {count} {scalar[0]}")
    elif item_type == _GGUF_STRING:
        if count > cursor.left() // 8:
            raise _Unreadable(
                f"{what}: array of {count} str cannot fit in the {cursor.left()} bytes left"
            )
        budget.spend(count, what)
        for _ in range(count):
            cursor.skip(cursor.u64(what), what)
    elif item_type == _GGUF_ARRAY:
        if depth >= MAX_GGUF_NESTING:
            raise _Unreadable(f"{what}: arrays nested deeper than {MAX_GGUF_NESTING}")
        if count > cursor.left() // 12:
            raise _Unreadable(
                f"{what}: array of {count} arrays cannot fit in the {cursor.left()} bytes left"
            )
        budget.spend(count, what)
        for _ in range(count):
            inner_type = cursor.u32(what)
            _skip_array(cursor, inner_type, cursor.u64(what), what, budget, depth + 1)
    else:
        raise _Unreadable(f"{what}: unknown array element type {item_type}")


def _gguf_type_name(value_type: int) -> str:
    """The short name of a GGUF value type (``str``, ``uint32``, ...)."""
    if value_type == _GGUF_STRING:
        return "str"
    if value_type == _GGUF_ARRAY:
        return "array"
    return _GGUF_SCALARS[value_type][0]


def _float32_text(value: float) -> str:
    """The shortest decimal text that reads back as the same float32 (``1e-05``, not 9.99e-06)."""
    for digits in range(6, 10):
        text = f"{value:.{digits}g}"
        try:
            if _F32.unpack(_F32.pack(float(text)))[0] == value:
                return text
        except OverflowError:
            continue
    return repr(value)


# --- shared helpers ----------------------------------------------------------------------


def _regular_file_size(path: Path) -> int:
    """The size of ``path`` (following symlinks); refuses directories, FIFOs and devices."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise _Unreadable("not a regular file")
    return info.st_size


def _json_object(raw: bytes, what: str, encoding: str) -> dict[str, Any]:
    """Decode ``raw`` and parse it as a JSON object, or fail with a one-line message."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise _Unreadable(
            f"{what} is not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})"
        ) from None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError, MemoryError) as error:
        raise _Unreadable(f"{what} is not valid JSON: {_one_line(str(error))}") from None
    if not isinstance(value, dict):
        raise _Unreadable(f"{what} is a JSON {_json_kind(value)}, not an object")
    return value


def _json_kind(value: object) -> str:
    """The JSON name of a parsed value's type."""
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    return "null" if value is None else "number"


def _show(name: str) -> str:
    """A name from a file, quoted and clipped so that messages stay on one short line."""
    return repr(name if len(name) <= 80 else name[:77] + "...")


def _one_line(text: str) -> str:
    """Collapse whitespace and clip, for messages built from exception text."""
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."


def _os_problem(error: OSError) -> str:
    """A one-line message for an operating-system error."""
    return f"cannot read: {_one_line(error.strerror or str(error))}"
