"""The auditor: the one place that knows the order of the stages.

source.collect() -> licenses -> components -> frameworks -> Report. Front ends (CLI,
later a web service and a census) only choose a source and a renderer around it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from openness import __version__
from openness.components.from_manifest import components_from_manifest
from openness.components.mapping import map_components
from openness.evidence import ReleaseEvidence, Subject
from openness.frameworks.mof import evaluate_mof_manifest, load_mof_framework
from openness.frameworks.mof_evidence import (
    manifest_from_components,
    mof_to_dict,
    mof_verdict,
    shipped_manifest_findings,
)
from openness.frameworks.openness_index import grade_report
from openness.frameworks.osaid import evaluate_osaid
from openness.licenses.assess import LicenseAssessment, assess_licenses
from openness.licenses.catalog import default_catalog
from openness.report import Finding, LicenseSummary, Report
from openness.sources.interface import Source, TargetError
from openness.sources.local import LocalFolderSource
from openness.sources.manifest import MANIFEST_SUFFIXES, read_manifest
from openness.vocabulary import LicenseClass


def source_for(target: str) -> Source:
    """Choose the source for a target given on the command line."""
    path = Path(target)
    if path.exists() or target.startswith((".", "/", "~")):
        return LocalFolderSource(path.expanduser())
    raise TargetError(f"{target}: no such folder or manifest (Hub repository ids are not supported yet)")


class Auditor:
    """Runs the stages in order over one source and returns an immutable :class:`Report`."""

    def audit_target(self, target: str) -> Report:
        """Audit what the command line names: a release folder or a MOF manifest file."""
        path = Path(target).expanduser()
        if path.is_file() and path.suffix.lower() in MANIFEST_SUFFIXES:
            return self.audit_manifest(path)
        return self.audit(source_for(target))

    @staticmethod
    def _graded(report: Report) -> Report:
        """The report with its openness-index grades (computed from the report itself)."""
        return replace(report, openness_index=grade_report(report.to_dict()).to_dict())

    def audit_manifest(self, path: Path) -> Report:
        """Audit a MOF manifest: the publisher's declarations, judged by the same frameworks."""
        framework = load_mof_framework()
        manifest = read_manifest(path, frozenset(c.name for c in framework.components))
        mof = evaluate_mof_manifest(manifest.data)
        components, findings, terms = components_from_manifest(path.name, mof, default_catalog())
        licenses = LicenseAssessment((), (), (), terms, terms, tuple(findings))
        release = manifest.data["release"]
        return self._graded(Report(
            tool_version=__version__,
            subject=Subject("manifest", str(release.get("name")), str(release.get("version") or "") or None),
            components=components,
            findings=tuple(findings),
            osaid=evaluate_osaid(components, licenses),
            mof=mof_to_dict(mof),
            terms=terms.to_dict(),
        ))

    def audit(self, source: Source) -> Report:
        """Audit one release."""
        evidence = source.collect()
        return self.audit_evidence(evidence)

    def manifest(self, source: Source) -> dict[str, Any]:
        """The MOF manifest the release's evidence supports (MOT's model file format)."""
        evidence = source.collect()
        licenses = assess_licenses(evidence)
        components = map_components(evidence, licenses)
        metadata = evidence.card.metadata if evidence.card else {}
        name = Path(evidence.subject.id).name or evidence.subject.id
        document = manifest_from_components(name, components, licenses.terms.id)
        release = document["release"]
        release["producer"] = str(metadata.get("model_creator") or "")
        release.setdefault("license", {})
        return document

    def audit_evidence(self, evidence: ReleaseEvidence) -> Report:
        """Audit evidence already collected (used by tests and other front ends)."""
        licenses = assess_licenses(evidence)
        components = map_components(evidence, licenses)
        osaid = evaluate_osaid(components, licenses)
        name = Path(evidence.subject.id).name or evidence.subject.id
        mof = mof_to_dict(mof_verdict(name, components, licenses.terms.id))
        findings = list(licenses.findings)
        findings.extend(shipped_manifest_findings(evidence, components, licenses))
        findings.extend(
            Finding("unreadable", f"{p.provenance}: {p.message}", (str(p.provenance),), severity="warning")
            for p in evidence.problems
            if not p.message.startswith("license file:")
        )
        return self._graded(Report(
            tool_version=__version__,
            subject=evidence.subject,
            components=components,
            findings=tuple(findings),
            osaid=osaid,
            mof=mof,
            licenses=_license_summaries(licenses),
            lineage=tuple(
                {
                    "base_model": i.base.id,
                    "relation": i.base.relation,
                    "license": i.entry.id if i.entry else None,
                    "class": i.entry.license_class.value if i.entry else "unknown",
                    "evidence": [str(i.base.provenance)] + ([i.source] if i.source else []),
                }
                for i in licenses.inherited
            ),
            terms=licenses.terms.to_dict(),
        ))


def _license_summaries(licenses: LicenseAssessment) -> tuple[LicenseSummary, ...]:
    summaries = []
    for resolved in licenses.declarations:
        entry = resolved.entry
        summaries.append(LicenseSummary(
            source=str(resolved.declaration.provenance),
            id=entry.id if entry else None,
            name=entry.name if entry else resolved.declaration.name,
            license_class=entry.license_class if entry else LicenseClass.UNKNOWN,
            match="unknown",
            method="declared",
            osd_conformant=None if entry is None else (entry.license_class.is_open and not entry.breaking_kinds),
            restrictions=tuple({"kind": r.kind.value, "quote": r.summary, "line": None, "quoted": False}
                               for r in (entry.restrictions if entry else ())),
        ))
    for ident in licenses.identifications:
        summaries.append(LicenseSummary(
            source=ident.path or "?",
            id=ident.id,
            name=ident.name,
            license_class=ident.license_class,
            match=ident.match,
            method=ident.method,
            osd_conformant=ident.osd_conformant,
            restrictions=tuple({"kind": r.kind.value, "quote": r.quote, "line": r.line, "quoted": True}
                               for r in ident.restrictions),
            problem=ident.problem,
        ))
    return tuple(summaries)
