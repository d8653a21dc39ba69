"""The ``openness`` command: thin argument handling around the auditor and renderers.

Exit codes (design.md): 0 ok / policy met, 1 policy not met (or, for ``diff
--fail-on-regression``, a regression), 2 usage or input error, 3 evidence could not be collected.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openness import __version__
from openness.policy.config import POLICY_FILE, PYPROJECT, REQUIREMENTS
from openness.render import FORMATS

if TYPE_CHECKING:
    from openness.policy import Policy
    from openness.report import Report

EXIT_OK, EXIT_POLICY, EXIT_USAGE, EXIT_EVIDENCE = 0, 1, 2, 3
LICENSE_FORMATS = ("terminal", "json")
DIFF_FORMATS = ("terminal", "json", "markdown")


class UsageError(Exception):
    """A usage or input error: printed as one line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to render --help in the README)."""
    parser = argparse.ArgumentParser(
        prog="openness",
        description="Say, with evidence, whether an AI model release is open source "
        "(OSI Open Source AI Definition 1.0).",
        epilog="Exit codes: 0 ok or policy met, 1 policy not met (check) or a regression "
        "(diff --fail-on-regression), 2 usage or input error, 3 evidence could not be collected.",
    )
    parser.add_argument("--version", action="version", version=f"openness {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    audit = commands.add_parser("audit", help="audit a release and explain the verdict",
                                description="Audit a release folder laid out like a Hugging Face "
                                "model repository, a model on the Hugging Face Hub, or a MOF manifest, and "
                                "explain the OSAID 1.0 verdict and the MOF class.",
                                epilog=_HUB_EPILOG)
    audit.add_argument("target", metavar="TARGET", help=_TARGET_HELP)
    audit.add_argument("--format", choices=FORMATS, default="terminal",
                       help="output format (default: terminal; every other format prints to stdout)")
    _network_options(audit)

    _add_check_parser(commands)
    _add_diff_parser(commands)

    manifest = commands.add_parser("manifest", help="write a MOF manifest from what a release shows",
                                   description="Write the Model Openness Framework manifest (MOT's model "
                                   "file format) that the evidence of a release folder or Hub repository supports, "
                                   "ready to review and submit to the Model Openness Tool.")
    manifest.add_argument("target", metavar="TARGET", help="a local release folder or a Hub repository id")
    _network_options(manifest)
    manifest.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")

    commands.add_parser("frameworks", help="list the frameworks, their versions and criteria",
                        description="List the frameworks openness evaluates, with their versions and criteria.")
    commands.add_parser("schema", help="print the JSON Schema of the report JSON",
                        description="Print the JSON Schema (Draft 2020-12) that every `--format json` report "
                        "validates against.")

    license_ = commands.add_parser("license", help="identify license texts and list their restrictions",
                                   description="Identify license files and quote every clause that "
                                   "takes a freedom away.")
    license_.add_argument("files", metavar="FILE", nargs="+", help="license text files")
    license_.add_argument("--format", choices=LICENSE_FORMATS, default="terminal", help="output format")
    return parser


_TARGET_HELP = ("a local release folder, a Hub repository id (org/name[@revision]) or a MOF manifest "
                "(.yml, .yaml, .json)")
_HUB_EPILOG = ("Hub repositories are read without their weights: the revision is resolved to a commit, "
               "small files and weight headers are downloaded into the cache ($OPENNESS_CACHE_DIR, else "
               "~/.cache/openness), base models are audited up the chain, and linked GitHub repositories, "
               "Hub datasets and arXiv papers are fetched. HF_ENDPOINT selects another Hub, HF_TOKEN reads "
               "gated and private repositories, GITHUB_TOKEN raises GitHub's rate limit.")


def _network_options(parser: argparse.ArgumentParser) -> None:
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--offline", action="store_true",
                      help="never use the network: Hub repositories are read from the cache of an earlier "
                      "audit (local folders and manifests never use it)")
    mode.add_argument("--refresh", action="store_true",
                      help="ask the Hub again even when the cache holds the revision (branch, files, linked "
                      "resources)")


def _progress(message: str) -> Any:
    """A spinner on standard error while evidence is gathered (only on a terminal)."""
    if not sys.stderr.isatty():
        return contextlib.nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(message)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        if args.command == "license":
            return _license(args.files, args.format)
        if args.command == "manifest":
            return _manifest(args.target, args.output, args.offline, args.refresh)
        if args.command == "frameworks":
            return _frameworks()
        if args.command == "check":
            return _check(args)
        if args.command == "diff":
            return _diff(args)
        if args.command == "schema":
            return _schema()
        return _audit(args)
    except UsageError as error:
        print(f"openness: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("openness: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # the last line of defence: one line, never a traceback
        from openness.sources.interface import SourceError

        if isinstance(error, SourceError):
            print(f"openness: error: {error}", file=sys.stderr)
            return error.exit_code
        print(f"openness: internal error: {type(error).__name__}: {error} "
              "(please report this with the release that caused it)", file=sys.stderr)
        return EXIT_USAGE


def _add_check_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser("check", help="CI gate: exit 1 when a policy is not met",
                                description="Audit TARGET and exit 0 when the policy is met, 1 when it is "
                                f"not. The policy is --policy FILE, else {POLICY_FILE} or {PYPROJECT} "
                                "[tool.openness] in the current directory; --require adds to it. With no "
                                "rule at all, osaid-1.0 is required.")
    check.add_argument("target", metavar="TARGET", help=_TARGET_HELP)
    check.add_argument("--require", choices=REQUIREMENTS, action="append", default=[],
                       help="verdict required; repeat for more (default when no policy: osaid-1.0)")
    check.add_argument("--policy", metavar="FILE", help=f"policy file ({POLICY_FILE} keys, or a {PYPROJECT} "
                       "with [tool.openness])")
    check.add_argument("--no-policy", action="store_true",
                       help=f"ignore {POLICY_FILE} and {PYPROJECT} in the current directory")
    check.add_argument("--format", choices=FORMATS, default="terminal",
                       help="output format; other than terminal, the report goes to stdout and the "
                       "policy result to stderr")
    _network_options(check)


def _add_diff_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = commands.add_parser("diff", help="what changed in openness between two releases",
                               description="Audit BEFORE and AFTER and list what changed: terms, licenses, "
                               "restrictions (quoted), components, verdicts, findings.")
    diff.add_argument("before", metavar="BEFORE", help="the earlier release (any TARGET of audit)")
    diff.add_argument("after", metavar="AFTER", help="the later release (any TARGET of audit)")
    diff.add_argument("--format", choices=DIFF_FORMATS, default="terminal", help="output format")
    _network_options(diff)
    diff.add_argument("--fail-on-regression", action="store_true",
                      help="exit 1 when openness regressed: OSAID pass to fail, a lower label, a worse MOF "
                      "class, or a new kind of restriction that breaks the Open Source Definition")


def _print_report(report: Report, format_name: str) -> None:
    if format_name != "terminal":
        from openness.render import render_text

        print(render_text(report, format_name))
    else:
        from rich.console import Console

        from openness.render.terminal import render_terminal

        render_terminal(report, Console())


def _audit(args: argparse.Namespace) -> int:
    from openness.audit import Auditor

    with _progress(f"auditing {args.target}"):
        report = Auditor().audit_target(args.target, offline=args.offline, refresh=args.refresh)
    _print_report(report, args.format)
    return EXIT_OK


def _check_policy(args: argparse.Namespace) -> Policy:
    """The policy in force: the policy file (if any) plus --require; osaid-1.0 when nothing is set."""
    from openness.policy import Policy, PolicyError, discover_policy, load_policy

    try:
        if args.policy:
            policy = load_policy(Path(args.policy))
        else:
            # The current directory (the repository that runs the gate), never the audited release:
            # a release must not choose the policy it is judged by.
            policy = (None if args.no_policy else discover_policy(Path("."))) or Policy()
    except PolicyError as error:
        raise UsageError(str(error)) from None
    policy = policy.requiring(tuple(args.require))
    return policy if policy.has_rules else policy.requiring(("osaid-1.0",))


def _check(args: argparse.Namespace) -> int:
    from openness.audit import Auditor
    from openness.policy import evaluate_policy

    policy = _check_policy(args)  # before the audit: a bad policy file fails fast
    with _progress(f"auditing {args.target}"):
        report = Auditor().audit_target(args.target, offline=args.offline, refresh=args.refresh)
    _print_report(report, args.format)
    result = evaluate_policy(policy, report)
    stream = sys.stdout if args.format == "terminal" else sys.stderr
    for line in result.lines():
        print(line, file=stream)
    return EXIT_OK if result.met else EXIT_POLICY


def _diff(args: argparse.Namespace) -> int:
    from openness.audit import Auditor
    from openness.diff import diff_reports

    auditor = Auditor()
    with _progress(f"auditing {args.before} and {args.after}"):
        changes = diff_reports(auditor.audit_target(args.before, offline=args.offline, refresh=args.refresh),
                               auditor.audit_target(args.after, offline=args.offline, refresh=args.refresh))
    if args.format == "json":
        print(json.dumps(changes.to_dict(), indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        from openness.render.diff import render_diff_markdown

        print(render_diff_markdown(changes), end="")
    else:
        from rich.console import Console

        from openness.render.diff import render_diff_terminal

        render_diff_terminal(changes, Console())
    return EXIT_POLICY if args.fail_on_regression and changes.regressions else EXIT_OK


def _manifest(target: str, output: str | None, offline: bool, refresh: bool) -> int:
    import yaml

    from openness.audit import Auditor, source_for

    with _progress(f"reading {target}"):
        document = Auditor().manifest(source_for(target, offline=offline, refresh=refresh))
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        print(f"openness: manifest written to {output}", file=sys.stderr)
    else:
        print(text, end="")
    return EXIT_OK


def _frameworks() -> int:
    from rich.console import Console
    from rich.markup import escape

    from openness.frameworks.mof import load_mof_framework
    from openness.frameworks.osaid import load_framework

    console = Console()
    osaid = load_framework()
    console.print(f"[bold]{osaid['id']}[/bold]  {osaid['name']} {osaid['version']} ({osaid['published']}) "
                  f"{osaid['source']}")
    for criterion in osaid["criteria"]:
        required = "required" if criterion.get("required", True) else "optional"
        console.print(f"  {criterion['id']:<28} {escape(criterion['title'])} ({required})")
    mof = load_mof_framework()
    console.print("[bold]mof[/bold]  Model Openness Framework 1.0, classes as the Model Openness Tool computes them")
    for spec in sorted(mof.components, key=lambda s: (-s.mof_class, s.component_id)):
        required = "required" if spec.required else "optional"
        console.print(f"  class {spec.mof_class}  {spec.slug:<32} {spec.content_type:<9} ({required})")
    return EXIT_OK


def _schema() -> int:
    from openness.render.schema import report_schema_text

    print(report_schema_text(), end="")
    return EXIT_OK


def _license(files: list[str], output: str) -> int:
    from openness.licenses.identify import identify_text, unreadable
    from openness.sources.files import read_text

    results = []
    for name in files:
        path = Path(name)
        if path.is_dir():
            ident = unreadable(name, "is a directory, not a license file")
        else:
            read = read_text(path)
            if read.text is None:
                ident = unreadable(name, read.problem or "unreadable")
            else:
                ident = identify_text(read.text, name)
        results.append(ident)
    if output == "json":
        print(json.dumps([
            {
                "path": ident.path,
                "id": ident.id,
                "name": ident.name,
                "match": ident.match,
                "osi_approved": ident.osi_approved,
                "osd_conformant": ident.osd_conformant,
                "restrictions": [{"kind": r.kind.value, "quote": r.quote, "line": r.line} for r in ident.restrictions],
                "class": ident.license_class.value,
                "method": ident.method,
                "changes": {
                    "added": [{"line": line, "text": text} for line, text in ident.changes.added],
                    "removed_sentences": ident.changes.removed,
                },
                "problem": ident.problem,
            }
            for ident in results
        ], indent=2, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.markup import escape

        console = Console()
        for ident in results:
            name = f"{ident.id} ({ident.name})" if ident.id else "not identified"
            console.print(f"[bold]{escape(ident.path or '?')}[/bold]: {escape(name)} · match {ident.match} · "
                          f"{ident.license_class.value} · OSD-conformant: "
                          f"{ {True: 'yes', False: 'no', None: 'unknown'}[ident.osd_conformant] }")
            if ident.problem:
                console.print(f"  [yellow]{escape(ident.problem)}[/yellow]")
            for clause in ident.restrictions:
                console.print(f"  [red]{clause.kind.value}[/red] line {clause.line}: \"{escape(clause.quote)}\"")
            for line, text in ident.changes.added[:10]:
                console.print(f"  [yellow]added[/yellow] line {line}: \"{escape(text[:200])}\"")
            if ident.changes.removed:
                console.print(f"  [yellow]removed[/yellow] {ident.changes.removed} sentence(s) of the reference text")
    return EXIT_OK if all(i.problem is None for i in results) else EXIT_USAGE
