"""Helpers for the renderer tests: audited fixture reports, and an inventory of what an HTML page holds."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from openness.audit import Auditor
from openness.evidence import Subject
from openness.report import Report
from openness.sources.local import LocalFolderSource
from tests.conftest import RELEASES

GOLDEN_VERSION = "0.0.0+golden"
"""The tool version golden reports carry, so a version bump does not change them."""


@cache
def audited(name: str) -> Report:
    """A fixture release audited, with a stable subject id and tool version (golden files compare exactly)."""
    report = Auditor().audit(LocalFolderSource(RELEASES / name))
    return replace(report, subject=Subject("local", f"tests/fixtures/releases/{name}"), tool_version=GOLDEN_VERSION)


def audited_folder(path: Path) -> Report:
    """A release folder made by a test, audited as the CLI would."""
    return Auditor().audit(LocalFolderSource(path))


def markdown_as_html(markdown: str) -> str:
    """Markdown rendered as GitHub would (CommonMark, tables, strikethrough, raw HTML passed through)."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)


@dataclass
class PageInventory(HTMLParser):
    """Every element, attribute and text of an HTML page, as a browser's parser sees them."""

    tags: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    tables: list[list[int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    @classmethod
    def of(cls, page: str) -> PageInventory:
        """Parse a page."""
        inventory = cls()
        inventory.feed(page)
        inventory.close()
        return inventory

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append(0)
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self.tables[-1][-1] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def all_text(self) -> str:
        """The page's text, as a reader sees it (entities decoded)."""
        return "".join(self.text)

    @property
    def hrefs(self) -> list[str]:
        """Every link target."""
        return [value for _, name, value in self.attributes if name == "href"]
