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
from openness.licenses.patterns import LETTER_RUNS, Pattern, WordFilter, compile_pattern, remember_needed_words
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
    """The clause patterns in one row, the kind of each, a word filter over them, and which
    patterns each needed word unlocks (the words of a pattern's sharpest group), as bits."""

    kinds: tuple[int, ...]
    patterns: tuple[Pattern, ...]
    words: WordFilter
    groups: tuple[tuple[int, ...], ...]
    """Per pattern, the masks of its word groups: a match needs a word of each."""
    unlocks: dict[str, int]
    always: int
    """The patterns with no needed word."""


_tokens: dict[str, tuple[int, int]] = {}
"""Per run of letters: the mask of the needed words it holds and the patterns it unlocks."""


@cache
def _word_index() -> _WordIndex:
    numbered = [(index, pattern) for index, spec in enumerate(_patterns()) for pattern in spec.patterns]
    unlocks: dict[str, int] = {}
    for number, (_kind, pattern) in enumerate(numbered):
        for word in pattern.needs or ():
            unlocks[word] = unlocks.get(word, 0) | 1 << number
    words = WordFilter(pattern for _kind, pattern in numbered)
    return _WordIndex(
        tuple(kind for kind, _pattern in numbered),
        tuple(pattern for _kind, pattern in numbered),
        words,
        tuple(words.groups(pattern) for _kind, pattern in numbered),
        unlocks,
        sum(1 << number for number, (_kind, pattern) in enumerate(numbered) if pattern.needs is None),
    )


def _token(token: str, index: _WordIndex) -> tuple[int, int]:
    found = _tokens.get(token)
    if found is None:
        words = index.words.words_in(token)
        unlocked = 0
        for word in words:
            unlocked |= index.unlocks.get(word, 0)
        found = (index.words.bits(words), unlocked)
        if len(_tokens) < 100_000:
            _tokens[token] = found
    return found


def _kinds_matching(text: str, lowered: str) -> set[int]:
    """Indexes of the kinds whose patterns match one sentence (before ``unless``): only the
    patterns that a word of the sentence unlocks, and whose every word group is present, are
    tried."""
    index = _word_index()
    mask = 0
    candidates = index.always
    for token in set(LETTER_RUNS.findall(lowered)):
        token_mask, unlocked = _tokens.get(token) or _token(token, index)
        mask |= token_mask
        candidates |= unlocked
    matched: set[int] = set()
    kinds, groups = index.kinds, index.groups
    while candidates:
        lowest = candidates & -candidates
        candidates ^= lowest
        number = lowest.bit_length() - 1
        kind = kinds[number]
        if kind in matched:
            continue
        for group in groups[number]:
            if not group & mask:
                break
        else:
            if index.patterns[number].regex.search(text):
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
