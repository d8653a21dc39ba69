"""Every link in a model card body is found, with its line, heading and sentence, and a kind.

The words around a link say what it is ("our training code is at ..."), so each link keeps
the heading above it and the sentence around it, cleaned of Markdown. Its line is its line
in the README file, counted from where the body starts after the front matter.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openness.evidence import CardLink
from openness.sources.card import classify_url, extract_links, read_card


def links_of(body: str, first_line: int = 1) -> list[CardLink]:
    return extract_links(body, first_line)


def urls_of(body: str) -> list[str]:
    return [link.url for link in links_of(body)]


# --- the four ways to write a link -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "url", "text"),
    [
        pytest.param(
            "The weights were trained with [our trainer](https://github.com/acme/trainer).",
            "https://github.com/acme/trainer",
            "our trainer",
            id="inline",
        ),
        pytest.param(
            'See [the report](<https://arxiv.org/abs/2401.00001> "Tech report") for details.',
            "https://arxiv.org/abs/2401.00001",
            "the report",
            id="inline-angle-brackets-and-title",
        ),
        pytest.param(
            "See [the report][paper] for details.\n\n[paper]: https://arxiv.org/abs/2401.00001",
            "https://arxiv.org/abs/2401.00001",
            "the report",
            id="reference-full",
        ),
        pytest.param(
            "See [Report][] for details.\n\n[report]: https://arxiv.org/abs/2401.00001 'Title'",
            "https://arxiv.org/abs/2401.00001",
            "Report",
            id="reference-collapsed-case-insensitive",
        ),
        pytest.param(
            'Our <a href="https://github.com/acme/trainer" target="_blank">training <b>code</b></a> is open.',
            "https://github.com/acme/trainer",
            "training code",
            id="html-anchor",
        ),
        pytest.param(
            "The corpus lives at https://huggingface.co/datasets/acme/corpus, free to all.",
            "https://huggingface.co/datasets/acme/corpus",
            "",
            id="bare-url-without-trailing-comma",
        ),
        pytest.param(
            "Download it from http://example.org/data.",
            "http://example.org/data",
            "",
            id="bare-http-url-without-trailing-period",
        ),
    ],
)
def test_a_link_is_found_whichever_way_it_is_written(body: str, url: str, text: str) -> None:
    links = links_of(body)

    assert [(link.url, link.text) for link in links] == [(url, text)]


def test_a_url_written_once_as_a_link_is_not_found_again_as_a_bare_url() -> None:
    body = "Code: [https://github.com/acme/trainer](https://github.com/acme/trainer)."

    assert urls_of(body) == ["https://github.com/acme/trainer"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("Read the [license](LICENSE) and [notes](./docs/notes.md).", id="relative-paths"),
        pytest.param("Jump to [usage](#usage).", id="anchor"),
        pytest.param("Write to [us](mailto:team@example.org).", id="mailto"),
        pytest.param("See [the report][missing] for details.", id="reference-without-definition"),
        pytest.param("[paper]: https://arxiv.org/abs/2401.00001", id="a-definition-that-is-never-used"),
    ],
)
def test_links_that_are_not_web_addresses_are_left_out(body: str) -> None:
    assert links_of(body) == []


# --- where a link is -------------------------------------------------------------------------


def test_a_link_line_is_its_line_in_the_file_after_the_front_matter() -> None:
    text = (
        "---\n"
        "license: mit\n"
        "---\n"
        "# Tiny model\n"
        "\n"
        "Trained with a small script. The script is\n"
        "at [trainer](https://github.com/acme/trainer), and the data\n"
        "at https://huggingface.co/datasets/acme/corpus.\n"
    )
    card = read_card("README.md", text)

    links = extract_links(card.body, card.body_start_line, card.path)

    lines = text.splitlines()
    assert [link.provenance.line for link in links] == [7, 8]
    for link in links:
        assert link.provenance.path == "README.md"
        assert link.url in lines[link.provenance.line - 1]


def test_a_reference_style_link_is_on_the_line_where_it_is_used_not_where_it_is_defined() -> None:
    body = "Intro.\n\nThe [paper][p] explains it.\n\n[p]: https://arxiv.org/abs/2401.00001\n"

    (link,) = links_of(body, first_line=10)

    assert link.provenance.line == 12


def test_the_same_url_on_two_lines_is_two_links_but_once_on_a_line_is_one() -> None:
    body = "Code: https://github.com/acme/a and again https://github.com/acme/a\n\nOnce more https://github.com/acme/a"

    assert [link.provenance.line for link in links_of(body)] == [1, 3]


def test_the_path_given_is_kept_in_each_link_provenance() -> None:
    (link,) = extract_links("See https://github.com/acme/a", 5, path="docs/README.md")

    assert str(link.provenance) == "docs/README.md:5"


# --- the words around a link --------------------------------------------------------------------


def test_a_link_keeps_the_heading_and_sentence_that_say_what_it_is() -> None:
    body = (
        "# Acme-7B\n"
        "\n"
        "## Training **code** and `recipes`\n"
        "\n"
        "We trained on many GPUs. The *full* training code is at [our repo](https://github.com/acme/trainer),\n"
        "under Apache-2.0. Enjoy it.\n"
    )

    (link,) = links_of(body)

    assert link.heading == "Training code and recipes"
    assert link.sentence == "The full training code is at our repo, under Apache-2.0."
    assert link.text == "our repo"
    assert link.kind == "code"


@pytest.mark.parametrize(
    ("heading_line", "heading"),
    [
        pytest.param("## Data ##", "Data", id="closing-hashes"),
        pytest.param("###### *Deep* level", "Deep level", id="level-six-with-emphasis"),
        pytest.param("## See [the paper](https://arxiv.org/abs/1)", "See the paper", id="a-link-in-the-heading"),
        pytest.param("   # Indented", "Indented", id="up-to-three-spaces"),
    ],
)
def test_headings_are_cleaned_of_markdown(heading_line: str, heading: str) -> None:
    links = links_of(f"{heading_line}\n\nGo to https://example.org/page now.")

    assert links[-1].heading == heading


def test_a_link_before_any_heading_has_no_heading_and_each_link_has_the_nearest_heading_above() -> None:
    body = (
        "Intro https://example.org/a\n"
        "# First\n"
        "One https://example.org/b\n"
        "## Second\n"
        "Two https://example.org/c\n"
        "# Third\n"
        "Three https://example.org/d\n"
    )

    assert [link.heading for link in links_of(body)] == ["", "First", "Second", "Third"]


def test_the_sentence_is_cut_at_the_full_stops_around_the_link() -> None:
    body = "First sentence here. Second one has https://example.org/x in it. Third is elsewhere."

    (link,) = links_of(body)

    assert link.sentence == "Second one has https://example.org/x in it."


@pytest.mark.parametrize(
    ("body", "labels"),
    [
        pytest.param(
            "| Part | Where |\n|---|---|\n| Data | [corpus](https://huggingface.co/datasets/acme/c) |\n"
            "| Code | https://github.com/acme/trainer |\n",
            ["Data", "Code"],
            id="table-rows",
        ),
        pytest.param(
            "Resources:\n- Paper: https://arxiv.org/abs/2401.00001\n* Code: https://github.com/acme/t\n"
            "1. Data: https://huggingface.co/datasets/acme/c\n2) Demo: https://huggingface.co/spaces/acme/d\n",
            ["Paper", "Code", "Data", "Demo"],
            id="list-items",
        ),
    ],
)
def test_table_rows_and_list_items_are_each_their_own_context(body: str, labels: list[str]) -> None:
    links = links_of(body)

    assert len(links) == len(labels)
    for link, label in zip(links, labels, strict=True):
        others = [other for other in labels if other != label]
        assert label in link.sentence
        assert not any(other in link.sentence for other in others), link.sentence
        assert "Resources" not in link.sentence and "Part" not in link.sentence


def test_a_table_row_sentence_is_the_row_with_link_text_for_links() -> None:
    (link,) = links_of("| Part | Where |\n|---|---|\n| Data | [corpus](https://huggingface.co/datasets/acme/c) |\n")

    assert link.sentence == "| Data | corpus |"
    assert link.provenance.line == 3


# --- code is not prose -----------------------------------------------------------------------


@pytest.mark.parametrize("fence", ["```", "~~~", "```python", "  ```"])
def test_links_inside_fenced_code_are_ignored(fence: str) -> None:
    body = (
        "Before https://example.org/before\n"
        f"{fence}\n"
        "pip install git+https://github.com/acme/inside\n"
        "# not a heading\n"
        f"{fence.strip()[:3]}\n"
        "After https://example.org/after\n"
    )

    links = links_of(body)

    assert [link.url for link in links] == ["https://example.org/before", "https://example.org/after"]
    assert links[1].heading == ""
    assert links[1].provenance.line == 6


def test_an_unclosed_code_fence_hides_the_rest_of_the_body() -> None:
    assert urls_of("Before https://example.org/a\n```\nhttps://example.org/b\n\nhttps://example.org/c") == [
        "https://example.org/a"
    ]


# --- known gaps and bugs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["See http://[broken for more.", "A [link](https://[::1) here.", "Bad host http://ex[ample.org/x"],
)
def test_an_unparseable_url_does_not_crash_link_extraction(body: str) -> None:
    links_of(body)


def test_an_autolink_in_angle_brackets_is_a_link() -> None:
    assert urls_of("Code: <https://github.com/acme/trainer>.") == ["https://github.com/acme/trainer"]


def test_a_bare_url_in_parentheses_is_a_link() -> None:
    assert urls_of("Read the paper (https://arxiv.org/abs/2401.00001) first.") == ["https://arxiv.org/abs/2401.00001"]


def test_a_url_in_backticks_does_not_keep_the_backtick() -> None:
    assert urls_of("Install with `pip install git+https://github.com/acme/trainer`.") == [
        "https://github.com/acme/trainer"
    ]


def test_an_inline_link_url_may_hold_balanced_parentheses() -> None:
    assert urls_of("See [Adam](https://en.wikipedia.org/wiki/Adam_(optimizer)).") == [
        "https://en.wikipedia.org/wiki/Adam_(optimizer)"
    ]


def test_a_shortcut_reference_link_is_a_link() -> None:
    assert urls_of("See the [paper].\n\n[paper]: https://arxiv.org/abs/2401.00001") == [
        "https://arxiv.org/abs/2401.00001"
    ]


def test_the_sentence_around_a_reference_link_is_cleaned_of_markdown() -> None:
    (link,) = links_of("The [report][r] explains it.\n\n[r]: https://arxiv.org/abs/2401.00001")

    assert link.sentence == "The report explains it."


# --- what a URL points to ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        # GitHub and other forges: a repository is code; its license files are licenses;
        # its documents and its issue pages are project pages.
        ("https://github.com/acme/trainer", "code"),
        ("https://GitHub.com/Acme/Trainer/", "code"),
        ("https://github.com/acme/trainer/tree/main/scripts", "code"),
        ("https://github.com/acme/trainer/blob/main/train.py", "code"),
        ("https://gitlab.com/acme/trainer", "code"),
        ("https://github.com/acme/trainer/blob/main/LICENSE", "license"),
        ("https://github.com/acme/models/blob/main/models/v3/LICENSE", "license"),
        ("https://github.com/acme/trainer/raw/main/USE_POLICY.md", "license"),
        ("https://github.com/acme/trainer/blob/main/COPYING.txt", "license"),
        ("https://github.com/acme/trainer/blob/main/docs/TRAINING.md", "project"),
        ("https://github.com/acme/trainer/blob/main/report.pdf", "project"),
        ("https://github.com/acme/trainer/issues/12", "project"),
        ("https://github.com/acme/trainer/discussions", "project"),
        ("https://github.com/acme", "project"),
        # Hugging Face
        ("https://huggingface.co/datasets/acme/corpus", "dataset"),
        ("https://huggingface.co/spaces/acme/demo", "project"),
        ("https://huggingface.co/papers/2401.00001", "paper"),
        ("https://huggingface.co/acme/acme-7b", "model"),
        ("https://hf.co/acme/acme-7b", "model"),
        ("https://huggingface.co/acme/acme-7b/blob/main/LICENSE", "license"),
        ("https://huggingface.co/acme/acme-7b/blob/main/USE_POLICY.md", "license"),
        ("https://huggingface.co/docs/transformers", "other"),
        ("https://huggingface.co/acme", "other"),
        # papers
        ("https://arxiv.org/abs/2401.00001", "paper"),
        ("https://www.arxiv.org/pdf/2401.00001", "paper"),
        ("https://aclanthology.org/2023.acl-long.1/", "paper"),
        ("https://doi.org/10.5555/12345", "paper"),
        ("https://openreview.net/forum?id=abc", "paper"),
        ("https://example.org/files/report.PDF", "paper"),
        # licenses
        ("https://creativecommons.org/licenses/by/4.0/", "license"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "license"),
        ("https://www.apache.org/licenses/LICENSE-2.0", "license"),
        ("https://opensource.org/licenses/MIT", "license"),
        ("https://acme.example/models/use-policy", "license"),
        # the rest
        ("https://www.kaggle.com/datasets/acme/corpus", "dataset"),
        ("https://example.org/about", "project"),
        ("https://example.org", "other"),
    ],
)
def test_a_url_is_classified_from_its_host_and_path(url: str, kind: str) -> None:
    assert classify_url(url) == kind


@pytest.mark.parametrize(
    "url",
    [
        "https://www.semanticscholar.org/paper/abc123",
        "https://ai.meta.com/research/publications/some-paper/",
        "https://dx.doi.org/10.5555/12345",
    ],
)
def test_scholarly_hosts_listed_as_papers_are_classified_as_papers(url: str) -> None:
    assert classify_url(url) == "paper"


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gives_links_without_raising(text: str) -> None:
    assert isinstance(extract_links(text, 1), list)


_FRAGMENTS = st.sampled_from(
    [
        "https://github.com/acme/trainer",
        "http://example.org/a.b",
        "[", "]", "(", ")", "][", "](", "<", ">",
        '<a href="', '">', "</a>",
        "[r]: ", "[r]",
        "\n", "\n\n", "\r\n",
        "# ", "## ", "- ", "1. ", "| ",
        "```", "~~~", "`", "*", "_",
        " ", "word", ". ", ", ",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=40).map("".join), st.integers(min_value=1, max_value=500))
def test_every_link_is_on_a_line_of_the_body(body: str, first_line: int) -> None:
    last_line = first_line + max(len(body.splitlines()) - 1, 0)

    for link in extract_links(body, first_line):
        assert first_line <= (link.provenance.line or 0) <= last_line
        assert link.url.startswith(("http://", "https://"))
        assert "\n" not in link.sentence and "\n" not in link.heading
