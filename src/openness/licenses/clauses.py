"""Clause analysis: find the sentences of any license text that take a freedom away.

Patterns per restriction kind live in ``data/clauses.yaml``. The text is split into
sentences that remember their first line; a sentence matching a kind's pattern, and none
of its ``unless`` patterns, is reported with its quote and line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
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
    line_starts = [match.end() for match in _NEWLINE.finditer(text)]
    start = 0
    for match in _BREAK.finditer(text):
        _add(sentences, text, start, match.start(), line_starts)
        start = match.end()
    _add(sentences, text, start, len(text), line_starts)
    return sentences


_NEWLINE = re.compile("\n")


def _add(sentences: list[Sentence], text: str, start: int, end: int, line_starts: list[int]) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if len(stripped) < 3:
        return
    offset = start + (len(chunk) - len(chunk.lstrip()))
    # Line 1 plus the line breaks before the offset; str.split() and \s agree on white space.
    sentences.append(Sentence(" ".join(stripped.split()), bisect_right(line_starts, offset) + 1))


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
    """The needed words of every clause pattern, each a bit of a mask, and per pattern the masks
    of its word groups (a match needs one word of each group)."""

    bits: dict[str, int]
    by_prefix: dict[str, tuple[str, ...]]
    """Needed words by their first two characters."""
    unlocks: dict[str, frozenset[int]]
    """The patterns whose sharpest group holds the word."""
    always: frozenset[int]
    """The patterns with no needed word."""
    kinds: tuple[int, ...]
    patterns: tuple[Pattern, ...]
    groups: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class _Token:
    """What one run of letters brings: the mask of the needed words it holds, the patterns it
    unlocks."""

    mask: int
    unlocks: frozenset[int]


_LETTERS = re.compile(r"[^\W\d_]+")
_tokens: dict[str, _Token] = {}


@cache
def _word_index() -> _WordIndex:
    kinds: list[int] = []
    patterns: list[Pattern] = []
    for index, spec in enumerate(_patterns()):
        for pattern in spec.patterns:
            kinds.append(index)
            patterns.append(pattern)
    bits: dict[str, int] = {}
    for pattern in patterns:
        for group in pattern.requirements:
            for word in group:
                bits.setdefault(word, 1 << len(bits))
    by_prefix: dict[str, list[str]] = {}
    for word in bits:
        by_prefix.setdefault(word[:2], []).append(word)
    unlocks: dict[str, set[int]] = {}
    for number, pattern in enumerate(patterns):
        for word in pattern.needs or ():
            unlocks.setdefault(word, set()).add(number)
    groups = tuple(
        tuple(sum(bits[word] for word in group) for group in pattern.requirements) for pattern in patterns
    )
    return _WordIndex(
        bits, {k: tuple(v) for k, v in by_prefix.items()}, {k: frozenset(v) for k, v in unlocks.items()},
        frozenset(n for n, pattern in enumerate(patterns) if pattern.needs is None),
        tuple(kinds), tuple(patterns), groups,
    )


def _token(token: str, index: _WordIndex) -> _Token:
    """The needed words inside one run of letters (found by their first two characters)."""
    found = _tokens.get(token)
    if found is None:
        words = {
            word
            for start in range(len(token) - 1)
            for word in index.by_prefix.get(token[start : start + 2], ())
            if token.startswith(word, start)
        }
        unlocked: set[int] = set()
        for word in words:
            unlocked |= index.unlocks.get(word, frozenset())
        found = _Token(sum(index.bits[word] for word in words), frozenset(unlocked))
        if len(_tokens) < 100_000:
            _tokens[token] = found
    return found


def _kinds_matching(text: str, lowered: str) -> set[int]:
    """Indexes of the kinds whose patterns match one sentence (before ``unless``). Needed words
    are runs of letters, so each lies inside one letter run of the sentence: the runs say which
    needed words are present, and only patterns whose every word group is present are tried."""
    index = _word_index()
    mask = 0
    candidates = set(index.always)
    for token in set(_LETTERS.findall(lowered)):
        found = _token(token, index)
        mask |= found.mask
        candidates |= found.unlocks
    matched: set[int] = set()
    for number in candidates:
        kind = index.kinds[number]
        if kind in matched:
            continue
        if all(group & mask for group in index.groups[number]) and index.patterns[number].regex.search(text):
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
