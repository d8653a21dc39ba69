"""MOF manifests: the YAML (or JSON) model files of the Model Openness Tool (MOT).

A manifest is the publisher's declaration: which of the 17 components a release includes and
under which licenses. It is read with a safe YAML loader, bounded in size and in alias
expansion, and checked against the MOF manifest structure (MOT's ``mof_schema.json``: framework
name, version and date; release name, license, producer and components), with one message per
bad field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from openness.sources.card import MAX_FRONT_MATTER_NODES, count_nodes
from openness.sources.files import read_text
from openness.sources.interface import TargetError

MAX_MANIFEST_BYTES = 5 * 1024 * 1024
"""A manifest describes 17 components; anything larger is refused unread."""

MANIFEST_SUFFIXES = (".yml", ".yaml", ".json")

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_FRAMEWORK_NAME = "Model Openness Framework"
_RELEASE_STRINGS = ("name", "version", "date", "type", "architecture", "treatment", "origin", "producer", "contact")
_COMPONENT_STRINGS = ("name", "description", "license", "license_path", "component_path")
_LICENSE_KINDS = ("distribution", "code", "data", "document")


@dataclass(frozen=True)
class Manifest:
    """A validated manifest: the parsed document and where it came from."""

    path: str
    data: dict[str, Any]


class ManifestError(TargetError):
    """The manifest cannot be used: not YAML/JSON, too large, or not a MOF manifest."""


def read_manifest(path: Path, component_names: frozenset[str]) -> Manifest:
    """Read and validate a manifest; raises :class:`ManifestError` naming every bad field."""
    if not path.is_file():
        raise ManifestError(f"{path}: no such manifest file")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{path}: {path.stat().st_size} bytes is too large for a manifest "
                            f"(limit {MAX_MANIFEST_BYTES})")
    read = read_text(path, MAX_MANIFEST_BYTES)
    if read.text is None:
        raise ManifestError(f"{path}: {read.problem}")
    data = _parse(path, read.text)
    problems = validate_manifest(data, component_names)
    if problems:
        raise ManifestError(f"{path}: not a valid MOF manifest: " + "; ".join(problems))
    return Manifest(str(path), data)


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as error:
            raise ManifestError(f"{path}: not valid JSON ({str(error)[:120]})") from None
    try:
        node = yaml.compose(text, Loader=_LOADER)
        if node is not None and count_nodes(node, MAX_FRONT_MATTER_NODES) > MAX_FRONT_MATTER_NODES:
            raise ManifestError(f"{path}: YAML too large or expands without bound (aliases)")
        return yaml.load(text, Loader=_LOADER)  # a safe loader: C or Python SafeLoader
    except ManifestError:
        raise
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, AttributeError) as error:
        first = (str(error).strip().splitlines() or ["invalid YAML"])[0]
        raise ManifestError(f"{path}: malformed YAML ({first[:160]})") from None


def validate_manifest(data: Any, component_names: frozenset[str]) -> list[str]:
    """Every way ``data`` departs from the MOF manifest structure (empty when valid)."""
    if not isinstance(data, dict):
        return ["the document is not a mapping with `framework` and `release`"]
    problems: list[str] = []
    framework = data.get("framework")
    if not isinstance(framework, dict):
        problems.append("`framework` is missing or not a mapping")
    else:
        if framework.get("name") != _FRAMEWORK_NAME:
            problems.append(f"`framework.name` must be {_FRAMEWORK_NAME!r}")
        for key in ("version", "date"):
            if not isinstance(framework.get(key), (str, int, float)) or framework.get(key) in ("", None):
                problems.append(f"`framework.{key}` is missing")
    release = data.get("release")
    if not isinstance(release, dict):
        return [*problems, "`release` is missing or not a mapping"]
    for key in ("name", "producer"):
        if not isinstance(release.get(key), str) or (key == "name" and not release.get(key)):
            problems.append(f"`release.{key}` is missing or not text")
    for key in _RELEASE_STRINGS:
        if key in release and release[key] is not None and not isinstance(release[key], (str, int, float)):
            problems.append(f"`release.{key}` must be text")
    licenses = release.get("license")
    if not isinstance(licenses, dict):
        problems.append("`release.license` is missing or not a mapping")
    else:
        for kind in _LICENSE_KINDS:
            entry = licenses.get(kind)
            valid = isinstance(entry, dict) and isinstance(entry.get("name"), (str, type(None)))
            if entry is not None and not valid:
                problems.append(f"`release.license.{kind}` must be a mapping with a text `name`")
    components = release.get("components")
    if not isinstance(components, list):
        return [*problems, "`release.components` is missing or not a list"]
    if len(components) > 17:
        problems.append(f"`release.components` lists {len(components)} components; MOF has 17")
    seen: set[str] = set()
    for index, component in enumerate(components[:100]):
        where = f"`release.components[{index}]`"
        if not isinstance(component, dict):
            problems.append(f"{where} is not a mapping")
            continue
        for key in _COMPONENT_STRINGS:
            if key in component and component[key] is not None and not isinstance(component[key], str):
                problems.append(f"{where}.{key} must be text")
        name = component.get("name")
        if not isinstance(name, str):
            problems.append(f"{where}.name is missing")
        elif name not in component_names:
            problems.append(f"{where}.name {name!r} is not a MOF component")
        elif name in seen:
            problems.append(f"{where}.name {name!r} is listed twice")
        else:
            seen.add(name)
    return problems
