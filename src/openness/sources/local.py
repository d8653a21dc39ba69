"""A local folder laid out like a Hugging Face model repository.

Reads the model card, license files, configs and weight headers. Nothing in the folder is
executed or unpickled; weight files are read as headers only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from openness.evidence import (
    LFS_POINTER,
    ConfigFile,
    ConfigKind,
    LicenseDeclaration,
    LicenseDocument,
    LicenseRole,
    ModelCard,
    Problem,
    Provenance,
    Reference,
    ReleaseEvidence,
    Subject,
    WeightFile,
)
from openness.sources.card import extract_links, read_card
from openness.sources.card_claims import license_mentions, release_names, text_bases
from openness.sources.files import list_files, read_text
from openness.sources.interface import Source, TargetError
from openness.sources.weights import classify_weight_file, read_safetensors_index, read_weight_file

LICENSE_NAME = re.compile(
    r"^(licen[cs]e|copying|notice|use[_-]?policy|acceptable[_-]?use[_-]?policy|"
    r"prohibited[_-]?use[_-]?policy|terms[_-]?of[_-]?use)"
    r"([._-].*)?$",
    re.IGNORECASE,
)
"""Names of license-like files (licenses, notices, use policies), with any extension."""
NOT_TEXT = re.compile(r"\.(pdf|docx?|odt|rtf|png|jpe?g|gif|svg|html?)$", re.IGNORECASE)
"""License-like names in these formats are documents to read, not license texts to identify."""
CONFIG_KINDS: dict[str, ConfigKind] = {
    "config.json": "model-config",
    "params.json": "model-config",
    "generation_config.json": "generation-config",
    "tokenizer_config.json": "tokenizer",
    "tokenizer.json": "tokenizer",
    "tokenizer.model": "tokenizer",
    "special_tokens_map.json": "tokenizer",
    "vocab.json": "tokenizer",
    "merges.txt": "tokenizer",
    "spiece.model": "tokenizer",
    "adapter_config.json": "adapter-config",
}
CARD_NAMES = ("readme.md", "model_card.md", "modelcard.md", "readme")
"""Where a model card may be, in order of preference (lower-cased names at the root)."""
_SMALL_JSON = 2 * 1024 * 1024
"""Configs larger than this are listed but not parsed (tokenizer.json can be megabytes)."""


def license_role(name: str) -> LicenseRole:
    """'license', 'notice' or 'use-policy' for a license-like file name."""
    lowered = name.lower()
    if lowered.startswith("notice"):
        return "notice"
    if "policy" in lowered or "use_guide" in lowered or "terms" in lowered:
        return "use-policy"
    return "license"


class LocalFolderSource(Source):
    """Evidence from a folder on disk."""

    def __init__(self, path: Path):
        self.path = path

    def collect(self) -> ReleaseEvidence:
        """Read the folder; raises :class:`TargetError` only when it is not a folder at all."""
        root = self.path
        if not root.exists():
            raise TargetError(f"{root}: no such file or directory")
        if not root.is_dir():
            raise TargetError(f"{root}: not a folder (give a release folder, a Hub id or a manifest)")
        files, listing_problems = list_files(root)
        problems = [Problem(message, Provenance(path=".")) for message in listing_problems]
        if not files:
            problems.append(Problem("the folder holds no files", Provenance(path=".")))
        return self.evidence_from(root, files, problems, Subject("local", str(root)), root.resolve().name)

    def evidence_from(
        self, root: Path, files: list[str], problems: list[Problem], subject: Subject, name: str
    ) -> ReleaseEvidence:
        """The evidence of a release whose files are ``files``, readable under ``root``.

        Subclasses that hold only part of a release on disk (a Hub snapshot without its weights)
        override :meth:`_weights` and :meth:`_configs`.
        """
        card = self._card(root, files, problems)
        metadata = card.metadata if card else {}
        declared = list(self._declared_licenses(card))
        documents = self._license_documents(root, files, card, problems)
        weights = self._weights(root, files, problems)
        for weight in weights:
            general_license = dict(weight.metadata).get("general.license")
            if general_license:
                declared.append(
                    LicenseDeclaration(general_license, Provenance(path=weight.path, field="general.license"))
                )
        configs = self._configs(root, files, problems)
        bases = list(_references(metadata, "base_model", card))
        relation = metadata.get("base_model_relation")
        if isinstance(relation, str):
            bases = [Reference(b.id, b.provenance, relation) for b in bases]
        bases.extend(self._adapter_bases(root, files, bases))
        links = tuple(extract_links(card.body, card.body_start_line, card.path)) if card else ()
        names = release_names(name, card)
        bases.extend(b for b in text_bases(links, names) if all(b.id.casefold() != k.id.casefold() for k in bases))
        declared.extend(license_mentions(card, links, names))
        return ReleaseEvidence(
            subject=subject,
            files=tuple(files),
            card=card,
            declared_licenses=tuple(declared),
            license_documents=tuple(documents),
            links=links,
            weights=tuple(weights),
            configs=tuple(configs),
            base_models=tuple(bases),
            datasets=tuple(_references(metadata, "datasets", card)),
            problems=tuple(problems),
        )

    @staticmethod
    def _card(root: Path, files: list[str], problems: list[Problem]) -> ModelCard | None:
        names = {f.lower(): f for f in files if "/" not in f}
        name = next((names[n] for n in CARD_NAMES if n in names), None)
        if name is None:
            return None
        read = read_text(root / name)
        if read.text is None:
            problems.append(Problem(f"model card unreadable: {read.problem}", Provenance(path=name)))
            return None
        if read.problem:
            problems.append(Problem(read.problem, Provenance(path=name)))
        card = read_card(name, read.text)
        if card.problem:
            problems.append(Problem(card.problem, Provenance(path=name)))
        return card

    @staticmethod
    def _declared_licenses(card: ModelCard | None) -> list[LicenseDeclaration]:
        if card is None:
            return []
        metadata = card.metadata
        raw = metadata.get("license")
        values = raw if isinstance(raw, list) else [raw] if raw is not None else []
        name = metadata.get("license_name")
        link = metadata.get("license_link")
        line = card.metadata_lines.get("license")
        result = []
        for value in values[:20]:
            if isinstance(value, (str, int, float)) and str(value).strip():
                result.append(
                    LicenseDeclaration(
                        str(value).strip(),
                        Provenance(path=card.path, line=line, field="license"),
                        name=str(name) if isinstance(name, str) else None,
                        link=str(link) if isinstance(link, str) else None,
                    )
                )
        if not result and isinstance(name, str):
            result.append(
                LicenseDeclaration(
                    "other",
                    Provenance(path=card.path, line=card.metadata_lines.get("license_name"), field="license_name"),
                    name=name,
                    link=str(link) if isinstance(link, str) else None,
                )
            )
        return result

    @staticmethod
    def _license_documents(
        root: Path, files: list[str], card: ModelCard | None, problems: list[Problem]
    ) -> list[LicenseDocument]:
        chosen: list[str] = []
        for name in files:
            pure = PurePosixPath(name)
            if len(pure.parts) <= 2 and LICENSE_NAME.match(pure.name) and not NOT_TEXT.search(pure.name):
                chosen.append(name)
        link = card.metadata.get("license_link") if card else None
        if isinstance(link, str):
            target = local_link_target(link, files)
            if target and target not in chosen:
                chosen.append(target)
        documents = []
        for name in chosen:
            read = read_text(root / name)
            if read.problem:
                problems.append(Problem(f"license file: {read.problem}", Provenance(path=name)))
            documents.append(
                LicenseDocument(name, license_role(PurePosixPath(name).name), read.text, read.problem)
            )
        return documents

    def _weights(self, root: Path, files: list[str], problems: list[Problem]) -> list[WeightFile]:
        weights = []
        for name in files:
            if TRAINING_STATE.search(name):
                continue  # trainer state saved beside the weights, not parameters
            if classify_weight_file(PurePosixPath(name).name) is None:
                # A clone without `git lfs pull` holds pointers; large ones of any name
                # (Grok's `ckpt-0/tensor00000_000`) stand for weights.
                if NOT_WEIGHTS.search(name):
                    continue
                pointer = read_lfs_pointer(root / name, name)
                if pointer is not None and pointer.size >= LFS_WEIGHT_MIN:
                    weights.append(pointer)
                elif pointer is None and CHECKPOINT_DIR.search(name):
                    # Raw checkpoint shards in a checkpoint folder (Grok's JAX `ckpt-0/`): listed
                    # by size, never opened.
                    size = _size(root / name)
                    if size is not None and size >= LFS_WEIGHT_MIN:
                        weights.append(WeightFile(name, "other", size))
                continue
            weight = read_lfs_pointer(root / name, name) or read_weight_file(root / name, name)
            if weight.problem:
                problems.append(Problem(f"weight file: {weight.problem}", Provenance(path=name)))
            weights.append(weight)
        for name in files:
            if name.endswith(".safetensors.index.json"):
                weight_map, _total, problem = read_safetensors_index(root / name, name)
                if problem:
                    problems.append(Problem(f"shard index: {problem}", Provenance(path=name)))
                    continue
                listed = set((weight_map or {}).values())
                folder = PurePosixPath(name).parent
                missing = sorted(s for s in listed if (folder / s).as_posix().lstrip("./") not in files)
                if missing:
                    problems.append(
                        Problem(f"shard index names {len(missing)} missing shard(s), e.g. {missing[0]}",
                                Provenance(path=name))
                    )
        return weights

    def _configs(self, root: Path, files: list[str], problems: list[Problem]) -> list[ConfigFile]:
        configs = []
        for name in files:
            base = PurePosixPath(name).name
            kind = CONFIG_KINDS.get(base)
            if kind is None or len(PurePosixPath(name).parts) > 2:
                continue
            try:
                too_large = (root / name).stat().st_size > _SMALL_JSON
            except OSError as error:
                unreadable = f"{name}: cannot read ({error.strerror or error})"
                problems.append(Problem(unreadable, Provenance(path=name)))
                configs.append(ConfigFile(name, kind, problem=unreadable))
                continue
            if not base.endswith(".json") or too_large:
                configs.append(ConfigFile(name, kind))
                continue
            data, problem = _read_json(root / name)
            if problem:
                problems.append(Problem(problem, Provenance(path=name)))
                configs.append(ConfigFile(name, kind, problem=problem))
                continue
            assert isinstance(data, dict)
            architectures = data.get("architectures")
            configs.append(
                ConfigFile(
                    name,
                    kind,
                    keys=tuple(sorted(str(k) for k in data)[:200]),
                    model_type=data.get("model_type") if isinstance(data.get("model_type"), str) else None,
                    architectures=tuple(str(a) for a in architectures[:10])
                    if isinstance(architectures, list)
                    else (),
                )
            )
        return configs

    @staticmethod
    def _adapter_bases(root: Path, files: list[str], known: list[Reference]) -> list[Reference]:
        if "adapter_config.json" not in files:
            return []
        data, problem = _read_json(root / "adapter_config.json")
        if problem or not isinstance(data, dict):
            return []
        base = data.get("base_model_name_or_path")
        if not isinstance(base, str) or not base or any(b.id == base for b in known):
            return []
        return [Reference(base, Provenance(path="adapter_config.json", field="base_model_name_or_path"), "adapter")]


_LFS_POINTER_MAX = 1024
LFS_WEIGHT_MIN = 1 << 20
"""An LFS pointer of another name is taken for weights when it stands for at least 1 MB."""
TRAINING_STATE = re.compile(
    r"(^|/)(training_args|scheduler|rng_state[\w-]*|optimizer[\w-]*|trainer_state)\.(bin|pt|pth)$", re.IGNORECASE
)
"""Trainer state saved beside the weights: not parameters."""
CHECKPOINT_DIR = re.compile(r"(^|/)(ckpt|checkpoints?|weights)[\w.-]*/[^/]+$", re.IGNORECASE)
"""A file in a folder named like a checkpoint folder, one level down."""
NOT_WEIGHTS = re.compile(
    r"\.(json|jsonl|md|txt|py|ya?ml|csv|tsv|parquet|arrow|png|jpe?g|gif|svg|pdf|html?|model|tiktoken|vocab)$",
    re.IGNORECASE,
)
"""Large files of these kinds are data, text or tokenizers, never weights."""
_LFS_POINTER = re.compile(rb"^version https://git-lfs\.github\.com/spec/v1\n(?:.*\n)*?size (\d+)", re.M)


def read_lfs_pointer(path: Path, rel: str) -> WeightFile | None:
    """A Git LFS pointer standing in for a weight file (a clone without ``git lfs pull``).

    Only small regular files are opened: a pointer is about 130 bytes, and a named pipe
    must never be opened (it would block).
    """
    try:
        if not path.is_file() or path.stat().st_size > _LFS_POINTER_MAX:
            return None
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return None
    found = _LFS_POINTER.match(head)
    if found is None:
        return None
    weight_format = classify_weight_file(PurePosixPath(rel).name) or "other"
    return WeightFile(rel, weight_format, int(found.group(1)), metadata=((LFS_POINTER, "true"),))


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size if path.is_file() else None
    except OSError:
        return None


def _read_json(path: Path) -> tuple[Any, str | None]:
    read = read_text(path, _SMALL_JSON)
    if read.text is None:
        return None, f"{path.name}: {read.problem}"
    try:
        data = json.loads(read.text)
    except (ValueError, RecursionError) as error:
        return None, f"{path.name}: not valid JSON ({str(error).splitlines()[0][:120]})"
    if not isinstance(data, dict):
        return None, f"{path.name}: not a JSON object"
    return data, None


def _references(metadata: dict[str, Any], key: str, card: ModelCard | None) -> list[Reference]:
    raw = metadata.get(key)
    values = raw if isinstance(raw, list) else [raw] if raw is not None else []
    line = card.metadata_lines.get(key) if card else None
    path = card.path if card else None
    return [
        Reference(str(v).strip(), Provenance(path=path, line=line, field=key))
        for v in values[:100]
        if isinstance(v, (str, int, float)) and str(v).strip()
    ]


def local_link_target(link: str, files: list[str]) -> str | None:
    """The release file a ``license_link`` points to, if it points inside the release."""
    candidate = re.sub(r"^https?://(www\.)?(huggingface\.co|hf\.co)/[^/]+/[^/]+/(blob|resolve|raw)/[^/]+/", "", link)
    candidate = candidate.lstrip("./")
    if candidate.startswith(("http://", "https://")):
        return None
    return candidate if candidate in files else None
