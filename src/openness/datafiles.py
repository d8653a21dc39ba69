"""Loading the versioned data files bundled with the package (catalog, criteria, patterns).

YAML is read by people; a process reads the JSON copy that an installation prepares ahead of use
(``prepare_data``, run by ``python -m openness.licenses.spdx_text``), named by a digest of the
YAML so an edited file is never read stale. Without a copy the YAML is parsed, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

DATA_PACKAGES = ("openness.licenses", "openness.components", "openness.frameworks")
"""The packages whose ``data/*.yaml`` files get a prepared JSON copy."""


def cache_dir() -> Path:
    """Where openness keeps its caches: $OPENNESS_CACHE_DIR, else $XDG_CACHE_HOME/openness."""
    explicit = os.environ.get("OPENNESS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "openness"


def prepared_dir() -> Path:
    """Where an installation keeps data prepared ahead of use: read first, never written at run
    time."""
    return Path(sys.prefix) / "share" / "openness"


def _copy_name(package: str, name: str, text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f"data-{package}-{name}-{digest}.json"


def _parse_yaml(text: str) -> Any:
    import yaml  # 0.05 s to import: only when no prepared copy exists

    # libyaml's loader is about ten times faster than the pure-Python one; both are safe loaders.
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_data(package: str, name: str) -> dict[str, Any]:
    """Parse ``data/<name>`` of ``package`` as YAML (or its prepared JSON copy); the file must hold a
    mapping."""
    text = resources.files(package).joinpath("data", name).read_text("utf-8")
    try:
        data = json.loads((prepared_dir() / _copy_name(package, name, text)).read_text("utf-8"))
    except (OSError, ValueError):
        data = _parse_yaml(text)
    if not isinstance(data, dict):
        raise ValueError(f"data file {package}/data/{name} does not hold a mapping")
    return data


def prepare_data(directory: Path) -> None:
    """Write a JSON copy of every YAML data file of :data:`DATA_PACKAGES` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for package in DATA_PACKAGES:
        for item in resources.files(package).joinpath("data").iterdir():
            if not item.name.endswith(".yaml"):
                continue
            text = item.read_text("utf-8")
            data = _parse_yaml(text)
            try:
                serialised = json.dumps(data)
            except (TypeError, ValueError):
                continue  # dates or other values JSON cannot hold: the YAML stays the source
            if json.loads(serialised) != data:
                continue  # keys JSON would turn into strings
            name = _copy_name(package, item.name, text)
            for stale in directory.glob(f"data-{package}-{item.name}-*.json"):
                if stale.name != name:
                    stale.unlink(missing_ok=True)
            handle, temporary = tempfile.mkstemp(dir=directory, suffix=".json.tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(serialised)
                os.chmod(temporary, 0o644)
                os.replace(temporary, directory / name)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def load_json_data(package: str, name: str) -> dict[str, Any]:
    """Parse ``data/<name>`` of ``package`` as JSON (generated data files: faster than YAML)."""
    data = json.loads(resources.files(package).joinpath("data", name).read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"data file {package}/data/{name} does not hold a mapping")
    return data
