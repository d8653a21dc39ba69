"""MOF classes: conformance with the Model Openness Tool (MOT), the reference implementation.

* The 27 MOT test fixtures give exactly the class and progress MOT's API returned
  (``Test_Data/expected_results.json``).
* The 273-model MOT database gives self-consistent results, and its class distribution is kept
  as a regression guard (the database carries no class of its own to compare with).
* The bundled ``mof-1.0.yaml`` agrees with MOT's component settings and license files.
* A few small manifests show the inheritance and report/paper rules without the MOT data.

The MOT data lives in ../shared/data/mot (read-only); those tests skip when it is absent.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from openness.datafiles import load_data
from openness.frameworks.mof import MofResult, evaluate_mof_manifest, load_mof_framework

MOT = Path(__file__).parents[3] / "shared" / "data" / "mot"
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Class distribution of the 273 models of MOT commit 8b5d30e (None: no class reached).
DATABASE_CLASSES = {None: 242, 3: 16, 2: 1, 1: 14}


def need_mot() -> None:
    """Skip the calling test when the MOT data snapshot is absent."""
    if not MOT.is_dir():
        pytest.skip(f"MOT data snapshot not available: {MOT}")


def load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


def fixture_names() -> list[str]:
    files = sorted(p.name for p in (MOT / "Test_Data").glob("*.yml"))
    return files or ["(MOT data absent)"]


@cache
def expected_results() -> dict[str, dict[str, Any]]:
    """MOT API output by release name; the file has trailing commas, which JSON forbids."""
    text = (MOT / "Test_Data" / "expected_results.json").read_text(encoding="utf-8")
    data = json.loads(re.sub(r",(\s*[}\]])", r"\1", text))
    return {m["release"]["name"]: m["classification"] for m in data["models"]}


@cache
def database() -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple((p.name, load_yaml(p)) for p in sorted((MOT / "models").glob("*.yml")))


# --- 1. the 27 MOT fixtures -------------------------------------------------------------------


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_matches_mot_api(name: str) -> None:
    need_mot()
    manifest = load_yaml(MOT / "Test_Data" / name)
    expected = expected_results()[manifest["release"]["name"]]
    result = evaluate_mof_manifest(manifest)
    assert result.mof_class == (expected["class"] or None)
    assert result.progress == {int(k): float(v) for k, v in expected["progress"].items()}


def test_every_fixture_has_an_expected_result() -> None:
    need_mot()
    names = {load_yaml(p)["release"]["name"] for p in (MOT / "Test_Data").glob("*.yml")}
    assert names == set(expected_results())
    assert len(names) == 27


# --- 2. the 273-model database ----------------------------------------------------------------


@cache
def mot_license_table() -> dict[str, dict[str, Any]]:
    """MOT's license entities after LicenseImporter::import(): licenses.json, then mof-licenses.json."""
    table: dict[str, dict[str, Any]] = {}
    for file in ("licenses.json", "mof-licenses.json"):
        for entry in json.loads((MOT / "web" / "modules" / "mof" / file).read_text(encoding="utf-8"))["licenses"]:
            kinds = entry.get("ContentType", "")
            kinds = [kinds] if isinstance(kinds, str) and kinds else kinds if isinstance(kinds, list) else []
            table[entry["licenseId"]] = {
                "osi": bool(entry.get("isOsiApproved", False)),
                "fsf": bool(entry.get("isFsfLibre", "")),
                "types": kinds,
            }
    return table


@cache
def mot_settings() -> tuple[dict[str, Any], ...]:
    path = MOT / "web" / "modules" / "mof" / "config" / "install" / "mof.settings.yml"
    return tuple(load_yaml(path)["components"])


def mot_open_licenses() -> frozenset[str]:
    """LicenseHandler::isOpenSourceLicense: the FSF or OSI flag, or one of the PHP constant lists."""
    return frozenset({k for k, v in mot_license_table().items() if v["osi"] or v["fsf"]} | _constant_lists())


def _constant_lists() -> set[str]:
    """LicenseHandler::OPEN_DATA_LICENSES and OPEN_LICENSES, as bundled (PHP source, not MOT data)."""
    lists = load_data("openness.frameworks", "mof-1.0.yaml")["open_licenses"]
    return set(lists["open_data"]) | set(lists["always_open"])


@cache
def database_results() -> tuple[tuple[str, MofResult], ...]:
    return tuple((name, evaluate_mof_manifest(manifest)) for name, manifest in database())


def test_database_class_distribution() -> None:
    need_mot()
    assert len(database()) == 273
    assert Counter(result.mof_class for _, result in database_results()) == Counter(DATABASE_CLASSES)


def test_database_results_are_self_consistent() -> None:
    need_mot()
    for name, result in database_results():
        progress = result.progress
        assert set(progress) == {1, 2, 3}, name
        assert all(0.0 <= p <= 100.0 for p in progress.values()), name
        for cls in (1, 2):  # a class shows progress only once every higher class is complete
            if progress[cls] > 0:
                assert all(progress[higher] == 100.0 for higher in range(cls + 1, 4)), name
        if result.mof_class is None:
            assert 100.0 not in progress.values(), name
        else:
            assert all(progress[c] == 100.0 for c in range(result.mof_class, 4)), name
            assert result.mof_class == 1 or progress[result.mof_class - 1] < 100.0, name
        for component in result.components:
            assert component.open == (component.license in load_mof_framework().open_licenses), name


# --- 3. the bundled data against MOT's files --------------------------------------------------


def test_components_match_mot_settings() -> None:
    need_mot()
    bundled = {
        c.component_id: (c.name, c.content_type, c.mof_class, c.required) for c in load_mof_framework().components
    }
    assert bundled == {c["id"]: (c["name"], c["content_type"], c["class"], c["required"]) for c in mot_settings()}


def test_open_and_type_appropriate_lists_match_mot_license_files() -> None:
    need_mot()
    lists = load_data("openness.frameworks", "mof-1.0.yaml")
    table = mot_license_table()
    assert set(lists["open_licenses"]["osi_approved"]) == {k for k, v in table.items() if v["osi"]}
    assert set(lists["open_licenses"]["fsf_libre"]) == {k for k, v in table.items() if v["fsf"]}
    for kind, ids in lists["type_appropriate"].items():
        assert set(ids) == {k for k, v in table.items() if kind in v["types"]}, kind


# --- 4. the rules on small manifests (no MOT data needed) -------------------------------------

CLASS_3 = ["Model architecture", "Model parameters (Final)", "Evaluation results", "Model card", "Data card"]


def manifest(components: dict[str, str | None], **global_licenses: str) -> dict[str, Any]:
    entries = [{"name": n} if lic is None else {"name": n, "license": lic} for n, lic in components.items()]
    scopes = {k: {"name": v, "path": ""} for k, v in global_licenses.items()}
    return {"release": {"name": "t", "producer": "p", "license": scopes, "components": entries}}


def by_slug(result: MofResult) -> Iterator[tuple[str, tuple[str | None, str, bool]]]:
    for c in result.components:
        yield c.slug, (c.license, c.license_source, c.open)


def test_license_inheritance_component_then_type_then_distribution() -> None:
    result = evaluate_mof_manifest(
        manifest(
            {"Model architecture": None, "Model card": None, "Datasets": "unlicensed", "Training code": "MIT"},
            distribution="Apache-2.0",
            document="CC-BY-4.0",
            data="",
        )
    )
    assert dict(by_slug(result)) == {
        "model-architecture": ("Apache-2.0", "distribution", True),
        "model-card": ("CC-BY-4.0", "global:document", True),
        "training-code": ("MIT", "component", True),
        "datasets": (None, "component", False),  # 'unlicensed' stops inheritance
    }


def test_non_spdx_strings_are_not_open() -> None:
    result = evaluate_mof_manifest(manifest({"Model architecture": "Apache 2.0", "Datasets": "PDDL-1.0"}))
    assert [c.open for c in result.components] == [False, False]
    assert any("PDDL-1.0" in note for note in result.notes)


def test_research_paper_stands_in_for_the_technical_report() -> None:
    with_paper = evaluate_mof_manifest(manifest(dict.fromkeys([*CLASS_3, "Research paper"]), distribution="MIT"))
    assert with_paper.mof_class == 3
    assert with_paper.progress == {1: 0.0, 2: 60.0, 3: 100.0}  # the paper also counts in class 2
    assert any("research paper takes its place" in note for note in with_paper.notes)
    with_report = evaluate_mof_manifest(manifest(dict.fromkeys([*CLASS_3, "Technical report"]), distribution="MIT"))
    assert with_report.progress == {1: 0.0, 2: 60.0, 3: 100.0}
    without_either = evaluate_mof_manifest(manifest(dict.fromkeys(CLASS_3), distribution="MIT"))
    assert without_either.mof_class is None
    assert without_either.progress == {1: 0.0, 2: 0.0, 3: 5 / 6 * 100}  # MOT divides, then scales
