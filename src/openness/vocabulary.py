"""Stable identifiers shared by every stage and by the report JSON (see design.md).

These strings are part of the public contract: never rename a value, only add.
"""

from __future__ import annotations

from enum import Enum


class Component(str, Enum):
    """The 17 components of the Model Openness Framework, by report slug."""

    MODEL_ARCHITECTURE = "model-architecture"
    MODEL_PARAMETERS_FINAL = "model-parameters-final"
    MODEL_PARAMETERS_INTERMEDIATE = "model-parameters-intermediate"
    MODEL_METADATA = "model-metadata"
    TRAINING_CODE = "training-code"
    INFERENCE_CODE = "inference-code"
    EVALUATION_CODE = "evaluation-code"
    DATA_PREPROCESSING_CODE = "data-preprocessing-code"
    SUPPORTING_LIBRARIES_AND_TOOLS = "supporting-libraries-and-tools"
    DATASETS = "datasets"
    EVALUATION_DATA = "evaluation-data"
    EVALUATION_RESULTS = "evaluation-results"
    SAMPLE_MODEL_OUTPUTS = "sample-model-outputs"
    MODEL_CARD = "model-card"
    DATA_CARD = "data-card"
    TECHNICAL_REPORT = "technical-report"
    RESEARCH_PAPER = "research-paper"


class EvidenceLevel(str, Enum):
    """How a fact is known: read and checked, stated by the publisher, or deduced."""

    VERIFIED = "verified"
    DECLARED = "declared"
    INFERRED = "inferred"

    @property
    def rank(self) -> int:
        """Higher is stronger evidence."""
        return {"verified": 3, "declared": 2, "inferred": 1}[self.value]


class LicenseClass(str, Enum):
    """What kind of terms a license grants, as the frameworks need to know it."""

    OSI_APPROVED = "osi-approved"
    OPEN_DATA = "open-data"
    OPEN_CONTENT = "open-content"
    RESTRICTED = "restricted"
    PROPRIETARY = "proprietary"
    UNKNOWN = "unknown"

    @property
    def is_open(self) -> bool:
        """True for terms that conform to the Open Source Definition's freedoms."""
        return self in (LicenseClass.OSI_APPROVED, LicenseClass.OPEN_DATA, LicenseClass.OPEN_CONTENT)

    @property
    def strictness(self) -> int:
        """Order used when two readings disagree: the stricter one decides."""
        return {
            "osi-approved": 0,
            "open-data": 0,
            "open-content": 0,
            "unknown": 1,
            "restricted": 2,
            "proprietary": 3,
        }[self.value]


class RestrictionKind(str, Enum):
    """Kinds of clause that take a freedom away (design.md)."""

    NON_COMMERCIAL = "non-commercial"
    FIELD_OF_USE = "field-of-use"
    USER_THRESHOLD = "user-threshold"
    GEOGRAPHIC = "geographic"
    NO_DERIVATIVES = "no-derivatives"
    MODEL_IMPROVEMENT = "model-improvement"
    MODIFICATION_RESTRICTION = "modification-restriction"
    UNILATERAL_CHANGE = "unilateral-change"
    ATTRIBUTION_NAMING = "attribution-naming"

    @property
    def breaks_osd(self) -> bool:
        """The first seven kinds break the Open Source Definition; the others do not."""
        return self not in (RestrictionKind.UNILATERAL_CHANGE, RestrictionKind.ATTRIBUTION_NAMING)
