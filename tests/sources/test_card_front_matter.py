"""A model card's front matter is read with the line of every key, and bad YAML never raises.

The front matter is the YAML between a ``---`` first line and the next ``---`` line. Its
keys (``license``, ``base_model``, ...) become evidence, so each keeps the line it is on in
the file. Cards are untrusted: malformed, hostile or oddly encoded front matter gives a
one-line problem, never an exception.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from openness.sources.card import parse_front_matter, read_card, split_front_matter
from openness.sources.files import read_text
from tests.conftest import RELEASES

# --- keys and their lines ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("card", "expected_lines"),
    [
        pytest.param(
            "---\nlicense: mit\nbase_model: org/base\n---\n# Title\n",
            {"license": 2, "base_model": 3},
            id="one-key-a-line",
        ),
        pytest.param(
            "---\nlanguage:\n- en\n- fr\nlicense: apache-2.0\ndatasets:\n  - org/data\n---\n",
            {"language": 2, "license": 5, "datasets": 6},
            id="keys-after-block-lists",
        ),
        pytest.param(
            "---\n# a comment first\n\nlicense: other\n\nlicense_name: acme-terms  # trailing comment\n---\n",
            {"license": 4, "license_name": 6},
            id="comments-and-blank-lines",
        ),
        pytest.param(
            "---\nextra_gated_prompt: >-\n  Please agree.\n\n  Really.\nlicense: llama3.1\n---\n",
            {"extra_gated_prompt": 2, "license": 6},
            id="after-a-folded-multiline-value",
        ),
        pytest.param(
            "---\r\nlicense: mit\r\ntags:\r\n- one\r\nbase_model: org/base\r\n---\r\nBody\r\n",
            {"license": 2, "tags": 3, "base_model": 5},
            id="crlf-line-endings",
        ),
        pytest.param(
            "---   \nlicense: mit\n---\t\n",
            {"license": 2},
            id="fences-with-trailing-blanks",
        ),
    ],
)
def test_each_top_level_key_is_read_with_the_line_it_is_on_in_the_file(
    card: str, expected_lines: dict[str, int]
) -> None:
    front = parse_front_matter(card)

    assert front.problem is None
    assert front.lines == expected_lines
    assert set(front.metadata) == set(expected_lines)


def test_values_are_parsed_as_yaml_values() -> None:
    front = parse_front_matter(
        "---\nlicense: mit\nlanguage: [en, de]\ninference: false\nparams: 7\nwidget:\n  - text: hi\n---\n"
    )

    assert front.metadata == {
        "license": "mit",
        "language": ["en", "de"],
        "inference": False,
        "params": 7,
        "widget": [{"text": "hi"}],
    }


def test_the_body_starts_on_the_line_after_the_closing_fence() -> None:
    card = "---\nlicense: mit\n---\n# My model\n\nSome words.\n"

    front = parse_front_matter(card)
    raw, body, start = split_front_matter(card)

    assert raw == "license: mit\n"
    assert body == "# My model\n\nSome words.\n"
    assert start == front.body_start_line == 4
    assert card.splitlines()[start - 1] == "# My model"


def test_a_license_given_as_a_list_keeps_every_entry() -> None:
    front = parse_front_matter("---\nlicense:\n- apache-2.0\n- cc-by-4.0\n---\n")

    assert front.metadata["license"] == ["apache-2.0", "cc-by-4.0"]
    assert front.lines["license"] == 2


def test_the_line_of_a_key_in_a_committed_release_is_its_line_in_the_readme() -> None:
    text = (RELEASES / "llama31-like" / "README.md").read_text(encoding="utf-8")

    front = parse_front_matter(text)

    assert front.metadata["license"] == "llama3.1"
    assert text.splitlines()[front.lines["license"] - 1] == "license: llama3.1"


# --- no front matter, empty, unclosed --------------------------------------------------------


@pytest.mark.parametrize(
    "card",
    [
        pytest.param("", id="empty-file"),
        pytest.param("# My model\n\nlicense: mit\n", id="plain-markdown"),
        pytest.param("\n---\nlicense: mit\n---\n", id="fence-not-on-the-first-line"),
        pytest.param("----\nlicense: mit\n----\n", id="four-dashes-is-not-a-fence"),
        pytest.param("--- license: mit\n---\n", id="text-after-the-dashes"),
    ],
)
def test_a_card_without_front_matter_has_no_metadata_and_its_body_is_the_whole_text(card: str) -> None:
    front = parse_front_matter(card)
    model_card = read_card("README.md", card)

    assert (front.metadata, front.lines, front.problem) == ({}, {}, None)
    assert front.body_start_line == 1
    assert model_card.body == card
    assert model_card.body_start_line == 1


@pytest.mark.parametrize(
    "card",
    [
        pytest.param("---\n---\n# Title\n", id="fences-only"),
        pytest.param("---\n\n\n---\n# Title\n", id="blank-lines"),
        pytest.param("---\n# nothing to say yet\n---\n# Title\n", id="a-comment"),
    ],
)
def test_empty_front_matter_is_no_metadata_and_no_problem(card: str) -> None:
    front = parse_front_matter(card)

    assert (front.metadata, front.lines, front.problem) == ({}, {}, None)
    assert card.splitlines()[front.body_start_line - 1] == "# Title"


def test_an_unclosed_fence_is_no_front_matter_as_on_the_hub_and_says_so() -> None:
    card = "---\nlicense: mit\nbase_model: org/base\n"

    front = parse_front_matter(card)
    model_card = read_card("README.md", card)

    assert (front.metadata, front.lines, front.body_start_line) == ({}, {}, 1)
    assert front.problem == "front matter fence `---` is never closed"
    assert model_card.body == card


# --- malformed and hostile front matter --------------------------------------------------------


@pytest.mark.parametrize(
    ("card", "line"),
    [
        pytest.param("---\nlicense: mit\nlicense_name: a: b\n---\n", 3, id="colon-in-plain-value"),
        pytest.param("---\nlicense: mit\n\tbase_model: x\n---\n", 3, id="tab-indent"),
        pytest.param("---\na: 1\nb: 2\n c: 3\n---\n", 4, id="stray-indent"),
        pytest.param("---\nlicense: mit\n- item\n---\n", 3, id="list-item-in-a-mapping"),
        pytest.param("---\nlicense: *nowhere\n---\n", 2, id="undefined-alias"),
        pytest.param("---\nlicense: mit\nlanguage:\n  - en\n - de\n---\n", 5, id="ragged-list"),
    ],
)
def test_malformed_yaml_gives_a_one_line_problem_naming_the_line_in_the_file(card: str, line: int) -> None:
    front = parse_front_matter(card)

    assert front.metadata == {}
    assert front.problem is not None
    assert front.problem.startswith("malformed YAML front matter")
    assert f"(line {line})" in front.problem
    assert "\n" not in front.problem


def test_malformed_front_matter_still_leaves_the_body_to_read() -> None:
    card = "---\nlicense: [mit\n---\n# Title\nSee [code](https://github.com/org/repo).\n"

    model_card = read_card("README.md", card)

    assert model_card.problem is not None
    assert model_card.metadata == {}
    assert model_card.body.startswith("# Title")
    assert model_card.body_start_line == 4


@pytest.mark.parametrize(
    "card",
    [
        pytest.param("---\n- apache-2.0\n- mit\n---\n", id="a-list"),
        pytest.param("---\njust some words\n---\n", id="a-string"),
        pytest.param("---\n42\n---\n", id="a-number"),
    ],
)
def test_front_matter_that_is_not_a_mapping_is_a_problem(card: str) -> None:
    front = parse_front_matter(card)

    assert (front.metadata, front.lines) == ({}, {})
    assert front.problem == "front matter is not a mapping of keys to values"


def _alias_bomb(levels: int = 9, fan_out: int = 9) -> str:
    """The "billion laughs" shape: each anchor is a list of the previous one, nine times."""
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * fan_out) + "]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * fan_out) + "]")
    return "---\n" + "\n".join(lines) + "\n---\n# body\n"


@pytest.mark.parametrize(
    "card",
    [
        pytest.param(_alias_bomb(), id="billion-laughs"),
        pytest.param("---\nlicense: &loop [*loop]\n---\n", id="self-referencing-alias"),
    ],
)
def test_front_matter_that_expands_without_bound_is_refused_quickly(card: str) -> None:
    started = time.perf_counter()
    front = parse_front_matter(card)
    elapsed = time.perf_counter() - started

    assert front.metadata == {}
    assert front.problem == "front matter too large or expands without bound"
    assert elapsed < 1.0


def test_a_few_harmless_aliases_are_still_read() -> None:
    front = parse_front_matter("---\nbase: &b org/base\nbase_model: *b\n---\n")

    assert front.problem is None
    assert front.metadata == {"base": "org/base", "base_model": "org/base"}


def test_python_specific_tags_are_a_problem_and_are_never_constructed() -> None:
    front = parse_front_matter("---\nlicense: !!python/object/apply:os.system ['echo hi']\n---\n")

    assert front.metadata == {}
    assert front.problem is not None
    assert front.problem.startswith("malformed YAML front matter")


def test_a_tag_that_cannot_be_constructed_gives_a_one_line_problem() -> None:
    front = parse_front_matter("---\nlicense: !!python/name:os.system x\n---\n")

    assert front.problem is not None
    assert "\n" not in front.problem


@pytest.mark.parametrize("value", ["!!int many", "!!float lots", "!!timestamp yesterday"])
def test_an_explicit_tag_on_a_value_that_does_not_fit_it_is_a_problem_not_an_exception(value: str) -> None:
    front = parse_front_matter(f"---\nlicense: mit\nparams: {value}\n---\n")

    assert front.problem is not None
    assert front.metadata == {}


def test_deeply_nested_front_matter_is_a_problem_not_an_exception() -> None:
    front = parse_front_matter("---\nlicense: " + "[" * 3000 + "]" * 3000 + "\n---\n")

    assert front.problem is not None
    assert front.metadata == {}


def test_every_metadata_key_has_a_line_even_when_yaml_reads_it_as_a_non_string() -> None:
    front = parse_front_matter("---\ntrue: 1\nnull: 2\n2024: 3\n---\n")

    assert set(front.lines) == set(front.metadata)


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoded", "expected_problem"),
    [
        pytest.param(b"\xef\xbb\xbf---\nlicense: mit\n---\n# T\n", None, id="utf-8-with-bom"),
        pytest.param("---\r\nlicense: mit\r\n---\r\n# T\r\n".encode("utf-16"), None, id="utf-16-with-bom"),
        pytest.param(
            "---\nlicense: mit\nmodel_name: Café\n---\n# T\n".encode("cp1252"),
            "not valid UTF-8; read as Windows-1252",
            id="windows-1252",
        ),
    ],
)
def test_a_card_file_with_a_byte_order_mark_or_legacy_encoding_keeps_its_front_matter(
    tmp_path: Path, encoded: bytes, expected_problem: str | None
) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(encoded)

    read = read_text(path)
    assert read.text is not None
    assert read.problem == expected_problem
    front = parse_front_matter(read.text)

    assert front.metadata["license"] == "mit"
    assert front.lines["license"] == 2
    assert read.text.splitlines()[front.body_start_line - 1] == "# T"


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_parses_to_a_mapping_without_raising(text: str) -> None:
    front = parse_front_matter(text)

    assert isinstance(front.metadata, dict)
    assert front.body_start_line >= 1
    assert all(2 <= line < front.body_start_line for line in front.lines.values())
    assert front.problem is None or "\n" not in front.problem


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_between_fences_parses_without_raising(text: str) -> None:
    front = parse_front_matter("---\n" + text + "\n---\n")

    assert isinstance(front.metadata, dict)
    assert all(2 <= line < front.body_start_line for line in front.lines.values())


_KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
_WORDS = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
_VALUES = st.one_of(
    _WORDS,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.none(),
    st.lists(_WORDS, max_size=4),
    st.dictionaries(_KEYS, _WORDS, max_size=3),
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=8))
def test_a_dumped_mapping_round_trips_with_the_line_of_each_key(mapping: dict[str, object]) -> None:
    # Each key is dumped on its own so its line can be counted independently of the parser.
    chunks = [yaml.safe_dump({key: value}, sort_keys=False) for key, value in mapping.items()]
    expected_lines = {}
    line = 2  # line 1 is the opening fence
    for key, chunk in zip(mapping, chunks, strict=True):
        expected_lines[key] = line
        line += chunk.count("\n")
    card = "---\n" + "".join(chunks) + "---\n# Body\n"

    front = parse_front_matter(card)

    assert front.problem is None
    assert front.metadata == mapping
    assert front.lines == expected_lines
    assert front.body_start_line == line + 1
    assert card.splitlines()[front.body_start_line - 1] == "# Body"
