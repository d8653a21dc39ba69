"""Benchmark: what a Hub audit downloads does not grow with the weights, and a second audit is free.

Publishes repositories on the fake Hub of tests/fakes (a real HTTP server on 127.0.0.1; weights
are virtual: real safetensors headers, zeros never stored) with the same card, license and configs
and weights of 1, 70 and 400 billion parameters in 1, 30 and 100 shards (with a shard index), then
audits each one through the real client stack, counting on the server side the requests served
and the body bytes sent: first audit (empty cache), second audit (same revision), an audit at the
commit SHA, and an offline audit. Prints a table and the ratio of bytes 400B / 1B.

Run: `make bench` (or `.venv/bin/python benchmarks/hub.py`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openness.audit import Auditor  # noqa: E402
from openness.sources.hub import HubSource  # noqa: E402
from openness.sources.hub_client import HubClient  # noqa: E402
from openness.sources.hub_target import parse_hub_target  # noqa: E402
from tests.fakes.content import llm_tensors, virtual_safetensors  # noqa: E402
from tests.fakes.hub import FakeHub  # noqa: E402

RELEASE = ROOT / "tests" / "fixtures" / "releases" / "olmo-like"
SIZES = ((1, 1), (70, 30), (400, 100))
"""(billions of parameters, shards)."""
GOAL_BYTES = 2 * 1024 * 1024


def shards(billions: int, count: int) -> dict[str, object]:
    """Shard files of a decoder with ``billions`` parameters, plus their index."""
    per_shard = billions * 10**9 // count
    layers = max(126 // count, 1)
    files: dict[str, object] = {}
    weight_map: dict[str, str] = {}
    for index in range(count):
        name = f"model-{index + 1:05d}-of-{count:05d}.safetensors"
        tensors = {
            key.replace("model.layers.", f"model.layers.{index * layers}_", 1): value
            for key, value in llm_tensors(per_shard, layers=layers).items()
        }
        files[name] = virtual_safetensors(tensors, {"format": "pt"})
        weight_map.update(dict.fromkeys(tensors, name))
    files["model.safetensors.index.json"] = json.dumps(
        {"metadata": {"total_size": billions * 2 * 10**9}, "weight_map": weight_map})
    return files


def audit(hub: FakeHub, target: str, cache: Path, offline: bool = False) -> tuple[int, int, float, str]:
    hub.reset()
    started = time.perf_counter()
    client = HubClient(hub.endpoint, token=None)
    report = Auditor().audit(HubSource(parse_hub_target(target), client=client, cache_root=cache, offline=offline))
    elapsed = time.perf_counter() - started
    if os.environ.get("OPENNESS_BENCH_LOG"):
        for record in hub.log:
            print(f"  {record.method} {record.path[:90]} {record.status} {record.bytes_sent}")
    return hub.requests, hub.bytes_sent, elapsed, report.osaid.label


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    rows = []
    with FakeHub() as hub, tempfile.TemporaryDirectory(prefix="openness-hub-bench-") as temporary:
        os.environ["OPENNESS_GITHUB_API"] = hub.endpoint + "/no-github"  # links answer 404: no outside calls
        os.environ["OPENNESS_ARXIV_API"] = hub.endpoint + "/no-arxiv"
        for billions, count in SIZES:
            repo_id = f"bench/model-{billions}b"
            files = shards(billions, count)
            release = {p.name: p.read_bytes() for p in RELEASE.iterdir() if p.suffix != ".safetensors"}
            hub.add_model(repo_id, files={**release, **files})
            declared = sum(getattr(f, "size", 0) for f in files.values())
            cache = Path(temporary) / repo_id.replace("/", "--")
            first = audit(hub, repo_id, cache)
            second = audit(hub, repo_id, cache)
            sha = hub.repo(repo_id).sha()
            pinned = audit(hub, f"{repo_id}@{sha}", cache)
            offline = audit(hub, repo_id, cache, offline=True)
            rows.append((billions, count, declared, first, second, pinned, offline))
    print(f"{'model':>6} {'shards':>6} {'weights':>10} {'1st: requests':>13} {'bytes':>10} {'s':>6} "
          f"{'2nd: req':>8} {'@sha: req':>9} {'offline: req':>12}  label")
    for billions, count, declared, first, second, pinned, offline in rows:
        print(f"{billions:>5}B {count:>6} {declared / 1e9:>8.0f}GB {first[0]:>13} {first[1]:>10,} {first[2]:>6.2f} "
              f"{second[0]:>8} {pinned[0]:>9} {offline[0]:>12}  {first[3]}")
    small, large = rows[0][3][1], rows[-1][3][1]
    print(f"bytes 400B / 1B: {large / small:.2f} (goal: <= {GOAL_BYTES:,} bytes at 400B: "
          f"{'met' if large <= GOAL_BYTES else 'NOT met'}; a second audit makes 0 requests: "
          f"{'met' if all(r[4][0] == 0 and r[5][0] == 0 for r in rows) else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
