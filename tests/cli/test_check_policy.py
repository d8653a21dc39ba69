"""`openness check` with policy files: where they are found, how --require adds to them, what is printed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from openness.cli.main import EXIT_EVIDENCE, EXIT_OK, EXIT_POLICY, EXIT_USAGE, main
from openness.sources.interface import SourceError
from tests.conftest import RELEASES
from tests.fakes.hub import FakeHub

README = Path(__file__).parents[2] / "README.md"


def run(arguments: list[str]) -> int:
    try:
        return main(arguments)
    except SystemExit as exit_:  # argparse's own usage errors
        return int(exit_.code or 0)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current directory (the repository that runs the gate)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_openness_toml_in_the_current_directory_is_the_policy(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "openness.toml").write_text('forbid-restrictions = ["non-commercial"]\n')
    assert main(["check", str(RELEASES / "card-license-mismatch")]) == EXIT_POLICY
    out = capsys.readouterr().out
    assert "policy: openness.toml" in out
    assert "forbid-restrictions: not met (non-commercial found)" in out
    assert "osaid-1.0" not in out.split("policy: openness.toml")[1]  # the policy replaces the default rule
    assert main(["check", str(RELEASES / "olmo-like")]) == EXIT_OK


def test_pyproject_tool_openness_in_the_current_directory_is_the_policy(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "pyproject.toml").write_text('[tool.openness]\nallow-licenses = ["MIT"]\n')
    assert main(["check", str(RELEASES / "olmo-like")]) == EXIT_POLICY
    assert "policy: pyproject.toml [tool.openness]" in capsys.readouterr().out
    assert main(["check", str(RELEASES / "phi2-like")]) == EXIT_OK


def test_a_policy_inside_the_audited_release_is_ignored(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = workdir / "release"
    shutil.copytree(RELEASES / "olmo-like", release)
    (release / "openness.toml").write_text('require = ["mof-class-1"]\n')
    outside = workdir / "elsewhere"
    outside.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(outside)
        assert main(["check", str(release)]) == EXIT_OK
    assert "osaid-1.0: met (open-source-ai)" in capsys.readouterr().out


def test_require_on_the_command_line_adds_to_the_policy(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "openness.toml").write_text('deny-licenses = ["MIT"]\n')
    assert main(["check", str(RELEASES / "olmo-like"), "--require", "osaid-1.0", "--require", "mof-class-3"]) == 1
    out = capsys.readouterr().out
    assert "deny-licenses: met" in out
    assert "osaid-1.0: met" in out
    assert "mof-class-3: not met (no MOF class)" in out
    assert "policy not met: 2 of 3 rules met" in out


def test_an_explicit_policy_file_and_no_policy(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "openness.toml").write_text('allow-licenses = ["MIT"]\n')
    strict = workdir / "strict.toml"
    strict.write_text('require = ["mof-class-2"]\n')
    assert main(["check", str(RELEASES / "olmo-like"), "--policy", str(strict)]) == EXIT_POLICY
    assert f"policy: {strict}" in capsys.readouterr().out
    assert main(["check", str(RELEASES / "olmo-like"), "--no-policy"]) == EXIT_OK
    assert "osaid-1.0: met" in capsys.readouterr().out


def test_a_bad_policy_fails_before_the_audit_with_one_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "openness.toml").write_text('forbid-restrictions = ["non-comercial"]\n')
    assert main(["check", str(RELEASES / "olmo-like")]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        "openness: error: openness.toml: forbid-restrictions: unknown value 'non-comercial' "
        "(did you mean 'non-commercial'?) (known: non-commercial, field-of-use, user-threshold, geographic, "
        "no-derivatives, model-improvement, modification-restriction, unilateral-change, attribution-naming, "
        "osd-breaking)"]


def test_with_json_the_report_goes_to_stdout_and_the_policy_result_to_stderr(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "openness.toml").write_text('require = ["osaid-1.0"]\nminimum-label = "open-weights"\n')
    assert main(["check", str(RELEASES / "mixtral-like"), "--format", "json"]) == EXIT_POLICY
    captured = capsys.readouterr()
    assert json.loads(captured.out)["verdicts"]["osaid-1.0"]["label"] == "open-weights"
    rules = [line for line in captured.err.splitlines() if not line.startswith(("  ", "policy"))]
    assert rules == ["osaid-1.0: not met (open-weights)", "minimum-label open-weights: met (open-weights)"]


def readme_exit_codes() -> dict[int, str]:
    section = README.read_text("utf-8").split("### Exit codes", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", section, flags=re.MULTILINE)
    return {int(code): meaning for code, meaning in rows}


def test_the_readme_exit_code_table_is_what_the_command_does(
    workdir: Path, capsys: pytest.CaptureFixture[str], fake_hub: FakeHub
) -> None:
    table = readme_exit_codes()
    assert sorted(table) == [EXIT_OK, EXIT_POLICY, EXIT_USAGE, EXIT_EVIDENCE]
    (workdir / "bad.toml").write_text("require = 1\n")
    cases = {
        EXIT_OK: [["check", str(RELEASES / "olmo-like")], ["audit", str(RELEASES / "llama31-like")],
                  ["diff", str(RELEASES / "olmo-like"), str(RELEASES / "olmo-like"), "--fail-on-regression"]],
        EXIT_POLICY: [["check", str(RELEASES / "llama31-like")],
                      ["diff", str(RELEASES / "olmo-like"), str(RELEASES / "llama31-like"), "--fail-on-regression"]],
        EXIT_USAGE: [["audit", "no/such/folder"], ["check", str(RELEASES / "olmo-like"), "--policy", "bad.toml"],
                     ["check", str(RELEASES / "olmo-like"), "--require", "mof-class-4"]],
    }
    for code, commands in cases.items():
        for arguments in commands:
            assert run(arguments) == code, arguments
            if code != EXIT_USAGE:
                assert f"`{arguments[0]}" in table[code], (code, arguments[0])
    capsys.readouterr()
    # Evidence that cannot be collected: a Hub repository that does not exist (on the fake Hub).
    for arguments in (["audit", "nobody/nothing"], ["check", "nobody/nothing"]):
        assert run(arguments) == EXIT_EVIDENCE, arguments
        assert "no such repository" in capsys.readouterr().err
    assert SourceError.exit_code == EXIT_EVIDENCE
    assert "evidence could not be collected" in table[EXIT_EVIDENCE]
