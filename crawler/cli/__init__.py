"""The ``dsi`` command-line application (Typer), one module per command group."""
