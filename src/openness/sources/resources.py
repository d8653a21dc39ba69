"""The resources a release links to, named by stable keys (no network here).

``github:owner/repo``, ``dataset:org/name`` and ``arxiv:2401.00001`` name a code repository,
a Hub dataset and a paper; the components stage matches card links to fetched resources
through these keys, and snapshots store resources by them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from openness.evidence import LinkedResource, ReleaseEvidence

MAX_PER_KIND = 10
"""At most this many repositories, datasets and papers are fetched per release."""
ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.IGNORECASE)
_HUB_DATASET_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}(/[A-Za-z0-9][\w.-]{0,95})?$")

def resource_key(url: str) -> str | None:
    """The key of the resource a URL names (``github:o/r``, ``dataset:o/n``, ``arxiv:id``), if any."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    path = [p for p in parts.path.split("/") if p]
    if host == "github.com" and len(path) >= 2:
        return f"github:{path[0]}/{path[1].removesuffix('.git')}".casefold()
    if host in ("huggingface.co", "hf.co") and path[:1] == ["datasets"] and len(path) >= 2:
        dataset = "/".join(path[1:3]) if len(path) >= 3 and path[2] not in ("tree", "blob", "resolve") else path[1]
        return f"dataset:{dataset}" if _HUB_DATASET_ID.match(dataset) else None
    if host in ("arxiv.org", "export.arxiv.org") and path[:1] in (["abs"], ["pdf"], ["html"]) and len(path) >= 2:
        found = ARXIV_ID.fullmatch("/".join(path[1:]).removesuffix(".pdf"))
        return f"arxiv:{found.group(1)}" if found else None
    if host in ("huggingface.co", "hf.co") and path[:1] == ["papers"] and len(path) >= 2:
        found = ARXIV_ID.fullmatch(path[1])
        return f"arxiv:{found.group(1)}" if found else None
    return None


def linked_keys(evidence: ReleaseEvidence) -> list[tuple[str, str]]:
    """The resources of a release worth fetching, as (key, url): card links, ``datasets``, ``arxiv:`` tags."""
    keys: dict[str, str] = {}
    for link in evidence.links:
        if link.kind in ("code", "dataset", "paper"):
            key = resource_key(link.url)
            if key:
                keys.setdefault(key, link.url)
    for dataset in evidence.datasets:
        if _HUB_DATASET_ID.match(dataset.id):
            keys.setdefault(f"dataset:{dataset.id}", f"https://huggingface.co/datasets/{dataset.id}")
    tags = evidence.card.metadata.get("tags") if evidence.card else None
    for tag in tags[:200] if isinstance(tags, list) else []:
        if isinstance(tag, str) and tag.lower().startswith("arxiv:") and ARXIV_ID.fullmatch(tag[6:].strip()):
            paper = ARXIV_ID.fullmatch(tag[6:].strip())
            assert paper is not None
            keys.setdefault(f"arxiv:{paper.group(1)}", f"https://arxiv.org/abs/{paper.group(1)}")
    chosen: list[tuple[str, str]] = []
    per_kind: dict[str, int] = {}
    for key, url in keys.items():
        kind = key.split(":", 1)[0]
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if per_kind[kind] <= MAX_PER_KIND:
            chosen.append((key, url))
    return chosen


def resource_from_dict(data: dict[str, object]) -> LinkedResource:
    """A resource as stored in a snapshot (JSON lists back to tuples)."""
    fields = dict(data)
    for name in ("purposes", "describes", "facts"):
        value = fields.get(name)
        fields[name] = tuple(str(v) for v in value) if isinstance(value, list) else ()
    return LinkedResource(**fields)  # type: ignore[arg-type]
