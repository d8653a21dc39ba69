"""The OSAID 1.0 verdict: criteria from ``data/osaid-1.0.yaml``, evaluated by the engine."""

from __future__ import annotations

from functools import cache
from typing import Any

from openness.datafiles import load_data
from openness.frameworks.engine import RuleContext, RuleResult, Status, evaluate, evaluate_terms
from openness.licenses.assess import LicenseAssessment
from openness.report import ComponentResult, CriterionResult, Label, OsaidVerdict
from openness.vocabulary import Component


@cache
def load_framework() -> dict[str, Any]:
    """The OSAID 1.0 criteria as data."""
    return load_data("openness.frameworks", "osaid-1.0.yaml")


def _combine(presence: RuleResult, terms: RuleResult) -> Status:
    if presence.status == "not-applicable":
        return "not-applicable"
    if "unmet" in (presence.status, terms.status):
        return "unmet"
    if "unknown" in (presence.status, terms.status):
        return "unknown"
    return "met"


def _criterion(spec: dict[str, Any], context: RuleContext) -> CriterionResult:
    presence = evaluate(spec["presence"], context)
    terms = evaluate_terms(spec.get("terms"), context)
    status = _combine(presence, terms)
    why_texts: dict[str, str] = spec.get("why", {})
    why = why_texts.get(status) or why_texts.get("unmet" if status == "unknown" else status, "")
    if status == "unknown":
        why = f"not established: {why}"
    if presence.status == "met" and terms.status == "unmet":
        why = f"present, but under restrictive terms: {'; '.join(terms.evidence[:3])}"
    elif presence.status == "met" and terms.status == "unknown":
        why = f"present, but its terms are unknown: {'; '.join(terms.evidence)}"
    return CriterionResult(
        id=spec["id"],
        title=spec["title"],
        status=status,
        why=why,
        fix=None if status in ("met", "not-applicable") else spec.get("fix"),
        evidence=presence.evidence + terms.evidence,
        required=bool(spec.get("required", True)),
        present=None if presence.status in ("unknown", "not-applicable") else presence.status == "met",
        terms_open=None if terms.status == "unknown" else terms.status == "met",
    )


def evaluate_osaid(components: tuple[ComponentResult, ...], licenses: LicenseAssessment) -> OsaidVerdict:
    """Evaluate every OSAID 1.0 criterion and derive status, label and would-pass-if-relicensed."""
    framework = load_framework()
    context = RuleContext(
        {c.component: c for c in components},
        licenses.inherited,
        tuple(str(r) for r in licenses.terms.restrictions if r.kind.breaks_osd),
    )
    criteria = tuple(_criterion(spec, context) for spec in framework["criteria"])
    required = [c for c in criteria if c.required and c.status != "not-applicable"]
    passed = all(c.status == "met" for c in required)
    # Every element is there; only the terms (own or inherited) stand in the way.
    elements_present = all(c.present is not False for c in required if c.id != "lineage") and all(
        c.present is not None for c in required if c.id != "lineage"
    )
    weights = context.components[Component.MODEL_PARAMETERS_FINAL]
    parameters = next(c for c in criteria if c.id == "parameters")
    lineage = next(c for c in criteria if c.id == "lineage")
    weights_open = parameters.terms_open is True and lineage.status in ("met", "not-applicable")
    label: Label
    if weights.status == "absent":
        label = "closed"
    elif passed:
        label = "open-source-ai"
    elif weights_open:
        label = "open-weights"
    else:
        label = "restricted-weights"
    levels = [
        level
        for slug in ("model-parameters-final", "training-code", "datasets")
        if (level := context.components[Component(slug)].level) is not None
    ]
    weakest = min(levels, key=lambda lv: lv.rank) if levels else None
    return OsaidVerdict(
        status="pass" if passed else "fail",
        label=label,
        would_pass_if_relicensed=passed or elements_present,
        criteria=criteria,
        framework_version=str(framework["version"]),
        summary=_summary(passed, label, criteria, licenses),
        level=weakest,
    )


_LABEL_WORDS = {
    "open-source-ai": "Open Source AI",
    "open-weights": "open weights, not open source AI",
    "restricted-weights": "weights under restrictive terms, not open source AI",
    "closed": "no weights published, not open source AI",
}


def _summary(passed: bool, label: str, criteria: tuple[CriterionResult, ...], licenses: LicenseAssessment) -> str:
    if passed:
        return (
            "Open Source AI under OSAID 1.0: data information, code and parameters "
            "are all available under open terms."
        )
    unmet = [c.title.lower() for c in criteria if c.required and c.status in ("unmet", "unknown")]
    terms = licenses.terms
    parts = [_LABEL_WORDS[label][0].upper() + _LABEL_WORDS[label][1:]]
    if label == "restricted-weights":
        kinds = sorted({r.kind.value for r in terms.restrictions if r.kind.breaks_osd})
        name = terms.name or ("an unidentified license" if terms.evidence or terms.restrictions else "no license")
        parts.append(f"terms: {name}" + (f" ({', '.join(kinds)})" if kinds else ""))
    if unmet:
        parts.append("missing or not established: " + ", ".join(unmet))
    return "; ".join(parts) + "."
