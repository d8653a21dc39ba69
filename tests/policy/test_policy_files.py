"""Policy files: the keys, their validation, and where a policy is looked for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from openness.policy import POLICY_KEYS, Policy, PolicyError, discover_policy, load_policy
from openness.vocabulary import RestrictionKind

FULL_POLICY = """
require = ["osaid-1.0", "mof-class-2"]
minimum-label = "open-weights"
forbid-restrictions = ["non-commercial", "field-of-use"]
allow-licenses = ["Apache-2.0", "MIT"]
deny-licenses = ["CC-BY-NC-4.0"]
minimum-openness-score = 0.5
"""


def test_every_key_of_a_policy_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "openness.toml"
    path.write_text(FULL_POLICY)
    policy = load_policy(path)
    assert policy == Policy(
        require=("osaid-1.0", "mof-class-2"),
        minimum_label="open-weights",
        forbid_restrictions=(RestrictionKind.NON_COMMERCIAL, RestrictionKind.FIELD_OF_USE),
        allow_licenses=("Apache-2.0", "MIT"),
        deny_licenses=("CC-BY-NC-4.0",),
        minimum_openness_score=0.5,
    )
    assert policy.source == str(path)
    assert set(POLICY_KEYS) == {line.split(" =")[0] for line in FULL_POLICY.strip().splitlines()}


def test_osd_breaking_stands_for_the_seven_kinds_that_break_the_definition(tmp_path: Path) -> None:
    path = tmp_path / "openness.toml"
    path.write_text('forbid-restrictions = ["osd-breaking", "attribution-naming"]\n')
    kinds = load_policy(path).forbid_restrictions
    assert len(kinds) == 8
    assert RestrictionKind.ATTRIBUTION_NAMING in kinds
    assert RestrictionKind.UNILATERAL_CHANGE not in kinds


def test_a_pyproject_policy_is_its_tool_openness_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.openness]\nrequire = ["mof-class-3"]\n')
    policy = load_policy(path)
    assert policy.require == ("mof-class-3",)
    assert policy.source == f"{path} [tool.openness]"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('require = ["osaid-1.0"\n', "not valid TOML"),
        ('forbid-restriction = ["non-commercial"]\n',
         "unknown key 'forbid-restriction' (did you mean 'forbid-restrictions'?)"),
        ('forbid-restrictions = ["noncommercial"]\n',
         "forbid-restrictions: unknown value 'noncommercial' (did you mean 'non-commercial'?)"),
        ('require = "osaid-1.0"\n', "require: must be a list of non-empty strings"),
        ('require = ["osaid-2.0"]\n', "require: unknown value 'osaid-2.0'"),
        ('minimum-label = "open"\n', "minimum-label: must be one of closed, restricted-weights"),
        ('allow-licenses = ["MIT", 3]\n', "allow-licenses: must be a list of non-empty strings"),
        ("minimum-openness-score = 2\n", "minimum-openness-score: must be a number from 0 to 1"),
        ("minimum-openness-score = true\n", "minimum-openness-score: must be a number from 0 to 1"),
    ],
)
def test_a_bad_policy_is_one_line_naming_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "openness.toml"
    path.write_text(text)
    with pytest.raises(PolicyError) as error:
        load_policy(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.toml", None, "no such policy file"),
        ("binary.toml", b"\xff\xfe\x00require", "not UTF-8 text"),
        ("pyproject.toml", b'[project]\nname = "x"\n', "no [tool.openness] table"),
        ("pyproject.toml", b"[tool]\nopenness = 3\n", "tool.openness: must be a table"),
    ],
)
def test_an_unusable_policy_file_is_an_error_not_an_empty_policy(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(PolicyError, match=re.escape(message)):
        load_policy(path)


def test_openness_toml_is_looked_for_before_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.openness]\nrequire = ["mof-class-1"]\n')
    found = discover_policy(tmp_path)
    assert found is not None and found.require == ("mof-class-1",)
    (tmp_path / "openness.toml").write_text('require = ["mof-class-3"]\n')
    found = discover_policy(tmp_path)
    assert found is not None and found.require == ("mof-class-3",)


def test_a_folder_without_a_policy_has_none(tmp_path: Path) -> None:
    assert discover_policy(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert discover_policy(tmp_path) is None


def test_requirements_from_the_command_line_add_to_the_policy() -> None:
    policy = Policy(require=("osaid-1.0",), deny_licenses=("MIT",))
    assert policy.requiring(("mof-class-2", "osaid-1.0")).require == ("osaid-1.0", "mof-class-2")
    assert not Policy().has_rules
    assert Policy(allow_licenses=()).has_rules
