"""A huge report still fits one GitHub comment: long quotes and long lists are cut, visibly."""

from __future__ import annotations

from dataclasses import replace

import pytest

from openness.render.html import render_html
from openness.render.markdown import GITHUB_COMMENT_LIMIT, render_markdown
from openness.report import Finding, Report
from tests.render.pages import PageInventory, audited, markdown_as_html

ESCAPED = "| `<b>` " * 2000
"""14,000 characters that all need escaping in Markdown, so escaping doubles them."""
PLAIN = "the licensee shall " * 800
"""Long ordinary prose."""


def huge_report(long: str = PLAIN) -> Report:
    """Thousands of restrictions, findings and base models, every text thousands of characters long."""
    report = audited("llama-finetune-relabelled")
    restrictions = [{"kind": "field-of-use", "quote": f"clause {n} {long}", "source": "USE_POLICY.md", "line": n,
                     "quoted": True} for n in range(3000)]
    return replace(
        report,
        terms={**report.terms, "restrictions": restrictions},
        findings=tuple(Finding("lineage", f"finding {n} {long}", tuple(long for _ in range(50))) for n in range(2000)),
        lineage=tuple({"base_model": f"org/base-{n}", "relation": "finetune", "license": None, "class": "unknown",
                       "evidence": [long] * 20} for n in range(500)),
        components=tuple(replace(c, evidence=(long,) * 500) for c in report.components),
        osaid=replace(report.osaid, criteria=tuple(replace(c, why=long, fix=long, evidence=(long,) * 500)
                                                   for c in report.osaid.criteria)),
    )


@pytest.mark.parametrize("long", [PLAIN, ESCAPED], ids=["plain", "all-escaped"])
def test_markdown_of_a_huge_report_fits_a_github_comment(long: str) -> None:
    markdown = render_markdown(huge_report(long))
    assert len(markdown) <= GITHUB_COMMENT_LIMIT
    assert markdown.startswith("### ❌ Not open source AI: the weights are available, but under terms")


def test_markdown_of_a_huge_report_says_what_it_cut() -> None:
    text = PageInventory.of(markdown_as_html(render_markdown(huge_report()))).all_text
    assert "… 2975 more restrictions" in text
    assert "more characters)" in text
    assert "… 1988 more findings" in text
    assert "… 490 more base models" in text


def test_markdown_leaves_out_whole_sections_rather_than_the_restrictions() -> None:
    text = PageInventory.of(markdown_as_html(render_markdown(huge_report(ESCAPED)))).all_text
    assert "… 2975 more restrictions" in text
    assert "Components: left out, the comment would be too long" in text


def test_markdown_of_a_normal_report_leaves_nothing_out() -> None:
    markdown = render_markdown(audited("bloom-like"))
    assert "left out" not in markdown
    assert " more characters)" not in markdown


def test_html_of_a_huge_report_is_bounded_and_says_what_it_cut() -> None:
    page = render_html(huge_report())
    assert len(page) < 1_000_000
    text = PageInventory.of(page).all_text
    assert "… 2975 more restrictions" in text
    assert "… 494 more" in text
