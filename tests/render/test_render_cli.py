"""`openness audit X --format markdown|html` prints the report documents."""

from __future__ import annotations

import pytest

from openness.cli.main import main
from tests.conftest import RELEASES


def test_audit_prints_markdown_with_the_verdict_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(RELEASES / "llama31-like"), "--format", "markdown"]) == 0
    first_line = capsys.readouterr().out.splitlines()[0]
    assert first_line.startswith("### ❌ Not open source AI: the weights are available, but under terms that restrict")
    assert "Llama 3.1 Community License Agreement" in first_line


def test_audit_prints_a_whole_html_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(RELEASES / "olmo-like"), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!doctype html>")
    assert page.rstrip().endswith("</html>")
    assert 'id="verdict" class="verdict pass"' in page
