"""Links and dataset names read back from a report's evidence lines.

The report keeps evidence as sentences ("README.md:54: https://github.com/allenai/OLMo — "…"",
"README.md:3 (datasets): allenai/dolma"); formats that need the links themselves (an SBOM's
external references) take them from there, so the report stays the one source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

HUB = "https://huggingface.co"
_URL = re.compile(r"https?://[^\s\"'<>`\\{}|^]+")
_TRAILING = ".,;:!?)]\u00bb\u201d\u2019"
_CARD_DATASET = re.compile(r"\(datasets\): ([A-Za-z0-9][\w.-]*(?:/[\w.-]+)?)")
_HUB_DATASET = re.compile(r"^https://huggingface\.co/datasets/([\w.-]+(?:/[\w.-]+)?)/?$")
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")


def urls_in(lines: Iterable[str]) -> tuple[str, ...]:
    """Every distinct http(s) URL the lines cite, first mention first, trailing punctuation cut."""
    found: dict[str, None] = {}
    for line in lines:
        for match in _URL.finditer(line):
            url = match.group(0).rstrip(_TRAILING)
            if urlsplit(url).hostname:
                found.setdefault(url, None)
    return tuple(found)


def is_code_host(url: str) -> bool:
    """True for a link to a source-code forge (a repository rather than a web page)."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return host in _CODE_HOSTS


@dataclass(frozen=True)
class DatasetMention:
    """A dataset the evidence names: its name and, where known, where to get it."""

    name: str
    url: str | None


def datasets_in(lines: Iterable[str]) -> tuple[DatasetMention, ...]:
    """The datasets named by evidence lines: Hub dataset ids from card metadata and links.

    A Hub dataset is named by its id whether the card's ``datasets`` metadata or a link named
    it, so the two mentions of one dataset become one; other links keep their URL as name.
    """
    found: dict[str, DatasetMention] = {}
    lines = tuple(lines)
    for line in lines:
        for match in _CARD_DATASET.finditer(line):
            name = match.group(1)
            found.setdefault(name.casefold(), DatasetMention(name, f"{HUB}/datasets/{name}"))
    for url in urls_in(lines):
        hub = _HUB_DATASET.match(url)
        name = hub.group(1) if hub else url
        found.setdefault(name.casefold(), DatasetMention(name, url))
    return tuple(found.values())
