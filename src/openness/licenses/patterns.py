"""Case-insensitive patterns that skip the regex when a word they need is absent.

License data holds hundreds of hand-written regexes (clause kinds, titles, version lines).
Trying each on every sentence is the slow part of reading a license; most cannot match
because a word they spell out is missing. Each pattern is parsed once to find words of which
any match needs at least one, and a cheap substring test on the lower-cased text comes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

try:  # the standard library's regex parser (``sre_parse`` before 3.11)
    import re._parser as _regex_parser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _regex_parser

@dataclass(frozen=True)
class Pattern:
    """A compiled pattern and the words of which a match needs at least one (None: unknown)."""

    regex: re.Pattern[str]
    needs: tuple[str, ...] | None

    def search(self, sentence: str, lowered: str) -> bool:
        """True when the pattern matches ``sentence`` (``lowered`` is it in lower case)."""
        if self.needs is not None and not any(word in lowered for word in self.needs):
            return False
        return self.regex.search(sentence) is not None


def compile_pattern(source: str) -> Pattern:
    """Compile ``source`` case-insensitively, with the words a match needs."""
    regex = re.compile(source, re.IGNORECASE)
    try:
        needs = _needed_words(_regex_parser.parse(source, re.IGNORECASE))
    except Exception:  # an internal parser shape we do not know: search always
        needs = None
    return Pattern(regex, tuple(sorted(needs)) if needs else None)


_MIN_WORD = 4


def _needed_words(parsed: Any) -> set[str] | None:
    """Words (lower case) of which any match must contain at least one, found by walking the
    parsed pattern: mandatory literal runs, groups repeated at least once, and branches
    whose every alternative needs some word. None when no such words can be shown."""
    best: set[str] | None = None
    run = ""

    def consider(option: set[str] | None) -> None:
        nonlocal best
        if option and (best is None or _strength(option) > _strength(best)):
            best = option

    for op, value in parsed:
        name = str(op)
        if name == "LITERAL" and chr(value).isalpha():
            run += chr(value).lower()
            continue
        if len(run) >= _MIN_WORD:
            consider({run})
        run = ""
        if name == "LITERAL" and chr(value) in " -'":
            continue
        if name == "SUBPATTERN":
            consider(_needed_words(value[-1]))
        elif name in ("MAX_REPEAT", "MIN_REPEAT") and value[0] >= 1:
            consider(_needed_words(value[2]))
        elif name == "BRANCH":
            options = [_needed_words(alternative) for alternative in value[1]]
            if all(options):
                consider(set().union(*options))  # type: ignore[arg-type]
    if len(run) >= _MIN_WORD:
        consider({run})
    return best


def _strength(words: set[str]) -> tuple[int, int]:
    """Prefer fewer alternatives, then longer words (both make the filter sharper)."""
    return (-len(words), min(len(w) for w in words))


