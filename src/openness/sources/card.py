"""Model cards: YAML front matter with line numbers, and the links in the body with context.

A Hugging Face model card is a README.md whose front matter (between ``---`` lines) holds
metadata such as ``license`` and ``base_model``; the body is Markdown whose links point to
code, data and papers. Each link is kept with the heading above it and the sentence around
it, since those words say what the link is ("training code", "paper", …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml

from openness.evidence import CardLink, LinkKind, ModelCard, Provenance

MAX_FRONT_MATTER_NODES = 20_000
"""Front matter with more YAML nodes than this (an alias bomb, say) is refused."""


@dataclass(frozen=True)
class FrontMatter:
    """Parsed front matter: the mapping, the line of each top-level key, and a problem."""

    metadata: dict[str, Any]
    lines: dict[str, int]
    body_start_line: int
    problem: str | None = None


_FENCE = re.compile(r"^---[ \t]*$")


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split a card into (front matter text or None, body, 1-based line where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")):
        return None, text, 1
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index].rstrip("\r\n")):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    # Like the Hub: without a closing fence there is no front matter, only a body.
    return None, text, 1


def count_nodes(node: yaml.Node, limit: int) -> int:
    """Count nodes, following aliases as often as they are used, stopping past ``limit``."""
    count = 0
    stack = [node]
    while stack and count <= limit:
        current = stack.pop()
        count += 1
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return count


def parse_front_matter(text: str) -> FrontMatter:
    """Parse a card's front matter; malformed YAML becomes a problem, never an exception."""
    raw, _body, body_start = split_front_matter(text)
    if raw is None:
        unclosed = bool(_FENCE.match(text.split("\n", 1)[0].rstrip("\r")))
        return FrontMatter({}, {}, body_start, "front matter fence `---` is never closed" if unclosed else None)
    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return FrontMatter({}, {}, body_start, f"malformed YAML front matter: {_yaml_reason(error)}")
    except RecursionError:
        return FrontMatter({}, {}, body_start, "front matter nested too deeply")
    if node is None:
        return FrontMatter({}, {}, body_start, None)
    if not isinstance(node, yaml.MappingNode):
        return FrontMatter({}, {}, body_start, "front matter is not a mapping of keys to values")
    if count_nodes(node, MAX_FRONT_MATTER_NODES) > MAX_FRONT_MATTER_NODES:
        return FrontMatter({}, {}, body_start, "front matter too large or expands without bound")
    try:
        data = yaml.safe_load(raw)
    except RecursionError:
        return FrontMatter({}, {}, body_start, "front matter nested too deeply")
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError) as error:
        # Explicit tags that do not fit their value (`!!int many`) fail while constructing.
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return FrontMatter({}, {}, body_start, f"malformed YAML front matter: {reason[:200]}")
    if not isinstance(data, dict):
        return FrontMatter({}, {}, body_start, "front matter is not a mapping of keys to values")
    metadata = {str(key): value for key, value in data.items()}
    lines: dict[str, int] = {}
    pairs = node.value
    # +2: one for the opening fence, one for 0-based marks. Keys are matched in order, so a
    # key YAML reads as a non-string (`true:`) still gets its line.
    if len(pairs) == len(data):
        for (key_node, _value), key in zip(pairs, data, strict=True):
            lines[str(key)] = key_node.start_mark.line + 2
    else:
        for key_node, _value in pairs:
            if isinstance(key_node, yaml.ScalarNode):
                lines.setdefault(str(key_node.value), key_node.start_mark.line + 2)
    return FrontMatter(metadata, lines, body_start, None)


def _yaml_reason(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or (str(error).splitlines() or ["invalid YAML"])[0]
    if mark is not None:
        return f"{problem} (line {mark.line + 2})"
    return str(problem)


def read_card(path: str, text: str) -> ModelCard:
    """Build a :class:`ModelCard` from the card's path (relative) and text."""
    front = parse_front_matter(text)
    _raw, body, _start = split_front_matter(text)
    if front.problem:
        body = text if _raw is None else body
    return ModelCard(
        path=path,
        metadata=front.metadata,
        metadata_lines=front.lines,
        body=body,
        body_start_line=front.body_start_line,
        problem=front.problem,
    )


# --- links -------------------------------------------------------------------------------

_INLINE = re.compile(
    r"\[(?P<text>[^\]\n]{0,300})\]\(\s*<?(?P<url>(?:[^()\s<>]|\([^()\s]*\))+)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_REFERENCE_USE = re.compile(r"\[(?P<text>[^\]\n]{1,300})\](?:\[(?P<ref>[^\]\n]{0,100})\])?(?![(\[:])")
_AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]+)>")
_REFERENCE_DEF = re.compile(r"^\s{0,3}\[(?P<ref>[^\]\n]{1,100})\]:\s*<?(?P<url>\S+?)>?(?:\s.*)?$")
_HTML = re.compile(r"<a\s[^>]*?href\s*=\s*[\"'](?P<url>[^\"']+)[\"'][^>]*>(?P<text>.{0,300}?)</a>", re.I | re.S)
_BARE = re.compile(r"(?<![\"'=\[])\bhttps?://[^\s<>()\"'\]`]+")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
_TAGS = re.compile(r"<[^>]+>")


def _clean(text: str) -> str:
    text = _INLINE.sub(lambda m: m.group("text"), text)
    text = _REFERENCE_USE.sub(lambda m: m.group("text"), text)
    text = _TAGS.sub(" ", text)
    text = re.sub(r"[*_`]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _sentence_around(paragraph: str, start: int, end: int) -> str:
    """The sentence of ``paragraph`` that holds the span [start, end)."""
    left = max(paragraph.rfind(". ", 0, start), paragraph.rfind("\n\n", 0, start))
    right_candidates = [i for i in (paragraph.find(". ", end), paragraph.find("\n\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(paragraph)
    return _clean(paragraph[left + 1 : right])[:500]


def classify_url(url: str) -> LinkKind:
    """Say what a URL most likely points to, from its host and path alone."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "other"
    host = parts.netloc.lower().removeprefix("www.")
    path = [p for p in parts.path.split("/") if p]
    if host in ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org"):
        if len(path) < 2 or path[2:3] in (["issues"], ["pulls"], ["discussions"], ["releases"], ["wiki"]):
            return "project"
        last = path[-1].upper()
        if path[2:3] in (["blob"], ["raw"]) or (len(path) > 4 and "." in last):
            if any(word in last for word in ("LICENSE", "LICENCE", "COPYING", "USE_POLICY", "NOTICE")):
                return "license"
            if last.endswith((".MD", ".PDF", ".TXT", ".HTML", ".RST")):
                return "project"
        return "code"
    if host.endswith("huggingface.co") or host == "hf.co":
        if path[:1] == ["datasets"]:
            return "dataset"
        if path[:1] == ["spaces"]:
            return "project"
        if path[:1] == ["papers"]:
            return "paper"
        if "LICENSE" in "/".join(path).upper() or "USE_POLICY" in "/".join(path).upper():
            return "license"
        if len(path) >= 2 and path[0] not in ("docs", "blog", "learn", "collections", "organizations"):
            return "model"
        return "other"
    if host in ("arxiv.org", "export.arxiv.org", "aclanthology.org", "openreview.net", "doi.org", "dx.doi.org",
                "dl.acm.org", "proceedings.neurips.cc", "papers.nips.cc", "jmlr.org",
                "proceedings.mlr.press", "semanticscholar.org", "ieeexplore.ieee.org", "link.springer.com"):
        return "paper"
    if host == "ai.meta.com" and parts.path.startswith("/research/publications"):
        return "paper"
    if url.lower().endswith(".pdf"):
        return "paper"
    lowered = url.lower()
    if any(marker in lowered for marker in ("creativecommons.org/licenses", "creativecommons.org/publicdomain",
                                             "opensource.org/licenses", "apache.org/licenses",
                                             "spdx.org/licenses", "/license", "use-policy",
                                             "/terms", "gnu.org/licenses")):
        return "license"
    if host in ("kaggle.com",) and path[:1] == ["datasets"]:
        return "dataset"
    return "project" if path else "other"


@dataclass(frozen=True)
class BodyLine:
    """A line of the card body outside code blocks, with the heading it sits under."""

    heading: str
    offset: int
    text: str
    is_heading: bool


def body_lines(body: str) -> list[BodyLine]:
    """The body's lines outside fenced code, each with its heading (0-based offsets)."""
    result = []
    heading = ""
    in_code = False
    for offset, line in enumerate(body.splitlines()):
        if line.strip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code:
            continue
        found = _HEADING.match(line)
        if found:
            heading = _clean(found.group("title"))
            result.append(BodyLine(heading, offset, line, True))
            continue
        result.append(BodyLine(heading, offset, line, False))
    return result


def extract_links(body: str, first_line: int, path: str = "README.md") -> list[CardLink]:
    """Every link in a Markdown body, with heading, sentence and line (1-based, in the file)."""
    definitions: dict[str, str] = {}
    for line in body.splitlines():
        found = _REFERENCE_DEF.match(line)
        if found:
            definitions[found.group("ref").strip().lower()] = found.group("url")

    links: list[CardLink] = []
    seen: set[tuple[str, int]] = set()
    heading = ""
    paragraph_lines: list[tuple[int, str]] = []
    table_header: list[str] = []

    def column_of(paragraph: str, start: int) -> str:
        if not paragraph.lstrip().startswith("|") or not table_header:
            return ""
        index = paragraph[:start].count("|") - 1
        return table_header[index] if 0 <= index < len(table_header) else ""

    def flush() -> None:
        if not paragraph_lines:
            return
        paragraph = "\n".join(text for _n, text in paragraph_lines)
        offsets = []
        position = 0
        for number, text in paragraph_lines:
            offsets.append((position, number))
            position += len(text) + 1

        def line_of(index: int) -> int:
            current = paragraph_lines[0][0]
            for start, number in offsets:
                if start <= index:
                    current = number
            return current

        spans: list[tuple[int, int, str, str]] = []
        for match in _INLINE.finditer(paragraph):
            spans.append((match.start(), match.end(), match.group("url"), match.group("text")))
        for match in _REFERENCE_USE.finditer(paragraph):
            ref = (match.group("ref") or match.group("text")).strip().lower()
            if ref in definitions:
                spans.append((match.start(), match.end(), definitions[ref], match.group("text")))
        for match in _AUTOLINK.finditer(paragraph):
            spans.append((match.start(), match.end(), match.group("url"), ""))
        for match in _HTML.finditer(paragraph):
            spans.append((match.start(), match.end(), match.group("url"), _clean(match.group("text"))))
        covered = [(s, e) for s, e, _u, _t in spans]
        for match in _BARE.finditer(paragraph):
            if any(s <= match.start() < e for s, e in covered):
                continue
            spans.append((match.start(), match.end(), match.group(0).rstrip(".,;:!"), ""))
        for start, end, url, text in sorted(spans):
            if not url.lower().startswith(("http://", "https://")):
                continue
            line = first_line + line_of(start)
            if (url, line) in seen:
                continue
            seen.add((url, line))
            links.append(
                CardLink(
                    url=url,
                    text=_clean(text),
                    heading=heading,
                    sentence=_sentence_around(paragraph, start, end),
                    kind=classify_url(url),
                    provenance=Provenance(path=path, line=line),
                    column=column_of(paragraph, start),
                )
            )
        paragraph_lines.clear()

    previous = -1
    previous_was_table = False
    for body_line in body_lines(body):
        number, line, stripped = body_line.offset, body_line.text, body_line.text.strip()
        was_table, previous_was_table = previous_was_table, stripped.startswith("|")
        if number != previous + 1:
            flush()  # a fenced code block ended the paragraph
        previous = number
        if body_line.is_heading:
            flush()
            heading = body_line.heading
            continue
        if not stripped or _REFERENCE_DEF.match(line):
            flush()
            continue
        if stripped.startswith("|"):
            cells = [_clean(cell) for cell in stripped.strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", cell.replace(" ", "")) for cell in cells if cell):
                continue  # the separator row under a header
            if not was_table:
                table_header[:] = cells
        # Table rows and list items are paragraphs of their own.
        if stripped.startswith("|") or re.match(r"^([-*+]|\d+[.)])\s", stripped):
            flush()
            paragraph_lines.append((number, line))
            flush()
            continue
        paragraph_lines.append((number, line))
    flush()
    return links
