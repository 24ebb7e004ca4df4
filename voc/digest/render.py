"""Render a :class:`Digest` with the Jinja2 templates in ``voc/templates/``.

HTML goes through an autoescaping environment: every quote, label and source name is escaped, and
the page is one self-contained file (inline CSS and SVG, no scripts, no external assets). Markdown
goes through a plain environment whose ``md`` filter backslash-escapes what a Markdown renderer
would otherwise take as markup or raw HTML.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from voc.digest.charts import bar_chart, line_chart
from voc.digest.model import Digest, Metric, PainPointRow

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
KIND_LABELS = {"review": "评论", "survey": "问卷", "social": "社交"}
NONE = "—"
# Characters a Markdown renderer would read as emphasis, code, table cells or inline HTML.
# "_" is left alone (intraword it is not emphasis) and so are brackets, so "[怒]" stays readable;
# only "](" is escaped, which is what would turn customer text into a link.
_MD_SPECIAL = re.compile(r"([\\`*<>|]|\](?=\())")
_MD_LINE_START = re.compile(r"^([#>+\-=]|\d+(?=\.))")  # headings, quotes, lists: "\#", "1\."
_WHITESPACE = re.compile(r"\s+")


# --- filters -----------------------------------------------------------------------------------


def md_escape(text: object) -> str:
    """Text safe inside a Markdown paragraph or table cell: one line, markup characters escaped."""
    flat = _WHITESPACE.sub(" ", str(text)).strip()
    return _MD_LINE_START.sub(_escape_line_start, _MD_SPECIAL.sub(r"\\\1", flat))


def _escape_line_start(m: re.Match) -> str:
    mark = m.group(1)
    return mark + "\\" if mark[0].isdigit() else "\\" + mark  # "1\." is a list no more, "\#" no heading


def fmt_int(v: float | None) -> str:
    return NONE if v is None else f"{int(round(v)):,}"


def fmt_pct(v: float | None, digits: int = 1) -> str:
    return NONE if v is None else f"{100 * v:.{digits}f}%"


def fmt_signed(v: float | None, digits: int = 2) -> str:
    if v is None:
        return NONE
    if abs(v) < 0.5 * 10**-digits:  # no "+0.00" / "-0.00"
        return f"{0:.{digits}f}"
    return f"{v:+.{digits}f}"


def fmt_points_pct(v: float | None) -> str:
    """A score already in percent (CSAT 0-100)."""
    return NONE if v is None else f"{v:.0f}%"


def fmt_pp(v: float | None) -> str:
    """A change of a share, in percentage points."""
    return NONE if v is None else f"{fmt_signed(100 * v, 1)}pp"


def fmt_delta(m: Metric, kind: str) -> str:
    """The change of one headline metric, worded for its kind: count, score, share or points."""
    if m.delta is None:
        return NONE
    if kind == "count":
        rel = f" ({fmt_signed(100 * m.relative, 1)}%)" if m.relative is not None else ""
        return f"{fmt_signed(m.delta, 0)}{rel}"
    if kind == "share":
        return fmt_pp(m.delta)
    return fmt_signed(m.delta, 0 if kind == "points" else 2)


def fmt_growth_ratio(p: PainPointRow) -> str:
    if p.growth_ratio is None:
        return "新出现" if p.volume else NONE
    return f"{fmt_signed(100 * p.growth_ratio, 0)}%"


def fmt_num(v: float | None, digits: int = 1) -> str:
    """A plain number (a baseline mean, a z-score, a mean score)."""
    return NONE if v is None else f"{v:.{digits}f}"


def fmt_times(v: float | None) -> str:
    """A multiple of the baseline: ×3.5."""
    return NONE if v is None else f"×{v:.1f}"


def arrow(delta: float | None) -> str:
    """The direction of a change (its colour, good or bad, is the template's business)."""
    if delta is None:
        return ""
    if abs(delta) < 1e-9:
        return "→"
    return "▲" if delta > 0 else "▼"


def day_zh(d: date) -> str:
    return f"{d.month}月{d.day}日"


def kind_zh(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


_FILTERS = {
    "int": fmt_int,
    "pct": fmt_pct,
    "signed": fmt_signed,
    "pp": fmt_pp,
    "points_pct": fmt_points_pct,
    "delta": fmt_delta,
    "growth_ratio": fmt_growth_ratio,
    "arrow": arrow,
    "num": fmt_num,
    "times": fmt_times,
    "day_zh": day_zh,
    "kind_zh": kind_zh,
}


# --- environments ------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _environment(html: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(_FILTERS)
    env.filters["md"] = md_escape
    return env


def render_markdown(d: Digest) -> str:
    """The digest as Markdown (tables, blockquotes), for chat tools, wikis and e-mail."""
    return _environment(False).get_template("digest.md.j2").render(d=d, dash=NONE)


def render_html(d: Digest) -> str:
    """The digest as one self-contained HTML page (inline CSS and SVG, printable, no JavaScript)."""
    ticks = [p.iso_week.split("-")[1] for p in d.trend]
    charts = {
        "sentiment": line_chart([p.avg_sentiment for p in d.trend], ticks),
        "nps": bar_chart([p.nps for p in d.trend], ticks),
    }
    return _environment(True).get_template("digest.html.j2").render(d=d, charts=charts, dash=NONE)
