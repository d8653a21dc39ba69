"""Loading the versioned data files bundled with the package (catalog, criteria, patterns)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import yaml

# libyaml's loader is about ten times faster than the pure-Python one; both are safe loaders.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data(package: str, name: str) -> dict[str, Any]:
    """Parse ``data/<name>`` of ``package`` as YAML; the file must hold a mapping."""
    text = resources.files(package).joinpath("data", name).read_text("utf-8")
    data = yaml.load(text, Loader=_LOADER)
    if not isinstance(data, dict):
        raise ValueError(f"data file {package}/data/{name} does not hold a mapping")
    return data


def load_json_data(package: str, name: str) -> dict[str, Any]:
    """Parse ``data/<name>`` of ``package`` as JSON (generated data files: faster than YAML)."""
    data = json.loads(resources.files(package).joinpath("data", name).read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"data file {package}/data/{name} does not hold a mapping")
    return data
