"""Sources: what to crawl, declared in TOML (``sources.toml``, ``--sources``, ``DSI_SOURCES``).

Each ``[[source]]`` becomes a frozen :class:`Source`. A bad file raises :class:`SourceError`
naming the file, the source and the field; nothing starts.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

SPIDERS = ("jobs", "opendata", "website")
DEFAULT_SOURCES_FILE = Path("sources.toml")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_KNOWN_FIELDS = {"name", "spider", "urls", "schedule", "allow_private_network", "max_pages"}


class SourceError(ValueError):
    """A sources file or one of its entries is invalid."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        source: str | None = None,
        field: str | None = None,
    ) -> None:
        where = ", ".join(
            part
            for part in (
                f"file {file}" if file else "",
                f"source {source!r}" if source else "",
                f"field {field!r}" if field else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.file, self.source, self.field = file, source, field


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One declared source."""

    name: str
    spider: str
    urls: tuple[str, ...]
    schedule: str | None = None
    allow_private_network: bool = False
    max_pages: int = 500
    #: Spider-specific options (e.g. ``api = "ckan"``), read-only.
    options: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: The file the source was declared in (for error messages).
    file: str | None = field(default=None, compare=False)

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


def _check_url(url: Any, *, file: str | None, source: str) -> str:
    if not isinstance(url, str):
        raise SourceError("every URL must be a string", file=file, source=source, field="urls")
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
        url.encode("utf-8")
    except (ValueError, UnicodeError) as exc:  # "http://[::1", a port out of range
        raise SourceError(
            f"not a readable URL: {url!r} ({exc})", file=file, source=source, field="urls"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise SourceError(f"not an http(s) URL: {url!r}", file=file, source=source, field="urls")
    return url


def _check_schedule(value: Any, *, file: str | None, source: str) -> str:
    from croniter import croniter

    if not isinstance(value, str) or not croniter.is_valid(value):
        raise SourceError(
            f"not a cron expression: {value!r}", file=file, source=source, field="schedule"
        )
    return value


def source_from_mapping(data: dict[str, Any], *, file: str | None = None, index: int = 0) -> Source:
    """Validate one ``[[source]]`` table."""
    raw_name = data.get("name")
    label = raw_name if isinstance(raw_name, str) and raw_name else f"#{index + 1}"
    if not isinstance(raw_name, str) or not _NAME_RE.match(raw_name):
        raise SourceError(
            "a name of letters, digits, '.', '_' or '-' is required",
            file=file,
            source=label,
            field="name",
        )
    spider = data.get("spider")
    if spider not in SPIDERS:
        raise SourceError(
            f"must be one of {', '.join(SPIDERS)} (got {spider!r})",
            file=file,
            source=label,
            field="spider",
        )
    urls = data.get("urls")
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not urls:
        raise SourceError(
            "a non-empty list of URLs is required", file=file, source=label, field="urls"
        )
    checked = tuple(_check_url(u, file=file, source=label) for u in urls)
    schedule = data.get("schedule")
    if schedule is not None:
        schedule = _check_schedule(schedule, file=file, source=label)
    allow_private = data.get("allow_private_network", False)
    if not isinstance(allow_private, bool):
        raise SourceError(
            "must be true or false", file=file, source=label, field="allow_private_network"
        )
    max_pages = data.get("max_pages", 500)
    if not isinstance(max_pages, int) or isinstance(max_pages, bool) or max_pages < 1:
        raise SourceError("must be a positive integer", file=file, source=label, field="max_pages")
    options = {k: v for k, v in data.items() if k not in _KNOWN_FIELDS}
    return Source(
        name=raw_name,
        spider=spider,
        urls=checked,
        schedule=schedule,
        allow_private_network=allow_private,
        max_pages=max_pages,
        options=MappingProxyType(options),
        file=file,
    )


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """What a spider accepts for one source option."""

    types: tuple[type, ...]
    choices: tuple[Any, ...] | None = None
    help: str = ""


def check_options(source: Source, specs: dict[str, OptionSpec]) -> None:
    """Validate a source's spider-specific options against its spider's specs.

    Called before any crawl starts, so a typo (``apu = "ckan"``) or a bad value stops everything
    with an error naming the file, the source and the field.
    """
    for key, value in source.options.items():
        spec = specs.get(key)
        if spec is None:
            known = ", ".join(sorted(specs)) or "none"
            raise SourceError(
                f"unknown option for spider {source.spider!r} (known: {known})",
                file=source.file,
                source=source.name,
                field=key,
            )
        bad_type = not isinstance(value, spec.types) or (
            isinstance(value, bool) and bool not in spec.types
        )
        if bad_type or (spec.choices is not None and value not in spec.choices):
            want = (
                f"one of {', '.join(map(str, spec.choices))}"
                if spec.choices
                else " or ".join(t.__name__ for t in spec.types)
            )
            raise SourceError(
                f"must be {want} (got {value!r})", file=source.file, source=source.name, field=key
            )


def parse_sources(text: str, *, file: str | None = None) -> list[Source]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"not valid TOML: {exc}", file=file) from exc
    except RecursionError:  # arrays or tables nested thousands deep
        raise SourceError("not valid TOML: nested too deep", file=file) from None
    entries = doc.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SourceError("expected [[source]] tables", file=file)
    sources = [source_from_mapping(entry, file=file, index=i) for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for src in sources:
        if src.name in seen:
            raise SourceError("duplicate name", file=file, source=src.name, field="name")
        seen.add(src.name)
    return sources


def load_sources(path: Path) -> list[Source]:
    """Read and validate a sources file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SourceError("file not found", file=str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read: {exc}", file=str(path)) from exc
    return parse_sources(text, file=str(path))


def find_source(sources: list[Source], name: str) -> Source:
    for src in sources:
        if src.name == name:
            return src
    known = ", ".join(s.name for s in sources) or "none"
    raise SourceError(f"no source named {name!r} (known: {known})")


def toml_scalar(text: str) -> Any:
    """A command-line value as TOML reads it (``3`` an int, ``true`` a bool), else the text."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def adhoc_source(spider: str, urls: list[str], **options: Any) -> Source:
    """A source for ``dsi crawl --spider S --url U`` (named after spider and first host)."""
    try:
        host = urlsplit(urls[0]).hostname or "adhoc"
    except ValueError:  # the URL check below names it
        host = "adhoc"
    data: dict[str, Any] = {"name": f"adhoc-{spider}-{host}", "spider": spider, "urls": urls}
    data.update(options)
    return source_from_mapping(data, file=None)
