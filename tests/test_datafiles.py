"""Data files are read from JSON copies prepared at install, never stale, equal to their YAML."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import yaml

from openness.datafiles import DATA_PACKAGES, prepare_data


def _yaml_files() -> list[tuple[str, str]]:
    return [(package, item.name) for package in DATA_PACKAGES
            for item in resources.files(package).joinpath("data").iterdir() if item.name.endswith(".yaml")]


def test_every_yaml_data_file_gets_a_json_copy_equal_to_it(tmp_path: Path) -> None:
    prepare_data(tmp_path)
    copies = {path.name: json.loads(path.read_text("utf-8")) for path in tmp_path.glob("data-*.json")}
    assert len(copies) == len(_yaml_files())
    for package, name in _yaml_files():
        source = resources.files(package).joinpath("data", name).read_text("utf-8")
        (copy,) = [data for file_name, data in copies.items() if file_name.startswith(f"data-{package}-{name}-")]
        assert copy == yaml.safe_load(source)


def test_a_copy_is_named_by_the_yaml_it_was_made_from(tmp_path: Path) -> None:
    prepare_data(tmp_path)
    first = sorted(p.name for p in tmp_path.glob("data-*.json"))
    prepare_data(tmp_path)
    assert sorted(p.name for p in tmp_path.glob("data-*.json")) == first
    # A digest of the YAML's text is part of each name: an edited file finds no copy and is parsed.
    assert all(len(name.rsplit("-", 1)[1]) == len("0123456789abcdef.json") for name in first)
