"""Policies for ``openness check``: load and validate a policy file, apply it to a report.

``config`` knows the keys and where policy files are looked for; ``evaluate`` turns a
:class:`Policy` and a :class:`~openness.report.Report` into one :class:`RuleResult` per rule.
"""

from openness.policy.config import (
    POLICY_KEYS,
    REQUIREMENTS,
    Policy,
    PolicyError,
    discover_policy,
    load_policy,
    parse_policy,
)
from openness.policy.evaluate import PolicyResult, RuleResult, evaluate_policy, named_licenses

__all__ = [
    "POLICY_KEYS",
    "REQUIREMENTS",
    "Policy",
    "PolicyError",
    "PolicyResult",
    "RuleResult",
    "discover_policy",
    "evaluate_policy",
    "load_policy",
    "named_licenses",
    "parse_policy",
]
