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
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ALGORITHM = "sentences-2"
"""Changes whenever sentence cutting or normalising changes: stored fingerprints must be redone."""

HASH_CHARS = 12
"""Hex characters kept of each sentence's SHA-256: 48 bits, ample for a few thousand texts."""

MIN_WORDS = 3
"""Sentences shorter than this (numbering, headings) do not count."""

_NON_WORD = re.compile(r"[\W_]+")
_END_OF_TERMS = "end of terms and conditions"
_HOW_TO_APPLY = "how to apply"
# Sentences end at . ; : ! ? followed by white space, or at a CJK full stop. Line breaks,
# list markers and blank lines are layout and do not cut sentences here.
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+|(?<=[\u3002\uff1b\uff01\uff1f])")


def normalise(sentence: str) -> str:
    """Lower case, letters and digits (of any script) only, single spaces."""
    return _NON_WORD.sub(" ", sentence.lower()).strip()


def _counts(words: str) -> bool:
    """Long enough to count: three words, or eight characters of a script without spaces."""
    return words.count(" ") >= MIN_WORDS - 1 or (len(words) >= 8 and not words.isascii())


def _sentences(text: str) -> list[tuple[str, int]]:
    """(sentence, first line) pairs, cut by punctuation alone."""
    line_starts = [match.end() for match in _NEWLINE.finditer(text)]
    result: list[tuple[str, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        _keep(result, text, start, match.start(), line_starts)
        start = match.end()
    _keep(result, text, start, len(text), line_starts)
    return result


_NEWLINE = re.compile("\n")


def _keep(result: list[tuple[str, int]], text: str, start: int, end: int, line_starts: list[int]) -> None:
    """Add the sentence ``text[start:end]`` unless blank, with the line its first word is on."""
    chunk = text[start:end]
    words = chunk.split()
    if words:
        first = start + len(chunk) - len(chunk.lstrip())
        result.append((" ".join(words), bisect_right(line_starts, first) + 1))


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
    """The counted sentences of a text, hashed, in order. After "end of terms and conditions",
    a how-to-apply appendix is optional; an attachment of further terms (RAIL's use
    restrictions) is not."""
    result: list[HashedSentence] = []
    optional = False
    ended_at: int | None = None
    for sentence, line in _pieces(_sentences(text)):
        words = normalise(sentence)
        if not _counts(words) or _COPYRIGHT_NOTICE.match(words):
            continue
        if ended_at is not None and not optional and len(result) - ended_at <= 3 and _HOW_TO_APPLY in words:
            optional = True
            result[ended_at + 1 :] = [HashedSentence(s.hash, s.text, s.line, True) for s in result[ended_at + 1 :]]
        result.append(HashedSentence(sentence_hash(words), sentence, line, optional))
        if ended_at is None and words.endswith(_END_OF_TERMS):
            ended_at = len(result) - 1
    return result


_COPYRIGHT_NOTICE = re.compile(r"^(copyright|c \d{4}|\d{4} )")
"""A copyright notice (filled in by each licensor), not a term of the license."""
_END_OF_TERMS_TEXT = re.compile(r"end\s+of\s+terms\s+and\s+conditions", re.IGNORECASE)


def _pieces(sentences: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Cut a sentence after "end of terms and conditions", which headings often run into."""
    result = []
    for sentence, line in sentences:
        found = _END_OF_TERMS_TEXT.search(sentence)
        if found and sentence[found.end() :].strip():
            result.append((sentence[: found.end()], line))
            result.append((sentence[found.end() :].strip(), line))
        else:
            result.append((sentence, line))
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
    shared: int = 0
    """Number of sentences the text and the reference have in common."""

    @property
    def exact(self) -> bool:
        """The same sentences, none added, none removed."""
        return not self.added and self.removed == 0


@dataclass(frozen=True)
class _Measure:
    """What ranks a reference against a text (a :class:`FingerprintMatch` without the sentences)."""

    key: str
    coverage: float
    precision: float
    shared: int
    exact: bool


def _rank(match: _Measure) -> tuple[float, int]:
    """Closest first: most of both texts shared, then more sentences shared (a renamed text
    keeps more sentences of its own version than of its neighbours)."""
    return (round(match.coverage + match.precision, 2), match.shared)


class FingerprintIndex:
    """Reference fingerprints by key, with an inverted index from hash to keys."""

    def __init__(self, fingerprints: Mapping[str, Iterable[str]]):
        self._references: dict[str, Counter[str]] = {}
        self._totals: dict[str, int] = {}
        self._optional: dict[str, frozenset[str]] = {}
        self._keys_by_hash: dict[str, list[str]] = {}
        self._keys_by_id: dict[str, list[str]] = {}
        for key, hashes in fingerprints.items():
            listed = list(hashes)
            required = Counter(h for h in listed if h[0] != "?")
            self._references[key] = required
            self._totals[key] = sum(required.values())
            optional = frozenset(h[1:] for h in listed if h[0] == "?")
            self._optional[key] = optional
            for digest in required.keys() | optional:
                self._keys_by_hash.setdefault(digest, []).append(key)
            self._keys_by_id.setdefault(key.split("#", 1)[0], []).append(key)

    def __len__(self) -> int:
        return len(self._references)

    def keys_for(self, license_id: str) -> list[str]:
        """The reference keys (``<id>#<variant>``) of one license id."""
        return list(self._keys_by_id.get(license_id, ()))

    def best(
        self, text: str, min_coverage: float = 0.3, keys: Iterable[str] | None = None
    ) -> FingerprintMatch | None:
        """The reference this text is closest to (among ``keys`` if given). It must share
        ``min_coverage`` of the reference's sentences and make up a fair share of the text:
        a custom license that borrows MIT's disclaimer is not a modified MIT."""
        sentences = hash_sentences(text)
        if not sentences:
            return None
        counts = Counter(s.hash for s in sentences)
        # Sentences of the text that some reference has, per reference: at most that many can be
        # shared, so a reference they cannot cover enough is not measured.
        reach: Counter[str] = Counter()
        if keys is None:
            votes: Counter[str] = Counter()
            for digest, count in counts.items():
                for key in self._keys_by_hash.get(digest, ()):
                    votes[key] += 1
                    reach[key] += count
            candidates = [key for key, _count in votes.most_common(50)]
        else:
            candidates = list(keys)
        accepted = []
        for key in candidates:
            if keys is None and reach[key] < min_coverage * (self._totals[key] or 1):
                continue
            match = self._measure(key, counts, len(sentences))
            fits = (match.coverage >= 0.6 and match.precision >= 0.1) or match.precision >= 0.3
            if match.coverage >= min_coverage and (keys is not None or fits):
                accepted.append(match)
        if not accepted:
            return None
        best = max(accepted, key=_rank)
        if keys is None and not best.exact and self._has_rival(best, candidates, reach, counts, len(sentences)):
            return None
        return self.compare(best.key, sentences)

    def _has_rival(self, best: _Measure, candidates: list[str], reach: Counter[str], counts: Counter[str],
                   total: int) -> bool:
        """Whether another license shares exactly the sentences ``best`` shares, and ranks as close:
        then only the sentences every candidate shares survive (a renamed Llama keeps the
        boilerplate of all its versions) and no license can be named. A rival need not cover enough
        of its own text to be accepted: a longer version sharing the same sentences is as likely."""
        best_id = best.key.split("#")[0]
        for key in candidates:
            if key.split("#")[0] == best_id or reach[key] < best.shared:
                continue
            rival = self._measure(key, counts, total)
            if rival.shared == best.shared and _rank(best)[0] - _rank(rival)[0] <= 0.05:
                return True
        return False

    def _measure(self, key: str, counts: Counter[str], total: int) -> _Measure:
        """:meth:`compare`'s figures from the text's hash counts (``total`` sentences)."""
        reference = self._references[key]
        optional = self._optional[key]
        shared = ignored = unmatched = 0
        for digest, count in counts.items():
            if digest in optional:
                ignored += count
            elif digest in reference:
                shared += min(count, reference[digest])
            else:
                unmatched += count
        total_reference = self._totals[key] or 1
        removed = self._totals[key] - shared if self._totals[key] else 0
        counted = max(total - ignored, 1)
        return _Measure(key, shared / total_reference, shared / counted, shared, not unmatched and removed == 0)

    def compare(self, key: str, sentences: list[HashedSentence]) -> FingerprintMatch:
        """Compare hashed sentences with one reference."""
        reference = self._references[key]
        optional = self._optional[key]
        found: dict[str, int] = {}
        for sentence in sentences:
            if sentence.hash not in optional:
                found[sentence.hash] = found.get(sentence.hash, 0) + 1
        shared = sum(min(count, reference.get(digest, 0)) for digest, count in found.items())
        total_reference = self._totals[key] or 1
        added = tuple(s for s in sentences if s.hash not in reference and s.hash not in optional)
        removed = total_reference - shared if self._totals[key] else 0
        counted = max(sum(found.values()), 1)
        return FingerprintMatch(key, shared / total_reference, shared / counted, added, removed, shared)
