"""European Open Source AI Index grades from an audit's evidence (frameworks/openness_index.py).

* Table-driven rules on small hand-made component dicts (the report JSON's ``components`` shape).
* The score: the index's mean over judged dimensions, none when fewer than half are judged.
* A real MOF manifest graded through ``Auditor().audit_manifest().to_dict()``.
* With the shared index snapshot present: our dimension ids are the index's ``_parameters.yml`` ones.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest
import yaml

from openness.frameworks.openness_index import grade_release, grade_report, load_index_framework
from openness.vocabulary import Component

INDEX = Path(__file__).parents[3] / "shared" / "data" / "osai_index"
OLMO = Path(__file__).parents[3] / "shared" / "data" / "mot" / "models" / "OLMo-7B.yml"


def components(present: Collection[str] = (), unknown: Collection[str] = ()) -> dict[str, dict[str, Any]]:
    """All 17 components, absent unless listed."""
    out: dict[str, dict[str, Any]] = {}
    for component in Component:
        slug = component.value
        status = "present" if slug in present else "unknown" if slug in unknown else "absent"
        out[slug] = {"status": status, "level": "declared" if status == "present" else None,
                     "license": {"id": None, "class": "unknown"}, "evidence": [f"test: {slug} {status}"]}
    return out


OPEN_BASE = {"base_model": "org/base", "relation": "finetune", "license": "Apache-2.0", "class": "osi-approved",
             "evidence": ["README.md:3"]}
RESTRICTED_BASE = {**OPEN_BASE, "license": "llama3", "class": "restricted"}
UNKNOWN_BASE = {**OPEN_BASE, "license": None, "class": "unknown"}

# (dimension, present components, unknown components, terms class, lineage, expected grade)
CASES: list[tuple[str, set[str], set[str], str, list[dict[str, Any]], str | None]] = [
    ("weights_endmodel", {"model-parameters-final"}, set(), "osi-approved", [], "open"),
    ("weights_endmodel", {"model-parameters-final"}, set(), "restricted", [], "partial"),
    ("weights_endmodel", {"model-parameters-final"}, set(), "unknown", [], "partial"),
    ("weights_endmodel", set(), set(), "osi-approved", [], "closed"),
    ("weights_endmodel", set(), {"model-parameters-final"}, "osi-approved", [], None),
    ("weights_basemodel", {"model-parameters-final"}, set(), "restricted", [], "partial"),
    ("weights_basemodel", {"model-parameters-final"}, set(), "restricted", [OPEN_BASE], "open"),
    ("weights_basemodel", {"model-parameters-final"}, set(), "osi-approved", [RESTRICTED_BASE], "partial"),
    ("weights_basemodel", {"model-parameters-final"}, set(), "osi-approved", [OPEN_BASE, UNKNOWN_BASE], None),
    ("datasources_endmodel", {"datasets", "data-card"}, set(), "osi-approved", [], "open"),
    ("datasources_endmodel", {"datasets"}, set(), "osi-approved", [], "partial"),
    ("datasources_endmodel", {"data-card"}, set(), "osi-approved", [], "partial"),
    ("datasources_endmodel", set(), set(), "osi-approved", [], "closed"),
    ("datasources_endmodel", set(), {"datasets"}, "osi-approved", [], None),
    ("datasources_basemodel", {"datasets"}, set(), "osi-approved", [], "partial"),
    ("datasources_basemodel", {"datasets", "data-card"}, set(), "osi-approved", [OPEN_BASE], None),
    ("trainingcode", {"training-code"}, set(), "osi-approved", [], "open"),
    ("trainingcode", {"data-preprocessing-code"}, set(), "osi-approved", [], "partial"),
    ("trainingcode", set(), set(), "osi-approved", [], "closed"),
    ("trainingcode", set(), {"training-code"}, "osi-approved", [], None),
    ("code", {"training-code", "technical-report"}, set(), "osi-approved", [], "open"),
    ("code", {"training-code"}, set(), "osi-approved", [], "partial"),
    ("code", {"research-paper"}, set(), "osi-approved", [], "closed"),
    ("hardware_architecture", {"model-architecture", "research-paper"}, set(), "osi-approved", [], "open"),
    ("hardware_architecture", {"model-architecture"}, set(), "osi-approved", [], "partial"),
    ("hardware_architecture", set(), set(), "osi-approved", [], "closed"),
    ("preprint", {"research-paper"}, set(), "osi-approved", [], "open"),
    ("preprint", {"technical-report"}, set(), "osi-approved", [], "partial"),
    ("preprint", set(), set(), "osi-approved", [], "closed"),
    ("paper", {"research-paper"}, set(), "osi-approved", [], None),
    ("modelcard", {"model-card"}, set(), "osi-approved", [], "open"),
    ("modelcard", set(), set(), "osi-approved", [], "closed"),
    ("datasheet", {"data-card"}, set(), "osi-approved", [], "open"),
    ("datasheet", set(), set(), "osi-approved", [], "closed"),
    ("licenses", set(), set(), "osi-approved", [], "open"),
    ("licenses", set(), set(), "open-data", [], "open"),
    ("licenses", set(), set(), "restricted", [], "partial"),
    ("licenses", set(), set(), "proprietary", [], "closed"),
    ("licenses", set(), set(), "unknown", [], None),
]


@pytest.mark.parametrize(("dimension", "present", "unknown", "terms", "lineage", "expected"), CASES)
def test_grading_rules(dimension: str, present: set[str], unknown: set[str], terms: str,
                       lineage: list[dict[str, Any]], expected: str | None) -> None:
    result = grade_release(components(present, unknown), terms, lineage)
    grade = result.grade(dimension)
    assert grade.grade == expected, grade.why
    assert grade.why
    if expected in ("open", "partial") and dimension not in ("licenses", "weights_basemodel"):
        assert grade.evidence, "a positive grade names its evidence"


def test_every_dimension_in_the_index_order() -> None:
    result = grade_release(components(), "unknown", [])
    assert [g.id for g in result.grades] == [d.id for d in load_index_framework().dimensions]
    assert len(result.grades) == 12


def test_score_is_the_index_mean_over_judged_dimensions() -> None:
    everything = {c.value for c in Component}
    result = grade_release(components(everything), "osi-approved", [])
    assert result.judged == 11  # paper is never judged
    assert result.score == 1.0
    result = grade_release(components({"model-parameters-final"}), "restricted", [])
    points = {"open": 1.0, "partial": 0.5, "closed": 0.0}
    judged = [points[g.grade] for g in result.grades if g.grade is not None]
    assert result.judged == len(judged)
    assert result.score == pytest.approx(sum(judged) / len(judged))


def test_no_score_when_fewer_than_half_judged() -> None:
    unknown = {c.value for c in Component}
    result = grade_release(components(unknown=unknown), "unknown", [])
    assert result.judged < 6
    assert result.score is None


def test_grades_a_manifest_report() -> None:
    if not OLMO.is_file():
        pytest.skip(f"MOT data snapshot not available: {OLMO}")
    from openness.audit import Auditor

    result = grade_report(Auditor().audit_manifest(OLMO).to_dict())
    assert result.grade("weights_endmodel").grade == "open"
    assert result.grade("paper").grade is None
    assert result.score == 1.0


def test_dimension_ids_match_the_index_parameters() -> None:
    parameters = INDEX / "main-database" / "_parameters.yml"
    if not parameters.is_file():
        pytest.skip(f"index data snapshot not available: {parameters}")
    groups = yaml.safe_load(parameters.read_text("utf-8"))
    index_ids = [p["ref"] for group in groups for p in group["params"]]
    index_names = {p["ref"]: p["name"].strip() for group in groups for p in group["params"]}
    framework = load_index_framework()
    assert [d.id for d in framework.dimensions] == index_ids
    assert {d.id: d.name for d in framework.dimensions} == index_names


def test_unjudged_dimensions_say_why() -> None:
    for dimension in load_index_framework().dimensions:
        kind = dimension.rule["kind"]
        if kind == "unjudged" or (kind == "base" and dimension.rule.get("with_base") == "unjudged"):
            assert dimension.unjudged_because
