"""An open license named by its facts alone is not reported as confirmed open."""

from __future__ import annotations

from openness.licenses.fingerprint import FingerprintIndex, fingerprint
from openness.licenses.identify import identify_text

TITLED_OPEN_TEXT = (
    "OpenMDW License Agreement, version 1.1 (OpenMDW-1.1)\n\n"
    "The provider lets you read these files. Anything else needs a talk with the provider.\n"
)


def test_an_open_license_recognised_by_title_without_a_fingerprint_is_not_confirmed() -> None:
    # No fingerprint on file: the title names the license, but nothing says the sentences are its.
    others_only = FingerprintIndex({"MIT#test": fingerprint("Some other license text entirely.")})
    result = identify_text(TITLED_OPEN_TEXT, fingerprints=others_only)
    assert result.id == "LicenseRef-OpenMDW-1.1"
    assert result.match == "unknown"
    assert result.osd_conformant is None
    assert result.osi_approved is False
