"""Clause analysis: find the sentences of any license text that take a freedom away.

Patterns per restriction kind live in ``data/clauses.yaml``. The text is split into
sentences that remember their first line; a sentence matching a kind's pattern, and none
of its ``unless`` patterns, is reported with its quote and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from openness.datafiles import load_data
from openness.licenses.patterns import Pattern, compile_pattern, remember_needed_words
from openness.vocabulary import RestrictionKind

MAX_QUOTE = 400
"""Quotes longer than this many characters are shortened with an ellipsis."""


@dataclass(frozen=True)
class ClauseFinding:
    """A restrictive clause: its kind, the quoted sentence and the line it starts on."""

    kind: RestrictionKind
    quote: str
    line: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text, whitespace-normalised, with its 1-based first line."""

    text: str
    line: int


_BREAK = re.compile(r"(?<=[.;:!?])\s+(?=[\"'(\[]?[A-Z0-9•(])|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)]|\([a-z0-9]+\))\s)")


def split_sentences(text: str) -> list[Sentence]:
    """Split a license text into sentences, keeping the line where each starts."""
    sentences: list[Sentence] = []
    line_starts = [0]
    for match in re.finditer("\n", text):
        line_starts.append(match.end())

    def line_of(offset: int) -> int:
        low, high = 0, len(line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if line_starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1

    start = 0
    for match in _BREAK.finditer(text):
        _add(sentences, text, start, match.start(), line_of)
        start = match.end()
    _add(sentences, text, start, len(text), line_of)
    return sentences


def _add(
    sentences: list[Sentence], text: str, start: int, end: int, line_of: Callable[[int], int]
) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if len(stripped) < 3:
        return
    offset = start + (len(chunk) - len(chunk.lstrip()))
    sentences.append(Sentence(re.sub(r"\s+", " ", stripped), line_of(offset)))


@dataclass(frozen=True)
class _KindPatterns:
    kind: RestrictionKind
    patterns: tuple[Pattern, ...]
    unless: tuple[Pattern, ...]


@cache
def _patterns() -> tuple[_KindPatterns, ...]:
    raw = load_data("openness.licenses", "clauses.yaml")
    result = []
    for kind, spec in raw["kinds"].items():
        result.append(
            _KindPatterns(
                RestrictionKind(kind),
                tuple(compile_pattern(p) for p in spec.get("patterns") or ()),
                tuple(compile_pattern(p) for p in spec.get("unless") or ()),
            )
        )
    remember_needed_words()
    return tuple(result)


@dataclass(frozen=True)
class _WordIndex:
    """Which patterns each needed word unlocks, and the patterns that need no word."""

    words: tuple[str, ...]
    unlocks: dict[str, tuple[tuple[int, Pattern], ...]]
    always: tuple[tuple[int, Pattern], ...]


_LETTERS = re.compile(r"[^\W\d_]+")
_token_words: dict[str, tuple[str, ...]] = {}


@cache
def _word_index() -> _WordIndex:
    unlocks: dict[str, list[tuple[int, Pattern]]] = {}
    always = []
    for index, spec in enumerate(_patterns()):
        for pattern in spec.patterns:
            if pattern.needs is None:
                always.append((index, pattern))
            for word in pattern.needs or ():
                unlocks.setdefault(word, []).append((index, pattern))
    return _WordIndex(tuple(unlocks), {w: tuple(p) for w, p in unlocks.items()}, tuple(always))


def _kinds_matching(text: str, lowered: str) -> set[int]:
    """Indexes of the kinds whose patterns match one sentence (before ``unless``)."""
    index = _word_index()
    matched: set[int] = set()
    tried: set[int] = set()
    candidates = list(index.always)
    # Needed words are runs of letters, so each lies inside one letter run of the sentence;
    # which needed words a run holds is worked out once per distinct run and remembered.
    for token in set(_LETTERS.findall(lowered)):
        words = _token_words.get(token)
        if words is None:
            words = tuple(w for w in index.words if w in token)
            if len(_token_words) < 100_000:
                _token_words[token] = words
        for word in words:
            candidates.extend(index.unlocks[word])
    for kind, pattern in candidates:
        if kind in matched or id(pattern) in tried:
            continue
        tried.add(id(pattern))
        if pattern.may_match(lowered) and pattern.regex.search(text):
            matched.add(kind)
    return matched


def find_restrictions(text: str) -> list[ClauseFinding]:
    """Every restrictive clause in ``text``, in reading order, one finding per kind and sentence."""
    findings: list[ClauseFinding] = []
    specs = _patterns()
    for sentence in split_sentences(text):
        lowered = sentence.text.lower()
        for kind in sorted(_kinds_matching(sentence.text, lowered)):
            spec = specs[kind]
            if not any(u.search(sentence.text, lowered) for u in spec.unless):
                quote = sentence.text
                if len(quote) > MAX_QUOTE:
                    quote = quote[: MAX_QUOTE - 1].rstrip() + "…"
                findings.append(ClauseFinding(spec.kind, quote, sentence.line))
    return findings
