"""One self-contained HTML page: charts embedded as PNG data, tables escaped (crawled text is
never trusted), no script, no font or style from the network."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reports.charts import Chart

STYLE = """
body { font-family: sans-serif; max-width: 1100px; margin: 1em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.8em; margin: 0.5em 0 1em; }
td, th { border: 1px solid #ddd; padding: 2px 6px; text-align: right; }
th { background: #f3f3f3; } figure { margin: 1em 0; } img { max-width: 100%; }
.note { background: #fff7e6; border-left: 4px solid #d9822b; padding: 0.5em 1em; }
figcaption, .small { font-size: 0.8em; color: #555; }
"""


@dataclass(slots=True)
class Section:
    anchor: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    #: caption -> table
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def _chart(chart: Chart, page: Path) -> str:
    data = base64.b64encode(chart.png.read_bytes()).decode("ascii")
    svg = chart.svg.relative_to(page.parent).as_posix()
    title = html.escape(chart.title)
    return (
        f'<figure><img alt="{title}" src="data:image/png;base64,{data}">'
        f'<figcaption>{title} (<a href="{html.escape(svg)}">SVG</a>)</figcaption></figure>'
    )


def _table(caption: str, frame: pd.DataFrame, max_rows: int = 40) -> str:
    shown = frame.head(max_rows)
    more = (
        f" (first {max_rows} of {len(frame)} rows; all in the CSV)" if len(frame) > max_rows else ""
    )
    body = shown.to_html(escape=True, na_rep="–", float_format=lambda v: f"{v:.3g}", border=0)
    return f"<h3>{html.escape(caption)}{html.escape(more)}</h3>{body}"


def write_page(
    page: Path, title: str, intro: list[str], caveats: list[str], sections: list[Section]
) -> Path:
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        *(f"<p>{html.escape(p)}</p>" for p in intro),
        '<div class="note" id="caveats">',
        *(f"<p>{html.escape(c)}</p>" for c in caveats),
        "</div>",
        "<nav><ul>",
        *(f'<li><a href="#{s.anchor}">{html.escape(s.title)}</a></li>' for s in sections),
        "</ul></nav>",
    ]
    for section in sections:
        parts.append(f'<section id="{section.anchor}"><h2>{html.escape(section.title)}</h2>')
        parts.extend(f"<p>{html.escape(p)}</p>" for p in section.paragraphs)
        parts.extend(_chart(c, page) for c in section.charts)
        parts.extend(_table(caption, frame) for caption, frame in section.tables.items())
        parts.append("</section>")
    parts.append("</body></html>")
    page.write_text("\n".join(parts), encoding="utf-8")
    return page


__all__ = ["Section", "write_page"]
