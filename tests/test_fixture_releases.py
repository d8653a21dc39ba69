"""Every fixture release audited from the command line, checked against tests/fixtures/expected.yaml.

The table says, for each release modeled on a real one, the OSAID verdict OSI's reasoning
gives, the findings that must be reported, and the components that must be seen.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from openness.cli.main import main
from tests.conftest import FIXTURES

EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((FIXTURES / "expected.yaml").read_text("utf-8"))
COMMITTED = {name: spec for name, spec in EXPECTED.items() if "make_at_test_time" not in spec}


def folder(name: str) -> Path:
    """Where a fixture named in the table lives."""
    if name.startswith("broken/"):
        return FIXTURES / name
    return FIXTURES / "releases" / name


def audit_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """Run `openness audit PATH --format json` in-process and parse its stdout."""
    code = main(["audit", str(path), "--format", "json", "--offline"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.err
    report: dict[str, Any] = json.loads(captured.out)
    return report


def check_verdict(report: dict[str, Any], spec: dict[str, Any]) -> None:
    """Assert the OSAID verdict, findings and components a table entry asks for."""
    verdict = report["verdicts"]["osaid-1.0"]
    expected = spec["osaid"]
    assert verdict["status"] == expected["status"], verdict["summary"]
    if "label" in expected:
        assert verdict["label"] == expected["label"], verdict["summary"]
    else:
        assert verdict["label"] in expected["label_any_of"], verdict["summary"]
    if "would_pass_if_relicensed" in expected:
        assert verdict["would_pass_if_relicensed"] is expected["would_pass_if_relicensed"], [
            (c["id"], c["status"]) for c in verdict["criteria"]
        ]
    kinds = {f["kind"] for f in report["findings"]}
    for kind in spec.get("findings") or []:
        assert kind in kinds, report["findings"]
    for slug, status in (spec.get("components") or {}).items():
        got = report["components"][slug]["status"]
        if status == "not-present":
            assert got in ("absent", "unknown"), (slug, report["components"][slug])
        else:
            assert got == status, (slug, report["components"][slug])
    weights = spec.get("weights_license")
    if weights:
        license_ = report["components"]["model-parameters-final"]["license"]
        classes = weights["class"] if isinstance(weights["class"], list) else [weights["class"]]
        assert license_["class"] in classes, license_
        if weights.get("id"):
            assert license_["id"] == weights["id"], license_


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_fixture_release_gets_the_expected_verdict(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    report = audit_json(folder(name), capsys)
    check_verdict(report, COMMITTED[name])


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_check_exit_code_follows_the_verdict(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(folder(name)), "--require", "osaid-1.0"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    allowed = COMMITTED[name]["check_exit"]
    assert code in (allowed if isinstance(allowed, list) else [allowed])


@pytest.mark.parametrize(
    ("name", "license_file"),
    sorted((name, file) for name, spec in COMMITTED.items() for file in (spec.get("license_files") or {})),
)
def test_license_command_on_fixture_license_files(
    name: str, license_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = COMMITTED[name]["license_files"][license_file]
    main(["license", str(folder(name) / license_file), "--format", "json"])
    [result] = json.loads(capsys.readouterr().out)
    if "id" in spec and spec["id"] is not None and not str(spec["id"]).startswith("LicenseRef"):
        assert result["id"] == spec["id"], result
    elif "id" in spec and spec["id"] is None:
        assert result["id"] is None, result
    if "osi_approved" in spec:
        assert result["osi_approved"] is spec["osi_approved"], result
    kinds = {r["kind"] for r in result["restrictions"]}
    for kind in spec.get("restrictions_include") or []:
        assert kind in kinds, result["restrictions"]
    for kind in spec.get("restrictions_exclude") or []:
        assert kind not in kinds, result["restrictions"]
    for kind, words in (spec.get("quote_contains") or {}).items():
        quotes = [r["quote"] for r in result["restrictions"] if r["kind"] == kind]
        assert any(words.lower() in q.lower() for q in quotes), (kind, quotes)
    if spec.get("osd_conformant") is not None:
        assert result["osd_conformant"] is spec["osd_conformant"]


def test_empty_folder_is_closed_and_says_where_it_looked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    report = audit_json(empty, capsys)
    check_verdict(report, EXPECTED["broken/empty"])
    assert "looked for" in report["components"]["model-parameters-final"]["evidence"][0]


def test_symlink_loops_end_the_walk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    looped = tmp_path / "symlink-loop"
    looped.mkdir()
    (looped / "README.md").write_text("---\nlicense: apache-2.0\n---\n# loop\n")
    try:
        (looped / "loop").symlink_to(".", target_is_directory=True)
        (looped / "a").symlink_to("b")
        (looped / "b").symlink_to("a")
    except OSError:
        pytest.skip("symlinks cannot be created here")
    report = audit_json(looped, capsys)
    check_verdict(report, EXPECTED["broken/symlink-loop"])
