"""Pytest fixtures for the fake services (imported by tests/conftest.py, so every test can use them).

- `fake_hub`: an empty, started `FakeHub`; `HF_ENDPOINT` points at it and `HF_HOME` is a temporary
  folder for subprocesses (`openness audit org/name` run by a test talks to the fake), `HF_TOKEN` is
  unset and telemetry is off. In-process, pass `endpoint=fake_hub.endpoint` (and a `cache_dir`):
  huggingface_hub reads `HF_ENDPOINT` and `HF_HOME` only when first imported.
- `releases_hub`: the same with every folder of tests/fixtures/releases published as
  `fixtures/<folder-name>` and its counters reset.
- `fake_github`: an empty, started `FakeGitHub` (default budget: 60 anonymous requests).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.github import FakeGitHub
from tests.fakes.hub import FakeHub

RELEASES = Path(__file__).parent.parent / "fixtures" / "releases"


@pytest.fixture
def fake_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A started fake Hub, with the Hugging Face environment of subprocesses pointed at it."""
    with FakeHub() as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.endpoint)
        monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
        monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
        monkeypatch.delenv("HF_TOKEN", raising=False)
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        yield hub


@pytest.fixture
def releases_hub(fake_hub: FakeHub) -> FakeHub:
    """The fake Hub with every fixture release published as `fixtures/<folder-name>`."""
    fake_hub.publish_folders(RELEASES)
    fake_hub.reset()
    return fake_hub


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A started fake GitHub REST API."""
    with FakeGitHub() as github:
        yield github
