"""A corpus of license-text variants, built at test time from a base text by operations.

The manifest (``tests/fixtures/license_variants/manifest.yaml``) lists each variant: a base
text (a ScanCode reference text from ../shared/data/licenses/texts, header stripped), or a file
of our own in the fixture folder, or neither (an empty start), and the operations that turn it
into the variant. No third-party license text is stored here: shared texts are read where they
are and changed in memory.

Operations, applied in order (each is a one-key mapping). A white-space run in a searched
string matches any white-space run of the text, so anchors may span the base text's line breaks.

- ``append: TEXT`` / ``prepend: TEXT``
- ``replace: {old: A, new: B}`` replaces every occurrence (case-sensitive); A must occur.
- ``delete_sentence_containing: A`` removes the sentence holding the first occurrence of A:
  from the end of the previous sentence (``.`` or ``;`` followed by white space, or a blank
  line) to the next ``.`` or ``;`` (included) or blank line.
- ``insert_after: {anchor: A, text: T}`` inserts T right after the first occurrence of A.
- ``delete_from: {anchor: A, last: bool}`` cuts the text from the (first or last) occurrence
  of A to the end.
- ``line_endings: crlf | mixed`` rewrites every line ending as CRLF, or every other one.
- ``wrap: N`` re-wraps every line at N columns (each line on its own; blank lines stay).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "license_variants"
MANIFEST = FOLDER / "manifest.yaml"


class VariantError(ValueError):
    """The manifest asks for something the base text cannot give (an authoring error)."""


def load_manifest() -> list[dict[str, Any]]:
    """The variant entries, in manifest order; names are unique."""
    entries = yaml.safe_load(MANIFEST.read_text("utf-8"))
    if not isinstance(entries, list):
        raise VariantError("the manifest must be a list of entries")
    names = [entry["name"] for entry in entries]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise VariantError(f"duplicate variant names: {sorted(duplicates)}")
    return entries


def strip_header(raw: str) -> str:
    """The body of a ScanCode reference text (YAML metadata between ``---`` lines removed)."""
    if raw.startswith("---"):
        raw = raw.split("---", 2)[2]
    return raw.lstrip("\n")


def base_text(entry: dict[str, Any], shared_texts_dir: Path) -> str | None:
    """The text the operations start from, or None when the shared base text is missing."""
    base, own = entry.get("base"), entry.get("file")
    if base and own:
        raise VariantError(f"{entry['name']}: give a base or a file, not both")
    if base:
        path = shared_texts_dir / f"{base}.LICENSE"
        if not path.is_file():
            return None
        return strip_header(path.read_text("utf-8"))
    if own:
        return (FOLDER / own).read_text("utf-8")
    return ""


def materialize(entry: dict[str, Any], shared_texts_dir: Path) -> str | None:
    """Build the variant's text; None when its base text is not available (the caller skips)."""
    text = base_text(entry, shared_texts_dir)
    if text is None:
        return None
    for operation in entry.get("operations") or ():
        if not isinstance(operation, dict) or len(operation) != 1:
            raise VariantError(f"{entry['name']}: each operation is a one-key mapping, got {operation!r}")
        [(name, argument)] = operation.items()
        handler = _OPERATIONS.get(name)
        if handler is None:
            raise VariantError(f"{entry['name']}: unknown operation {name!r}")
        text = handler(text, argument, entry["name"])
    return text


def _pattern(needle: str) -> re.Pattern[str]:
    """A literal search for ``needle`` in which each white-space run matches any white space."""
    return re.compile(r"\s+".join(re.escape(part) for part in needle.split()))


def _find_all(text: str, needle: str, name: str) -> list[re.Match[str]]:
    found = list(_pattern(needle).finditer(text))
    if not found:
        raise VariantError(f"{name}: {needle!r} does not occur in the base text")
    return found


def _append(text: str, argument: str, name: str) -> str:
    return text + argument


def _prepend(text: str, argument: str, name: str) -> str:
    return argument + text


def _replace(text: str, argument: dict[str, str], name: str) -> str:
    _find_all(text, argument["old"], name)
    new = argument["new"]
    return _pattern(argument["old"]).sub(lambda _match: new, text)


_SENTENCE_START = re.compile(r"[.;](?=\s)|\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.;](?=\s|$)|\n[ \t]*\n")


def _delete_sentence_containing(text: str, argument: str, name: str) -> str:
    found = _find_all(text, argument, name)[0]
    start = 0
    for match in _SENTENCE_START.finditer(text, 0, found.start()):
        start = match.end()
    end_match = _SENTENCE_END.search(text, found.end())
    if end_match is None:
        end = len(text)
    elif end_match.group().startswith("\n"):
        end = end_match.start()  # keep the blank line that ends the paragraph
    else:
        end = end_match.end()
    return text[:start] + text[end:]


def _insert_after(text: str, argument: dict[str, str], name: str) -> str:
    index = _find_all(text, argument["anchor"], name)[0].end()
    return text[:index] + argument["text"] + text[index:]


def _delete_from(text: str, argument: dict[str, Any], name: str) -> str:
    found = _find_all(text, argument["anchor"], name)
    return text[: (found[-1] if argument.get("last") else found[0]).start()]


def _line_endings(text: str, argument: str, name: str) -> str:
    lines = text.replace("\r\n", "\n").split("\n")
    if argument == "crlf":
        return "\r\n".join(lines)
    if argument == "mixed":
        out = []
        for number, line in enumerate(lines[:-1]):
            out.append(line + ("\r\n" if number % 2 == 0 else "\n"))
        return "".join(out) + lines[-1]
    raise VariantError(f"{name}: line_endings must be crlf or mixed, got {argument!r}")


def _wrap(text: str, argument: int, name: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            out.append(line)
            continue
        out.extend(textwrap.wrap(line, width=int(argument), break_long_words=False, break_on_hyphens=False))
    return "\n".join(out)


_OPERATIONS = {
    "append": _append,
    "prepend": _prepend,
    "replace": _replace,
    "delete_sentence_containing": _delete_sentence_containing,
    "insert_after": _insert_after,
    "delete_from": _delete_from,
    "line_endings": _line_endings,
    "wrap": _wrap,
}
