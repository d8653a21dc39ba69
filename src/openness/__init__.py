"""openness: audit AI model releases against open-source definitions, with evidence."""

__version__ = "0.1.0"
