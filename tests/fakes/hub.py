"""A fake Hugging Face Hub on 127.0.0.1 that the real `huggingface_hub` client talks to.

Usage::

    from tests.fakes.hub import FakeHub
    from tests.fakes.content import virtual_safetensors, llm_tensors

    with FakeHub(token="hf_secret") as hub:
        hub.add_model("org/name", folder, revisions={"v1.0": other_folder}, tags={"v1.0"})
        hub.add_model("org/big", files={"README.md": "---\\nlicense: mit\\n---\\n",
                                        "model.safetensors": virtual_safetensors(llm_tensors(400 * 10**9))})
        hub.add_model("org/gated", folder, gated="manual")      # files need Authorization: Bearer hf_secret
        hub.add_dataset("org/data", data_folder)
        hub.publish_folders(RELEASES)                            # every folder as fixtures/<folder-name>
        api = HfApi(endpoint=hub.endpoint, token=False)
        api.model_info("org/name", revision="v1.0").sha == hub.repo("org/name").sha("v1.0")
        hub.requests, hub.bytes_sent, hub.log, hub.reset()       # instrumentation (see server.py)
        hub.inject(r"/resolve/", Fault(status=500), times=2)    # faults (see server.py)

For a subprocess, set `HF_ENDPOINT=hub.endpoint` (the `fake_hub` pytest fixture does, with an
isolated `HF_HOME`). Endpoints served, with the JSON shapes and error signals of the real Hub
(checked against huggingface_hub's own parsing in tests/fakes/test_fake_hub.py):

- `GET /api/{models,datasets}/{repo}[/revision/{rev}]` — info; `blobs=true` adds size, blobId and
  lfs to siblings; `expand=…` returns only `_id`, `id` and the expanded keys;
- `GET /api/{models,datasets}/{repo}/tree/{rev}[/{path}]` — `recursive`, `expand`, `cursor`
  pagination through a `Link: <…>; rel="next"` header (page size `tree_page_size`);
- `GET /api/{models,datasets}/{repo}/refs` — branches and tags;
- `HEAD`/`GET /[datasets/]{repo}/resolve/{rev}/{path}` — `X-Repo-Commit`, `ETag`, for LFS files
  `X-Linked-Etag` and `X-Linked-Size`, `Accept-Ranges`, single `Range` requests (206/416); never
  an `X-Xet-*` header, so the client downloads over plain HTTP.

Errors carry `X-Error-Code` and `X-Error-Message` as the Hub's do: `RepoNotFound` (401 without a
token, 404 with one; also for private repos unless the token is the hub's), `RevisionNotFound`
(404), `EntryNotFound` (404, with `X-Repo-Commit`), `GatedRepo` (401 without a token, 403 with
another token; metadata and tree of gated repos stay public, files do not).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from tests.fakes.hub_repo import Content, HubFile, HubRepo, Snapshot, commit_sha, read_content
from tests.fakes.server import FakeServer, Reply, Request, json_reply

_KINDS = {"models": "model", "datasets": "dataset"}
_API_WORDS = {"revision", "tree", "refs"}
_TEXT_SUFFIXES = (".md", ".txt", ".json", ".yaml", ".yml", ".py", ".cff")
MODEL_INFO_KEYS = frozenset({
    "_id", "id", "modelId", "author", "sha", "lastModified", "createdAt", "private", "gated", "disabled",
    "downloads", "likes", "library_name", "tags", "pipeline_tag", "cardData", "siblings", "spaces",
    "safetensors", "config", "usedStorage", "baseModels", "gguf", "model-index", "transformersInfo",
    "widgetData", "inference", "downloadsAllTime", "trendingScore", "childrenModelCount", "resourceGroup",
    "evalResults", "mask_token", "inferenceProviderMapping"})
"""Keys `expand=` may ask of a model (huggingface_hub's `ExpandModelProperty_T`, plus `_id`/`id`)."""


class FakeHub(FakeServer):
    """A local Hugging Face Hub: models and datasets from folders, served to the real client."""

    def __init__(self, *, token: str = "hf_fake_access_token", tree_page_size: int = 1000) -> None:
        super().__init__()
        self.token = token
        self.tree_page_size = tree_page_size
        self._repos: dict[tuple[str, str], HubRepo] = {}

    # -- populating ---------------------------------------------------------------------------

    def add_model(self, repo_id: str, folder: Path | None = None, **options: Any) -> HubRepo:
        """Publish a model; see `add_repo` for the options."""
        return self.add_repo(repo_id, folder, kind="model", **options)

    def add_dataset(self, repo_id: str, folder: Path | None = None, **options: Any) -> HubRepo:
        """Publish a dataset; see `add_repo` for the options."""
        return self.add_repo(repo_id, folder, kind="dataset", **options)

    def add_repo(self, repo_id: str, folder: Path | None = None, *, kind: str = "model",
                 files: Mapping[str, Any] | None = None, revisions: Mapping[str, Content] | None = None,
                 tags: Iterable[str] = (), gated: bool | str = False, private: bool = False,
                 card_data: dict[str, Any] | None = None, **fields: Any) -> HubRepo:
        """Publish a repository (replacing one of the same id and kind).

        `main` is `folder` plus `files` (path -> bytes, text or Body; files win); `revisions` maps
        more branch or tag names (or `main`) to a folder or such a mapping; names in `tags` are
        listed as tags by `/refs`. `gated` is False, "auto" or "manual"; `card_data` overrides the
        README front matter; other keyword fields (`last_modified`, `extra_info`) go to `HubRepo`.
        """
        stored: dict[str, dict[str, HubFile]] = {}
        if folder is not None or files is not None:
            stored["main"] = read_content(folder) if folder is not None else {}
            stored["main"].update(read_content(files or {}))
        stored.update({name: read_content(content) for name, content in (revisions or {}).items()})
        if "main" not in stored:
            raise ValueError(f"{repo_id}: a repository needs a main revision (folder, files or revisions['main'])")
        snapshots = {name: Snapshot(commit_sha(repo_id, found), found) for name, found in stored.items()}
        repo = HubRepo(repo_id, kind, snapshots, frozenset(tags), gated, private, card_data, **fields)
        self._repos[(kind, repo_id)] = repo
        return repo

    def publish_folders(self, root: Path, *, prefix: str = "fixtures", kind: str = "model") -> list[str]:
        """Publish every folder under `root` as `{prefix}/{folder-name}`; the repo ids, sorted."""
        ids = []
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            self.add_repo(f"{prefix}/{folder.name}", folder, kind=kind)
            ids.append(f"{prefix}/{folder.name}")
        return ids

    def repo(self, repo_id: str, kind: str = "model") -> HubRepo:
        """A published repository."""
        return self._repos[(kind, repo_id)]

    # -- routing ------------------------------------------------------------------------------

    def route(self, request: Request) -> Reply:
        """Dispatch an API or resolve request."""
        segments = request.segments
        if len(segments) >= 3 and segments[0] == "api" and segments[1] in _KINDS:
            return self._api(request, _KINDS[segments[1]], segments[2:])
        kind = "model"
        if segments[:1] == ["datasets"]:
            kind, segments = "dataset", segments[1:]
        if "resolve" in segments[1:3] and request.method in {"GET", "HEAD"}:
            at = segments.index("resolve", 1)
            rest = segments[at + 1 :]
            if len(rest) >= 2:
                return self._resolve(request, kind, "/".join(segments[:at]), rest[0], "/".join(rest[1:]))
        return self.error_reply(404, "Sorry, we can't find the page you are looking for.")

    def _split_repo(self, kind: str, segments: list[str]) -> tuple[str, list[str]]:
        """(repo id, what follows it) for `org/name/...` or a one-part id like `gpt2/...`."""
        candidates = [("/".join(segments[:n]), segments[n:]) for n in (2, 1)
                      if len(segments) >= n and (len(segments) == n or segments[n] in _API_WORDS)]
        for repo_id, rest in candidates:
            if (kind, repo_id) in self._repos:
                return repo_id, rest
        return candidates[0] if candidates else ("/".join(segments), [])

    def _api(self, request: Request, kind: str, segments: list[str]) -> Reply:
        repo_id, rest = self._split_repo(kind, segments)
        repo = self._repos.get((kind, repo_id))
        denied = self._denied(request, repo, kind, repo_id, files=False)
        if denied is not None or repo is None:
            return denied or self.error_reply(404, "Repository not found")
        if not rest:
            return self._info(request, repo, "main")
        if rest[0] == "revision" and len(rest) >= 2:
            return self._info(request, repo, "/".join(rest[1:]))
        if rest[0] == "tree" and len(rest) >= 2:
            return self._tree(request, repo, rest[1], "/".join(rest[2:]))
        if rest == ["refs"]:
            refs: dict[str, list[dict[str, str]]] = {"branches": [], "tags": [], "converts": []}
            for group, name, sha in repo.refs():
                refs[group].append({"name": name, "ref": f"refs/{'tags' if group == 'tags' else 'heads'}/{name}",
                                    "targetCommit": sha})
            return json_reply(200, {**refs, **({"pullRequests": []} if request.param("include_prs") else {})})
        return self.error_reply(404, "Sorry, we can't find the page you are looking for.")

    # -- access -------------------------------------------------------------------------------

    def hub_error(self, status: int, code: str, message: str, extra: Mapping[str, str] | None = None) -> Reply:
        """An error as the Hub signals it: status, `X-Error-Code`, `X-Error-Message`, `{"error": …}`."""
        return self.error_reply(status, message, {"X-Error-Code": code, "X-Error-Message": message, **(extra or {})})

    def _denied(self, request: Request, repo: HubRepo | None, kind: str, repo_id: str, *, files: bool) -> Reply | None:
        token = request.bearer
        authorised = token is not None and token == self.token
        if repo is None or (repo.private and not authorised):
            return self.hub_error(404 if token else 401, "RepoNotFound", "Repository not found")
        if files and repo.gated and not authorised:
            if token is None:
                return self.hub_error(401, "GatedRepo", f"Access to {kind} {repo_id} is restricted. You must have"
                                      " access to it and be authenticated to access it. Please log in.")
            return self.hub_error(403, "GatedRepo", f"Access to {kind} {repo_id} is restricted and you are not in"
                                  f" the authorized list. Visit {self.endpoint}/{repo_id} to ask for access.")
        return None

    def _snapshot(self, repo: HubRepo, revision: str) -> Snapshot | Reply:
        snapshot = repo.resolve(revision)
        return snapshot if snapshot is not None else self.hub_error(404, "RevisionNotFound",
                                                                    f"Invalid rev id: {revision}")

    # -- endpoints ----------------------------------------------------------------------------

    def _info(self, request: Request, repo: HubRepo, revision: str) -> Reply:
        snapshot = self._snapshot(repo, revision)
        if isinstance(snapshot, Reply):
            return snapshot
        info = repo_info_json(repo, snapshot, blobs=request.flag("blobs"))
        if request.flag("securityStatus"):
            info["securityRepoStatus"] = {"scansDone": True, "filesWithIssues": []}
        expand = request.query.get("expand") or request.query.get("expand[]")
        if expand:
            unknown = sorted(set(expand) - MODEL_INFO_KEYS)
            if unknown:
                return self.error_reply(400, f'"expand" must be one of the allowed values; got {unknown}')
            info = {key: value for key, value in info.items() if key in {"_id", "id", *expand}}
        return json_reply(200, info)

    def _tree(self, request: Request, repo: HubRepo, revision: str, path: str) -> Reply:
        snapshot = self._snapshot(repo, revision)
        if isinstance(snapshot, Reply):
            return snapshot
        path = path.strip("/")
        if path and path not in snapshot.directories:
            return self.hub_error(404, "EntryNotFound", f"{path} does not exist on \"{revision}\"",
                                  {"X-Repo-Commit": snapshot.sha})
        entries = tree_entries(repo, snapshot, path, recursive=request.flag("recursive"),
                               expand=request.flag("expand"))
        start = int(request.param("cursor") or 0)
        page = entries[start : start + self.tree_page_size]
        headers = {}
        if start + self.tree_page_size < len(entries):
            query = {k: v[0] for k, v in request.query.items() if k != "cursor"}
            query["cursor"] = str(start + self.tree_page_size)
            headers["Link"] = f'<{self.endpoint}{request.path}?{urlencode(query)}>; rel="next"'
        return json_reply(200, page, headers)

    def _resolve(self, request: Request, kind: str, repo_id: str, revision: str, path: str) -> Reply:
        repo = self._repos.get((kind, repo_id))
        denied = self._denied(request, repo, kind, repo_id, files=True)
        if denied is not None or repo is None:
            return denied or self.error_reply(404, "Repository not found")
        snapshot = self._snapshot(repo, revision)
        if isinstance(snapshot, Reply):
            return snapshot
        file = snapshot.files.get(path)
        if file is None:
            return self.hub_error(404, "EntryNotFound", "Entry not found", {"X-Repo-Commit": snapshot.sha})
        headers = {"X-Repo-Commit": snapshot.sha, "ETag": f'"{file.oid}"', "Content-Type": _content_type(path),
                   "Content-Disposition": f"inline; filename*=UTF-8''{quote(path.rsplit('/', 1)[-1])};"}
        if file.lfs is not None:
            headers["X-Linked-Etag"] = f'"{file.lfs.sha256}"'
            headers["X-Linked-Size"] = str(file.lfs.size)
        return Reply(200, headers, file.body, ranges=True)


def _content_type(path: str) -> str:
    return "text/plain; charset=utf-8" if path.lower().endswith(_TEXT_SUFFIXES) else "application/octet-stream"


def _sibling(file: HubFile, blobs: bool) -> dict[str, Any]:
    if not blobs:
        return {"rfilename": file.path}
    sibling: dict[str, Any] = {"rfilename": file.path, "blobId": file.oid, "size": file.size}
    if file.lfs is not None:
        sibling["lfs"] = {"sha256": file.lfs.sha256, "size": file.lfs.size, "pointerSize": file.lfs.pointer_size}
    return sibling


def _card_tags(card: Mapping[str, Any] | None) -> list[str]:
    """Tags the Hub adds from a card: its own tags, library, license, base models, datasets, region."""
    if not card:
        return ["region:us"]

    def listed(key: str) -> list[str]:
        value = card.get(key)
        return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []

    tags = listed("tags") + listed("library_name")
    tags += [f"license:{v}" for v in listed("license")]
    tags += [f"base_model:{v}" for v in listed("base_model")]
    tags += [f"dataset:{v}" for v in listed("datasets")]
    return [*dict.fromkeys(tags), "region:us"]


def repo_info_json(repo: HubRepo, snapshot: Snapshot, *, blobs: bool) -> dict[str, Any]:
    """The body of `/api/{models,datasets}/{repo}[/revision/{rev}]`, keys named as the Hub names them."""
    card = repo.card_data if repo.card_data is not None else snapshot.card_data()
    info: dict[str, Any] = {
        "_id": hashlib.sha1(f"{repo.kind}:{repo.repo_id}".encode(), usedforsecurity=False).hexdigest()[:24],
        "id": repo.repo_id,
        "author": repo.repo_id.split("/")[0] if "/" in repo.repo_id else None,
        "sha": snapshot.sha, "lastModified": repo.last_modified, "createdAt": repo.created_at,
        "private": repo.private, "gated": repo.gated, "disabled": False, "downloads": 0, "likes": 0,
        "tags": _card_tags(card), "cardData": card,
        "siblings": [_sibling(file, blobs) for file in snapshot.files.values()],
        "usedStorage": sum(file.size for file in snapshot.files.values()),
    }
    if repo.kind == "model":
        info["modelId"] = repo.repo_id
        info["library_name"] = card.get("library_name") if card else None
        info["pipeline_tag"] = card.get("pipeline_tag") if card else None
        info["spaces"] = []
        info["safetensors"] = snapshot.safetensors_summary()
    info.update(repo.extra_info)
    return {key: value for key, value in info.items() if value is not None}


def tree_entries(
    repo: HubRepo, snapshot: Snapshot, path: str, *, recursive: bool, expand: bool
) -> list[dict[str, Any]]:
    """The entries `/tree/{rev}/{path}` lists: folders and files under `path`, sorted by path."""
    prefix = f"{path}/" if path else ""

    def wanted(name: str) -> bool:
        return name.startswith(prefix) and (recursive or "/" not in name[len(prefix) :])

    commit = {"id": snapshot.sha, "title": "Upload folder", "date": repo.last_modified}
    entries: list[dict[str, Any]] = []
    for folder in sorted(d for d in snapshot.directories if wanted(d)):
        entries.append({"type": "directory", "oid": snapshot.tree_oid(folder), "size": 0, "path": folder,
                        **({"lastCommit": commit} if expand else {})})
    for file in snapshot.files.values():
        if wanted(file.path):
            entry: dict[str, Any] = {"type": "file", "oid": file.oid, "size": file.size, "path": file.path}
            if file.lfs is not None:
                entry["lfs"] = {"oid": file.lfs.sha256, "size": file.lfs.size, "pointerSize": file.lfs.pointer_size}
            if expand:
                entry["lastCommit"] = commit
                entry["securityFileStatus"] = {"status": "safe", "avScan": {"virusFound": False, "virusNames": None},
                                               "pickleImportScan": None}
            entries.append(entry)
    return sorted(entries, key=lambda entry: entry["path"])
