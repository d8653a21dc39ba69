"""The report for people at a terminal: the verdict first, then criteria, then what to fix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from openness.report import Report

_STATUS_STYLE = {"met": "green", "unmet": "red", "unknown": "yellow", "not-applicable": "dim"}
_STATUS_MARK = {"met": "✔", "unmet": "✘", "unknown": "?", "not-applicable": "-"}
_LABEL_STYLE = {
    "open-source-ai": "bold green",
    "open-weights": "bold yellow",
    "restricted-weights": "bold red",
    "closed": "bold red",
}


def render_terminal(report: Report, console: Console) -> None:
    """Print a report with rich: verdict panel, criteria table, findings, fixes."""
    verdict = report.osaid
    head = Text()
    head.append("OSAID 1.0: ", style="bold")
    head.append("PASS" if verdict.status == "pass" else "FAIL",
                style="bold green" if verdict.status == "pass" else "bold red")
    head.append("  ·  ")
    head.append(verdict.label, style=_LABEL_STYLE[verdict.label])
    if verdict.status == "fail":
        head.append("  ·  would pass if relicensed: ")
        head.append("yes" if verdict.would_pass_if_relicensed else "no")
    terms = report.terms
    body = [head, Text(verdict.summary)]
    if report.mof is not None:
        progress = report.mof["progress"]
        reached = f"Class {report.mof['class']}" if report.mof["class"] is not None else "no class"
        body.append(Text(f"MOF: {reached} (progress: class III {progress['3']:.0f}%, "
                         f"II {progress['2']:.0f}%, I {progress['1']:.0f}%)"))
    if terms.get("id") or terms.get("class"):
        body.append(Text(f"Terms of the weights: {terms.get('name') or terms.get('id') or 'unknown'} "
                         f"({terms.get('class')})", style="dim"))
    subject = report.subject
    at = f" @ {subject.revision[:12]}" if subject.revision else ""
    console.print(Panel(Group(*body), title=escape(f"{subject.kind}: {subject.id}{at}"), expand=True))

    table = Table(title="Criteria", show_lines=False, expand=True)
    table.add_column("", width=2)
    table.add_column("Criterion", no_wrap=True)
    table.add_column("Why")
    for criterion in verdict.criteria:
        style = _STATUS_STYLE[criterion.status] if criterion.required else "dim"
        title = criterion.title + ("" if criterion.required else " (optional)")
        why = escape(criterion.why)
        if criterion.evidence:
            why += "\n[dim]" + escape(criterion.evidence[0][:200]) + "[/dim]"
        table.add_row(f"[{style}]{_STATUS_MARK[criterion.status]}[/{style}]", escape(title), why)
    console.print(table)

    restrictions = terms.get("restrictions") or []
    if restrictions:
        console.print("[bold]Restrictions on the weights[/bold]")
        for item in restrictions[:20]:
            where = f"{item['source']}:{item['line']}" if item.get("line") else item["source"]
            mark = '"' if item.get("quoted") else ""
            console.print(f"  [red]{escape(item['kind'])}[/red] {mark}{escape(item['quote'])}{mark} "
                          f"[dim]({escape(str(where))})[/dim]")
    if report.lineage:
        console.print("[bold]Lineage[/bold] (base models, whose terms pass down)")
        for line in _lineage_lines(report.lineage, 1):
            console.print(line)
    if report.findings:
        console.print("[bold]Findings[/bold]")
        for finding in report.findings:
            colour = {"error": "red", "warning": "yellow", "info": "cyan"}[finding.severity]
            console.print(f"  [{colour}]{escape(finding.kind)}[/{colour}] {escape(finding.message)}")
    fixes = [c for c in verdict.criteria if c.required and c.fix]
    if fixes:
        console.print("[bold]What would fix it[/bold]")
        for criterion in fixes:
            console.print(f"  • [bold]{escape(criterion.title)}[/bold]: {escape(criterion.fix or '')}")


def _lineage_lines(chain: Sequence[Mapping[str, Any]], depth: int) -> list[str]:
    """One line per base model, indented by its depth in the chain (at most 8 deep, 40 lines)."""
    lines: list[str] = []
    for base in chain:
        if len(lines) >= 40 or depth > 8:
            break
        at = f" @ {str(base['revision'])[:12]}" if base.get("revision") else ""
        colour = "green" if base.get("class") in ("osi-approved", "open-data", "open-content") else "red"
        terms = f"{base.get('license') or 'terms unknown'} ({base.get('class')})"
        lines.append(f"{'  ' * depth}← {escape(str(base['base_model']))}{escape(at)}: [{colour}]{escape(terms)}"
                     f"[/{colour}]" + (f" [dim]{escape(str(base['relation']))}[/dim]" if base.get("relation") else ""))
        lines.extend(_lineage_lines(base.get("lineage") or (), depth + 1))
    return lines
