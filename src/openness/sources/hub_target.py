"""Hub repository ids as users type them: ``org/name``, ``org/name@revision`` or a Hub URL.

Kept apart from the Hub client so that choosing a source does not import an HTTP stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openness.sources.interface import TargetError

_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
_REVISION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")
_HUB_URL = re.compile(
    r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/(?P<repo>[^/@\s]+/[^/@\s]+)(?:/tree/(?P<rev>[^\s]+?))?/?$"
)


@dataclass(frozen=True)
class HubTarget:
    """A Hub repository and the revision asked for (``None``: the default branch)."""

    repo_id: str
    revision: str | None = None

    def __str__(self) -> str:
        return f"{self.repo_id}@{self.revision}" if self.revision else self.repo_id


def looks_like_hub_id(target: str) -> bool:
    """True when ``target`` is shaped like ``org/name[@revision]`` or a Hub URL (not checked further)."""
    return bool(_HUB_URL.match(target)) or (
        target.count("/") >= 1 and not target.startswith((".", "/", "~")) and " " not in target
        and target.split("@", 1)[0].count("/") == 1
    )


def parse_hub_target(target: str) -> HubTarget:
    """``org/name``, ``org/name@revision`` or ``https://huggingface.co/org/name[/tree/rev]``.

    Raises :class:`TargetError` (exit 2) with the rule the id breaks.
    """
    url = _HUB_URL.match(target)
    if url:
        repo_id, revision = url.group("repo"), url.group("rev")
    else:
        repo_id, _, revision_text = target.partition("@")
        revision = revision_text if "@" in target else None
    if not _REPO_ID.match(repo_id) or "--" in repo_id or ".." in repo_id or repo_id.endswith((".git", ".")):
        raise TargetError(
            f"{target}: not a Hub repository id (expected org/name[@revision]: letters, digits, '-', '_' "
            "and '.', at most 96 characters each, no '--' or '..')"
        )
    if revision is not None and (not _REVISION.match(revision) or ".." in revision):
        raise TargetError(f"{target}: not a valid revision after '@' (a branch, tag or commit SHA)")
    return HubTarget(repo_id, revision)
