"""Map one record (``column -> value``) of a source to a :class:`~voc.records.RawFeedback`.

The column map of ``[sources.NAME]`` says which column holds which field; the source's kind
says which fields exist (see ``voc.config.SOURCE_FIELDS``). PII is masked here, before anything
is stored: in the text, the author, and in the payload of a rejected record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from datetime import tzinfo
from functools import partial
from typing import Any

from voc.ingest.values import BadValue, is_null, parse_count, parse_rating, parse_score, parse_str, parse_time
from voc.pii import mask_pii
from voc.records import RawFeedback, stable_id

#: A rejected payload longer than this is cut (the origin still points at the full record).
PAYLOAD_MAX_CHARS = 10_000
_ESCAPED = re.compile("[\udc80-\udcff]")
_MISSING = object()


def _author(value: Any) -> str | None:
    text = parse_str(value)
    return mask_pii(text) if text else None  # a handle can be a phone number


class RecordMapper:
    """Turns records of one source into feedback items, or raises :class:`BadValue` with a reason.

    >>> from zoneinfo import ZoneInfo
    >>> m = RecordMapper("shop", "review", {"text": "评价", "created_at": "时间", "rating": "星级"},
    ...                  tz=ZoneInfo("Asia/Shanghai"))
    >>> fb = m.map({"评价": "送货快，电话13812345678", "时间": "2026/10/05 14:03", "星级": "5星"}, "a.csv:2")
    >>> fb.text, fb.rating, fb.created_at.isoformat()
    ('送货快，电话[手机号]', 5.0, '2026-10-05T14:03:00')
    """

    def __init__(
        self,
        source: str,
        kind: str,
        columns: dict[str, str],
        *,
        tz: tzinfo,
        score_type: str | None = None,
        max_text_chars: int = 5000,
    ) -> None:
        self.source = source
        self.kind = kind
        self.columns = dict(columns)
        self.tz = tz
        self.score_type = score_type if kind == "survey" else None
        self.max_text_chars = max_text_chars
        self._id = columns.get("id")
        self._text = columns["text"]
        self._time = columns["created_at"]
        self._nested = any("." in c for c in columns.values())  # JSON paths like user.screen_name
        self._extras = [
            (f, c, self._parser(f)) for f, c in columns.items() if f not in ("id", "text", "created_at")
        ]

    def _parser(self, fld: str) -> Callable[[Any], Any]:
        if fld == "rating":
            return parse_rating
        if fld == "score":
            return partial(parse_score, score_type=self.score_type or "nps")
        if fld in ("likes", "reposts"):
            return partial(parse_count, name=fld)
        if fld == "author":
            return _author
        return parse_str

    def missing_columns(self, available: Collection[str], filename: str) -> list[str]:
        """One line per configured column absent from a file, naming the config key and the file."""
        return [
            f"sources.{self.source}.columns.{fld}: column '{col}' not in {filename}"
            for fld, col in self.columns.items()
            if not _has(available, col)
        ]

    def map(self, values: dict[str, Any], origin: str) -> RawFeedback:
        """The feedback item of one record; raises :class:`BadValue` when it cannot land."""
        get = partial(_get, values) if self._nested else values.get
        text = get(self._text)
        text = "" if text is None else str(text).strip()
        if is_null(text):
            raise BadValue("empty text")
        if len(text) > self.max_text_chars:
            raise BadValue(f"text longer than {self.max_text_chars} characters: {len(text)}")
        created_at = parse_time(get(self._time), self.tz)
        extras = {fld: parse(get(col)) for fld, col, parse in self._extras}
        text = mask_pii(text)
        source_id = "" if self._id is None else _id_text(get(self._id))
        fid = stable_id(self.source, source_id) if source_id else stable_id(self.source, created_at, text)
        return RawFeedback(
            id=fid,
            source=self.source,
            kind=self.kind,
            source_id=source_id,  # type: ignore[arg-type]
            text=text,
            created_at=created_at,
            score_type=self.score_type,  # type: ignore[arg-type]
            origin=origin,
            **extras,
        )


def _id_text(value: Any) -> str:
    return "" if is_null(value) else str(value).strip()


def _get(values: dict[str, Any], column: str) -> Any:
    """``values[column]``; a dotted column reaches into nested JSON (``user.screen_name``)."""
    value = values.get(column, _MISSING)
    if value is _MISSING:
        value = values
        for part in column.split("."):
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
    return value


def _has(available: Collection[str], column: str) -> bool:
    if column in available:
        return True
    head = column.split(".", 1)[0]
    return "." in column and head in available


def payload(obj: Any, keep: str | None = None) -> str:
    """A record as it was read, for a rejection: JSON text, PII-masked, undecodable bytes shown as
    ``\\xNN``, cut at :data:`PAYLOAD_MAX_CHARS`. The value of column ``keep`` (the source's own
    id, which a long numeric id would otherwise lose to the bank-card mask) is left unmasked."""
    if obj is None:
        return ""
    if isinstance(obj, str):
        text = mask_pii(obj)
    elif isinstance(obj, dict) and keep in obj:
        text = (
            "{"
            + ", ".join(
                f"{_dumps(k)}: {_dumps(v) if k == keep else mask_pii(_dumps(v))}" for k, v in obj.items()
            )
            + "}"
        )
    else:
        text = mask_pii(_dumps(obj))
    if _ESCAPED.search(text):
        text = _ESCAPED.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)
    if len(text) > PAYLOAD_MAX_CHARS:
        text = f"{text[:PAYLOAD_MAX_CHARS]}…[cut, {len(text)} characters in all]"
    return text


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
