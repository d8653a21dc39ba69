"""Live audits of real Hub repositories: skipped unless ``pytest --online`` (CI has no Internet)."""

from __future__ import annotations

from pathlib import Path

import pytest

from openness.audit import Auditor
from openness.sources.hub import HubSource
from openness.sources.hub_target import parse_hub_target

pytestmark = pytest.mark.online


@pytest.mark.parametrize(("repo_id", "label"), [
    ("EleutherAI/pythia-70m", "open-source-ai"),
    ("meta-llama/Llama-3.1-8B", "restricted-weights"),
    ("mistralai/Mixtral-8x7B-v0.1", "open-weights"),
])
def test_real_releases_get_the_osi_verdict(repo_id: str, label: str, tmp_path: Path) -> None:
    report = Auditor().audit(HubSource(parse_hub_target(repo_id), cache_root=tmp_path))
    assert report.subject.revision and len(report.subject.revision) == 40
    assert report.osaid.label == label
