"""Sources: collect evidence about a release (local folder, Hub, manifest)."""
