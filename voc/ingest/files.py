"""File drops: list a source's files, fingerprint them, decode them, split them into records.

Nothing here knows what a review or a survey is: a file becomes a stream of :class:`RawRecord`
(``column -> value`` plus the line it started on), or of records that could not be parsed, each
with a reason. One bad byte sequence, one malformed JSON line or one short CSV row costs that
record only, never the whole file.

>>> table = open_table("id,text\\n1,好评\\n".encode(), "csv", "auto")
>>> table.columns, [(r.line, r.values) for r in table.records]
(('id', 'text'), [(2, {'id': '1', 'text': '好评'})])
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: File extension -> format, used when a source's ``format`` is ``auto``.
EXTENSION_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
UTF8_BOM = b"\xef\xbb\xbf"
# Undecodable bytes come out of errors="surrogateescape" as lone surrogates U+DC80..U+DCFF.
_ESCAPED = re.compile("[\udc80-\udcff]")
# GB18030 maps almost any byte pair somewhere; UTF-8 read as GB18030 lands in the private-use
# area, so those count as errors when choosing between the two.
_ESCAPED_OR_PRIVATE = re.compile("[\udc80-\udcff\ue000-\uf8ff]")
_GLOB_CHARS = re.compile(r"[*?\[]")
# JSON may spell half of a surrogate pair as an escape ("\\ud83d"): valid JSON, unstorable text.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")

# Quoted fields may legitimately be long (a 100,000-character text must reach the length check
# and be rejected there, not crash the reader); the default limit is 131,072.
csv.field_size_limit(1 << 30)


@dataclass(slots=True)
class RawRecord:
    """One record of a file: ``values`` maps column (or JSON key) to value.

    ``error`` is set when the record could not be parsed or decoded; ``values`` is then whatever
    could be recovered (possibly ``None``) and ``raw`` holds the record as read, for the
    rejected payload.
    """

    line: int  # 1-based line where the record starts
    values: dict[str, Any] | None
    error: str | None = None
    raw: Any = None


@dataclass(slots=True)
class Table:
    """A decoded file: its encoding, its header (CSV/TSV only) and its records, lazily."""

    encoding: str
    bad_bytes: int  # undecodable bytes in the whole file
    columns: tuple[str, ...] | None  # None for JSONL, whose keys may vary per line
    records: Iterator[RawRecord]


def list_files(path: Path, pattern: str = "*") -> list[Path]:
    """The files of a source, sorted: ``path`` is a file, a folder (filtered by ``pattern``) or a glob."""
    path = Path(path)
    if _GLOB_CHARS.search(str(path)):
        found = (Path(p) for p in glob.glob(str(path), recursive=True))
    elif path.is_dir():
        found = path.glob(pattern)
    else:
        found = iter([path] if path.exists() else [])
    return sorted(p for p in found if p.is_file() and not p.name.startswith("."))


def file_format(path: Path, configured: str) -> str | None:
    """``csv``, ``tsv`` or ``jsonl``: the configured format, else by extension (None if unknown)."""
    if configured != "auto":
        return configured
    return EXTENSION_FORMATS.get(path.suffix.lower())


def sha256(data: bytes) -> str:
    """The fingerprint of a file drop: a second run skips files it has already ingested."""
    return hashlib.sha256(data).hexdigest()


def detect_encoding(data: bytes, configured: str = "auto") -> tuple[str, int]:
    """The codec to read ``data`` with and how many bytes it cannot decode.

    ``auto``: UTF-8 (``utf-8-sig`` when a BOM is present) if it decodes cleanly, else whichever
    of UTF-8 and GB18030 (a superset of GBK and GB2312) leaves fewer errors; ties go to UTF-8.
    """
    has_bom = data.startswith(UTF8_BOM)
    if configured in ("utf-8", "utf-8-sig"):
        codec = "utf-8-sig" if has_bom else "utf-8"
        return codec, _count_errors(data, codec, _ESCAPED)
    if configured != "auto":
        return configured, _count_errors(data, configured, _ESCAPED)
    utf8 = "utf-8-sig" if has_bom else "utf-8"
    try:
        data.decode(utf8)
        return utf8, 0
    except UnicodeDecodeError:
        pass
    utf8_errors = _count_errors(data, utf8, _ESCAPED)
    if has_bom:  # a BOM is a deliberate UTF-8 marker; never second-guess it
        return utf8, utf8_errors
    as_gb = data.decode("gb18030", errors="surrogateescape")
    if _count(_ESCAPED_OR_PRIVATE, as_gb) < utf8_errors:
        return "gb18030", _count(_ESCAPED, as_gb)
    return utf8, utf8_errors


def _count_errors(data: bytes, codec: str, pattern: re.Pattern[str]) -> int:
    return _count(pattern, data.decode(codec, errors="surrogateescape"))


def _count(pattern: re.Pattern[str], text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def open_table(data: bytes, fmt: str, encoding: str = "auto") -> Table:
    """Decode ``data`` and split it into records (``fmt``: csv, tsv or jsonl)."""
    codec, bad = detect_encoding(data, encoding)
    stream = io.TextIOWrapper(
        io.BytesIO(data),
        encoding=codec,
        errors="surrogateescape",
        newline="" if fmt in ("csv", "tsv") else None,
    )
    undecodable = f"undecodable bytes (not {'utf-8/gb18030' if encoding == 'auto' else encoding})"
    if fmt == "jsonl":
        return Table(codec, bad, None, _jsonl_records(stream, bad > 0, undecodable))
    if fmt not in ("csv", "tsv"):
        raise ValueError(f"unknown format {fmt!r} (expected csv, tsv or jsonl)")
    reader = csv.reader(stream, dialect="excel-tab" if fmt == "tsv" else "excel")
    header = _header(reader)
    return Table(codec, bad, header, _csv_records(reader, header, bad > 0, undecodable))


def iter_records(path: Path, fmt: str, encoding: str = "auto") -> Iterator[RawRecord]:
    """The records of one file (a convenience over :func:`open_table`)."""
    return open_table(Path(path).read_bytes(), fmt, encoding).records


def _header(reader: Any) -> tuple[str, ...]:
    for row in reader:
        if any(cell.strip() for cell in row):
            return tuple(cell.strip() for cell in row)
    return ()


def _csv_records(reader: Any, header: tuple[str, ...], check: bool, undecodable: str) -> Iterator[RawRecord]:
    width = len(header)
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield RawRecord(start, None, f"malformed CSV: {err}")
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line is not a record
        if len(row) != width and not _only_empty_extras(row, width):
            yield RawRecord(line, None, f"wrong number of fields: expected {width}, got {len(row)}", row)
            continue
        values = dict(zip(header, row, strict=False))
        if check and _ESCAPED.search("".join(row)):
            yield RawRecord(line, values, undecodable)
            continue
        yield RawRecord(line, values)


def _only_empty_extras(row: list[str], width: int) -> bool:
    """Spreadsheet exports often pad rows with trailing empty cells; those are harmless."""
    return len(row) > width and not any(cell.strip() for cell in row[width:])


def _jsonl_records(stream: io.TextIOWrapper, check: bool, undecodable: str) -> Iterator[RawRecord]:
    loads = json.loads
    for number, text in enumerate(stream, 1):
        text = text.rstrip("\r\n")
        if not text.strip():
            continue
        if check and _ESCAPED.search(text):
            yield RawRecord(number, None, undecodable, text)
            continue
        try:
            obj = loads(text)
        except ValueError as err:
            yield RawRecord(number, None, f"invalid JSON: {_json_reason(err)}", text)
            continue
        if not isinstance(obj, dict):
            yield RawRecord(number, None, f"invalid JSON: expected an object, got {type(obj).__name__}", obj)
            continue
        if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(obj):
            yield RawRecord(number, None, "invalid JSON: lone surrogate escape (half an emoji?)", text)
            continue
        yield RawRecord(number, obj)


def _has_lone_surrogate(obj: dict[str, Any]) -> bool:
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _json_reason(err: ValueError) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg} (column {err.colno})"
    return str(err)
