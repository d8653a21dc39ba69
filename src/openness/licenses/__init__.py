"""Licenses: the catalog of known terms, text identification and clause analysis."""
