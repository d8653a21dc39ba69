"""The pre-commit hook and the GitHub Action run real `openness` commands on a release.

The action's shell steps are taken from action.yml and run with bash as a runner runs them
(`bash --noprofile --norc -eo pipefail`), with the environment the action maps its inputs to,
`GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT` in temporary files, and this environment's `openness`
on PATH.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from openness.cli.main import build_parser
from openness.render import FORMATS
from tests.conftest import RELEASES

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent
OPENNESS = BIN / "openness"


def openness_command() -> str:
    if not OPENNESS.exists():
        pytest.skip(f"the openness command is not installed beside {sys.executable}")
    return str(OPENNESS)


def test_the_pre_commit_hook_declares_a_real_openness_subcommand() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [hook["id"] for hook in hooks] == ["openness-check"]
    hook = hooks[0]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    program, subcommand = shlex.split(hook["entry"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert program in scripts
    assert subcommand in build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]


@pytest.mark.parametrize(("release", "code"), [("olmo-like", 0), ("llama31-like", 1)])
def test_the_pre_commit_hook_runs_on_a_release_repository(tmp_path: Path, release: str, code: int) -> None:
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))[0]
    repository = tmp_path / "repo"
    shutil.copytree(RELEASES / release, repository)
    _, subcommand = shlex.split(hook["entry"])
    result = subprocess.run([openness_command(), subcommand, *hook["args"]], cwd=repository,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == code, result.stderr
    assert f"osaid-1.0: {'met' if code == 0 else 'not met'}" in result.stdout


def action() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    return document


def step(step_id: str) -> dict[str, Any]:
    return next(s for s in action()["runs"]["steps"] if s.get("id") == step_id)


def step_environment(step_: dict[str, Any], inputs: dict[str, str]) -> dict[str, str]:
    """The env block of a step with its ${{ }} expressions resolved as the runner would."""
    defaults = {name: str(spec.get("default", "")) for name, spec in action()["inputs"].items()}
    resolved = {}
    for name, value in step_.get("env", {}).items():
        match = re.fullmatch(r"\$\{\{ (inputs\.([\w-]+)|github\.action_path) \}\}", value)
        assert match, f"{name}: only inputs and github.action_path are mapped: {value}"
        resolved[name] = str(ROOT) if match.group(2) is None else inputs.get(match.group(2), defaults[match.group(2)])
    return resolved


def run_step(step_id: str, workdir: Path, inputs: dict[str, str], path: str) -> tuple[int, str, str, str]:
    """Run one shell step; returns its exit code, output, job summary and step outputs."""
    step_ = step(step_id)
    assert step_["shell"] == "bash"
    script = workdir / f"{step_id}.sh"
    script.write_text(step_["run"])
    summary, outputs = workdir / "summary.md", workdir / "outputs.txt"
    summary.write_text("")
    outputs.write_text("")
    env = {**os.environ, **step_environment(step_, inputs), "PATH": f"{path}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs)}
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workdir,
                            env=env, capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout + result.stderr, summary.read_text(), outputs.read_text()


def test_the_action_maps_inputs_through_the_environment_only() -> None:
    document = action()
    assert document["runs"]["using"] == "composite"
    assert {"path", "require", "policy", "python-version", "openness-package"} <= set(document["inputs"])
    for step_ in document["runs"]["steps"]:
        assert "${{" not in step_.get("run", ""), f"step {step_.get('id')}: an expression inside a script"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A checked-out repository holding two releases."""
    shutil.copytree(RELEASES / "olmo-like", tmp_path / "open")
    shutil.copytree(RELEASES / "llama31-like", tmp_path / "restricted")
    return tmp_path


@pytest.mark.parametrize(
    ("inputs", "code", "outcome"),
    [
        ({"path": "open"}, 0, "met"),
        ({"path": "restricted"}, 1, "not met"),
        ({"path": "open", "require": "osaid-1.0, mof-class-3"}, 1, "not met"),
        ({"path": "open", "policy": "strict.toml"}, 1, "not met"),
    ],
)
def test_the_action_fails_the_job_with_the_exit_code_of_check(
    workspace: Path, inputs: dict[str, str], code: int, outcome: str
) -> None:
    (workspace / "strict.toml").write_text('require = ["mof-class-1"]\n')
    exit_code, log, summary, outputs = run_step("check", workspace, inputs, str(Path(openness_command()).parent))
    assert exit_code == code, log
    assert f"exit-code={code}" in outputs.splitlines()
    assert summary.startswith(f"### openness check {inputs['path']}: {outcome}")
    if "require" in inputs:
        assert "mof-class-3: not met" in log and "osaid-1.0: met" in log


def test_the_action_writes_no_summary_on_a_usage_error(workspace: Path) -> None:
    exit_code, log, summary, outputs = run_step("check", workspace, {"path": "missing"},
                                                str(Path(openness_command()).parent))
    assert exit_code == 2
    assert "no such" in log
    assert summary == ""
    assert "exit-code=2" in outputs.splitlines()


def test_the_action_writes_the_markdown_report_to_the_job_summary(workspace: Path) -> None:
    if "markdown" not in FORMATS:
        pytest.skip("the markdown report format is not in openness.render.FORMATS yet (another branch adds it)")
    exit_code, log, summary, _ = run_step("check", workspace, {"path": "restricted"},
                                          str(Path(openness_command()).parent))
    assert exit_code == 1, log
    report = summary.split("\n", 2)[2]
    assert "restricted-weights" in report
    assert "::warning::" not in log


@pytest.mark.parametrize(("package", "installed"), [("", str(ROOT)), ("openness==0.1.0", "openness==0.1.0")])
def test_the_action_installs_its_own_checkout_unless_told_otherwise(
    tmp_path: Path, package: str, installed: str
) -> None:
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    python = fake_bin / "python"  # stands in for pip: records what it was asked to install
    python.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path}/pip-args.txt"\n')
    python.chmod(0o755)
    exit_code, log, _, _ = run_step("install", tmp_path, {"openness-package": package}, str(fake_bin))
    assert exit_code == 0, log
    arguments = (tmp_path / "pip-args.txt").read_text().splitlines()
    assert arguments[:3] == ["-m", "pip", "install"]
    assert arguments[-1] == installed
