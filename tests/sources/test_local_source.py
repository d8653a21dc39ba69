"""A local release folder is read into evidence: card, licenses, weights, configs, lineage.

The folder is laid out like a Hugging Face model repository. Every fact keeps where it was
read; a file that cannot be read becomes a problem and the reading goes on. Only a target
that is not a folder at all stops the source, with a one-line :class:`TargetError`.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from openness.evidence import LicenseDeclaration, Provenance, Reference, ReleaseEvidence
from openness.sources.interface import TargetError
from openness.sources.local import LocalFolderSource, license_role
from tests.conftest import RELEASES


def release(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a release folder: each path gets its text (UTF-8) or bytes."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def collect(root: Path) -> ReleaseEvidence:
    return LocalFolderSource(root).collect()


def messages(evidence: ReleaseEvidence) -> list[str]:
    return [problem.message for problem in evidence.problems]


def lfs_pointer(size: int) -> str:
    return (
        "version https://git-lfs.github.com/spec/v1\n"
        "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        f"size {size}\n"
    )


CARD = "---\nlicense: mit\n---\n# A small model\n"


# --- committed fixture releases ----------------------------------------------------------------


def test_a_llama_style_release_declares_its_license_on_its_card_line() -> None:
    evidence = collect(RELEASES / "llama31-like")

    assert evidence.subject.kind == "local"
    assert evidence.declared_licenses == (
        LicenseDeclaration("llama3.1", Provenance(path="README.md", line=11, field="license")),
    )
    readme = (RELEASES / "llama31-like" / "README.md").read_text(encoding="utf-8").splitlines()
    assert readme[11 - 1] == "license: llama3.1"
    assert evidence.problems == ()


def test_a_llama_style_release_has_its_license_and_use_policy_read_with_their_roles() -> None:
    evidence = collect(RELEASES / "llama31-like")

    documents = {doc.path: doc for doc in evidence.license_documents}
    assert {path: doc.role for path, doc in documents.items()} == {"LICENSE": "license", "USE_POLICY.md": "use-policy"}
    assert all(doc.text and doc.problem is None for doc in documents.values())
    assert "LLAMA 3.1" in (documents["LICENSE"].text or "").upper()


def test_a_llama_style_release_has_four_weight_shards_read_as_headers() -> None:
    evidence = collect(RELEASES / "llama31-like")

    assert [weight.path for weight in evidence.weights] == [f"model-0000{i}-of-00004.safetensors" for i in range(1, 5)]
    for weight in evidence.weights:
        assert weight.format == "safetensors"
        assert weight.problem is None
        assert weight.tensor_count and weight.tensor_count > 0
        assert weight.size == (RELEASES / "llama31-like" / weight.path).stat().st_size


def test_a_llama_style_release_has_its_configs_classified() -> None:
    evidence = collect(RELEASES / "llama31-like")

    kinds = {config.path: config.kind for config in evidence.configs}
    assert kinds == {
        "config.json": "model-config",
        "generation_config.json": "generation-config",
        "special_tokens_map.json": "tokenizer",
        "tokenizer_config.json": "tokenizer",
    }
    (model_config,) = [config for config in evidence.configs if config.path == "config.json"]
    assert model_config.model_type == "llama"
    assert model_config.architectures == ("LlamaForCausalLM",)
    assert "model_type" in model_config.keys


def test_a_llama_style_release_has_the_links_of_its_body_with_lines_in_the_readme() -> None:
    evidence = collect(RELEASES / "llama31-like")
    readme = (RELEASES / "llama31-like" / "README.md").read_text(encoding="utf-8").splitlines()

    assert evidence.card is not None and evidence.links
    assert {link.kind for link in evidence.links} >= {"code", "license"}
    for link in evidence.links:
        assert link.provenance.path == "README.md"
        assert link.provenance.line is not None and link.provenance.line >= evidence.card.body_start_line
        assert link.url in readme[link.provenance.line - 1]


def test_a_gguf_release_declares_the_license_written_in_its_gguf_metadata() -> None:
    evidence = collect(RELEASES / "gguf-quant")

    gguf_name = "mistral-7b-v0.1.Q4_K_M.gguf"
    assert LicenseDeclaration("apache-2.0", Provenance(path=gguf_name, field="general.license")) in (
        evidence.declared_licenses
    )
    assert [weight.format for weight in evidence.weights] == ["gguf"]
    assert evidence.base_models == (
        Reference("mistralai/Mistral-7B-v0.1", Provenance(path="README.md", line=2, field="base_model"), "quantized"),
    )


def test_an_adapter_names_its_base_once_even_when_card_and_adapter_config_agree() -> None:
    evidence = collect(RELEASES / "adapter-on-base")

    assert [(base.id, base.relation, base.provenance.path) for base in evidence.base_models] == [
        ("EleutherAI/pythia-1.4b", "adapter", "README.md")
    ]
    assert [(config.path, config.kind) for config in evidence.configs] == [("adapter_config.json", "adapter-config")]
    assert [dataset.id for dataset in evidence.datasets] == ["databricks/databricks-dolly-15k"]


def test_an_adapter_without_base_model_in_its_card_takes_the_base_from_adapter_config(tmp_path: Path) -> None:
    root = tmp_path / "adapter"
    shutil.copytree(RELEASES / "adapter-on-base", root)
    (root / "README.md").write_text("---\nlicense: apache-2.0\n---\n# An adapter\n", encoding="utf-8")

    evidence = collect(root)

    assert evidence.base_models == (
        Reference(
            "EleutherAI/pythia-1.4b",
            Provenance(path="adapter_config.json", field="base_model_name_or_path"),
            "adapter",
        ),
    )


# --- the card's license fields -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        pytest.param(
            "license:\n- apache-2.0\n- cc-by-4.0\n",
            [("apache-2.0", 2, "license", None), ("cc-by-4.0", 2, "license", None)],
            id="a-list-of-licenses",
        ),
        pytest.param(
            "license: other\nlicense_name: acme-community\nlicense_link: LICENSE\n",
            [("other", 2, "license", "acme-community")],
            id="other-with-a-name",
        ),
        pytest.param(
            "language: en\nlicense_name: acme-community\n",
            [("other", 3, "license_name", "acme-community")],
            id="a-name-without-a-license",
        ),
        pytest.param("license: ''\ntags: [x]\n", [], id="an-empty-license"),
        pytest.param("tags: [x]\n", [], id="no-license-at-all"),
    ],
)
def test_license_declarations_come_from_the_card_metadata_with_their_line(
    tmp_path: Path, front_matter: str, expected: list[tuple[str, int, str, str | None]]
) -> None:
    root = release(tmp_path / "r", {"README.md": f"---\n{front_matter}---\n# Model\n"})

    evidence = collect(root)

    assert [(d.value, d.provenance.line, d.provenance.field, d.name) for d in evidence.declared_licenses] == expected
    assert all(d.provenance.path == "README.md" for d in evidence.declared_licenses)


# --- license documents -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("LICENSE", "license"),
        ("LICENSE.txt", "license"),
        ("licence.md", "license"),
        ("COPYING", "license"),
        ("NOTICE", "notice"),
        ("NOTICE.md", "notice"),
        ("USE_POLICY.md", "use-policy"),
        ("acceptable-use-policy.md", "use-policy"),
        ("terms_of_use.txt", "use-policy"),
    ],
)
def test_license_like_files_are_read_as_documents_with_a_role(tmp_path: Path, name: str, role: str) -> None:
    root = release(tmp_path / "r", {"README.md": CARD, name: "Some terms.\n"})

    evidence = collect(root)

    assert [(doc.path, doc.role, doc.text) for doc in evidence.license_documents] == [(name, role, "Some terms.\n")]
    assert license_role(name) == role


@pytest.mark.parametrize("name", ["Responsible-Use-Guide.pdf", "RESPONSIBLE_USE_GUIDE.md", "LICENSE.pdf"])
def test_guides_and_documents_in_binary_formats_are_not_license_texts(tmp_path: Path, name: str) -> None:
    root = release(tmp_path / "r", {"README.md": CARD, name: "Guidance.\n"})

    assert collect(root).license_documents == ()


def test_only_license_files_at_the_top_or_one_folder_down_are_documents(tmp_path: Path) -> None:
    root = release(
        tmp_path / "r",
        {
            "README.md": CARD,
            "LICENSES/LICENSE-MIT": "MIT\n",
            "third_party/lib/LICENSE": "BSD\n",
            "licensing.md": "How we think about licensing.\n",
        },
    )

    evidence = collect(root)

    assert [doc.path for doc in evidence.license_documents] == ["LICENSES/LICENSE-MIT"]


@pytest.mark.parametrize(
    "license_link",
    [
        pytest.param("terms/AGREEMENT.md", id="relative-path"),
        pytest.param("./terms/AGREEMENT.md", id="dot-relative-path"),
        pytest.param("https://huggingface.co/acme/acme-7b/blob/main/terms/AGREEMENT.md", id="hub-blob-url"),
        pytest.param("https://huggingface.co/acme/acme-7b/resolve/main/terms/AGREEMENT.md", id="hub-resolve-url"),
    ],
)
def test_a_license_link_to_a_file_in_the_release_is_read_as_a_license_document(
    tmp_path: Path, license_link: str
) -> None:
    root = release(
        tmp_path / "r",
        {
            "README.md": f"---\nlicense: other\nlicense_name: acme\nlicense_link: {license_link}\n---\n# M\n",
            "terms/AGREEMENT.md": "ACME MODEL AGREEMENT\n",
        },
    )

    evidence = collect(root)

    assert [(doc.path, doc.role, doc.text) for doc in evidence.license_documents] == [
        ("terms/AGREEMENT.md", "license", "ACME MODEL AGREEMENT\n")
    ]
    assert evidence.declared_licenses[0].link == license_link


@pytest.mark.parametrize(
    "license_link",
    [
        pytest.param("https://acme.example/terms/AGREEMENT.md", id="another-site"),
        pytest.param("https://huggingface.co/acme/acme-7b/blob/main/MISSING.md", id="not-in-the-release"),
        pytest.param("docs/MISSING.md", id="relative-but-missing"),
    ],
)
def test_a_license_link_outside_the_release_adds_no_document(tmp_path: Path, license_link: str) -> None:
    root = release(
        tmp_path / "r",
        {
            "README.md": f"---\nlicense: other\nlicense_link: {license_link}\n---\n# M\n",
            "terms/AGREEMENT.md": "ACME MODEL AGREEMENT\n",
        },
    )

    assert collect(root).license_documents == ()


def test_a_license_link_to_a_file_already_found_by_name_is_read_once(tmp_path: Path) -> None:
    root = release(tmp_path / "r", {"README.md": "---\nlicense: other\nlicense_link: LICENSE\n---\n", "LICENSE": "X\n"})

    assert [doc.path for doc in collect(root).license_documents] == ["LICENSE"]


def test_an_unreadable_license_file_is_a_document_without_text_and_a_problem(tmp_path: Path) -> None:
    root = release(tmp_path / "r", {"README.md": CARD, "LICENSE": b"\x7fELF\x02\x01\x01\x00\x00\x00"})

    evidence = collect(root)

    (document,) = evidence.license_documents
    assert (document.text, document.problem) == (None, "binary file, not text")
    assert [(p.message, p.provenance.path) for p in evidence.problems] == [
        ("license file: binary file, not text", "LICENSE")
    ]


def test_a_license_file_in_a_legacy_encoding_is_read_with_a_caveat(tmp_path: Path) -> None:
    root = release(tmp_path / "r", {"README.md": CARD, "LICENSE": "Licence libre — © Société\n".encode("cp1252")})

    evidence = collect(root)

    (document,) = evidence.license_documents
    assert document.text == "Licence libre — © Société\n"
    assert messages(evidence) == ["license file: not valid UTF-8; read as Windows-1252"]


# --- weights ---------------------------------------------------------------------------------


def test_git_lfs_pointers_stand_for_weights_with_the_size_they_point_to(tmp_path: Path) -> None:
    root = release(
        tmp_path / "r",
        {
            "README.md": CARD,
            "model-00001-of-00002.safetensors": lfs_pointer(4_976_698_672),
            "model-00002-of-00002.safetensors": lfs_pointer(1_168_138_808),
            "pytorch_model.bin": lfs_pointer(16_060_556_376),
        },
    )

    evidence = collect(root)

    assert [(w.path, w.format, w.size, w.metadata, w.problem) for w in evidence.weights] == [
        ("model-00001-of-00002.safetensors", "safetensors", 4_976_698_672, (("lfs-pointer", "true"),), None),
        ("model-00002-of-00002.safetensors", "safetensors", 1_168_138_808, (("lfs-pointer", "true"),), None),
        ("pytorch_model.bin", "pickle", 16_060_556_376, (("lfs-pointer", "true"),), None),
    ]
    assert evidence.problems == ()


def test_a_pickle_checkpoint_is_listed_with_its_size_and_its_content_is_never_interpreted(tmp_path: Path) -> None:
    # Random bytes are no valid pickle: if anything tried to load them, it would fail or raise.
    content = os.urandom(4096)
    files = {"README.md": CARD, "pytorch_model.bin": content, "consolidated.00.pth": b"\x80\x04K."}
    root = release(tmp_path / "r", files)

    evidence = collect(root)

    assert [(w.path, w.format, w.size, w.tensor_count, w.problem) for w in evidence.weights] == [
        ("consolidated.00.pth", "pickle", 4, None, None),
        ("pytorch_model.bin", "pickle", 4096, None, None),
    ]
    assert evidence.problems == ()


def test_a_shard_index_naming_a_missing_shard_is_a_problem(tmp_path: Path) -> None:
    index = (
        '{"metadata": {"total_size": 64}, "weight_map": {'
        '"embed.weight": "model-00001-of-00002.safetensors", "head.weight": "model-00002-of-00002.safetensors"}}'
    )
    root = release(
        tmp_path / "r",
        {
            "README.md": CARD,
            "model.safetensors.index.json": index,
            "model-00001-of-00002.safetensors": lfs_pointer(32),
        },
    )

    evidence = collect(root)

    assert [(p.message, p.provenance.path) for p in evidence.problems] == [
        (
            "shard index names 1 missing shard(s), e.g. model-00002-of-00002.safetensors",
            "model.safetensors.index.json",
        )
    ]


def test_a_shard_index_whose_shards_are_all_present_is_no_problem(tmp_path: Path) -> None:
    index = '{"weight_map": {"a": "model-00001-of-00001.safetensors"}}'
    root = release(
        tmp_path / "r",
        {
            "README.md": CARD,
            "sub/model.safetensors.index.json": index,
            "sub/model-00001-of-00001.safetensors": lfs_pointer(8),
        },
    )

    assert collect(root).problems == ()


def test_a_corrupt_weight_file_is_a_problem_and_the_rest_is_still_read(tmp_path: Path) -> None:
    root = release(tmp_path / "r", {"README.md": CARD, "LICENSE": "MIT\n", "model.safetensors": b"\xff" * 16})

    evidence = collect(root)

    (weight,) = evidence.weights
    assert weight.problem is not None
    assert [p.provenance.path for p in evidence.problems] == ["model.safetensors"]
    assert messages(evidence)[0].startswith("weight file: ")
    assert evidence.declared_licenses[0].value == "mit"
    assert [doc.path for doc in evidence.license_documents] == ["LICENSE"]


# --- the card itself -------------------------------------------------------------------------


def test_a_readme_over_ten_megabytes_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    root = release(tmp_path / "r", {"LICENSE": "MIT\n"})
    with (root / "README.md").open("wb") as handle:
        handle.write(b"---\nlicense: mit\n---\n")
        handle.truncate(10 * 1024 * 1024 + 1)

    evidence = collect(root)

    assert evidence.card is None
    assert evidence.links == ()
    assert [(p.provenance.path, p.message.split(" (")[0]) for p in evidence.problems] == [
        ("README.md", "model card unreadable: too large to read as text")
    ]
    assert [doc.path for doc in evidence.license_documents] == ["LICENSE"]


def test_malformed_card_metadata_is_a_problem_and_the_body_links_are_still_read(tmp_path: Path) -> None:
    root = release(
        tmp_path / "r",
        {"README.md": "---\nlicense: [mit\n---\n# M\n\nCode at https://github.com/acme/trainer.\n"},
    )

    evidence = collect(root)

    assert evidence.declared_licenses == ()
    assert [p.provenance.path for p in evidence.problems] == ["README.md"]
    assert messages(evidence)[0].startswith("malformed YAML front matter")
    assert [(link.url, link.provenance.line) for link in evidence.links] == [("https://github.com/acme/trainer", 6)]


@pytest.mark.parametrize(
    ("names", "card"),
    [
        pytest.param(["README.md", "MODEL_CARD.md"], "README.md", id="readme-first"),
        pytest.param(["MODEL_CARD.md", "modelcard.md"], "MODEL_CARD.md", id="model-card-without-readme"),
        pytest.param(["ModelCard.md", "README"], "ModelCard.md", id="modelcard-before-bare-readme"),
        pytest.param(["README"], "README", id="bare-readme"),
        pytest.param(["docs/README.md", "notes.md"], None, id="only-in-a-subfolder"),
    ],
)
def test_the_model_card_is_looked_for_at_the_root_in_order_of_preference(
    tmp_path: Path, names: list[str], card: str | None
) -> None:
    root = release(tmp_path / "r", dict.fromkeys(names, CARD))

    evidence = collect(root)

    assert (evidence.card.path if evidence.card else None) == card


def test_the_readme_is_found_whatever_its_case(tmp_path: Path) -> None:
    root = release(tmp_path / "r", {"readme.md": CARD})

    evidence = collect(root)

    assert evidence.card is not None and evidence.card.path == "readme.md"
    assert evidence.declared_licenses[0].provenance == Provenance(path="readme.md", line=2, field="license")


def test_a_release_without_a_readme_has_no_card_and_no_links(tmp_path: Path) -> None:
    evidence = collect(release(tmp_path / "r", {"LICENSE": "MIT\n"}))

    assert (evidence.card, evidence.links, evidence.declared_licenses) == (None, (), ())
    assert evidence.problems == ()


def test_an_empty_folder_is_a_problem_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()

    evidence = collect(tmp_path / "empty")

    assert evidence.files == ()
    assert messages(evidence) == ["the folder holds no files"]


def test_configs_that_are_not_json_objects_are_problems(tmp_path: Path) -> None:
    root = release(tmp_path / "r", {"README.md": CARD, "config.json": "[1, 2]", "generation_config.json": "{oops"})

    evidence = collect(root)

    assert [(c.path, c.problem is not None) for c in evidence.configs] == [
        ("config.json", True),
        ("generation_config.json", True),
    ]
    assert sorted(p.provenance.path or "" for p in evidence.problems) == ["config.json", "generation_config.json"]


# --- targets that are not release folders --------------------------------------------------------


@pytest.mark.parametrize(
    ("is_a_file", "words"),
    [
        pytest.param(False, "no such file or directory", id="missing"),
        pytest.param(True, "not a folder", id="a-file"),
    ],
)
def test_a_target_that_is_not_a_folder_raises_a_one_line_target_error(
    tmp_path: Path, is_a_file: bool, words: str
) -> None:
    target = tmp_path / "model.safetensors"
    if is_a_file:
        target.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")

    with pytest.raises(TargetError) as raised:
        LocalFolderSource(target).collect()

    message = str(raised.value)
    assert "\n" not in message
    assert str(target) in message and words in message
    assert raised.value.exit_code == 2


# --- hostile folders -------------------------------------------------------------------------


@pytest.mark.parametrize("loop", [False, True], ids=["dangling", "loop"])
def test_a_config_symlink_that_leads_nowhere_is_a_problem_not_a_crash(tmp_path: Path, loop: bool) -> None:
    root = release(tmp_path / "r", {"README.md": CARD})
    if loop:
        (root / "config.json").symlink_to(root / "other.json")
        (root / "other.json").symlink_to(root / "config.json")
    else:
        (root / "config.json").symlink_to(tmp_path / "blobs" / "not-downloaded")

    evidence = collect(root)

    assert any(p.provenance.path == "config.json" for p in evidence.problems)


def test_a_named_pipe_in_place_of_a_weight_file_does_not_block_the_audit(tmp_path: Path) -> None:
    root = release(tmp_path / "r", {"README.md": CARD})
    fifo = root / "model.safetensors"
    os.mkfifo(fifo)
    results: list[ReleaseEvidence] = []
    worker = threading.Thread(target=lambda: results.append(collect(root)), daemon=True)

    worker.start()
    worker.join(timeout=1.0)
    blocked = worker.is_alive()
    if blocked:  # release the reader: open and close the write end, so it sees end-of-file
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=5.0)

    assert not blocked
    assert results and results[0].weights[0].problem == "not a regular file"


def test_raw_shards_in_a_checkpoint_folder_are_weights_listed_by_size_never_opened(tmp_path: Path) -> None:
    root = tmp_path / "grok"
    (root / "ckpt-0").mkdir(parents=True)
    (root / "README.md").write_text("---\nlicense: apache-2.0\n---\n# Grok\n")
    with (root / "ckpt-0" / "tensor00000_000").open("wb") as handle:
        handle.truncate(8 * 1024 * 1024)
    (root / "ckpt-0" / "notes.txt").write_text("not weights\n")

    weights = LocalFolderSource(root).collect().weights

    assert [(w.path, w.format, w.size, w.problem) for w in weights] == [
        ("ckpt-0/tensor00000_000", "other", 8 * 1024 * 1024, None)
    ]


def test_trainer_state_files_are_not_weights(tmp_path: Path) -> None:
    root = tmp_path / "finetune"
    root.mkdir()
    (root / "README.md").write_text("---\nlicense: mit\n---\n# A fine-tune\n")
    for name in ("training_args.bin", "optimizer.pt", "scheduler.pt", "rng_state.pth"):
        (root / name).write_bytes(os.urandom(64))

    assert LocalFolderSource(root).collect().weights == ()
