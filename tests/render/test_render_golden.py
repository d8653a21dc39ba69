"""Golden files: each fixture release's Markdown and HTML report, compared exactly.

After an intended change to a renderer (or to what the audit concludes), regenerate them with
``OPENNESS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/render`` and review the diff before committing.
Subject ids and the tool version are normalised (see :func:`tests.render.pages.audited`), so the
files do not depend on where the repository lies or on the version number.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from openness.render import render_text
from tests.render.pages import GOLDEN_VERSION, PageInventory, audited, markdown_as_html

GOLDEN = Path(__file__).parent / "golden"
RELEASES = ["olmo-like", "llama31-like", "mixtral-like", "llama-finetune-relabelled", "bloom-like", "no-license"]
SUFFIX = {"markdown": "md", "html": "html"}


@pytest.mark.parametrize("format_name", sorted(SUFFIX))
@pytest.mark.parametrize("release", RELEASES)
def test_report_matches_its_golden_file(release: str, format_name: str) -> None:
    rendered = render_text(audited(release), format_name)
    golden = GOLDEN / f"{release}.{SUFFIX[format_name]}"
    if os.environ.get("OPENNESS_UPDATE_GOLDEN") == "1":
        golden.write_text(rendered, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run OPENNESS_UPDATE_GOLDEN=1 pytest tests/render"
    assert rendered == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if the change is intended: OPENNESS_UPDATE_GOLDEN=1 pytest tests/render")


@pytest.mark.parametrize("format_name", sorted(SUFFIX))
def test_rendering_twice_gives_the_same_text(format_name: str) -> None:
    report = audited("llama31-like")
    assert render_text(report, format_name) == render_text(report, format_name)


@pytest.mark.parametrize("format_name", sorted(SUFFIX))
def test_the_tool_version_is_shown(format_name: str) -> None:
    rendered = render_text(audited("olmo-like"), format_name)
    page = markdown_as_html(rendered) if format_name == "markdown" else rendered
    assert GOLDEN_VERSION in PageInventory.of(page).all_text
