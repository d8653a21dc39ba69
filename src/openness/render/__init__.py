"""Renderers: pure functions from a Report to text (terminal, JSON, …).

Every text format is registered in :data:`TEXT_RENDERERS` as ``"module:function"``; the
module is imported only when its format is asked for, so start-up stays fast. ``terminal``
is the one format that writes to a rich console instead of returning text.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # the report model costs 0.03 s to import; `openness license` never needs it
    from openness.report import Report

TEXT_RENDERERS: dict[str, str] = {
    "json": "openness.render.json:render_json",
    "markdown": "openness.render.markdown:render_markdown",
    "html": "openness.render.html:render_html",
    "badge": "openness.render.badge:render_badge",
    "cyclonedx": "openness.render.cyclonedx:render_cyclonedx",
}
"""Format name → ``module:function`` of a pure ``(Report) -> str`` renderer."""

FORMATS: tuple[str, ...] = ("terminal", *TEXT_RENDERERS)
"""Every ``--format`` choice of ``openness audit`` and ``openness check``."""


def render_text(report: Report, format_name: str) -> str:
    """The report rendered in a text format of :data:`TEXT_RENDERERS`."""
    module_name, _, function_name = TEXT_RENDERERS[format_name].partition(":")
    renderer = cast("Callable[[Report], str]", getattr(import_module(module_name), function_name))
    return renderer(report)
