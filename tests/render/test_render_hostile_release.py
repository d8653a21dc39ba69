"""A hostile release cannot inject markup: its card and license text stay inert text in every format.

The Markdown is checked as GitHub would show it (rendered by a CommonMark parser with tables and
raw HTML on), the HTML as a browser's parser reads it: no element or attribute the renderer did
not write, links only to http(s), and the hostile text still shown, as text.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import openness.render
from openness.evidence import Subject
from openness.render.html import render_html
from openness.render.markdown import render_markdown
from openness.report import ComponentLicense, Finding, Report
from openness.vocabulary import LicenseClass
from tests.conftest import RELEASES
from tests.render.pages import PageInventory, audited, audited_folder, markdown_as_html

HOSTILE = ('x | y `z` <script>alert(1)</script> "><img src=x onerror=alert(2)> [x](javascript:alert(3)) '
           '![p](https://evil.example/p.png) [d](data:text/html,<b>4</b>) @octocat\n# heading\n| a | b |\n---')
"""Every trick at once: pipes, backticks, tags, attribute breakout, script and data links, an image, a mention."""

CARD = """---
license: "<script>alert('license')</script>"
base_model: "evil/x\\"><img src=x onerror=alert(1)>"
---
# Model <script>alert(1)</script>

Fine-tuned from [x](javascript:alert(1)) on ![pixel](https://evil.example/p.png) data. Ask @octocat | a `code` cell.
<img src=x onerror=alert(4)>
"""
LICENSE = """Evil Model License <script>alert(5)</script>

You may not use the Model for commercial purposes "><img src=x onerror=alert(6)> | `x` [y](javascript:alert(7)).
"""

PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "p", "strong", "section", "div", "h2", "h3",
             "article", "span", "details", "summary", "ul", "li", "blockquote", "table", "thead", "tbody", "tr",
             "th", "td", "br", "a", "code", "footer"}
"""The elements the HTML template writes."""
COMMENT_TAGS = {"h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "strong", "em", "details", "summary",
                "ul", "li", "a", "sub", "code", "br"}
"""The elements the Markdown renderer's output may become."""


def hostile_folder(root: Path) -> Path:
    """A release whose card and license try to inject markup."""
    root.mkdir()
    (root / "README.md").write_text(CARD, encoding="utf-8")
    (root / "LICENSE").write_text(LICENSE, encoding="utf-8")
    (root / "config.json").write_bytes((RELEASES / "mixtral-like" / "config.json").read_bytes())
    return root


def hostile_everywhere() -> Report:
    """A report with the hostile text in every field a renderer prints."""
    report = audited("llama-finetune-relabelled")
    restriction = {"kind": HOSTILE, "quote": HOSTILE, "source": HOSTILE, "line": 3, "quoted": True}
    return replace(
        report,
        subject=Subject("local", HOSTILE, HOSTILE),
        terms={"id": HOSTILE, "name": HOSTILE, "class": "restricted", "level": "inferred",
               "restrictions": [restriction]},
        lineage=({"base_model": HOSTILE, "relation": HOSTILE, "license": HOSTILE, "class": "restricted",
                  "evidence": [HOSTILE]},),
        findings=(Finding(HOSTILE, HOSTILE, (HOSTILE,)),),
        components=tuple(replace(c, evidence=(HOSTILE,), license=ComponentLicense(HOSTILE, LicenseClass.RESTRICTED))
                         for c in report.components),
        osaid=replace(report.osaid, criteria=tuple(replace(c, title=HOSTILE, why=HOSTILE, fix=HOSTILE,
                                                           evidence=(HOSTILE,)) for c in report.osaid.criteria)),
        mof={**(report.mof or {}), "notes": [HOSTILE]},
    )


def assert_inert(page: str, allowed_tags: set[str]) -> PageInventory:
    """Only the renderer's own elements, no event handlers or sources, links only to http(s)."""
    inventory = PageInventory.of(page)
    assert set(inventory.tags) <= allowed_tags, set(inventory.tags) - allowed_tags
    assert not [a for a in inventory.attributes if a[1].startswith("on") or a[1] in ("src", "srcdoc", "style")]
    assert all(href.startswith(("http://", "https://")) for href in inventory.hrefs), inventory.hrefs
    for table in inventory.tables:
        assert len(set(table)) == 1, f"a table row has a different number of cells: {table}"
    return inventory


def comment_of(report: Report) -> str:
    """The Markdown comment as GitHub would display it."""
    return markdown_as_html(render_markdown(report))


@pytest.mark.parametrize("source", ["folder", "every-field"])
def test_html_report_of_a_hostile_release_is_inert(source: str, tmp_path: Path) -> None:
    report = audited_folder(hostile_folder(tmp_path / "evil")) if source == "folder" else hostile_everywhere()
    page = render_html(report)
    inventory = assert_inert(page, PAGE_TAGS)
    assert inventory.tags.count("style") == 1
    if source == "folder":
        assert '"><img src=x onerror=alert(6)> | `x` [y](javascript:alert(7))' in inventory.all_text
        assert "<script>alert('license')</script>" in inventory.all_text
    else:
        assert "<script>alert(1)</script>" in inventory.all_text
        assert "https://evil.example/p.png" in inventory.hrefs


@pytest.mark.parametrize("source", ["folder", "every-field"])
def test_markdown_report_of_a_hostile_release_is_inert(source: str, tmp_path: Path) -> None:
    report = audited_folder(hostile_folder(tmp_path / "evil")) if source == "folder" else hostile_everywhere()
    inventory = assert_inert(comment_of(report), COMMENT_TAGS)
    if source == "folder":
        assert '"><img src=x onerror=alert(6)> | `x` [y](javascript:alert(7))' in inventory.all_text
    else:
        assert "[x](javascript:alert(3))" in inventory.all_text
        assert "<script>alert(1)</script>" in inventory.all_text
        assert "@octocat" not in inventory.all_text, "a card must not mention GitHub users from a bot's comment"
        assert "@\u200boctocat" in inventory.all_text


def test_markdown_release_text_never_starts_a_block_or_a_heading() -> None:
    inventory = PageInventory.of(comment_of(hostile_everywhere()))
    assert inventory.tags.count("h3") == 1, "only the verdict is a level-3 heading"
    assert "hr" not in inventory.tags
    assert "ol" not in inventory.tags


def test_the_page_template_never_turns_escaping_off() -> None:
    template = (Path(openness.render.__file__).parent / "templates" / "report.html.j2").read_text("utf-8")
    assert "|safe" not in template.replace(" ", "")
    assert "autoescape" not in template
