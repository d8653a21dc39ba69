"""Golden files under tests/render/golden/: compare, or rewrite with OPENNESS_UPDATE_GOLDEN=1."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_matches_golden(file_name: str, text: str) -> None:
    """The text equals the golden file; with ``OPENNESS_UPDATE_GOLDEN=1`` the file is rewritten first."""
    path = GOLDEN / file_name
    if os.environ.get("OPENNESS_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run OPENNESS_UPDATE_GOLDEN=1 pytest tests/render"
    assert text == path.read_text(encoding="utf-8"), f"{file_name} differs from its golden file"
