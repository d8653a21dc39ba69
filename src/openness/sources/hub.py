"""A model repository on the Hugging Face Hub, pinned to a commit, read without its weights.

``HubSource`` resolves the revision to a commit SHA, downloads only the small files an audit
reads (model card, license files, configs, shard indexes), reads weight headers through
HTTP range requests, and keeps all of it in an on-disk snapshot keyed by the commit. The
snapshot is then read exactly as a local folder is, so a Hub audit and a local audit of the
same files give the same verdict. Nothing downloaded is ever executed.

Cache layout (under ``$OPENNESS_CACHE_DIR``/``$XDG_CACHE_HOME/openness``)::

    hub/models/<org>--<name>/refs/<revision>.json     {"sha": …, "resolved_at": …}
    hub/models/<org>--<name>/<sha>/snapshot.json      listing, weight headers, problems
    hub/models/<org>--<name>/<sha>/files/…            the small files, as downloaded
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from openness.evidence import (
    ConfigFile,
    LinkedResource,
    Problem,
    Provenance,
    ReleaseEvidence,
    Subject,
    WeightFile,
)
from openness.sources.card import read_card
from openness.sources.files import decode_text
from openness.sources.hub_client import (
    HubClient,
    HubGated,
    HubNotFound,
    HubUnreachable,
)
from openness.sources.hub_snapshot import (
    SNAPSHOT_FORMAT,
    RepoFile,
    ensure_folder,
    is_small_text,
    listed_weight,
    load_snapshot,
    read_json,
    repo_listing,
    weight_from_dict,
    write_card_from_metadata,
    write_json,
)
from openness.sources.hub_target import HubTarget
from openness.sources.interface import SourceError
from openness.sources.linked import LinkFetcher
from openness.sources.local import (
    CARD_NAMES,
    CHECKPOINT_DIR,
    CONFIG_KINDS,
    LFS_WEIGHT_MIN,
    LICENSE_NAME,
    NOT_WEIGHTS,
    TRAINING_STATE,
    LocalFolderSource,
    local_link_target,
)
from openness.sources.resources import linked_keys, resource_from_dict
from openness.sources.weights import classify_weight_file, read_gguf_stream, read_safetensors_stream

REF_TTL_SECONDS = 600.0
"""A branch or tag resolved less than this long ago is not resolved again (``$OPENNESS_HUB_REF_TTL``)."""
TEXT_LIMIT = 2 * 1024 * 1024
"""At most this much of a card, license or config is downloaded; longer files are cut and say so."""
INDEX_LIMIT = 1024 * 1024
"""Shard indexes larger than this are listed, not downloaded (a 600B model's index can be 8 MB)."""
LINK_RETRY_SECONDS = 3600.0
"""Linked resources that could not be reached are asked again after this long (answers are kept)."""
HEADER_BUDGET = {"safetensors": 8 * 1024 * 1024, "gguf": 2 * 1024 * 1024}
"""At most this many bytes are read of one weight file's header. A safetensors header is read whole
or not at all; a GGUF header is read up to the budget (its license and architecture come first,
its tokenizer arrays, megabytes long, after)."""
HEADERS_READ = {"safetensors": 4, "gguf": 1}
"""Weight headers read per format; the other files are listed with their sizes."""
_SHA = re.compile(r"^[0-9a-f]{40}$")


class HubSource(LocalFolderSource):
    """Evidence from a Hub model repository at one commit (see the module docstring)."""

    def __init__(
        self,
        target: HubTarget,
        *,
        client: HubClient | None = None,
        offline: bool = False,
        cache_root: Path | None = None,
        links: LinkFetcher | None = None,
        refresh: bool = False,
    ) -> None:
        self.target = target
        self.refresh = refresh and not offline
        """Ask the Hub again even when the cache holds the revision."""
        self.client = client or HubClient()
        self.offline = offline or os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
        if cache_root is None:
            from openness.datafiles import cache_dir

            cache_root = cache_dir() / "hub"
        self.cache_root = cache_root
        self.repo_dir = cache_root / "models" / target.repo_id.replace("/", "--")
        self._snapshot: dict[str, Any] = {}
        self._links = links
        self._info: dict[str, Any] | None = None
        """The repository information of the revision, when this run asked the Hub for it."""
        super().__init__(self.repo_dir)

    def base_source(self, repo_id: str) -> HubSource:
        """The source of a base model named by this release (same client, cache and mode)."""
        return HubSource(HubTarget(repo_id), client=self.client, offline=self.offline, cache_root=self.cache_root,
                         links=self._link_fetcher(), refresh=self.refresh)

    def _link_fetcher(self) -> LinkFetcher:
        if self._links is None:
            self._links = LinkFetcher(self.client)
        return self._links

    def collect(self) -> ReleaseEvidence:
        """Read the snapshot of the repository at its commit, fetching it first when needed."""
        try:
            return self._collect()
        except OSError as error:  # the cache folder, not the Hub: every network error is a SourceError
            raise SourceError(f"{self.target}: cannot write the cache in {self.cache_root} "
                              f"({error.strerror or error}); set OPENNESS_CACHE_DIR to a writable folder") from error

    def _collect(self) -> ReleaseEvidence:
        sha, snapshot = self._resolve()
        folder = self.repo_dir / sha
        if snapshot is None:
            if self.offline:
                raise SourceError(f"{self.target}: not in the cache at commit {sha[:12]}; audit it once online")
            snapshot = self._fetch(sha)
        self._snapshot = snapshot
        files = [entry["path"] for entry in snapshot["files"] if entry["path"] not in snapshot["unread"]]
        problems = [Problem(p["message"], Provenance(path=p.get("path"))) for p in snapshot["problems"]]
        subject = Subject("hub", self.target.repo_id, sha)
        name = self.target.repo_id.split("/", 1)[1]
        evidence = self.evidence_from(folder / "files", files, problems, subject, name)
        return replace(evidence, linked=self._linked(folder, snapshot, evidence))

    def _linked(self, folder: Path, snapshot: dict[str, Any], evidence: ReleaseEvidence
                ) -> tuple[LinkedResource, ...]:
        """The card's linked code, datasets and papers, fetched once per snapshot (none offline)."""
        stored = snapshot.get("linked")
        fresh = time.time() - float(snapshot.get("linked_at") or 0) < LINK_RETRY_SECONDS
        if isinstance(stored, list):
            resources = tuple(resource_from_dict(r) for r in stored if isinstance(r, dict))
            if self.offline or fresh or all(r.found is not None for r in resources):
                return resources
        elif self.offline:
            return ()
        fetched = self._link_fetcher().fetch(linked_keys(evidence))
        snapshot["linked"] = [asdict(r) for r in fetched]
        snapshot["linked_at"] = time.time()
        write_json(folder / "snapshot.json", snapshot)
        return tuple(fetched)

    # --- what a snapshot holds in place of the folder's weights and large configs -------------

    def _weights(self, root: Path, files: list[str], problems: list[Problem]) -> list[WeightFile]:
        return [weight_from_dict(w) for w in self._snapshot["weights"]]

    def _configs(self, root: Path, files: list[str], problems: list[Problem]) -> list[ConfigFile]:
        downloaded = set(self._snapshot["downloaded"])
        read = super()._configs(root, [f for f in files if f in downloaded], problems)
        listed = [
            ConfigFile(f, CONFIG_KINDS[PurePosixPath(f).name])
            for f in files
            if f not in downloaded and PurePosixPath(f).name in CONFIG_KINDS and len(PurePosixPath(f).parts) <= 2
        ]
        return read + listed

    # --- revision ----------------------------------------------------------------------------

    def _resolve(self) -> tuple[str, dict[str, Any] | None]:
        """The commit of the asked revision, with its snapshot when the cache holds it (None: fetch it).

        The cache answers for a commit SHA it holds, or a branch or tag resolved less than the ref
        TTL ago; offline it answers whatever it holds; ``refresh`` always asks the Hub.
        """
        revision = self.target.revision
        ref_file = self.repo_dir / "refs" / f"{quote(revision or '@default', safe='')}.json"
        remembered = None if self.refresh else self._remembered_commit(revision, ref_file)
        if remembered is not None:
            snapshot = load_snapshot(self.repo_dir / remembered)
            if snapshot is not None or self.offline:
                return remembered, snapshot
        if self.offline:
            raise SourceError(f"{self.target}: not in the cache; audit it once online before using --offline")
        info = self._info = self.client.repo_info("model", self.target.repo_id, revision)
        sha = info.get("sha")
        if not isinstance(sha, str) or not _SHA.match(sha):
            # A server that leaves the commit out of the repository's information still names it
            # on every file it serves.
            listing = info.get("siblings")
            first = next((s.get("rfilename") for s in listing if isinstance(s, dict)), None) \
                if isinstance(listing, list) else None
            sha = self.client.commit_of("model", self.target.repo_id, revision or "main", first or "README.md")
        if not isinstance(sha, str) or not _SHA.match(sha):
            raise HubUnreachable(f"{self.target}: the Hub did not say which commit the revision is")
        info["sha"] = sha
        write_json(ref_file, {"sha": sha, "resolved_at": time.time(), "revision": revision})
        return sha, None if self.refresh else load_snapshot(self.repo_dir / sha)

    def _remembered_commit(self, revision: str | None, ref_file: Path) -> str | None:
        """A commit SHA asked for, or the commit a branch or tag was resolved to (recently, or ever offline)."""
        if revision and _SHA.match(revision):
            return revision
        cached = read_json(ref_file)
        sha = cached.get("sha") if cached else None
        if not isinstance(sha, str) or not _SHA.match(sha) or cached is None:
            return None
        fresh = time.time() - float(cached.get("resolved_at", 0)) < _ref_ttl()
        return sha if self.offline or fresh else None

    # --- fetching a snapshot -------------------------------------------------------------------

    def _fetch(self, sha: str) -> dict[str, Any]:
        info = self._info or self.client.repo_info("model", self.target.repo_id, sha)
        if not isinstance(info.get("siblings"), list):
            info["siblings"] = self.client.tree("model", self.target.repo_id, sha)
        listing = repo_listing(info)
        staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=ensure_folder(self.repo_dir)))
        try:
            snapshot = self._download(sha, info, listing, staging / "files")
            write_json(staging / "snapshot.json", snapshot)
            target = self.repo_dir / sha
            if self.refresh or load_snapshot(target) is None:
                shutil.rmtree(target, ignore_errors=True)  # replaced, or a partial folder of an interrupted run
                try:
                    os.replace(staging, target)
                except OSError:
                    if load_snapshot(target) is None:  # not another process finishing first
                        raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return snapshot

    def _download(self, sha: str, info: dict[str, Any], listing: list[RepoFile], root: Path) -> dict[str, Any]:
        problems: list[dict[str, str | None]] = []
        root.mkdir(parents=True, exist_ok=True)
        downloaded: list[str] = []
        unread: list[str] = []
        by_path = {f.path: f for f in listing}
        gated = info.get("gated") not in (None, False, "false")

        def fetch(path: str, limit: int) -> bool:
            url = self.client.file_url("model", self.target.repo_id, sha, path)
            try:
                body, longer = self.client.download_prefix(url, limit, path)
            except HubGated:
                unread.append(path)
                problems.append({"path": path, "message": f"{path}: gated; not readable without access (set HF_TOKEN "
                                 "after accepting the conditions on the Hub)"})
                return False
            except HubNotFound:
                unread.append(path)
                problems.append({"path": path, "message": f"{path}: listed by the Hub but not downloadable"})
                return False
            destination = root / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(body)
            downloaded.append(path)
            if longer:
                problems.append({"path": path, "message": f"{path}: longer than {limit // (1024 * 1024)} MB; "
                                 "only the beginning was read"})
            return True

        card_name = next((f.path for n in CARD_NAMES for f in listing if f.path.lower() == n), None)
        card_metadata: dict[str, Any] = {}
        if card_name and fetch(card_name, TEXT_LIMIT):
            decoded = decode_text((root / card_name).read_bytes())
            card_metadata = read_card(card_name, decoded.text or "").metadata if decoded.text else {}
        elif card_name and gated and isinstance(info.get("cardData"), dict):
            card_metadata = info["cardData"]
            write_card_from_metadata(root / card_name, card_metadata)
            unread.remove(card_name)
            downloaded.append(card_name)
            problems.append({"path": card_name, "message": f"{card_name}: gated; the card's metadata was read from "
                             "the Hub API (cardData), its text was not"})
        wanted = [f.path for f in listing if is_small_text(f)]
        link = card_metadata.get("license_link")
        if isinstance(link, str):
            target = local_link_target(link, list(by_path))
            if target and target not in wanted:
                wanted.append(target)
        for path in wanted:
            if path == card_name:
                continue
            entry = by_path[path]
            limit = INDEX_LIMIT if path.endswith(".index.json") else TEXT_LIMIT
            if entry.size is not None and entry.size > limit and not LICENSE_NAME.match(PurePosixPath(path).name):
                continue  # listed with its size; configs this large are not parsed locally either
            fetch(path, limit)
        weights = self._weight_headers(sha, listing, problems)
        return {
            "format": SNAPSHOT_FORMAT,
            "repo_id": self.target.repo_id,
            "revision": self.target.revision,
            "sha": sha,
            "endpoint": self.client.endpoint,
            "fetched_at": time.time(),
            "gated": info.get("gated") or False,
            "private": bool(info.get("private")),
            "files": [asdict(f) for f in listing],
            "downloaded": downloaded,
            "unread": unread,
            "weights": [asdict(w) for w in weights],
            "problems": problems,
        }

    def _weight_headers(self, sha: str, listing: list[RepoFile], problems: list[dict[str, str | None]]
                        ) -> list[WeightFile]:
        weights: list[WeightFile] = []
        read_count = {"safetensors": 0, "gguf": 0}
        for entry in listing:
            name = entry.path
            if TRAINING_STATE.search(name):
                continue
            weight_format = classify_weight_file(PurePosixPath(name).name)
            if weight_format is None:
                # As in a folder: large LFS files of any name (a clone holds their pointers), and
                # large files in checkpoint folders (Grok's `ckpt-0/tensor00000_000`), stand for weights.
                large = (entry.size or 0) >= LFS_WEIGHT_MIN
                if NOT_WEIGHTS.search(name) or not large or not (entry.lfs or CHECKPOINT_DIR.search(name)):
                    continue
                weights.append(listed_weight(name, "other", entry.size or 0, "format not read"))
                continue
            url = self.client.file_url("model", self.target.repo_id, sha, name)
            size = entry.size
            if size is None:
                try:
                    size = self.client.file_size(url, name)
                except (HubGated, HubNotFound):
                    size = None
            if weight_format not in read_count or size is None or read_count[weight_format] >= HEADERS_READ[
                    weight_format]:
                weights.append(listed_weight(name, weight_format, size or 0, "header not read"))
                continue
            read_count[weight_format] += 1
            reader = read_safetensors_stream if weight_format == "safetensors" else read_gguf_stream
            weight = self.client.read_header(url, size, name, HEADER_BUDGET[weight_format], reader)
            if weight.problem:
                # The Hub lists the file, so it is there; what it holds could not be read.
                problems.append({"path": name, "message": f"weight file: {weight.problem}"})
                weight = listed_weight(name, weight_format, size, f"header unreadable: {weight.problem}")
            elif weight.tensor_count is None and not weight.metadata:  # gated, or gone since the listing
                weight = listed_weight(name, weight_format, size, "not readable without access")
            weights.append(weight)
        return weights


def _ref_ttl() -> float:
    try:
        return float(os.environ.get("OPENNESS_HUB_REF_TTL", REF_TTL_SECONDS))
    except ValueError:
        return REF_TTL_SECONDS
