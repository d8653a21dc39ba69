"""A policy applied to a report: one result per rule, each with its reason and evidence.

Every rule is evaluated (none stops the others), and a rule that cannot be confirmed from the
report — terms that are unknown, a license file that was not identified — is *not met*: a
gate never passes on a guess.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from openness.policy.config import Policy
from openness.report import LABELS_BY_OPENNESS, Label, Report, restriction_line

_EVIDENCE_SHOWN = 5


@dataclass(frozen=True)
class RuleResult:
    """Whether one rule of a policy is met, why, and the facts that show it."""

    rule: str
    met: bool
    reason: str
    evidence: tuple[str, ...] = ()

    def line(self) -> str:
        """One line: ``rule: met (reason)`` or ``rule: not met (reason)``."""
        return f"{self.rule}: {'met' if self.met else 'not met'} ({self.reason})"


@dataclass(frozen=True)
class PolicyResult:
    """The results of every rule of a policy for one report."""

    rules: tuple[RuleResult, ...]
    source: str | None = None

    @property
    def met(self) -> bool:
        """True when every rule is met."""
        return all(rule.met for rule in self.rules)

    def lines(self) -> list[str]:
        """The result for people: one line per rule, its evidence indented below it."""
        out = [f"policy: {self.source}"] if self.source else []
        for rule in self.rules:
            out.append(rule.line())
            out.extend(f"  - {item}" for item in rule.evidence[:_EVIDENCE_SHOWN])
            if len(rule.evidence) > _EVIDENCE_SHOWN:
                out.append(f"  - … and {len(rule.evidence) - _EVIDENCE_SHOWN} more")
        if len(self.rules) > 1:
            unmet = sum(not rule.met for rule in self.rules)
            out.append(f"policy {'met' if self.met else 'not met'}: "
                       f"{len(self.rules) - unmet} of {len(self.rules)} rules met")
        return out


def evaluate_policy(policy: Policy, report: Report) -> PolicyResult:
    """Apply every rule of ``policy`` to ``report``."""
    results = [_requirement(name, report) for name in policy.require]
    if policy.minimum_label is not None:
        results.append(_minimum_label(policy.minimum_label, report))
    if policy.forbid_restrictions:
        results.append(_forbidden_restrictions(policy, report))
    if policy.allow_licenses is not None:
        results.append(_allowed_licenses(policy.allow_licenses, report))
    if policy.deny_licenses:
        results.append(_denied_licenses(policy.deny_licenses, report))
    if policy.minimum_openness_score is not None:
        results.append(_minimum_score(policy.minimum_openness_score, report))
    return PolicyResult(tuple(results), policy.source)


def _requirement(name: str, report: Report) -> RuleResult:
    if name == "osaid-1.0":
        unmet = tuple(f"{c.id}: {c.status} — {c.fix or c.why}" for c in report.osaid.criteria
                      if c.required and c.status not in ("met", "not-applicable"))
        return RuleResult(name, report.osaid.status == "pass", report.osaid.label, unmet)
    wanted = int(name.rsplit("-", 1)[1])
    mof_class = (report.mof or {}).get("class")
    met = mof_class is not None and mof_class <= wanted
    reached = f"MOF class {mof_class}" if mof_class is not None else "no MOF class"
    progress = (report.mof or {}).get("progress", {}).get(str(wanted))
    evidence = () if met or progress is None else (f"class {wanted} progress: {progress:.0f}%",)
    return RuleResult(name, met, reached, evidence)


def _minimum_label(minimum: Label, report: Report) -> RuleResult:
    label = report.osaid.label
    met = LABELS_BY_OPENNESS.index(label) >= LABELS_BY_OPENNESS.index(minimum)
    return RuleResult(f"minimum-label {minimum}", met, label)


def _forbidden_restrictions(policy: Policy, report: Report) -> RuleResult:
    rule = "forbid-restrictions"
    forbidden = {kind.value for kind in policy.forbid_restrictions}
    found = [item for item in report.terms.get("restrictions", []) if item.get("kind") in forbidden]
    if found:
        kinds = sorted({item["kind"] for item in found})
        return RuleResult(rule, False, f"{', '.join(kinds)} found", tuple(restriction_line(i) for i in found))
    if not report.terms.get("id"):
        return RuleResult(rule, False, "the terms of the weights are unknown, so their restrictions are too")
    return RuleResult(rule, True, f"none of {', '.join(sorted(forbidden))} in the terms")


def named_licenses(report: Report) -> Iterator[tuple[str | None, str]]:
    """Every license the report names, with where: ``(id or None when not identified, where)``.

    The terms of the weights (after lineage and the stricter reading), each license file and
    card declaration, each base model's terms, and the license of each present component.
    """
    yield report.terms.get("id"), "terms of the weights"
    for entry in report.licenses:
        yield entry.id, entry.source
    for base in report.lineage:
        yield base.get("license"), f"base model {base.get('base_model')}"
    for component in report.components:
        if component.present and component.license.id:
            yield component.license.id, f"component {component.component.value}"


def _allowed_licenses(allowed: tuple[str, ...], report: Report) -> RuleResult:
    permitted = {name.casefold() for name in allowed}
    problems = [f"{where}: not identified" if license_id is None else f"{where}: {license_id} is not allowed"
                for license_id, where in named_licenses(report)
                if license_id is None or license_id.casefold() not in permitted]
    problems = list(dict.fromkeys(problems))
    if problems:
        return RuleResult("allow-licenses", False, f"{len(problems)} license(s) not allowed or not identified",
                          tuple(problems))
    ids = sorted({license_id for license_id, _ in named_licenses(report) if license_id})
    return RuleResult("allow-licenses", True, f"only {', '.join(ids)}")


def _denied_licenses(denied: tuple[str, ...], report: Report) -> RuleResult:
    refused = {name.casefold() for name in denied}
    found = list(dict.fromkeys(f"{where}: {license_id}" for license_id, where in named_licenses(report)
                               if license_id and license_id.casefold() in refused))
    if found:
        return RuleResult("deny-licenses", False, "a denied license is named", tuple(found))
    return RuleResult("deny-licenses", True, f"none of {', '.join(denied)}")


def _minimum_score(minimum: float, report: Report) -> RuleResult:
    rule = f"minimum-openness-score {minimum:g}"
    score = (report.openness_index or {}).get("score")
    if score is None:
        return RuleResult(rule, False, "the release has no openness-index score")
    return RuleResult(rule, score >= minimum, f"score {score:.2f}")
