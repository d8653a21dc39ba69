"""Bounded, never-raising reads of text files from a release.

Release folders are untrusted input: files may be binary, huge, in a legacy encoding,
or symlinks that loop. Every reader here returns a value or a one-line problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MAX_TEXT_BYTES = 10 * 1024 * 1024
"""Largest text file read (cards, licenses, configs); larger ones are reported, not read."""


@dataclass(frozen=True)
class TextRead:
    """The result of reading a text file: text, or a problem, or text plus a caveat."""

    text: str | None
    problem: str | None = None


def read_text(path: Path, max_bytes: int = MAX_TEXT_BYTES) -> TextRead:
    """Read ``path`` as text, refusing binaries and files larger than ``max_bytes``."""
    try:
        if not path.is_file():
            return TextRead(None, "not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            return TextRead(None, f"too large to read as text ({size} bytes, limit {max_bytes})")
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        return TextRead(None, f"cannot read: {error.strerror or error}")
    return decode_text(raw)


def decode_text(raw: bytes) -> TextRead:
    """Decode bytes as UTF-8 (or UTF-16 with a BOM); say so when a fallback was needed."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return TextRead(raw.decode("utf-16"), None)
        except UnicodeDecodeError:
            return TextRead(None, "invalid UTF-16 text")
    if b"\x00" in raw[:8192]:
        return TextRead(None, "binary file, not text")
    try:
        return TextRead(raw.decode("utf-8-sig"), None)
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    if text and printable / len(text) < 0.95:
        return TextRead(None, "binary file, not text")
    return TextRead(text, "not valid UTF-8; read as Windows-1252")


def list_files(root: Path, max_files: int = 100_000) -> tuple[list[str], list[str]]:
    """List regular files under ``root`` as POSIX relative paths, and problems met on the way.

    Directory symlinks are not followed (a loop cannot trap the walk); file symlinks are
    kept, as Hugging Face cache snapshots are made of them. Hidden directories (``.git``,
    ``.cache``) are skipped.
    """
    files: list[str] = []
    problems: list[str] = []

    def on_error(error: OSError) -> None:
        problems.append(f"cannot list {error.filename}: {error.strerror or error}")

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            if (here / name).is_symlink():
                problems.append(f"{(here / name).relative_to(root).as_posix()}: directory symlink not followed")
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith(".") and name not in (".gitattributes",):
                continue
            if len(files) >= max_files:
                problems.append(f"more than {max_files} files; the rest were not listed")
                return sorted(files), problems
            files.append((here / name).relative_to(root).as_posix())
    return sorted(files), problems
