"""A small rule engine: framework criteria are data, rules are combinators.

Every rule returns a result (met / unmet / unknown / not-applicable) with the evidence
that decided it; nothing stops at the first failure, so a report always lists every
criterion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from openness.licenses.assess import InheritedTerms
from openness.report import ComponentResult
from openness.vocabulary import Component, LicenseClass

Status = Literal["met", "unmet", "unknown", "not-applicable"]


@dataclass(frozen=True)
class RuleContext:
    """What rules can look at: the component results and the release's lineage."""

    components: dict[Component, ComponentResult]
    inherited: tuple[InheritedTerms, ...]
    parameter_restrictions: tuple[str, ...] = ()
    """The clauses that restrict the parameters' terms, quoted with file and line."""


@dataclass(frozen=True)
class RuleResult:
    """A rule's outcome and the evidence lines behind it."""

    status: Status
    evidence: tuple[str, ...] = ()


_COMPONENT_STATUS: dict[str, Status] = {"present": "met", "absent": "unmet", "unknown": "unknown"}


class RuleError(ValueError):
    """A framework data file holds a rule the engine does not know."""


def evaluate(rule: dict[str, Any], context: RuleContext) -> RuleResult:
    """Evaluate one rule (``component``, ``all``, ``any`` or ``lineage``)."""
    if "component" in rule:
        result = context.components[Component(rule["component"])]
        status = _COMPONENT_STATUS[result.status]
        prefix = f"{result.component.value}: {result.status}"
        return RuleResult(status, tuple(f"{prefix} — {line}" for line in result.evidence[:4]))
    if "all" in rule or "any" in rule:
        parts = [evaluate(child, context) for child in rule.get("all", rule.get("any", []))]
        statuses = [p.status for p in parts]
        evidence = tuple(line for p in parts for line in p.evidence)
        if "all" in rule:
            combined: Status = "unmet" if "unmet" in statuses else "unknown" if "unknown" in statuses else "met"
            return RuleResult(combined, evidence)
        if "met" in statuses:
            return RuleResult("met", tuple(line for p in parts if p.status == "met" for line in p.evidence))
        return RuleResult("unknown" if "unknown" in statuses else "unmet", evidence)
    if "lineage" in rule:
        return _lineage(context) if rule["lineage"] == "terms" else _lineage_elements(context)
    raise RuleError(f"unknown rule: {sorted(rule)}")


def _lineage(context: RuleContext) -> RuleResult:
    if not context.inherited:
        return RuleResult("not-applicable", ("no base_model declared",))
    lines = []
    statuses = []
    for inherited in context.inherited:
        if inherited.entry is None:
            statuses.append("unknown")
            lines.append(f"{inherited.base.id}: terms unknown ({inherited.base.provenance})")
        else:
            entry = inherited.entry
            statuses.append("met" if entry.license_class.is_open and not entry.breaking_kinds else "unmet")
            lines.append(f"{inherited.base.id}: {entry.id} ({entry.license_class.value}) ({inherited.base.provenance})")
    status: Status = "unmet" if "unmet" in statuses else "unknown" if "unknown" in statuses else "met"
    return RuleResult(status, tuple(lines))


def _lineage_elements(context: RuleContext) -> RuleResult:
    if not context.inherited:
        return RuleResult("not-applicable", ("no base_model declared",))
    lines = []
    statuses: list[Status] = []
    for inherited in context.inherited:
        if inherited.elements == "complete":
            statuses.append("met")
            lines.append(f"{inherited.base.id}: publishes its data information and code")
        elif inherited.elements == "incomplete":
            statuses.append("unmet")
            lines.append(f"{inherited.base.id}: does not publish its training data information and code")
        else:
            statuses.append("unknown")
            lines.append(f"{inherited.base.id}: not known whether it publishes its data information and code")
    status: Status = "unmet" if "unmet" in statuses else "unknown" if "unknown" in statuses else "met"
    return RuleResult(status, tuple(lines))


def evaluate_terms(spec: dict[str, Any] | None, context: RuleContext) -> RuleResult:
    """Check the licenses of the named components that are present."""
    if not spec:
        return RuleResult("met")
    require = spec.get("require", "open")
    statuses: list[Status] = []
    lines: list[str] = []
    for slug in spec.get("components", []):
        result = context.components[Component(slug)]
        if result.status != "present":
            continue
        license_class = result.license.license_class
        label = f"{slug}: {result.license.id or 'license unknown'} ({license_class.value})"
        if license_class in (LicenseClass.RESTRICTED, LicenseClass.PROPRIETARY):
            statuses.append("unmet")
            if result.component is Component.MODEL_PARAMETERS_FINAL:
                lines.extend(context.parameter_restrictions[:6])
        elif license_class.is_open:
            statuses.append("met")
        elif require == "open":
            statuses.append("unknown")
        else:
            statuses.append("met")
            label += " — not verified offline"
        lines.append(label)
    status: Status = "unmet" if "unmet" in statuses else "unknown" if "unknown" in statuses else "met"
    return RuleResult(status, tuple(lines))
