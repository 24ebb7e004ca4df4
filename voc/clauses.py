"""Split a normalized text into clauses, the unit that gets a sentiment score and a journey stage.

Separators are sentence and clause punctuation (``。!?;,~…`` and their full-width forms, a line
break, ``.`` or ``,`` unless inside a number like ``3.5`` or ``1,000``) and a space between two
Chinese characters (many customers use a space instead of a comma). Separators are dropped; a
clause keeps everything else, so an emoticon or emoji stays with the clause it follows, and a
fragment with fewer than two word characters (a lone ``啊``, an emoticon after ``!``) is merged
into its neighbour.

>>> split_clauses("东西不错,但是快递太慢了[怒]!啊")
['东西不错', '但是快递太慢了[怒]!啊']
"""

from __future__ import annotations

import re

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_EMOJI = "\u2600-\u27bf\U0001f000-\U0001faff"
#: One separator: punctuation that always ends a clause, . and , outside numbers, or a space run
#: between a Chinese character (or emoticon/emoji) and a Chinese character.
SEPARATOR = re.compile(
    rf"[。!?;~\n\r，！？；～…]+|(?<!\d)[.,]|[.,](?!\d)|(?<=[{_CJK}{_EMOJI}\]])[^\S\n\r]+(?=[{_CJK}])"
)
#: Every character that SEPARATOR can remove (plus whitespace): what may be lost in splitting.
SEPARATOR_CHARS = re.compile(r"[\s。!?;~，！？；～….,]")
_BRACKETED = re.compile(r"\[[^\[\]\s]{1,8}\]")  # emoticons [怒] and PII masks [手机号]
_TWO_WORD_CHARS = re.compile(r"\w\W*\w")


def _is_fragment(piece: str) -> bool:
    """Fewer than two word characters outside brackets: ``啊``, ``[怒]``, ``😡``."""
    if len(piece) > 8 and "[" not in piece:
        return False
    if "[" in piece:
        piece = _BRACKETED.sub("", piece)
    return _TWO_WORD_CHARS.search(piece) is None


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty piece between separators, whitespace stripped."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in SEPARATOR.finditer(text):
        _add(text, pos, m.start(), spans)
        pos = m.end()
    _add(text, pos, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        start += len(piece) - len(piece.lstrip())
        spans.append((start, start + len(stripped)))


def _merge_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Attach each fragment to the clause before it (or, at the start, to the one after it)."""
    out: list[tuple[int, int]] = []
    pending: int | None = None  # start of leading fragments waiting for a real clause
    for start, end in spans:
        if _is_fragment(text[start:end]):
            if out:
                out[-1] = (out[-1][0], end)
            elif pending is None:
                pending = start
            continue
        out.append((start if pending is None else pending, end))
        pending = None
    if pending is not None:  # nothing but fragments
        out.append((pending, spans[-1][1]))
    return out


def split_clauses(text: str) -> list[str]:
    """The clauses of a normalized text, in order; empty list for a text with no content.

    Joining the clauses gives back the text minus separators and whitespace.
    """
    spans = _spans(text)
    if len(spans) > 1:
        spans = _merge_fragments(text, spans)
    return [text[s:e] for s, e in spans]
