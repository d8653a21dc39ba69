"""The report as JSON (design.md's contract)."""

from __future__ import annotations

import json

from openness.report import Report


def render_json(report: Report) -> str:
    """Serialise a report; stable key order, UTF-8 kept as is."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
