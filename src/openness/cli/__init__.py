"""Command-line front end: parses arguments, calls the auditor, picks a renderer."""
