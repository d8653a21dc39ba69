"""The report as a CycloneDX 1.6 ML-BOM (JSON).

The audited model is the BOM's main component (``machine-learning-model``, with a model card);
its published code and data are components; verdicts, component statuses and restriction
kinds are ``openness:`` properties. The output is deterministic: no timestamp, and a serial
number derived from the report's content, so the same report always gives the same BOM.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from openness.render.cyclonedx_licenses import cyclonedx_license, cyclonedx_licenses
from openness.render.evidence_links import HUB, datasets_in, is_code_host, urls_in
from openness.report import ComponentResult, Report
from openness.vocabulary import Component

SPEC_VERSION = "1.6"
MODEL_REF = "model"
CODE_TYPES: dict[Component, str] = {
    Component.TRAINING_CODE: "application",
    Component.INFERENCE_CODE: "application",
    Component.EVALUATION_CODE: "application",
    Component.DATA_PREPROCESSING_CODE: "application",
    Component.SUPPORTING_LIBRARIES_AND_TOOLS: "library",
}
"""Code components of the MOF, as CycloneDX component types."""
DATA_COMPONENTS = (Component.DATASETS, Component.EVALUATION_DATA)
DOCUMENT_REFERENCE_TYPES: dict[Component, str] = {
    Component.MODEL_CARD: "model-card",
    Component.DATA_CARD: "documentation",
    Component.TECHNICAL_REPORT: "documentation",
    Component.RESEARCH_PAPER: "documentation",
    Component.EVALUATION_RESULTS: "documentation",
    Component.SAMPLE_MODEL_OUTPUTS: "documentation",
}
"""Documents of the MOF: their links become external references of the model."""
_ARCHITECTURE = re.compile(r": (?:architecture|general\.architecture =) (.+)$")
_PARAMETERS = re.compile(r"(\d[\d,]*) parameters\b")


def render_cyclonedx(report: Report) -> str:
    """The report as a CycloneDX 1.6 JSON document."""
    return json.dumps(cyclonedx_bom(report), indent=2, ensure_ascii=False)


def cyclonedx_bom(report: Report) -> dict[str, Any]:
    """The CycloneDX 1.6 BOM of a report, as a JSON-ready dict."""
    components = [_code_component(c) for c in report.components if c.present and c.component in CODE_TYPES]
    components += [_data_component(c) for c in report.components if c.present and c.component in DATA_COMPONENTS]
    return {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": serial_number(report),
        "version": 1,
        "metadata": {
            "tools": {"components": [{
                "type": "application",
                "name": "openness",
                "version": report.tool_version,
                "description": "Audits AI model releases against the Open Source AI Definition 1.0 and the "
                               "Model Openness Framework, with evidence.",
            }]},
            "component": _model_component(report),
            "properties": _properties({
                "openness:schema-version": "1",
                "openness:subject:kind": report.subject.kind,
                "openness:subject:id": report.subject.id,
            }),
        },
        "components": components,
    }


def serial_number(report: Report) -> str:
    """A UUID URN derived from the report JSON: the same report, the same serial number."""
    digest = hashlib.sha256(json.dumps(report.to_dict(), sort_keys=True).encode("utf-8")).hexdigest()
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:openness:report:{digest}").urn


def _model_component(report: Report) -> dict[str, Any]:
    subject = report.subject
    group, name = _group_and_name(subject.kind, subject.id)
    model: dict[str, Any] = {"type": "machine-learning-model", "bom-ref": MODEL_REF}
    if group:
        model["group"] = group
    model["name"] = name
    if subject.revision:
        model["version"] = subject.revision
    model["description"] = report.osaid.summary
    if subject.kind == "hub":
        model["purl"] = f"pkg:huggingface/{subject.id}" + (f"@{quote(subject.revision, safe='')}"
                                                           if subject.revision else "")
    terms = report.terms
    licenses = cyclonedx_licenses(
        [cyclonedx_license(terms.get("id"), terms.get("name"), terms.get("class", "unknown"), "concluded")]
        + [cyclonedx_license(e.id, e.name, e.license_class.value, "declared") for e in report.licenses]
    )
    if licenses:
        model["licenses"] = licenses
    references = _model_references(report)
    if references:
        model["externalReferences"] = references
    model["properties"] = _verdict_properties(report)
    model["modelCard"] = _model_card(report)
    ancestors = _ancestors(report.lineage, depth=0)
    if ancestors:
        model["pedigree"] = {"ancestors": ancestors}
    return model


def _ancestors(lineage: Any, depth: int) -> list[dict[str, Any]]:
    """Base models as CycloneDX pedigree ancestors, each with its own ancestors (at most 8 deep)."""
    ancestors = []
    for base in lineage if isinstance(lineage, (list, tuple)) and depth < 8 else ():
        if not isinstance(base, dict) or not isinstance(base.get("base_model"), str):
            continue
        group, name = _group_and_name("hub", base["base_model"])
        ancestor: dict[str, Any] = {"type": "machine-learning-model", "name": name}
        if group:
            ancestor["group"] = group
        revision = base.get("revision")
        if isinstance(revision, str) and revision:
            ancestor["version"] = revision
        if group:
            ancestor["purl"] = f"pkg:huggingface/{base['base_model']}" + (
                f"@{quote(revision, safe='')}" if isinstance(revision, str) and revision else "")
        licenses = cyclonedx_licenses([cyclonedx_license(base.get("license"), None, str(base.get("class") or
                                                                                         "unknown"), "concluded")])
        if licenses:
            ancestor["licenses"] = licenses
        ancestor["properties"] = [
            {"name": "openness:relation", "value": str(base.get("relation") or "base")},
            {"name": "openness:license-class", "value": str(base.get("class") or "unknown")},
        ]
        deeper = _ancestors(base.get("lineage"), depth + 1)
        if deeper:
            ancestor["pedigree"] = {"ancestors": deeper}
        ancestors.append(ancestor)
    return ancestors


def _group_and_name(kind: str, subject_id: str) -> tuple[str | None, str]:
    if kind == "hub" and "/" in subject_id:
        group, _, name = subject_id.partition("/")
        return group, name
    if kind == "local":
        return None, PurePosixPath(subject_id.replace("\\", "/")).name or subject_id
    return None, subject_id


def _model_references(report: Report) -> list[dict[str, Any]]:
    references: list[dict[str, Any]] = []
    if report.subject.kind == "hub":
        references.append({"type": "website", "url": f"{HUB}/{report.subject.id}"})
    for result in report.components:
        kind = DOCUMENT_REFERENCE_TYPES.get(result.component)
        if kind and result.present:
            references += [{"type": kind, "url": url, "comment": result.component.value}
                           for url in urls_in(result.evidence)]
    return references


def _model_card(report: Report) -> dict[str, Any]:
    parameters: dict[str, Any] = {}
    architecture = _first_match(_ARCHITECTURE, report.component(Component.MODEL_ARCHITECTURE).evidence)
    if architecture:
        parameters["modelArchitecture"] = architecture
    datasets = [{"ref": _ref(c)} for c in DATA_COMPONENTS if report.component(c).present]
    if datasets:
        parameters["datasets"] = datasets
    card: dict[str, Any] = {}
    if parameters:
        card["modelParameters"] = parameters
    restrictions = list(dict.fromkeys(_restriction_sentence(r) for r in report.terms.get("restrictions", ())))
    if restrictions:
        card["considerations"] = {"useCases": restrictions}
    count = _parameter_count(report.component(Component.MODEL_PARAMETERS_FINAL).evidence)
    if count is not None:
        card["properties"] = _properties({"openness:weights:parameter-count": str(count)})
    return card


def _restriction_sentence(restriction: dict[str, Any]) -> str:
    where = str(restriction.get("source") or "the terms")
    if restriction.get("line"):
        where += f" line {restriction['line']}"
    return f"Use restricted ({restriction.get('kind')}), {where}: \u201c{restriction.get('quote', '')}\u201d"


def _verdict_properties(report: Report) -> list[dict[str, str]]:
    osaid = report.osaid
    values: list[tuple[str, str]] = [
        ("openness:osaid-1.0:status", osaid.status),
        ("openness:osaid-1.0:label", osaid.label),
        ("openness:osaid-1.0:would-pass-if-relicensed", str(osaid.would_pass_if_relicensed).lower()),
    ]
    values += [(f"openness:osaid-1.0:criterion:{c.id}", c.status) for c in osaid.criteria]
    if report.mof is not None:
        mof_class = report.mof.get("class")
        values.append(("openness:mof:class", "none" if mof_class is None else str(mof_class)))
        values += [(f"openness:mof:progress:{k}", f"{v}") for k, v in (report.mof.get("progress") or {}).items()]
    if report.openness_index is not None and report.openness_index.get("score") is not None:
        values.append(("openness:openness-index:score", f"{report.openness_index['score']:.4f}"))
    values.append(("openness:terms:class", str(report.terms.get("class", "unknown"))))
    kinds = dict.fromkeys(str(r.get("kind")) for r in report.terms.get("restrictions", ()))
    values += [("openness:restriction", kind) for kind in kinds]
    for result in report.components:
        values.append((f"openness:component:{result.component.value}:status", result.status))
        if result.level is not None:
            values.append((f"openness:component:{result.component.value}:level", result.level.value))
    values += [("openness:finding", f"{f.kind}: {f.message}") for f in report.findings]
    return [{"name": name, "value": value} for name, value in values]


def _code_component(result: ComponentResult) -> dict[str, Any]:
    component = _component_base(result, CODE_TYPES[result.component])
    references = [{"type": "vcs" if is_code_host(url) else "website", "url": url} for url in urls_in(result.evidence)]
    if references:
        component["externalReferences"] = references
    return component


def _data_component(result: ComponentResult) -> dict[str, Any]:
    component = _component_base(result, "data")
    mentions = datasets_in(result.evidence)
    component["data"] = [
        {"type": "dataset", "name": m.name, **({"contents": {"url": m.url}} if m.url else {})} for m in mentions
    ] or [{"type": "dataset", "name": _title(result.component), "description": "; ".join(result.evidence)}]
    references = [{"type": "distribution", "url": m.url} for m in mentions if m.url]
    if references:
        component["externalReferences"] = references
    return component


def _component_base(result: ComponentResult, component_type: str) -> dict[str, Any]:
    component: dict[str, Any] = {"type": component_type, "bom-ref": _ref(result.component),
                                 "name": _title(result.component)}
    license_ = result.license
    licenses = cyclonedx_licenses([cyclonedx_license(license_.id, license_.name, license_.license_class.value,
                                                     "concluded")])
    if licenses:
        component["licenses"] = licenses
    component["properties"] = _properties({
        "openness:component": result.component.value,
        "openness:level": result.level.value if result.level else None,
    }) + [{"name": "openness:evidence", "value": line} for line in result.evidence]
    return component


def _ref(component: Component) -> str:
    return f"component-{component.value}"


def _title(component: Component) -> str:
    return component.value.replace("-", " ").capitalize()


def _properties(values: dict[str, str | None]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in values.items() if value is not None]


def _first_match(pattern: re.Pattern[str], lines: tuple[str, ...]) -> str | None:
    for line in lines:
        match = pattern.search(line)
        if match:
            return match.group(1).strip()
    return None


def _parameter_count(lines: tuple[str, ...]) -> int | None:
    counts = [int(m.group(1).replace(",", "")) for line in lines for m in _PARAMETERS.finditer(line)]
    return sum(counts) if counts else None
