"""Every report the test data can produce, audited once per test session.

Groups: the fixture releases, the broken inputs (committed ones and the two made at test
time), the holdout releases (license placeholders filled in) and the Model Openness Tool's
273 manifests (absent when ../shared/data is not there).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path

from openness.audit import Auditor
from openness.report import Report
from tests.conftest import BROKEN, RELEASES, SHARED_DATA
from tests.test_holdout_releases import EXPECTED as HOLDOUT_EXPECTED
from tests.test_holdout_releases import materialise

MOT_MODELS = SHARED_DATA / "mot" / "models"
GROUPS = ("releases", "broken", "holdout", "mot")
GOLDEN_TOOL_VERSION = "0.0.0+golden"
"""The tool version golden files are rendered with, so a version bump does not change them."""


@cache
def audited(group: str) -> tuple[tuple[str, Report], ...]:
    """(name, report) for every input of a group; an empty tuple when its data is absent."""
    auditor = Auditor()
    if group == "releases":
        return tuple((p.name, auditor.audit_target(str(p))) for p in sorted(RELEASES.iterdir()) if p.is_dir())
    if group == "broken":
        with tempfile.TemporaryDirectory() as tmp:
            made = [_empty(Path(tmp)), _symlink_loop(Path(tmp))]
            folders = sorted(p for p in BROKEN.iterdir() if p.is_dir()) + made
            return tuple((p.name, auditor.audit_target(str(p))) for p in folders)
    if group == "holdout":
        with tempfile.TemporaryDirectory() as tmp:
            return tuple((name, auditor.audit_target(str(materialise(name, Path(tmp)))))
                         for name in sorted(HOLDOUT_EXPECTED))
    if group == "mot":
        manifests = sorted(MOT_MODELS.glob("*.yml")) if MOT_MODELS.is_dir() else []
        return tuple((p.name, auditor.audit_manifest(p)) for p in manifests)
    raise ValueError(f"unknown group {group}")


def _empty(tmp: Path) -> Path:
    folder = tmp / "empty"
    folder.mkdir()
    return folder


def _symlink_loop(tmp: Path) -> Path:
    folder = tmp / "symlink-loop"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: apache-2.0\n---\n# loop\n", encoding="utf-8")
    try:
        (folder / "loop").symlink_to(".", target_is_directory=True)
        (folder / "a").symlink_to("b")
        (folder / "b").symlink_to("a")
    except OSError:  # no symlinks on this system: the folder is still a valid input
        pass
    return folder


def fixture_release(name: str) -> Report:
    """The report of one fixture release."""
    return dict(audited("releases"))[name]


def normalised(report: Report, subject_id: str) -> Report:
    """The report as golden files hold it: a fixed tool version and a machine-independent subject id."""
    return replace(report, tool_version=GOLDEN_TOOL_VERSION, subject=replace(report.subject, id=subject_id))

