"""Policy files: where they are looked for, what keys they hold, and their validation.

A policy is a TOML table: the whole of ``openness.toml``, or ``[tool.openness]`` in
``pyproject.toml``. Every key is checked; an unknown key, a wrong type or an unknown value is a
:class:`PolicyError` whose message names the file and the key, never a silently ignored rule.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openness.report import LABELS_BY_OPENNESS, Label
from openness.vocabulary import RestrictionKind

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

REQUIREMENTS = ("osaid-1.0", "mof-class-1", "mof-class-2", "mof-class-3")
"""Verdicts a policy or ``--require`` can ask for."""

OSD_BREAKING = "osd-breaking"
"""Shorthand in ``forbid-restrictions`` for every restriction kind that breaks the Open Source Definition."""

POLICY_FILE = "openness.toml"
PYPROJECT = "pyproject.toml"
_MAX_POLICY_BYTES = 1_000_000


class PolicyError(ValueError):
    """A policy file that cannot be used; ``str()`` is one line naming the file and the key."""


@dataclass(frozen=True)
class Policy:
    """The rules ``openness check`` applies to a report (an empty policy has no rules)."""

    require: tuple[str, ...] = ()
    minimum_label: Label | None = None
    forbid_restrictions: tuple[RestrictionKind, ...] = ()
    allow_licenses: tuple[str, ...] | None = None
    deny_licenses: tuple[str, ...] = ()
    minimum_openness_score: float | None = None
    source: str | None = field(default=None, compare=False)
    """Where the policy came from (a file, with ``[tool.openness]`` for pyproject.toml), None for none."""

    @property
    def has_rules(self) -> bool:
        """True when at least one rule is set."""
        return bool(self.require or self.minimum_label or self.forbid_restrictions or self.deny_licenses
                    or self.allow_licenses is not None or self.minimum_openness_score is not None)

    def requiring(self, requirements: tuple[str, ...]) -> Policy:
        """This policy with more required verdicts (duplicates dropped, order kept)."""
        return replace(self, require=tuple(dict.fromkeys((*self.require, *requirements))))


def _string_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError("must be a list of non-empty strings")
    return tuple(item.strip() for item in value)


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], tuple[str, ...]]:
    def check(value: Any) -> tuple[str, ...]:
        items = _string_list(value)
        for item in items:
            if item not in choices:
                raise ValueError(f"unknown value '{item}'{_did_you_mean(item, choices)} (known: {', '.join(choices)})")
        return items
    return check


def _restriction_kinds(value: Any) -> tuple[RestrictionKind, ...]:
    known = (*(kind.value for kind in RestrictionKind), OSD_BREAKING)
    kinds: list[RestrictionKind] = []
    for item in _one_of(known)(value):
        if item == OSD_BREAKING:
            kinds.extend(kind for kind in RestrictionKind if kind.breaks_osd)
        else:
            kinds.append(RestrictionKind(item))
    return tuple(dict.fromkeys(kinds))


def _label(value: Any) -> Label:
    if not isinstance(value, str) or value not in LABELS_BY_OPENNESS:
        raise ValueError(f"must be one of {', '.join(LABELS_BY_OPENNESS)}")
    return value


def _score(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError("must be a number from 0 to 1")
    return float(value)


_KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "require": ("require", _one_of(REQUIREMENTS)),
    "minimum-label": ("minimum_label", _label),
    "forbid-restrictions": ("forbid_restrictions", _restriction_kinds),
    "allow-licenses": ("allow_licenses", _string_list),
    "deny-licenses": ("deny_licenses", _string_list),
    "minimum-openness-score": ("minimum_openness_score", _score),
}
"""Policy key → (Policy field, validator returning the field's value or raising ValueError)."""

POLICY_KEYS = tuple(_KEYS)
"""Every key a policy table may hold."""


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_policy(table: Mapping[str, Any], source: str) -> Policy:
    """Validate a policy table; raises :class:`PolicyError` naming ``source`` and the bad key."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _KEYS:
            raise PolicyError(f"{source}: unknown key '{key}'{_did_you_mean(key, POLICY_KEYS)} "
                              f"(known: {', '.join(POLICY_KEYS)})")
        name, validate = _KEYS[key]
        try:
            values[name] = validate(value)
        except ValueError as error:
            raise PolicyError(f"{source}: {key}: {error}") from None
    return Policy(**values, source=source)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_POLICY_BYTES + 1)
    except OSError as error:
        raise PolicyError(f"{path}: cannot read the policy file ({error.strerror or error})") from None
    if len(data) > _MAX_POLICY_BYTES:
        raise PolicyError(f"{path}: too large for a policy file (over {_MAX_POLICY_BYTES} bytes)")
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise PolicyError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{path}: not valid TOML: {error}") from None


def _pyproject_table(document: Mapping[str, Any], path: Path) -> Mapping[str, Any] | None:
    tool = document.get("tool", {})
    table = tool.get("openness") if isinstance(tool, Mapping) else None
    if table is not None and not isinstance(table, Mapping):
        raise PolicyError(f"{path}: tool.openness: must be a table")
    return table


def load_policy(path: Path) -> Policy:
    """The policy in a file given by name: ``[tool.openness]`` of a pyproject.toml, else the whole file."""
    if path.is_dir():
        raise PolicyError(f"{path}: a folder, not a policy file")
    if not path.is_file():
        raise PolicyError(f"{path}: no such policy file")
    document = _read_toml(path)
    if path.name == PYPROJECT:
        table = _pyproject_table(document, path)
        if table is None:
            raise PolicyError(f"{path}: no [tool.openness] table")
        return parse_policy(table, f"{path} [tool.openness]")
    return parse_policy(document, str(path))


def discover_policy(directory: Path) -> Policy | None:
    """The policy of a directory: its ``openness.toml``, else ``[tool.openness]`` of its pyproject.toml."""
    candidate = directory / POLICY_FILE
    if candidate.is_file():
        return parse_policy(_read_toml(candidate), str(candidate))
    pyproject = directory / PYPROJECT
    if pyproject.is_file():
        table = _pyproject_table(_read_toml(pyproject), pyproject)
        if table is not None:
            return parse_policy(table, f"{pyproject} [tool.openness]")
    return None
