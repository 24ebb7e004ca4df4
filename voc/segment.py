"""The one seam through which jieba enters: a segmenter that owns its own ``jieba.Tokenizer``.

It never touches jieba's global tokenizer, loads ``lexicons/user_dict.txt`` once per process and
keeps microblog emoticons such as ``[怒]`` and PII masks such as ``[手机号]`` whole. Every
vectorizer uses its tokens.

>>> seg = get_segmenter()
>>> seg.cut("快递太慢了[怒]")
['快递', '太慢', '了', '[怒]']

Start-up: jieba's main dictionary is read once per process (from its cache file in the temp dir,
≈ 1 s) and shared by every :class:`Segmenter`; each one then copies it (≈ 20 ms) and adds its own
user dictionary, so segmenters for other lexicon folders (tests, analysts trying an edit) are cheap.
"""

from __future__ import annotations

import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

import jieba

from voc.lexicons import fail, read_words
from voc.paths import LEXICON_DIR
from voc.pii import MASKS

jieba.setLogLevel(60)  # jieba prints "Building prefix dict..." to stderr on every init otherwise

#: Bracketed microblog emoticons ``[怒]`` ``[doge]`` and PII masks ``[手机号]``: kept as one token.
EMOTICON = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,6}\]")
USER_DICT = "user_dict.txt"
STOPWORDS = "stopwords.txt"
_MASKS = frozenset(MASKS)
_BASE_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _base_dictionary() -> tuple[dict[str, int], int]:
    """jieba's main dictionary (word -> frequency, total), loaded once per process."""
    with _BASE_LOCK:
        tok = jieba.Tokenizer()
        tok.tmp_dir = tempfile.gettempdir()  # cache file jieba.cache: later processes load it fast
        tok.initialize()
        return tok.FREQ, tok.total


def _new_tokenizer() -> jieba.Tokenizer:
    """A private tokenizer holding its own copy of the main dictionary (add_word never leaks)."""
    freq, total = _base_dictionary()
    tok = jieba.Tokenizer()
    tok.tmp_dir = tempfile.gettempdir()
    tok.FREQ, tok.total, tok.initialized = dict(freq), total, True
    return tok


class Segmenter:
    """Chinese word segmentation with the project's user dictionary and stopwords."""

    def __init__(self, lexicon_dir: Path = LEXICON_DIR, *, hmm: bool = True):
        self.lexicon_dir = Path(lexicon_dir)
        self.hmm = hmm
        self.tokenizer = _new_tokenizer()
        self._load_user_dict(self.lexicon_dir / USER_DICT)
        self.stopwords = frozenset(read_words(self.lexicon_dir / STOPWORDS))

    def _load_user_dict(self, path: Path) -> None:
        # Our format: "word" or "word,freq" per line (see the file header). jieba's own loader
        # would treat '#' comment lines as words, so entries are added one by one.
        for word in read_words(path):
            text, _, freq = word.partition(",")
            if not text or (freq and not freq.isdigit()):
                raise fail(path, None, f"expected 'word' or 'word,frequency', got {word!r}")
            self.tokenizer.add_word(text, int(freq) if freq else None)

    def cut(self, text: str) -> list[str]:
        """All tokens in order, whitespace dropped; emoticons like ``[赞]`` stay one token.

        Joining the tokens gives back ``text`` without its whitespace.
        """
        if "[" not in text:
            return self._cut_plain(text)
        out: list[str] = []
        pos = 0
        for m in EMOTICON.finditer(text):
            if m.start() > pos:
                out.extend(self._cut_plain(text[pos : m.start()]))
            out.append(m.group())
            pos = m.end()
        if pos < len(text):
            out.extend(self._cut_plain(text[pos:]))
        return out

    def _cut_plain(self, text: str) -> list[str]:
        return [t for t in self.tokenizer.lcut(text, HMM=self.hmm) if not t.isspace()]

    def content_tokens(self, tokens: list[str]) -> list[str]:
        """Tokens that carry meaning: no stopwords, punctuation, emoji or PII masks; emoticons kept."""
        stop = self.stopwords
        return [t for t in tokens if t not in stop and (t[0].isalnum() or (t[0] == "[" and t not in _MASKS))]


@lru_cache(maxsize=8)
def get_segmenter(lexicon_dir: Path = LEXICON_DIR) -> Segmenter:
    """The process-wide segmenter for a lexicon folder (built once, then reused)."""
    return Segmenter(Path(lexicon_dir))
