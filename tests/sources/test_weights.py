"""Weight files are read as headers only, with every length checked, and never raise.

Valid files are written by the real ``safetensors`` and ``gguf`` packages, which serve as
independent writers; broken files are crafted byte by byte.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import gguf
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from safetensors.numpy import save_file

from openness.evidence import WeightFile
from openness.sources import weights
from openness.sources.weights import (
    classify_weight_file,
    read_gguf_metadata,
    read_safetensors_header,
    read_safetensors_index,
    read_weight_file,
)

GB = 2**30


# --- helpers -----------------------------------------------------------------------------


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def safetensors_bytes(header: dict[str, Any] | list[Any] | bytes, data: bytes = b"") -> bytes:
    """A safetensors file: 8-byte little-endian length, header, data."""
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + data


def gguf_string(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def gguf_bytes(body: bytes, *, kv_count: int, tensor_count: int = 0, version: int = 3) -> bytes:
    """A GGUF file: magic, version, counts, then ``body`` (key/values and tensor infos)."""
    return b"GGUF" + struct.pack("<IQQ", version, tensor_count, kv_count) + body


def write_gguf(path: Path, fill: Any) -> Path:
    """Write a GGUF file with the real ``gguf.GGUFWriter``; ``fill(writer)`` adds content."""
    writer = gguf.GGUFWriter(path, arch="llama")
    fill(writer)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def small_model(writer: gguf.GGUFWriter) -> None:
    writer.add_string("general.license", "apache-2.0")
    writer.add_uint32("llama.context_length", 4096)
    writer.add_float32("llama.attention.layer_norm_rms_epsilon", 1e-5)
    writer.add_bool("tokenizer.ggml.add_bos_token", True)
    writer.add_array("tokenizer.ggml.tokens", ["<s>", "</s>", "hello"])
    writer.add_array("tokenizer.ggml.scores", [0.0, 0.5, 1.0])
    # 32 float32 elements = 128 bytes each: no padding after the last tensor.
    writer.add_tensor("token_embd.weight", np.ones((4, 8), np.float32))
    writer.add_tensor("output_norm.weight", np.ones((32,), np.float32))


def assert_counts_or_problem(result: WeightFile) -> None:
    """Exactly one of: counts (header read) or a one-line problem (header not read)."""
    if result.problem is None:
        assert result.tensor_count is not None and result.parameter_count is not None
    else:
        assert result.tensor_count is None and result.parameter_count is None
        assert "\n" not in result.problem and result.problem


class CountingFile:
    """Wraps an open file and counts the bytes the reader asks for."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.handle.read(size)
        self.bytes_read += len(data)
        return data

    def seek(self, *args: int) -> int:
        position: int = self.handle.seek(*args)
        return position

    def __enter__(self) -> CountingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def count_opens(monkeypatch: pytest.MonkeyPatch) -> list[CountingFile]:
    """From now on, record every file opened through ``Path.open`` and the bytes read."""
    files: list[CountingFile] = []
    real_open = Path.open

    def counting_open(self: Path, *args: Any, **kwargs: Any) -> CountingFile:
        files.append(CountingFile(real_open(self, *args, **kwargs)))
        return files[-1]

    monkeypatch.setattr(Path, "open", counting_open)
    return files


# --- classifying file names --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("model.safetensors", "safetensors"),
        ("model-00001-of-00002.safetensors", "safetensors"),
        ("sub/dir/Model.SAFETENSORS", "safetensors"),
        ("llama-7b.Q4_K_M.gguf", "gguf"),
        ("pytorch_model.bin", "pickle"),
        ("training_args.bin", "pickle"),
        ("model.pt", "pickle"),
        ("model.pth", "pickle"),
        ("sd.ckpt", "pickle"),
        ("scaler.pkl", "pickle"),
        ("model.onnx", "other"),
        ("tf_model.h5", "other"),
        ("flax_model.msgpack", "other"),
        ("model.tflite", "other"),
        ("Model.mlmodel", "other"),
        ("model.safetensors.index.json", None),
        ("config.json", None),
        ("README.md", None),
        ("safetensors", None),
    ],
)
def test_classify_weight_file_goes_by_the_suffix_of_the_last_path_part(name: str, expected: str | None) -> None:
    assert classify_weight_file(name) == expected


def test_pickle_files_are_never_opened_only_their_size_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "pytorch_model.bin", b"\x80\x04 not to be unpickled" * 10)
    opened = count_opens(monkeypatch)
    result = read_weight_file(path, "pytorch_model.bin")
    assert result == WeightFile("pytorch_model.bin", "pickle", 220)
    assert opened == []


def test_other_formats_are_stat_only_and_unknown_names_count_as_other(tmp_path: Path) -> None:
    path = write(tmp_path / "model.onnx", b"x" * 7)
    assert read_weight_file(path, "model.onnx") == WeightFile("model.onnx", "other", 7)
    assert read_weight_file(path, "weights.xyz").format == "other"


def test_read_weight_file_dispatches_on_the_name(tmp_path: Path) -> None:
    save_file({"w": np.zeros((2, 2), np.float32)}, str(tmp_path / "model.safetensors"))
    write_gguf(tmp_path / "model.gguf", small_model)
    assert read_weight_file(tmp_path / "model.safetensors", "model.safetensors").tensor_count == 1
    assert read_weight_file(tmp_path / "model.gguf", "model.gguf").tensor_count == 2


def test_missing_files_and_directories_give_a_problem(tmp_path: Path) -> None:
    (tmp_path / "dir.safetensors").mkdir()
    (tmp_path / "loop.gguf").symlink_to(tmp_path / "loop.gguf")
    names = ("missing.safetensors", "missing.gguf", "missing.bin", "dir.safetensors", "loop.gguf")
    for name in names:
        result = read_weight_file(tmp_path / name, name)
        assert result.problem is not None and result.tensor_count is None
    assert read_weight_file(tmp_path / "dir.safetensors", "d").problem == "not a regular file"
    assert read_weight_file(tmp_path / "missing.bin", "m").problem.startswith("cannot read")  # type: ignore[union-attr]


# --- safetensors -------------------------------------------------------------------------


def test_safetensors_header_gives_counts_dtypes_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    tensors: dict[str, np.ndarray[Any, Any]] = {
        "embed": np.zeros((10, 4), np.float32),
        "norm": np.zeros((4,), np.float16),
        "step": np.zeros((), np.int64),
    }
    save_file(tensors, str(path), metadata={"format": "pt", "author": "me"})
    result = read_safetensors_header(path, "model.safetensors")
    assert result == WeightFile(
        path="model.safetensors",
        format="safetensors",
        size=path.stat().st_size,
        tensor_count=3,
        parameter_count=10 * 4 + 4 + 1,
        dtypes=("F16", "F32", "I64"),
        metadata=(("author", "me"), ("format", "pt")),
    )


def test_a_100_gb_sparse_file_is_read_from_its_header_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_size = 100 * GB - 8 - 256
    elements = data_size // 2
    header = {
        "__metadata__": {"format": "pt"},
        "huge": {"dtype": "BF16", "shape": [elements], "data_offsets": [0, data_size]},
    }
    raw = json.dumps(header).encode().ljust(256)  # padded with spaces, as writers do
    path = tmp_path / "huge.safetensors"
    with path.open("wb") as handle:
        handle.write(safetensors_bytes(raw))
        handle.truncate(100 * GB)  # sparse: no disk space is used
    opened = count_opens(monkeypatch)

    result = read_safetensors_header(path, "huge.safetensors")

    assert result.problem is None
    assert (result.size, result.tensor_count, result.parameter_count) == (100 * GB, 1, elements)
    assert sum(file.bytes_read for file in opened) <= 8 + 256 + 40


def test_a_truncated_safetensors_file_has_offsets_beyond_its_data(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    save_file({"a": np.zeros((8,), np.float32), "b": np.zeros((8,), np.float32)}, str(path))
    data = path.read_bytes()
    result = read_safetensors_header(write(path, data[:-4]), "model.safetensors")
    assert result.problem is not None
    assert "data_offsets end 64 is beyond the 60 bytes of tensor data" in result.problem
    assert result.tensor_count is None and result.parameter_count is None


def test_a_header_length_of_10_gb_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "x.safetensors", struct.pack("<Q", 10 * GB) + b"{}" + b" " * 90)
    result = read_safetensors_header(path, "x.safetensors")
    assert result.problem == "header length 10737418240 exceeds file size 100"


def test_a_header_over_the_100_mb_format_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.safetensors"
    with path.open("wb") as handle:
        handle.write(struct.pack("<Q", 200_000_000))
        handle.truncate(1 * GB)
    result = read_safetensors_header(path, "x.safetensors")
    assert result.problem == "header length 200000000 exceeds the safetensors limit of 100000000"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "file is 0 bytes, too short for a safetensors header"),
        (b"\x02\x00\x00", "file is 3 bytes, too short for a safetensors header"),
        (struct.pack("<Q", 0), "header length 0 is too small for a JSON object"),
        (safetensors_bytes(b"not json"), "header is not valid JSON: Expecting value"),
        (safetensors_bytes(b'{"a": '), "header is not valid JSON"),
        (safetensors_bytes([1, 2]), "header is a JSON array, not an object"),
        (safetensors_bytes(b'"text"'), "header is a JSON string, not an object"),
        (safetensors_bytes(b'{"\xff": 1}'), "header is not valid UTF-8 (byte 0xff at offset 2)"),
        (b"[" * 5000 + b"]" * 5000, "header length"),
        (
            safetensors_bytes(b"[" * 100_000 + b"]" * 100_000),
            "header is not valid JSON",
        ),
    ],
)
def test_malformed_headers_give_a_one_line_problem(tmp_path: Path, data: bytes, problem: str) -> None:
    result = read_safetensors_header(write(tmp_path / "x.safetensors", data), "x.safetensors")
    assert result.problem is not None and result.problem.startswith(problem)
    assert_counts_or_problem(result)


def entry(dtype: Any = "F32", shape: Any = (2,), offsets: Any = (0, 8)) -> dict[str, Any]:
    return {"dtype": dtype, "shape": list(shape), "data_offsets": list(offsets)}


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ({"w": entry(offsets=(0, 16))}, "tensor 'w': data_offsets end 16 is beyond the 8 bytes"),
        ({"w": entry(offsets=(8, 0))}, "tensor 'w': data_offsets [8, 0] run backwards"),
        ({"w": entry(offsets=(0,))}, "tensor 'w': data_offsets is not a pair"),
        ({"w": entry(offsets=(-1, 7))}, "tensor 'w': data_offsets is not a pair"),
        ({"w": entry(dtype=None)}, "tensor 'w': dtype is missing or not a string"),
        ({"w": entry(shape=(-2,))}, "tensor 'w': shape is not a list of non-negative integers"),
        ({"w": entry(shape=(True, 2))}, "tensor 'w': shape is not a list"),
        ({"w": entry(shape=(2.0,))}, "tensor 'w': shape is not a list"),
        ({"w": {"dtype": "F32", "data_offsets": [0, 8]}}, "tensor 'w': shape is not a list"),
        ({"w": [1, 2]}, "tensor 'w': entry is not a JSON object"),
        ({"w": entry(shape=(3,))}, "tensor 'w': 8 bytes of data but 3 F32 elements need 12"),
        ({"w": entry(dtype="F4", shape=(10**6,))}, "tensor 'w': shape has more elements"),
        ({"__metadata__": {"k": 1}}, "__metadata__ value of 'k' is not a string"),
        ({"__metadata__": ["k"]}, "__metadata__ is not a JSON object"),
    ],
)
def test_inconsistent_tensor_entries_give_a_problem(tmp_path: Path, header: dict[str, Any], problem: str) -> None:
    path = write(tmp_path / "x.safetensors", safetensors_bytes(header, b"\x00" * 8))
    result = read_safetensors_header(path, "x.safetensors")
    assert result.problem is not None and result.problem.startswith(problem)
    assert_counts_or_problem(result)


def test_unknown_dtypes_are_reported_without_a_size_check(tmp_path: Path) -> None:
    header = {"w": entry(dtype="F6_E3M2", shape=(8,), offsets=(0, 6))}
    path = write(tmp_path / "x.safetensors", safetensors_bytes(header, b"\x00" * 6))
    result = read_safetensors_header(path, "x.safetensors")
    assert (result.problem, result.parameter_count, result.dtypes) == (None, 8, ("F6_E3M2",))


def test_an_empty_header_is_a_file_without_tensors(tmp_path: Path) -> None:
    result = read_safetensors_header(write(tmp_path / "e.safetensors", safetensors_bytes({})), "e")
    assert (result.tensor_count, result.parameter_count, result.problem) == (0, 0, None)


def test_git_lfs_pointers_are_recognised(tmp_path: Path) -> None:
    pointer = (
        b"version https://git-lfs.github.com/spec/v1\n"
        b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        b"size 548105171\n"
    )
    for name, reader in (
        ("m.safetensors", read_safetensors_header),
        ("m.gguf", read_gguf_metadata),
    ):
        result = reader(write(tmp_path / name, pointer), name)
        assert result.problem == "Git LFS pointer file, not the weights themselves"


# --- safetensors index -------------------------------------------------------------------


def test_safetensors_index_gives_weight_map_and_total_size(tmp_path: Path) -> None:
    index = {
        "metadata": {"total_size": 16060522496},
        "weight_map": {
            "lm_head.weight": "model-00002-of-00002.safetensors",
            "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
        },
    }
    path = write(tmp_path / "model.safetensors.index.json", json.dumps(index).encode())
    weight_map, total, problem = read_safetensors_index(path, "model.safetensors.index.json")
    assert weight_map == index["weight_map"]
    assert (total, problem) == (16060522496, None)


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        ({"weight_map": {}}, ({}, None, None)),
        ({"weight_map": {}, "metadata": {"total_size": 2.0e10}}, ({}, 20_000_000_000, None)),
        ({"weight_map": {}, "metadata": {"total_size": "big"}}, ({}, None, "not a number")),
        ({"weight_map": {}, "metadata": {"total_size": -1}}, ({}, None, "is negative")),
        ({"weight_map": {}, "metadata": {"total_size": 1.5}}, ({}, None, "not a whole number")),
        ({"weight_map": {}, "metadata": 3}, ({}, None, "metadata is not a JSON object")),
        ({"metadata": {"total_size": 8}}, (None, 8, "weight_map is missing")),
        ({"weight_map": {"a": 1}}, (None, None, "shard name that is not a string")),
        ([1], (None, None, "index is a JSON array, not an object")),
    ],
)
def test_safetensors_index_returns_what_parsed_and_says_what_did_not(
    tmp_path: Path, index: Any, expected: tuple[Any, Any, str | None]
) -> None:
    path = write(tmp_path / "i.json", json.dumps(index).encode())
    weight_map, total, problem = read_safetensors_index(path, "i.json")
    assert (weight_map, total) == expected[:2]
    if expected[2] is None:
        assert problem is None
    else:
        assert problem is not None and expected[2] in problem


def test_safetensors_index_refuses_non_json_large_and_missing_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "i.json", b'\xef\xbb\xbf{"weight_map": {}}')  # a BOM is fine
    assert read_safetensors_index(path, "i.json") == ({}, None, None)
    path = write(tmp_path / "i.json", b"{oops")
    assert read_safetensors_index(path, "i.json")[2].startswith("index is not valid JSON")  # type: ignore[union-attr]
    assert read_safetensors_index(tmp_path / "none.json", "none.json")[2].startswith("cannot read")  # type: ignore[union-attr]
    monkeypatch.setattr(weights, "MAX_INDEX_BYTES", 4)
    assert read_safetensors_index(path, "i.json") == (
        None,
        None,
        "index is 5 bytes, over the 4 byte limit",
    )


# --- GGUF --------------------------------------------------------------------------------


def test_gguf_metadata_counts_and_types_from_a_real_writer(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "model.gguf", small_model)
    result = read_gguf_metadata(path, "model.gguf")
    assert result.problem is None
    assert (result.tensor_count, result.parameter_count, result.dtypes) == (2, 64, ("F32",))
    assert dict(result.metadata) == {
        "general.architecture": "llama",
        "general.license": "apache-2.0",
        "llama.context_length": "4096",
        "llama.attention.layer_norm_rms_epsilon": "1e-05",
        "tokenizer.ggml.add_bos_token": "true",
        "tokenizer.ggml.tokens": "[array of 3 str]",
        "tokenizer.ggml.scores": "[array of 3 float32]",
    }
    assert list(result.metadata) == sorted(result.metadata)


def test_gguf_agrees_with_the_gguf_package_reader(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "model.gguf", small_model)
    reference = gguf.GGUFReader(path)
    result = read_gguf_metadata(path, "model.gguf")
    assert {key for key, _ in result.metadata} == set(reference.fields) - {
        "GGUF.version",
        "GGUF.tensor_count",
        "GGUF.kv_count",
    }
    assert result.tensor_count == len(reference.tensors)
    assert result.parameter_count == sum(int(t.n_elements) for t in reference.tensors)


def test_gguf_quantised_tensors_custom_alignment_and_scalar_types(tmp_path: Path) -> None:
    def fill(writer: gguf.GGUFWriter) -> None:
        writer.add_custom_alignment(64)
        writer.add_int8("i8", -3)
        writer.add_uint64("u64", 2**64 - 1)
        writer.add_int64("i64", -(2**63))
        writer.add_float64("f64", 0.1)
        writer.add_bool("no", False)
        writer.add_array("nested", [[1, 2], [3]])
        # Q8_0: 32 elements in a 34-byte block; 4 rows of 2 blocks = 256 elements.
        writer.add_tensor("q", np.zeros((4, 68), np.uint8), raw_dtype=gguf.GGMLQuantizationType.Q8_0)
        writer.add_tensor("b", np.zeros((16,), np.float16))

    result = read_gguf_metadata(write_gguf(tmp_path / "q.gguf", fill), "q.gguf")
    assert result.problem is None
    assert (result.tensor_count, result.parameter_count, result.dtypes) == (2, 272, ("F16", "Q8_0"))
    metadata = dict(result.metadata)
    assert metadata["general.alignment"] == "64"
    assert (metadata["i8"], metadata["u64"], metadata["i64"]) == (
        "-3",
        str(2**64 - 1),
        str(-(2**63)),
    )
    assert (metadata["f64"], metadata["no"]) == ("0.1", "false")
    assert metadata["nested"] == "[array of 2 array]"


def test_gguf_long_string_values_are_summarised_not_read(tmp_path: Path) -> None:
    template = "{% for m in messages %}" * 4000  # 92 000 bytes, over the 64 KB cap

    def fill(writer: gguf.GGUFWriter) -> None:
        writer.add_string("tokenizer.chat_template", template)

    result = read_gguf_metadata(write_gguf(tmp_path / "t.gguf", fill), "t.gguf")
    assert result.problem is None
    assert dict(result.metadata)["tokenizer.chat_template"] == "[string of 92000 bytes]"


def test_gguf_truncated_at_every_byte_never_raises_and_sets_a_problem(tmp_path: Path) -> None:
    data = write_gguf(tmp_path / "full.gguf", small_model).read_bytes()
    cut_path = tmp_path / "cut.gguf"
    for cut in range(len(data)):
        result = read_gguf_metadata(write(cut_path, data[:cut]), "cut.gguf")
        assert result.problem is not None, f"no problem when cut at byte {cut}"
        assert_counts_or_problem(result)


def test_gguf_truncated_in_tensor_data_keeps_the_metadata_read(tmp_path: Path) -> None:
    data = write_gguf(tmp_path / "full.gguf", small_model).read_bytes()
    result = read_gguf_metadata(write(tmp_path / "cut.gguf", data[:-1]), "cut.gguf")
    assert result.problem is not None and "runs past the end of the file" in result.problem
    assert ("general.license", "apache-2.0") in result.metadata


def kv(key: str, value_type: int, payload: bytes) -> bytes:
    return gguf_string(key) + struct.pack("<I", value_type) + payload


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"GGU", "file is 3 bytes, too short for a GGUF header"),
        (b"GGML" + bytes(20), "not a GGUF file (starts with b'GGML')"),
        (gguf_bytes(b"", kv_count=0, version=1), "unsupported GGUF version 1"),
        (gguf_bytes(b"", kv_count=0, version=3 << 24), "big-endian GGUF files are not supported"),
        (gguf_bytes(b"", kv_count=10**6), "claims 1000000 key/value pairs (limit 100000)"),
        (gguf_bytes(b"", kv_count=0, tensor_count=2**63), "claims 9223372036854775808 tensors"),
        (gguf_bytes(b"", kv_count=0, tensor_count=5), "claims 5 tensors but only 0 bytes"),
        (
            gguf_bytes(struct.pack("<Q", 2**63) + b"k", kv_count=1),
            "key 0: length 9223372036854775808 is over the 65536 byte limit",
        ),
        (
            gguf_bytes(kv("k", 8, struct.pack("<Q", 2**64 - 1) + b"abc"), kv_count=1),
            "value of 'k' at offset 45 needs 18446744073709551615 bytes, but only 3 are left",
        ),
        (
            gguf_bytes(kv("k", 8, struct.pack("<Q", 100) + b"abc"), kv_count=1),
            "value of 'k' at offset 45 needs 100 bytes",
        ),
        (
            gguf_bytes(kv("k", 9, struct.pack("<IQ", 8, 2**40)), kv_count=1),
            "value of 'k': array of 1099511627776 str cannot fit",
        ),
        (
            gguf_bytes(kv("k", 9, struct.pack("<IQ", 6, 2**62)), kv_count=1),
            "value of 'k': array of 4611686018427387904 float32 at offset 49 needs",
        ),
        (gguf_bytes(kv("k", 9, struct.pack("<IQ", 99, 0)), kv_count=1), "value of 'k': unknown"),
        (gguf_bytes(kv("k", 13, b""), kv_count=1), "value of 'k': unknown value type 13"),
        (
            gguf_bytes(kv("k", 4, bytes(4)) + kv("k", 4, bytes(4)), kv_count=2),
            "key 'k' appears twice",
        ),
        (
            gguf_bytes(kv("general.alignment", 4, struct.pack("<I", 24)), kv_count=1),
            "general.alignment 24 is not a power of two",
        ),
        (
            gguf_bytes(kv("general.alignment", 10, bytes(8)), kv_count=1),
            "general.alignment has value type 10, not uint32",
        ),
        (
            gguf_bytes(gguf_string("t") + struct.pack("<I", 9) + bytes(40), kv_count=0, tensor_count=1),
            "tensor 't': 9 dimensions (limit 8)",
        ),
        (
            gguf_bytes(
                gguf_string("t") + struct.pack("<IQIQ", 1, 33, 2, 0) + bytes(64),
                kv_count=0,
                tensor_count=1,
            ),
            "tensor 't': 33 elements is not a whole number of Q4_0 blocks",
        ),
    ],
)
def test_broken_gguf_headers_give_a_one_line_problem(tmp_path: Path, data: bytes, problem: str) -> None:
    result = read_gguf_metadata(write(tmp_path / "x.gguf", data), "x.gguf")
    assert result.problem is not None and result.problem.startswith(problem), result.problem
    assert_counts_or_problem(result)


def test_gguf_arrays_of_strings_are_walked_within_a_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = struct.pack("<IQ", 8, 10) + gguf_string("t") * 10
    data = gguf_bytes(kv("tokens", 9, tokens), kv_count=1)
    assert dict(read_gguf_metadata(write(tmp_path / "a.gguf", data), "a").metadata) == {"tokens": "[array of 10 str]"}
    monkeypatch.setattr(weights, "MAX_GGUF_ARRAY_ITEMS", 9)
    result = read_gguf_metadata(tmp_path / "a.gguf", "a")
    assert result.problem == "value of 'tokens': arrays hold more than 9 strings or arrays in all"


def test_gguf_tensors_of_unknown_type_are_counted_without_an_extent_check(tmp_path: Path) -> None:
    info = gguf_string("t") + struct.pack("<IQQIQ", 2, 3, 5, 200, 0)
    result = read_gguf_metadata(write(tmp_path / "u.gguf", gguf_bytes(info, kv_count=0, tensor_count=1)), "u")
    assert (result.problem, result.parameter_count, result.dtypes) == (None, 15, ("type 200",))


def test_ggml_block_sizes_agree_with_the_gguf_package() -> None:
    for type_id, (name, block, block_bytes) in weights._GGML_TYPES.items():
        quant = gguf.GGMLQuantizationType(type_id)
        assert quant.name == name
        assert gguf.GGML_QUANT_SIZES[quant] == (block, block_bytes)


# --- properties --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("weights")


GGUF_PREFIX = st.sampled_from([b"", b"GGUF\x03\x00\x00\x00", b"GGUF\x02\x00\x00\x00\x01" + bytes(7)])
ANY_WEIGHT_BYTES = st.one_of(
    st.binary(max_size=300),
    st.builds(bytes.__add__, GGUF_PREFIX, st.binary(max_size=300)),
    st.builds(
        lambda body: struct.pack("<Q", len(body)) + body,
        st.binary(max_size=300) | st.text(max_size=100).map(str.encode),
    ),
)


@settings(max_examples=300, deadline=None)
@given(data=ANY_WEIGHT_BYTES)
def test_arbitrary_bytes_never_raise(scratch: Path, data: bytes) -> None:
    path = write(scratch / "any", data)
    for reader in (read_safetensors_header, read_gguf_metadata):
        result = reader(path, "any")
        assert result.size == len(data)
        assert_counts_or_problem(result)
    weight_map, _total, problem = read_safetensors_index(path, "any")
    assert problem is not None or weight_map is not None


DTYPES = {"F32": 4, "BF16": 2, "I8": 1, "F64": 8, "BOOL": 1}
TENSORS = st.dictionaries(
    keys=st.text(min_size=1, max_size=20).filter(lambda name: name != "__metadata__"),
    values=st.tuples(st.sampled_from(sorted(DTYPES)), st.lists(st.integers(0, 6), min_size=0, max_size=4)),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(tensors=TENSORS, metadata=st.dictionaries(st.text(max_size=10), st.text(max_size=10)))
def test_valid_headers_round_trip_counts(
    scratch: Path, tensors: dict[str, tuple[str, list[int]]], metadata: dict[str, str]
) -> None:
    header: dict[str, Any] = {"__metadata__": metadata}
    offset = 0
    expected_parameters = 0
    for name, (dtype, shape) in tensors.items():
        elements = int(np.prod(shape, dtype=np.int64))
        end = offset + elements * DTYPES[dtype]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, end]}
        offset = end
        expected_parameters += elements
    path = write(scratch / "valid.safetensors", safetensors_bytes(header, bytes(offset)))

    result = read_safetensors_header(path, "valid.safetensors")

    assert result.problem is None
    assert result.tensor_count == len(tensors)
    assert result.parameter_count == expected_parameters
    assert result.dtypes == tuple(sorted({dtype for dtype, _ in tensors.values()}))
    assert result.metadata == tuple(sorted(metadata.items()))


@settings(max_examples=40, deadline=None)
@given(
    values=st.dictionaries(
        st.from_regex(r"[a-z][a-z._]{0,15}", fullmatch=True).filter(
            lambda key: key not in ("general.architecture", "general.alignment")
        ),
        # The writer silently drops empty strings, so none are generated.
        st.one_of(st.text(min_size=1, max_size=30), st.integers(0, 2**32 - 1)),
        max_size=8,
    )
)
def test_gguf_metadata_round_trips_from_the_real_writer(scratch: Path, values: dict[str, str | int]) -> None:
    def fill(writer: gguf.GGUFWriter) -> None:
        for key, value in values.items():
            if isinstance(value, str):
                writer.add_string(key, value)
            else:
                writer.add_uint32(key, value)

    result = read_gguf_metadata(write_gguf(scratch / "prop.gguf", fill), "prop.gguf")
    assert result.problem is None and result.tensor_count == 0
    expected = {key: str(value) for key, value in values.items()}
    expected["general.architecture"] = "llama"
    assert dict(result.metadata) == expected
