"""Benchmark: our European Open Source AI Index grades against the index's own, on the MOT models.

Models present both in the MOT database (``../shared/data/mot/models/*.yml``) and in the index
(``../shared/data/osai_index``) are matched by normalised name (lower case, letters and digits only):
the MOT file name and ``release.name`` against the index's ``system.name``, ``endmodelname``,
``basemodelname`` and file name. Each MOT manifest is audited with ``Auditor().audit_manifest()`` and
graded with :func:`openness.frameworks.openness_index.grade_release`; the index's classes and
``score12`` come from ``osai_index_summary.csv``.

Per dimension: how many pairs we judged, the exact-grade agreement over those, and the confusion
counts (ours x index). Overall: Pearson correlation between our score and ``score12``.

Run: ``.venv/bin/python benchmarks/openness_index_agreement.py``. Writes the table to
``benchmarks/openness-index-agreement.md`` (a published result). Needs no network.
"""

from __future__ import annotations

import csv
import math
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from openness.audit import Auditor
from openness.frameworks.openness_index import IndexResult, grade_release, load_index_framework

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
MOT = SHARED / "mot" / "models"
INDEX = SHARED / "osai_index"
OUT = ROOT / "benchmarks" / "openness-index-agreement.md"
GRADES = ("open", "partial", "closed")
KEYS = ("file", "system.name", "endmodelname", "basemodelname")
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def norm(name: object) -> str:
    """Lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", str(name or "").lower())


def index_names() -> dict[str, tuple[str, str, str]]:
    """Normalised name -> (index file name, key it matched on, normalised system name).

    The first file claiming a name wins, stronger keys first: file name, system name, end model, base model.
    """
    names: dict[str, tuple[str, str, str]] = {}
    files = sorted((INDEX / "main-database").glob("*.yaml"))
    models = []
    for path in files:
        if path.name.startswith(("_", "a_submission")):
            continue
        data = yaml.load(path.read_text("utf-8"), Loader=_LOADER) or {}
        system = data.get("system") or {}
        models.append((path.name, [path.stem, system.get("name"), system.get("endmodelname"),
                                   system.get("basemodelname")]))
    for position, kind in enumerate(KEYS):
        for file, keys in models:
            key = norm(keys[position])
            if key and key not in names:
                names[key] = (file, kind, norm(keys[1]))
    return names


def family_match(mot_name: str, system: str) -> bool:
    """A base-model name match counts only when the index system is of the same family.

    Same family: the first 4 characters of the system's normalised name (all of a shorter name) start ours.

    Without this check a base model (Llama-2-13B) matches every system fine-tuned from it (BELLE,
    ChatMusician), which the index grades as the fine-tune, not as the base.
    """
    return bool(system) and norm(mot_name).startswith(system[:4])


def summary() -> dict[str, dict[str, str]]:
    """``osai_index_summary.csv`` rows by file name."""
    with (INDEX / "osai_index_summary.csv").open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None when undefined."""
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else None


def main() -> int:
    if not MOT.is_dir() or not INDEX.is_dir():
        print(f"shared data missing: {MOT} or {INDEX}", file=sys.stderr)
        return 2
    names = index_names()
    rows = summary()
    auditor = Auditor()
    pairs: list[tuple[str, str, IndexResult]] = []
    matched_on: dict[str, str] = {}
    rejected: list[str] = []
    for path in sorted(MOT.glob("*.yml")):
        manifest = yaml.load(path.read_text("utf-8"), Loader=_LOADER) or {}
        release_name = (manifest.get("release") or {}).get("name")
        hit = next((names[k] for k in (norm(path.stem), norm(release_name)) if k in names), None)
        if hit is None or hit[0] not in rows:
            continue
        match, kind, system = hit
        if kind == "basemodelname" and not family_match(path.stem, system):
            rejected.append(f"{path.name} ↛ {match}")
            continue
        matched_on[path.name] = kind
        report = auditor.audit_manifest(path).to_dict()
        result = grade_release(report["components"], str(report["terms"].get("class") or "unknown"),
                               list(report["lineage"]))
        pairs.append((path.name, match, result))

    framework = load_index_framework()
    lines = [
        "# Openness index agreement: openness vs the European Open Source AI Index",
        "",
        f"Generated by `benchmarks/openness_index_agreement.py`. Index: main-database commit "
        f"5a388e8 ({framework.version}), CC-BY-4.0, doi:10.5281/zenodo.15386042. Ours: MOT manifests "
        "audited with `Auditor().audit_manifest()` and graded with `grade_release()`.",
        "",
        f"Matched models (MOT manifest ↔ index file, by normalised name): **{len(pairs)}** "
        f"({', '.join(f'{n} on {k}' for k, n in Counter(matched_on.values()).most_common())}). "
        f"Rejected base-model matches to another family's fine-tune ({len(rejected)}): "
        f"{', '.join(rejected) or 'none'}.",
        "",
        "## Per dimension",
        "",
        "Agreement = exact grade over the pairs we judged. Confusion: ours→index counts "
        "(o = open, p = partial, c = closed).",
        "",
        "| dimension | judged | agree | rate | " + " | ".join(f"{a[0]}→{b[0]}" for a in GRADES for b in GRADES) + " |",
        "|---|---:|---:|---:|" + "---:|" * 9,
    ]
    total_judged = total_agree = 0
    for dimension in framework.dimensions:
        confusion: Counter[tuple[str, str]] = Counter()
        for _, file, result in pairs:
            ours = result.grade(dimension.id).grade
            theirs = rows[file][dimension.id]
            if ours is not None and theirs in GRADES:
                confusion[(ours, theirs)] += 1
        judged = sum(confusion.values())
        agree = sum(confusion[(g, g)] for g in GRADES)
        total_judged += judged
        total_agree += agree
        rate = f"{agree / judged:.0%}" if judged else "n/a"
        cells = " | ".join(str(confusion[(a, b)]) for a in GRADES for b in GRADES)
        lines.append(f"| {dimension.id} | {judged} | {agree} | {rate} | {cells} |")
    overall = f"{total_agree / total_judged:.0%}" if total_judged else "n/a"
    lines.append(f"| **all judged** | {total_judged} | {total_agree} | {overall} |" + " |" * 9)

    scored = [(r.score, float(rows[f]["score12"])) for _, f, r in pairs if r.score is not None]
    r = pearson([s for s, _ in scored], [t for _, t in scored])
    mean_abs = sum(abs(s - t) for s, t in scored) / len(scored) if scored else float("nan")
    lines += [
        "",
        "## Score",
        "",
        f"Pearson r between our score (mean over judged dimensions) and the index's score12: "
        f"**{'n/a' if r is None else f'{r:.3f}'}** over {len(scored)} models "
        f"(mean absolute difference {mean_abs:.3f}).",
        "",
        "Unjudged by rule: `paper` (peer review is not visible in artifacts); `datasources_basemodel` "
        "when a base model is named (MOT manifests name none, so here it mirrors the end model).",
        "",
        "## Matched pairs",
        "",
        "| MOT manifest | index file | matched on | our score | score12 |",
        "|---|---|---|---:|---:|",
    ]
    for mot_file, file, result in pairs:
        mine = "n/a" if result.score is None else f"{result.score:.3f}"
        lines.append(f"| {mot_file} | {file} | {matched_on[mot_file]} | {mine} | {float(rows[file]['score12']):.3f} |")
    text = "\n".join(lines) + "\n"
    OUT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
