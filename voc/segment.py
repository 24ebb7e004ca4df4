"""The one seam through which jieba enters: a segmenter that owns its own ``jieba.Tokenizer``.

It never touches jieba's global tokenizer, loads ``lexicons/user_dict.txt`` once per process and
keeps microblog emoticons such as ``[怒]`` whole. Every vectorizer uses its tokens.

>>> seg = get_segmenter()
>>> seg.cut("快递太慢了[怒]")
['快递', '太慢', '了', '[怒]']
"""

from __future__ import annotations

import re
import tempfile
from functools import lru_cache
from pathlib import Path

import jieba

from voc.lexicons import fail, read_words
from voc.paths import LEXICON_DIR

jieba.setLogLevel(60)  # jieba prints "Building prefix dict..." to stderr on every init otherwise

EMOTICON = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,6}\]")
USER_DICT = "user_dict.txt"
STOPWORDS = "stopwords.txt"


class Segmenter:
    """Chinese word segmentation with the project's user dictionary and stopwords."""

    def __init__(self, lexicon_dir: Path = LEXICON_DIR, *, hmm: bool = True):
        self.lexicon_dir = Path(lexicon_dir)
        self.hmm = hmm
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.tmp_dir = tempfile.gettempdir()
        self._load_user_dict(self.lexicon_dir / USER_DICT)
        self.stopwords = frozenset(read_words(self.lexicon_dir / STOPWORDS))

    def _load_user_dict(self, path: Path) -> None:
        # Our format: "word" or "word freq" per line (see the file header). jieba's own loader
        # would treat '#' comment lines as words, so entries are added one by one.
        for word in read_words(path):
            text, _, freq = word.partition(",")
            if freq and not freq.isdigit():
                raise fail(path, None, f"frequency of {text!r} must be a whole number, got {freq!r}")
            self.tokenizer.add_word(text, int(freq) if freq else None)

    def cut(self, text: str) -> list[str]:
        """All tokens in order, whitespace dropped; emoticons like ``[赞]`` stay one token."""
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
        """Tokens that carry meaning: no stopwords, no punctuation."""
        return [t for t in tokens if t not in self.stopwords and (t[0].isalnum() or t[0] == "[")]


@lru_cache(maxsize=4)
def get_segmenter(lexicon_dir: Path = LEXICON_DIR) -> Segmenter:
    """The process-wide segmenter for a lexicon folder (jieba's dictionary loads once, ~1.3 s)."""
    return Segmenter(Path(lexicon_dir))
