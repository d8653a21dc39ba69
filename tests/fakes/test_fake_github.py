"""The fake GitHub answers like the REST API: JSON shapes, 404s, rate-limit headers, faults."""

from __future__ import annotations

import base64
import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.github import FakeGitHub
from tests.fakes.server import Fault

APACHE = "                                 Apache License\n                           Version 2.0, January 2004\n"
OLMO = Path(__file__).parent.parent / "fixtures" / "releases" / "olmo-like"


def get(url: str, token: str | None = None) -> tuple[int, dict[str, str], Any]:
    """Status, headers and decoded JSON of a GET, errors included."""
    request = urllib.request.Request(url, headers={"Accept": "application/vnd.github+json"})
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def add_tool(github: FakeGitHub) -> None:
    github.add_repo("allenai/OLMo", files={"README.md": "# OLMo\n", "olmo/model.py": "class OLMo: ...\n",
                                           "olmo/util/io.py": "\n"},
                    license="Apache-2.0", license_text=APACHE, description="Modeling, training, eval")


def test_repository_metadata(fake_github: FakeGitHub) -> None:
    add_tool(fake_github)
    status, _, repo = get(f"{fake_github.endpoint}/repos/allenai/OLMo")
    assert status == 200
    assert repo["full_name"] == "allenai/OLMo" and repo["default_branch"] == "main"
    assert repo["html_url"] == "https://github.com/allenai/OLMo"
    assert repo["description"] == "Modeling, training, eval"
    assert repo["license"] == {"key": "apache-2.0", "name": "Apache License 2.0", "spdx_id": "Apache-2.0",
                               "url": "https://api.github.com/licenses/apache-2.0",
                               "node_id": repo["license"]["node_id"]}


def test_license_endpoint_gives_the_text_in_base64(fake_github: FakeGitHub) -> None:
    add_tool(fake_github)
    status, _, found = get(f"{fake_github.endpoint}/repos/allenai/OLMo/license")
    assert status == 200
    assert found["path"] == "LICENSE" and found["type"] == "file" and found["encoding"] == "base64"
    assert base64.b64decode(found["content"]).decode() == APACHE
    assert max(len(line) for line in found["content"].splitlines()) == 60
    assert found["license"]["spdx_id"] == "Apache-2.0"


def test_repos_without_a_license(fake_github: FakeGitHub) -> None:
    fake_github.add_repo("someone/plain", files={"README.md": "hi"})
    assert get(f"{fake_github.endpoint}/repos/someone/plain")[2]["license"] is None
    assert get(f"{fake_github.endpoint}/repos/someone/plain/license")[0] == 404


def test_an_unrecognised_license_is_other(fake_github: FakeGitHub) -> None:
    fake_github.add_repo("someone/custom", files={"LICENSE": "Do what I say."}, license="other")
    license = get(f"{fake_github.endpoint}/repos/someone/custom")[2]["license"]
    assert (license["key"], license["spdx_id"]) == ("other", "NOASSERTION")


def test_recursive_tree_lists_blobs_and_trees(fake_github: FakeGitHub) -> None:
    add_tool(fake_github)
    status, _, tree = get(f"{fake_github.endpoint}/repos/allenai/OLMo/git/trees/main?recursive=1")
    assert status == 200 and tree["truncated"] is False
    assert {(e["path"], e["type"]) for e in tree["tree"]} == {
        ("LICENSE", "blob"), ("README.md", "blob"), ("olmo", "tree"), ("olmo/model.py", "blob"),
        ("olmo/util", "tree"), ("olmo/util/io.py", "blob")}
    readme = next(e for e in tree["tree"] if e["path"] == "README.md")
    assert readme["size"] == len("# OLMo\n") and readme["mode"] == "100644"
    top = get(f"{fake_github.endpoint}/repos/allenai/OLMo/git/trees/main")[2]
    assert [e["path"] for e in top["tree"]] == ["LICENSE", "README.md", "olmo"]
    assert get(f"{fake_github.endpoint}/repos/allenai/OLMo/git/trees/no-such-branch")[0] == 404


def test_blob_shas_are_git_object_ids(fake_github: FakeGitHub) -> None:
    fake_github.add_repo("allenai/olmo-like", OLMO)
    tree = get(f"{fake_github.endpoint}/repos/allenai/olmo-like/git/trees/main?recursive=1")[2]
    config = next(e for e in tree["tree"] if e["path"] == "config.json")
    git_oid = subprocess.run(["git", "hash-object", str(OLMO / "config.json")], capture_output=True, text=True,
                             check=True).stdout.strip()
    assert config["sha"] == git_oid


def test_contents_of_a_file_and_a_folder(fake_github: FakeGitHub) -> None:
    add_tool(fake_github)
    status, _, file = get(f"{fake_github.endpoint}/repos/allenai/OLMo/contents/olmo/model.py")
    assert status == 200 and base64.b64decode(file["content"]) == b"class OLMo: ...\n"
    listing = get(f"{fake_github.endpoint}/repos/allenai/OLMo/contents/olmo")[2]
    assert [(e["name"], e["type"]) for e in listing] == [("model.py", "file"), ("util", "dir")]
    assert get(f"{fake_github.endpoint}/repos/allenai/OLMo/contents/missing.txt")[0] == 404


def test_unknown_repositories_are_404_with_a_message(fake_github: FakeGitHub) -> None:
    status, _, body = get(f"{fake_github.endpoint}/repos/nobody/nothing")
    assert status == 404 and body["message"] == "Not Found"


@pytest.mark.parametrize("limited_status", [403, 429])
def test_rate_limit_headers_and_exhaustion(limited_status: int) -> None:
    with FakeGitHub(rate_limit=2, rate_limit_status=limited_status) as github:
        add_tool(github)
        url = f"{github.endpoint}/repos/allenai/OLMo"
        remaining = [get(url)[1]["X-RateLimit-Remaining"] for _ in range(2)]
        assert remaining == ["1", "0"]
        status, headers, body = get(url)
        assert status == limited_status and "rate limit exceeded" in body["message"]
        assert headers["X-RateLimit-Remaining"] == "0" and headers["X-RateLimit-Limit"] == "2"
        assert 0 < int(headers["Retry-After"]) <= 3600
        assert int(headers["X-RateLimit-Reset"]) > 0
        assert get(f"{github.endpoint}/rate_limit")[2]["rate"]["remaining"] == 0  # free, as on GitHub
        assert get(url, token=github.token)[0] == 200  # a token has its own budget
        github.refill()
        assert get(url)[0] == 200


def test_a_wrong_token_is_rejected(fake_github: FakeGitHub) -> None:
    add_tool(fake_github)
    status, _, body = get(f"{fake_github.endpoint}/repos/allenai/OLMo", token="ghp_wrong")
    assert status == 401 and body["message"] == "Bad credentials"


def test_faults_and_counters_are_shared_with_the_hub(fake_github: FakeGitHub) -> None:
    add_tool(fake_github)
    fake_github.inject(r"/license$", Fault(status=500), times=1)
    url = f"{fake_github.endpoint}/repos/allenai/OLMo/license"
    assert get(url)[0] == 500
    assert get(url)[0] == 200
    assert [r.status for r in fake_github.log] == [500, 200]
    assert fake_github.bytes_sent == sum(r.bytes_sent for r in fake_github.log) > 0
    fake_github.reset()
    assert fake_github.requests == 0
