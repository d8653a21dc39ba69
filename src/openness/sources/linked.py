"""Resources a model card links to, fetched from their services: the evidence a folder cannot give.

* GitHub repositories (REST API): the license GitHub detects, and which kinds of code the
  repository's files show (training, inference, data processing, evaluation).
* Hub datasets: the dataset card's license and whether it describes the data's provenance,
  collection and processing.
* arXiv papers: whether the paper exists (the arXiv API states no license).

A resource that answered is ``verified``; one that could not be reached stays ``declared``
(``found`` None); one the service says does not exist is a dead link (``found`` False).
Nothing fetched is executed; only listings and texts are read.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from openness.evidence import LinkedResource, ResourceKind
from openness.sources.card import body_lines, read_card
from openness.sources.files import decode_text
from openness.sources.http import HttpClient
from openness.sources.hub_client import HubClient, HubGated, HubNotFound
from openness.sources.interface import SourceError

GITHUB_API = "https://api.github.com"
ARXIV_API = "https://export.arxiv.org/api/query"
WORKERS = 4
"""Resources fetched at once."""
DATASET_CARD_LIMIT = 1024 * 1024

_CODE_PURPOSES: dict[str, re.Pattern[str]] = {
    "training-code": re.compile(
        r"(^|/)((pre)?train(ing|er)?|finetun(e|ing)|fine_tun(e|ing)|sft|dpo|rlhf)[\w-]*\.(py|sh)$", re.I),
    "inference-code": re.compile(
        r"(^|/)(inference|infer|generate|generation|serve|server|predict|sample|chat|modeling_\w+)[\w-]*\.py$", re.I),
    "data-preprocessing-code": re.compile(
        r"(^|/)(preprocess\w*|prepare_?\w*|tokeni[sz]e\w*|dedup\w*|filter\w*|clean\w*|data_?prep\w*)\.(py|sh)$"
        r"|(^|/)(data_?processing|preprocessing|dedup\w*)/[^/]+\.py$", re.I),
    "evaluation-code": re.compile(r"(^|/)(eval\w*|benchmark\w*)(\.(py|sh)|/[^/]+\.py)$", re.I),
}
_DATASET_ASPECTS: dict[str, re.Pattern[str]] = {
    "provenance": re.compile(r"\b(source data|provenance|origin(s|al)? of the data|data sources?|"
                             r"who are the source|sourced from)\b", re.I),
    "collection": re.compile(r"\b(data collection|collected|collection process|crawl(ed|ing)?|scrap(ed|ing)|"
                             r"gathered|curation rationale)\b", re.I),
    "processing": re.compile(r"\b(processing|pre-?processing|filter(ed|ing)|dedup(licat(ed|ion))?|cleaning|"
                             r"annotation process|normali[sz]ation)\b", re.I),
}


def github_api() -> str:
    """``$OPENNESS_GITHUB_API`` (a GitHub Enterprise or a test server), else GitHub's own."""
    return (os.environ.get("OPENNESS_GITHUB_API") or GITHUB_API).rstrip("/")


def arxiv_api() -> str:
    """``$OPENNESS_ARXIV_API``, else arXiv's export API."""
    return os.environ.get("OPENNESS_ARXIV_API") or ARXIV_API


class LinkFetcher:
    """Fetches linked resources, a few at a time, giving up on a service after it failed once.

    One fetcher serves a release and its base models, so an unreachable service costs one
    timeout per audit, not one per repository.
    """

    def __init__(self, hub: HubClient, web: HttpClient | None = None) -> None:
        self.hub = hub
        self.web = web or _WebClient()
        self._down: set[str] = set()
        self._lock = threading.Lock()

    def fetch(self, keys: Iterable[tuple[str, str]]) -> list[LinkedResource]:
        """One :class:`LinkedResource` per key, in the order given."""
        keys = list(keys)
        papers = [(k, u) for k, u in keys if k.startswith("arxiv:")]
        others = [(k, u) for k, u in keys if not k.startswith("arxiv:")]
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            paper_results = pool.submit(self._papers, papers)  # one request for all papers, meanwhile
            results = dict(zip([k for k, _ in others], pool.map(lambda item: self._one(*item), others), strict=True))
            results.update({r.key: r for r in paper_results.result()})
        return [results[k] for k, _ in keys]

    def _one(self, key: str, url: str) -> LinkedResource:
        kind, _, name = key.partition(":")
        host = "github" if kind == "github" else "hub"
        resource_kind: ResourceKind = "code-repository" if kind == "github" else "dataset"
        if host in self._down:
            return _unreached(key, url, resource_kind, "not fetched: the service did not answer earlier in this audit")
        try:
            return self._github(key, url, name) if kind == "github" else self._dataset(key, url, name)
        except SourceError as error:
            with self._lock:
                self._down.add(host)
            return _unreached(key, url, resource_kind, str(error))

    def _github(self, key: str, url: str, repo: str) -> LinkedResource:
        api = github_api()
        status, data = self.web.get_json(f"{api}/repos/{repo}", what=f"github.com/{repo}")
        if status == 404:
            return LinkedResource(key, "code-repository", url, False, problem=f"github.com/{repo}: no such repository")
        if status != 200 or not isinstance(data, dict):
            raise SourceError(f"github.com/{repo}: GitHub answered HTTP {status}")
        license_data = data.get("license") if isinstance(data.get("license"), dict) else {}
        spdx = license_data.get("spdx_id") if license_data else None
        license_id = spdx if isinstance(spdx, str) and spdx not in ("NOASSERTION", "") else None
        facts = [f"github.com/{repo}: repository read through GitHub's API; license "
                 f"{license_id or (license_data or {}).get('name') or 'not detected'}"]
        default_branch = data.get("default_branch")
        branch = default_branch if isinstance(default_branch, str) and default_branch else "HEAD"
        status, tree = self.web.get_json(f"{api}/repos/{repo}/git/trees/{quote(branch, safe='')}",
                                         what=f"github.com/{repo} (files)", params={"recursive": "1"})
        purposes: dict[str, str] = {}
        if status == 200 and isinstance(tree, dict) and isinstance(tree.get("tree"), list):
            for entry in tree["tree"][:200_000]:
                path = entry.get("path") if isinstance(entry, dict) else None
                if not isinstance(path, str) or entry.get("type") != "blob":
                    continue
                for slug, pattern in _CODE_PURPOSES.items():
                    if slug not in purposes and pattern.search(path):
                        purposes[slug] = path
            for slug, path in purposes.items():
                facts.append(f"github.com/{repo}: {path} ({slug.replace('-', ' ')})")
            if tree.get("truncated"):
                facts.append(f"github.com/{repo}: the file list GitHub returned is truncated")
        return LinkedResource(key, "code-repository", url, True, license_id, tuple(sorted(purposes)),
                              facts=tuple(facts), revision=branch)

    def _dataset(self, key: str, url: str, repo_id: str) -> LinkedResource:
        try:
            info = self.hub.repo_info("dataset", repo_id, None)
        except HubNotFound:
            return LinkedResource(key, "dataset", url, False, problem=f"dataset {repo_id}: not on the Hub")
        except HubGated:
            return _unreached(key, url, "dataset", f"dataset {repo_id}: gated")
        sha = info.get("sha") if isinstance(info.get("sha"), str) else None
        card_data = info.get("cardData") if isinstance(info.get("cardData"), dict) else {}
        license_value = card_data.get("license") if card_data else None
        if isinstance(license_value, list):
            license_value = license_value[0] if license_value else None
        text = ""
        listed = info.get("siblings")
        siblings = listed if isinstance(listed, list) else []
        if any(isinstance(s, dict) and s.get("rfilename") == "README.md" for s in siblings) and sha:
            try:
                body, _longer = self.hub.download_prefix(
                    self.hub.file_url("dataset", repo_id, sha, "README.md"), DATASET_CARD_LIMIT,
                    f"dataset {repo_id} README.md")
                text = decode_text(body).text or ""
            except (HubNotFound, HubGated):
                text = ""
        card = read_card("README.md", text) if text else None
        if card and license_value is None:
            license_value = card.metadata.get("license")
        describes = _dataset_aspects(card.body if card else "")
        words = len(card.body.split()) if card else 0
        described = ", ".join(describes) or "none of provenance, collection, processing"
        facts = [f"huggingface.co/datasets/{repo_id}: dataset card read ({words} words); license "
                 f"{license_value or 'not stated'}; describes {described}"]
        return LinkedResource(key, "dataset", url, True, str(license_value) if license_value else None,
                              describes=describes, facts=tuple(facts), revision=sha)

    def _papers(self, papers: list[tuple[str, str]]) -> list[LinkedResource]:
        if not papers:
            return []
        if "arxiv" in self._down:
            return [_unreached(k, u, "paper", "not fetched: arXiv did not answer earlier in this audit")
                    for k, u in papers]
        ids = [k.split(":", 1)[1] for k, _ in papers]
        try:
            response = self.web.request("GET", arxiv_api(), what="arXiv",
                                         params={"id_list": ",".join(ids), "max_results": str(len(ids))})
            status, text = response.status_code, response.text
        except SourceError as error:
            with self._lock:
                self._down.add("arxiv")
            return [_unreached(k, u, "paper", str(error)) for k, u in papers]
        if status != 200:
            return [_unreached(k, u, "paper", f"arXiv answered HTTP {status}") for k, u in papers]
        results = []
        for key, url in papers:
            paper = key.split(":", 1)[1]
            entry = re.search(r"<entry>(?:(?!</entry>).)*?<id>\s*https?://arxiv\.org/abs/" + re.escape(paper)
                              + r"(?:v\d+)?\s*</id>(?:(?!</entry>).)*?</entry>", text, re.S)
            if entry is None:
                results.append(LinkedResource(key, "paper", url, False, problem=f"arXiv:{paper}: not found"))
                continue
            title = re.search(r"<title>(.*?)</title>", entry.group(0), re.S)
            name = " ".join(title.group(1).split())[:200] if title else "?"
            results.append(LinkedResource(key, "paper", url, True,
                                          facts=(f"arXiv:{paper}: \"{name}\" (arXiv API)",)))
        return results


class _WebClient(HttpClient):
    """Plain HTTP for GitHub and arXiv: GitHub's token when set, one retry, short timeouts."""

    def __init__(self) -> None:
        super().__init__(timeout=6.0, connect_timeout=3.0, retries=1, max_wait=10.0)

    def headers(self, url: str) -> dict[str, str]:
        headers = super().headers(url)
        token = os.environ.get("GITHUB_TOKEN")
        if token and url.startswith(github_api() + "/"):
            headers["Authorization"] = f"Bearer {token}"
        if url.startswith(github_api() + "/"):
            headers["Accept"] = "application/vnd.github+json"
        return headers


def _dataset_aspects(body: str) -> tuple[str, ...]:
    """Which of provenance, collection and processing a dataset card's text describes."""
    found = []
    lines = list(body_lines(body))
    for aspect, pattern in _DATASET_ASPECTS.items():
        words = sum(len(line.text.split()) for line in lines
                    if not line.is_heading and (pattern.search(line.heading) or pattern.search(line.text)))
        if words >= 15:
            found.append(aspect)
    return tuple(found)


def _unreached(key: str, url: str, kind: ResourceKind, problem: str) -> LinkedResource:
    return LinkedResource(key, kind, url, None, problem=problem)
