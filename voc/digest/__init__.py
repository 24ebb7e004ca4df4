"""The weekly pain-point digest, in Markdown and self-contained HTML, from the warehouse views.

For CX and service managers: for one ISO week, what hurts customers most, where in the journey,
whether it is growing, which team owns it and what customers literally say. See ``docs/digest.md``.

    from voc.digest import build_digest, render_html
    with open_warehouse(settings, read_only=True) as con:
        d = build_digest(con)                  # latest week with data
    Path("digest.html").write_text(render_html(d), encoding="utf-8")

Or in one call: ``write_digest(settings)`` → ``(digest-2026-W41.md, digest-2026-W41.html)``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from voc.digest.build import build_digest
from voc.digest.model import Digest, Headline, Metric, PainPointRow, Quote, StageRow, WeekPoint
from voc.digest.render import render_html, render_markdown

if TYPE_CHECKING:
    from voc.config import Settings

__all__ = [
    "Digest",
    "Headline",
    "Metric",
    "PainPointRow",
    "Quote",
    "StageRow",
    "WeekPoint",
    "build_digest",
    "render_html",
    "render_markdown",
    "write_digest",
]


def write_digest(settings: Settings, week: date | None = None) -> tuple[Path, Path]:
    """Write ``digest-<iso_week>.md`` and ``.html`` for ``week`` (default: latest week with data) into
    ``settings.digest_dir``, reading the warehouse read-only. Returns ``(markdown_path, html_path)``."""
    from voc.warehouse import open_warehouse

    with open_warehouse(settings, read_only=True) as con:
        d = build_digest(con, week)
    out = Path(settings.digest_dir)
    out.mkdir(parents=True, exist_ok=True)
    md, html = out / f"digest-{d.iso_week}.md", out / f"digest-{d.iso_week}.html"
    _write_atomic(md, render_markdown(d))
    _write_atomic(html, render_html(d))
    return md, html


def _write_atomic(path: Path, text: str) -> None:
    """Write next to ``path`` then rename, so a reader never sees half a digest."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
