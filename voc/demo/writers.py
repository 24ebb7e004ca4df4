"""Write the demo's file drops in the layout ``voc.toml`` expects, with their encodings and the
rows broken on purpose.

=========  ===================================  ==========================================
kind       file                                 columns
=========  ===================================  ==========================================
review     reviews/reviews_<ISO week>.csv       review_id, content, stars, product, store,
                                                created_at
survey     surveys/nps_<ISO week>.csv           回复编号, 推荐意愿, 开放意见, 触点, 提交时间
social     social/weibo_<ISO week>.jsonl        mid, text, user, attitudes_count,
                                                reposts_count, created_at
=========  ===================================  ==========================================
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voc.demo.manifest import BadRow, DemoFile


@dataclass(frozen=True)
class Layout:
    folder: str
    prefix: str
    suffix: str
    source: str  # source name in voc.toml
    columns: tuple[str, ...]
    text: str  # the text column
    time: str  # the time column


LAYOUTS = {
    "review": Layout(
        "reviews",
        "reviews_",
        ".csv",
        "shop_reviews",
        ("review_id", "content", "stars", "product", "store", "created_at"),
        "content",
        "created_at",
    ),
    "survey": Layout(
        "surveys",
        "nps_",
        ".csv",
        "nps_survey",
        ("回复编号", "推荐意愿", "开放意见", "触点", "提交时间"),
        "开放意见",
        "提交时间",
    ),
    "social": Layout(
        "social",
        "weibo_",
        ".jsonl",
        "weibo",
        ("mid", "text", "user", "attitudes_count", "reposts_count", "created_at"),
        "text",
        "created_at",
    ),
}
# Bytes that are neither UTF-8 nor a sensible GB18030 sequence, as a broken export leaves them.
BAD_BYTES = b"\xff\xfe\xfa"
_PLACEHOLDER = "\x00BADBYTES\x00"
HUGE_CHARS = 100_000


def file_encoding(kind: str, week: int) -> str:
    """The encoding of one weekly file: mostly UTF-8, two with a BOM, one legacy GBK export."""
    if kind == "review" and week == 2:
        return "gbk"
    if (kind == "review" and week == 0) or (kind == "survey" and week == 4):
        return "utf-8-sig"
    return "utf-8"


def gbk_safe(text: str) -> str:
    """``text`` without the characters GBK cannot hold (emoji), as a legacy export drops them."""
    return text.encode("gbk", errors="ignore").decode("gbk")


# -- rows broken on purpose: (kind, week index, what, how) -------------------------------------


def _empty(row: dict[str, Any], lay: Layout) -> dict[str, Any]:
    return row | {lay.text: ""}


def _huge(row: dict[str, Any], lay: Layout) -> dict[str, Any]:
    text = row[lay.text] or "复制粘贴"
    return row | {lay.text: (text * (HUGE_CHARS // len(text) + 1))[:HUGE_CHARS]}


def _bad_bytes(row: dict[str, Any], lay: Layout) -> dict[str, Any]:
    text = row[lay.text]
    return row | {lay.text: text[: len(text) // 2] + _PLACEHOLDER + text[len(text) // 2 :]}


def _bad_time(row: dict[str, Any], lay: Layout) -> dict[str, Any]:
    return row | {lay.time: "昨天下午3点"}


def _bad_score(row: dict[str, Any], lay: Layout) -> dict[str, Any]:
    return row | {"推荐意愿": "11"}


def _bad_json(row: dict[str, Any], lay: Layout) -> str:
    line = json.dumps(row, ensure_ascii=False)
    return line[: len(line) * 2 // 3]  # cut off mid-record, as a crashed export leaves it


BAD_PLAN: tuple[tuple[str, Callable[[int], int], str, Callable[..., Any]], ...] = (
    ("review", lambda weeks: 1, "empty text", _empty),
    ("review", lambda weeks: 3, f"{HUGE_CHARS}-char text", _huge),
    ("review", lambda weeks: weeks - 1, "undecodable bytes", _bad_bytes),
    ("survey", lambda weeks: 1, "unparseable time", _bad_time),
    ("survey", lambda weeks: 2, "out-of-range NPS score (11)", _bad_score),
    ("social", lambda weeks: 3, "malformed JSON line", _bad_json),
)


def plant_bad_rows(
    kind: str, week: int, weeks: int, rows: list[Any], bad_id: Callable[[], str], rng: random.Random
) -> list[tuple[str, str]]:
    """Insert this file's broken rows into ``rows`` (in place); returns their (id, what)."""
    lay = LAYOUTS[kind]
    planted = []
    for bad_kind, at, what, breaker in BAD_PLAN:
        if bad_kind != kind or at(weeks) != week or not rows:
            continue
        row_id = bad_id()
        template = dict(rng.choice(rows)) | {lay.columns[0]: row_id}
        rows.insert(rng.randrange(len(rows) + 1), breaker(template, lay))
        planted.append((row_id, what))
    return planted


# -- encoding and writing --------------------------------------------------------------------


def encode_rows(kind: str, rows: list[Any], encoding: str) -> bytes:
    """The file's bytes: CSV with a header, or JSON lines (a ``str`` row is written as is)."""
    lay = LAYOUTS[kind]
    out = io.StringIO()
    if lay.suffix == ".csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(lay.columns)
        writer.writerows([row[c] for c in lay.columns] for row in rows)
    else:
        for row in rows:
            out.write((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n")
    text = out.getvalue()
    if encoding == "gbk":
        text = gbk_safe(text)
    return text.encode(encoding).replace(_PLACEHOLDER.encode(encoding), BAD_BYTES)


def write_drop(
    out_dir: Path, kind: str, week_label: str, rows: list[Any], encoding: str, bad: list[tuple[str, str]]
) -> tuple[DemoFile, list[BadRow]]:
    """Write one weekly file; returns its manifest entry and its bad rows."""
    lay = LAYOUTS[kind]
    rel = f"{lay.folder}/{lay.prefix}{week_label}{lay.suffix}"
    path = Path(out_dir) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode_rows(kind, rows, encoding))
    entry = DemoFile(rel, lay.source, kind, week_label, encoding, len(rows) - len(bad), len(bad))
    return entry, [BadRow(rel, row_id, what) for row_id, what in bad]
