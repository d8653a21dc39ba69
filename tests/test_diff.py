"""`openness diff`: what changed in openness between two releases, and which changes are regressions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from openness.audit import Auditor
from openness.cli.main import main
from openness.diff import ReportDiff, diff_reports
from tests.conftest import CLASS_THREE_MANIFEST, RELEASES

NON_COMMERCIAL = "\nYou may use the model for non-commercial purposes only.\n"


def release_copy(tmp_path: Path, release: str, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(RELEASES / release, folder)
    return folder


def diff_of(before: Path, after: Path) -> ReportDiff:
    auditor = Auditor()
    return diff_reports(auditor.audit_target(str(before)), auditor.audit_target(str(after)))


def change_of(diff: ReportDiff, path: str) -> tuple[object, object]:
    change = next(c for c in diff.changes if c.path == path)
    return change.before, change.after


@pytest.fixture
def olmo_turned_non_commercial(tmp_path: Path) -> tuple[Path, Path]:
    before = release_copy(tmp_path, "olmo-like", "v1")
    after = release_copy(tmp_path, "olmo-like", "v2")
    with (after / "LICENSE").open("a") as license_file:
        license_file.write(NON_COMMERCIAL)
    return before, after


def test_the_same_release_twice_has_no_change() -> None:
    diff = diff_of(RELEASES / "llama31-like", RELEASES / "llama31-like")
    assert not diff.changed
    assert diff.regressions == ()


def test_a_non_commercial_clause_added_to_the_license_is_a_regression(
    olmo_turned_non_commercial: tuple[Path, Path],
) -> None:
    diff = diff_of(*olmo_turned_non_commercial)
    added_line = len((olmo_turned_non_commercial[1] / "LICENSE").read_text().splitlines())
    assert [(r["kind"], r["quote"], r["source"], r["line"]) for r in diff.restrictions_added] == [
        ("non-commercial", NON_COMMERCIAL.strip(), "LICENSE", added_line)]
    assert change_of(diff, "verdicts.osaid-1.0.status") == ("pass", "fail")
    assert change_of(diff, "verdicts.osaid-1.0.label") == ("open-source-ai", "restricted-weights")
    assert change_of(diff, "terms.class") == ("osi-approved", "restricted")
    assert change_of(diff, "components.model-parameters-final.license.class") == ("osi-approved", "restricted")
    assert diff.regressions == (
        "OSAID 1.0: pass → fail",
        "OSAID label: open-source-ai → restricted-weights",
        "new restriction that breaks the Open Source Definition: non-commercial",
    )


def test_lifting_a_restriction_is_a_change_but_not_a_regression(
    olmo_turned_non_commercial: tuple[Path, Path],
) -> None:
    restricted, open_ = reversed(olmo_turned_non_commercial)
    diff = diff_of(restricted, open_)
    assert [r["kind"] for r in diff.restrictions_removed] == ["non-commercial"]
    assert change_of(diff, "verdicts.osaid-1.0.status") == ("fail", "pass")
    assert diff.regressions == ()


def test_a_further_clause_of_a_kind_already_there_is_listed_not_counted(tmp_path: Path) -> None:
    before = release_copy(tmp_path, "llama31-like", "v1")
    after = release_copy(tmp_path, "llama31-like", "v2")
    with (after / "USE_POLICY.md").open("a") as policy:
        policy.write("\nYou may not use Llama 3.1 for political campaigning.\n")
    diff = diff_of(before, after)
    assert [r["quote"] for r in diff.restrictions_added] == ["You may not use Llama 3.1 for political campaigning."]
    assert diff.restrictions_added[0]["kind"] == "field-of-use"
    assert diff.regressions == ()


def test_a_card_relicensed_against_its_license_file_adds_a_finding(tmp_path: Path) -> None:
    before = release_copy(tmp_path, "olmo-like", "v1")
    after = release_copy(tmp_path, "olmo-like", "v2")
    card = after / "README.md"
    card.write_text(card.read_text().replace("license: apache-2.0", "license: cc-by-nc-4.0", 1))
    diff = diff_of(before, after)
    assert "license-mismatch" in [f["kind"] for f in diff.findings_added]
    assert change_of(diff, "licenses.README.md:2 (license)") == ("Apache-2.0 (osi-approved)",
                                                                 "CC-BY-NC-4.0 (restricted)")
    assert "OSAID 1.0: pass → fail" in diff.regressions


def test_losing_the_mof_class_is_a_regression(tmp_path: Path) -> None:
    before = tmp_path / "v1.yml"
    before.write_text(CLASS_THREE_MANIFEST)
    after = tmp_path / "v2.yml"
    after.write_text(CLASS_THREE_MANIFEST.replace("    - {name: Technical report}\n", ""))
    diff = diff_of(before, after)
    assert change_of(diff, "verdicts.mof.class") == (3, None)
    assert change_of(diff, "components.technical-report.status") == ("present", "absent")
    assert diff.regressions == ("MOF class: 3 → no class",)
    assert diff_of(after, before).regressions == ()


def test_diff_json_and_the_regression_gate(
    olmo_turned_non_commercial: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = (str(path) for path in olmo_turned_non_commercial)
    assert main(["diff", before, after, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["before"]["id"] == before and document["after"]["id"] == after
    assert document["changed"] is True
    assert len(document["regressions"]) == 3
    assert {"path": "verdicts.osaid-1.0.status", "before": "pass", "after": "fail"} in document["changes"]
    assert document["restrictions"]["added"][0]["kind"] == "non-commercial"
    assert main(["diff", before, after, "--fail-on-regression"]) == 1
    assert main(["diff", after, before, "--fail-on-regression"]) == 0


def test_diff_for_people_puts_regressions_first(
    olmo_turned_non_commercial: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = (str(path) for path in olmo_turned_non_commercial)
    assert main(["diff", before, after]) == 0
    out = capsys.readouterr().out
    assert "3 regression(s)" in out.splitlines()[0]
    assert out.index("Regressions") < out.index("Verdicts") < out.index("Restrictions")
    assert main(["diff", before, after, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("## openness diff: ")
    assert "- **regression** OSAID 1.0: pass → fail" in markdown
    assert '- **added** non-commercial: "You may use the model for non-commercial purposes only." (LICENSE:' \
        in markdown


def test_a_bad_target_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(RELEASES / "olmo-like"), "no/such/release"]) == 2
    assert capsys.readouterr().err.count("error:") == 1
