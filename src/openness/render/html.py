"""The report as one self-contained HTML page: readable on a phone, printable, no external assets.

The page is a Jinja2 template (``templates/report.html.j2``) rendered with autoescaping always
on: every value the template prints is HTML-escaped unless it is already markup, and the only
markup made here is :func:`linked`, which escapes each piece itself and makes links only of
http(s) URLs. The page has inline CSS, no scripts, no fonts or images from elsewhere.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from openness.render.digest import digest, segments
from openness.report import Report


def render_html(report: Report) -> str:
    """The report as a complete HTML document."""
    return _environment().get_template("report.html.j2").render(view=digest(report))


def linked(value: str) -> Markup:
    """Escaped text in which http(s) URLs are links; nothing else (``javascript:``, ``data:``) ever is."""
    out = Markup()
    for piece in segments(value):
        if piece.href:
            out += Markup('<a href="{0}" rel="nofollow noopener noreferrer">{1}</a>').format(piece.href, piece.text)
        else:
            out += escape(piece.text)
    return out


@cache
def _environment() -> Environment:
    """The template environment: autoescape on, undefined names an error, no stray whitespace."""
    environment = Environment(
        loader=PackageLoader("openness.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["linked"] = linked
    return environment
