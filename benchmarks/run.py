"""Benchmark: auditing a release whose weights total 100 GB costs what a 1 MB one costs.

Builds two releases in a temporary folder — the same card, license and config, with
safetensors shards of 1 MB in total and of 100 GB in total (sparse files: valid headers,
no disk used) — then times whole `openness audit --format json` processes and reads each
process's peak memory from the kernel (wait4 rusage). Prints medians and the ratio.

Run: `make bench` (or `.venv/bin/python benchmarks/run.py [--runs N]`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CARD = """---
license: apache-2.0
datasets:
- example-org/benchmark-corpus
library_name: transformers
---
# Benchmark model

Trained with the [training code](https://github.com/example-org/trainer) on the data
described in the [technical report](https://arxiv.org/abs/2401.00001).
"""


def write_shard(path: Path, total_bytes: int, sparse: bool, tensors: int = 8) -> None:
    """A valid safetensors file of ``total_bytes``: a real header, then the data section,
    written out or left as a hole (``sparse``: no disk used)."""
    per_tensor = (total_bytes // tensors) // 2 * 2
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for index in range(tensors):
        elements = per_tensor // 2
        header[f"layer.{index}.weight"] = {
            "dtype": "F16", "shape": [elements], "data_offsets": [offset, offset + per_tensor]
        }
        offset += per_tensor
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with path.open("wb") as handle:
        handle.write(struct.pack("<Q", len(raw)))
        handle.write(raw)
        if sparse:
            handle.truncate(8 + len(raw) + offset)
        else:
            handle.write(b"\x01" * offset)


APACHE_TEXT = Path(__file__).resolve().parents[2] / "shared" / "data" / "licenses" / "texts" / "apache-2.0.LICENSE"


def make_release(root: Path, total_bytes: int, shards: int, sparse: bool, full_text: bool = False) -> Path:
    """A release folder whose shards add up to ``total_bytes``; its LICENSE is a two-line
    notice, or the full Apache-2.0 text from ../shared/data when ``full_text``."""
    root.mkdir(parents=True)
    (root / "README.md").write_text(CARD)
    if full_text:
        (root / "LICENSE").write_text(APACHE_TEXT.read_text("utf-8").split("---", 2)[2].lstrip())
    else:
        (root / "LICENSE").write_text("Released under the Apache License, Version 2.0.\n"
                                      "https://www.apache.org/licenses/LICENSE-2.0\n")
    (root / "config.json").write_text(json.dumps({"model_type": "llama", "architectures": ["LlamaForCausalLM"]}))
    weight_map = {}
    for index in range(1, shards + 1):
        name = f"model-{index:05d}-of-{shards:05d}.safetensors"
        write_shard(root / name, total_bytes // shards, sparse)
        weight_map.update({f"layer.{i}.weight": name for i in range(8)})
    (root / "model.safetensors.index.json").write_text(
        json.dumps({"metadata": {"total_size": total_bytes}, "weight_map": weight_map}))
    return root


def run_once(release: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one whole audit process."""
    command = [sys.executable, "-m", "openness", "audit", str(release), "--format", "json"]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"audit failed: {process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per release (default 9)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="openness-bench-"))
    try:
        env = dict(os.environ, OPENNESS_CACHE_DIR=str(work / "cache"))
        releases = {
            "1 MB (4 shards)": make_release(work / "small", 1 << 20, 4, sparse=False),
            "100 GB (4 shards)": make_release(work / "large", 100 << 30, 4, sparse=True),
        }
        if APACHE_TEXT.exists():  # the same, with the full license text to identify
            releases["100 GB, full text"] = make_release(work / "large-text", 100 << 30, 4, sparse=True, full_text=True)
        apparent = {k: sum(f.stat().st_size for f in v.iterdir()) for k, v in releases.items()}
        on_disk = {k: sum(f.stat().st_blocks * 512 for f in v.iterdir()) for k, v in releases.items()}
        run_once(releases["1 MB (4 shards)"], env)  # warm the caches (license index, page cache)
        print(f"{'release':<20}{'apparent size':>16}{'on disk':>12}{'median s':>10}{'max s':>8}{'peak MB':>9}")
        samples: dict[str, list[tuple[float, float]]] = {label: [] for label in releases}
        for _ in range(args.runs):  # interleaved, so drift in machine load hits both alike
            for label, release in releases.items():
                samples[label].append(run_once(release, env))
        medians = {}
        for label in releases:
            times = [s[0] for s in samples[label]]
            peak = max(s[1] for s in samples[label])
            medians[label] = statistics.median(times)
            print(f"{label:<20}{apparent[label]:>16,}{on_disk[label] / 1e6:>10.1f}MB"
                  f"{medians[label]:>10.3f}{max(times):>8.3f}{peak:>9.1f}")
        ratio = medians["100 GB (4 shards)"] / medians["1 MB (4 shards)"]
        print(f"time ratio 100 GB / 1 MB: {ratio:.2f} (goals: ratio ~1.0, median <= 0.5 s, peak <= 150 MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
