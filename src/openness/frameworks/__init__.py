"""Frameworks: versioned criteria (data) evaluated by a small rule engine."""
