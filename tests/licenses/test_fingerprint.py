"""Sentence fingerprints tell an unchanged license text from a modified one, whatever its layout."""

from __future__ import annotations

import textwrap

from openness.licenses.fingerprint import FingerprintIndex, fingerprint, hash_sentences

GRANT = (
    "Permission is granted to anyone to use, copy and share the Model. "
    "Copyright 2020 The Original Authors. "
    "The Model is provided as is, without warranty of any kind. "
    "In no event shall the authors be liable for any claim. "
    "END OF TERMS AND CONDITIONS. "
    "How to apply these terms to your own work is explained below."
)
INDEX = FingerprintIndex({"Example-1.0#test": fingerprint(GRANT)})


def test_the_same_text_in_another_layout_is_exact() -> None:
    rewrapped = "\n".join(textwrap.wrap(GRANT.replace("without", "WITHOUT"), 30)).replace("\n", "\r\n")
    match = INDEX.best(rewrapped)
    assert match is not None and match.exact


def test_a_filled_in_copyright_line_is_not_a_change() -> None:
    match = INDEX.best(GRANT.replace("2020 The Original Authors", "2024 Someone Else"))
    assert match is not None and match.exact


def test_an_added_sentence_makes_the_text_modified_and_is_quoted_with_its_line() -> None:
    added = "\nYou may not use the Model for military purposes.\n"
    text = GRANT.replace(" The Model is provided", added + "The Model is provided")
    match = INDEX.best(text)
    assert match is not None and not match.exact
    assert [(s.line, s.text) for s in match.added] == [(2, "You may not use the Model for military purposes.")]


def test_a_removed_sentence_makes_the_text_modified() -> None:
    match = INDEX.best(GRANT.replace("In no event shall the authors be liable for any claim. ", ""))
    assert match is not None and not match.exact and match.removed == 1


def test_the_how_to_apply_appendix_may_be_left_out_but_not_replaced() -> None:
    without_appendix = GRANT.split("How to apply")[0]
    kept = INDEX.best(without_appendix)
    assert kept is not None and kept.exact
    replaced = INDEX.best(without_appendix + "This license may be revoked by the licensor at any time.")
    assert replaced is not None and not replaced.exact


def test_fingerprints_hold_no_text() -> None:
    hashes = fingerprint(GRANT)
    assert all(len(h.lstrip("?")) == 12 and all(c in "0123456789abcdef" for c in h.lstrip("?")) for h in hashes)
    assert len(hashes) == len(hash_sentences(GRANT))


def test_an_unrelated_text_matches_nothing() -> None:
    assert INDEX.best("This is a recipe for bread. Mix flour and water. Bake for an hour.") is None
