"""The report: the one immutable result every renderer reads.

Its JSON form (:meth:`Report.to_dict`) is a public contract (design.md, schema_version
"1"): keys may be added, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from openness.evidence import Subject
from openness.vocabulary import Component, EvidenceLevel, LicenseClass

SCHEMA_VERSION = "1"

ComponentStatus = Literal["present", "absent", "unknown"]
CriterionStatus = Literal["met", "unmet", "unknown", "not-applicable"]
Label = Literal["open-source-ai", "open-weights", "restricted-weights", "closed"]
LABELS_BY_OPENNESS: tuple[Label, ...] = ("closed", "restricted-weights", "open-weights", "open-source-ai")
"""The OSAID labels from least to most open: a move to a lower index is a step down."""


def restriction_line(item: dict[str, Any]) -> str:
    """A restriction of the report's ``terms`` on one line: ``kind: "quote" (source:line)``."""
    where = f"{item.get('source')}:{item['line']}" if item.get("line") else str(item.get("source"))
    return f"{item['kind']}: \"{item['quote']}\" ({where})"


@dataclass(frozen=True)
class Finding:
    """Something a reader must know: a mismatch, a lineage fact, an unreadable file."""

    kind: str
    message: str
    evidence: tuple[str, ...] = ()
    severity: Literal["error", "warning", "info"] = "warning"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"kind": self.kind, "message": self.message, "evidence": list(self.evidence),
                "severity": self.severity}


@dataclass(frozen=True)
class ComponentLicense:
    """The license a component is under, as far as it is known."""

    id: str | None
    license_class: LicenseClass
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"id": self.id, "class": self.license_class.value, "name": self.name}


UNKNOWN_LICENSE = ComponentLicense(None, LicenseClass.UNKNOWN)


@dataclass(frozen=True)
class ComponentResult:
    """One of the 17 MOF components: whether it is there, how we know, under which terms."""

    component: Component
    status: ComponentStatus
    level: EvidenceLevel | None
    license: ComponentLicense = UNKNOWN_LICENSE
    evidence: tuple[str, ...] = ()

    @property
    def present(self) -> bool:
        """True when the component is present."""
        return self.status == "present"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "status": self.status,
            "level": self.level.value if self.level else None,
            "license": self.license.to_dict(),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class CriterionResult:
    """The result of one framework criterion, with why and what would fix it."""

    id: str
    title: str
    status: CriterionStatus
    why: str
    fix: str | None = None
    evidence: tuple[str, ...] = ()
    required: bool = True
    present: bool | None = None
    terms_open: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "required": self.required,
            "why": self.why,
            "fix": self.fix,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class OsaidVerdict:
    """The Open Source AI Definition verdict."""

    status: Literal["pass", "fail"]
    label: Label
    would_pass_if_relicensed: bool
    criteria: tuple[CriterionResult, ...]
    framework_version: str
    summary: str
    level: EvidenceLevel | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "status": self.status,
            "label": self.label,
            "would_pass_if_relicensed": self.would_pass_if_relicensed,
            "framework_version": self.framework_version,
            "summary": self.summary,
            "level": self.level.value if self.level else None,
            "criteria": [c.to_dict() for c in self.criteria],
        }


@dataclass(frozen=True)
class LicenseSummary:
    """A license file or declaration as the report lists it."""

    source: str
    id: str | None
    name: str | None
    license_class: LicenseClass
    match: str
    method: str
    osd_conformant: bool | None
    restrictions: tuple[dict[str, Any], ...] = ()
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "source": self.source,
            "id": self.id,
            "name": self.name,
            "class": self.license_class.value,
            "match": self.match,
            "method": self.method,
            "osd_conformant": self.osd_conformant,
            "restrictions": list(self.restrictions),
            "problem": self.problem,
        }


@dataclass(frozen=True)
class Report:
    """Everything the audit concluded about one release."""

    tool_version: str
    subject: Subject
    components: tuple[ComponentResult, ...]
    findings: tuple[Finding, ...]
    osaid: OsaidVerdict
    licenses: tuple[LicenseSummary, ...] = ()
    lineage: tuple[dict[str, Any], ...] = ()
    terms: dict[str, Any] = field(default_factory=dict)
    mof: dict[str, Any] | None = None
    """The MOF verdict (class, progress, criteria, notes) in its JSON form."""
    openness_index: dict[str, Any] | None = None
    """The openness-index grades (dimensions, score) in their JSON form."""

    def component(self, component: Component) -> ComponentResult:
        """The result for one component."""
        return next(c for c in self.components if c.component is component)

    def to_dict(self) -> dict[str, Any]:
        """The report JSON of design.md."""
        return {
            "schema_version": SCHEMA_VERSION,
            "tool_version": self.tool_version,
            "subject": {"kind": self.subject.kind, "id": self.subject.id, "revision": self.subject.revision},
            "components": {c.component.value: c.to_dict() for c in self.components},
            "findings": [f.to_dict() for f in self.findings],
            "licenses": [entry.to_dict() for entry in self.licenses],
            "terms": self.terms,
            "lineage": list(self.lineage),
            "verdicts": {
                "osaid-1.0": self.osaid.to_dict(),
                **({"mof": self.mof} if self.mof is not None else {}),
                **({"openness-index": self.openness_index} if self.openness_index is not None else {}),
            },
        }
