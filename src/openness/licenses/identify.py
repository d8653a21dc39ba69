"""Identify a license text and analyse its clauses.

Identification runs from the most to the least specific evidence:

1. an AI license recognised from facts in the text (title, version line, URLs), compared
   sentence by sentence with that license's reference fingerprint (exact or modified);
2. the reference text it shares most sentences with (:mod:`openness.licenses.fingerprint`:
   AI licenses, ScanCode's and SPDX's texts);
3. an ``SPDX-License-Identifier`` tag;
4. a standard SPDX text, matched by ``licenseid`` (:mod:`openness.licenses.spdx_text`) when
   every sentence was reworded;
5. a notice that refers to a license by name or URL.

Clause analysis (:mod:`openness.licenses.clauses`) runs on every text, known or not, so a
renamed Llama license or an MIT with an added "no military use" sentence is still caught.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from openness.datafiles import load_json_data
from openness.licenses import answers
from openness.licenses.catalog import LicenseCatalog, LicenseEntry, default_catalog
from openness.licenses.clauses import ClauseFinding, find_restrictions
from openness.licenses.fingerprint import ALGORITHM, FingerprintIndex, FingerprintMatch
from openness.licenses.spdx_text import SpdxTextIndex, default_index, spdx_fingerprints
from openness.vocabulary import LicenseClass

Match = Literal["exact", "modified", "unknown"]
Method = Literal["family", "tag", "text", "reference", "none"]

MIN_WORD_OVERLAP = 0.5
"""The fuzzy SPDX matcher runs only on texts sharing this much vocabulary with an SPDX text."""

MIN_TEXT_CHARS = 300
"""Shorter texts are notices or tags, unless they are a short license's whole text: below this
length only an exact fingerprint match names a license."""

MAX_NOTICE_CHARS = 4000
"""Texts shorter than this may be notices that only refer to a license."""

_TAG = re.compile(r"SPDX-License-Identifier:\s*([A-Za-z0-9.+\-]+)")


@dataclass(frozen=True)
class Changes:
    """How a text differs from the reference text of its license."""

    added: tuple[tuple[int, str], ...] = ()
    """(line, sentence) of each sentence the reference does not have."""
    removed: int = 0
    """How many of the reference's sentences are missing."""


@dataclass(frozen=True)
class LicenseIdentification:
    """What a license text is, how sure we are, and the clauses that restrict."""

    path: str | None
    id: str | None
    name: str | None
    match: Match
    method: Method
    license_class: LicenseClass
    osi_approved: bool
    osd_conformant: bool | None
    restrictions: tuple[ClauseFinding, ...] = ()
    similarity: float | None = None
    problem: str | None = None
    entry: LicenseEntry | None = None
    changes: Changes = Changes()

    @property
    def breaking_restrictions(self) -> tuple[ClauseFinding, ...]:
        """The clauses found whose kind breaks the Open Source Definition."""
        return tuple(r for r in self.restrictions if r.kind.breaks_osd)


def unreadable(path: str | None, problem: str) -> LicenseIdentification:
    """The identification of a file that could not be read: unknown, with the reason."""
    return LicenseIdentification(
        path, None, None, "unknown", "none", LicenseClass.UNKNOWN, False, None, problem=problem
    )


def recognise_family(text: str, catalog: LicenseCatalog) -> LicenseEntry | None:
    """The catalog entry whose identifying facts best fit the text's head."""
    head = text[:6000]
    lowered = text.lower()
    words = catalog.recognition_words
    in_head, in_text = words.mask(lowered[:6000]), words.mask(lowered)
    best: tuple[int, LicenseEntry] | None = None
    for entry in catalog.entries:
        if not (entry.titles or entry.markers or entry.dates):
            continue
        score = 3 * sum(1 for p in entry.titles if words.allows(p, in_head) and p.regex.search(head))
        score += 2 * sum(1 for p in entry.markers if words.allows(p, in_text) and p.regex.search(text))
        score += sum(1 for p in entry.urls if words.allows(p, in_text) and p.regex.search(text))
        score += 3 * sum(1 for p in entry.dates if words.allows(p, in_head) and p.regex.search(head))
        if score >= 3 and (best is None or score > best[0]):
            best = (score, entry)
    return best[1] if best else None


@cache
def default_fingerprints() -> FingerprintIndex:
    """Reference fingerprints: the bundled ones (AI licenses and ScanCode's texts) and SPDX's."""
    data = load_json_data("openness.licenses", "fingerprints.json")
    if data.get("algorithm") != ALGORITHM:
        raise ValueError("fingerprints.json was made by another algorithm: run tools/fingerprint_references.py")
    return FingerprintIndex({**spdx_fingerprints(), **(data.get("fingerprints") or {})})


def identify_text(
    text: str,
    path: str | None = None,
    *,
    catalog: LicenseCatalog | None = None,
    spdx_index: SpdxTextIndex | None = None,
    fingerprints: FingerprintIndex | None = None,
) -> LicenseIdentification:
    """Identify one license text; never raises on odd input. Answers for the default engine
    are remembered by text (:mod:`openness.licenses.answers`)."""
    remembering = catalog is None and spdx_index is None and fingerprints is None
    catalog = catalog or default_catalog()
    if remembering:
        stored = answers.recall(text)
        if stored is not None:
            return _from_stored(stored, path, catalog)
    result = _identify(text, path, catalog, spdx_index, fingerprints)
    if remembering and result.problem is None:
        answers.remember(text, _to_stored(result))
    return result


def _to_stored(result: LicenseIdentification) -> dict[str, object]:
    return {
        "id": result.id, "name": result.name, "match": result.match, "method": result.method,
        "class": result.license_class.value, "osi": result.osi_approved, "osd": result.osd_conformant,
        "restrictions": [[r.kind.value, r.quote, r.line] for r in result.restrictions],
        "similarity": result.similarity,
        "added": [list(pair) for pair in result.changes.added], "removed": result.changes.removed,
    }


def _from_stored(stored: dict[str, Any], path: str | None, catalog: LicenseCatalog) -> LicenseIdentification:
    return LicenseIdentification(
        path=path,
        id=stored["id"],
        name=stored["name"],
        match=stored["match"],
        method=stored["method"],
        license_class=LicenseClass(stored["class"]),
        osi_approved=bool(stored["osi"]),
        osd_conformant=stored["osd"],
        restrictions=answers.restrictions_from(stored["restrictions"]),
        similarity=stored["similarity"],
        entry=catalog.get(stored["id"]) if stored["id"] else None,
        changes=Changes(tuple((int(line), str(text)) for line, text in stored["added"]), int(stored["removed"])),
    )


def _identify(
    text: str,
    path: str | None,
    catalog: LicenseCatalog,
    spdx_index: SpdxTextIndex | None,
    fingerprints: FingerprintIndex | None,
) -> LicenseIdentification:
    if not text.strip():
        return unreadable(path, "empty file")
    clauses = tuple(find_restrictions(text))
    entry: LicenseEntry | None = None
    match: Match = "unknown"
    method: Method = "none"
    similarity: float | None = None
    compared: FingerprintMatch | None = None

    # Version-specific facts (title, release-date line) decide the license; the sentences
    # then say whether the text is that license's text unchanged.
    entry = recognise_family(text, catalog)
    if entry is not None:
        method = "family"
        fingerprints = fingerprints or default_fingerprints()
        own = fingerprints.keys_for(entry.id)
        compared = fingerprints.best(text, 0.0, own) if own else None
        match = "unknown" if not own else "exact" if compared and compared.exact else "modified"
    if entry is None:
        compared = (fingerprints or default_fingerprints()).best(text)
        if compared is not None and len(text) < MIN_TEXT_CHARS and not compared.exact:
            compared = None  # a short text names a license only when it is that license's whole text
        if compared is not None:
            entry = catalog.get(compared.key.split("#", 1)[0])
            if entry is not None:
                method, match = "text", "exact" if compared.exact else "modified"
                similarity = round(compared.coverage, 4)
    if entry is None:
        tag = _TAG.search(text)
        if tag:
            entry = catalog.get(tag.group(1)) or catalog.resolve_name(tag.group(1))
            method = "tag" if entry else "none"
    if entry is None and len(text) > 600:
        standard = (spdx_index or default_index()).match(text, MIN_WORD_OVERLAP)
        if standard is not None:
            entry = catalog.get(standard.license_id)
            if entry is not None:
                method, similarity = "text", standard.similarity
                match = "exact" if standard.exact else "modified"
    if entry is None:
        # A short notice names its license; a long text that no SPDX text matches may still
        # carry a standard title in its head, which makes it a modified copy of that license.
        entry = catalog.resolve_reference(text if len(text) <= MAX_NOTICE_CHARS else text[:1500])
        if entry is not None:
            method = "reference"
            match = "unknown" if len(text) <= MAX_NOTICE_CHARS else "modified"

    breaking = any(c.kind.breaks_osd for c in clauses)
    changes = Changes(
        tuple((s.line, s.text) for s in compared.added) if compared else (),
        compared.removed if compared else 0,
    )
    if entry is None:
        license_class = LicenseClass.RESTRICTED if breaking else LicenseClass.UNKNOWN
        return LicenseIdentification(
            path, None, None, "unknown", "none", license_class, False,
            False if breaking else None, clauses,
        )
    license_class = entry.license_class
    if breaking and entry.license_class.is_open:
        # A standard open text with a restrictive clause added is no longer that license.
        license_class = LicenseClass.RESTRICTED
        if match == "exact":
            match = "modified"
    # An open license named by its title alone (no fingerprint on file to compare the sentences
    # with) is as unconfirmed as a changed copy: the rest of the text could grant anything.
    unconfirmed = match == "modified" or (match == "unknown" and method == "family")
    changed_open_text = unconfirmed and license_class.is_open
    if breaking or entry.breaking_kinds or license_class in (LicenseClass.RESTRICTED, LicenseClass.PROPRIETARY):
        conformant: bool | None = False
    elif license_class.is_open and not changed_open_text:
        conformant = True
    else:
        # Changed wording with no restrictive clause recognised: the grant may still be the
        # open one, but that is a reading to check, not a fact to report.
        conformant = None
    return LicenseIdentification(
        path=path,
        id=entry.id,
        name=entry.name,
        match=match,
        method=method,
        license_class=license_class,
        osi_approved=entry.osi_approved and license_class is LicenseClass.OSI_APPROVED and not changed_open_text,
        osd_conformant=conformant,
        restrictions=clauses,
        similarity=similarity,
        entry=entry,
        changes=changes,
    )
