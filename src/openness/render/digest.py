"""What the Markdown and HTML reports show, in reading order, with every list and quote bounded.

Both document renderers read a :class:`Digest` instead of the report, so they say the same
things in the same order and neither can grow without bound: every text taken from the release
is cut to a limit with a visible marker, every list keeps its first items and counts the rest.
Nothing here escapes anything; that is each renderer's job, for its own syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from openness.report import CriterionResult, Report

T = TypeVar("T")

QUOTE_LIMIT = 300
"""Characters kept of a quoted clause, a reason or an evidence line."""
CLAUSE_LIMIT = 500
"""Characters kept of a restrictive clause: most clauses are quoted whole."""
EVIDENCE_LIMIT = 6
"""Evidence lines kept per criterion or finding."""
RESTRICTION_LIMIT = 25
"""Restrictions quoted; more are counted."""
FINDING_LIMIT = 12
"""Findings listed; more are counted."""
FINDING_EVIDENCE_LIMIT = 3
"""Evidence lines kept per finding."""
LINEAGE_LIMIT = 10
"""Base models listed; more are counted."""
NOTE_LIMIT = 5
"""Framework notes listed; more are counted."""

RESTRICTION_MEANING = {  # in design.md's order, which is also the order restrictions are listed in
    "non-commercial": "no commercial use",
    "field-of-use": "limits what it may be used for",
    "user-threshold": "large users need another license",
    "geographic": "limits where it may be used",
    "no-derivatives": "no modified versions",
    "model-improvement": "may not be used to improve other models",
    "modification-restriction": "rights end if it is changed in certain ways",
    "unilateral-change": "the licensor may change the terms",
    "attribution-naming": "derivatives must carry a name or notice (allowed by open source)",
}
"""Each restriction kind of design.md in plain words, for a reader who does not know the vocabulary."""

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters and bidirectional overrides: dropped, so a quote cannot hide or reorder text."""
_URL = re.compile(r"https?://[^\s<>\"'`\\|\[\]{}]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)'\""


@dataclass(frozen=True)
class Clipped(Generic[T]):
    """The first items of a list and how many were left out."""

    items: tuple[T, ...]
    omitted: int = 0


def clip_list(items: list[T] | tuple[T, ...], limit: int) -> Clipped[T]:
    """Keep at most ``limit`` items and count the rest."""
    return Clipped(tuple(items[:limit]), max(0, len(items) - limit))


def clip_text(text: object, limit: int = QUOTE_LIMIT) -> str:
    """One line of at most about ``limit`` characters: whitespace folded, a cut said with "… N more"."""
    raw = str(text)
    head = raw[: limit * 4]  # folding a huge text would cost time for characters that are cut anyway
    line = " ".join(_INVISIBLE.sub("", head).split())
    if len(line) <= limit and len(head) == len(raw):
        return line
    return f"{line[:limit].rstrip()} … ({max(len(raw) - limit, 1)} more characters)"


@dataclass(frozen=True)
class Segment:
    """A piece of text; ``href`` is set when the piece is an http(s) URL that may become a link."""

    text: str
    href: str | None = None


def segments(text: str) -> tuple[Segment, ...]:
    """Split text into plain pieces and http(s) URLs (the only URLs a renderer may turn into links)."""
    pieces: list[Segment] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_URL_TRAILING)
        if len(url) <= len("https://"):
            continue
        if match.start() > position:
            pieces.append(Segment(text[position:match.start()]))
        pieces.append(Segment(url, url))
        position = match.start() + len(url)
    if position < len(text):
        pieces.append(Segment(text[position:]))
    return tuple(pieces)


@dataclass(frozen=True)
class Headline:
    """The verdict in plain words: a title, the main reason, and what relicensing would change."""

    passed: bool
    title: str
    reason: str
    relicensing: str | None
    definition: str = ("Open source AI, as the Open Source Initiative defines it (OSAID 1.0), needs the weights, "
                       "the code and detailed information about the training data, all under terms that let anyone "
                       "use, study, change and share them.")


@dataclass(frozen=True)
class FrameworkRow:
    """One framework's result in a line: name, result, detail; ``good`` colours it."""

    framework: str
    result: str
    detail: str
    good: bool | None


@dataclass(frozen=True)
class CriterionView:
    """One OSAID criterion as shown: status, why, fix, evidence."""

    title: str
    status: str
    required: bool
    why: str
    fix: str | None
    evidence: Clipped[str]


@dataclass(frozen=True)
class RestrictionView:
    """One restrictive clause: its kind, the quote and where it stands."""

    kind: str
    meaning: str
    quote: str
    quoted: bool
    where: str


@dataclass(frozen=True)
class BaseModelView:
    """One base model of the lineage chain and its terms."""

    base_model: str
    relation: str
    terms: str
    evidence: Clipped[str]
    depth: int = 0
    """0 for a base of the release itself, 1 for a base of that base, and so on."""
    revision: str | None = None
    """The commit the base was audited at (Hub audits), shortened."""


@dataclass(frozen=True)
class FindingView:
    """A finding: its kind, severity, message and evidence."""

    kind: str
    severity: str
    message: str
    evidence: Clipped[str]


@dataclass(frozen=True)
class ComponentView:
    """A row of the components table."""

    component: str
    status: str
    level: str
    license: str
    evidence: Clipped[str]


@dataclass(frozen=True)
class Digest:
    """Everything the document renderers show, in reading order, bounded."""

    subject: str
    revision: str | None
    headline: Headline
    frameworks: tuple[FrameworkRow, ...]
    terms: str
    criteria: tuple[CriterionView, ...]
    restrictions: Clipped[RestrictionView]
    restriction_kinds: tuple[tuple[str, str, int], ...]
    lineage: Clipped[BaseModelView]
    findings: Clipped[FindingView]
    components: tuple[ComponentView, ...]
    notes: Clipped[str]
    tool_version: str


def digest(report: Report) -> Digest:
    """Read a report into what the document renderers show."""
    ordered = sorted(report.terms.get("restrictions") or [], key=lambda item: _kind_rank(item.get("kind")))
    restrictions = clip_list(ordered, RESTRICTION_LIMIT)
    kinds: dict[str, int] = {}
    for item in ordered:
        kind = clip_text(item.get("kind", "unknown"), 40)
        kinds[kind] = kinds.get(kind, 0) + 1
    findings = clip_list(report.findings, FINDING_LIMIT)
    lineage = clip_list(_chain(report.lineage), LINEAGE_LIMIT)
    notes = clip_list((report.mof or {}).get("notes") or [], NOTE_LIMIT)
    return Digest(
        subject=clip_text(report.subject.id, 200),
        revision=clip_text(report.subject.revision, 80) if report.subject.revision else None,
        headline=headline(report),
        frameworks=_frameworks(report),
        terms=_terms_name(report.terms),
        criteria=tuple(_criterion(c) for c in report.osaid.criteria),
        restrictions=Clipped(tuple(_restriction(item) for item in restrictions.items), restrictions.omitted),
        restriction_kinds=tuple((kind, RESTRICTION_MEANING.get(kind, ""), n) for kind, n in kinds.items()),
        lineage=Clipped(tuple(_base_model(item, depth) for item, depth in lineage.items), lineage.omitted),
        findings=Clipped(tuple(FindingView(clip_text(f.kind, 60), f.severity, clip_text(f.message),
                                           _clip_lines(f.evidence, FINDING_EVIDENCE_LIMIT, 120))
                               for f in findings.items), findings.omitted),
        components=tuple(  # always the 17 MOF components
            ComponentView(c.component.value, c.status, c.level.value if c.level else "—",
                          _license_words(c.license.id, c.license.license_class.value),
                          _clip_lines(c.evidence, 2))
            for c in report.components
        ),
        notes=Clipped(tuple(clip_text(note) for note in notes.items), notes.omitted),
        tool_version=clip_text(report.tool_version, 40),
    )


def headline(report: Report) -> Headline:
    """The verdict as a newcomer would say it, e.g. "Not open source AI: the weights are available, but…"."""
    verdict = report.osaid
    terms = _terms_name(report.terms)
    missing = _missing(verdict.criteria)
    if verdict.status == "pass":
        return Headline(True, "Open source AI",
                        f"the weights, the code and the information about the training data are all published "
                        f"under open terms ({terms}).", None)
    if verdict.label == "closed":
        reason = "the weights are not published."
    elif verdict.label == "open-weights":
        reason = f"the weights are open ({terms}), but {_and(missing) or 'some required parts'} " \
                 f"{'is' if len(missing) == 1 else 'are'} not published or could not be established."
    elif report.terms.get("id") is None and report.terms.get("class") in (None, "unknown"):
        reason = "the weights are available, but no license grants the right to use, change and share them."
    else:
        inherited = _inherited_from(report)
        reason = f"the weights are available, but under terms that restrict their use ({terms}{inherited})."
    if verdict.would_pass_if_relicensed:
        relicensing = ("Would pass if relicensed: yes. Everything else the definition asks for is published; "
                       "only the terms fail.")
    elif verdict.label == "open-weights":
        relicensing = "Would pass if relicensed: no. The terms are open; the missing parts must be published."
    else:
        also = f" {_sentence(_and(missing))} {'is' if len(missing) == 1 else 'are'} missing or not " \
            "established too." if missing else ""
        relicensing = f"Would pass if relicensed: no.{also}"
    return Headline(False, "Not open source AI", reason, relicensing)


def _missing(criteria: tuple[CriterionResult, ...]) -> list[str]:
    """Titles (lower case) of required criteria whose element is absent or not established."""
    return [clip_text(c.title, 80).lower() for c in criteria
            if c.required and c.status in ("unmet", "unknown") and c.present is not True]


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b, and c' (the serial comma keeps 'validation and testing code' one item)."""
    if len(words) <= 2:
        return " and ".join(words)
    return f"{', '.join(words[:-1])}, and {words[-1]}"


def _inherited_from(report: Report) -> str:
    """', inherited from base model X' when the terms come from the lineage."""
    if report.terms.get("level") != "inferred" or not report.lineage:
        return ""
    restricted = [b for b in report.lineage if b.get("license") == report.terms.get("id")] or list(report.lineage)
    return f", inherited from base model {clip_text(restricted[0].get('base_model'), 120)}"


def _terms_name(terms: dict[str, Any]) -> str:
    """The terms of the weights by name, else id, else 'a license openness could not identify' or 'no license'."""
    name = terms.get("name") or terms.get("id")
    if name:
        return clip_text(name, 120)
    return "no license" if terms.get("class") in (None, "unknown") else "a license openness could not identify"


def _license_words(license_id: object, license_class: object) -> str:
    """'Apache-2.0 (osi-approved)', 'unknown'."""
    if license_id:
        return f"{clip_text(license_id, 80)} ({license_class})"
    return str(license_class or "unknown")


def _frameworks(report: Report) -> tuple[FrameworkRow, ...]:
    """OSAID, MOF and the openness index side by side."""
    verdict = report.osaid
    rows = [FrameworkRow(
        f"OSAID {verdict.framework_version}",
        f"{'pass' if verdict.status == 'pass' else 'fail'} · {verdict.label}",
        "every required element is published under open terms" if verdict.status == "pass"
        else f"would pass if relicensed: {'yes' if verdict.would_pass_if_relicensed else 'no'}",
        verdict.status == "pass",
    )]
    if report.mof is not None:
        progress = report.mof.get("progress") or {}
        reached = report.mof.get("class")
        names = {1: "Class I, open science", 2: "Class II, open tooling", 3: "Class III, open model"}
        rows.append(FrameworkRow(
            "Model Openness Framework",
            names.get(reached, f"Class {reached}") if reached is not None else "no class reached",
            "progress: " + ", ".join(f"class {roman} {float(progress.get(key, 0.0)):.0f}%"
                                     for key, roman in (("3", "III"), ("2", "II"), ("1", "I"))),
            reached is not None,
        ))
    if report.openness_index is not None:
        index = report.openness_index
        grades = [g.get("grade") for g in index.get("grades") or []]
        counts = ", ".join(f"{grades.count(grade)} {grade}" for grade in ("open", "partial", "closed"))
        unjudged = grades.count(None)
        score = float(index.get("score") or 0.0)
        rows.append(FrameworkRow(
            "Openness index",
            f"score {score * 100:.0f} / 100",
            f"{counts}{f', {unjudged} not judged' if unjudged else ''} of {len(grades)} dimensions",
            None,
        ))
    return tuple(rows)


def _criterion(criterion: CriterionResult) -> CriterionView:
    return CriterionView(
        title=clip_text(criterion.title, 80),
        status=criterion.status,
        required=criterion.required,
        why=_sentence(clip_text(criterion.why, 2 * QUOTE_LIMIT)),
        fix=clip_text(criterion.fix) if criterion.fix and criterion.status != "met" else None,
        evidence=_clip_lines(criterion.evidence, EVIDENCE_LIMIT),
    )


def _kind_rank(kind: object) -> int:
    """Restrictions that break open source first, in design.md's order; attribution and unknown kinds last."""
    kinds = list(RESTRICTION_MEANING)
    return kinds.index(kind) if kind in kinds else len(kinds)


def _sentence(text: str) -> str:
    """The text with its first letter upper-case (the rest untouched, unlike ``str.capitalize``)."""
    return text[:1].upper() + text[1:]


def _restriction(item: dict[str, Any]) -> RestrictionView:
    kind = clip_text(item.get("kind", "unknown"), 40)
    line = item.get("line")
    source = clip_text(item.get("source") or "", 120)
    return RestrictionView(kind, RESTRICTION_MEANING.get(kind, ""), clip_text(item.get("quote", ""), CLAUSE_LIMIT),
                           bool(item.get("quoted")), f"{source}:{line}" if line else source)


def _chain(lineage: Any, depth: int = 0) -> list[tuple[dict[str, Any], int]]:
    """The lineage flattened in reading order: each base, then the bases it was built on, deeper."""
    flat: list[tuple[dict[str, Any], int]] = []
    for item in lineage if isinstance(lineage, (list, tuple)) else ():
        if isinstance(item, dict) and depth <= 8:
            flat.append((item, depth))
            flat.extend(_chain(item.get("lineage"), depth + 1))
    return flat


def _base_model(item: dict[str, Any], depth: int = 0) -> BaseModelView:
    license_id = item.get("license")
    terms = _license_words(license_id, item.get("class")) if license_id else "terms unknown"
    revision = item.get("revision")
    return BaseModelView(clip_text(item.get("base_model", "?"), 120), clip_text(item.get("relation") or "base", 40),
                         terms, _clip_lines(item.get("evidence") or [], 3, 120), depth,
                         clip_text(str(revision)[:12], 12) if revision else None)


def _clip_lines(lines: list[str] | tuple[str, ...], limit: int, length: int = QUOTE_LIMIT) -> Clipped[str]:
    clipped = clip_list(lines, limit)
    return Clipped(tuple(clip_text(line, length) for line in clipped.items), clipped.omitted)
