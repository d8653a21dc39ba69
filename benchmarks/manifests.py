"""Benchmark: every manifest of the Model Openness Tool database audited in one process.

Runs a fresh Python process that audits all MOT model files (../shared/data/mot/models) with
the same auditor as `openness audit model.yml`, and reports its whole-process wall time (the
goal: under 5 s for the 273 manifests, on one core) and peak memory.

Run: `.venv/bin/python benchmarks/manifests.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

MODELS = Path(__file__).resolve().parents[2] / "shared" / "data" / "mot" / "models"
PROGRAM = """
import sys
from pathlib import Path
from openness.audit import Auditor
auditor = Auditor()
paths = sorted(Path(sys.argv[1]).glob("*.yml"))
classes = [auditor.audit_manifest(path).to_dict()["verdicts"]["mof"]["class"] for path in paths]
print(len(paths))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs (default 5)")
    args = parser.parse_args()
    if not MODELS.is_dir():
        print(f"MOT data not found at {MODELS}", file=sys.stderr)
        return 2
    times, peaks, count = [], [], ""
    for _ in range(args.runs):
        start = time.perf_counter()
        # taskset pins the process to one core where available.
        command = [sys.executable, "-c", PROGRAM, str(MODELS)]
        if os.path.exists("/usr/bin/taskset"):
            command = ["/usr/bin/taskset", "-c", "0", *command]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        count = process.stdout.read().decode().strip() if process.stdout else "?"
        if status != 0:
            print(process.stderr.read().decode() if process.stderr else "failed", file=sys.stderr)
            return 1
    print(f"{count} manifests, one process, one core: median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s, peak {max(peaks):.0f} MB (goal: under 5 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
