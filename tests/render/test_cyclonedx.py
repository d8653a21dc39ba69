"""The CycloneDX 1.6 ML-BOM: valid against the official schema for every report, and faithful to it."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from openness.evidence import Subject
from openness.render.cyclonedx import cyclonedx_bom, render_cyclonedx
from openness.report import Report
from tests.render.audited_corpus import GROUPS, audited, fixture_release, normalised
from tests.render.golden_files import assert_matches_golden

VALIDATOR = JsonStrictValidator(SchemaVersion.V1_6)


def schema_errors(bom_text: str) -> list[str]:
    """Every violation of the official CycloneDX 1.6 JSON schema (strict: no unknown keys)."""
    return [str(error)[:300] for error in VALIDATOR.validate_str(bom_text, all_errors=True) or ()]


def properties(owner: dict[str, Any], name: str) -> list[str]:
    """The values of every property called ``name``."""
    return [p["value"] for p in owner.get("properties", []) if p["name"] == name]


def model_of(report: Report) -> dict[str, Any]:
    """The BOM's main component: the audited model."""
    model: dict[str, Any] = cyclonedx_bom(report)["metadata"]["component"]
    return model


def component(bom: dict[str, Any], slug: str) -> dict[str, Any]:
    """The BOM component standing for one MOF component."""
    return next(c for c in bom["components"] if properties(c, "openness:component") == [slug])


@pytest.mark.parametrize("group", GROUPS)
def test_every_report_gives_a_valid_cyclonedx_1_6_bom(group: str) -> None:
    reports = audited(group)
    if not reports:
        pytest.skip(f"no data for {group}")
    if group == "mot":
        assert len(reports) == 273
    invalid = {name: errors for name, report in reports if (errors := schema_errors(render_cyclonedx(report)))}
    assert invalid == {}


def test_the_validator_rejects_a_license_ref_written_as_an_spdx_id() -> None:
    bom = cyclonedx_bom(fixture_release("llama31-like"))
    bom["metadata"]["component"]["licenses"] = [{"license": {"id": "LicenseRef-llama3.1"}}]
    assert schema_errors(json.dumps(bom))


@pytest.mark.parametrize("release", ["olmo-like", "llama31-like", "adapter-on-base"])
def test_bom_matches_its_golden_file(release: str) -> None:
    text = render_cyclonedx(normalised(fixture_release(release), f"tests/fixtures/releases/{release}"))
    assert_matches_golden(f"{release}.cdx.json", text + "\n")


def test_the_model_is_the_main_component_with_its_verdicts_as_properties() -> None:
    report = fixture_release("llama31-like")
    model = model_of(report)
    assert (model["type"], model["name"]) == ("machine-learning-model", "llama31-like")
    assert properties(model, "openness:osaid-1.0:status") == ["fail"]
    assert properties(model, "openness:osaid-1.0:label") == ["restricted-weights"]
    assert properties(model, "openness:osaid-1.0:would-pass-if-relicensed") == ["false"]
    assert properties(model, "openness:mof:class") == ["none"]
    assert properties(model, "openness:component:model-parameters-final:status") == ["present"]
    assert properties(model, "openness:component:model-parameters-final:level") == ["verified"]
    assert properties(model, "openness:component:training-code:status") == ["absent"]
    assert properties(model, "openness:component:training-code:level") == []


def test_a_hub_model_is_named_by_organisation_and_name_with_its_revision() -> None:
    report = replace(fixture_release("olmo-like"), subject=Subject("hub", "allenai/OLMo-7B", "refs/pr/1"))
    text = render_cyclonedx(report)
    assert schema_errors(text) == []
    model = json.loads(text)["metadata"]["component"]
    assert (model["group"], model["name"], model["version"]) == ("allenai", "OLMo-7B", "refs/pr/1")
    assert model["purl"] == "pkg:huggingface/allenai/OLMo-7B@refs%2Fpr%2F1"
    assert {"type": "website", "url": "https://huggingface.co/allenai/OLMo-7B"} in model["externalReferences"]


def test_a_report_without_mof_or_index_verdicts_still_gives_a_valid_bom() -> None:
    report = replace(fixture_release("phi2-like"), mof=None, openness_index=None, terms={})
    text = render_cyclonedx(report)
    assert schema_errors(text) == []
    model = json.loads(text)["metadata"]["component"]
    assert properties(model, "openness:mof:class") == []
    assert properties(model, "openness:terms:class") == ["unknown"]
    assert "licenses" in model  # the declared license files remain


def test_model_card_names_the_architecture_and_counts_the_parameters_read() -> None:
    card = model_of(fixture_release("llama31-like"))["modelCard"]
    assert card["modelParameters"]["modelArchitecture"] == "LlamaForCausalLM"
    # four shards of 848, 592, 592 and 856 parameters (tests/fixtures/releases/llama31-like)
    assert properties(card, "openness:weights:parameter-count") == ["2888"]


def test_restrictions_become_use_considerations_with_their_quotes() -> None:
    report = fixture_release("llama31-like")
    model = model_of(report)
    use_cases = model["modelCard"]["considerations"]["useCases"]
    assert any("user-threshold" in u and "LICENSE line 28" in u and "700 million monthly active users" in u
               for u in use_cases)
    assert set(properties(model, "openness:restriction")) == {"attribution-naming", "field-of-use",
                                                              "user-threshold", "unilateral-change"}


def test_an_ai_license_is_named_with_its_license_ref_and_url() -> None:
    licenses = [entry["license"] for entry in model_of(fixture_release("llama31-like"))["licenses"]]
    concluded = next(lic for lic in licenses if lic["acknowledgement"] == "concluded")
    assert "id" not in concluded
    assert concluded["name"] == "Llama 3.1 Community License Agreement"
    assert properties(concluded, "openness:license-id") == ["LicenseRef-llama3.1"]
    assert properties(concluded, "openness:license-class") == ["restricted"]
    assert concluded["url"].startswith("https://github.com/meta-llama/")
    declared = {properties(lic, "openness:license-id")[0] for lic in licenses if lic["acknowledgement"] == "declared"}
    assert declared == {"LicenseRef-llama3.1", "LicenseRef-llama3.1-aup"}


def test_an_spdx_license_is_written_by_id() -> None:
    licenses = [entry["license"] for entry in model_of(fixture_release("olmo-like"))["licenses"]]
    assert {(lic.get("id"), lic["acknowledgement"]) for lic in licenses} >= {("Apache-2.0", "concluded")}
    assert all("name" not in lic for lic in licenses)


def test_published_code_is_a_component_with_its_repository() -> None:
    bom = cyclonedx_bom(fixture_release("olmo-like"))
    training = component(bom, "training-code")
    assert training["type"] == "application"
    assert {"type": "vcs", "url": "https://github.com/allenai/OLMo"} in training["externalReferences"]
    assert properties(training, "openness:level") == ["declared"]
    assert "licenses" not in training  # a link not followed: its license is unknown, not guessed


def test_datasets_are_a_data_component_the_model_card_refers_to() -> None:
    bom = cyclonedx_bom(fixture_release("olmo-like"))
    datasets = component(bom, "datasets")
    assert datasets["type"] == "data"
    assert {"type": "dataset", "name": "allenai/dolma",
            "contents": {"url": "https://huggingface.co/datasets/allenai/dolma"}} in datasets["data"]
    refs = [d["ref"] for d in bom["metadata"]["component"]["modelCard"]["modelParameters"]["datasets"]]
    assert datasets["bom-ref"] in refs


def test_papers_are_documentation_references_of_the_model() -> None:
    references = model_of(fixture_release("olmo-like"))["externalReferences"]
    assert {"type": "documentation", "url": "https://arxiv.org/abs/2402.00838",
            "comment": "research-paper"} in references


def test_absent_components_are_not_listed_as_components() -> None:
    bom = cyclonedx_bom(fixture_release("phi2-like"))
    listed = {properties(c, "openness:component")[0] for c in bom["components"]}
    assert listed == {"supporting-libraries-and-tools"}


@pytest.mark.parametrize("group", ["releases", "holdout"])
def test_bom_refs_are_unique_and_every_reference_resolves(group: str) -> None:
    for name, report in audited(group):
        bom = cyclonedx_bom(report)
        refs = [c["bom-ref"] for c in [bom["metadata"]["component"], *bom["components"]]]
        assert len(refs) == len(set(refs)), name
        card = bom["metadata"]["component"]["modelCard"]
        assert {d["ref"] for d in card.get("modelParameters", {}).get("datasets", [])} <= set(refs), name


def test_the_tool_is_named_in_the_metadata() -> None:
    tools = cyclonedx_bom(fixture_release("olmo-like"))["metadata"]["tools"]["components"]
    assert [(t["name"], t["version"]) for t in tools] == [("openness", fixture_release("olmo-like").tool_version)]


def test_the_serial_number_follows_the_report() -> None:
    report = fixture_release("olmo-like")
    assert render_cyclonedx(report) == render_cyclonedx(report)
    assert "timestamp" not in cyclonedx_bom(report)["metadata"]
    bumped = replace(report, tool_version="9.9.9")
    assert cyclonedx_bom(bumped)["serialNumber"] != cyclonedx_bom(report)["serialNumber"]
