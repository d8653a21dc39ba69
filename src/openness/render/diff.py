"""``openness diff`` for people: at a terminal (rich) and as Markdown (a pull-request comment).

Both read the same sections, built here once: regressions first, then each group of changes.
Each entry is a mark and a text: ``+`` added, ``-`` removed, ``~`` changed, ``!`` regression.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

from openness.diff import ReportDiff
from openness.report import restriction_line

Entry = tuple[str, str]
_SECTION_OF_PATH = (("verdicts.", "Verdicts"), ("terms.", "Terms of the weights"), ("licenses.", "Licenses"),
                    ("components.", "Components"))
_MARK_STYLE = {"+": "yellow", "-": "cyan", "~": "bold", "!": "bold red"}
_MARK_WORD = {"+": "added", "-": "removed", "~": "changed", "!": "regression"}


def _shown(value: Any) -> str:
    return "—" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def diff_sections(diff: ReportDiff) -> list[tuple[str, list[Entry]]]:
    """The diff as titled sections of marked entries, empty sections left out."""
    sections: dict[str, list[Entry]] = {"Regressions": [("!", text) for text in diff.regressions]}
    for _, title in _SECTION_OF_PATH:
        sections[title] = []
    for change in diff.changes:
        title = next(t for prefix, t in _SECTION_OF_PATH if change.path.startswith(prefix))
        sections[title].append(("~", f"{change.path}: {_shown(change.before)} → {_shown(change.after)}"))
    sections["Licenses"] += ([("+", f"{e['source']}: {e['license']}") for e in diff.licenses_added]
                             + [("-", f"{e['source']}: {e['license']}") for e in diff.licenses_removed])
    sections["Restrictions"] = ([("+", restriction_line(item)) for item in diff.restrictions_added]
                                + [("-", restriction_line(item)) for item in diff.restrictions_removed])
    sections["Findings"] = ([("+", f"{f['kind']}: {f['message']}") for f in diff.findings_added]
                            + [("-", f"{f['kind']}: {f['message']}") for f in diff.findings_removed])
    return [(title, entries) for title, entries in sections.items() if entries]


def _headline(diff: ReportDiff) -> str:
    before, after = diff.before, diff.after
    names = (f"{before['id']}" + (f"@{before['revision']}" if before.get("revision") else ""),
             f"{after['id']}" + (f"@{after['revision']}" if after.get("revision") else ""))
    if not diff.changed:
        verdict = "no change in openness"
    elif diff.regressions:
        verdict = f"{len(diff.regressions)} regression(s)"
    else:
        verdict = "changed, no regression"
    return f"{names[0]} → {names[1]}: {verdict}"


def render_diff_terminal(diff: ReportDiff, console: Console) -> None:
    """Print the diff with rich: the headline, then each section (lines not wrapped, to stay greppable)."""
    console.print(f"[bold]{escape(_headline(diff))}[/bold]", soft_wrap=True)
    for title, entries in diff_sections(diff):
        console.print(f"[bold]{escape(title)}[/bold]")
        for mark, text in entries:
            style = _MARK_STYLE[mark]
            console.print(f"  [{style}]{escape(mark)}[/{style}] {escape(text)}", soft_wrap=True)


def render_diff_markdown(diff: ReportDiff) -> str:
    """The diff as GitHub-flavoured Markdown."""
    lines = [f"## openness diff: {_headline(diff)}", ""]
    for title, entries in diff_sections(diff):
        lines.extend([f"### {title}", ""])
        lines.extend(f"- **{_MARK_WORD[mark]}** {_markdown_text(text)}" for mark, text in entries)
        lines.append("")
    return "\n".join(lines)


def _markdown_text(text: str) -> str:
    """Text safe in a Markdown list item: no HTML, no emphasis or links from the quoted clauses."""
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())
