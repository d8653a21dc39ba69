"""The fake Hub behaves like the real one to the real huggingface_hub client, on 127.0.0.1 only."""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest
import yaml
from huggingface_hub import HfApi, RepoFile, hf_hub_download
from huggingface_hub.errors import (
    EntryNotFoundError,
    GatedRepoError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from safetensors import safe_open

from tests.fakes.content import llm_tensors, virtual_safetensors
from tests.fakes.hub import FakeHub
from tests.fakes.server import Fault

RELEASES = Path(__file__).parent.parent / "fixtures" / "releases"
HOLDOUT = Path(__file__).parent.parent / "fixtures" / "holdout"
LLAMA = RELEASES / "llama31-like"
OLMO = RELEASES / "olmo-like"


def api(hub: FakeHub, token: str | bool = False) -> HfApi:
    return HfApi(endpoint=hub.endpoint, token=token)


def download(hub: FakeHub, repo_id: str, filename: str, cache: Path, *, revision: str | None = None,
             token: str | bool = False, repo_type: str | None = None) -> Path:
    """hf_hub_download from the fake into a temporary cache."""
    return Path(hf_hub_download(repo_id, filename, revision=revision, repo_type=repo_type, endpoint=hub.endpoint,
                                cache_dir=cache, token=token))


def files_on_disk(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def front_matter(folder: Path) -> dict[str, object]:
    text = (folder / "README.md").read_text(encoding="utf-8")
    loaded = yaml.safe_load(text.split("---")[1])
    assert isinstance(loaded, dict)
    return loaded


# -- model_info, dataset_info, refs ---------------------------------------------------------------


def test_model_info_lists_the_folder_and_parses_the_card(releases_hub: FakeHub) -> None:
    info = api(releases_hub).model_info("fixtures/llama31-like")
    assert info.id == "fixtures/llama31-like"
    assert info.sha == releases_hub.repo("fixtures/llama31-like").sha("main")
    assert sorted(s.rfilename for s in info.siblings or []) == sorted(files_on_disk(LLAMA))
    card = front_matter(LLAMA)
    assert info.card_data is not None and info.card_data.license == card["license"]
    assert f"license:{card['license']}" in (info.tags or [])
    assert info.gated is False and info.private is False


def test_files_metadata_gives_sizes_and_lfs_sha256(releases_hub: FakeHub) -> None:
    info = api(releases_hub).model_info("fixtures/olmo-like", files_metadata=True)
    siblings = {s.rfilename: s for s in info.siblings or []}
    assert {name: s.size for name, s in siblings.items()} == files_on_disk(OLMO)
    weights = siblings["model.safetensors"]
    assert weights.lfs is not None
    assert weights.lfs.sha256 == hashlib.sha256((OLMO / "model.safetensors").read_bytes()).hexdigest()
    assert siblings["README.md"].lfs is None


def test_safetensors_summary_counts_what_safetensors_reads(releases_hub: FakeHub) -> None:
    expected: dict[str, int] = {}
    for path in LLAMA.glob("*.safetensors"):
        with safe_open(str(path), framework="np") as weights:
            for name in weights.keys():  # noqa: SIM118 - safe_open is not a mapping
                tensor = weights.get_slice(name)
                expected[tensor.get_dtype()] = expected.get(tensor.get_dtype(), 0) + math.prod(tensor.get_shape())
    info = api(releases_hub).model_info("fixtures/llama31-like")
    assert info.safetensors is not None
    assert info.safetensors.parameters == expected
    assert info.safetensors.total == sum(expected.values())


def test_expand_returns_only_the_asked_keys(releases_hub: FakeHub) -> None:
    info = api(releases_hub).model_info("fixtures/olmo-like", expand=["cardData", "sha"])
    assert info.sha == releases_hub.repo("fixtures/olmo-like").sha()
    assert info.card_data is not None and info.siblings is None and info.tags is None


def test_tags_branches_and_full_shas_resolve_to_their_commits(fake_hub: FakeHub) -> None:
    repo = fake_hub.add_model("org/model", LLAMA, revisions={"v1.0": OLMO}, tags={"v1.0"})
    client = api(fake_hub)
    assert repo.sha("main") != repo.sha("v1.0")
    assert client.model_info("org/model", revision="v1.0").sha == repo.sha("v1.0")
    assert client.model_info("org/model", revision=repo.sha("v1.0")).sha == repo.sha("v1.0")
    refs = client.list_repo_refs("org/model")
    assert [(r.name, r.target_commit) for r in refs.tags] == [("v1.0", repo.sha("v1.0"))]
    assert [(r.name, r.target_commit) for r in refs.branches] == [("main", repo.sha("main"))]


def test_commit_shas_are_deterministic(fake_hub: FakeHub) -> None:
    first = fake_hub.add_model("org/a", OLMO).sha()
    again = fake_hub.add_model("org/a", OLMO).sha()
    other = fake_hub.add_model("org/b", OLMO).sha()
    assert first == again != other
    assert len(first) == 40 and int(first, 16) >= 0


def test_dataset_info_tree_and_download(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add_dataset("org/data", files={"README.md": "---\nlicense: cc-by-4.0\n---\n# Data\n",
                                            "data/train.parquet": b"PAR1" + bytes(100)})
    client = api(fake_hub)
    info = client.dataset_info("org/data")
    assert info.card_data is not None and info.card_data.license == "cc-by-4.0"
    tree = {e.path: e for e in client.list_repo_tree("org/data", repo_type="dataset", recursive=True)}
    assert set(tree) == {"README.md", "data", "data/train.parquet"}
    path = download(fake_hub, "org/data", "data/train.parquet", tmp_path, repo_type="dataset")
    assert path.read_bytes() == b"PAR1" + bytes(100)
    with pytest.raises(RepositoryNotFoundError):
        client.model_info("org/data")  # a dataset is not a model


# -- tree ------------------------------------------------------------------------------------------


def test_recursive_tree_lists_files_with_sizes_and_lfs(releases_hub: FakeHub) -> None:
    tree = api(releases_hub).list_repo_tree("fixtures/llama31-like", recursive=True)
    entries = [entry for entry in tree if isinstance(entry, RepoFile)]
    assert {e.path: e.size for e in entries} == files_on_disk(LLAMA)
    shard = next(e for e in entries if e.path == "model-00001-of-00004.safetensors")
    data = (LLAMA / shard.path).read_bytes()
    assert shard.lfs is not None and shard.lfs.sha256 == hashlib.sha256(data).hexdigest()


def test_tree_of_a_subfolder_and_pagination(fake_hub: FakeHub) -> None:
    fake_hub.add_model("org/m", files={f"sub/{i}.txt": str(i) for i in range(5)} | {"README.md": "hi"})
    fake_hub.tree_page_size = 2
    client = api(fake_hub)
    top = list(client.list_repo_tree("org/m"))
    assert [(e.path, type(e).__name__) for e in top] == [("README.md", "RepoFile"), ("sub", "RepoFolder")]
    fake_hub.reset()
    nested = [e.path for e in client.list_repo_tree("org/m", path_in_repo="sub")]
    assert nested == [f"sub/{i}.txt" for i in range(5)]
    assert fake_hub.requests == 3  # pages of 2, 2 and 1 entries, followed through the Link header
    with pytest.raises(EntryNotFoundError):
        list(client.list_repo_tree("org/m", path_in_repo="missing"))


# -- resolve: downloads, headers, ranges -----------------------------------------------------------


def test_download_by_tag_lands_in_the_snapshot_of_its_commit(fake_hub: FakeHub, tmp_path: Path) -> None:
    repo = fake_hub.add_model("org/model", LLAMA, revisions={"v1.0": OLMO}, tags={"v1.0"})
    path = download(fake_hub, "org/model", "config.json", tmp_path, revision="v1.0")
    assert path.read_bytes() == (OLMO / "config.json").read_bytes()
    assert path.parent.name == repo.sha("v1.0")
    assert (tmp_path / "models--org--model" / "refs" / "v1.0").read_text() == repo.sha("v1.0")


def test_a_cached_file_at_a_commit_sha_is_not_fetched_again(releases_hub: FakeHub, tmp_path: Path) -> None:
    sha = releases_hub.repo("fixtures/olmo-like").sha()
    download(releases_hub, "fixtures/olmo-like", "README.md", tmp_path, revision=sha)
    assert [(r.method, r.status) for r in releases_hub.log] == [("HEAD", 200), ("GET", 200)]
    assert releases_hub.bytes_sent == (OLMO / "README.md").stat().st_size
    releases_hub.reset()
    download(releases_hub, "fixtures/olmo-like", "README.md", tmp_path, revision=sha)
    assert releases_hub.requests == 0 and releases_hub.bytes_sent == 0


def test_resolve_headers_mirror_the_hub(releases_hub: FakeHub) -> None:
    repo = releases_hub.repo("fixtures/olmo-like")
    base = f"{releases_hub.endpoint}/fixtures/olmo-like/resolve/main"
    weights = httpx2.head(f"{base}/model.safetensors")
    data = (OLMO / "model.safetensors").read_bytes()
    assert weights.headers["X-Repo-Commit"] == repo.sha()
    assert weights.headers["X-Linked-Etag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert weights.headers["X-Linked-Size"] == weights.headers["Content-Length"] == str(len(data))
    assert weights.headers["Accept-Ranges"] == "bytes"
    assert not any(name.lower().startswith("x-xet") for name in weights.headers)
    readme = httpx2.head(f"{base}/README.md")
    git_oid = subprocess.run(["git", "hash-object", str(OLMO / "README.md")], capture_output=True, text=True,
                             check=True).stdout.strip()
    assert readme.headers["ETag"] == f'"{git_oid}"'
    assert "X-Linked-Etag" not in readme.headers


def test_range_requests(releases_hub: FakeHub) -> None:
    url = f"{releases_hub.endpoint}/fixtures/olmo-like/resolve/main/model.safetensors"
    data = (OLMO / "model.safetensors").read_bytes()
    head = httpx2.get(url, headers={"Range": "bytes=0-7"})
    assert head.status_code == 206 and head.content == data[:8]
    assert head.headers["Content-Range"] == f"bytes 0-7/{len(data)}"
    assert httpx2.get(url, headers={"Range": "bytes=-4"}).content == data[-4:]
    assert httpx2.get(url, headers={"Range": "bytes=10-"}).content == data[10:]
    beyond = httpx2.get(url, headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{len(data)}"


def test_safetensors_metadata_of_a_400b_virtual_file_costs_kilobytes(fake_hub: FakeHub) -> None:
    weights = virtual_safetensors(llm_tensors(400 * 10**9))
    fake_hub.add_model("org/huge", files={"README.md": "# Huge\n", "model.safetensors": weights})
    metadata = api(fake_hub).get_safetensors_metadata("org/huge")
    assert metadata.parameter_count == {"BF16": 400 * 10**9}
    assert weights.size > 800 * 10**9
    ranged = [r for r in fake_hub.log if r.method == "GET"]
    assert ranged and all(r.status == 206 and "range" in r.headers for r in ranged)
    assert fake_hub.bytes_sent < 300_000
    info = api(fake_hub).model_info("org/huge", files_metadata=True)
    assert info.safetensors is not None and info.safetensors.total == 400 * 10**9
    assert {s.rfilename: s.size for s in info.siblings or []}["model.safetensors"] == weights.size


def test_virtual_safetensors_header_is_read_by_safetensors(tmp_path: Path) -> None:
    weights = virtual_safetensors({"a": ("F32", [2, 3]), "b": ("BF16", [5])}, {"format": "pt"})
    path = tmp_path / "small.safetensors"
    path.write_bytes(weights.read(0, weights.size))
    with safe_open(str(path), framework="np") as opened:
        assert opened.metadata() == {"format": "pt"}
        assert opened.get_slice("a").get_shape() == [2, 3]
        assert opened.get_slice("b").get_dtype() == "BF16"
    assert sum(math.prod(shape) for _, shape in llm_tensors(10**9, layers=4, hidden=64).values()) == 10**9


def test_lfs_pointer_files_are_served_as_their_objects(fake_hub: FakeHub) -> None:
    pointer = (HOLDOUT / "grok-1" / "ckpt-0" / "tensor00000_000").read_text()
    declared_sha = pointer.split("sha256:")[1].split()[0]
    declared_size = int(pointer.split("size ")[1])
    fake_hub.add_model("xai-org/grok-1", HOLDOUT / "grok-1")
    entry = next(e for e in api(fake_hub).list_repo_tree("xai-org/grok-1", path_in_repo="ckpt-0")
                 if e.path == "ckpt-0/tensor00000_000")
    assert isinstance(entry, RepoFile) and entry.size == declared_size
    assert entry.lfs is not None and entry.lfs.sha256 == declared_sha and entry.lfs.pointer_size == len(pointer)
    url = f"{fake_hub.endpoint}/xai-org/grok-1/resolve/main/ckpt-0/tensor00000_000"
    assert httpx2.head(url).headers["X-Linked-Size"] == str(declared_size)
    assert httpx2.get(url, headers={"Range": "bytes=0-15"}).content == bytes(16)


# -- errors and access -----------------------------------------------------------------------------


def test_unknown_repo_revision_and_file_raise_the_clients_errors(releases_hub: FakeHub, tmp_path: Path) -> None:
    client = api(releases_hub)
    with pytest.raises(RepositoryNotFoundError):
        client.model_info("nobody/nothing")
    with pytest.raises(RepositoryNotFoundError):
        client.model_info("nobody/nothing", token="hf_someone_else")
    with pytest.raises(RevisionNotFoundError):
        client.model_info("fixtures/olmo-like", revision="v9")
    with pytest.raises(EntryNotFoundError):
        download(releases_hub, "fixtures/olmo-like", "missing.bin", tmp_path)
    assert not client.file_exists("fixtures/olmo-like", "missing.bin")
    assert client.file_exists("fixtures/olmo-like", "config.json")


def test_gated_repos_show_metadata_but_files_need_the_token(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add_model("meta/gated", LLAMA, gated="manual")
    assert api(fake_hub).model_info("meta/gated").gated == "manual"
    assert len(list(api(fake_hub).list_repo_tree("meta/gated"))) == len(files_on_disk(LLAMA))
    with pytest.raises(GatedRepoError):
        download(fake_hub, "meta/gated", "LICENSE", tmp_path)
    with pytest.raises(GatedRepoError):
        download(fake_hub, "meta/gated", "LICENSE", tmp_path, token="hf_not_on_the_list")
    assert [r.status for r in fake_hub.log if r.method == "HEAD"] == [401, 403]
    path = download(fake_hub, "meta/gated", "LICENSE", tmp_path, token=fake_hub.token)
    assert path.read_bytes() == (LLAMA / "LICENSE").read_bytes()


def test_private_repos_are_not_found_without_the_token(fake_hub: FakeHub) -> None:
    fake_hub.add_model("org/secret", OLMO, private=True)
    with pytest.raises(RepositoryNotFoundError):
        api(fake_hub).model_info("org/secret")
    with pytest.raises(RepositoryNotFoundError):
        api(fake_hub, token="hf_wrong").model_info("org/secret")
    assert api(fake_hub, token=fake_hub.token).model_info("org/secret").private is True


def test_error_replies_carry_the_hubs_codes(releases_hub: FakeHub) -> None:
    reply = httpx2.get(f"{releases_hub.endpoint}/api/models/fixtures/olmo-like/revision/nope")
    assert reply.status_code == 404 and reply.headers["X-Error-Code"] == "RevisionNotFound"
    assert json.loads(reply.content) == {"error": "Invalid rev id: nope"}
    missing = httpx2.head(f"{releases_hub.endpoint}/fixtures/olmo-like/resolve/main/nope.bin")
    assert missing.headers["X-Error-Code"] == "EntryNotFound"
    assert missing.headers["X-Repo-Commit"] == releases_hub.repo("fixtures/olmo-like").sha()


# -- instrumentation and faults ---------------------------------------------------------------------


def test_log_and_counters(releases_hub: FakeHub) -> None:
    httpx2.get(f"{releases_hub.endpoint}/fixtures/olmo-like/resolve/main/config.json")
    httpx2.head(f"{releases_hub.endpoint}/fixtures/olmo-like/resolve/main/config.json")
    size = (OLMO / "config.json").stat().st_size
    assert [(r.method, r.status, r.bytes_sent) for r in releases_hub.log] == [("GET", 200, size), ("HEAD", 200, 0)]
    assert releases_hub.requests == 2 and releases_hub.bytes_sent == size
    releases_hub.reset()
    assert releases_hub.requests == 0 and releases_hub.bytes_sent == 0 and releases_hub.log == []


def test_server_errors_are_retried_by_the_client(releases_hub: FakeHub) -> None:
    rule = releases_hub.inject(r"/tree/", Fault(status=500), times=1)
    entries = list(api(releases_hub).list_repo_tree("fixtures/olmo-like"))
    assert len(entries) == len(files_on_disk(OLMO))
    assert rule.hits == 1
    assert [r.status for r in releases_hub.log] == [500, 200]


def test_rate_limit_fault_sends_retry_after(releases_hub: FakeHub) -> None:
    releases_hub.inject(r"/api/models/", Fault(status=429, retry_after=7), times=1)
    url = f"{releases_hub.endpoint}/api/models/fixtures/olmo-like"
    limited = httpx2.get(url)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "7"
    assert httpx2.get(url).status_code == 200


def test_truncated_download_is_retried_by_the_client(releases_hub: FakeHub, tmp_path: Path) -> None:
    releases_hub.inject(r"/resolve/.*model\.safetensors", Fault(truncate_at=100), times=1, method="GET")
    path = download(releases_hub, "fixtures/olmo-like", "model.safetensors", tmp_path)
    assert path.read_bytes() == (OLMO / "model.safetensors").read_bytes()
    gets = [r for r in releases_hub.log if r.method == "GET"]
    assert (gets[0].status, gets[0].bytes_sent, gets[0].fault) == (200, 100, "truncate_at=100")
    assert len(gets) == 2 and gets[1].fault is None  # the retry (a Range from what was kept, here none)


def test_slow_replies_and_timeouts(releases_hub: FakeHub) -> None:
    releases_hub.inject(r"config\.json", Fault(delay=0.3), times=2)
    url = f"{releases_hub.endpoint}/fixtures/olmo-like/resolve/main/config.json"
    started = time.monotonic()
    assert httpx2.get(url).status_code == 200
    assert time.monotonic() - started >= 0.3
    with pytest.raises(httpx2.TimeoutException):
        httpx2.get(url, timeout=0.05)
    releases_hub.inject(r"config\.json", Fault(body_delay=0.5), times=1)
    with httpx2.stream("GET", url, timeout=0.2) as stalled:
        assert stalled.status_code == 200  # the headers came at once
        with pytest.raises(httpx2.ReadTimeout):
            stalled.read()


def test_connection_reset(releases_hub: FakeHub) -> None:
    releases_hub.inject(r"config\.json", Fault(reset=True), times=1)
    url = f"{releases_hub.endpoint}/fixtures/olmo-like/resolve/main/config.json"
    with pytest.raises(httpx2.TransportError):
        httpx2.get(url)
    assert httpx2.get(url).status_code == 200
    assert [r.status for r in releases_hub.log] == [0, 200]


def test_subprocesses_reach_the_fake_through_hf_endpoint(releases_hub: FakeHub) -> None:
    script = "from huggingface_hub import HfApi; print(HfApi().model_info('fixtures/olmo-like').sha)"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.strip() == releases_hub.repo("fixtures/olmo-like").sha()
    assert [r.path for r in releases_hub.log] == ["/api/models/fixtures/olmo-like"]
