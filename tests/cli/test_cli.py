"""The command line: exit codes, one-line errors, and the report JSON contract of design.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from openness.cli.main import build_parser, main
from tests.conftest import RELEASES

COMPONENTS = {
    "model-architecture", "model-parameters-final", "model-parameters-intermediate", "model-metadata",
    "training-code", "inference-code", "evaluation-code", "data-preprocessing-code",
    "supporting-libraries-and-tools", "datasets", "evaluation-data", "evaluation-results",
    "sample-model-outputs", "model-card", "data-card", "technical-report", "research-paper",
}


def test_report_json_follows_the_design_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(RELEASES / "olmo-like"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["schema_version"] == "1"
    assert report["tool_version"]
    assert report["subject"] == {"kind": "local", "id": str(RELEASES / "olmo-like"), "revision": None}
    assert set(report["components"]) == COMPONENTS
    for component in report["components"].values():
        assert component["status"] in ("present", "absent", "unknown")
        assert component["level"] in ("verified", "declared", "inferred", None)
        assert set(component["license"]) >= {"id", "class"}
        assert component["evidence"]
    for finding in report["findings"]:
        assert set(finding) >= {"kind", "message", "evidence"}
    verdict = report["verdicts"]["osaid-1.0"]
    assert verdict["status"] in ("pass", "fail")
    assert verdict["label"] in ("open-source-ai", "open-weights", "restricted-weights", "closed")
    assert isinstance(verdict["would_pass_if_relicensed"], bool)
    for criterion in verdict["criteria"]:
        assert set(criterion) >= {"id", "status", "why", "fix", "evidence"}
        assert criterion["status"] in ("met", "unmet", "unknown", "not-applicable")


@pytest.mark.parametrize(("release", "code"), [("olmo-like", 0), ("llama31-like", 1), ("mixtral-like", 1)])
def test_check_exits_zero_only_when_the_requirement_is_met(
    release: str, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(RELEASES / release), "--require", "osaid-1.0"]) == code
    assert ("not met" in capsys.readouterr().out) is (code == 1)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["audit", "no/such/folder"], "no such"),
        (["audit", str(RELEASES / "olmo-like" / "README.md")], "not a folder"),
        (["check", str(RELEASES / "olmo-like"), "--require", "mof-class-4"], "invalid choice"),
    ],
)
def test_usage_and_input_errors_are_one_line_with_exit_code_2(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(arguments)
    except SystemExit as exit_:  # argparse's own usage errors
        code = int(exit_.code or 0)
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert len([line for line in err.splitlines() if "error:" in line]) == 1


@pytest.mark.parametrize(("requirement", "code"), [("mof-class-3", 1), ("mof-class-1", 1)])
def test_check_gates_on_mof_classes_too(requirement: str, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(RELEASES / "llama31-like"), "--require", requirement]) == code
    assert f"{requirement}: not met (no MOF class)" in capsys.readouterr().out


def test_license_on_a_directory_or_binary_file_is_reported_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "LICENSE"
    binary.write_bytes(b"\x00\x01\x02binary\xff" * 50)
    empty = tmp_path / "EMPTY"
    empty.write_text("")
    assert main(["license", str(tmp_path), str(binary), str(empty), "--format", "json"]) == 2
    results = json.loads(capsys.readouterr().out)
    assert [r["problem"] for r in results] == ["is a directory, not a license file", "binary file, not text",
                                                "empty file"]
    assert all(r["id"] is None and r["match"] == "unknown" and r["osd_conformant"] is None for r in results)


def test_terminal_output_puts_the_verdict_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(RELEASES / "llama31-like")]) == 0
    out = capsys.readouterr().out
    first = next(line for line in out.splitlines() if "OSAID" in line)
    assert "FAIL" in first and "restricted-weights" in first
    assert out.index("OSAID") < out.index("Criteria") < out.index("What would fix it")
    assert "700 million" in out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "audit" in capsys.readouterr().out


def test_readme_shows_the_commands_the_parser_has() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for command in commands:
        assert f"openness {command}" in readme


def test_the_installed_command_runs_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "openness", "check", str(RELEASES / "mixtral-like")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "osaid-1.0: not met (open-weights)" in result.stdout
