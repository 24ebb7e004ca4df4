"""Compiled patterns and translation tables used by :mod:`voc.normalize`.

Kept apart from the functions so each step in ``normalize.py`` stays a one-liner and the data it
depends on can be read (and reviewed) in one place. See ``docs/text.md`` for why each exists.
"""

from __future__ import annotations

import re
import unicodedata

# --- control and invisible characters -------------------------------------------------------------
# Removed: C0/C1 controls that are not whitespace, lone surrogates, and invisible format characters
# (zero-width space/non-joiner, direction marks and embeddings, word joiner, BOM, soft hyphen).
# Kept: whitespace controls (\t \n \r ... are collapsed later), ZERO WIDTH JOINER U+200D and tag
# characters, which build emoji sequences such as 👨‍👩‍👧.
_C0C1 = "".join(chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if not chr(c).isspace())
CONTROL = re.compile(
    "[" + re.escape(_C0C1) + "\u00ad\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff]+"
)

# --- width and punctuation ------------------------------------------------------------------------
# NFKC already maps full-width ASCII (ＡＢＣ１２３，！？；：（）～＠＃) to half-width, the ideographic
# space to a space and … to "...". Canonical punctuation after normalize is therefore ASCII for
# , ! ? ; : ( ) ~ and Chinese for 。 and 、 (which have no unambiguous ASCII twin: "." is a decimal
# point). What NFKC leaves alone but means the same thing is mapped here.
# The full-width forms seen in almost every Chinese text, as (form, replacement) pairs that NFKC
# would produce too. Replacing them first (a fast C scan each) lets most texts skip NFKC itself,
# which costs ~10x more; NFKC still runs on whatever else is not normalized.
COMMON_FULL_WIDTH = tuple((ch, unicodedata.normalize("NFKC", ch)) for ch in "，！？：；（）～　＠＃")
WIDTH_EXTRA = tuple(
    {
        "\u301c": "~",  # 〜 wave dash
        "\u3030": "~",  # 〰 wavy dash
        "\u2e3a": "--",  # ⸺ two-em dash
        "\u2e3b": "---",  # ⸻ three-em dash
    }.items()
)

# --- traditional -> simplified ----------------------------------------------------------------------
# OpenCC t2s output that t2s would change again (found by converting every CJK code point twice);
# applied after t2s so that normalize stays idempotent.
T2S_FIXUPS = (("苧", "苎"),)

# --- social-media conventions ---------------------------------------------------------------------
# Web addresses: scheme or www., ASCII URL characters only (so they stop at Chinese text), and never
# ending in punctuation that belongs to the sentence ("看这个http://t.cn/abc,太坑了").
URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]*[A-Za-z0-9\-_~/#=%&+]", re.ASCII | re.I)
# Repost chain "own text//@user: reposted//@user2: older". Split at every "//@".
REPOST_SPLIT = re.compile(r"//\s*@")
# "user: " at the start of a reposted part (the name runs to the first colon).
REPOST_AUTHOR = re.compile(r"^[^:\s]{1,30}:\s*")
# Texts platforms put in when someone reposts without writing anything.
EMPTY_REPOST = frozenset({"", "转发微博", "轉發微博", "repost", "Repost"})
# A mention: @ + a nickname of 1-30 name characters ending at a clear boundary, with an optional
# "回复" before it and an optional colon and spaces after it. An @ right after an address-like
# character (a@b) is not a mention. A run of name characters longer than 30 has no visible end,
# so only its @ is dropped (BARE_AT) and the words stay.
_NAME = r"[\w\-·]"
MENTION = re.compile(rf"(?:回复|回覆)?(?<![A-Za-z0-9._%+\-])@{_NAME}{{1,30}}(?!{_NAME})(?::[ \t]*|[ \t]+)?")
BARE_AT = re.compile(rf"(?<![A-Za-z0-9._%+\-])@(?={_NAME})")
# A topic: #words# keeps its words.
TOPIC = re.compile(r"#([^#\n]{1,40})#")

# --- repeats and whitespace -----------------------------------------------------------------------
# Any non-digit character four or more times in a row is cut to three (哈哈哈哈哈 -> 哈哈哈,
# !!!!! -> !!!). Digits are never touched: 100000 must stay a hundred thousand.
REPEATED_CHAR = re.compile(r"(\D)\1{3,}")
# The same bracketed emoticon four or more times in a row -> three ([怒][怒][怒][怒] -> [怒][怒][怒]).
REPEATED_EMOTICON = re.compile(r"(\[[^\[\]\s]{1,8}\])\1{3,}")
# Whitespace runs: one containing a line break becomes a single "\n", any other a single space.
_BREAKS = "\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"
LINEBREAK_RUN = re.compile(rf"\s*[{_BREAKS}]\s*")
SPACE_RUN = re.compile(r"[^\S\n]+")
