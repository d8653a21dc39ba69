"""MOF manifests audited like releases: every manifest of MOT's database, and bad manifests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from openness.audit import Auditor
from openness.cli.main import main
from tests.conftest import SHARED_DATA

MODELS = SHARED_DATA / "mot" / "models"
VALID = """framework: {name: Model Openness Framework, version: '1.0', date: '2024-12-15'}
release:
  name: Example-1B
  producer: Example Lab
  license:
    distribution: {name: Apache-2.0, path: LICENSE}
  components:
    - {name: Model architecture}
    - {name: 'Model parameters (Final)'}
"""


@pytest.fixture(scope="module")
def database() -> list[tuple[str, dict[str, Any]]]:
    if not MODELS.is_dir():
        pytest.skip("MOT data not available")
    auditor = Auditor()
    return [(path.name, auditor.audit_manifest(path).to_dict()) for path in sorted(MODELS.glob("*.yml"))]


def test_every_mot_manifest_is_audited(database: list[tuple[str, dict[str, Any]]]) -> None:
    assert len(database) == 273
    for name, report in database:
        assert report["subject"]["kind"] == "manifest", name
        assert set(report["verdicts"]) == {"osaid-1.0", "mof", "openness-index"}, name


def test_mof_class_one_with_unrestricted_terms_passes_osaid(database: list[tuple[str, dict[str, Any]]]) -> None:
    class_one = [(n, r) for n, r in database if r["verdicts"]["mof"]["class"] == 1]
    assert class_one
    for name, report in class_one:
        if not any(r["kind"] in BREAKING for r in report["terms"]["restrictions"]):
            verdict = report["verdicts"]["osaid-1.0"]
            assert verdict["status"] == "pass", (name, verdict["summary"])


BREAKING = {"non-commercial", "field-of-use", "user-threshold", "geographic", "no-derivatives",
            "model-improvement", "modification-restriction"}


def test_restrictive_parameter_terms_always_fail_osaid(database: list[tuple[str, dict[str, Any]]]) -> None:
    restricted = [(n, r) for n, r in database if r["terms"]["class"] in ("restricted", "proprietary")]
    assert restricted
    for name, report in restricted:
        verdict = report["verdicts"]["osaid-1.0"]
        assert (verdict["status"], verdict["label"]) == ("fail", "restricted-weights"), name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("release: {name: x}\n", "`framework` is missing"),
        (VALID.replace("Model Openness Framework", "Other Framework"), "`framework.name` must be"),
        (VALID.replace("  producer: Example Lab\n", ""), "`release.producer` is missing"),
        (VALID.replace("Model architecture", "Model weights"), "'Model weights' is not a MOF component"),
        (VALID + "    - {name: Model architecture}\n", "'Model architecture' is listed twice"),
        (VALID.replace("{name: Model architecture}", "{name: Model architecture, license: [MIT]}"),
         ".license must be text"),
        ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
         "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "expands without bound"),
        ("release: [unclosed\n", "malformed YAML"),
    ],
)
def test_a_bad_manifest_is_a_one_line_error_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    manifest = tmp_path / "model.yml"
    manifest.write_text(text, encoding="utf-8")
    assert main(["audit", str(manifest)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_a_100_mb_manifest_is_refused_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = tmp_path / "huge.yml"
    with manifest.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    assert main(["audit", str(manifest)]) == 2
    assert "too large for a manifest" in capsys.readouterr().err


def test_free_text_licenses_are_normalised_only_where_certain_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "model.yml"
    manifest.write_text(VALID.replace("{name: Apache-2.0, path: LICENSE}", "{name: Apache 2.0, path: LICENSE}"))
    assert main(["audit", str(manifest), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["components"]["model-parameters-final"]["license"]["id"] == "Apache-2.0"
    assert [f["kind"] for f in report["findings"]] == ["license-normalised", "license-normalised"]
    # MOT itself does not count "Apache 2.0" as open: the MOF class stays MOT's.
    assert report["verdicts"]["mof"]["progress"]["3"] == 0.0


def test_openness_manifest_writes_a_manifest_that_audits_to_the_same_verdicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import RELEASES

    written = tmp_path / "olmo.yml"
    assert main(["manifest", str(RELEASES / "olmo-like"), "-o", str(written)]) == 0
    capsys.readouterr()
    from_manifest = Auditor().audit_manifest(written).to_dict()["verdicts"]
    from_folder = Auditor().audit_target(str(RELEASES / "olmo-like")).to_dict()["verdicts"]
    assert from_manifest["osaid-1.0"]["status"] == from_folder["osaid-1.0"]["status"] == "pass"
    assert from_manifest["mof"]["progress"] == from_folder["mof"]["progress"]


def test_a_shipped_manifest_is_checked_against_the_release(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import RELEASES

    release = tmp_path / "mixtral-like"
    shutil.copytree(RELEASES / "mixtral-like", release)
    (release / "mof.yml").write_text(VALID.replace("{name: Model architecture}", "{name: Training code}")
                                     .replace("{name: 'Model parameters (Final)'}",
                                              "{name: 'Model parameters (Final)', license: MIT}"))
    findings = Auditor().audit_target(str(release)).findings
    messages = [(f.kind, f.message) for f in findings if f.kind in ("manifest-mismatch", "license-mismatch")]
    assert any(kind == "manifest-mismatch" and "'Training code'" in text for kind, text in messages)
    assert any(kind == "license-mismatch" and "mof.yml declares the final parameters under MIT" in text
               for kind, text in messages)
