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
from openness.licenses.assess import AuditedBase, LicenseAssessment, assess_licenses
from openness.licenses.catalog import CatalogRestriction, LicenseEntry, default_catalog
from openness.report import Finding, LicenseSummary, Report
from openness.sources.hub_target import looks_like_hub_id, parse_hub_target
from openness.sources.interface import Source, SourceError, TargetError
from openness.sources.local import LocalFolderSource
from openness.sources.manifest import MANIFEST_SUFFIXES, read_manifest
from openness.vocabulary import LicenseClass, RestrictionKind


def source_for(target: str, *, offline: bool = False, refresh: bool = False) -> Source:
    """Choose the source for a target given on the command line: a folder, else a Hub repository id."""
    path = Path(target)
    if path.exists() or target.startswith((".", "/", "~")):
        return LocalFolderSource(path.expanduser())
    if looks_like_hub_id(target):
        from openness.sources.hub import HubSource

        return HubSource(parse_hub_target(target), offline=offline, refresh=refresh)
    raise TargetError(f"{target}: no such folder or manifest, and not a Hub repository id (org/name[@revision])")


MAX_LINEAGE_DEPTH = 8
"""Base models are followed at most this many steps up (a chain longer than that is unusual)."""
MAX_BASES = 16
"""At most this many base models of one release are audited (a merge of many models)."""


class Auditor:
    """Runs the stages in order over one source and returns an immutable :class:`Report`."""

    def audit_target(self, target: str, *, offline: bool = False, refresh: bool = False) -> Report:
        """Audit what the command line names: a release folder, a MOF manifest file or a Hub repository."""
        path = Path(target).expanduser()
        if path.is_file() and path.suffix.lower() in MANIFEST_SUFFIXES:
            return self.audit_manifest(path)
        return self.audit(source_for(target, offline=offline, refresh=refresh))

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
        """Audit one release, and first the base models its source can reach (their terms pass down)."""
        report, notes = self._audit(source, (), {})
        return replace(report, findings=report.findings + notes) if notes else report

    def _audit(self, source: Source, path: tuple[str, ...],
               done: dict[str, tuple[Report, tuple[Finding, ...]] | str]) -> tuple[Report, tuple[Finding, ...]]:
        """The report of one release (its bases audited first) and the lineage notes of its chain
        (cycles, bases that could not be read), which also reach the releases built on it."""
        evidence = source.collect()
        audited: dict[str, AuditedBase] = {}
        notes: list[Finding] = []
        here = (*path, evidence.subject.id.casefold())
        for base in evidence.base_models[:MAX_BASES]:
            key = base.id.casefold()
            if key in here:
                notes.append(Finding("lineage", f"base model {base.id} is already in this release's chain "
                                     f"({' -> '.join(here)}): a cycle, not followed", (str(base.provenance),)))
                continue
            base_source = source.base_source(base.id) if looks_like_hub_id(base.id) else None
            if base_source is None:
                continue
            if len(here) > MAX_LINEAGE_DEPTH:
                notes.append(Finding("lineage", f"base model {base.id} not audited: the chain is longer than "
                                     f"{MAX_LINEAGE_DEPTH} steps", (str(base.provenance),)))
                continue
            if key not in done:
                try:
                    done[key] = self._audit(base_source, here, done)
                except SourceError as error:
                    done[key] = str(error)
            result = done[key]
            if isinstance(result, str):
                notes.append(Finding("lineage", f"base model {base.id} could not be read: {result}",
                                     (str(base.provenance),)))
            else:
                base_report, base_notes = result
                audited[key] = _audited_base(base.id, replace(base_report, findings=base_report.findings + base_notes))
                notes.extend(replace(n, message=f"via {base.id}: {n.message}") for n in base_notes)
        return self.audit_evidence(evidence, audited), tuple(notes)

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

    def audit_evidence(self, evidence: ReleaseEvidence,
                       audited_bases: dict[str, AuditedBase] | None = None) -> Report:
        """Audit evidence already collected (used by tests and other front ends)."""
        licenses = assess_licenses(evidence, audited_bases=audited_bases)
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
                    "revision": i.revision,
                    "elements": i.elements,
                    "lineage": list(i.chain),
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


def _audited_base(repo_id: str, report: Report) -> AuditedBase:
    """What a base model's own audit says about the terms and completeness it passes down."""
    terms = report.terms or {}
    license_class = LicenseClass(str(terms.get("class") or "unknown"))
    entry = None
    if license_class is not LicenseClass.UNKNOWN:
        kinds: dict[RestrictionKind, str] = {}
        for restriction in terms.get("restrictions") or ():
            kinds.setdefault(RestrictionKind(restriction["kind"]), str(restriction.get("quote") or "")[:300])
        entry = LicenseEntry(
            id=str(terms.get("id") or "LicenseRef-unidentified"),
            name=str(terms.get("name") or terms.get("id") or "unidentified terms"),
            license_class=license_class,
            restrictions=tuple(CatalogRestriction(kind, quote) for kind, quote in kinds.items()),
        )
    statuses = {c.status for c in report.osaid.criteria if c.id in _ELEMENT_CRITERIA}
    elements = "incomplete" if "unmet" in statuses else None if "unknown" in statuses else "complete"
    return AuditedBase(repo_id, report.subject.revision, entry, elements, tuple(report.lineage))


_ELEMENT_CRITERIA = frozenset({
    "data-information", "code-data-processing", "code-training", "code-evaluation", "code-inference",
    "code-supporting-libraries", "model-architecture", "lineage-elements",
})
"""OSAID criteria about what a release publishes (not its terms): what a fine-tune inherits as completeness."""
