"""``dsi sandbox``: serve the bundled sandbox web on 127.0.0.1."""

from __future__ import annotations

import signal
import tempfile
import threading
from pathlib import Path
from types import FrameType

import typer

from crawler.cli.common import CLIError

app = typer.Typer(
    help="The bundled sandbox web (a realistic local web for demos and tests).",
    no_args_is_help=True,
)


@app.command()
def serve(
    port: int = typer.Option(
        0,
        "--port",
        "-p",
        help="Portal port (0 = a free port); the websites use the next ports when free.",
    ),
    scale: int = typer.Option(
        0, "--scale", help="Add N generated job adverts and N CKAN datasets (benchmarks)."
    ),
    write_sources: Path | None = typer.Option(
        None,
        "--write-sources",
        help="Write the demo sources TOML here (default: a temporary file).",
    ),
) -> None:
    """Serve the sandbox web until Ctrl-C or SIGTERM; print its URL and sources file.

    Example: dsi sandbox serve --port 8800 --write-sources var/sandbox.toml
    (then: dsi crawl sandbox-jobs --sources var/sandbox.toml)
    """
    from sandbox.server import SandboxServer

    if scale < 0:
        raise CLIError("--scale must be 0 or more")
    try:
        server = SandboxServer(port=port, scale=scale).start()
    except OSError as exc:
        raise CLIError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from exc
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        target = write_sources or Path(tempfile.gettempdir()) / f"dsi-sandbox-{server.port}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(server.sources_toml(), encoding="utf-8")
        ports = server.ports[1:]
        typer.echo(f"sandbox: {server.base_url}")
        typer.echo(f"sources: {target}")
        typer.echo(
            f"sites: {len(ports)} on ports {min(ports)}-{max(ports)}"
            + (f"; scale {scale}" if scale else "")
        )
        typer.echo("Press Ctrl-C to stop.", err=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    typer.echo("sandbox stopped", err=True)
