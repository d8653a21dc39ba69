"""Hub repository ids as users type them."""

from __future__ import annotations

import pytest

from openness.sources.hub_target import HubTarget, looks_like_hub_id, parse_hub_target
from openness.sources.interface import TargetError


@pytest.mark.parametrize(("typed", "expected"), [
    ("meta-llama/Llama-3.1-8B", HubTarget("meta-llama/Llama-3.1-8B")),
    ("allenai/OLMo-2-1124-7B@stage1-step140000-tokens294B", HubTarget("allenai/OLMo-2-1124-7B",
                                                                      "stage1-step140000-tokens294B")),
    (f"org/name@{'0123456789' * 4}", HubTarget("org/name", "0123456789" * 4)),
    ("org/name@refs/pr/1", HubTarget("org/name", "refs/pr/1")),
    ("https://huggingface.co/EleutherAI/pythia-6.9b", HubTarget("EleutherAI/pythia-6.9b")),
    ("https://hf.co/EleutherAI/pythia-6.9b/tree/step1000", HubTarget("EleutherAI/pythia-6.9b", "step1000")),
])
def test_ids_revisions_and_urls_are_understood(typed: str, expected: HubTarget) -> None:
    assert looks_like_hub_id(typed)
    assert parse_hub_target(typed) == expected


@pytest.mark.parametrize(("typed", "reason"), [
    ("org/na me", "not a Hub repository id"),
    ("org--x/name", "not a Hub repository id"),
    ("org/name..x", "not a Hub repository id"),
    ("-org/name", "not a Hub repository id"),
    ("org/name@", "not a valid revision"),
    ("org/name@../main", "not a valid revision"),
    ("org/" + "x" * 97, "not a Hub repository id"),
])
def test_malformed_ids_are_usage_errors_that_say_the_rule(typed: str, reason: str) -> None:
    with pytest.raises(TargetError, match=reason) as raised:
        parse_hub_target(typed)
    assert raised.value.exit_code == 2


@pytest.mark.parametrize("typed", ["./org/name", "/abs/path", "~/models/x", "a/b/c", "just-a-name"])
def test_paths_are_not_taken_for_hub_ids(typed: str) -> None:
    assert not looks_like_hub_id(typed)
