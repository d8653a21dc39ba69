"""Fixture releases carrying the real license texts of ../shared/data/licenses.

The committed fixtures hold license files written in our own words; here each release gets
the reference text its model really ships (read from shared data at test time, never
copied into the repository), and must reach the same verdict. Skipped when the shared data
is absent.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from openness.cli.main import main
from tests.conftest import RELEASES, shared_license_text

# fixture, license file name, reference text key, status, label, would pass if relicensed, finding kinds
CASES = [
    ("pythia-like", "LICENSE", "apache-2.0", "pass", "open-source-ai", True, []),
    ("olmo-like", "LICENSE", "apache-2.0", "pass", "open-source-ai", True, []),
    ("mixtral-like", "LICENSE", "apache-2.0", "fail", "open-weights", False, []),
    ("grok-like", "LICENSE.txt", "apache-2.0", "fail", "open-weights", False, []),
    ("phi2-like", "LICENSE", "mit", "fail", "open-weights", False, []),
    ("llama31-like", "LICENSE", "llama-3.1-license-2024", "fail", "restricted-weights", False, []),
    ("gemma-like", "LICENSE", "gemma-tou-2024-04-01", "fail", "restricted-weights", False, []),
    ("bloom-like", "LICENSE", "bigscience-rail-1.0", "fail", "restricted-weights", True, []),
    ("starcoder2-like", "LICENSE", "bigcode-open-rail-m-v1", "fail", "restricted-weights", True, []),
    ("card-license-mismatch", "LICENSE", "cc-by-nc-4.0", "fail", "restricted-weights", False, ["license-mismatch"]),
]


def with_reference_license(tmp_path: Path, fixture: str, file_name: str, key: str) -> Path:
    """A copy of a fixture release whose license file is the reference text."""
    release = tmp_path / fixture
    shutil.copytree(RELEASES / fixture, release)
    (release / file_name).write_text(shared_license_text(key), encoding="utf-8")
    return release


@pytest.mark.parametrize(("fixture", "file_name", "key", "status", "label", "relicensed", "findings"), CASES)
def test_release_with_its_real_license_text(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fixture: str,
    file_name: str,
    key: str,
    status: str,
    label: str,
    relicensed: bool,
    findings: list[str],
) -> None:
    release = with_reference_license(tmp_path, fixture, file_name, key)
    assert main(["audit", str(release), "--format", "json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    verdict = report["verdicts"]["osaid-1.0"]
    assert (verdict["status"], verdict["label"], verdict["would_pass_if_relicensed"]) == (status, label, relicensed)
    kinds = {f["kind"] for f in report["findings"]}
    assert set(findings) <= kinds
    assert "license-mismatch" in kinds or not findings
    [license_file] = [entry for entry in report["licenses"] if entry["source"] == file_name]
    assert license_file["id"] is not None, license_file
    assert license_file["match"] != "unknown"


def test_llama_text_with_every_name_changed_is_still_restricted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = shared_license_text("llama-3.1-license-2024")
    for old, new in (("Llama 3.1", "Orca 9"), ("Llama", "Orca"), ("LLAMA", "ORCA"), ("Meta Platforms, Inc.", "Acme AI"),
                     ("Meta", "Acme"), ("llama.meta.com", "acme.example")):
        text = text.replace(old, new)
    release = tmp_path / "rebranded"
    shutil.copytree(RELEASES / "mixtral-like", release)
    (release / "LICENSE").write_text(text, encoding="utf-8")
    (release / "README.md").write_text("---\nlicense: other\nlicense_name: orca-9\n---\n# Orca 9\n", encoding="utf-8")
    assert main(["audit", str(release), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    verdict = report["verdicts"]["osaid-1.0"]
    assert (verdict["status"], verdict["label"]) == ("fail", "restricted-weights")
    kinds = {r["kind"] for r in report["terms"]["restrictions"]}
    assert {"user-threshold", "field-of-use"} <= kinds


def test_apache_text_with_a_non_commercial_addendum_is_modified_and_restricted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = shared_license_text("apache-2.0") + (
        "\n\nADDITIONAL TERMS\n\nNotwithstanding the above, the Work may be used for non-commercial research "
        "purposes only.\n"
    )
    license_file = tmp_path / "LICENSE"
    license_file.write_text(text, encoding="utf-8")
    main(["license", str(license_file), "--format", "json"])
    [result] = json.loads(capsys.readouterr().out)
    assert result["id"] == "Apache-2.0"
    assert result["match"] == "modified"
    assert result["osd_conformant"] is False
    assert result["osi_approved"] is False
    [clause] = [r for r in result["restrictions"] if r["kind"] == "non-commercial"]
    assert "non-commercial research" in clause["quote"]
    assert text.splitlines()[clause["line"] - 1].startswith("Notwithstanding")
