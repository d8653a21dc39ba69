"""The contract every source implements, and the error family for targets it cannot read."""

from __future__ import annotations

from abc import ABC, abstractmethod

from openness.evidence import ReleaseEvidence


class SourceError(Exception):
    """Evidence could not be collected at all; ``str()`` is a one-line message for users."""

    exit_code = 3


class TargetError(SourceError):
    """The target itself is wrong (not a folder, empty path): a usage or input error."""

    exit_code = 2


class Source(ABC):
    """Collects evidence about one release. Per-file problems are recorded, not raised."""

    @abstractmethod
    def collect(self) -> ReleaseEvidence:
        """Gather every fact this source can see about the release."""

    def base_source(self, repo_id: str) -> Source | None:
        """A source for a base model this release names, when this source can reach it (default: none)."""
        return None
