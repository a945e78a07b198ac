"""Content of the sandbox web: phrase banks, organisations and the per-format renderers."""
