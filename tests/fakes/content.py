"""Bodies the fake services serve: bytes in memory, or virtual bytes generated on demand.

A `Body` is read by offset and length, so a server can answer a range request on a file that
claims hundreds of gigabytes without ever holding it: `PaddedBody` is a real prefix (for example a
safetensors header) followed by zeros up to its declared size.
"""

from __future__ import annotations

import hashlib
import json
import math
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class Body(Protocol):
    """Content served by offset and length; `size` is the length a server declares."""

    @property
    def size(self) -> int:
        """Total length in bytes."""
        ...

    def read(self, offset: int, length: int) -> bytes:
        """`length` bytes from `offset` (fewer at the end)."""
        ...


@dataclass(frozen=True)
class BytesBody:
    """A body held in memory."""

    data: bytes

    @property
    def size(self) -> int:
        """Length of the data."""
        return len(self.data)

    def read(self, offset: int, length: int) -> bytes:
        """A slice of the data."""
        return self.data[offset : offset + length]


@dataclass(frozen=True)
class PaddedBody:
    """`prefix` followed by zeros up to `declared_size`; nothing beyond the prefix is ever stored."""

    prefix: bytes
    declared_size: int

    @property
    def size(self) -> int:
        """The declared size (at least the prefix)."""
        return max(self.declared_size, len(self.prefix))

    def read(self, offset: int, length: int) -> bytes:
        """Prefix bytes where the range overlaps the prefix, zeros after it."""
        end = min(offset + length, self.size)
        if offset >= end:
            return b""
        head = self.prefix[offset:end]
        return head + bytes(end - offset - len(head))

    def stand_in_sha256(self) -> str:
        """A deterministic sha256 standing for the content (the zeros are never hashed)."""
        return hashlib.sha256(self.prefix + f"|{self.size}".encode()).hexdigest()


EMPTY = BytesBody(b"")

DTYPE_BYTES = {"F64": 8, "I64": 8, "U64": 8, "F32": 4, "I32": 4, "U32": 4, "F16": 2, "BF16": 2, "I16": 2,
               "U16": 2, "F8_E4M3": 1, "F8_E5M2": 1, "I8": 1, "U8": 1, "BOOL": 1}
"""Bytes per element of the safetensors dtypes."""

Tensors = Mapping[str, tuple[str, Sequence[int]]]
"""Tensor name -> (safetensors dtype, shape)."""


def git_blob_sha1(data: bytes) -> str:
    """The git object id of a blob with this content (what the Hub and GitHub call a file's oid)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def read_folder(root: Path) -> dict[str, bytes]:
    """Every regular file under `root` by relative POSIX path, sorted (`.git` and symlinks skipped)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink() and ".git" not in path.relative_to(root).parts
    }


def listing_sha1(entries: Iterable[tuple[str, str]], salt: str = "") -> str:
    """A deterministic id for a list of (path, oid) pairs: stands in for git tree and commit ids."""
    listing = salt + "\n" + "".join(f"{path} {oid}\n" for path, oid in entries)
    return hashlib.sha1(listing.encode(), usedforsecurity=False).hexdigest()


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder that holds one of these file paths (`a/b/c.txt` -> `a`, `a/b`)."""
    return {"/".join(parts[:i]) for name in paths for parts in [name.split("/")] for i in range(1, len(parts))}


def lfs_pointer(sha256: str, size: int) -> bytes:
    """The text of a Git LFS pointer file for an object."""
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()


def virtual_safetensors(tensors: Tensors, metadata: Mapping[str, str] | None = None) -> PaddedBody:
    """A safetensors file whose header describes `tensors` and whose data are zeros, never stored.

    The header is real (8-byte little-endian length, JSON with dtype, shape and data_offsets,
    padded with spaces to a multiple of 8), so any safetensors reader parses it.
    """
    header: dict[str, object] = {"__metadata__": dict(metadata)} if metadata else {}
    offset = 0
    for name, (dtype, shape) in tensors.items():
        nbytes = math.prod(shape) * DTYPE_BYTES[dtype]
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    prefix = struct.pack("<Q", len(text)) + text
    return PaddedBody(prefix, len(prefix) + offset)


def llm_tensors(parameters: int, *, dtype: str = "BF16", layers: int = 126, hidden: int = 16384) -> dict[
    str, tuple[str, list[int]]
]:
    """Decoder-shaped tensors whose element counts add up to exactly `parameters`.

    Each layer has seven projection matrices and two norms, named like a Llama checkpoint; the
    embedding takes what the layers leave, and a 1-D tensor the remainder of a row.
    """
    projections = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                   "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")
    per_layer = parameters // (layers + 1)
    rows = max(per_layer // (len(projections) * hidden), 1)
    tensors: dict[str, tuple[str, list[int]]] = {}
    used = 0
    for layer in range(layers):
        for name in projections:
            tensors[f"model.layers.{layer}.{name}.weight"] = (dtype, [rows, hidden])
        for name in ("input_layernorm", "post_attention_layernorm"):
            tensors[f"model.layers.{layer}.{name}.weight"] = (dtype, [hidden])
        used += len(projections) * rows * hidden + 2 * hidden
    left = parameters - used
    if left < 0:
        raise ValueError(f"{parameters} parameters are too few for {layers} layers of width {hidden}")
    if left // hidden:
        tensors["model.embed_tokens.weight"] = (dtype, [left // hidden, hidden])
    if left % hidden:
        tensors["model.norm.weight"] = (dtype, [left % hidden])
    return tensors


def safetensors_parameters(body: Body, *, max_header: int = 100_000_000) -> dict[str, int] | None:
    """Parameters per dtype declared by a safetensors header, or None when it is not one."""
    if body.size < 8:
        return None
    (length,) = struct.unpack("<Q", body.read(0, 8))
    if length > min(max_header, body.size - 8):
        return None
    try:
        header = json.loads(body.read(8, length))
    except ValueError:
        return None
    counts: dict[str, int] = {}
    for name, info in header.items():
        if name != "__metadata__" and isinstance(info, dict):
            counts[info["dtype"]] = counts.get(info["dtype"], 0) + math.prod(info["shape"])
    return counts
