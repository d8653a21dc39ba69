"""Accuracy on license-text variants: renamed, restricted, truncated, re-laid-out and custom texts.

Each entry of tests/fixtures/license_variants/manifest.yaml is built at test time
(:mod:`tests.licenses.variants`) and identified with :func:`identify_text`; the result must meet
the entry's expectations. Entries built from the shared reference texts skip when
../shared/data is absent.

Where the engine is known to fail, the case is marked ``xfail(strict=True)`` with the reason
below: the expectation stays as it should be, and the mark must be removed when the engine is
fixed (a strict xfail that passes fails the run).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from openness.licenses.catalog import default_catalog
from openness.licenses.identify import default_fingerprints, identify_text
from openness.vocabulary import RestrictionKind
from tests.conftest import SHARED_DATA
from tests.licenses.variants import FOLDER, VariantError, load_manifest, materialize

SHARED_TEXTS = SHARED_DATA / "licenses" / "texts"
ENTRIES = load_manifest()


XFAIL: dict[str, str] = {}

KINDS = {kind.value for kind in RestrictionKind}
MATCHES = {"exact", "modified", "unknown"}


def _params() -> list[Any]:
    params = []
    for entry in ENTRIES:
        marks = []
        if entry["name"] in XFAIL:
            marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[entry["name"]]))
        params.append(pytest.param(entry, id=entry["name"], marks=marks))
    return params


def _mismatches(entry: dict[str, Any], text: str) -> list[str]:
    expect = entry["expect"]
    result = identify_text(text, path=entry["name"])
    found = {finding.kind.value for finding in result.restrictions}
    problems = []
    if result.id != expect["id"]:
        problems.append(f"id {result.id!r} (method {result.method}), expected {expect['id']!r}")
    if result.match != expect["match"]:
        problems.append(f"match {result.match!r}, expected {expect['match']!r}")
    if result.osd_conformant is not expect["osd_conformant"]:
        problems.append(f"osd_conformant {result.osd_conformant!r}, expected {expect['osd_conformant']!r}")
    if "osi_approved" in expect and result.osi_approved is not expect["osi_approved"]:
        problems.append(f"osi_approved {result.osi_approved!r}, expected {expect['osi_approved']!r}")
    missing = set(expect["kinds"]) - found
    if missing:
        problems.append(f"kinds not reported: {sorted(missing)} (reported {sorted(found)})")
    unwanted = set(expect["not_kinds"]) & found
    if unwanted:
        quotes = [f"{f.kind.value}: {f.quote[:100]!r}" for f in result.restrictions if f.kind.value in unwanted]
        problems.append(f"kinds reported that must not be: {quotes}")
    return problems


@pytest.mark.parametrize("entry", _params())
def test_variant_is_identified_as_expected(entry: dict[str, Any]) -> None:
    text = materialize(entry, SHARED_TEXTS)
    if text is None:
        pytest.skip(f"shared reference text not available: {SHARED_TEXTS / (str(entry['base']) + '.LICENSE')}")
    problems = _mismatches(entry, text)
    assert not problems, f"{entry['name']}: " + "; ".join(problems)


# ------------------------------------------------------------------------------------------
# The manifest itself
# ------------------------------------------------------------------------------------------


def test_the_corpus_is_large_enough_and_every_xfail_names_an_entry() -> None:
    assert len(ENTRIES) >= 60
    names = {entry["name"] for entry in ENTRIES}
    assert set(XFAIL) <= names


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["name"])
def test_manifest_entry_is_well_formed(entry: dict[str, Any]) -> None:
    assert set(entry) == {"name", "base", "file", "operations", "expect"}
    assert not (entry["base"] and entry["file"])
    if entry["file"]:
        assert (FOLDER / entry["file"]).is_file()
    expect = entry["expect"]
    assert set(expect) - {"osi_approved"} == {"id", "match", "osd_conformant", "kinds", "not_kinds"}
    assert expect["match"] in MATCHES
    assert expect["osd_conformant"] in (True, False, None)
    assert set(expect["kinds"]) <= KINDS and set(expect["not_kinds"]) <= KINDS
    assert not set(expect["kinds"]) & set(expect["not_kinds"])
    if expect["id"] is not None:
        assert default_catalog().get(expect["id"]) is not None, f"unknown license id {expect['id']}"


def test_texts_written_for_the_corpus_share_no_sentence_with_a_reference_text() -> None:
    """Our own files are our own words: none of their sentences is a sentence of a known license."""
    fingerprints = default_fingerprints()
    # The SPDX tag line is a standard form, not prose (it occurs in SPDX's own texts).
    own = sorted(path for path in FOLDER.glob("*.txt") if path.name != "spdx_tag_only.txt")
    assert len(own) >= 5
    for path in own:
        assert fingerprints.best(path.read_text("utf-8"), 0.0) is None, path.name


# ------------------------------------------------------------------------------------------
# The operations
# ------------------------------------------------------------------------------------------


def _build(base_text: str, operations: list[dict[str, Any]], tmp_path: Path) -> str | None:
    (tmp_path / "sample.LICENSE").write_text("---\nkey: sample\n---\n\n" + base_text, "utf-8")
    entry = {"name": "t", "base": "sample", "file": None, "operations": operations}
    return materialize(entry, tmp_path)


def test_a_missing_shared_base_text_gives_none(tmp_path: Path) -> None:
    entry = {"name": "t", "base": "no-such-license", "file": None, "operations": [{"append": "x"}]}
    assert materialize(entry, tmp_path) is None


def test_the_scancode_header_is_stripped_and_no_base_starts_empty(tmp_path: Path) -> None:
    assert _build("Body text.\n", [], tmp_path) == "Body text.\n"
    assert materialize({"name": "t", "base": None, "file": None, "operations": []}, tmp_path) == ""


def test_replace_and_anchors_match_across_line_breaks(tmp_path: Path) -> None:
    text = _build(
        "Use by more than\n  700 million users. Other terms.\n",
        [
            {"replace": {"old": "700 million users", "new": "7 billion users"}},
            {"insert_after": {"anchor": "Other terms.", "text": " Added."}},
        ],
        tmp_path,
    )
    assert text == "Use by more than\n  7 billion users. Other terms. Added.\n"


def test_delete_sentence_removes_only_the_sentence_holding_the_string(tmp_path: Path) -> None:
    text = _build(
        "First one. Second has a\npatent grant; third stays.\n\nNext paragraph.\n",
        [
            {"delete_sentence_containing": "patent grant"},
        ],
        tmp_path,
    )
    assert text == "First one. third stays.\n\nNext paragraph.\n"


def test_delete_from_the_last_anchor(tmp_path: Path) -> None:
    text = _build(
        "See Attachment A.\n\nAttachment A\n- no this\n",
        [
            {"delete_from": {"anchor": "Attachment A", "last": True}},
        ],
        tmp_path,
    )
    assert text == "See Attachment A.\n\n"


def test_line_endings_and_wrapping(tmp_path: Path) -> None:
    assert _build("a\nb\nc\n", [{"line_endings": "crlf"}], tmp_path) == "a\r\nb\r\nc\r\n"
    assert _build("a\nb\nc\n", [{"line_endings": "mixed"}], tmp_path) == "a\r\nb\nc\r\n"
    wrapped = _build("one two three four five six\n\nseven\n", [{"wrap": 10}], tmp_path)
    assert wrapped == "one two\nthree four\nfive six\n\nseven\n"


def test_an_anchor_that_does_not_occur_is_an_authoring_error(tmp_path: Path) -> None:
    with pytest.raises(VariantError):
        _build("text\n", [{"replace": {"old": "absent", "new": "x"}}], tmp_path)
    with pytest.raises(VariantError):
        _build("text\n", [{"no_such_operation": 1}], tmp_path)
