"""The license stage of an audit: which terms govern the release, and where readings disagree.

Inputs are the declarations (card metadata, GGUF headers), the license files and the base
models of a release. Output is one :class:`LicenseAssessment`: every file identified, the
terms of the parameters (the stricter reading decides), what the release inherits from its
base models, and findings for mismatches, missing licenses and unknown lineage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from openness.evidence import LicenseDeclaration, LicenseDocument, Reference, ReleaseEvidence
from openness.licenses.catalog import LicenseCatalog, LicenseEntry, default_catalog
from openness.licenses.identify import LicenseIdentification, identify_text, unreadable
from openness.report import Finding
from openness.vocabulary import EvidenceLevel, LicenseClass, RestrictionKind


@dataclass(frozen=True)
class TermsRestriction:
    """A restriction on the release's terms: quoted from a file, or summarised from the catalog."""

    kind: RestrictionKind
    quote: str
    source: str
    line: int | None = None
    quoted: bool = True

    def to_dict(self) -> dict[str, object]:
        """JSON form."""
        return {"kind": self.kind.value, "quote": self.quote, "source": self.source,
                "line": self.line, "quoted": self.quoted}

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f'{self.kind.value}: "{self.quote}" ({where})'


@dataclass(frozen=True)
class ResolvedDeclaration:
    """A declared license and the catalog entry it names (None when unknown)."""

    declaration: LicenseDeclaration
    entry: LicenseEntry | None


@dataclass(frozen=True)
class InheritedTerms:
    """A base model and the terms it passes down (entry None: its terms are unknown)."""

    base: Reference
    entry: LicenseEntry | None
    source: str | None = None
    elements: str | None = None
    """"complete" when the base publishes its data information and code, "incomplete" when
    it does not, None when unknown."""
    revision: str | None = None
    """The commit of the base that was audited, when it was read from the Hub."""
    chain: tuple[dict[str, object], ...] = ()
    """The base's own lineage (its report's ``lineage``), when it was audited."""


@dataclass(frozen=True)
class AuditedBase:
    """What auditing a base model's own release showed: its terms and whether it is complete."""

    repo_id: str
    revision: str | None
    entry: LicenseEntry | None
    """The base's terms as a catalog-like entry (None when the audit could not tell them)."""
    elements: str | None
    """"complete", "incomplete" or None, from the base's own OSAID criteria."""
    chain: tuple[dict[str, object], ...] = ()


def _stricter_entry(
    one: tuple[LicenseEntry, str | None] | None, other: tuple[LicenseEntry, str | None] | None
) -> tuple[LicenseEntry, str | None] | None:
    """The stricter of two readings of a base's terms (class first, then breaking kinds)."""
    if one is None or other is None:
        return one or other
    def key(reading: tuple[LicenseEntry, str | None]) -> tuple[int, int]:
        return reading[0].license_class.strictness, len(reading[0].breaking_kinds)
    return max(one, other, key=key)


def _stricter_elements(one: str | None, other: str | None) -> str | None:
    if "incomplete" in (one, other):
        return "incomplete"
    return "complete" if "complete" in (one, other) else None


@dataclass(frozen=True)
class Terms:
    """The terms that govern the release's parameters."""

    id: str | None
    name: str | None
    license_class: LicenseClass
    level: EvidenceLevel | None
    restrictions: tuple[TermsRestriction, ...]
    evidence: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """The report JSON's ``terms``."""
        return {
            "id": self.id,
            "name": self.name,
            "class": self.license_class.value,
            "level": self.level.value if self.level else None,
            "restrictions": [r.to_dict() for r in self.restrictions],
            "evidence": list(self.evidence),
        }

    @property
    def open(self) -> bool:
        """True when the terms conform to the OSD and no breaking restriction is known."""
        return self.license_class.is_open and not any(r.kind.breaks_osd for r in self.restrictions)


@dataclass(frozen=True)
class LicenseAssessment:
    """Everything the license stage concluded."""

    identifications: tuple[LicenseIdentification, ...]
    declarations: tuple[ResolvedDeclaration, ...]
    inherited: tuple[InheritedTerms, ...]
    own_terms: Terms
    terms: Terms
    findings: tuple[Finding, ...]


def _resolve(declaration: LicenseDeclaration, catalog: LicenseCatalog) -> LicenseEntry | None:
    value = declaration.value
    if value.casefold() in ("other", "unknown"):
        if declaration.name:
            entry = catalog.resolve_name(declaration.name) or catalog.resolve_mention(declaration.name)
            if entry is not None:
                return entry
        if declaration.link:
            return catalog.resolve_mention(declaration.link)
        return None
    return catalog.resolve_name(value)


def _strictest(readings: list[tuple[LicenseEntry | None, LicenseClass, str, EvidenceLevel]]) -> tuple[
    LicenseEntry | None, LicenseClass, EvidenceLevel | None
]:
    if not readings:
        return None, LicenseClass.UNKNOWN, None
    # Stricter class first; among equals, the stronger evidence.
    entry, license_class, _where, level = max(
        readings, key=lambda r: (r[1].strictness, r[3].rank)
    )
    return entry, license_class, level


def assess_licenses(
    evidence: ReleaseEvidence,
    catalog: LicenseCatalog | None = None,
    audited_bases: Mapping[str, AuditedBase] | None = None,
) -> LicenseAssessment:
    """Run the license stage over a release's evidence.

    ``audited_bases`` (keyed by lower-cased repo id) holds what auditing base models' own
    releases showed; with the catalog's knowledge of the base, the stricter reading decides.
    """
    catalog = catalog or default_catalog()
    findings: list[Finding] = []
    identifications = []
    for document in evidence.license_documents:
        if document.text is None:
            identifications.append(unreadable(document.path, document.problem or "unreadable"))
        else:
            identifications.append(identify_text(document.text, document.path, catalog=catalog))

    resolved_all = (ResolvedDeclaration(d, _resolve(d, catalog)) for d in evidence.declared_licenses)
    # A license named in the card's prose counts only when it names a license openness knows.
    declarations = tuple(
        r for r in resolved_all if r.entry is not None or r.declaration.provenance.field != "card text"
    )
    readings: list[tuple[LicenseEntry | None, LicenseClass, str, EvidenceLevel]] = []
    restrictions: list[TermsRestriction] = []
    evidence_lines: list[str] = []

    for resolved in declarations:
        where = str(resolved.declaration.provenance)
        if resolved.entry is None:
            declaration = resolved.declaration
            if declaration.value.casefold() in ("other", "unknown") and not declaration.name:
                message = (f"the card declares `license: {declaration.value}` with no license_name or license_link "
                           "openness can resolve; the terms are unknown until a license file says them")
            else:
                message = (f"declared license '{declaration.name or declaration.value}' is not one openness knows; "
                           "its terms are treated as unknown")
            findings.append(Finding("unknown-license", message, (where,)))
            readings.append((None, LicenseClass.UNKNOWN, where, EvidenceLevel.DECLARED))
        else:
            readings.append((resolved.entry, resolved.entry.license_class, where, EvidenceLevel.DECLARED))
        evidence_lines.append(f"declared '{resolved.declaration.value}'"
                              + (f" -> {resolved.entry.id}" if resolved.entry else "") + f" ({where})")

    documents = {d.path: d for d in evidence.license_documents}
    for ident in identifications:
        role = documents[ident.path].role if ident.path in documents else "license"
        for clause in ident.restrictions:
            restrictions.append(TermsRestriction(clause.kind, clause.quote, ident.path or "?", clause.line))
        if ident.problem:
            findings.append(Finding("unreadable-license", f"{ident.path}: {ident.problem}", (ident.path or "?",)))
        if role == "notice" and ident.id is None:
            continue
        if role == "use-policy":
            if ident.breaking_restrictions or ident.license_class is LicenseClass.RESTRICTED:
                readings.append((ident.entry, LicenseClass.RESTRICTED, ident.path or "?", EvidenceLevel.VERIFIED))
                evidence_lines.append(f"use policy {ident.path} restricts use")
            continue
        if ident.id is None and ident.license_class is LicenseClass.UNKNOWN:
            if ident.problem is None:
                findings.append(Finding(
                    "unknown-license", f"{ident.path}: license text not identified; its terms are unknown",
                    (ident.path or "?",)))
            readings.append((None, LicenseClass.UNKNOWN, ident.path or "?", EvidenceLevel.VERIFIED))
            continue
        readings.append((ident.entry, ident.license_class, ident.path or "?", EvidenceLevel.VERIFIED))
        evidence_lines.append(
            f"{ident.path}: {ident.id or 'unidentified text'} ({ident.method}, {ident.match})"
        )

    findings.extend(_mismatches(declarations, identifications, documents))
    if not readings:
        findings.append(Finding(
            "no-license",
            "no license found: no card metadata, no license file, no weight-file license field; "
            "without a license nobody may use, modify or share the weights",
            ("README.md (license)", "LICENSE*"), severity="error",
        ))

    own_entry, own_class, own_level = _strictest(readings)
    own = _terms(own_entry, own_class, own_level, restrictions, evidence_lines)

    inherited: list[InheritedTerms] = []
    for base in evidence.base_models:
        if base.id.strip("/") == evidence.subject.id.strip("/"):
            continue
        known = catalog.base_model_terms(base.id)
        elements = catalog.base_model_elements(base.id)
        audited = (audited_bases or {}).get(base.id.casefold())
        completeness = _stricter_elements(elements.elements if elements else None,
                                          audited.elements if audited else None)
        reading = _stricter_entry(
            (known.license, known.source) if known else None,
            (audited.entry, f"audited {audited.repo_id}" + (f"@{audited.revision[:12]}" if audited.revision else ""))
            if audited and audited.entry else None,
        )
        revision, chain = (audited.revision, audited.chain) if audited else (None, ())
        where = str(base.provenance)
        if reading is None:
            inherited.append(InheritedTerms(base, None, None, completeness, revision, chain))
            findings.append(Finding(
                "lineage",
                f"base model {base.id} has terms openness does not know; the release may inherit "
                "restrictions from it, so its terms cannot be called open",
                (where,),
            ))
            readings.append((None, LicenseClass.UNKNOWN, where, EvidenceLevel.INFERRED))
            continue
        base_entry, base_source = reading
        inherited.append(InheritedTerms(base, base_entry, base_source, completeness, revision, chain))
        severity: Literal["info", "error"] = "info" if base_entry.license_class.is_open else "error"
        findings.append(Finding(
            "lineage",
            f"base model {base.id} is under {base_entry.name} "
            f"({base_entry.id}, {base_entry.license_class.value}); "
            "its terms pass down to this release",
            (where, base_source or "catalog"),
            severity=severity,
        ))
        readings.append((base_entry, base_entry.license_class, where, EvidenceLevel.INFERRED))
        for restriction in base_entry.restrictions:
            restrictions.append(TermsRestriction(
                restriction.kind, restriction.summary, f"inherited from {base.id}", None, quoted=False))
        evidence_lines.append(f"inherits {base_entry.id} from base model {base.id} ({where})")

    # Catalog restrictions of declared licenses not backed by a quoted clause of that kind.
    quoted_kinds = {r.kind for r in restrictions}
    for resolved in declarations:
        if resolved.entry is None:
            continue
        for restriction in resolved.entry.restrictions:
            if restriction.kind not in quoted_kinds:
                restrictions.append(TermsRestriction(
                    restriction.kind, restriction.summary,
                    f"{resolved.entry.id} (catalog)", None, quoted=False))
                quoted_kinds.add(restriction.kind)

    entry, license_class, level = _strictest(readings)
    if any(r.kind.breaks_osd for r in restrictions) and license_class.is_open:
        license_class = LicenseClass.RESTRICTED
    terms = _terms(entry, license_class, level, restrictions, evidence_lines)
    return LicenseAssessment(tuple(identifications), declarations, tuple(inherited), own, terms, tuple(findings))


def _terms(
    entry: LicenseEntry | None,
    license_class: LicenseClass,
    level: EvidenceLevel | None,
    restrictions: list[TermsRestriction],
    evidence: list[str],
) -> Terms:
    unique: dict[tuple[str, str], TermsRestriction] = {}
    for restriction in restrictions:
        unique.setdefault((restriction.kind.value, restriction.quote), restriction)
    return Terms(
        entry.id if entry else None,
        entry.name if entry else None,
        license_class,
        level,
        tuple(unique.values()),
        tuple(evidence),
    )


def _mismatches(
    declarations: tuple[ResolvedDeclaration, ...],
    identifications: list[LicenseIdentification],
    documents: Mapping[str, LicenseDocument],
) -> list[Finding]:
    """Declarations that disagree with a license file, or with each other (card metadata
    against the card's License section)."""
    readings: list[tuple[str, LicenseEntry, LicenseClass]] = []
    for ident in identifications:
        document = documents.get(ident.path or "")
        if ident.entry is not None and ident.path and (document is None or document.role == "license"):
            readings.append((ident.path, ident.entry, ident.license_class))
    metadata = [r for r in declarations if r.entry is not None and r.declaration.provenance.field != "card text"]
    for resolved in declarations:
        if resolved.entry is not None and resolved.declaration.provenance.field == "card text":
            readings.append((str(resolved.declaration.provenance), resolved.entry, resolved.entry.license_class))
    findings = []
    for resolved in metadata:
        assert resolved.entry is not None
        declared = resolved.entry
        for where, entry, license_class in readings:
            if _same_license(declared, entry):
                continue
            stricter = entry.id if license_class.strictness > declared.license_class.strictness else declared.id
            findings.append(Finding(
                "license-mismatch",
                f"{resolved.declaration.provenance} declares {declared.id} ({declared.license_class.value}) "
                f"but {where} says {entry.id} ({license_class.value}); the stricter reading, {stricter}, decides",
                (str(resolved.declaration.provenance), where),
                severity="error",
            ))
    return findings


def _same_license(one: LicenseEntry, other: LicenseEntry) -> bool:
    """The same license, or one family under the same class (a license and its policy, or the
    Hub's unversioned `gemma` against a dated Gemma terms file)."""
    return one.id == other.id or (
        one.family is not None and one.family == other.family and one.license_class is other.license_class
    )
