"""Geometry for the inline SVG trend charts: numbers only, the HTML template draws them.

Keeping the markup in the (autoescaping) template and only coordinates here means no text reaches
the page without being escaped, and the charts can be tested as data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 320, 120
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 34, 8, 14, 22


@dataclass(frozen=True)
class Mark:
    """One week on a chart: its x, the y of its value (None: no data), and its labels."""

    x: float
    y: float | None
    label: str  # the value, formatted
    tick: str  # the week, e.g. "W41"
    negative: bool = False


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    tick: str
    negative: bool


@dataclass(frozen=True)
class Chart:
    """Everything the template needs to draw one chart of ``width`` x ``height``."""

    width: int
    height: int
    zero_y: float  # where the zero line goes (the ranges are symmetric around 0)
    top_label: str
    bottom_label: str
    marks: tuple[Mark, ...] = ()
    bars: tuple[Bar, ...] = ()

    @property
    def line(self) -> str:
        """``points`` of the polyline through consecutive weeks with data ("" when fewer than two)."""
        pts = [f"{m.x:.1f},{m.y:.1f}" for m in self.marks if m.y is not None]
        return " ".join(pts) if len(pts) > 1 else ""

    @property
    def plot_left(self) -> int:
        return PAD_LEFT

    @property
    def plot_right(self) -> int:
        return self.width - PAD_RIGHT

    @property
    def plot_bottom(self) -> int:
        return self.height - PAD_BOTTOM


def _signed(v: float, digits: int) -> str:
    return f"{0:.{digits}f}" if abs(v) < 0.5 * 10**-digits else f"{v:+.{digits}f}"


def _domain(values: Sequence[float | None], floor: float, pad: float) -> tuple[float, float]:
    """A range symmetric around 0 covering every value, at least ``floor`` each way, with headroom."""
    span = max([abs(v) for v in values if v is not None] + [floor])
    return -span * (1 + pad), span * (1 + pad)


def _scale(lo: float, hi: float, height: int):
    top, bottom = PAD_TOP, height - PAD_BOTTOM
    return lambda v: bottom - (v - lo) / (hi - lo) * (bottom - top)


def _xs(n: int, width: int) -> list[float]:
    left, right = PAD_LEFT, width - PAD_RIGHT
    step = (right - left) / max(n, 1)
    return [left + step * (i + 0.5) for i in range(n)]


def line_chart(
    values: Sequence[float | None],
    ticks: Sequence[str],
    *,
    floor: float = 0.2,
    digits: int = 2,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """A line over weeks, scaled symmetrically around 0 (sentiment: below the line is negative)."""
    lo, hi = _domain(values, floor, 0.15)
    y = _scale(lo, hi, height)
    marks = tuple(
        Mark(
            x,
            None if v is None else y(v),
            "" if v is None else _signed(v, digits),
            t,
            v is not None and v < 0,
        )
        for x, v, t in zip(_xs(len(values), width), values, ticks, strict=True)
    )
    return Chart(width, height, y(0.0), _signed(hi, digits), _signed(lo, digits), marks=marks)


def bar_chart(
    values: Sequence[float | None],
    ticks: Sequence[str],
    *,
    floor: float = 20.0,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """Bars from the zero line (NPS: up is net promoters, down is net detractors)."""
    lo, hi = _domain(values, floor, 0.2)
    y = _scale(lo, hi, height)
    xs = _xs(len(values), width)
    bar_w = (xs[1] - xs[0]) * 0.6 if len(xs) > 1 else 20.0
    zero = y(0.0)
    bars = tuple(
        Bar(x - bar_w / 2, min(y(v), zero), bar_w, max(abs(y(v) - zero), 1.0), _signed(v, 0), t, v < 0)
        for x, v, t in zip(xs, values, ticks, strict=True)
        if v is not None
    )
    # ticks for weeks without bars too
    marks = tuple(Mark(x, None, "", t) for x, t in zip(xs, ticks, strict=True))
    return Chart(width, height, zero, _signed(hi, 0), _signed(lo, 0), marks=marks, bars=bars)
