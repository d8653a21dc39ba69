"""The MOF class of an audited release: its components written as the MOT manifest a publisher
would file, then evaluated exactly as MOT evaluates manifests (:mod:`openness.frameworks.mof`).

A present component is listed; it carries the license openness established for it, or none,
in which case it inherits the release's license, as in MOT manifests, where most publishers
give only a distribution license. Absent and unknown components are not listed.

The other way round, a MOF manifest shipped inside a release folder is checked against what
the folder shows (:func:`shipped_manifest_findings`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openness.evidence import ReleaseEvidence
from openness.frameworks.mof import MofResult, evaluate_mof_manifest, load_mof_framework
from openness.licenses.assess import LicenseAssessment
from openness.report import ComponentResult, Finding
from openness.sources.interface import TargetError
from openness.sources.manifest import read_manifest


def manifest_from_components(
    name: str, components: tuple[ComponentResult, ...], distribution_license: str | None
) -> dict[str, Any]:
    """A MOT manifest (MOF 1.0 schema) describing the present components."""
    specs = {spec.slug: spec for spec in load_mof_framework().components}
    listed = []
    for component in components:
        spec = specs.get(component.component.value)
        if spec is None or component.status != "present":
            continue
        entry: dict[str, Any] = {"name": spec.name, "description": "; ".join(component.evidence[:2])[:300]}
        if component.license.id and component.license.id != distribution_license:
            entry["license"] = component.license.id
        listed.append(entry)
    release: dict[str, Any] = {"name": name, "components": listed}
    if distribution_license:
        release["license"] = {"distribution": {"name": distribution_license, "path": ""}}
    return {"framework": {"name": "Model Openness Framework", "version": "1.0", "date": "2024-12-15"},
            "release": release}


def mof_verdict(name: str, components: tuple[ComponentResult, ...], distribution_license: str | None) -> MofResult:
    """The MOF class MOT would give the release's components."""
    return evaluate_mof_manifest(manifest_from_components(name, components, distribution_license))


def mof_to_dict(result: MofResult) -> dict[str, Any]:
    """The report JSON's ``verdicts.mof`` (design.md): class, progress by class, criteria."""
    by_id = {c.component_id: c for c in result.components}
    criteria = []
    for spec in load_mof_framework().components:
        seen = by_id.get(spec.component_id)
        status = "missing" if seen is None else "included" if seen.open else "not-open"
        criteria.append({
            "id": spec.slug, "name": spec.name, "class": spec.mof_class, "required": spec.required,
            "status": status, "license": seen.license if seen else None,
            "license_source": seen.license_source if seen else None,
        })
    return {
        "class": result.mof_class,
        "progress": {str(c): round(result.progress[c], 2) for c in (1, 2, 3)},
        "criteria": criteria,
        "notes": list(result.notes),
    }


def shipped_manifest_findings(
    evidence: ReleaseEvidence, components: tuple[ComponentResult, ...], licenses: LicenseAssessment
) -> list[Finding]:
    """A MOF manifest shipped in a release folder, checked against what the release shows."""
    if evidence.subject.kind != "local":
        return []
    framework = load_mof_framework()
    names = frozenset(c.name for c in framework.components)
    findings: list[Finding] = []
    for name in evidence.files:
        if "/" in name or not name.lower().endswith((".yml", ".yaml")):
            continue
        try:
            manifest = read_manifest(Path(evidence.subject.id) / name, names)
        except TargetError:
            continue  # not a MOF manifest (or a broken one): nothing to compare
        mof = evaluate_mof_manifest(manifest.data)
        declared = {result.slug: result for result in mof.components}
        found = {c.component.value: c for c in components}
        for slug, result in declared.items():
            if found[slug].status != "present":
                findings.append(Finding(
                    "manifest-mismatch",
                    f"{name} declares {result.name!r} but the release shows no evidence of it "
                    f"({found[slug].evidence[0]})", (name, *found[slug].evidence[:1])))
        for slug, component in found.items():
            if component.status == "present" and slug not in declared:
                findings.append(Finding(
                    "manifest-mismatch", f"the release shows {slug} ({component.evidence[0]}) but {name} does not "
                    "list it", (name, *component.evidence[:1]), severity="info"))
        params = declared.get("model-parameters-final")
        if params is not None and params.license and licenses.terms.id and params.license != licenses.terms.id:
            findings.append(Finding(
                "license-mismatch",
                f"{name} declares the final parameters under {params.license} but the release's terms are "
                f"{licenses.terms.id} ({licenses.terms.license_class.value})", (name,), severity="error"))
    return findings
