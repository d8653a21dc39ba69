"""OSAID 1.0: one table row per criterion, each showing what meets it and what does not.

Evidence is built in memory (no files), then run through the real license stage, component
mapping and rule engine, exactly as an audit runs them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from openness.audit import Auditor
from openness.evidence import (
    CardLink,
    ConfigFile,
    LicenseDeclaration,
    ModelCard,
    Provenance,
    Reference,
    ReleaseEvidence,
    Subject,
    WeightFile,
)
from openness.frameworks.osaid import load_framework
from openness.report import Report


def link(url: str, sentence: str, kind: str, line: int) -> CardLink:
    return CardLink(url, "", "Resources", sentence, kind, Provenance("README.md", line))  # type: ignore[arg-type]


TRAINING = link("https://github.com/acme/trainer", "The training code is in acme/trainer.", "code", 10)
EVALUATION = link("https://github.com/acme/evals", "Evaluation code: acme/evals.", "code", 11)
PAPER = link("https://arxiv.org/abs/2401.00001", "The data and training are described in our paper.", "paper", 12)
WEIGHTS = WeightFile("model.safetensors", "safetensors", 4096, tensor_count=2, parameter_count=1024)
CONFIG = ConfigFile("config.json", "model-config", keys=("model_type",), model_type="llama",
                    architectures=("LlamaForCausalLM",))
TOKENIZER = ConfigFile("tokenizer_config.json", "tokenizer")


def open_release(**changes: Any) -> ReleaseEvidence:
    """A complete, openly licensed release; keyword arguments replace its parts."""
    card = ModelCard("README.md", {"license": "apache-2.0", "datasets": ["acme/corpus"]},
                     {"license": 2, "datasets": 3}, "# Model\n", 6)
    evidence = ReleaseEvidence(
        subject=Subject("local", "acme-model"),
        files=("README.md", "config.json", "model.safetensors", "tokenizer_config.json"),
        card=card,
        declared_licenses=(LicenseDeclaration("apache-2.0", Provenance("README.md", 2, "license")),),
        links=(TRAINING, EVALUATION, PAPER),
        weights=(WEIGHTS,),
        configs=(CONFIG, TOKENIZER),
        datasets=(Reference("acme/corpus", Provenance("README.md", 3, "datasets")),),
    )
    return replace(evidence, **changes)


def audit(evidence: ReleaseEvidence) -> Report:
    return Auditor().audit_evidence(evidence)


def criterion(report: Report, criterion_id: str) -> str:
    return next(c.status for c in report.osaid.criteria if c.id == criterion_id)


def test_a_complete_open_release_meets_every_required_criterion() -> None:
    report = audit(open_release())
    assert report.osaid.status == "pass"
    assert report.osaid.label == "open-source-ai"
    assert report.osaid.would_pass_if_relicensed is True
    required = {c.id: c.status for c in report.osaid.criteria if c.required}
    assert set(required.values()) <= {"met", "not-applicable"}


def test_every_framework_criterion_gets_a_result() -> None:
    report = audit(open_release(weights=(), links=(), datasets=()))
    assert [c.id for c in report.osaid.criteria] == [c["id"] for c in load_framework()["criteria"]]
    assert all(c.why for c in report.osaid.criteria)
    assert all(c.fix for c in report.osaid.criteria if c.status in ("unmet", "unknown"))


# criterion, the change that breaks it, label it leads to, would pass if relicensed
MISSING_ELEMENTS = [
    ("data-information", {"datasets": (), "card": ModelCard("README.md", {"license": "apache-2.0"},
                                                             {"license": 2}, "# Model\n", 5)}),
    ("code-training", {"links": (EVALUATION, PAPER)}),
    ("code-data-processing", {"links": (EVALUATION, PAPER)}),
    ("model-architecture", {"configs": (TOKENIZER,)}),
    ("parameters", {"configs": (TOKENIZER,)}),
]


@pytest.mark.parametrize(("criterion_id", "change"), MISSING_ELEMENTS, ids=[m[0] for m in MISSING_ELEMENTS])
def test_a_missing_element_fails_its_criterion_and_leaves_open_weights(
    criterion_id: str, change: dict[str, Any]
) -> None:
    report = audit(open_release(**change))
    assert criterion(report, criterion_id) == "unmet"
    assert report.osaid.status == "fail"
    assert report.osaid.would_pass_if_relicensed is False
    failing = next(c for c in report.osaid.criteria if c.id == criterion_id)
    assert failing.fix


def test_no_weights_is_closed() -> None:
    report = audit(open_release(weights=()))
    assert criterion(report, "parameters") == "unmet"
    assert report.osaid.label == "closed"


@pytest.mark.parametrize("hub_id", ["llama3.1", "gemma", "bigscience-bloom-rail-1.0", "cc-by-nc-4.0"])
def test_restrictive_terms_fail_parameters_but_would_pass_if_relicensed(hub_id: str) -> None:
    declared = (LicenseDeclaration(hub_id, Provenance("README.md", 2, "license")),)
    report = audit(open_release(declared_licenses=declared))
    assert criterion(report, "parameters") == "unmet"
    assert (report.osaid.status, report.osaid.label) == ("fail", "restricted-weights")
    assert report.osaid.would_pass_if_relicensed is True


def test_no_license_at_all_is_restricted_weights_with_a_finding() -> None:
    report = audit(open_release(declared_licenses=()))
    assert report.osaid.label == "restricted-weights"
    assert "no-license" in {f.kind for f in report.findings}
    assert criterion(report, "parameters") == "unknown"


@pytest.mark.parametrize(
    ("base", "status", "label"),
    [
        ("EleutherAI/pythia-1.4b", "met", "open-source-ai"),
        ("meta-llama/Llama-3.1-8B-Instruct", "unmet", "restricted-weights"),
        ("someone/unheard-of-base", "unknown", "restricted-weights"),
    ],
)
def test_lineage_passes_the_base_models_terms_down(base: str, status: str, label: str) -> None:
    bases = (Reference(base, Provenance("README.md", 4, "base_model")),)
    report = audit(open_release(base_models=bases))
    assert criterion(report, "lineage") == status
    assert report.osaid.label == label
    assert "lineage" in {f.kind for f in report.findings}


def test_without_a_base_model_lineage_does_not_apply() -> None:
    assert criterion(audit(open_release()), "lineage") == "not-applicable"


def test_a_card_license_contradicted_by_the_license_file_is_a_mismatch_and_the_stricter_decides() -> None:
    from openness.evidence import LicenseDocument

    document = LicenseDocument(
        "LICENSE", "license",
        "This model is licensed under CC BY-NC 4.0: https://creativecommons.org/licenses/by-nc/4.0/\n",
    )
    declared = (LicenseDeclaration("mit", Provenance("README.md", 2, "license")),)
    report = audit(open_release(declared_licenses=declared, license_documents=(document,)))
    mismatch = [f for f in report.findings if f.kind == "license-mismatch"]
    assert mismatch and "CC-BY-NC-4.0" in mismatch[0].message
    assert report.terms["id"] == "CC-BY-NC-4.0"
    assert report.osaid.label == "restricted-weights"
