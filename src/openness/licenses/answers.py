"""Identifications remembered by text: the same license text gets the same answer, instantly.

Release folders, census runs and CI gates meet the same few license texts again and again.
An answer is stored in the cache folder under the SHA-256 of the text and a stamp of the engine
(its version and the bytes of its data files), so any change to the engine or its data makes
old answers unreachable.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from functools import cache
from importlib import resources
from typing import Any

from openness import __version__
from openness.datafiles import cache_dir
from openness.licenses.clauses import ClauseFinding
from openness.licenses.fingerprint import ALGORITHM
from openness.vocabulary import RestrictionKind

_DATA_FILES = ("catalog.yaml", "clauses.yaml", "references.yaml", "fingerprints.json", "base_models.yaml")


@cache
def engine_stamp() -> str:
    """A digest of everything an answer depends on: version, algorithm and data files."""
    digest = hashlib.sha256(f"{__version__}|{ALGORITHM}".encode())
    for name in _DATA_FILES:
        digest.update(resources.files("openness.licenses").joinpath("data", name).read_bytes())
    return digest.hexdigest()[:16]


_connections: dict[str, sqlite3.Connection] = {}


def _connection() -> sqlite3.Connection:
    """One connection per cache folder for the life of the process. The answers are a cache:
    a write lost in a power cut costs a recomputation, so writes are not synced to disk (a
    synced commit per answer cost more than computing most answers)."""
    folder = cache_dir()
    connection = _connections.get(str(folder))
    if connection is None:
        folder.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(folder / "license-answers.sqlite", isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT)")
        _connections[str(folder)] = connection
    return connection


def _key(text: str) -> str:
    return f"{engine_stamp()}:{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()}"


def recall(text: str) -> dict[str, Any] | None:
    """The stored answer for a text, or None (also when the cache cannot be read)."""
    with contextlib.suppress(OSError, sqlite3.Error, ValueError):
        row = _connection().execute("SELECT answer FROM answers WHERE key = ?", (_key(text),)).fetchone()
        if row is not None:
            answer: dict[str, Any] = json.loads(row[0])
            return answer
    return None


def remember(text: str, answer: dict[str, Any]) -> None:
    """Store an answer; a cache that cannot be written is skipped silently."""
    with contextlib.suppress(OSError, sqlite3.Error):
        _connection().execute("INSERT OR REPLACE INTO answers VALUES (?, ?)", (_key(text), json.dumps(answer)))


def restrictions_from(raw: list[list[Any]]) -> tuple[ClauseFinding, ...]:
    """Clause findings from their stored form."""
    return tuple(ClauseFinding(RestrictionKind(kind), str(quote), int(line)) for kind, quote, line in raw)

