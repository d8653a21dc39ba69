"""Links and dataset names read back from evidence lines (for the SBOM's references)."""

from __future__ import annotations

from openness.render.evidence_links import DatasetMention, datasets_in, is_code_host, urls_in


def test_urls_are_cut_at_sentence_punctuation_and_listed_once() -> None:
    lines = [
        'README.md:130: https://arxiv.org/abs/1910.10683 — "The preprint is arXiv:1910.10683 '
        '(https://arxiv.org/abs/1910.10683)."',
        'README.md:54: https://github.com/allenai/OLMo — "- Training code: https://github.com/allenai/OLMo."',
        "config.json: architecture LlamaForCausalLM",
    ]
    assert urls_in(lines) == ("https://arxiv.org/abs/1910.10683", "https://github.com/allenai/OLMo")


def test_a_hub_dataset_named_in_metadata_and_linked_is_one_dataset() -> None:
    lines = [
        'README.md:17: https://huggingface.co/datasets/allenai/dolma — "trained on the Dolma dataset"',
        "README.md:3 (datasets): allenai/dolma",
        "README.md:7 (datasets): c4",
        "README.md:80: https://example.org/corpus.tar — \"our corpus\"",
        "README.md:76: 'Training Data' section describes the training data and links its sources",
    ]
    assert datasets_in(lines) == (
        DatasetMention("allenai/dolma", "https://huggingface.co/datasets/allenai/dolma"),
        DatasetMention("c4", "https://huggingface.co/datasets/c4"),
        DatasetMention("https://example.org/corpus.tar", "https://example.org/corpus.tar"),
    )


def test_code_hosts_are_told_from_web_pages() -> None:
    assert is_code_host("https://github.com/EleutherAI/pythia/tree/main/models")
    assert is_code_host("https://www.gitlab.com/group/project")
    assert not is_code_host("https://arxiv.org/abs/2402.00838")
    assert not is_code_host("https://github.com.example.org/x")
