"""Parse the typed fields of a feedback record: time, star rating, survey score, counts.

Each parser takes the raw value (a string from CSV, or any JSON value) and returns the typed
value, ``None`` when the value is empty, or raises :class:`BadValue` with a short reason.

>>> from zoneinfo import ZoneInfo
>>> parse_time("Mon Oct 05 14:03:00 +0800 2026", ZoneInfo("Asia/Shanghai"))
datetime.datetime(2026, 10, 5, 14, 3)
>>> parse_rating("4星"), parse_count("1.2万")
(4.0, 12000)
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any

from voc.pii import mask_pii

#: Values that mean "no value" in spreadsheet and database exports (compared case-insensitively).
#: Times outside these years are typos or placeholders, not feedback dates.
MIN_YEAR, MAX_YEAR = 1990, 2100
NULLS = frozenset({"", "null", "none", "nan", "n/a", "#n/a", "-"})
_NULL_EXACT = frozenset({v for n in NULLS for v in (n, n.upper(), n.title(), n.capitalize())} | {"NaN"})
# Full-width digits and date punctuation, as typed on Chinese keyboards.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９：／－．＋　", "0123456789:/-.+ ")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_CN_NUMERALS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_COUNT_UNITS = {"": 1, "k": 1_000, "千": 1_000, "w": 10_000, "万": 10_000, "亿": 100_000_000}

_EPOCH = re.compile(r"(\d{9,10})(?:\.\d+)?|(\d{12,13})")
# 2026-10-05 14:03, 2026/10/5 9:03:00, 2026.10.05, 2026年10月5日 14时03分, with optional offset.
_YMD = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[T\s]*(\d{1,2})\s*[:时]\s*(\d{1,2})\s*(?:[:分]\s*(\d{1,2})(?:\.(\d{1,6})\d*)?\s*秒?|分)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
)
# Weibo API: "Mon Oct 05 14:03:00 +0800 2026".
_WEIBO = re.compile(
    r"[A-Za-z]{3},?\s+([A-Za-z]{3})\s+(\d{1,2})\s+"
    r"(\d{1,2}):(\d{2}):(\d{2})\s+([+-]\d{4})\s+(\d{4})"
)
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")
# 4, 4.5, 4星, 4 stars, 4分, 4/5, 4颗星
_RATING = re.compile(r"(\d+(?:\.\d+)?)\s*(?:颗?星|分|stars?|/\s*5)?", re.IGNORECASE)
_STAR_GLYPHS = re.compile(r"[★☆]+")
_SCORE = re.compile(r"(\d+(?:\.0+)?)\s*分?")
_COUNT = re.compile(r"(\d+(?:\.\d+)?)\s*([kw千万亿]?)\s*\+?", re.IGNORECASE)


class BadValue(ValueError):
    """A value that cannot be parsed; the message is the rejection reason."""


def is_null(value: Any) -> bool:
    """True for ``None`` and the empty markers of :data:`NULLS` (any case, surrounding blanks)."""
    if value is None or value in _NULL_EXACT:
        return True
    if type(value) is not str or not (value[0].isspace() or value[-1].isspace()):  # noqa: E721
        return False
    return value.strip().lower() in NULLS


def parse_time(value: Any, tz: tzinfo) -> datetime:
    """A naive local datetime in ``tz``; values with an offset (or epochs) are converted to ``tz``.

    Accepts ISO 8601, ``2026-10-05 14:03``, ``2026/10/05 14:03:00``, ``2026年10月5日``, epoch
    seconds or milliseconds, and Weibo's ``Mon Oct 05 14:03:00 +0800 2026``.
    """
    if is_null(value):
        raise BadValue("missing time")
    dt = _to_datetime(value)
    if dt is None:
        raise BadValue(f"unparseable time: {_show(value)}")
    if dt.tzinfo is not None:
        dt = dt.astimezone(tz).replace(tzinfo=None)
    if not MIN_YEAR <= dt.year <= MAX_YEAR:  # an epoch of 0, a year typed as 0026...
        raise BadValue(f"implausible time: {_show(value)}")
    return dt


def _to_datetime(value: Any) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(float(value))
    text = str(value).strip()
    try:
        if text[:1].isalpha():  # Weibo: "Mon Oct 05 14:03:00 +0800 2026"
            m = _WEIBO.fullmatch(text)
            return _from_weibo(m) if m else None
        if not text.isdigit():  # digits only would be an epoch, which fromisoformat misreads
            try:
                return datetime.fromisoformat(text)  # the common case, and the fastest
            except ValueError:
                pass
        text = text.translate(_HALF_WIDTH)
        if _EPOCH.fullmatch(text):
            return _from_epoch(float(text))
        m = _YMD.fullmatch(text)
        return _from_ymd(m) if m else None
    except (ValueError, KeyError):  # month 13, "Foo" as a month name...
        return None


def _from_epoch(seconds: float) -> datetime | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _from_ymd(m: re.Match[str]) -> datetime:
    y, mo, d, h, mi, s, frac, off = m.groups()
    micro = int(frac.ljust(6, "0")) if frac else 0
    dt = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), micro)
    return dt.replace(tzinfo=_offset(off)) if off else dt


def _from_weibo(m: re.Match[str]) -> datetime:
    mon, d, h, mi, s, off, y = m.groups()
    return datetime(int(y), _MONTHS[mon.lower()], int(d), int(h), int(mi), int(s), tzinfo=_offset(off))


@lru_cache(maxsize=64)
def _offset(text: str) -> tzinfo:
    if text in ("Z", "UTC", "GMT"):
        return UTC
    m = _OFFSET.fullmatch(text)
    if m is None:
        raise ValueError(text)
    sign, hh, mm = m.groups()
    minutes = (int(hh) * 60 + int(mm)) * (-1 if sign == "-" else 1)
    return timezone(timedelta(minutes=minutes))


def parse_rating(value: Any) -> float | None:
    """A 1-5 star rating: ``4``, ``4.5``, ``4星``, ``４``, ``五星``, ``★★★★☆``; empty -> None."""
    if is_null(value):
        return None
    n = _number(value, _RATING)
    if n is None:
        n = _stars_or_numeral(str(value).strip())
    if n is None or not 1 <= n <= 5:
        raise BadValue(f"bad rating (expected 1-5): {_show(value)}")
    return n


def _stars_or_numeral(text: str) -> float | None:
    if _STAR_GLYPHS.fullmatch(text):
        return float(text.count("★"))
    text = text.removesuffix("星").removesuffix("颗").removesuffix("分")
    return float(_CN_NUMERALS[text]) if text in _CN_NUMERALS else None


def parse_score(value: Any, score_type: str) -> float | None:
    """A survey score: whole numbers, NPS 0-10 or CSAT 1-5 (``9``, ``９``, ``9分``); empty -> None."""
    if is_null(value):
        return None
    low, high = (0, 10) if score_type == "nps" else (1, 5)
    n = _number(value, _SCORE)
    if n is None or not low <= n <= high or n != int(n):
        raise BadValue(f"bad score (expected {score_type.upper()} {low}-{high}): {_show(value)}")
    return n


def parse_count(value: Any, name: str = "count") -> int | None:
    """A non-negative count: ``12``, ``1,234``, ``1.2万`` (12000), ``3k``, ``100+``; empty -> None."""
    if is_null(value):
        return None
    try:
        n = int(value)  # 12, "12", "１２": the common case, and the fastest
    except (TypeError, ValueError):
        pass
    else:
        if n < 0 or isinstance(value, bool) or (isinstance(value, float) and n != value):
            raise BadValue(f"bad {name} (expected a count): {_show(value)}")
        return n
    m = _COUNT.fullmatch(str(value).strip().translate(_HALF_WIDTH).replace(",", ""))
    if m is None:
        raise BadValue(f"bad {name} (expected a count): {_show(value)}")
    return round(float(m.group(1)) * _COUNT_UNITS[m.group(2).lower()])


def parse_str(value: Any) -> str | None:
    """A short label (product, store, touchpoint): stripped; empty -> None."""
    return None if is_null(value) else str(value).strip()


def _number(value: Any, pattern: re.Pattern[str]) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(value)  # "4", " 4.5 ", full-width "４": the common case, and the fastest
    except (TypeError, ValueError):
        pass
    m = pattern.fullmatch(str(value).strip().translate(_HALF_WIDTH))
    return float(m.group(1)) if m else None


def _show(value: Any) -> str:
    """A value quoted for a rejection reason: short and PII-masked."""
    text = repr(value if isinstance(value, (int, float)) else str(value))
    return mask_pii(text if len(text) <= 42 else text[:40] + "…")
