"""Case-insensitive patterns that skip the regex when a word they need is absent.

License data holds hundreds of hand-written regexes (clause kinds, titles, version lines).
Trying each on every sentence is the slow part of reading a license; most cannot match
because a word they spell out is missing. Each pattern is parsed once to find words of which
any match needs at least one, and a cheap substring test on the lower-cased text comes first.

Parsing and compiling hundreds of regexes costs a tenth of a second at every start, so the
needed words are remembered in the cache folder and a regex is compiled only when its words are
present (most never are, for a given text).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

try:  # the standard library's regex parser (``sre_parse`` before 3.11)
    import re._parser as _regex_parser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _regex_parser

@dataclass(frozen=True)
class Pattern:
    """A pattern (compiled on first use) and the words of which a match needs at least one."""

    source: str
    needs: tuple[str, ...] | None
    """The sharpest word group, for indexes; None when no needed word is known."""
    requirements: tuple[tuple[str, ...], ...] = ()
    """Every word group a match needs (one word of each)."""
    _compiled: list[re.Pattern[str]] = field(default_factory=list, compare=False, repr=False)

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled, case-insensitive regex."""
        if not self._compiled:
            self._compiled.append(re.compile(self.source, re.IGNORECASE))
        return self._compiled[0]

    def may_match(self, lowered: str) -> bool:
        """False when a needed word is missing from ``lowered`` (the text in lower case)."""
        return all(any(word in lowered for word in group) for group in self.requirements)

    def search(self, sentence: str, lowered: str) -> bool:
        """True when the pattern matches ``sentence`` (``lowered`` is it in lower case)."""
        return self.may_match(lowered) and self.regex.search(sentence) is not None


LETTER_RUNS = re.compile(r"[^\W\d_]+")
"""Runs of letters (of any script): every needed word lies inside one."""


class WordFilter:
    """Which needed words of a set of patterns a text holds, as a bit mask.

    A needed word is a run of letters, so each occurrence lies inside one run of letters of the
    text: the distinct runs are looked up once (and remembered), not every word in every text.
    ``allows(pattern, mask)`` then says what ``pattern.may_match`` says, with a few integer tests.
    """

    def __init__(self, patterns: Iterable[Pattern]):
        self._bits: dict[str, int] = {}
        self._groups: dict[str, tuple[int, ...]] = {}
        for pattern in patterns:
            for group in pattern.requirements:
                for word in group:
                    self._bits.setdefault(word, 1 << len(self._bits))
            self._groups[pattern.source] = tuple(
                sum(self._bits[word] for word in group) for group in pattern.requirements
            )
        by_prefix: dict[str, list[str]] = {}
        for word in self._bits:
            by_prefix.setdefault(word[:2], []).append(word)
        self._by_prefix = {prefix: tuple(words) for prefix, words in by_prefix.items()}
        self._token_masks: dict[str, int] = {}

    def words_in(self, token: str) -> set[str]:
        """The needed words inside one run of letters (found by their first two characters)."""
        return {
            word
            for start in range(len(token) - 1)
            for word in self._by_prefix.get(token[start : start + 2], ())
            if token.startswith(word, start)
        }

    def bits(self, words: Iterable[str]) -> int:
        """The mask of some needed words."""
        return sum(self._bits[word] for word in words)

    def token_mask(self, token: str) -> int:
        """The mask of the needed words inside one run of letters (remembered)."""
        mask = self._token_masks.get(token)
        if mask is None:
            mask = self.bits(self.words_in(token))
            if len(self._token_masks) < 100_000:
                self._token_masks[token] = mask
        return mask

    def mask(self, lowered: str) -> int:
        """The mask of the needed words in a lower-cased text."""
        mask = 0
        for token in set(LETTER_RUNS.findall(lowered)):
            mask |= self.token_mask(token)
        return mask

    def groups(self, pattern: Pattern) -> tuple[int, ...]:
        """The masks of the word groups of ``pattern`` (a match needs a word of each)."""
        return self._groups[pattern.source]

    def allows(self, pattern: Pattern, mask: int) -> bool:
        """False when a word ``pattern`` needs is missing from the text ``mask`` was made of."""
        return all(group & mask for group in self._groups[pattern.source])


def compile_pattern(source: str) -> Pattern:
    """A case-insensitive pattern for ``source``, with the words a match needs."""
    memo = _memo()
    if source not in memo:
        re.compile(source, re.IGNORECASE)  # a bad pattern in the data fails here, at load
        try:
            found = _requirements(_regex_parser.parse(source, re.IGNORECASE))
        except Exception:  # an internal parser shape we do not know: search always
            found = []
        memo[source] = [sorted(group) for group in found]
        _dirty.append(source)
    groups = memo[source]
    if not groups:
        return Pattern(source, None)
    sharpest = max((set(g) for g in groups), key=_strength)
    return Pattern(source, tuple(sorted(sharpest)), tuple(tuple(g) for g in groups))


_MEMO_NAME = "pattern-words-2.json"
_dirty: list[str] = []


@cache
def _memo() -> dict[str, list[list[str]]]:
    from openness.datafiles import cache_dir, prepared_dir

    for folder in (prepared_dir(), cache_dir()):
        try:
            loaded: dict[str, list[list[str]]] = json.loads((folder / _MEMO_NAME).read_text("utf-8"))
            return loaded
        except (OSError, ValueError):
            continue
    return {}


def remember_needed_words(folder: Path | None = None, force: bool = False) -> None:
    """Save the needed words of newly seen patterns (call after loading a data file)."""
    if not _dirty and not force:
        return
    from openness.datafiles import cache_dir

    target = folder or cache_dir()
    try:
        target.mkdir(parents=True, exist_ok=True)
        temporary = target / f"{_MEMO_NAME}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(_memo()), "utf-8")
        os.replace(temporary, target / _MEMO_NAME)
        _dirty.clear()
    except OSError:
        pass


_MIN_WORD = 3
"""Shortest literal run that counts as a needed word ("not", "mau"); two characters of a script
written without spaces ("商业")."""


def _long_enough(run: str) -> bool:
    return len(run) >= _MIN_WORD or (len(run) >= 2 and not run.isascii())


def _requirements(parsed: Any) -> list[set[str]]:
    """Word groups (lower case) a match must contain one word of each, found by walking the
    parsed pattern: mandatory literal runs, groups repeated at least once, and branches
    whose every alternative needs some word. Empty when none can be shown."""
    groups: list[set[str]] = []
    run = ""
    for op, value in parsed:
        name = str(op)
        if name == "LITERAL" and chr(value).isalpha():
            run += chr(value).lower()
            continue
        if _long_enough(run):
            groups.append({run})
        run = ""
        if name == "SUBPATTERN":
            groups.extend(_requirements(value[-1]))
        elif name in ("MAX_REPEAT", "MIN_REPEAT") and value[0] >= 1:
            groups.extend(_requirements(value[2]))
        elif name == "BRANCH":
            options = [_requirements(alternative) for alternative in value[1]]
            if all(options):
                groups.append(set().union(*(max(option, key=_strength) for option in options)))
    if _long_enough(run):
        groups.append({run})
    return groups


_COMMON = frozenset(
    [
        "license", "licensed", "licensee", "licensor", "agreement", "terms", "software", "model",
        "models", "work", "works", "shall", "with", "that", "this", "from", "which", "under", "must",
        "such", "other", "your", "their", "will", "have", "been", "use", "used", "using", "materials",
        "rights", "grant", "granted", "provided", "including",
        # three-letter words and stems that count as needed words since "not" and "mau" do
        "the", "and", "for", "not", "any", "you", "may", "can", "all", "are", "its", "our", "uses",
        "licen", "right", "permission", "purpose", "purposes", "can", "must", "shall", "will",
    ]
)
"""Words in nearly every license sentence: a filter on them lets almost everything through."""


def _strength(words: set[str]) -> tuple[int, int, int]:
    """Prefer words that are rare in licenses, then fewer alternatives, then longer words."""
    return (-sum(1 for w in words if w in _COMMON), -len(words), min(len(w) for w in words))


