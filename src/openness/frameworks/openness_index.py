"""The European Open Source AI Index (osai-index.eu), graded from an audit's evidence.

The index grades 12 dimensions open / partial / closed; ``data/openness-index.yaml`` holds the
dimensions, our paraphrase of their definitions, the source commit, the score formula and one rule
per dimension. :func:`grade_release` reads the parts of a report's JSON (``Report.to_dict()``) that
the rules need, so the same call works for audited folders and for MOF manifests:

* ``components``: slug -> ``{status, level, license: {id, class}, evidence}``;
* ``terms_class``: the report's ``terms.class``;
* ``lineage``: the report's ``lineage`` list (``{base_model, relation, license, class, evidence}``).

A dimension that cannot be judged from artifacts gets grade ``None`` with the reason; the score is
the index's mean (open=1, partial=0.5, closed=0) over the judged dimensions, or ``None`` when fewer
than half of them are judged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, cast

from openness.datafiles import load_data

Grade = Literal["open", "partial", "closed"]
DATA_FILE = "openness-index.yaml"


@dataclass(frozen=True)
class DimensionGrade:
    """One index dimension: the grade (``None``: cannot be judged from artifacts), why, and the evidence."""

    id: str
    name: str
    grade: Grade | None
    why: str
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"id": self.id, "name": self.name, "grade": self.grade, "why": self.why,
                "evidence": list(self.evidence)}


@dataclass(frozen=True)
class IndexResult:
    """The index grades of one release and the index's score over the judged dimensions."""

    version: str
    grades: tuple[DimensionGrade, ...]
    score: float | None
    judged: int

    def grade(self, dimension: str) -> DimensionGrade:
        """The grade of one dimension by id."""
        return next(g for g in self.grades if g.id == dimension)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"version": self.version, "score": self.score, "judged": self.judged,
                "grades": [g.to_dict() for g in self.grades]}


@dataclass(frozen=True)
class Dimension:
    """One dimension as the data file defines it."""

    id: str
    name: str
    definition: str
    rule: Mapping[str, Any]
    unjudged_because: str | None


@dataclass(frozen=True)
class IndexFramework:
    """The data file, parsed."""

    version: str
    dimensions: tuple[Dimension, ...]
    points: Mapping[str, float]
    min_judged_fraction: float
    open_terms: frozenset[str]


@cache
def load_index_framework() -> IndexFramework:
    """Parse ``data/openness-index.yaml`` (once)."""
    data = load_data("openness.frameworks", DATA_FILE)
    dimensions = tuple(
        Dimension(str(d["id"]), str(d["name"]), str(d["definition"]), dict(d["rule"]),
                  str(d["unjudged_because"]) if d.get("unjudged_because") else None)
        for d in data["dimensions"]
    )
    score = data["score"]
    return IndexFramework(
        version=str(data["version"]),
        dimensions=dimensions,
        points={str(k): float(v) for k, v in score["points"].items()},
        min_judged_fraction=float(score["min_judged_fraction"]),
        open_terms=frozenset(str(t) for t in data["open_terms"]),
    )


@dataclass(frozen=True)
class _Outcome:
    grade: Grade | None
    why: str
    evidence: tuple[str, ...] = ()


class _Context:
    """The report parts the rules read."""

    def __init__(self, components: Mapping[str, Mapping[str, Any]], terms_class: str,
                 lineage: Sequence[Mapping[str, Any]], framework: IndexFramework) -> None:
        self.components = components
        self.terms_class = terms_class or "unknown"
        self.lineage = lineage
        self.framework = framework

    def status(self, slug: str) -> str:
        entry = self.components.get(slug)
        return str(entry.get("status", "unknown")) if entry else "unknown"

    def evidence(self, *slugs: str) -> tuple[str, ...]:
        found: list[str] = []
        for slug in slugs:
            entry = self.components.get(slug)
            if entry and entry.get("status") == "present":
                found.extend(str(e) for e in list(entry.get("evidence") or ())[:1])
        return tuple(found)

    def terms_open(self, license_class: str) -> bool:
        return license_class in self.framework.open_terms


def _unknown(slugs: Sequence[str], ctx: _Context) -> list[str]:
    return [s for s in slugs if ctx.status(s) == "unknown"]


def _weights(rule: Mapping[str, Any], ctx: _Context) -> _Outcome:
    slug = str(rule["component"])
    status = ctx.status(slug)
    if status == "unknown":
        return _Outcome(None, f"whether {slug} is published is unknown")
    if status != "present":
        return _Outcome("closed", f"{slug} is not published")
    ev = ctx.evidence(slug)
    if ctx.terms_open(ctx.terms_class):
        return _Outcome("open", f"{slug} published under open terms ({ctx.terms_class})", ev)
    return _Outcome("partial", f"{slug} published under {ctx.terms_class} terms", ev)


def _all_or_some(rule: Mapping[str, Any], ctx: _Context) -> _Outcome:
    slugs = [str(s) for s in rule["components"]]
    present = [s for s in slugs if ctx.status(s) == "present"]
    unknown = _unknown(slugs, ctx)
    if len(present) == len(slugs):
        return _Outcome("open", f"{' and '.join(slugs)} published", ctx.evidence(*slugs))
    if unknown and not present:
        return _Outcome(None, f"whether {', '.join(unknown)} is published is unknown")
    if present:
        missing = [s for s in slugs if s not in present]
        return _Outcome("partial", f"{', '.join(present)} published, {', '.join(missing)} not",
                        ctx.evidence(*present))
    return _Outcome("closed", f"none of {', '.join(slugs)} published")


def _primary(rule: Mapping[str, Any], ctx: _Context) -> _Outcome:
    slug = str(rule["component"])
    support = [str(s) for s in rule["support"]]
    status = ctx.status(slug)
    if status == "unknown":
        return _Outcome(None, f"whether {slug} is published is unknown")
    if status != "present":
        return _Outcome("closed", f"{slug} is not published")
    backing = [s for s in support if ctx.status(s) == "present"]
    if backing:
        return _Outcome("open", f"{slug} published and described in {backing[0]}", ctx.evidence(slug, backing[0]))
    return _Outcome("partial", f"{slug} published without {' or '.join(support)}", ctx.evidence(slug))


def _ranked(rule: Mapping[str, Any], ctx: _Context) -> _Outcome:
    open_slugs = [str(s) for s in rule.get("open", ())]
    partial_slugs = [str(s) for s in rule.get("partial", ())]
    for grade, slugs in (("open", open_slugs), ("partial", partial_slugs)):
        for slug in slugs:
            if ctx.status(slug) == "present":
                return _Outcome(cast(Grade, grade), f"{slug} published", ctx.evidence(slug))
    unknown = _unknown(open_slugs, ctx)
    if unknown:
        return _Outcome(None, f"whether {', '.join(unknown)} is published is unknown")
    return _Outcome("closed", f"none of {', '.join(open_slugs + partial_slugs)} published")


def _presence(rule: Mapping[str, Any], ctx: _Context) -> _Outcome:
    return _ranked({"open": [rule["component"]]}, ctx)


def _terms(rule: Mapping[str, Any], ctx: _Context) -> _Outcome:
    cls = ctx.terms_class
    if ctx.terms_open(cls):
        return _Outcome("open", f"the release's terms are open ({cls})")
    if cls == "restricted":
        return _Outcome("partial", "the release's terms restrict use (restricted)")
    if cls == "proprietary":
        return _Outcome("closed", "the release's terms are proprietary")
    return _Outcome(None, "the release's terms are unknown")


def _lineage_terms(ctx: _Context) -> _Outcome:
    classes = [str(b.get("class") or "unknown") for b in ctx.lineage]
    names = ", ".join(str(b.get("base_model")) for b in ctx.lineage)
    evidence = tuple(str(e) for b in ctx.lineage for e in list(b.get("evidence") or ())[:1])
    if all(ctx.terms_open(c) for c in classes):
        return _Outcome("open", f"base model(s) {names} published under open terms", evidence)
    if any(c in ("restricted", "proprietary") for c in classes):
        return _Outcome("partial", f"base model(s) {names} published under non-open terms", evidence)
    return _Outcome(None, f"the terms of base model(s) {names} are unknown", evidence)


_RULES = {"weights": _weights, "all_or_some": _all_or_some, "primary": _primary, "ranked": _ranked,
          "presence": _presence, "terms": _terms}


def _evaluate(dimension: Dimension, ctx: _Context, done: Mapping[str, _Outcome]) -> _Outcome:
    kind = str(dimension.rule["kind"])
    if kind == "unjudged":
        return _Outcome(None, dimension.unjudged_because or "cannot be judged from artifacts")
    if kind == "base":
        if not ctx.lineage:
            mirrored = done[str(dimension.rule["mirrors"])]
            return _Outcome(mirrored.grade, f"no separate base model: as the end model ({mirrored.why})",
                            mirrored.evidence)
        if dimension.rule.get("with_base") == "lineage_terms":
            return _lineage_terms(ctx)
        return _Outcome(None, dimension.unjudged_because or "the base model's release is not audited")
    return _RULES[kind](dimension.rule, ctx)


def grade_release(components: Mapping[str, Mapping[str, Any]], terms_class: str,
                  lineage: Sequence[Mapping[str, Any]]) -> IndexResult:
    """Grade one release on the index's dimensions from a report's components, terms class and lineage."""
    framework = load_index_framework()
    ctx = _Context(components, terms_class, lineage, framework)
    done: dict[str, _Outcome] = {}
    # Base dimensions mirror end-model ones, so evaluate those first; report in the index's order.
    ordered = sorted(framework.dimensions, key=lambda d: d.rule.get("kind") == "base")
    for dimension in ordered:
        done[dimension.id] = _evaluate(dimension, ctx, done)
    grades = tuple(DimensionGrade(d.id, d.name, done[d.id].grade, done[d.id].why, done[d.id].evidence)
                   for d in framework.dimensions)
    judged = [g.grade for g in grades if g.grade is not None]
    score: float | None = None
    if judged and len(judged) >= framework.min_judged_fraction * len(grades):
        score = sum(framework.points[g] for g in judged) / len(judged)
    return IndexResult(framework.version, grades, score, len(judged))


def grade_report(report: Mapping[str, Any]) -> IndexResult:
    """Grade a report JSON (``Report.to_dict()``)."""
    terms = report.get("terms") or {}
    return grade_release(report["components"], str(terms.get("class") or "unknown"), list(report.get("lineage") or ()))
