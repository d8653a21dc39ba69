"""Shared test set-up: an isolated cache, the fixture folders, the shared reference data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.fixtures import fake_github, fake_hub, releases_hub

__all__ = ["fake_github", "fake_hub", "releases_hub"]

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
RELEASES = FIXTURES / "releases"
BROKEN = FIXTURES / "broken"
SHARED_DATA = TESTS.parent.parent / "shared" / "data"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the license index and match cache of the test run out of the user's cache."""
    cache = tmp_path_factory.mktemp("openness-cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("OPENNESS_CACHE_DIR", str(cache))
    yield
    mp.undo()


def shared_license_text(key: str) -> str:
    """The body of a reference license text from ../shared/data (skip when absent)."""
    path = SHARED_DATA / "licenses" / "texts" / f"{key}.LICENSE"
    if not path.exists():
        pytest.skip(f"shared reference data not available: {path}")
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    return text.lstrip("\n")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--online", action="store_true", help="run tests that need the real Internet")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--online"):
        return
    skip = pytest.mark.skip(reason="needs the Internet; run with --online")
    for item in items:
        if "online" in item.keywords:
            item.add_marker(skip)


CLASS_THREE_MANIFEST = """framework: {name: Model Openness Framework, version: '1.0', date: '2024-12-15'}
release:
  name: Example-1B
  producer: Example Lab
  license:
    distribution: {name: Apache-2.0, path: LICENSE}
    code: {name: Apache-2.0, path: LICENSE}
    data: {name: CDLA-Permissive-2.0, path: LICENSE-DATA}
    document: {name: CC-BY-4.0, path: LICENSE-DOCS}
  components:
    - {name: Model architecture}
    - {name: 'Model parameters (Final)'}
    - {name: Evaluation results}
    - {name: Model card}
    - {name: Data card}
    - {name: Technical report}
"""
"""A MOF manifest that reaches class III: the shared example of policy and diff tests."""
