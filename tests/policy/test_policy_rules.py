"""Each policy rule applied to the reports of the fixture releases: met or not, why, and the evidence."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from openness.audit import Auditor
from openness.policy import Policy, evaluate_policy, named_licenses
from openness.report import Report
from openness.vocabulary import RestrictionKind
from tests.conftest import CLASS_THREE_MANIFEST, RELEASES


@cache
def report_of(release: str) -> Report:
    return Auditor().audit_target(str(RELEASES / release))


def only_rule(policy: Policy, release: str) -> tuple[bool, str, tuple[str, ...]]:
    result = evaluate_policy(policy, report_of(release))
    assert len(result.rules) == 1
    rule = result.rules[0]
    return rule.met, rule.reason, rule.evidence


def test_osaid_requirement_lists_the_unmet_criteria_with_their_fixes() -> None:
    assert only_rule(Policy(require=("osaid-1.0",)), "olmo-like")[:2] == (True, "open-source-ai")
    met, reason, evidence = only_rule(Policy(require=("osaid-1.0",)), "mixtral-like")
    assert (met, reason) == (False, "open-weights")
    unmet = [c for c in report_of("mixtral-like").osaid.criteria if c.required and c.status == "unmet"]
    assert unmet and len(evidence) == len(unmet)
    assert all(e.startswith(f"{c.id}: unmet — ") for e, c in zip(evidence, unmet, strict=True))


def test_mof_class_requirement_is_met_by_that_class_or_a_better_one(tmp_path: Path) -> None:
    manifest = tmp_path / "model.yml"
    manifest.write_text(CLASS_THREE_MANIFEST)
    report = Auditor().audit_target(str(manifest))
    assert (report.mof or {})["class"] == 3
    met = {rule.rule: rule.met for rule in evaluate_policy(
        Policy(require=("mof-class-3", "mof-class-2", "mof-class-1")), report).rules}
    assert met == {"mof-class-3": True, "mof-class-2": False, "mof-class-1": False}


def test_mof_requirement_without_a_class_says_how_far_the_release_got() -> None:
    met, reason, evidence = only_rule(Policy(require=("mof-class-3",)), "olmo-like")
    progress = (report_of("olmo-like").mof or {})["progress"]["3"]
    assert (met, reason) == (False, "no MOF class")
    assert evidence == (f"class 3 progress: {progress:.0f}%",)


@pytest.mark.parametrize(
    ("minimum", "release", "met"),
    [
        ("open-weights", "mixtral-like", True),
        ("open-weights", "olmo-like", True),
        ("open-source-ai", "mixtral-like", False),
        ("restricted-weights", "llama31-like", True),
        ("open-weights", "llama31-like", False),
    ],
)
def test_minimum_label_follows_the_order_of_the_labels(minimum: str, release: str, met: bool) -> None:
    policy = Policy(minimum_label=minimum)  # type: ignore[arg-type]
    assert only_rule(policy, release)[0] is met


def test_forbidden_restrictions_are_quoted_with_file_and_line() -> None:
    policy = Policy(forbid_restrictions=(RestrictionKind.NON_COMMERCIAL, RestrictionKind.FIELD_OF_USE))
    met, reason, evidence = only_rule(policy, "llama31-like")
    assert (met, reason) == (False, "field-of-use found")
    assert any(e.startswith('field-of-use: "') and "(USE_POLICY.md:" in e for e in evidence)
    assert any("Acceptable Use Policy" in e and "(LICENSE:" in e for e in evidence)
    assert only_rule(policy, "olmo-like")[0] is True


def test_a_non_commercial_license_file_behind_an_mit_card_is_caught() -> None:
    met, reason, evidence = only_rule(Policy(forbid_restrictions=(RestrictionKind.NON_COMMERCIAL,)),
                                      "card-license-mismatch")
    assert (met, reason) == (False, "non-commercial found")
    assert all("(LICENSE" in e for e in evidence)


def test_forbidden_restrictions_cannot_be_confirmed_absent_when_the_terms_are_unknown() -> None:
    met, reason, _ = only_rule(Policy(forbid_restrictions=(RestrictionKind.NON_COMMERCIAL,)), "no-license")
    assert not met
    assert "unknown" in reason


def test_allowed_licenses_cover_terms_files_declarations_bases_and_components() -> None:
    sources = [where for _, where in named_licenses(report_of("llama31-like"))]
    assert sources[:4] == ["terms of the weights", "README.md:11 (license)", "LICENSE", "USE_POLICY.md"]
    assert "component model-parameters-final" in sources
    assert only_rule(Policy(allow_licenses=("apache-2.0",)), "olmo-like")[:2] == (True, "only Apache-2.0")
    met, _, evidence = only_rule(Policy(allow_licenses=("MIT",)), "olmo-like")
    assert not met
    assert "terms of the weights: Apache-2.0 is not allowed" in evidence
    assert "LICENSE: Apache-2.0 is not allowed" in evidence


def test_a_fine_tune_relabelled_apache_is_not_allowed_by_an_apache_only_policy() -> None:
    met, _, evidence = only_rule(Policy(allow_licenses=("Apache-2.0",)), "llama-finetune-relabelled")
    assert not met
    assert "terms of the weights: LicenseRef-llama3.1 is not allowed" in evidence
    assert "base model meta-llama/Llama-3.1-8B-Instruct: LicenseRef-llama3.1 is not allowed" in evidence


def test_a_release_without_identified_terms_never_meets_an_allow_list() -> None:
    met, _, evidence = only_rule(Policy(allow_licenses=("Apache-2.0", "MIT")), "no-license")
    assert not met
    assert "terms of the weights: not identified" in evidence


def test_denied_licenses_name_where_they_were_found() -> None:
    met, _, evidence = only_rule(Policy(deny_licenses=("cc-by-nc-4.0",)), "card-license-mismatch")
    assert not met
    assert "LICENSE: CC-BY-NC-4.0" in evidence
    assert only_rule(Policy(deny_licenses=("CC-BY-NC-4.0",)), "olmo-like")[0] is True


def test_minimum_openness_score_compares_with_the_index_score() -> None:
    score = (report_of("mixtral-like").openness_index or {})["score"]
    assert only_rule(Policy(minimum_openness_score=score), "mixtral-like")[0] is True
    assert only_rule(Policy(minimum_openness_score=min(1.0, score + 0.01)), "mixtral-like")[0] is False


def test_every_rule_is_evaluated_and_the_policy_is_met_only_when_all_are() -> None:
    policy = Policy(require=("osaid-1.0",), minimum_label="open-weights",
                    forbid_restrictions=(RestrictionKind.NON_COMMERCIAL,), deny_licenses=("MIT",))
    result = evaluate_policy(policy, report_of("llama31-like"))
    assert [r.rule for r in result.rules] == ["osaid-1.0", "minimum-label open-weights", "forbid-restrictions",
                                              "deny-licenses"]
    assert [r.met for r in result.rules] == [False, False, True, True]
    assert not result.met
    assert result.lines()[-1] == "policy not met: 2 of 4 rules met"
    assert evaluate_policy(Policy(deny_licenses=("MIT",)), report_of("olmo-like")).met
