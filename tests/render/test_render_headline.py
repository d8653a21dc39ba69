"""The verdict in plain words, one case per OSAID label, as a newcomer reads it at the top of a report."""

from __future__ import annotations

from dataclasses import replace

import pytest

from openness.render.digest import headline
from openness.report import Report
from tests.render.pages import audited


def closed_release() -> Report:
    """A release whose weights are not published."""
    report = audited("mixtral-like")
    return replace(report, osaid=replace(report.osaid, label="closed", would_pass_if_relicensed=False))


CASES = {
    "olmo-like": ("Open source AI", "the weights, the code and the information about the training data are all "
                  "published under open terms (Apache License 2.0).", None),
    "llama31-like": ("Not open source AI", "the weights are available, but under terms that restrict their use "
                     "(Llama 3.1 Community License Agreement).",
                     "Would pass if relicensed: no. Data information, data processing code, training code, and "
                     "validation and testing code are missing or not established too."),
    "llama-finetune-relabelled": ("Not open source AI", "the weights are available, but under terms that restrict "
                                  "their use (Llama 3.1 Community License Agreement, inherited from base model "
                                  "meta-llama/Llama-3.1-8B-Instruct).", None),
    "bloom-like": ("Not open source AI", "the weights are available, but under terms that restrict their use "
                   "(BigScience BLOOM RAIL License v1.0).",
                   "Would pass if relicensed: yes. Everything else the definition asks for is published; only the "
                   "terms fail."),
    "mixtral-like": ("Not open source AI", "the weights are open (Apache License 2.0), but data information, data "
                     "processing code, training code, and validation and testing code are not published or could "
                     "not be established.",
                     "Would pass if relicensed: no. The terms are open; the missing parts must be published."),
    "no-license": ("Not open source AI", "the weights are available, but no license grants the right to use, "
                   "change and share them.", None),
}


@pytest.mark.parametrize("release", sorted(CASES))
def test_headline_says_the_verdict_in_plain_words(release: str) -> None:
    title, reason, relicensing = CASES[release]
    said = headline(audited(release))
    assert (said.title, said.reason) == (title, reason)
    assert said.passed is (title == "Open source AI")
    if relicensing is not None:
        assert said.relicensing == relicensing


def test_headline_of_a_release_without_weights() -> None:
    said = headline(closed_release())
    assert (said.title, said.reason) == ("Not open source AI", "the weights are not published.")
