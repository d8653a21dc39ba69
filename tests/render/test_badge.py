"""The SVG badge: "OSAID 1.0" on the left, the verdict's label in words on the right."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from openness.audit import Auditor
from openness.cli.main import main
from openness.render import render_text
from openness.render.badge import badge_svg, render_badge
from openness.report import Report
from tests.render.audited_corpus import fixture_release
from tests.render.golden_files import assert_matches_golden

SVG = "{http://www.w3.org/2000/svg}"

# label -> (a release with that label, the words, the colour of the right half)
BADGES = {
    "open-source-ai": ("olmo-like", "open source AI", "#44cc11"),
    "open-weights": ("phi2-like", "open weights", "#dfb317"),
    "restricted-weights": ("llama31-like", "restricted weights", "#e05d44"),
    "closed": (None, "closed", "#9f9f9f"),
}


def report_labelled(label: str, tmp_path: Path) -> Report:
    """A real audit whose OSAID label is ``label`` (an empty folder is closed)."""
    release = BADGES[label][0]
    if release is None:
        (tmp_path / "empty").mkdir()
        report = Auditor().audit_target(str(tmp_path / "empty"))
    else:
        report = fixture_release(release)
    assert report.osaid.label == label
    return report


def texts(svg: str) -> list[str]:
    """The visible texts of a badge (each is drawn twice: shadow and text)."""
    root = ET.fromstring(svg.encode("utf-8"))
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("label", sorted(BADGES))
def test_badge_says_osaid_and_the_label_in_words(label: str, tmp_path: Path) -> None:
    svg = render_badge(report_labelled(label, tmp_path))
    words, colour = BADGES[label][1], BADGES[label][2]
    assert texts(svg) == ["OSAID 1.0", "OSAID 1.0", words, words]
    fills = [p.get("fill") for p in ET.fromstring(svg.encode("utf-8")).iter(f"{SVG}path")]
    assert colour in fills
    assert_matches_golden(f"osaid-{label}.badge.svg", svg)


def test_badge_is_the_same_however_many_badges_were_drawn_before(tmp_path: Path) -> None:
    report = report_labelled("open-weights", tmp_path)
    first = render_badge(report)
    render_badge(fixture_release("olmo-like"))
    assert render_badge(report) == first


def test_badge_text_is_escaped_and_parses_as_xml() -> None:
    hostile = 'a <b> & "c" \'d\''
    svg = badge_svg("OSAID & <co>", hostile, "#e05d44", "m1")
    assert "<b>" not in svg
    assert texts(svg) == ["OSAID & <co>", "OSAID & <co>", hostile, hostile]


def test_badge_format_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    release = Path(__file__).parents[1] / "fixtures" / "releases" / "llama31-like"
    assert main(["audit", str(release), "--format", "badge"]) == 0
    out = capsys.readouterr().out
    assert texts(out) == texts(render_text(fixture_release("llama31-like"), "badge"))
