"""The on-disk snapshot of a Hub repository at one commit: its listing, small files and weight headers.

``hub.py`` fetches; this module says what a snapshot holds and reads and writes it safely
(atomic writes, damaged snapshots treated as absent, never a path outside the snapshot).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from openness.evidence import HUB_LISTING, WeightFile
from openness.sources.hub_client import HubUnreachable
from openness.sources.local import CONFIG_KINDS, LICENSE_NAME, NOT_TEXT

SNAPSHOT_FORMAT = 1
"""Bumped when the snapshot layout changes; older snapshots are fetched again."""

@dataclass(frozen=True)
class RepoFile:
    """A file of the repository as the Hub lists it."""

    path: str
    size: int | None
    lfs: bool


def listed_weight(path: str, weight_format: Any, size: int, why: str) -> WeightFile:
    """A weight file the Hub lists, whose header was not read (``why``)."""
    return WeightFile(path, weight_format, size, metadata=((HUB_LISTING, why),))


def repo_listing(info: dict[str, Any]) -> list[RepoFile]:
    """The repository's files from the API's ``siblings`` (sizes when the Hub gives them)."""
    siblings = info.get("siblings")
    if not isinstance(siblings, list):
        raise HubUnreachable("the Hub's answer has no file list (siblings)")
    files = []
    for sibling in siblings[:100_000]:
        if not isinstance(sibling, dict) or not isinstance(sibling.get("rfilename"), str):
            continue
        path = sibling["rfilename"]
        if path.startswith("/") or ".." in PurePosixPath(path).parts or "\x00" in path:
            continue  # never write outside the snapshot
        lfs = sibling.get("lfs") if isinstance(sibling.get("lfs"), dict) else None
        size = lfs.get("size") if lfs else sibling.get("size")
        files.append(RepoFile(path, size if isinstance(size, int) and size >= 0 else None, lfs is not None))
    return files


def is_small_text(entry: RepoFile) -> bool:
    """Files an audit reads: license-like texts, configs and shard indexes near the root."""
    pure = PurePosixPath(entry.path)
    if len(pure.parts) > 2:
        return False
    if LICENSE_NAME.match(pure.name) and not NOT_TEXT.search(pure.name):
        return True
    if pure.name.endswith(".safetensors.index.json"):
        return True
    return pure.name in CONFIG_KINDS and pure.name.endswith(".json")


def write_card_from_metadata(path: Path, metadata: dict[str, Any]) -> None:
    """A model card holding only front matter: what the Hub API publishes of a gated card."""
    import yaml

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True) + "---\n",
                    encoding="utf-8")


def weight_from_dict(data: dict[str, Any]) -> WeightFile:
    """A weight header as stored in a snapshot (JSON lists back to tuples)."""
    return WeightFile(**{**data, "dtypes": tuple(data["dtypes"]), "metadata": tuple(map(tuple, data["metadata"]))})


def load_snapshot(folder: Path) -> dict[str, Any] | None:
    """A complete snapshot in ``folder``, or None (missing, of another format, or damaged: fetched again)."""
    data = read_json(folder / "snapshot.json")
    if not data or data.get("format") != SNAPSHOT_FORMAT or not (folder / "files").is_dir():
        return None
    lists = ("files", "downloaded", "unread", "weights", "problems")
    if not all(isinstance(data.get(key), list) for key in lists):
        return None
    try:
        for weight in data["weights"]:
            weight_from_dict(weight)
        for entry in data["files"]:
            str(entry["path"])
        for problem in data["problems"]:
            str(problem["message"])
    except (KeyError, TypeError):
        return None
    return data


def read_json(path: Path) -> dict[str, Any] | None:
    """A JSON object from ``path``, or None when it is missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` to ``path`` atomically (a reader never sees half a file)."""
    ensure_folder(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def ensure_folder(folder: Path) -> Path:
    """``folder``, created with its parents when missing."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder
