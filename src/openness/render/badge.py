"""The OSAID verdict as an SVG badge for a README: "OSAID 1.0 | open source AI".

Drawn by ``anybadge`` (shields.io look, no network, no fonts needed). The right half says the
verdict's label in words, coloured from green (open source AI) to grey (closed).
"""

from __future__ import annotations

import anybadge

from openness.report import Label, Report

BADGE_TITLE = "OSAID 1.0"
"""The left half of every verdict badge."""

LABEL_WORDS: dict[Label, str] = {
    "open-source-ai": "open source AI",
    "open-weights": "open weights",
    "restricted-weights": "restricted weights",
    "closed": "closed",
}
"""The right half: each OSAID label in words."""

LABEL_COLOURS: dict[Label, str] = {
    "open-source-ai": "#44cc11",
    "open-weights": "#dfb317",
    "restricted-weights": "#e05d44",
    "closed": "#9f9f9f",
}
"""Background of the right half per label: green, yellow, red, grey (shields.io's palette)."""


def badge_svg(left: str, right: str, colour: str, mask_id: str) -> str:
    """A two-part badge; both texts are XML-escaped, ``mask_id`` makes it deterministic.

    anybadge numbers its SVG masks with a process-wide counter, so the same badge would differ
    between runs; a fixed id per badge keeps output stable and ids unique when several
    different badges are inlined in one page.
    """
    badge = anybadge.Badge(left, right, default_color=colour)
    badge.mask_str = mask_id
    return str(badge.badge_svg_text)


def render_badge(report: Report) -> str:
    """The report's OSAID label as an SVG badge."""
    label = report.osaid.label
    return badge_svg(BADGE_TITLE, LABEL_WORDS[label], LABEL_COLOURS[label], f"openness-osaid-{label}")
