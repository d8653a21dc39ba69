"""A pattern's regex runs only when the words it needs are in the text, and that prefilter never
hides a match."""

from __future__ import annotations

import pytest

from openness.licenses.catalog import default_catalog
from openness.licenses.clauses import _patterns, split_sentences
from openness.licenses.patterns import WordFilter, compile_pattern
from tests.conftest import shared_license_text

SAMPLES = ("mit", "apache-2.0", "llama-3.1-license-2024", "gemma-pup-2024-02-21", "bigscience-open-rail-m")


def test_short_literals_count_as_needed_words() -> None:
    assert compile_pattern(r"\b(?:MAU|DAU)s?\b").requirements == (("dau", "mau"),)
    assert compile_pattern("(?:禁止|不得)[^。]{0,20}商业").requirements == (("不得", "禁止"), ("商业",))
    assert compile_pattern(r"\bmay\s+not\s+\w+").requirements == (("may",), ("not",))


def test_a_word_found_inside_a_longer_word_counts() -> None:
    pattern = compile_pattern(r"\bcommercial\b")
    words = WordFilter([pattern])
    assert words.allows(pattern, words.mask("a noncommercial license"))
    assert not words.allows(pattern, words.mask("a permissive license"))


@pytest.mark.parametrize("key", SAMPLES)
def test_the_word_mask_says_what_the_substring_test_says(key: str) -> None:
    clause_patterns = [p for kind in _patterns() for p in (*kind.patterns, *kind.unless)]
    recognition = [p for e in default_catalog().entries for p in (*e.titles, *e.markers, *e.urls, *e.dates)]
    patterns = clause_patterns + recognition
    words = WordFilter(patterns)
    text = shared_license_text(key)
    for piece in [s.text.lower() for s in split_sentences(text)] + [text.lower()]:
        mask = words.mask(piece)
        for pattern in patterns:
            assert words.allows(pattern, mask) == pattern.may_match(piece), (pattern.source, piece[:80])
