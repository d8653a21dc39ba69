"""What a source collects from a release: facts, each with where it came from.

Everything here is immutable. A source builds one :class:`ReleaseEvidence`; later stages
read it and never change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SubjectKind = Literal["local", "hub", "manifest"]


@dataclass(frozen=True)
class Provenance:
    """Where a fact was read: a file and line, a metadata field, or a URL."""

    path: str | None = None
    line: int | None = None
    field: str | None = None
    url: str | None = None

    def __str__(self) -> str:
        where = self.path or self.url or "?"
        if self.line is not None:
            where = f"{where}:{self.line}"
        if self.field:
            where = f"{where} ({self.field})"
        return where


@dataclass(frozen=True)
class Subject:
    """What is audited: a local folder, a Hub repository or a manifest."""

    kind: SubjectKind
    id: str
    revision: str | None = None


@dataclass(frozen=True)
class Problem:
    """Something that could not be read; the audit goes on and reports it."""

    message: str
    provenance: Provenance


@dataclass(frozen=True)
class LicenseDeclaration:
    """A license named by the publisher (card metadata, GGUF header, config)."""

    value: str
    provenance: Provenance
    name: str | None = None
    link: str | None = None


LicenseRole = Literal["license", "notice", "use-policy"]


@dataclass(frozen=True)
class LicenseDocument:
    """A license-like file in the release; ``text`` is None when it could not be read."""

    path: str
    role: LicenseRole
    text: str | None
    problem: str | None = None


LinkKind = Literal["code", "dataset", "paper", "model", "project", "license", "other"]


@dataclass(frozen=True)
class CardLink:
    """A link in the model card body, with the words around it that say what it is."""

    url: str
    text: str
    heading: str
    sentence: str
    kind: LinkKind
    provenance: Provenance
    column: str = ""
    """For a link in a table row: the header of its column ("Base Model"), else empty."""


LFS_POINTER = "lfs-pointer"
"""``WeightFile.metadata`` key: the file is a Git LFS pointer; its size is the object's."""
HUB_LISTING = "hub-listing"
"""``WeightFile.metadata`` key: the file is known from the Hub's file list only; the value says why."""
HEADER_CUT = "header-cut"
"""``WeightFile.metadata`` key: the header was read up to a byte budget; the value says how far."""


@dataclass(frozen=True)
class WeightFile:
    """A weight file read as header only. ``problem`` says why a header could not be read."""

    path: str
    format: Literal["safetensors", "gguf", "pickle", "other"]
    size: int
    tensor_count: int | None = None
    parameter_count: int | None = None
    dtypes: tuple[str, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class ModelCard:
    """The README.md model card: front matter (as parsed) and body."""

    path: str
    metadata: dict[str, Any]
    metadata_lines: dict[str, int]
    body: str
    body_start_line: int
    problem: str | None = None


ConfigKind = Literal["model-config", "generation-config", "tokenizer", "adapter-config", "other"]


@dataclass(frozen=True)
class ConfigFile:
    """A configuration file (config.json, generation_config.json, tokenizer files)."""

    path: str
    kind: ConfigKind
    keys: tuple[str, ...] = ()
    model_type: str | None = None
    architectures: tuple[str, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class Reference:
    """A named artefact the publisher points to: a base model or a dataset id."""

    id: str
    provenance: Provenance
    relation: str | None = None


ResourceKind = Literal["code-repository", "dataset", "paper"]


@dataclass(frozen=True)
class LinkedResource:
    """A resource the card links to (a code repository, a Hub dataset, a paper), as fetched.

    ``found`` is True when the service answered that it exists, False when it answered that
    it does not (a dead link), None when it could not be reached (the link stays declared).
    """

    key: str
    """``github:owner/repo``, ``dataset:org/name`` or ``arxiv:2401.00001``."""
    kind: ResourceKind
    url: str
    found: bool | None
    license: str | None = None
    """The license as the service names it (an SPDX id from GitHub, a Hub license id)."""
    purposes: tuple[str, ...] = ()
    """Component slugs the resource's own files show (training-code, inference-code, …)."""
    describes: tuple[str, ...] = ()
    """For a dataset card: which of provenance, collection and processing it describes."""
    facts: tuple[str, ...] = ()
    """Evidence lines: what was read where."""
    revision: str | None = None
    problem: str | None = None


@dataclass(frozen=True)
class ReleaseEvidence:
    """All facts one source gathered about one release."""

    subject: Subject
    files: tuple[str, ...] = ()
    card: ModelCard | None = None
    declared_licenses: tuple[LicenseDeclaration, ...] = ()
    license_documents: tuple[LicenseDocument, ...] = ()
    links: tuple[CardLink, ...] = ()
    weights: tuple[WeightFile, ...] = ()
    configs: tuple[ConfigFile, ...] = ()
    base_models: tuple[Reference, ...] = ()
    datasets: tuple[Reference, ...] = ()
    problems: tuple[Problem, ...] = field(default_factory=tuple)
    linked: tuple[LinkedResource, ...] = ()
    """Linked resources fetched from their services (Hub audits); empty when none were fetched."""
