"""Benchmark: the license engine (`openness license`) against ScanCode Toolkit, on accuracy and time.

Corpus, written one file each into a temporary folder:

* ``shared``: the reference texts in ``../shared/data/licenses/texts/*.LICENSE`` (ScanCode's own
  license database), YAML header stripped; labels from that header (``spdx_license_key``,
  ``category``) plus a small hand table of restriction kinds every reader must find.
* ``variants``: the variant corpus of ``tests/fixtures/license_variants/manifest.yaml``, materialised by
  ``tests/licenses/variants.py`` (used when present); labels from each entry's ``expect``.

A file whose text is a reference text unchanged is in the ``reference`` subset, any other in
``variant``; with ``--corpus all`` an unchanged manifest entry replaces the shared copy (one file per text).

Both tools read the same folder in one whole process each: ``openness license FILE... --format
json`` (cold: a fresh ``OPENNESS_CACHE_DIR``; warm: the same cache again) and ``scancode --license
--license-references --json-pp OUT --processes 1 FOLDER`` (installed on first use in its own venv,
``benchmarks/.venv-scancode``). Wall time and peak memory come from the kernel (wait4 rusage).

Run: ``make bench-licenses`` (or ``.venv/bin/python benchmarks/licenses.py [--no-scancode]
[--corpus shared|variants|all] [--runs N] [--per-file]``). Figures: ``benchmarks/out/licenses.json``.
Never part of the test suite; needs no network except pip's registry for the ScanCode install.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED_TEXTS = ROOT.parent / "shared" / "data" / "licenses" / "texts"
VARIANT_MANIFEST = ROOT / "tests" / "fixtures" / "license_variants" / "manifest.yaml"
VARIANT_MODULE = "tests.licenses.variants"
OUT_FILE = ROOT / "benchmarks" / "out" / "licenses.json"
SCANCODE_VENV = ROOT / "benchmarks" / ".venv-scancode"
SCANCODE_REQUIREMENTS = ("scancode-toolkit", "pluggy<1.6")

# ScanCode categories whose licenses restrict use (Source-available is where ScanCode 32 files
# CC-BY-NC-*, CC-BY-ND-* and the DeepSeek license), and those that grant OSD freedoms.
RESTRICTIVE_CATEGORIES = frozenset({"Proprietary Free", "Non-Commercial", "Free Restricted", "Commercial",
                                    "Source-available"})
OPEN_CATEGORIES = frozenset({"Permissive", "Copyleft", "Copyleft Limited", "Public Domain"})

# Restriction kinds of design.md; the first seven break the Open Source Definition.
BREAKING_KINDS = frozenset({"non-commercial", "field-of-use", "user-threshold", "geographic", "no-derivatives",
                            "model-improvement", "modification-restriction"})
ALL_KINDS = BREAKING_KINDS | {"unilateral-change", "attribution-naming"}

# ScanCode license keys of AI licenses and policies -> openness catalog ids (ScanCode 32.5 keys).
SCANCODE_TO_OPENNESS: dict[str, str] = {
    "llama-license-2023": "LicenseRef-llama1",
    "llama-2-license-2023": "LicenseRef-llama2",
    "llama-3.1-license-2024": "LicenseRef-llama3.1",
    "llama-3.2-license-2024": "LicenseRef-llama3.2",
    "llama-3.3-license-2024": "LicenseRef-llama3.3",
    "llama-4-cla-2025": "LicenseRef-llama4",
    "llama-4-license-2025": "LicenseRef-llama4-aup",  # ScanCode's "Llama 4 Acceptable Use Policy 2025"
    "gemma-tou-2024-04-01": "LicenseRef-gemma-terms-2024",
    "gemma-tou-2025-03-24": "LicenseRef-gemma-terms-2025",
    "gemma-pup-2024-02-21": "LicenseRef-gemma-prohibited-use-policy",
    "bigscience-rail-1.0": "LicenseRef-bigscience-bloom-rail-1.0",
    "bigscience-open-rail-m": "LicenseRef-bigscience-openrail-m",
    "bigcode-open-rail-m-v1": "LicenseRef-bigcode-openrail-m-v1",
    "stable-diffusion-2022-08-22": "LicenseRef-creativeml-openrail-m",
    "stability-ai-community-2024": "LicenseRef-stability-ai-community",
    "stability-ai-nc-2023-12-06": "LicenseRef-stability-ai-nc-research-community",
    "qwen-2024": "LicenseRef-qwen",
    "tongyi-qianwen-2023": "LicenseRef-tongyi-qianwen",
    "deepseek-la-1.0": "LicenseRef-deepseek-license-1.0",
    "falcon-2-11b-1.0": "LicenseRef-falcon-2-11b-tii-1.0",
    "nvidia-open-model-2025-04-28": "LicenseRef-nvidia-open-model-license",
    "openmdw-1.0": "OpenMDW-1.0",  # SPDX has OpenMDW-1.0; ScanCode 32.5 still says LicenseRef-scancode-openmdw-1.0
}

# Family ids that name no single license: a text labelled with one is not an "AI license" case.
GENERIC_IDS = frozenset({"LicenseRef-gpl", "LicenseRef-lgpl", "LicenseRef-gfdl", "LicenseRef-bsd", "LicenseRef-cc",
                         "LicenseRef-other", "LicenseRef-unknown"})

# Restriction kinds of the shared restrictive texts: (kinds a reader must find, kinds it must not
# report). Conservative: only headline clauses, each checked against the text (line numbers in
# benchmarks/README.md). Permissive and copyleft texts must report no kind at all.
SHARED_KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "cc-by-nc-4.0": (frozenset({"non-commercial"}), frozenset({"no-derivatives"})),
    "cc-by-nc-sa-4.0": (frozenset({"non-commercial"}), frozenset({"no-derivatives"})),
    "cc-by-nd-4.0": (frozenset({"no-derivatives"}), frozenset({"non-commercial"})),
    "stability-ai-nc-2023-12-06": (frozenset({"non-commercial"}), frozenset()),
    "llama-2-license-2023": (frozenset({"user-threshold", "field-of-use", "model-improvement"}),
                             frozenset({"non-commercial"})),
    "llama-3.1-license-2024": (frozenset({"user-threshold", "field-of-use", "attribution-naming"}),
                               frozenset({"non-commercial", "model-improvement"})),
    "llama-3.2-license-2024": (frozenset({"user-threshold", "field-of-use", "attribution-naming"}),
                               frozenset({"non-commercial", "model-improvement"})),
    "llama-4-license-2025": (frozenset({"field-of-use", "geographic"}), frozenset({"non-commercial"})),
    "gemma-tou-2024-04-01": (frozenset({"field-of-use"}), frozenset({"non-commercial"})),
    "gemma-pup-2024-02-21": (frozenset({"field-of-use", "unilateral-change"}), frozenset({"non-commercial"})),
    "bigscience-rail-1.0": (frozenset({"field-of-use"}), frozenset({"non-commercial"})),
    "bigscience-open-rail-m": (frozenset({"field-of-use"}), frozenset({"non-commercial"})),
    "bigcode-open-rail-m-v1": (frozenset({"field-of-use"}), frozenset({"non-commercial"})),
    "stable-diffusion-2022-08-22": (frozenset({"field-of-use"}), frozenset({"non-commercial"})),
    "deepseek-la-1.0": (frozenset({"field-of-use"}), frozenset({"non-commercial"})),
    "falcon-2-11b-1.0": (frozenset({"field-of-use", "unilateral-change"}), frozenset({"non-commercial"})),
    "qwen-2024": (frozenset({"user-threshold", "attribution-naming"}),
                  frozenset({"non-commercial", "model-improvement"})),
    "tongyi-qianwen-2023": (frozenset({"user-threshold", "model-improvement"}), frozenset({"non-commercial"})),
}


# ------------------------------------------------------------------------------------------------
# Corpus
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One text of the corpus and what a correct reader says about it."""

    name: str  # relative path in the corpus folder, e.g. "shared/mit.LICENSE"
    origin: str  # "shared" (a reference text, header labels) | "variants" (a manifest entry)
    text: str
    expected_id: str | None  # SPDX id or openness LicenseRef-…; None: no license should be named
    expected_match: str | None  # "exact" | "modified" | "unknown" | None (not labelled)
    expected_osd: bool | None  # with osd_labelled: None means "cannot be confirmed" is the right answer
    osd_labelled: bool = True
    kinds: frozenset[str] = frozenset()
    not_kinds: frozenset[str] = frozenset()
    label: str = ""  # where the labels come from (ScanCode key and category, or the variant's name)
    subset: str = "reference"  # "reference": a shared text unchanged; "variant": anything else

    @property
    def group(self) -> str:
        """``ai`` (an AI-specific license or policy), ``standard``, or ``none`` (nothing to name)."""
        if self.expected_id is None:
            return "none"
        if self.expected_id.startswith("LicenseRef-") and self.expected_id not in GENERIC_IDS:
            return "ai"
        return "standard"


def split_header(raw: str) -> tuple[dict[str, Any], str]:
    """ScanCode's YAML header (between the first two ``---`` lines) and the text after it."""
    import yaml

    lines = raw.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, raw
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            header = yaml.safe_load("".join(lines[1:end])) or {}
            return (header if isinstance(header, dict) else {}), "".join(lines[end + 1:]).lstrip("\n")
    return {}, raw


def openness_id(scancode_key: str, spdx_key: str | None) -> str:
    """The id openness should give a text ScanCode files under ``scancode_key``."""
    if scancode_key in SCANCODE_TO_OPENNESS:
        return SCANCODE_TO_OPENNESS[scancode_key]
    return spdx_key or f"LicenseRef-scancode-{scancode_key}"


def load_shared(texts: Path = SHARED_TEXTS) -> list[Case]:
    """The reference texts, labelled from their ScanCode headers."""
    cases = []
    for path in sorted(texts.glob("*.LICENSE")):
        header, text = split_header(path.read_text(encoding="utf-8"))
        key = str(header.get("key") or path.stem)
        category = str(header.get("category") or "")
        spdx = header.get("spdx_license_key")
        expected_id = openness_id(key, str(spdx) if spdx else None)
        if category in RESTRICTIVE_CATEGORIES:
            osd: bool | None = False
            kinds, not_kinds = SHARED_KINDS.get(key, (frozenset(), frozenset()))
        elif category in OPEN_CATEGORIES:
            osd, kinds, not_kinds = True, frozenset(), ALL_KINDS
        else:
            osd, kinds, not_kinds = None, frozenset(), frozenset()
        cases.append(Case(name=f"shared/{key}.LICENSE", origin="shared", text=text, expected_id=expected_id,
                          expected_match="exact", expected_osd=osd, osd_labelled=osd is not None, kinds=kinds,
                          not_kinds=not_kinds, label=f"{key} · {category}"))
    return cases


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """A field of a manifest entry, whether it is a mapping or an object."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def variants_available() -> bool:
    """True when the variant manifest and its materialiser are both in the tree."""
    return VARIANT_MANIFEST.is_file() and (ROOT / "tests" / "licenses" / "variants.py").is_file()


def load_variants(texts: Path = SHARED_TEXTS) -> list[Case]:
    """The variant corpus, materialised by ``tests/licenses/variants.py`` (entries it returns None for are skipped)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    module = importlib.import_module(VARIANT_MODULE)
    load_manifest: Callable[[], Iterable[Any]] = module.load_manifest
    materialize: Callable[[Any, Path], str | None] = module.materialize
    cases: list[Case] = []
    seen: Counter[str] = Counter()
    for index, entry in enumerate(load_manifest()):
        raw_name = str(_get(entry, "name") or _get(entry, "id") or f"variant-{index:03d}")
        try:
            text = materialize(entry, texts)
        except Exception as problem:  # an authoring error in one entry must not stop the benchmark
            print(f"note: variant {raw_name} skipped: {problem}", flush=True)
            continue
        if text is None:
            continue
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in raw_name)
        seen[safe] += 1
        if seen[safe] > 1:
            safe = f"{safe}-{seen[safe]}"
        expect = _get(entry, "expect") or {}
        kinds = frozenset(str(k) for k in (_get(expect, "kinds") or ()))
        not_kinds = frozenset(str(k) for k in (_get(expect, "not_kinds") or ()))
        missing = object()
        osd = _get(expect, "osd_conformant", missing)
        labelled = osd is not missing
        if kinds & BREAKING_KINDS:
            osd, labelled = False, True  # a text with a breaking kind is never OSD-conformant
        match = _get(expect, "match")
        expected_id = _get(expect, "id")
        cases.append(Case(name=f"variants/{safe}.LICENSE", origin="variants", text=text,
                          expected_id=str(expected_id) if expected_id else None,
                          expected_match=str(match) if match else None,
                          expected_osd=osd if isinstance(osd, bool) else None, osd_labelled=labelled,
                          kinds=kinds, not_kinds=not_kinds, label=raw_name))
    return cases


def build_corpus(choice: str) -> tuple[list[Case], list[str]]:
    """The cases for ``--corpus`` (shared | variants | all), each with its subset, and notes.

    A variant whose text equals a reference text is in the ``reference`` subset; with ``all``, such a
    variant replaces the shared copy (one file per distinct text; the manifest's labels win, and a
    label that contradicts the ScanCode header is noted).
    """
    notes: list[str] = []
    shared = load_shared() if SHARED_TEXTS.is_dir() else []
    if choice in ("shared", "all") and not shared:
        raise SystemExit(f"reference texts not found: {SHARED_TEXTS}")
    variants: list[Case] = []
    if choice in ("variants", "all"):
        if variants_available():
            variants = load_variants()
        elif choice == "variants":
            raise SystemExit(f"variant corpus not found: {VARIANT_MANIFEST.relative_to(ROOT)} and "
                             "tests/licenses/variants.py")
        else:
            notes.append("variant corpus absent: shared reference texts only")
    by_text = {case.text: case for case in shared}
    cases = [] if choice == "variants" else list(shared)
    for variant in variants:
        reference = by_text.get(variant.text)
        if reference is None:
            cases.append(replace(variant, subset="variant"))
            continue
        if choice == "all":
            cases = [c for c in cases if c is not reference]
            for what, ours, theirs in (("id", reference.expected_id, variant.expected_id),
                                       ("osd_conformant", reference.expected_osd, variant.expected_osd)):
                if ours != theirs:
                    notes.append(f"label conflict on {variant.name}: {what} {theirs} (manifest) vs {ours} "
                                 f"(ScanCode header of {reference.name})")
            contradictions = (reference.kinds & variant.not_kinds) | (reference.not_kinds & variant.kinds)
            if contradictions:
                notes.append(f"label conflict on {variant.name}: kinds {sorted(contradictions)} (manifest vs "
                             "SHARED_KINDS)")
        cases.append(replace(variant, subset="reference"))
    cases.sort(key=lambda c: (c.subset != "reference", c.origin, c.name))
    return cases, notes


def write_corpus(cases: Sequence[Case], folder: Path) -> None:
    """One file per case under ``folder``."""
    for case in cases:
        path = folder / case.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.text.encode("utf-8"))  # bytes: CRLF and mixed line endings stay as built


# ------------------------------------------------------------------------------------------------
# Processes
# ------------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One whole process: wall seconds, peak resident memory, exit status, output files."""

    label: str
    seconds: float
    peak_mb: float
    status: int
    stdout: Path
    stderr: Path


def run_process(label: str, command: Sequence[str], env: Mapping[str, str], work: Path) -> Run:
    """Run ``command`` to completion with its output in files; time it and read its peak memory."""
    stdout, stderr = work / f"{label}.stdout", work / f"{label}.stderr"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(list(command), stdout=out, stderr=err, env=dict(env), cwd=work)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    return Run(label, seconds, usage.ru_maxrss / 1024, process.returncode, stdout, stderr)


def tail(path: Path, lines: int = 8) -> str:
    """The last lines of a text file, for an error message."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass
class Reading:
    """What one tool said about one file (None: the tool gives no such reading)."""

    id: str | None
    match: str | None
    osd: bool | None
    kinds: frozenset[str] | None
    detail: str = ""


@dataclass
class ToolResult:
    """A tool's readings over the corpus and its process runs."""

    tool: str
    version: str
    readings: dict[str, Reading]
    cold: Run
    warm: list[Run]
    notes: list[str] = field(default_factory=list)
    cold_runs: list[Run] = field(default_factory=list)
    """Every cold run (``cold`` is the one of median time)."""

    @property
    def warm_seconds(self) -> float:
        """Median wall time of the warm runs."""
        return statistics.median(r.seconds for r in self.warm)


def _openness_json(run: Run) -> list[dict[str, Any]]:
    """The JSON array one ``openness license`` run printed; exit 2 is fine when a file had a problem."""
    try:
        parsed = json.loads(run.stdout.read_text())
    except (OSError, ValueError):
        parsed = None
    if run.status not in (0, 2) or not isinstance(parsed, list):
        raise SystemExit(f"openness license failed ({run.label}, exit {run.status}, no JSON array on stdout):\n"
                         f"{tail(run.stderr)}")
    return parsed


def median_run(runs: Sequence[Run]) -> Run:
    """The run of median wall time (the lower middle one of an even number)."""
    return sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]


def run_openness(cases: Sequence[Case], corpus: Path, work: Path, runs: int, cold_runs: int = 1) -> ToolResult:
    """``openness license`` over every file of the corpus, ``cold_runs`` times cold (each with a
    fresh cache folder) and ``runs`` times warm (reusing the last cold run's cache)."""
    command = [sys.executable, "-m", "openness", "license", *(str(corpus / c.name) for c in cases),
               "--format", "json"]
    colds = []
    for index in range(cold_runs):
        env = dict(os.environ, OPENNESS_CACHE_DIR=str(work / f"openness-cache-{index}"))
        print(f"openness: {len(cases)} files, cold run {index + 1}/{cold_runs} (fresh OPENNESS_CACHE_DIR) …",
              flush=True)
        colds.append(run_process(f"openness-cold-{index}", command, env, work))
    cold = median_run(colds)
    warm = []
    for index in range(runs):
        print(f"openness: warm run {index + 1}/{runs} …", flush=True)
        warm.append(run_process(f"openness-warm-{index}", command, env, work))
    outputs = [_openness_json(run) for run in (*colds, *warm)]
    notes = []
    parsed = outputs[0]
    if any(output != parsed for output in outputs[1:cold_runs]):
        notes.append("cold runs differ in output")
    if any(output != parsed for output in outputs[cold_runs:]):
        notes.append("warm output differs from cold output (the cache changes answers)")
    readings = {}
    for case, item in zip(cases, parsed, strict=True):
        restrictions = item.get("restrictions") or []
        readings[case.name] = Reading(
            id=item.get("id"), match=item.get("match"), osd=item.get("osd_conformant"),
            kinds=frozenset(str(r.get("kind")) for r in restrictions),
            detail="; ".join(f"{r.get('kind')}@{r.get('line')}" for r in restrictions))
    version = subprocess.run([sys.executable, "-m", "openness", "--version"], capture_output=True, text=True,
                             check=False).stdout.strip() or "?"
    return ToolResult("openness", version, readings, cold, warm, notes, colds)


# ------------------------------------------------------------------------------------------------
# ScanCode
# ------------------------------------------------------------------------------------------------


@dataclass
class Install:
    """Where ScanCode is, and what installing it cost (``seconds`` None: it was already there)."""

    scancode: Path | None
    version: str
    seconds: float | None
    problem: str | None = None


def _scancode_version(scancode: Path) -> str | None:
    try:
        done = subprocess.run([str(scancode), "--version"], capture_output=True, text=True, timeout=300,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    first = done.stdout.strip().splitlines()
    return first[0].replace("ScanCode version:", "").strip() if first else "?"


def ensure_scancode(venv: Path = SCANCODE_VENV) -> Install:
    """ScanCode in its own venv, installed from pip's registry on first use; progress is printed."""
    scancode = venv / "bin" / "scancode"
    if scancode.exists():
        version = _scancode_version(scancode)
        if version is not None:
            return Install(scancode, version, None)
        return Install(None, "?", None, f"{scancode} exists but `scancode --version` fails; delete {venv} to "
                                        "reinstall")
    python = shutil.which("python3") or sys.executable
    print(f"ScanCode: installing into {venv} (big: several minutes) …", flush=True)
    start = time.perf_counter()
    if not (venv / "bin" / "pip").exists():
        made = subprocess.run([python, "-m", "venv", str(venv)], capture_output=True, text=True, check=False)
        if made.returncode != 0:
            return Install(None, "?", None, f"`{python} -m venv` failed: {made.stderr.strip()[-400:]}")
    command = [str(venv / "bin" / "pip"), "install", *SCANCODE_REQUIREMENTS]
    print("  $ " + " ".join(command), flush=True)
    last: list[str] = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as pip:
        assert pip.stdout is not None
        for line in pip.stdout:
            line = line.rstrip()
            last = [*last[-19:], line]
            if line.startswith(("Collecting", "Installing", "Successfully", "ERROR", "error")):
                print(f"  pip: {line[:160]}", flush=True)
        status = pip.wait()
    seconds = time.perf_counter() - start
    if status != 0:
        return Install(None, "?", seconds, "pip install failed:\n" + "\n".join(last[-8:]))
    version = _scancode_version(scancode)
    if version is None:
        return Install(None, "?", seconds, "installed, but `scancode --version` fails")
    print(f"ScanCode {version} installed in {seconds:.0f} s", flush=True)
    return Install(scancode, version, seconds)


def scancode_reading(entry: Mapping[str, Any], categories: Mapping[str, str],
                     spdx_keys: Mapping[str, str | None], text_rules: frozenset[str]) -> Reading:
    """One file of ScanCode's JSON as a reading: the id of the largest detection, a derived match
    quality, and the restrictive-or-not reading of the categories of every key it detected.

    Match: ``unknown`` when no rule matched is a whole license text (only notices, references or
    tags: the text itself was not there); ``exact`` when one key is detected, every match is a
    license-text rule matched with score and coverage 100, and the whole file is license text;
    else ``modified``.
    """
    detections = entry.get("license_detections") or []
    if not detections:
        return Reading(None, "unknown", None, None, "no detection")

    def size(detection: Mapping[str, Any]) -> int:
        return sum(int(m.get("matched_length") or 0) for m in detection.get("matches") or [])

    primary = max(detections, key=size)
    keys: list[str] = []
    for match in (m for d in detections for m in d.get("matches") or []):
        for key in _expression_keys(str(match.get("license_expression") or "")):
            if key not in keys:
                keys.append(key)
    primary_keys = _expression_keys(str(primary.get("license_expression") or ""))
    if len(primary_keys) == 1:
        key = primary_keys[0]
        found: str | None = openness_id(key, spdx_keys.get(key))
    else:
        found = str(primary.get("license_expression_spdx") or primary.get("license_expression"))
    cats = [categories.get(k, "") for k in keys]
    if any(c in RESTRICTIVE_CATEGORIES for c in cats):
        osd: bool | None = False
    elif cats and all(c in OPEN_CATEGORIES for c in cats):
        osd = True
    else:
        osd = None
    matches = [m for d in detections for m in d.get("matches") or []]
    whole = float(entry.get("percentage_of_license_text") or 0.0)
    from_text = [str(m.get("rule_identifier")) in text_rules for m in matches]
    if not any(from_text):
        quality = "unknown"
    elif (len(keys) == 1 and whole >= 99.95 and all(from_text)
          and all(float(m.get("score") or 0) >= 100 and float(m.get("match_coverage") or 0) >= 100
                  for m in matches)):
        quality = "exact"
    else:
        quality = "modified"
    detail = f"{entry.get('detected_license_expression')} [{', '.join(c or '?' for c in cats)}] {whole:.0f}% text"
    return Reading(found, quality, osd, None, detail)


def _expression_keys(expression: str) -> list[str]:
    """License keys of a ScanCode expression (operators and brackets dropped)."""
    words = expression.replace("(", " ").replace(")", " ").split()
    return [w for w in words if w.upper() not in ("AND", "OR", "WITH")]


def run_scancode(install: Install, cases: Sequence[Case], corpus: Path, work: Path, runs: int,
                 cold_runs: int = 1) -> ToolResult:
    """ScanCode over the corpus folder, ``cold_runs`` times cold (each with a fresh SCANCODE_CACHE)
    and ``runs`` times warm."""
    assert install.scancode is not None
    output = work / "scancode.json"
    command = [str(install.scancode), "--license", "--license-references", "--json-pp", str(output),
               "--processes", "1", "--quiet", str(corpus)]
    colds = []
    for index in range(cold_runs):
        env = dict(os.environ, SCANCODE_CACHE=str(work / f"scancode-cache-{index}"))
        print(f"ScanCode: {len(cases)} files, cold run {index + 1}/{cold_runs} (fresh SCANCODE_CACHE) …", flush=True)
        run = run_process(f"scancode-cold-{index}", command, env, work)
        if run.status != 0:
            raise RuntimeError(f"scancode failed (exit {run.status}):\n{tail(run.stderr)}")
        colds.append(run)
    cold = median_run(colds)
    data = json.loads(output.read_text())
    warm = []
    for index in range(runs):
        print(f"ScanCode: warm run {index + 1}/{runs} …", flush=True)
        warm.append(run_process(f"scancode-warm-{index}", command, env, work))
    references = data.get("license_references") or []
    categories = {str(r["key"]): str(r.get("category") or "") for r in references}
    spdx_keys = {str(r["key"]): r.get("spdx_license_key") for r in references}
    text_rules = frozenset(str(r.get("identifier")) for r in data.get("license_rule_references") or []
                           if r.get("is_license_text"))
    root = corpus.name
    by_path = {}
    for entry in data.get("files") or []:
        if entry.get("type") == "file":
            path = str(entry.get("path") or "")
            by_path[path[len(root) + 1:] if path.startswith(root + "/") else path] = entry
    readings = {}
    notes = []
    for case in cases:
        entry = by_path.get(case.name)
        if entry is None:
            notes.append(f"{case.name}: not in ScanCode's output")
            readings[case.name] = Reading(None, None, None, None, "missing")
        else:
            readings[case.name] = scancode_reading(entry, categories, spdx_keys, text_rules)
    return ToolResult("scancode", install.version, readings, cold, warm, notes, colds)


# ------------------------------------------------------------------------------------------------
# Scoring
# ------------------------------------------------------------------------------------------------


def family(license_id: str | None) -> str | None:
    """An AI id without its document part: a license and its acceptable use policy share one."""
    if license_id is None:
        return None
    return license_id[: -len("-aup")] if license_id.endswith("-aup") else license_id


def id_right(case: Case, got: str | None, strict: bool = False) -> bool:
    """SPDX id exact for standard texts; for AI texts the right family and version."""
    if strict or case.group != "ai":
        return got == case.expected_id
    return family(got) == family(case.expected_id)


@dataclass
class Ratio:
    """``right`` of ``total``, printed as a count and a percentage."""

    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        """Count one judged case."""
        self.total += 1
        self.right += int(ok)

    @property
    def value(self) -> float | None:
        """The fraction, or None when nothing was judged."""
        return self.right / self.total if self.total else None

    def __str__(self) -> str:
        return "—" if not self.total else f"{self.right}/{self.total} {100 * self.right / self.total:.0f}%"


@dataclass
class Scores:
    """One tool's accuracy over a set of cases."""

    id_all: Ratio = field(default_factory=Ratio)
    id_ai: Ratio = field(default_factory=Ratio)
    id_standard: Ratio = field(default_factory=Ratio)
    id_strict: Ratio = field(default_factory=Ratio)
    match: Ratio = field(default_factory=Ratio)
    osd: Ratio = field(default_factory=Ratio)
    osd_unknown: int = 0
    dangerous: int = 0
    overclaims: int = 0
    kinds_tp: int = 0
    kinds_fp: int = 0
    kinds_fn: int = 0
    per_kind: dict[str, Counter[str]] = field(default_factory=dict)
    judged_kinds: bool = False

    @property
    def recall(self) -> Ratio:
        """Found kinds among the kinds a reader must find."""
        return Ratio(self.kinds_tp, self.kinds_tp + self.kinds_fn) if self.judged_kinds else Ratio()

    @property
    def precision(self) -> Ratio:
        """Right kinds among the labelled kinds reported (kinds in neither list are not judged)."""
        return Ratio(self.kinds_tp, self.kinds_tp + self.kinds_fp) if self.judged_kinds else Ratio()

    def as_dict(self) -> dict[str, Any]:
        """JSON form: each ratio as right, total, value."""

        def ratio(r: Ratio) -> dict[str, Any]:
            return {"right": r.right, "total": r.total, "value": r.value}

        return {
            "id_accuracy": ratio(self.id_all), "id_accuracy_ai": ratio(self.id_ai),
            "id_accuracy_standard": ratio(self.id_standard), "id_accuracy_strict": ratio(self.id_strict),
            "match_accuracy": ratio(self.match), "osd_accuracy": ratio(self.osd),
            "osd_unknown": self.osd_unknown, "dangerous_errors": self.dangerous, "overclaims": self.overclaims,
            "kind_recall": ratio(self.recall), "kind_precision": ratio(self.precision),
            "per_kind": {k: dict(v) for k, v in sorted(self.per_kind.items())},
        }


@dataclass
class Error:
    """One wrong answer of one tool on one case."""

    tool: str
    case: str
    check: str
    expected: str
    got: str
    detail: str = ""


def score(tool: str, cases: Sequence[Case], readings: Mapping[str, Reading],
          errors: list[Error] | None = None) -> Scores:
    """Judge ``readings`` against the labels of ``cases``; wrong answers go to ``errors``."""
    scores = Scores()
    wrong = errors if errors is not None else []
    for case in cases:
        got = readings[case.name]
        ok = id_right(case, got.id)
        scores.id_all.add(ok)
        scores.id_strict.add(id_right(case, got.id, strict=True))
        if case.group == "ai":
            scores.id_ai.add(ok)
        elif case.group == "standard":
            scores.id_standard.add(ok)
        if not ok:
            wrong.append(Error(tool, case.name, "id", str(case.expected_id), str(got.id), got.detail))
        if case.expected_match is not None and got.match is not None:
            scores.match.add(got.match == case.expected_match)
            if got.match != case.expected_match:
                wrong.append(Error(tool, case.name, "match", case.expected_match, got.match))
        if case.osd_labelled:
            scores.osd.add(got.osd is case.expected_osd)
            scores.osd_unknown += int(got.osd is None and case.expected_osd is not None)
            if got.osd is not case.expected_osd:
                dangerous = case.expected_osd is False and got.osd is True
                overclaim = case.expected_osd is None and got.osd is True
                scores.dangerous += int(dangerous)
                scores.overclaims += int(overclaim)
                check = "DANGEROUS osd" if dangerous else "osd overclaim" if overclaim else "osd_conformant"
                wrong.append(Error(tool, case.name, check, _osd(case.expected_osd), _osd(got.osd), got.detail))
        if got.kinds is not None and (case.kinds or case.not_kinds):
            scores.judged_kinds = True
            missing, extra = case.kinds - got.kinds, got.kinds & case.not_kinds
            scores.kinds_tp += len(case.kinds & got.kinds)
            scores.kinds_fn += len(missing)
            scores.kinds_fp += len(extra)
            for kind in case.kinds | case.not_kinds:
                outcome = ("tp" if kind in got.kinds else "fn") if kind in case.kinds else (
                    "fp" if kind in got.kinds else "tn")
                scores.per_kind.setdefault(kind, Counter())[outcome] += 1
            if missing:
                wrong.append(Error(tool, case.name, "kinds missed", ", ".join(sorted(missing)),
                                   ", ".join(sorted(got.kinds)) or "none"))
            if extra:
                wrong.append(Error(tool, case.name, "kinds not expected", "not " + ", ".join(sorted(extra)),
                                   got.detail))
    return scores


# ------------------------------------------------------------------------------------------------
# Output
# ------------------------------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], title: str = "") -> str:
    """A plain fixed-width table; the first column left-aligned, the rest right-aligned."""
    cells = [[str(c) for c in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [title] if title else []
    for number, row in enumerate(cells):
        lines.append("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def left_table(headers: Sequence[str], rows: Sequence[Sequence[object]], title: str = "") -> str:
    """A fixed-width table with every column left-aligned (for text cells)."""
    cells = [[str(c) for c in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [title] if title else []
    for number, row in enumerate(cells):
        lines.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters."""
    return text if len(text) <= width else text[: width - 1] + "…"


def accuracy_table(results: Mapping[str, Mapping[str, Scores]], subsets: Sequence[str]) -> str:
    """Metric rows; one column per tool and corpus subset."""
    columns = [(tool, subset) for tool in results for subset in subsets]
    rows: list[list[object]] = []
    metrics: list[tuple[str, Callable[[Scores], object]]] = [
        ("id accuracy (all)", lambda s: s.id_all),
        ("  AI licenses (family+version)", lambda s: s.id_ai),
        ("  standard licenses (SPDX id)", lambda s: s.id_standard),
        ("  strict id (exact id everywhere)", lambda s: s.id_strict),
        ("match accuracy (exact/modified)", lambda s: s.match),
        ("osd_conformant accuracy", lambda s: s.osd),
        ("  no reading where one was due", lambda s: s.osd_unknown),
        ("  overclaims (null due, true given)", lambda s: s.overclaims),
        ("DANGEROUS: restrictive read as OSD", lambda s: s.dangerous),
        ("restriction-kind recall", lambda s: s.recall),
        ("restriction-kind precision", lambda s: s.precision),
    ]
    for label, get in metrics:
        rows.append([label, *(get(results[tool][subset]) for tool, subset in columns)])
    short = {"reference": "ref", "variant": "var", "all": "all"}
    headers = ["metric", *(f"{'ScanCode' if t == 'scancode' else t}:{short[s]}" for t, s in columns)]
    legend = ("ref: reference texts unchanged · var: variants · all: both. AI ids: family and version "
              "(a license and its AUP count as one); standard: the SPDX id")
    return table(headers, rows, "ACCURACY") + "\n" + legend


def timing_rows(result: ToolResult, files: int) -> list[list[object]]:
    """Cold and warm rows of the timing table for one tool."""
    name = "ScanCode" if result.tool == "scancode" else "openness"
    warm = result.warm_seconds if result.warm else None
    cold = result.cold
    label = f"cold (median of {len(result.cold_runs)})" if len(result.cold_runs) > 1 else "cold"
    rows: list[list[object]] = [[name, label, f"{cold.seconds:.2f}", f"{1000 * cold.seconds / files:.1f}",
                                 f"{max(r.peak_mb for r in result.cold_runs or [cold]):.0f}"]]
    if warm is not None:
        rows.append([name, f"warm (median of {len(result.warm)})", f"{warm:.2f}", f"{1000 * warm / files:.1f}",
                     f"{max(r.peak_mb for r in result.warm):.0f}"])
    return rows


def main() -> int:
    """Build the corpus, run both tools, print the tables, write the JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--no-scancode", action="store_true", help="report openness alone")
    parser.add_argument("--corpus", choices=("shared", "variants", "all"), default="all",
                        help="shared reference texts, the variant corpus, or both (default; variants when present)")
    parser.add_argument("--runs", type=int, default=3, help="warm runs per tool (default 3; the median is shown)")
    parser.add_argument("--cold-runs", type=int, default=3,
                        help="cold runs per tool, each with a fresh cache (default 3; the median is shown)")
    parser.add_argument("--per-file", action="store_true", help="also print every file's readings")
    parser.add_argument("--output", type=Path, default=OUT_FILE,
                        help=f"JSON output (default {OUT_FILE.relative_to(ROOT)})")
    args = parser.parse_args()

    cases, notes = build_corpus(args.corpus)
    if not cases:
        raise SystemExit("empty corpus")
    subsets = [s for s in ("reference", "variant") if any(c.subset == s for c in cases)]
    if len(subsets) > 1:
        subsets.append("all")
    count = Counter(c.subset for c in cases)
    groups = Counter(c.group for c in cases)
    print(f"corpus: {len(cases)} files ({count['reference']} reference texts unchanged, {count['variant']} "
          f"variants; {groups['ai']} AI, {groups['standard']} standard, {groups['none']} nothing to name)",
          flush=True)
    for note in notes:
        print(f"note: {note}")

    work = Path(tempfile.mkdtemp(prefix="openness-bench-licenses-"))
    install: Install | None = None
    try:
        corpus = work / "corpus"
        write_corpus(cases, corpus)
        cold_runs = max(1, args.cold_runs)
        results: dict[str, ToolResult] = {"openness": run_openness(cases, corpus, work, args.runs, cold_runs)}
        if not args.no_scancode:
            install = ensure_scancode()
            if install.scancode is None:
                print(f"ScanCode unavailable, reporting openness alone: {install.problem}", flush=True)
                notes.append(f"ScanCode unavailable: {install.problem}")
            else:
                try:
                    results["scancode"] = run_scancode(install, cases, corpus, work, args.runs, cold_runs)
                except (RuntimeError, OSError, ValueError) as problem:
                    print(f"ScanCode run failed, reporting openness alone: {problem}", flush=True)
                    notes.append(f"ScanCode run failed: {problem}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def pick(subset: str) -> list[Case]:
        return [c for c in cases if subset == "all" or c.subset == subset]

    errors: list[Error] = []
    scores = {tool: {s: score(tool, pick(s), r.readings, errors if s == subsets[-1] else None) for s in subsets}
              for tool, r in results.items()}
    for result in results.values():
        notes += [f"{result.tool}: {n}" for n in result.notes]

    print()
    print(accuracy_table(scores, subsets))
    print()
    files = len(cases)
    time_rows = [row for r in results.values() for row in timing_rows(r, files)]
    print(table(["tool", "run", "wall s", "ms/file", "peak MB"], time_rows,
                f"WHOLE-PROCESS TIME ({files} files, one process per run)"))
    open_scores = scores["openness"][subsets[-1]]
    kind_rows = [[kind, c["tp"], c["fn"], c["fp"], c["tn"]] for kind, c in sorted(open_scores.per_kind.items())]
    if kind_rows:
        print()
        print(table(["restriction kind (openness)", "found", "missed", "false", "rightly absent"], kind_rows,
                    "RESTRICTION KINDS"))
    print()
    shown = [e for e in errors if e.tool == "openness"]
    if shown:
        print(left_table(["file", "check", "expected", "openness got", "ScanCode got"],
                         [[e.case, e.check, clip(e.expected, 40), clip(e.got, 60),
                           clip(_other(errors, results, e), 45)] for e in shown],
                         f"OPENNESS WRONG ({len(shown)})"))
    else:
        print("OPENNESS WRONG: none")
    if "scancode" in results:
        scancode_wrong = [e for e in errors if e.tool == "scancode"]
        print()
        print(f"ScanCode wrong: {len(scancode_wrong)} "
              f"({', '.join(f'{k} {v}' for k, v in Counter(e.check for e in scancode_wrong).items()) or 'none'}); "
              "see the JSON")
    if args.per_file:
        print()
        print(left_table(["file", "expected", "osd", "openness", "ScanCode"],
                         [[c.name, c.expected_id, c.expected_osd, _brief(results["openness"].readings[c.name]),
                           _brief(results["scancode"].readings[c.name]) if "scancode" in results else "—"]
                          for c in cases], "PER FILE"))

    summary = _summary(scores, results, subsets[-1])
    print()
    print(summary)
    for note in notes:
        print(f"note: {note}")
    _write_json(args.output, cases, results, scores, errors, install, notes, summary)
    print(f"figures written to {args.output}")
    return 0


def _other(errors: Sequence[Error], results: Mapping[str, ToolResult], error: Error) -> str:
    """What ScanCode said on the point where openness erred."""
    if "scancode" not in results:
        return "—"
    reading = results["scancode"].readings[error.case]
    if error.check == "id":
        return str(reading.id)
    if error.check == "match":
        return str(reading.match)
    if "osd" in error.check:
        return _osd(reading.osd)
    return "n/a"


def _osd(value: bool | None) -> str:
    return {True: "true", False: "false", None: "null"}[value]


def _brief(reading: Reading) -> str:
    osd = {True: "osd", False: "not-osd", None: "osd?"}[reading.osd]
    kinds = ",".join(sorted(reading.kinds)) if reading.kinds else ""
    return clip(f"{reading.id} {reading.match} {osd} {kinds}".strip(), 90)


def _summary(scores: Mapping[str, Mapping[str, Scores]], results: Mapping[str, ToolResult], subset: str) -> str:
    """The one-line verdict: id accuracy side by side, and the speed ratio."""
    ours = scores["openness"][subset]
    if "scancode" not in results:
        return (f"SUMMARY openness id accuracy: AI {ours.id_ai}, standard {ours.id_standard}, overall "
                f"{ours.id_all}; dangerous errors {ours.dangerous} (ScanCode not run)")
    theirs = scores["scancode"][subset]
    cold = results["scancode"].cold.seconds / results["openness"].cold.seconds
    warm = (results["scancode"].warm_seconds / results["openness"].warm_seconds
            if results["scancode"].warm and results["openness"].warm else float("nan"))
    return (f"SUMMARY id accuracy openness vs ScanCode: AI {ours.id_ai} vs {theirs.id_ai}; standard "
            f"{ours.id_standard} vs {theirs.id_standard}; overall {ours.id_all} vs {theirs.id_all}. "
            f"Dangerous errors {ours.dangerous} vs {theirs.dangerous}. Speed ratio ScanCode/openness "
            f"(whole process): cold {cold:.1f}x, warm {warm:.1f}x")


def _reading_json(case: Case, reading: Reading) -> dict[str, Any]:
    """One tool's reading of one file; ``unjudged_kinds``: reported kinds in neither label list."""
    kinds = None if reading.kinds is None else sorted(reading.kinds)
    unjudged = None if reading.kinds is None else sorted(reading.kinds - case.kinds - case.not_kinds)
    return {"id": reading.id, "match": reading.match, "osd_conformant": reading.osd, "kinds": kinds,
            "unjudged_kinds": unjudged, "detail": reading.detail}


def _git_state() -> dict[str, Any]:
    """The commit measured and the files changed in the working tree then (figures depend on both)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout
        except OSError:
            return ""

    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()]
    return {"commit": git("rev-parse", "HEAD").strip() or None, "changed_files": changed}


def _write_json(path: Path, cases: Sequence[Case], results: Mapping[str, ToolResult],
                scores: Mapping[str, Mapping[str, Scores]], errors: Sequence[Error], install: Install | None,
                notes: Sequence[str], summary: str) -> None:
    def run(r: Run) -> dict[str, Any]:
        return {"seconds": round(r.seconds, 4), "peak_mb": round(r.peak_mb, 1), "status": r.status}

    payload = {
        "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "tree": _git_state(),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "corpus": {"files": len(cases), "by_subset": dict(Counter(c.subset for c in cases)),
                   "by_origin": dict(Counter(c.origin for c in cases)),
                   "by_group": dict(Counter(c.group for c in cases))},
        "tools": {t: {"version": r.version, "cold": run(r.cold), "cold_runs": [run(c) for c in r.cold_runs],
                      "warm": [run(w) for w in r.warm],
                      "warm_median_seconds": round(r.warm_seconds, 4) if r.warm else None,
                      "per_file_ms_cold": round(1000 * r.cold.seconds / len(cases), 2)}
                  for t, r in results.items()},
        "scancode_install": None if install is None else {
            "version": install.version, "install_seconds": install.seconds, "problem": install.problem},
        "scores": {t: {s: sc.as_dict() for s, sc in by.items()} for t, by in scores.items()},
        "errors": [asdict(e) for e in errors],
        "files": [{"name": c.name, "subset": c.subset, "origin": c.origin, "group": c.group, "label": c.label,
                   "expected": {"id": c.expected_id, "match": c.expected_match,
                                "osd_conformant": c.expected_osd if c.osd_labelled else "not labelled",
                                "kinds": sorted(c.kinds), "not_kinds": sorted(c.not_kinds)},
                   "readings": {t: _reading_json(c, r.readings[c.name]) for t, r in results.items()}}
                  for c in cases],
        "notes": list(notes),
        "summary": summary,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
