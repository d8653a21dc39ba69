"""Clause analysis finds the sentences that take a freedom away, in any text, with their line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from openness.licenses.clauses import find_restrictions, split_sentences
from tests.conftest import shared_license_text

SAMPLES = yaml.safe_load((Path(__file__).parent / "clause_samples.yaml").read_text("utf-8"))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s["text"][:60])
def test_each_sample_sentence_is_reported_under_exactly_its_kinds(sample: dict[str, object]) -> None:
    kinds = {finding.kind.value for finding in find_restrictions(str(sample["text"]))}
    assert kinds == set(sample["kinds"])  # type: ignore[arg-type]


def test_a_finding_quotes_the_sentence_and_gives_the_line_it_starts_on() -> None:
    text = "Permission is granted to use and share.\n\nYou may not use the Model\nfor commercial purposes.\n"
    [finding] = find_restrictions(text)
    assert finding.kind.value == "non-commercial"
    assert finding.line == 3
    assert finding.quote == "You may not use the Model for commercial purposes."


def test_sentences_remember_their_first_line() -> None:
    sentences = split_sentences("One. Two\nstill two.\n\n1. Three\n- Four")
    assert [(s.text, s.line) for s in sentences] == [
        ("One.", 1), ("Two still two.", 1), ("Three", 4), ("- Four", 5)
    ]


OPEN_TEXTS = ["mit", "apache-2.0", "bsd-new", "bsd-simplified", "gpl-2.0", "gpl-3.0", "lgpl-2.1", "lgpl-3.0",
              "agpl-3.0", "mpl-2.0", "epl-2.0", "cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0", "cdla-permissive-2.0",
              "cdla-sharing-1.0", "odbl-1.0", "odc-by-1.0", "pddl-1.0", "openmdw-1.0", "unlicense"]


@pytest.mark.parametrize("key", OPEN_TEXTS)
def test_open_license_texts_have_no_clause_that_breaks_the_osd(key: str) -> None:
    breaking = [f for f in find_restrictions(shared_license_text(key)) if f.kind.breaks_osd]
    assert breaking == []


@pytest.mark.parametrize(
    ("key", "kinds"),
    [
        ("cc-by-nc-4.0", {"non-commercial"}),
        ("cc-by-nd-4.0", {"no-derivatives"}),
        ("llama-2-license-2023", {"user-threshold", "field-of-use", "model-improvement"}),
        ("llama-3.1-license-2024", {"user-threshold", "field-of-use", "attribution-naming"}),
        ("gemma-tou-2024-04-01", {"field-of-use"}),
        ("bigscience-rail-1.0", {"field-of-use"}),
        ("bigcode-open-rail-m-v1", {"field-of-use"}),
        ("stable-diffusion-2022-08-22", {"field-of-use"}),
        ("tongyi-qianwen-2023", {"user-threshold"}),
        ("stability-ai-nc-2023-12-06", {"non-commercial"}),
    ],
)
def test_restrictive_texts_show_their_kinds(key: str, kinds: set[str]) -> None:
    found = {f.kind.value for f in find_restrictions(shared_license_text(key))}
    assert kinds <= found
