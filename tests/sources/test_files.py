"""Text files in a release are read within bounds and never raise; folders are walked safely.

A release folder is untrusted: its "text" files may be binary, huge, in a legacy encoding,
or not files at all, and its symlinks may dangle or loop. Every read gives text, a one-line
problem, or text with a caveat; the walk never follows a directory symlink.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openness.sources.files import MAX_TEXT_BYTES, TextRead, decode_text, list_files, read_text

WINDOWS_1252 = "not valid UTF-8; read as Windows-1252"


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def touch_all(root: Path, names: list[str]) -> None:
    for name in names:
        write(root / name, b"x")


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(b"", TextRead("", None), id="empty"),
        pytest.param("Licence libre: ça marche.\n".encode(), TextRead("Licence libre: ça marche.\n"), id="utf-8"),
        pytest.param(b"\xef\xbb\xbfMIT License\n", TextRead("MIT License\n"), id="utf-8-bom-dropped"),
        pytest.param("Grüße\r\n".encode("utf-16"), TextRead("Grüße\r\n"), id="utf-16-with-bom"),
        pytest.param(b"\xfe\xff" + "Grüße".encode("utf-16-be"), TextRead("Grüße"), id="utf-16-be-with-bom"),
        pytest.param(b"\xff\xfe" + "Grüße".encode("utf-16-le"), TextRead("Grüße"), id="utf-16-le-with-bom"),
        pytest.param(
            "Café “quoted” 5 €\n".encode("cp1252"), TextRead("Café “quoted” 5 €\n", WINDOWS_1252), id="windows-1252"
        ),
        pytest.param("Señor Müller\n".encode("latin-1"), TextRead("Señor Müller\n", WINDOWS_1252), id="latin-1"),
    ],
)
def test_text_is_decoded_from_its_encoding_and_a_fallback_is_a_caveat(raw: bytes, expected: TextRead) -> None:
    assert decode_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        pytest.param(b"MIT\x00License", "binary file, not text", id="nul-byte"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text", id="png-header"),
        pytest.param(
            (bytes(range(1, 9)) + b"\xff") * 100, "binary file, not text", id="not-utf-8-mostly-control-characters"
        ),
        pytest.param("no BOM".encode("utf-16-le"), "binary file, not text", id="utf-16-without-bom"),
        pytest.param(b"\xff\xfe\x00", "invalid UTF-16 text", id="utf-16-odd-length"),
    ],
)
def test_binary_content_is_refused_with_a_problem(raw: bytes, problem: str) -> None:
    assert decode_text(raw) == TextRead(None, problem)


# --- what a path can be ----------------------------------------------------------------------


def test_a_file_is_read_through_its_path(tmp_path: Path) -> None:
    path = write(tmp_path / "LICENSE", b"Apache License\nVersion 2.0\n")

    assert read_text(path) == TextRead("Apache License\nVersion 2.0\n", None)


def test_a_file_larger_than_the_limit_is_refused_without_being_read(tmp_path: Path) -> None:
    at_limit = write(tmp_path / "at-limit.txt", b"a" * 64)
    over = write(tmp_path / "over.txt", b"a" * 65)

    assert read_text(at_limit, max_bytes=64) == TextRead("a" * 64, None)
    assert read_text(over, max_bytes=64) == TextRead(None, "too large to read as text (65 bytes, limit 64)")


def test_the_default_limit_is_ten_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)  # sparse: nothing is written

    read = read_text(path)

    assert read.text is None
    assert read.problem == f"too large to read as text ({MAX_TEXT_BYTES + 1} bytes, limit {MAX_TEXT_BYTES})"


def _directory(tmp_path: Path) -> Path:
    (tmp_path / "folder").mkdir()
    return tmp_path / "folder"


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "nothing-here"


def _dangling_symlink(tmp_path: Path) -> Path:
    (tmp_path / "LICENSE").symlink_to(tmp_path / "blobs" / "gone")
    return tmp_path / "LICENSE"


def _symlink_loop(tmp_path: Path) -> Path:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    return tmp_path / "a"


def _named_pipe(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "fifo")
    return tmp_path / "fifo"


@pytest.mark.parametrize("make", [_directory, _missing, _dangling_symlink, _symlink_loop, _named_pipe])
def test_a_path_that_is_not_a_regular_file_is_a_problem_not_an_exception(
    tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    # A named pipe would block a naive open() forever; it must be refused before opening.
    assert read_text(make(tmp_path)) == TextRead(None, "not a regular file")


def test_a_symlink_to_a_regular_file_is_read_through(tmp_path: Path) -> None:
    write(tmp_path / "blobs" / "abc123", b"MIT License\n")
    (tmp_path / "LICENSE").symlink_to(tmp_path / "blobs" / "abc123")

    assert read_text(tmp_path / "LICENSE") == TextRead("MIT License\n", None)


# --- properties of decoding ------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_text_or_a_one_line_problem(raw: bytes) -> None:
    read = decode_text(raw)

    assert read.text is not None or read.problem is not None
    assert read.problem is None or "\n" not in read.problem


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_characters="\x00\ufeff", blacklist_categories=("Cs",))))
def test_any_utf8_text_without_nul_round_trips_without_a_caveat(text: str) -> None:
    assert decode_text(text.encode("utf-8")) == TextRead(text, None)


# --- walking a folder ------------------------------------------------------------------------


def test_files_are_listed_as_sorted_posix_paths_relative_to_the_root(tmp_path: Path) -> None:
    touch_all(tmp_path, ["README.md", "b/config.json", "a/z.txt", "a/deeper/y.txt", "LICENSE"])

    assert list_files(tmp_path) == (["LICENSE", "README.md", "a/deeper/y.txt", "a/z.txt", "b/config.json"], [])


def test_hidden_folders_and_files_are_skipped_except_gitattributes(tmp_path: Path) -> None:
    touch_all(
        tmp_path,
        [".git/HEAD", ".git/objects/ab/cdef", ".cache/huggingface/x.lock", ".hidden", ".gitattributes",
         "README.md", "sub/.DS_Store", "sub/.git/config", "sub/kept.txt"],
    )  # fmt: skip

    assert list_files(tmp_path) == ([".gitattributes", "README.md", "sub/kept.txt"], [])


def test_a_directory_symlink_to_its_parent_is_not_followed_and_the_walk_ends(tmp_path: Path) -> None:
    touch_all(tmp_path, ["README.md", "sub/model.safetensors"])
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "elsewhere").symlink_to(tmp_path / "sub", target_is_directory=True)

    files, problems = list_files(tmp_path)

    assert files == ["README.md", "sub/model.safetensors"]
    assert problems == [
        "elsewhere: directory symlink not followed",
        "sub/up: directory symlink not followed",
    ]


def test_file_symlinks_are_kept_as_in_a_hub_cache_snapshot(tmp_path: Path) -> None:
    blob = write(tmp_path / "blobs" / "0123abcd", b"{}")
    snapshot = tmp_path / "snapshots" / "main"
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").symlink_to(blob)
    (snapshot / "LICENSE").symlink_to(tmp_path / "blobs" / "not-downloaded")

    assert list_files(snapshot) == (["LICENSE", "config.json"], [])


def test_a_symlink_loop_between_files_is_listed_and_reading_it_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path / "README.md", b"# hi\n")
    _symlink_loop(tmp_path)

    files, problems = list_files(tmp_path)

    assert files == ["README.md", "a", "b"]
    assert problems == []
    assert read_text(tmp_path / "a").problem == "not a regular file"


def test_the_number_of_files_listed_is_capped_with_a_problem(tmp_path: Path) -> None:
    touch_all(tmp_path, [f"shard-{i:02d}.txt" for i in range(7)])

    files, problems = list_files(tmp_path, max_files=3)

    assert len(files) == 3
    assert problems == ["more than 3 files; the rest were not listed"]


def test_a_folder_with_exactly_as_many_files_as_the_cap_is_listed_without_a_problem(tmp_path: Path) -> None:
    touch_all(tmp_path, ["a", "b", "c"])

    assert list_files(tmp_path, max_files=3) == (["a", "b", "c"], [])


def test_an_empty_folder_lists_nothing(tmp_path: Path) -> None:
    assert list_files(tmp_path) == ([], [])


def test_a_missing_root_lists_nothing_with_a_problem_and_does_not_raise(tmp_path: Path) -> None:
    files, problems = list_files(tmp_path / "gone")

    assert files == []
    assert len(problems) == 1
    assert problems[0].startswith(f"cannot list {tmp_path / 'gone'}")
