"""MOF 1.0 classes of a MOT manifest, computed exactly as the Model Openness Tool computes them.

The rules follow MOT's ``ModelEvaluator`` and ``LicenseHandler`` (see ``data/mof-1.0.yaml`` for the
source files and commit):

* A component counts only if the manifest lists it. Its license is its own ``license``; failing
  that, the release's global license of its content type; failing that, the ``distribution``
  license. ``unlicensed`` (or an empty string) on the component stops that inheritance.
* The license is open when its id is, exactly, OSI-approved or FSF libre in MOT's SPDX table, on
  MOT's open-data list or OpenMDW-1.0. The content type does not matter for the class: an open
  license that is not type-appropriate only earns a warning.
* Class 3 needs its 6 required components open; class 2 those plus its 4; class 1 those plus its 4.
  A lower class's progress is 0 until every higher class is complete. When the technical report is
  not open and the research paper is listed, the paper stands in for the report in classes 3 and 2,
  and class 1 needs one component fewer.
* Progress is ``included / required * 100`` (unrounded, capped at 100); the class is the lowest
  class whose progress is 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from openness.datafiles import load_data

CLASSES = (3, 2, 1)
"""MOF classes from the least to the most demanding, the order in which MOT evaluates them."""

UNLICENSED = "unlicensed"
"""The manifest value that marks a component as included without a license."""


@dataclass(frozen=True)
class MofComponentSpec:
    """One MOF component as MOT defines it (``mof.settings.yml``)."""

    component_id: int
    name: str
    slug: str
    content_type: str
    mof_class: int
    required: bool


@dataclass(frozen=True)
class MofFramework:
    """The MOF data MOT evaluates with: components, open licenses, type-appropriate licenses."""

    components: tuple[MofComponentSpec, ...]
    open_licenses: frozenset[str]
    type_appropriate: Mapping[str, frozenset[str]]
    divergences: Mapping[str, str]
    technical_report: int
    research_paper: int

    def required(self, mof_class: int) -> tuple[int, ...]:
        """Ids of the components that ``mof_class`` itself requires (not those of higher classes)."""
        return tuple(c.component_id for c in self.components if c.mof_class == mof_class and c.required)

    def by_name(self) -> dict[str, MofComponentSpec]:
        """Components by their MOT name, the key manifests use."""
        return {c.name: c for c in self.components}


@dataclass(frozen=True)
class MofComponentResult:
    """How MOT sees one component the manifest lists."""

    component_id: int
    name: str
    slug: str
    license: str | None
    """The effective license after inheritance; ``None`` when unlicensed."""
    license_source: str
    """``component``, ``global:<content type>``, ``distribution`` or ``none``."""
    open: bool
    note: str | None


@dataclass(frozen=True)
class MofResult:
    """The MOF class MOT would give a manifest, with per-class progress and explanations."""

    mof_class: int | None
    progress: dict[int, float]
    """Keys 1, 2, 3: percentages exactly as MOT computes them (not rounded)."""
    components: tuple[MofComponentResult, ...]
    notes: tuple[str, ...]


@cache
def load_mof_framework() -> MofFramework:
    """The MOF 1.0 data of ``data/mof-1.0.yaml``."""
    data = load_data("openness.frameworks", "mof-1.0.yaml")
    components = tuple(
        MofComponentSpec(
            component_id=int(c["id"]),
            name=str(c["name"]),
            slug=str(c["slug"]),
            content_type=str(c["content_type"]),
            mof_class=int(c["class"]),
            required=bool(c["required"]),
        )
        for c in data["components"]
    )
    open_licenses = frozenset(str(i) for ids in data["open_licenses"].values() for i in ids)
    type_appropriate = {str(t): frozenset(str(i) for i in ids) for t, ids in data["type_appropriate"].items()}
    return MofFramework(
        components=components,
        open_licenses=open_licenses,
        type_appropriate=type_appropriate,
        divergences={str(k): " ".join(str(v).split()) for k, v in data["divergences"].items()},
        technical_report=int(data["technical_report"]),
        research_paper=int(data["research_paper"]),
    )


def _php_empty(value: Any) -> bool:
    """PHP's ``empty()``, which MOT uses to test global license names ("" and "0" are empty)."""
    if isinstance(value, (list, dict)):
        return not value
    return value is None or value is False or value in ("", "0", 0)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _release(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``release`` mapping of a MOT file; a bare release mapping is accepted too."""
    release = manifest.get("release", manifest)
    return release if isinstance(release, Mapping) else {}


def _listed_components(
    release: Mapping[str, Any], framework: MofFramework
) -> tuple[dict[int, Mapping[str, Any]], list[str]]:
    """The manifest's component entries by id (a later entry of the same name wins, as in MOT)."""
    names = framework.by_name()
    listed: dict[int, Mapping[str, Any]] = {}
    unknown: list[str] = []
    entries = release.get("components")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        spec = names.get(_text(entry.get("name")))
        if spec is None:
            unknown.append(_text(entry.get("name")))
        else:
            listed[spec.component_id] = entry
    return listed, unknown


def _global_license(release: Mapping[str, Any], key: str) -> str | None:
    licenses = release.get("license")
    scope = licenses.get(key) if isinstance(licenses, Mapping) else None
    name = scope.get("name") if isinstance(scope, Mapping) else None
    return None if _php_empty(name) else _text(name)


def resolve_license(
    spec: MofComponentSpec, entry: Mapping[str, Any], release: Mapping[str, Any]
) -> tuple[str | None, str]:
    """The effective license of a listed component and where it came from (``ModelEvaluator::resolveLicense``)."""
    own = entry.get("license")
    if own is not None:  # PHP isset(): a null license is the same as none
        text = _text(own)
        return (None, "component") if text in (UNLICENSED, "", "0") else (text, "component")
    typed = _global_license(release, spec.content_type)
    if typed is not None:
        return typed, f"global:{spec.content_type}"
    distribution = _global_license(release, "distribution")
    if distribution is not None:
        return distribution, "distribution"
    return None, "none"


def _component_note(spec: MofComponentSpec, license_id: str | None, source: str, framework: MofFramework) -> str | None:
    if license_id is None:
        if source == "component":
            return "declared unlicensed: no license is inherited"
        return "no license at any level" if source == "none" else f"the {source} license is {UNLICENSED!r}"
    if license_id not in framework.open_licenses:
        return f"{license_id!r} is not an id MOT counts as open"
    if license_id not in framework.type_appropriate.get(spec.content_type, frozenset()):
        return f"open, but MOT does not list it as type-appropriate for {spec.content_type} (MOT warns, counts it)"
    return None


def _component_result(
    spec: MofComponentSpec, entry: Mapping[str, Any], release: Mapping[str, Any], framework: MofFramework
) -> MofComponentResult:
    license_id, source = resolve_license(spec, entry, release)
    if license_id == UNLICENSED:  # a global license literally named "unlicensed"
        license_id = None
    return MofComponentResult(
        component_id=spec.component_id,
        name=spec.name,
        slug=spec.slug,
        license=license_id,
        license_source=source,
        open=license_id is not None and license_id in framework.open_licenses,
        note=_component_note(spec, license_id, source, framework),
    )


def _included_counts(open_ids: set[int], substitute_paper: bool, framework: MofFramework) -> dict[int, int]:
    """Open required components per class, cumulative from class 3 down (MOT's ``included`` lists)."""
    counts: dict[int, int] = {}
    required: set[int] = set()
    for mof_class in CLASSES:
        required |= set(framework.required(mof_class))
        counts[mof_class] = len(required & open_ids)
        if substitute_paper and mof_class in (3, 2) and framework.research_paper in open_ids:
            counts[mof_class] += 1
    return counts


def _progress(mof_class: int, included: Mapping[int, int], paper_for_report: bool, framework: MofFramework) -> float:
    """``ModelEvaluator::getProgress``: 0 until every higher class is complete, else included/required."""
    total = 0
    for higher in CLASSES:
        if higher < mof_class:
            break
        total += len(framework.required(higher))
        if included[higher] < total and higher > mof_class:
            return 0.0
    if mof_class == 1 and paper_for_report:
        total -= 1
    return min(included[mof_class] / total * 100, 100.0)


def _mof_class(progress: Mapping[int, float]) -> int | None:
    """The lowest (most open) class whose progress is exactly 100."""
    complete = [c for c in CLASSES if progress[c] == 100.0]
    return min(complete) if complete else None


def _notes(
    results: tuple[MofComponentResult, ...], paper_for_report: bool, unknown: list[str], framework: MofFramework
) -> tuple[str, ...]:
    notes: list[str] = []
    if paper_for_report:
        notes.append(
            "Technical report not included under an open license: as in MOT, the open research paper takes "
            "its place in classes 3 and 2, and class 1 needs one component fewer."
        )
    warned = [f"{r.name} ({r.license})" for r in results if r.open and r.note is not None]
    if warned:
        notes.append(
            "Open but not type-appropriate in MOT's list (MOT counts them and warns; the MOF text asks for "
            "type-appropriate licenses): " + ", ".join(warned) + "."
        )
    for license_id in dict.fromkeys(r.license for r in results if r.license is not None):
        if license_id in framework.divergences:
            notes.append(f"{framework.divergences[license_id]} Kept MOT's result.")
    if unknown:
        notes.append("Component names MOT does not define were ignored: " + ", ".join(unknown) + ".")
    return tuple(notes)


def evaluate_mof_manifest(manifest: Mapping[str, Any]) -> MofResult:
    """The MOF class and per-class progress MOT computes for a MOT model file (parsed YAML)."""
    framework = load_mof_framework()
    release = _release(manifest)
    listed, unknown = _listed_components(release, framework)
    results = tuple(
        _component_result(spec, listed[spec.component_id], release, framework)
        for spec in framework.components
        if spec.component_id in listed
    )
    open_ids = {r.component_id for r in results if r.open}
    report_open = framework.technical_report in open_ids
    substitute = not report_open and framework.research_paper in listed
    paper_for_report = not report_open and framework.research_paper in open_ids
    included = _included_counts(open_ids, substitute, framework)
    progress = {c: _progress(c, included, paper_for_report, framework) for c in (1, 2, 3)}
    return MofResult(
        mof_class=_mof_class(progress),
        progress=progress,
        components=results,
        notes=_notes(results, paper_for_report, unknown, framework),
    )
