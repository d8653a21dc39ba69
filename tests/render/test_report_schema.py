"""The report's JSON Schema: every report the tool writes validates, and it is not vacuous."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from openness.cli.main import main
from openness.render.schema import report_schema
from openness.vocabulary import Component, EvidenceLevel, LicenseClass, RestrictionKind
from tests.render.audited_corpus import GROUPS, audited, fixture_release

VALIDATOR = Draft202012Validator(report_schema())
Mutation = Callable[[dict[str, Any]], None]


def errors(document: dict[str, Any]) -> list[str]:
    """Every schema violation, with where it is."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in VALIDATOR.iter_errors(document)]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(report_schema())
    assert report_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("group", GROUPS)
def test_every_report_validates(group: str) -> None:
    reports = audited(group)
    if not reports:
        pytest.skip(f"no data for {group}")
    invalid = {name: found for name, report in reports if (found := errors(report.to_dict()))}
    assert invalid == {}


def test_the_vocabularies_are_those_of_the_code() -> None:
    defs = report_schema()["$defs"]
    assert defs["componentSlug"]["enum"] == [c.value for c in Component]
    assert defs["evidenceLevel"]["enum"] == [level.value for level in EvidenceLevel] + [None]
    assert defs["licenseClass"]["enum"] == [c.value for c in LicenseClass]
    assert defs["restrictionKind"]["enum"] == [k.value for k in RestrictionKind]


def _parent(report: dict[str, Any], path: str) -> tuple[Any, str]:
    """The object holding the last key of a "/"-separated path, and that key."""
    *parents, last = path.split("/")
    target: Any = report
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    return target, last


def _set(path: str, value: Any) -> Mutation:
    def mutate(report: dict[str, Any]) -> None:
        target, key = _parent(report, path)
        target[key] = value
    return mutate


def _rename(path: str, new: str) -> Mutation:
    def mutate(report: dict[str, Any]) -> None:
        target, key = _parent(report, path)
        target[new] = target.pop(key)
    return mutate


def _delete(path: str) -> Mutation:
    def mutate(report: dict[str, Any]) -> None:
        target, key = _parent(report, path)
        del target[key]
    return mutate


MUTATIONS: dict[str, Mutation] = {
    # renamed keys
    "verdicts renamed": _rename("verdicts", "verdict"),
    "osaid-1.0 renamed": _rename("verdicts/osaid-1.0", "osaid"),
    "component slug renamed": _rename("components/model-card", "model_card"),
    "would_pass_if_relicensed renamed": _rename("verdicts/osaid-1.0/would_pass_if_relicensed", "would_pass"),
    "license class renamed": _rename("components/model-parameters-final/license/class", "license_class"),
    # values outside the vocabulary
    "schema_version": _set("schema_version", "2"),
    "subject kind": _set("subject/kind", "folder"),
    "component status": _set("components/datasets/status", "missing"),
    "evidence level": _set("components/model-parameters-final/level", "guessed"),
    "license class": _set("components/model-parameters-final/license/class", "free"),
    "license id": _set("components/model-parameters-final/license/id", "Apache 2.0"),
    "label": _set("verdicts/osaid-1.0/label", "open-ish"),
    "verdict status": _set("verdicts/osaid-1.0/status", "passed"),
    "pass with a label other than open-source-ai": _set("verdicts/osaid-1.0/status", "pass"),
    "criterion status": _set("verdicts/osaid-1.0/criteria/0/status", "partly"),
    "restriction kind": _set("terms/restrictions/0/kind", "non-commerical"),
    "license match": _set("licenses/0/match", "close"),
    "mof class": _set("verdicts/mof/class", 4),
    "would_pass_if_relicensed as text": _set("verdicts/osaid-1.0/would_pass_if_relicensed", "no"),
    # missing required keys
    "subject revision missing": _delete("subject/revision"),
    "a component missing": _delete("components/research-paper"),
    "component status missing": _delete("components/datasets/status"),
    "component evidence missing": _delete("components/datasets/evidence"),
    "criterion fix missing": _delete("verdicts/osaid-1.0/criteria/0/fix"),
    "finding message missing": _delete("findings/0/message"),
    "tool_version missing": _delete("tool_version"),
    "mof progress of class 2 missing": _delete("verdicts/mof/progress/2"),
}


@pytest.fixture(scope="module")
def restricted_report() -> dict[str, Any]:
    """A report with findings, license files and quoted restrictions: every mutation has a target."""
    report = fixture_release("card-license-mismatch").to_dict()
    assert report["findings"] and report["licenses"] and report["terms"]["restrictions"]
    assert not errors(report)
    return report


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_report_that_breaks_the_contract_is_rejected(name: str, restricted_report: dict[str, Any]) -> None:
    mutated = copy.deepcopy(restricted_report)
    MUTATIONS[name](mutated)
    assert mutated != restricted_report
    assert errors(mutated)


def test_added_keys_are_allowed_everywhere_the_contract_allows_them(restricted_report: dict[str, Any]) -> None:
    extended = copy.deepcopy(restricted_report)
    extended["generated_by"] = "a later version"
    extended["components"]["datasets"]["notes"] = ["an added key"]
    extended["verdicts"]["another-framework"] = {"status": "pass"}
    extended["verdicts"]["osaid-1.0"]["criteria"][0]["weight"] = 1
    assert errors(extended) == []


def test_schema_command_prints_the_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == report_schema()
