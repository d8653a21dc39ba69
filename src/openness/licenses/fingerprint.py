"""Sentence fingerprints: tell an unchanged license text from a modified one, and say what changed.

A text is cut into sentences; each sentence is normalised (lower case, letters and digits
only) and hashed. Two texts are the same license text when they have the same sentence
hashes, whatever their layout, quotes or line breaks. The hashes of reference texts are
facts about them, not copies: no sentence can be read back from a hash.

Copyright notices are left out of the comparison (filling in a year and a holder is not a
change of terms). What follows an "end of terms and conditions" line in a reference (the
how-to-apply appendices that many copies drop) is optional: its absence is no change, but a
sentence the reference does not have anywhere is always an addition.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from openness.licenses.clauses import split_sentences

HASH_CHARS = 12
"""Hex characters kept of each sentence's SHA-256: 48 bits, ample for a few thousand texts."""

MIN_WORDS = 3
"""Sentences shorter than this (numbering, headings) do not count."""

_NON_WORD = re.compile(r"[^a-z0-9]+")
_END_OF_TERMS = "end of terms and conditions"


def normalise(sentence: str) -> str:
    """Lower case, letters and digits only, single spaces."""
    return _NON_WORD.sub(" ", sentence.lower()).strip()


def sentence_hash(normalised: str) -> str:
    """The short hash of one normalised sentence."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:HASH_CHARS]


@dataclass(frozen=True)
class HashedSentence:
    """A sentence of a text with its hash and the line it starts on."""

    hash: str
    text: str
    line: int
    optional: bool = False


def hash_sentences(text: str) -> list[HashedSentence]:
    """The counted sentences of a text, hashed, in order; those after "end of terms" optional."""
    result: list[HashedSentence] = []
    optional = False
    for sentence in split_sentences(text):
        words = normalise(sentence.text)
        if words.count(" ") + 1 < MIN_WORDS or "copyright" in words.split():
            continue
        result.append(HashedSentence(sentence_hash(words), sentence.text, sentence.line, optional))
        optional = optional or _END_OF_TERMS in words
    return result


def fingerprint(text: str) -> list[str]:
    """The sentence hashes of a reference text, in order; optional ones start with "?"."""
    return [("?" if s.optional else "") + s.hash for s in hash_sentences(text)]


@dataclass(frozen=True)
class FingerprintMatch:
    """How a text compares to a reference fingerprint."""

    key: str
    coverage: float
    """Share of the reference's sentences found in the text."""
    precision: float
    """Share of the text's sentences found in the reference."""
    added: tuple[HashedSentence, ...]
    """Sentences of the text that the reference does not have."""
    removed: int
    """Number of reference sentences the text does not have."""

    @property
    def exact(self) -> bool:
        """The same sentences, none added, none removed."""
        return not self.added and self.removed == 0


class FingerprintIndex:
    """Reference fingerprints by key, with an inverted index from hash to keys."""

    def __init__(self, fingerprints: Mapping[str, Iterable[str]]):
        self._references: dict[str, Counter[str]] = {}
        self._optional: dict[str, set[str]] = {}
        self._keys_by_hash: dict[str, list[str]] = {}
        for key, hashes in fingerprints.items():
            listed = list(hashes)
            self._references[key] = Counter(h for h in listed if not h.startswith("?"))
            self._optional[key] = {h[1:] for h in listed if h.startswith("?")}
            for digest in {h.lstrip("?") for h in listed}:
                self._keys_by_hash.setdefault(digest, []).append(key)

    def __len__(self) -> int:
        return len(self._references)

    def keys_for(self, license_id: str) -> list[str]:
        """The reference keys (``<id>#<variant>``) of one license id."""
        return [key for key in self._references if key.split("#", 1)[0] == license_id]

    def best(
        self, text: str, min_coverage: float = 0.5, keys: Iterable[str] | None = None
    ) -> FingerprintMatch | None:
        """The reference this text is closest to (among ``keys`` if given), if it covers at
        least ``min_coverage`` of that reference's sentences."""
        sentences = hash_sentences(text)
        if not sentences:
            return None
        if keys is None:
            votes: Counter[str] = Counter()
            for digest in {s.hash for s in sentences}:
                for key in self._keys_by_hash.get(digest, ()):
                    votes[key] += 1
            candidates = [key for key, _count in votes.most_common(8)]
        else:
            candidates = list(keys)
        best: FingerprintMatch | None = None
        for key in candidates:
            match = self.compare(key, sentences)
            if match.coverage >= min_coverage and (
                best is None or (match.coverage + match.precision) > (best.coverage + best.precision)
            ):
                best = match
        return best

    def compare(self, key: str, sentences: list[HashedSentence]) -> FingerprintMatch:
        """Compare hashed sentences with one reference."""
        reference = self._references[key]
        optional = self._optional[key]
        found = Counter(s.hash for s in sentences if s.hash not in optional)
        shared = sum((reference & found).values())
        total_reference = sum(reference.values()) or 1
        added = tuple(s for s in sentences if s.hash not in reference and s.hash not in optional)
        removed = sum((reference - found).values())
        counted = max(sum(found.values()), 1)
        return FingerprintMatch(key, shared / total_reference, shared / counted, added, removed)
