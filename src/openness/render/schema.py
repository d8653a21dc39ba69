"""The JSON Schema (Draft 2020-12) of the report JSON, shipped with the package.

``data/report-1.schema.json`` is the machine-checkable form of design.md's report contract
for ``schema_version`` "1": the contract's keys are required and its vocabularies closed,
while objects stay open to added keys.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from openness.datafiles import load_json_data
from openness.report import SCHEMA_VERSION

SCHEMA_FILE = f"report-{SCHEMA_VERSION}.schema.json"
"""File name of the schema of the current report version, under ``openness/render/data``."""


def report_schema_text() -> str:
    """The schema as shipped (JSON text)."""
    return resources.files("openness.render").joinpath("data", SCHEMA_FILE).read_text("utf-8")


def report_schema() -> dict[str, Any]:
    """The schema, parsed."""
    return load_json_data("openness.render", SCHEMA_FILE)
