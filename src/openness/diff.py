"""What changed in openness between two reports: a pure function of two :class:`Report` s.

Values that have one reading per report (the terms, each verdict, each criterion, each
component's status and license) are compared path by path; things a report lists
(license files and declarations, restrictions, findings) are compared as sets and reported as
added or removed. A *regression* is a change that makes the release less open:

- the OSAID 1.0 status goes from ``pass`` to ``fail``;
- the OSAID label moves down ``open-source-ai`` > ``open-weights`` > ``restricted-weights`` > ``closed``;
- the MOF class gets worse (a higher class number, or no class where there was one);
- a restriction of a kind that breaks the Open Source Definition appears that the earlier
  release did not have (a further clause of a kind already there is listed, not counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openness.report import LABELS_BY_OPENNESS, Report
from openness.vocabulary import RestrictionKind


@dataclass(frozen=True)
class ValueChange:
    """One value that differs: ``path`` names it as in the report JSON (``verdicts.mof.class``)."""

    path: str
    before: Any
    after: Any

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"path": self.path, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class ReportDiff:
    """Everything that differs between the report of an earlier and of a later release."""

    before: dict[str, Any]
    after: dict[str, Any]
    changes: tuple[ValueChange, ...]
    licenses_added: tuple[dict[str, Any], ...]
    licenses_removed: tuple[dict[str, Any], ...]
    restrictions_added: tuple[dict[str, Any], ...]
    restrictions_removed: tuple[dict[str, Any], ...]
    findings_added: tuple[dict[str, Any], ...]
    findings_removed: tuple[dict[str, Any], ...]
    regressions: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """True when anything differs."""
        return bool(self.changes or self.licenses_added or self.licenses_removed or self.restrictions_added
                    or self.restrictions_removed or self.findings_added or self.findings_removed)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``openness diff --format json``)."""
        return {
            "before": self.before,
            "after": self.after,
            "changed": self.changed,
            "regressions": list(self.regressions),
            "changes": [change.to_dict() for change in self.changes],
            "licenses": {"added": list(self.licenses_added), "removed": list(self.licenses_removed)},
            "restrictions": {"added": list(self.restrictions_added), "removed": list(self.restrictions_removed)},
            "findings": {"added": list(self.findings_added), "removed": list(self.findings_removed)},
        }


def _scalars(report: dict[str, Any]) -> dict[str, Any]:
    """The values of a report JSON that have one reading each, by path."""
    values: dict[str, Any] = {"terms.id": report["terms"].get("id"), "terms.class": report["terms"].get("class")}
    verdicts = report["verdicts"]
    osaid = verdicts["osaid-1.0"]
    for key in ("status", "label", "would_pass_if_relicensed"):
        values[f"verdicts.osaid-1.0.{key}"] = osaid[key]
    for criterion in osaid["criteria"]:
        values[f"verdicts.osaid-1.0.criteria.{criterion['id']}"] = criterion["status"]
    mof = verdicts.get("mof") or {}
    values["verdicts.mof.class"] = mof.get("class")
    for mof_class, percent in (mof.get("progress") or {}).items():
        values[f"verdicts.mof.progress.{mof_class}"] = round(percent, 1)
    index = verdicts.get("openness-index") or {}
    values["verdicts.openness-index.score"] = None if index.get("score") is None else round(index["score"], 3)
    for grade in index.get("grades") or []:
        values[f"verdicts.openness-index.grades.{grade['id']}"] = grade["grade"]
    for slug, component in report["components"].items():
        values[f"components.{slug}.status"] = component["status"]
        values[f"components.{slug}.level"] = component["level"]
        values[f"components.{slug}.license.id"] = component["license"]["id"]
        values[f"components.{slug}.license.class"] = component["license"]["class"]
    return values


def _added_and_removed(
    before: list[dict[str, Any]], after: list[dict[str, Any]], key: tuple[str, ...]
) -> tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]]:
    """Items of ``after`` whose key ``before`` lacks, and the other way round (first of each key)."""
    earlier, later = _first_by_key(before, key), _first_by_key(after, key)
    added = tuple(item for k, item in later.items() if k not in earlier)
    removed = tuple(item for k, item in earlier.items() if k not in later)
    return added, removed


def _first_by_key(items: list[dict[str, Any]], key: tuple[str, ...]) -> dict[tuple[Any, ...], dict[str, Any]]:
    firsts: dict[tuple[Any, ...], dict[str, Any]] = {}
    for item in items:
        firsts.setdefault(tuple(item.get(k) for k in key), item)
    return firsts


def _licenses_by_source(report: dict[str, Any]) -> dict[str, str]:
    """Each license file or declaration of a report JSON: where → "id (class)"."""
    readings: dict[str, str] = {}
    for entry in report["licenses"]:
        readings.setdefault(entry["source"], f"{entry['id'] or 'not identified'} ({entry['class']})")
    return readings


def _mof_worse(before: int | None, after: int | None) -> bool:
    if before is None:
        return False
    return after is None or after > before


def _regressions(before: Report, after: Report, new_restrictions: tuple[dict[str, Any], ...]) -> tuple[str, ...]:
    found: list[str] = []
    if before.osaid.status == "pass" and after.osaid.status == "fail":
        found.append("OSAID 1.0: pass → fail")
    if LABELS_BY_OPENNESS.index(after.osaid.label) < LABELS_BY_OPENNESS.index(before.osaid.label):
        found.append(f"OSAID label: {before.osaid.label} → {after.osaid.label}")
    mof_before, mof_after = (before.mof or {}).get("class"), (after.mof or {}).get("class")
    if _mof_worse(mof_before, mof_after):
        found.append(f"MOF class: {mof_before} → {mof_after if mof_after is not None else 'no class'}")
    kinds_before = {item["kind"] for item in before.terms.get("restrictions", [])}
    for kind in dict.fromkeys(item["kind"] for item in new_restrictions):
        if kind not in kinds_before and RestrictionKind(kind).breaks_osd:
            found.append(f"new restriction that breaks the Open Source Definition: {kind}")
    return tuple(found)


def diff_reports(before: Report, after: Report) -> ReportDiff:
    """What changed from the report ``before`` to the report ``after``."""
    old, new = before.to_dict(), after.to_dict()
    old_values, new_values = _scalars(old), _scalars(new)
    changes = tuple(ValueChange(path, old_values.get(path), new_values.get(path))
                    for path in dict.fromkeys((*old_values, *new_values))
                    if old_values.get(path) != new_values.get(path))
    old_licenses, new_licenses = _licenses_by_source(old), _licenses_by_source(new)
    changes += tuple(ValueChange(f"licenses.{source}", old_licenses[source], new_licenses[source])
                     for source in old_licenses
                     if source in new_licenses and old_licenses[source] != new_licenses[source])
    licenses = _added_and_removed(
        [{"source": source, "license": reading} for source, reading in old_licenses.items()],
        [{"source": source, "license": reading} for source, reading in new_licenses.items()],
        ("source",))
    restrictions = _added_and_removed(old["terms"].get("restrictions", []), new["terms"].get("restrictions", []),
                                      ("kind", "quote"))
    findings = _added_and_removed(old["findings"], new["findings"], ("kind", "message"))
    return ReportDiff(
        before=old["subject"],
        after=new["subject"],
        changes=changes,
        licenses_added=licenses[0],
        licenses_removed=licenses[1],
        restrictions_added=restrictions[0],
        restrictions_removed=restrictions[1],
        findings_added=findings[0],
        findings_removed=findings[1],
        regressions=_regressions(before, after, restrictions[0]),
    )
