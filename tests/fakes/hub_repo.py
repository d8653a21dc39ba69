"""Repositories of the fake Hub: files per revision, deterministic commits, the JSON the Hub derives.

A revision's content is a folder or a mapping of paths to bytes, text or a `Body` (for example a
`virtual_safetensors(...)` claiming hundreds of GB). Files are stored as the Hub stores them:

- **LFS files** (suffixes of the Hub's default `.gitattributes`, every virtual body, and Git LFS
  pointer files found in a folder) carry `lfs = {sha256, size, pointerSize}`; their git oid is that
  of the pointer text. A pointer file is served as the object it points to: zeros of its size.
- **Other files** are plain git blobs: oid = git blob sha1 of the bytes.

A revision's commit sha is the sha1 of the repo id and its file listing, so identical content gives
the same commit and every run gives the same shas.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.fakes.content import (
    Body,
    BytesBody,
    PaddedBody,
    folders_of,
    git_blob_sha1,
    lfs_pointer,
    listing_sha1,
    read_folder,
    safetensors_parameters,
)

FileContent = bytes | str | Body
"""What one file of a revision holds."""
Content = Path | Mapping[str, FileContent]
"""A revision: a folder, or paths mapped to file contents."""

LFS_SUFFIXES = (".7z", ".arrow", ".bin", ".bz2", ".ckpt", ".ftz", ".gguf", ".gz", ".h5", ".joblib", ".mlmodel",
                ".model", ".msgpack", ".npy", ".npz", ".onnx", ".ot", ".parquet", ".pb", ".pickle", ".pkl", ".pt",
                ".pth", ".rar", ".safetensors", ".tar", ".tflite", ".tgz", ".wasm", ".xz", ".zip", ".zst")
"""File suffixes the Hub's default `.gitattributes` stores in Git LFS."""

_POINTER = re.compile(rb"version https://git-lfs\.github\.com/spec/v1\noid sha256:([0-9a-f]{64})\nsize (\d+)\n?")
_POINTER_MAX = 1024


@dataclass(frozen=True)
class LfsObject:
    """The LFS object behind a file: content sha256, content size, size of the pointer text."""

    sha256: str
    size: int
    pointer_size: int


@dataclass(frozen=True)
class HubFile:
    """One file of a revision as the Hub stores it."""

    path: str
    body: Body
    oid: str
    lfs: LfsObject | None = None

    @property
    def size(self) -> int:
        """Size of the content (of the LFS object for LFS files)."""
        return self.body.size


def hub_file(path: str, content: FileContent) -> HubFile:
    """Store content the way the Hub would: a plain git blob, or an LFS object with its pointer."""
    if isinstance(content, str):
        content = content.encode()
    if isinstance(content, bytes):
        pointer = _POINTER.fullmatch(content) if len(content) <= _POINTER_MAX else None
        if pointer is not None:
            lfs = LfsObject(pointer.group(1).decode(), int(pointer.group(2)), len(content))
            return HubFile(path, PaddedBody(b"", lfs.size), git_blob_sha1(content), lfs)
        if not path.lower().endswith(LFS_SUFFIXES):
            return HubFile(path, BytesBody(content), git_blob_sha1(content))
        body: Body = BytesBody(content)
        sha256 = hashlib.sha256(content).hexdigest()
    else:
        body = content
        sha256 = (content.stand_in_sha256() if isinstance(content, PaddedBody)
                  else hashlib.sha256(content.read(0, content.size)).hexdigest())
    pointer_text = lfs_pointer(sha256, body.size)
    return HubFile(path, body, git_blob_sha1(pointer_text), LfsObject(sha256, body.size, len(pointer_text)))


def read_content(content: Content) -> dict[str, HubFile]:
    """The files of a revision, by path (folders are read whole; `.git` and symlinks are skipped)."""
    if isinstance(content, Path):
        return {name: hub_file(name, data) for name, data in read_folder(content).items()}
    return {name: hub_file(name, data) for name, data in sorted(content.items())}


@dataclass(frozen=True)
class Snapshot:
    """The files of one commit."""

    sha: str
    files: Mapping[str, HubFile]

    @property
    def directories(self) -> set[str]:
        """Every folder path that holds a file."""
        return folders_of(self.files)

    def tree_oid(self, directory: str) -> str:
        """A deterministic git-tree-like id for a folder (sha1 of its file listing)."""
        return listing_sha1((f.path, f.oid) for f in self.files.values() if f.path.startswith(directory + "/"))

    def card_data(self) -> dict[str, Any] | None:
        """The YAML front matter of README.md, as the Hub parses it into `cardData`."""
        readme = self.files.get("README.md")
        if readme is None:
            return None
        text = readme.body.read(0, readme.size).decode("utf-8", errors="replace")
        found = re.match(r"---\s*\n(.*?)\n---\s*(\n|$)", text, re.S)
        try:
            data = yaml.safe_load(found.group(1)) if found else None
        except yaml.YAMLError:
            return None
        return data if isinstance(data, dict) else None

    def safetensors_summary(self) -> dict[str, Any] | None:
        """`{"parameters": {dtype: n}, "total": n}` over every `.safetensors` file, as model_info gives."""
        totals: dict[str, int] = {}
        for file in self.files.values():
            if file.path.endswith(".safetensors"):
                for dtype, count in (safetensors_parameters(file.body) or {}).items():
                    totals[dtype] = totals.get(dtype, 0) + count
        return {"parameters": totals, "total": sum(totals.values())} if totals else None


def commit_sha(repo_id: str, files: Mapping[str, HubFile]) -> str:
    """The deterministic commit sha of a revision's content."""
    return listing_sha1(((f.path, f.oid) for f in files.values()), salt=repo_id)


@dataclass
class HubRepo:
    """A model or dataset repository: revisions by name (branches and tags), access settings, card."""

    repo_id: str
    kind: str
    snapshots: dict[str, Snapshot]
    tags: frozenset[str] = frozenset()
    gated: bool | str = False
    private: bool = False
    card_data: dict[str, Any] | None = None
    last_modified: str = "2024-06-01T12:00:00.000Z"
    created_at: str = "2024-05-01T12:00:00.000Z"
    extra_info: dict[str, Any] = field(default_factory=dict)

    def resolve(self, revision: str) -> Snapshot | None:
        """The snapshot of a branch or tag name, or of a full 40-hex commit sha."""
        if revision in self.snapshots:
            return self.snapshots[revision]
        return next((s for s in self.snapshots.values() if s.sha == revision.lower()), None)

    def sha(self, revision: str = "main") -> str:
        """The commit sha a revision name resolves to."""
        snapshot = self.resolve(revision)
        if snapshot is None:
            raise KeyError(revision)
        return snapshot.sha

    def refs(self) -> Iterator[tuple[str, str, str]]:
        """(kind "branches"/"tags", name, commit sha) for every revision name."""
        for name, snapshot in self.snapshots.items():
            yield ("tags" if name in self.tags else "branches"), name, snapshot.sha
