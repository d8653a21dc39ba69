"""Map a release's evidence and license assessment onto the 17 MOF components.

Each component gets a status (present / absent / unknown), the level of the strongest
evidence for it, its license as far as known, and the evidence lines that say why. What
was looked for and not found is said too, so ``absent`` is never a silent guess.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from openness.datafiles import load_data
from openness.evidence import HEADER_CUT, HUB_LISTING, LFS_POINTER, CardLink, LinkedResource, ReleaseEvidence
from openness.licenses.assess import LicenseAssessment, Terms
from openness.licenses.catalog import default_catalog
from openness.report import UNKNOWN_LICENSE, ComponentLicense, ComponentResult, ComponentStatus
from openness.sources.card import body_lines
from openness.sources.resources import resource_key
from openness.vocabulary import Component, EvidenceLevel, LicenseClass

C = Component


@dataclass(frozen=True)
class _Vocabulary:
    code_purposes: dict[Component, tuple[re.Pattern[str], ...]]
    supporting: tuple[str, ...]
    evaluation_repos: tuple[str, ...]
    source_repository: tuple[re.Pattern[str], ...]
    sections: dict[str, tuple[re.Pattern[str], ...]]


@cache
def _vocabulary() -> _Vocabulary:
    raw = load_data("openness.components", "purposes.yaml")

    def compile_all(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)

    return _Vocabulary(
        {Component(k): compile_all(v) for k, v in raw["code_purposes"].items()},
        tuple(str(r).casefold() for r in raw["supporting_repositories"]),
        tuple(str(r).casefold() for r in raw["evaluation_repositories"]),
        compile_all(raw["source_repository"]),
        {k: compile_all(v) for k, v in raw["sections"].items()},
    )


class _Collector:
    """Accumulates evidence per component, keeping the strongest level seen."""

    def __init__(self) -> None:
        self.levels: dict[Component, EvidenceLevel] = {}
        self.lines: dict[Component, list[str]] = {c: [] for c in Component}
        self.unknown: set[Component] = set()
        self.licenses: dict[Component, list[ComponentLicense]] = {}

    def add(self, component: Component, level: EvidenceLevel, line: str) -> None:
        current = self.levels.get(component)
        if current is None or level.rank > current.rank:
            self.levels[component] = level
        if line not in self.lines[component] and len(self.lines[component]) < 12:
            self.lines[component].append(line)

    def note(self, component: Component, line: str) -> None:
        if line not in self.lines[component]:
            self.lines[component].append(line)

    def license(self, component: Component, license_: ComponentLicense) -> None:
        """Record the license of a fetched resource that backs ``component``."""
        self.licenses.setdefault(component, []).append(license_)

    def license_of(self, component: Component) -> ComponentLicense:
        """The strictest license among the fetched resources backing ``component`` (unknown if none)."""
        known = self.licenses.get(component)
        if not known:
            return UNKNOWN_LICENSE
        return max(known, key=lambda lic: (lic.license_class.strictness, lic.id or ""))


def _repo_slug(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    path = [p for p in parts.path.split("/") if p]
    if len(path) < 2:
        return None
    return f"{path[0]}/{path[1].removesuffix('.git')}".casefold()


def _describe(link: CardLink) -> str:
    context = link.sentence or link.text or link.heading
    return f"{link.provenance}: {link.url} — \"{context[:160]}\""


def _code_purposes(link: CardLink, section: str) -> tuple[set[Component], bool]:
    """The components a code link stands for, and whether its purpose was stated."""
    vocabulary = _vocabulary()
    slug = _repo_slug(link.url) or ""
    if any(fnmatch.fnmatch(slug, pattern) for pattern in vocabulary.evaluation_repos):
        return {C.EVALUATION_CODE}, True
    if any(fnmatch.fnmatch(slug, pattern) for pattern in vocabulary.supporting):
        return {C.SUPPORTING_LIBRARIES_AND_TOOLS}, True
    try:
        path = urlsplit(link.url).path.replace("/", " ").replace("-", " ").replace("_", " ")
    except ValueError:
        path = ""
    # The nearest words that state a purpose decide: the sentence, then the heading, then
    # the text of a section that names this repository alone.
    nearest = " ".join((link.text, link.sentence, path))
    if link.sentence.rstrip().endswith(":"):
        nearest += " " + section  # the sentence introduces a list that says more
    words = ""
    for context in (nearest, link.heading, section):
        words = f"{words} {context}"
        purposes = {c for c, patterns in vocabulary.code_purposes.items() if any(p.search(context) for p in patterns)}
        if purposes:
            return purposes, True
    if any(p.search(words) for p in vocabulary.source_repository):
        # A code repository named without a purpose is taken as the release's own source.
        return {C.TRAINING_CODE, C.INFERENCE_CODE}, False
    return set(), False


def _section_match(name: str, *texts: str) -> bool:
    return any(p.search(t) for p in _vocabulary().sections[name] for t in texts if t)


def map_components(evidence: ReleaseEvidence, licenses: LicenseAssessment) -> tuple[ComponentResult, ...]:
    """One :class:`ComponentResult` per MOF component, in vocabulary order."""
    found = _Collector()
    _weights(evidence, found)
    _configs(evidence, found)
    _links(evidence, found)
    _card_sections(evidence, found)
    _local_code(evidence, found)

    own = _license_of(licenses.own_terms)
    params = _license_of(licenses.terms)
    in_release = {C.MODEL_CARD, C.MODEL_ARCHITECTURE, C.MODEL_METADATA}
    results = []
    for component in Component:
        level = found.levels.get(component)
        status: ComponentStatus
        if level is not None:
            status = "present"
        elif component in found.unknown:
            status = "unknown"
        else:
            status = "absent"
        if status == "absent":
            license_ = UNKNOWN_LICENSE
        elif component in (C.MODEL_PARAMETERS_FINAL, C.MODEL_PARAMETERS_INTERMEDIATE):
            license_ = params
        elif component in in_release:
            license_ = own
        else:
            license_ = found.license_of(component)  # linked code and data: known when fetched
        lines = found.lines[component] or [_NOT_FOUND[component]]
        results.append(ComponentResult(component, status, level, license_, tuple(lines)))
    return tuple(results)


def _license_of(terms: Terms) -> ComponentLicense:
    return ComponentLicense(terms.id, terms.license_class, terms.name)


def _weights(evidence: ReleaseEvidence, found: _Collector) -> None:
    for weight in evidence.weights:
        target = C.MODEL_PARAMETERS_FINAL
        if re.search(r"(^|/)(checkpoint[-_]?\d+|step[-_]?\d+|global_step\d+)(/|$)", weight.path, re.I):
            target = C.MODEL_PARAMETERS_INTERMEDIATE
        if weight.problem:
            found.unknown.add(target)
            found.note(target, f"{weight.path}: unreadable ({weight.problem})")
        elif weight.format == "other":
            found.add(target, EvidenceLevel.DECLARED, f"{weight.path}: {weight.size} bytes (format not read)")
        elif weight.format == "pickle":
            found.add(target, EvidenceLevel.DECLARED,
                      f"{weight.path}: {weight.size} bytes, pickle format (not opened: unsafe to load)")
        elif dict(weight.metadata).get(LFS_POINTER):
            found.add(target, EvidenceLevel.DECLARED,
                      f"{weight.path}: Git LFS pointer to {weight.size} bytes (content not in this folder)")
        elif dict(weight.metadata).get(HUB_LISTING):
            found.add(target, EvidenceLevel.DECLARED,
                      f"{weight.path}: {weight.size} bytes listed by the Hub ({dict(weight.metadata)[HUB_LISTING]})")
        else:
            params = f", {weight.parameter_count:,} parameters" if weight.parameter_count is not None else ""
            cut = dict(weight.metadata).get(HEADER_CUT)
            tensors = f"{weight.tensor_count} tensors" if weight.tensor_count is not None else \
                f"metadata read ({cut})" if cut else "header read"
            found.add(target, EvidenceLevel.VERIFIED, f"{weight.path}: {weight.format} header, {tensors}{params}")
            metadata = dict(weight.metadata)
            if weight.format == "gguf" and metadata.get("general.architecture"):
                found.add(C.MODEL_METADATA, EvidenceLevel.VERIFIED,
                          f"{weight.path}: GGUF metadata ({len(metadata)} keys)")
                found.add(C.MODEL_ARCHITECTURE, EvidenceLevel.VERIFIED,
                          f"{weight.path}: general.architecture = {metadata['general.architecture']}")


def _configs(evidence: ReleaseEvidence, found: _Collector) -> None:
    for config in evidence.configs:
        if config.problem:
            continue
        if config.kind in ("model-config", "generation-config", "adapter-config"):
            found.add(C.MODEL_METADATA, EvidenceLevel.VERIFIED, f"{config.path}: {len(config.keys)} settings")
        if config.kind == "model-config" and (config.model_type or config.architectures):
            described = ", ".join(config.architectures) or config.model_type or ""
            found.add(C.MODEL_ARCHITECTURE, EvidenceLevel.VERIFIED, f"{config.path}: architecture {described}")
        if config.kind == "adapter-config":
            found.add(C.MODEL_ARCHITECTURE, EvidenceLevel.INFERRED,
                      f"{config.path}: an adapter; the architecture is its base model's")
        if config.kind == "tokenizer":
            found.add(C.SUPPORTING_LIBRARIES_AND_TOOLS, EvidenceLevel.VERIFIED, f"{config.path}: tokenizer files")
    card = evidence.card
    if card is not None:
        library = card.metadata.get("library_name")
        if isinstance(library, str) and library.strip():
            where = f"{card.path}:{card.metadata_lines.get('library_name', '?')}"
            found.add(C.SUPPORTING_LIBRARIES_AND_TOOLS, EvidenceLevel.DECLARED,
                      f"{where} (library_name): {library}")
        if card.metadata.get("model-index"):
            where = f"{card.path}:{card.metadata_lines.get('model-index', '?')} (model-index)"
            found.add(C.EVALUATION_RESULTS, EvidenceLevel.DECLARED, f"{where}: evaluation results in metadata")
            if _model_index_datasets(card.metadata["model-index"]):
                found.add(C.EVALUATION_DATA, EvidenceLevel.DECLARED,
                          f"{where}: datasets {', '.join(_model_index_datasets(card.metadata['model-index'])[:5])}")


def _model_index_datasets(model_index: Any) -> list[str]:
    names: list[str] = []
    if not isinstance(model_index, list):
        return names
    for model in model_index[:20]:
        for result in (model.get("results") or [])[:200] if isinstance(model, dict) else []:
            dataset = result.get("dataset") if isinstance(result, dict) else None
            if isinstance(dataset, dict):
                name = dataset.get("type") or dataset.get("name")
                if isinstance(name, str) and name not in names:
                    names.append(name)
    return names


def _links(evidence: ReleaseEvidence, found: _Collector) -> None:
    sections = _sections(evidence)
    resources = {r.key: r for r in evidence.linked}
    code_links_per_heading: dict[str, int] = {}
    for link in evidence.links:
        if link.kind == "code":
            code_links_per_heading[link.heading] = code_links_per_heading.get(link.heading, 0) + 1
    for link in evidence.links:
        described = _describe(link)
        resource = resources.get(resource_key(link.url) or "")
        targets: set[Component] = set()
        if link.kind == "code":
            # A section that names a single repository describes that repository.
            section = sections.get(link.heading, "") if code_links_per_heading[link.heading] == 1 else ""
            purposes, stated = _code_purposes(link, section)
            if purposes and not stated:
                described += " (purpose not stated: taken as the release's source repository)"
            targets = purposes
        elif link.kind == "dataset":
            evaluation = _section_match("evaluation", link.heading) and not _section_match(
                "training-data", link.sentence)
            targets = {C.EVALUATION_DATA if evaluation else C.DATASETS}
            if not evaluation:
                found.add(C.DATA_CARD, EvidenceLevel.DECLARED, described + " (dataset card on the Hub)")
        elif link.kind == "paper":
            report = _section_match("technical-report", link.text, link.sentence, link.heading)
            targets = {C.TECHNICAL_REPORT if report else C.RESEARCH_PAPER}
        for component in targets:
            _backed(found, component, described, resource)
    for resource in evidence.linked:
        _resource_findings(found, resource)
    card = evidence.card
    for dataset in evidence.datasets:
        where = str(dataset.provenance)
        resource = resources.get(f"dataset:{dataset.id}")
        _backed(found, C.DATASETS, f"{where}: {dataset.id}", resource)
        found.add(C.DATA_CARD, EvidenceLevel.DECLARED, f"{where}: {dataset.id} (dataset card on the Hub)")
    if card is not None:
        tags = card.metadata.get("tags")
        for tag in tags[:200] if isinstance(tags, list) else []:
            if isinstance(tag, str) and tag.lower().startswith("arxiv:"):
                resource = resources.get(f"arxiv:{tag[6:].strip()}")
                _backed(found, C.RESEARCH_PAPER, f"{card.path}:{card.metadata_lines.get('tags', '?')} (tags): {tag}",
                        resource)


def _backed(found: _Collector, component: Component, described: str, resource: LinkedResource | None) -> None:
    """A component a link stands for: verified when its resource was fetched, absent when the link is dead."""
    if resource is None or not resource.found:
        # Not reachable, or the service says it does not exist: the card's word stands (declared),
        # with the reason it could not be verified.
        found.add(component, EvidenceLevel.DECLARED, described)
        if resource is not None and resource.problem:
            dead = "possibly a dead link: " if resource.found is False else ""
            found.note(component, f"{resource.url}: not verified ({dead}{resource.problem})")
    else:
        found.add(component, EvidenceLevel.VERIFIED, described)
        for fact in resource.facts[:1]:
            found.add(component, EvidenceLevel.VERIFIED, fact)
        if resource.kind != "paper":
            found.license(component, _resource_license(resource))


def _resource_findings(found: _Collector, resource: LinkedResource) -> None:
    """What a fetched resource shows by itself: code kinds in a repository, a dataset card's coverage."""
    if not resource.found:
        return
    if resource.kind == "code-repository":
        for slug in resource.purposes:
            component = Component(slug)
            line = next((f for f in resource.facts if f"({slug.replace('-', ' ')})" in f), resource.facts[0])
            found.add(component, EvidenceLevel.VERIFIED, line)
            found.license(component, _resource_license(resource))
    elif resource.kind == "dataset" and len(resource.describes) >= 2:
        found.add(C.DATA_CARD, EvidenceLevel.VERIFIED, resource.facts[0])
        found.license(C.DATA_CARD, _resource_license(resource))
    elif resource.kind == "dataset":
        found.note(C.DATA_CARD, f"{resource.facts[0]} (too little to verify as a data card; the card's "
                                "reference stands as declared)")


def _resource_license(resource: LinkedResource) -> ComponentLicense:
    if not resource.license:
        return UNKNOWN_LICENSE
    entry = default_catalog().resolve_name(resource.license)
    if entry is None:
        return ComponentLicense(None, LicenseClass.UNKNOWN, resource.license)
    return ComponentLicense(entry.id, entry.license_class, entry.name)


def _sections(evidence: ReleaseEvidence) -> dict[str, str]:
    """The text under each heading of the card body (headings repeated: texts joined)."""
    card = evidence.card
    texts: dict[str, list[str]] = {}
    for line in body_lines(card.body) if card else []:
        if not line.is_heading:
            texts.setdefault(line.heading, []).append(line.text.strip())
    return {h: " ".join(lines)[:5000] for h, lines in texts.items()}


_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


def _card_sections(evidence: ReleaseEvidence, found: _Collector) -> None:
    card = evidence.card
    if card is None:
        return
    words = len(card.body.split())
    if words >= 20:
        found.add(C.MODEL_CARD, EvidenceLevel.VERIFIED, f"{card.path}: model card, {words} words")
    elif card.metadata:
        found.add(C.MODEL_CARD, EvidenceLevel.VERIFIED, f"{card.path}: metadata only, {words} words of text")
    section_words: dict[str, int] = {}
    section_line: dict[str, int] = {}
    table_under: dict[str, int] = {}
    for line in body_lines(card.body):
        number = card.body_start_line + line.offset
        heading, stripped = line.heading, line.text.strip()
        if line.is_heading:
            section_line.setdefault(heading, number)
            continue
        section_words[heading] = section_words.get(heading, 0) + len(stripped.split())
        if _TABLE_ROW.match(stripped):
            table_under[heading] = table_under.get(heading, 0) + 1
        if _section_match("intermediate-checkpoints", stripped):
            found.add(C.MODEL_PARAMETERS_INTERMEDIATE, EvidenceLevel.DECLARED,
                      f"{card.path}:{number}: \"{stripped[:160]}\"")
        if _section_match("sample-outputs", heading) and stripped:
            found.add(C.SAMPLE_MODEL_OUTPUTS, EvidenceLevel.DECLARED, f"{card.path}:{number}: under '{heading}'")
    for title, count in table_under.items():
        if count >= 3 and _section_match("evaluation", title):
            found.add(C.EVALUATION_RESULTS, EvidenceLevel.DECLARED,
                      f"{card.path}:{section_line.get(title, '?')}: results table under '{title}'")
    linked = {link.heading for link in evidence.links if link.kind != "license"}
    for title, count in section_words.items():
        if not _section_match("training-data", title) or _section_match("evaluation", title):
            continue
        where = f"{card.path}:{section_line.get(title, '?')}"
        if count >= 60:
            found.add(C.DATA_CARD, EvidenceLevel.DECLARED, f"{where}: '{title}' section, {count} words describing data")
        if count >= 40 and title in linked:
            found.add(C.DATASETS, EvidenceLevel.DECLARED,
                      f"{where}: '{title}' section describes the training data and links its sources")
        elif count >= 100 and any(link.kind == "paper" for link in evidence.links):
            found.add(C.DATASETS, EvidenceLevel.DECLARED,
                      f"{where}: '{title}' section names the training data ({count} words); the linked paper "
                      "documents it")


_LOCAL_CODE = {
    C.TRAINING_CODE: re.compile(r"(^|/)(train|finetune|fine_tune|pretrain)[\w-]*\.(py|sh)$", re.I),
    C.INFERENCE_CODE: re.compile(r"(^|/)(modeling_[\w]+|inference|generate|run_[\w]+)\.py$", re.I),
    C.EVALUATION_CODE: re.compile(r"(^|/)(eval|evaluate|evaluation|benchmark)[\w-]*\.(py|sh)$", re.I),
    C.DATA_PREPROCESSING_CODE: re.compile(r"(^|/)(preprocess|prepare_data|tokenize|dedup)[\w-]*\.(py|sh)$", re.I),
}


def _local_code(evidence: ReleaseEvidence, found: _Collector) -> None:
    for name in evidence.files:
        for component, pattern in _LOCAL_CODE.items():
            if pattern.search(name):
                found.add(component, EvidenceLevel.VERIFIED, f"{name}: source file in the release (not run)")
        if re.search(r"(^|/)modeling_[\w]+\.py$", name):
            found.add(C.MODEL_ARCHITECTURE, EvidenceLevel.VERIFIED, f"{name}: model code in the release (not run)")
        if PurePosixPath(name).name.lower() in ("requirements.txt", "environment.yml", "pyproject.toml"):
            found.add(C.SUPPORTING_LIBRARIES_AND_TOOLS, EvidenceLevel.VERIFIED, f"{name}: dependency list")


_NOT_FOUND: dict[Component, str] = {
    C.MODEL_ARCHITECTURE: "looked for config.json (model_type, architectures), modeling_*.py, "
    "GGUF general.architecture: none",
    C.MODEL_PARAMETERS_FINAL: "looked for *.safetensors, *.gguf, *.bin, *.pt, *.ckpt weight files: none",
    C.MODEL_PARAMETERS_INTERMEDIATE: "looked for checkpoint folders and card text on intermediate checkpoints: none",
    C.MODEL_METADATA: "looked for config.json, generation_config.json, params.json, GGUF metadata: none",
    C.TRAINING_CODE: "looked for card links to training code and train*.py files: none",
    C.INFERENCE_CODE: "looked for card links to inference code and modeling/inference files: none",
    C.EVALUATION_CODE: "looked for card links to evaluation code and eval*.py files: none",
    C.DATA_PREPROCESSING_CODE: "looked for card links to data-processing code and preprocess*.py files: none",
    C.SUPPORTING_LIBRARIES_AND_TOOLS: "looked for tokenizer files, library_name, links to known libraries: none",
    C.DATASETS: "looked for card `datasets` metadata and links to datasets: none",
    C.EVALUATION_DATA: "looked for model-index datasets and dataset links under evaluation headings: none",
    C.EVALUATION_RESULTS: "looked for model-index metadata and results tables under evaluation headings: none",
    C.SAMPLE_MODEL_OUTPUTS: "looked for a sample-outputs section in the card: none",
    C.MODEL_CARD: "looked for README.md with a model card: none",
    C.DATA_CARD: "looked for dataset cards (Hub datasets) and a training-data section in the card: none",
    C.TECHNICAL_REPORT: "looked for links to a technical report: none",
    C.RESEARCH_PAPER: "looked for links to papers (arXiv, ACL, OpenReview, DOI) and arxiv: tags: none",
}
