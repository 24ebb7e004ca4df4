"""Text normalization: small pure ``str -> str`` steps composed into :func:`normalize`.

Runs after :func:`voc.pii.mask_pii`; the masks it leaves (``[手机号]`` ...) pass through unchanged.
Each step is public and tested on its own; the compiled patterns and tables live in
:mod:`voc.normalize_tables`. ``docs/text.md`` explains every step with examples.

>>> normalize("東西不錯！！！！！//@小王: 轉發")
'东西不错!!!'
>>> normalize("＃雙十一＃ 快遞太慢了[怒] http://t.cn/A6x")
'双十一 快递太慢了[怒]'

``normalize`` is idempotent and never raises on any ``str``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import opencc

from voc import normalize_tables as T

_T2S = opencc.OpenCC("t2s")  # one converter per process: building it parses OpenCC's dictionaries


def remove_controls(text: str) -> str:
    """Drop control and invisible format characters; keep whitespace and emoji joiners."""
    return text if text.isprintable() else T.CONTROL.sub("", text)


def unify_width(text: str) -> str:
    """NFKC: full-width letters, digits and punctuation to half-width (``ＡＢ１，`` → ``AB1,``)."""
    if text.isascii():
        return text
    text = _replace_pairs(text, T.COMMON_FULL_WIDTH)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _replace_pairs(text, T.WIDTH_EXTRA)


def _replace_pairs(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese with OpenCC ``t2s`` (``東西不錯`` → ``东西不错``)."""
    if text.isascii():
        return text
    return _replace_pairs(_T2S.convert(text), T.T2S_FIXUPS)


def unwrap_topics(text: str) -> str:
    """``#话题#`` keeps its words: ``#双十一#快递慢`` → ``双十一快递慢``."""
    return T.TOPIC.sub(r"\1", text) if "#" in text else text


def remove_urls(text: str) -> str:
    """Web addresses carry no opinion; they are replaced by a space (the raw text keeps them)."""
    if "http" not in text and "HTTP" not in text and "www" not in text and "WWW" not in text:
        return text
    return T.URL.sub(" ", text)


def drop_repost_chain(text: str) -> str:
    """``own text//@a: reposted`` keeps the own text; a pure repost keeps the first reposted text."""
    if "//" not in text:
        return text
    parts = T.REPOST_SPLIT.split(text)
    own = parts[0].strip()
    if len(parts) == 1 or own not in T.EMPTY_REPOST:
        return own if len(parts) > 1 else text
    first = parts[1]
    head = T.REPOST_AUTHOR.match(first)
    return first[head.end() :] if head else "@" + first


def remove_mentions(text: str) -> str:
    """Drop ``@user`` mentions (and ``回复@user:``); a nickname with no visible end loses only its ``@``."""
    if "@" not in text:
        return text
    return T.BARE_AT.sub("", T.MENTION.sub("", text))


def collapse_repeats(text: str) -> str:
    """Cut runs of one character (not a digit) or one emoticon to three: ``哈哈哈哈哈`` → ``哈哈哈``."""
    text = T.REPEATED_CHAR.sub(r"\1\1\1", text)
    return T.REPEATED_EMOTICON.sub(r"\1\1\1", text) if "[" in text else text


def collapse_whitespace(text: str) -> str:
    """Line-break runs to one ``\\n``, other whitespace runs to one space, ends stripped."""
    if text.isprintable() and "  " not in text:  # only single spaces (every other space is unprintable)
        return text.strip()
    text = T.LINEBREAK_RUN.sub("\n", text)
    return T.SPACE_RUN.sub(" ", text).strip()


def _social(text: str) -> str:
    """Topics, URLs, repost chains and mentions, repeated until nothing changes.

    Removing one can expose another (``#@a#`` → ``@a``), so the block runs to a fixed point;
    texts without ``#``, ``@``, ``//`` or a URL (most reviews) pass straight through.
    """
    for _ in range(8):
        before = text
        text = remove_mentions(drop_repost_chain(remove_urls(unwrap_topics(text))))
        if text == before:
            break
    return text


#: The steps in order. Width comes before the social block (so ``＠`` and ``＃`` are found) and
#: the simplified conversion before the repeat collapse (two traditional characters can become one).
STEPS: tuple[Callable[[str], str], ...] = (
    remove_controls,
    unify_width,
    _social,
    to_simplified,
    collapse_repeats,
    collapse_whitespace,
)


def normalize(text: str) -> str:
    """Normalize one text for analysis. Idempotent; PII masks and emoticons pass unchanged.

    >>> normalize("ＡＢＣ１２３，哈哈哈哈哈哈　@客服小美 太慢了[怒]")
    'ABC123,哈哈哈 太慢了[怒]'
    """
    if not text:
        return ""
    for step in STEPS:
        text = step(text)
    if not unicodedata.is_normalized("NFKC", text):  # removals can bring a letter next to its accent
        text = collapse_whitespace(collapse_repeats(unicodedata.normalize("NFKC", text)))
    return text
