"""Components as a MOF manifest declares them, for the same frameworks as local audits.

Each listed component is present at level ``declared``, under the license MOT's inheritance
gives it (its own, else the release's license for its content type, else the distribution
license). License strings are normalised only where certain: an exact SPDX id or catalog id, or
a wording the reference patterns recognise ("Apache 2.0" is Apache-2.0); each normalisation is
reported. Anything else stays a name with class ``unknown``.
"""

from __future__ import annotations

from openness.frameworks.mof import MofResult
from openness.licenses.assess import Terms, TermsRestriction
from openness.licenses.catalog import LicenseCatalog, LicenseEntry
from openness.report import UNKNOWN_LICENSE, ComponentLicense, ComponentResult, Finding
from openness.vocabulary import Component, EvidenceLevel, LicenseClass


def _normalise(value: str, catalog: LicenseCatalog) -> tuple[LicenseEntry | None, bool]:
    """The catalog entry a manifest license string names, and whether it had to be normalised."""
    exact = catalog.get(value)
    if exact is not None and exact.id == value:
        return exact, False
    entry = (
        catalog.get(value)
        or catalog.by_hub_id(value)
        or catalog.resolve_name(value)
        or catalog.resolve_name_prefix(value)
        or catalog.resolve_reference(value)
    )
    return entry, entry is not None


def components_from_manifest(
    path: str, mof: MofResult, catalog: LicenseCatalog
) -> tuple[tuple[ComponentResult, ...], list[Finding], Terms]:
    """The 17 component results a manifest declares, normalisation findings, and the terms of
    the final parameters."""
    listed = {result.slug: result for result in mof.components}
    findings: list[Finding] = []
    results = []
    terms = Terms(None, None, LicenseClass.UNKNOWN, None, (), ())
    for component in Component:
        declared = listed.get(component.value)
        if declared is None:
            results.append(ComponentResult(component, "absent", None, UNKNOWN_LICENSE,
                                           (f"{path}: not listed in the manifest",)))
            continue
        license_ = UNKNOWN_LICENSE
        entry: LicenseEntry | None = None
        if declared.license is not None:
            entry, normalised = _normalise(declared.license, catalog)
            if entry is not None:
                license_ = ComponentLicense(entry.id, entry.license_class, entry.name)
                if normalised:
                    findings.append(Finding(
                        "license-normalised",
                        f"{declared.name}: license {declared.license!r} read as {entry.id} (MOT itself does not "
                        "count this spelling as open)",
                        (f"{path} ({declared.name})",), severity="info"))
            else:
                license_ = ComponentLicense(None, LicenseClass.UNKNOWN, declared.license)
        where = f"{path}: listed as {declared.name!r}, license {declared.license or 'none'} ({declared.license_source})"
        results.append(ComponentResult(component, "present", EvidenceLevel.DECLARED, license_, (where,)))
        if component is Component.MODEL_PARAMETERS_FINAL:
            terms = Terms(
                license_.id, license_.name, license_.license_class, EvidenceLevel.DECLARED,
                tuple(_catalog_restrictions(entry, declared.name)), (where,),
            )
    return tuple(results), findings, terms


def _catalog_restrictions(entry: LicenseEntry | None, component: str) -> list[TermsRestriction]:
    if entry is None:
        return []
    source = f"{entry.id} (catalog)"
    return [TermsRestriction(r.kind, r.summary, source, None, quoted=False) for r in entry.restrictions]
