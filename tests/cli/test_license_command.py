"""`openness license`: every file gets an answer or a one-line reason, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openness.cli.main import main
from tests.conftest import shared_license_text


def run_license(paths: list[Path], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, object]]]:
    code = main(["license", *map(str, paths), "--format", "json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(captured.out)


def test_a_50_mb_text_is_refused_without_being_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = tmp_path / "LICENSE"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    code, [result] = run_license([huge], capsys)
    assert code == 2
    assert str(result["problem"]).startswith("too large to read as text")
    assert (result["id"], result["match"], result["osd_conformant"]) == (None, "unknown", None)


def test_mixed_encodings_are_read_with_a_caveat_and_still_analysed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = tmp_path / "LICENSE"
    utf8 = "Licence d\u2019utilisation \u2014 ".encode()
    mixed.write_bytes(utf8 + "réservé à un usage non commercial.\n".encode("latin-1"))
    _code, [result] = run_license([mixed], capsys)
    assert result["problem"] is None
    assert [r["kind"] for r in result["restrictions"]] == ["non-commercial"]  # type: ignore[union-attr]
    assert result["osd_conformant"] is False


def test_the_terminal_output_quotes_each_clause_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    license_file = tmp_path / "LICENSE"
    license_file.write_text(shared_license_text("llama-3.1-license-2024"), encoding="utf-8")
    assert main(["license", str(license_file)]) == 0
    out = capsys.readouterr().out
    assert "LicenseRef-llama3.1" in out and "match exact" in out
    assert "user-threshold line" in out and "700 million" in out


def test_an_unchanged_reference_text_is_exact_and_a_changed_one_quotes_what_was_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = tmp_path / "LICENSE"
    original.write_text(shared_license_text("mit"), encoding="utf-8")
    changed = tmp_path / "LICENSE-CHANGED"
    changed.write_text(shared_license_text("mit") + "\nThe Software may not be used by armed forces.\n")
    _code, results = run_license([original, changed], capsys)
    assert [(r["id"], r["match"], r["osd_conformant"]) for r in results] == [
        ("MIT", "exact", True),
        ("MIT", "modified", False),
    ]
    added = results[1]["changes"]["added"]  # type: ignore[index]
    assert [a["text"] for a in added] == ["The Software may not be used by armed forces."]
