"""Hostile sources files give one-line errors that name the file, source and field (issue #24,
finding 7), and crawls run no remote-control (telnet) console."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_dsi


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("x = " + "[" * 2000 + "]" * 2000 + "\n", ["nested too deep"]),
        ("x = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n", ["nested too deep"]),
        ('[[source]]\nname = "civic"\nspider = "jobs"\nurls = ["http://[::1"]\n',
         ["source 'civic'", "field 'urls'", "http://[::1"]),
        ('[[source]]\nname = "civic"\nspider = "jobs"\nurls = ["http://a.org:99999/"]\n',
         ["source 'civic'", "field 'urls'"]),
    ],
)  # fmt: skip
def test_hostile_sources_file_is_one_line_error(
    tmp_path: Path, text: str, names: list[str]
) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    result = run_dsi("sources", "list", "--sources", str(path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    assert lines[0].startswith(f"Error: file {path}")
    for name in names:
        assert name in lines[0]


def test_crawls_run_no_telnet_console() -> None:
    from crawler.runner import project_settings

    assert project_settings().getbool("TELNETCONSOLE_ENABLED") is False
