"""The report as GitHub-flavoured Markdown that fits one pull-request comment.

Reading order: the verdict in plain words, the frameworks side by side, the OSAID criteria
(why, what would fix it, evidence), the restrictions quoted with file and line, the lineage,
the findings, the components. Long parts are folded in ``<details>``; lists and quotes are cut
with a visible "… N more" (see :mod:`openness.render.digest`), and a section that would push the
comment past :data:`COMMENT_BUDGET` is replaced by a one-line note, so the output never exceeds
GitHub's 65,536-character limit.

Everything from the release is written as inert text: Markdown and HTML punctuation is
backslash-escaped, whitespace is folded (a newline cannot start a block or end a table row),
``@`` cannot mention anyone, and only http(s) URLs become links.
"""

from __future__ import annotations

import re
from typing import Any

from openness.render.digest import (
    Clipped,
    CriterionView,
    Digest,
    clip_text,
    digest,
    segments,
)
from openness.report import Report

GITHUB_COMMENT_LIMIT = 65_536
"""GitHub's limit on the body of an issue or pull-request comment, in characters."""
COMMENT_BUDGET = 60_000
"""What the renderer allows itself, leaving room for a bot's own header."""

_PRIORITY = ("OSAID 1.0 criteria", "Restrictions", "Lineage", "Findings", "Evidence for each criterion", "Components",
             "Notes")
"""Which sections keep their place first when a huge report must leave some out."""
_ESCAPED = re.compile(r"([\\`*_{}\[\]()<>#!|~&$])")
_WHITESPACE = re.compile(r"\s+")
_BLOCK_START = re.compile(r"^([-+=>]|\d+[.)])")
_STATUS_MARK = {"met": "✅", "unmet": "❌", "unknown": "❔", "not-applicable": "⚪"}
_SEVERITY_MARK = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}  # noqa: RUF001 - the information sign is meant


def render_markdown(report: Report) -> str:
    """The report as Markdown for a pull-request comment, at most :data:`COMMENT_BUDGET` characters."""
    view = digest(report)
    head = _verdict(view) + _frameworks(view)
    footer = (f"\n<sub>openness {text(view.tool_version)} · Open Source AI Definition 1.0, Model Openness "
              f"Framework 1.0, openness index · `openness audit --format json` has every detail</sub>\n")
    sections = _sections(view)
    kept: dict[str, str] = {}
    size = len(head) + len(footer)
    for title in _PRIORITY:
        section = sections[title]
        if size + len(section) > COMMENT_BUDGET:
            section = f"\n_{title}: left out, the comment would be too long; see the JSON or HTML report._\n"
        kept[title] = section
        size += len(section)
    return head + "".join(kept[title] for title in sections) + footer


def text(value: object) -> str:
    """Release text made inert in Markdown: one line, punctuation escaped, no mentions.

    Whitespace runs become one space but are not stripped, so pieces of a line can be joined.
    """
    line = _WHITESPACE.sub(" ", str(value))
    line = _ESCAPED.sub(r"\\\1", line)
    line = _BLOCK_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], line)
    return line.replace("@", "@\u200b")


def linked(value: str) -> str:
    """Like :func:`text`, with http(s) URLs as explicit links (nothing else ever becomes a link)."""
    out = []
    for piece in segments(value):
        out.append(f"[{text(piece.text)}](<{piece.href}>)" if piece.href else text(piece.text))
    return "".join(out)


def _more(clipped: Clipped[Any], what: str) -> str:
    return f"… {clipped.omitted} more {what}" if clipped.omitted else ""


def _details(summary: str, body: str, *, open_: bool = False) -> str:
    return f"\n<details{' open' if open_ else ''}><summary>{summary}</summary>\n\n{body}\n</details>\n"


def _verdict(view: Digest) -> str:
    h = view.headline
    mark = "✅" if h.passed else "❌"
    lines = [f"### {mark} {h.title}: {text(h.reason)}", ""]
    if h.relicensing:
        lines += [text(h.relicensing), ""]
    release = text(view.subject) + (f" at revision {text(view.revision)}" if view.revision else "")
    lines += [f"Release: {release} · terms of the weights: {text(view.terms)}", "", f"<sub>{text(h.definition)}</sub>"]
    return "\n".join(lines) + "\n"


def _frameworks(view: Digest) -> str:
    rows = ["", "| Framework | Result | Detail |", "|---|---|---|"]
    for row in view.frameworks:
        mark = {True: "✅ ", False: "❌ ", None: ""}[row.good]
        rows.append(f"| {text(row.framework)} | {mark}**{text(row.result)}** | {text(row.detail)} |")
    return "\n".join(rows) + "\n"


def _sections(view: Digest) -> dict[str, str]:
    """Title → Markdown of each section after the verdict, in reading order."""
    return {
        "OSAID 1.0 criteria": _criteria_table(view.criteria),
        "Evidence for each criterion": _criteria_evidence(view.criteria),
        "Restrictions": _restrictions(view),
        "Lineage": _lineage(view),
        "Findings": _findings(view),
        "Components": _components(view),
        "Notes": _notes(view),
    }


def _criteria_table(criteria: tuple[CriterionView, ...]) -> str:
    rows = ["", "#### OSAID 1.0 criteria", "", "| | Criterion | Why | What would fix it |", "|---|---|---|---|"]
    for c in criteria:
        title = text(c.title) + ("" if c.required else " (optional)")
        rows.append(f"| {_STATUS_MARK.get(c.status, '')} | {title} | {linked(c.why)} | "
                    f"{linked(c.fix) if c.fix else ''} |")
    return "\n".join(rows) + "\n"


def _criteria_evidence(criteria: tuple[CriterionView, ...]) -> str:
    parts = []
    for c in criteria:
        lines = [f"**{_STATUS_MARK.get(c.status, '')} {text(c.title)}** — {text(c.status)}"]
        lines += [f"- {linked(line)}" for line in c.evidence.items]
        if c.evidence.omitted:
            lines.append(f"- {_more(c.evidence, 'evidence lines')}")
        parts.append("\n".join(lines))
    return _details("Evidence for each criterion (files, lines, links)", "\n\n".join(parts))


def _restrictions(view: Digest) -> str:
    clipped = view.restrictions
    total = len(clipped.items) + clipped.omitted
    if not total:
        return ""
    kinds = "; ".join(f"**{text(kind)}** ({n})" + (f" ({text(meaning)})" if meaning else "")
                      for kind, meaning, n in view.restriction_kinds)
    items = []
    for r in clipped.items:
        quote = f"“{linked(r.quote)}”" if r.quoted else linked(r.quote)
        items.append(f"- **{text(r.kind)}**: {quote} — {text(r.where)}")
    if clipped.omitted:
        items.append(f"- {_more(clipped, 'restrictions')}")
    return (f"\n#### Restrictions on the weights ({total})\n\n{kinds}\n"
            + _details(f"The {min(total, len(clipped.items))} clauses quoted, with file and line",
                       "\n".join(items), open_=total <= 5))


def _lineage(view: Digest) -> str:
    clipped = view.lineage
    if not clipped.items:
        return ""
    lines = ["", "#### Lineage (base models and their terms)", ""]
    for base in clipped.items:
        source = "; ".join(linked(e) for e in base.evidence.items)
        at = f", at {text(base.revision)}" if base.revision else ""
        lines.append(f"{'  ' * base.depth}- {text(base.base_model)} ({text(base.relation)}{at}): {text(base.terms)}"
                     + (f" — {source}" if source else ""))
    if clipped.omitted:
        lines.append(f"- {_more(clipped, 'base models')}")
    return "\n".join(lines) + "\n"


def _findings(view: Digest) -> str:
    clipped = view.findings
    if not clipped.items:
        return ""
    lines = ["", "#### Findings", ""]
    for f in clipped.items:
        where = "; ".join(linked(e) for e in f.evidence.items)
        lines.append(f"- {_SEVERITY_MARK.get(f.severity, '')} **{text(f.kind)}**: {linked(f.message)}"
                     + (f" — {where}" if where else "") + (f" ({_more(f.evidence, 'sources')})" if f.evidence.omitted
                                                          else ""))
    if clipped.omitted:
        lines.append(f"- {_more(clipped, 'findings')}")
    return "\n".join(lines) + "\n"


def _components(view: Digest) -> str:
    rows = ["| Component | Status | Evidence level | License | Evidence |", "|---|---|---|---|---|"]
    for c in view.components:
        evidence = "; ".join(linked(e) for e in c.evidence.items)
        if c.evidence.omitted:
            evidence += f" {_more(c.evidence, '')}".rstrip()
        rows.append(f"| {text(c.component)} | {text(c.status)} | {text(c.level)} | {text(c.license)} | {evidence} |")
    present = sum(1 for c in view.components if c.status == "present")
    return _details(f"Components: {present} of {len(view.components)} present", "\n".join(rows))


def _notes(view: Digest) -> str:
    if not view.notes.items:
        return ""
    lines = [f"- {linked(clip_text(note))}" for note in view.notes.items]
    if view.notes.omitted:
        lines.append(f"- {_more(view.notes, 'notes')}")
    return _details("Notes on the Model Openness Framework class", "\n".join(lines))
