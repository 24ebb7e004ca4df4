"""Clause and document sentiment in [-1, 1]: a lexicon layer over SnowNLP's Bayes word weights.

A baseline, built for speed on the enrichment hot path (thousands of clauses per second on one
core). It never re-segments: it reads the jieba tokens the project segmenter already produced.

Per clause, two kinds of evidence are added and squashed with ``tanh``:

* **lexicon** (``lexicons/sentiment/``): sentiment words and slang (±1), emoticons and emoji (their
  polarity), each scaled by a preceding degree adverb (很 1.3, 有点 0.7) and flipped by a preceding
  negation within :data:`NEGATION_WINDOW` tokens (不 好吃). A token that fuses a modifier and a word
  (太慢, 不好, 有点咸) is split by prefix. Evidence before a contrast marker (但是, 不过) is halved and
  evidence after it counts 1.5 times, so a clause that starts with 但是 weighs more in the document.
* **Bayes**: the sum of per-word log-odds of SnowNLP's sentiment model (trained on product reviews),
  clipped and down-weighted. It is read straight from SnowNLP's data file: importing ``snownlp``
  costs ≈ 5 s and its own segmentation is ≈ 100× slower than ours.

A clause with no lexicon evidence and a question marker (请问 几点 开门) is neutral.

>>> scorer = SentimentScorer.from_lexicons()
>>> [label(s) for s in scorer.score([["不", "好吃"], ["很", "好吃"], ["请问", "几点", "开门"]])]
['negative', 'positive', 'neutral']
"""

from __future__ import annotations

import gzip
import importlib.util
import marshal
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from voc.errors import LexiconError
from voc.lexicons import fail, read_table, read_words
from voc.paths import LEXICON_DIR
from voc.records import Label

#: Bump whenever scoring changes (code, constants or the shipped lexicons): the warehouse re-enriches
#: every document whose stored version differs.
MODEL_VERSION = "lexicon-bayes-1"

#: Scores within ±BAND of 0 are labelled neutral.
BAND = 0.1

SENTIMENT_DIR = "sentiment"
NEGATION_WINDOW = 3  # a negation or degree word reaches this many tokens ahead
FLIP_POSITIVE = 0.8  # 不好吃: a negated positive word counts -0.8 of itself
FLIP_NEGATIVE = 0.5  # 不贵, 没有问题: a negated negative word is only mildly positive
BEFORE_TURN = 0.5  # evidence before a contrast marker
AFTER_TURN = 1.5  # evidence after it (or in a clause that starts with it)
MAX_PREFIX = 3  # longest modifier split off the front of a fused token (不怎么好)
_CACHE_LIMIT = 500_000
_MAX_ABS = 0.9999  # atanh(1) is infinite: cap the aggregation weight of a saturated clause

_CONTRAST, _QUESTION = 1, 2


@dataclass(frozen=True)
class _Token:
    """What one token contributes: a polarity, a modifier (negation, degree), or a flag."""

    value: float | None = None  # sentiment evidence, degree and negation already applied
    negate: bool = False
    degree: float = 1.0
    flags: int = 0


_NOTHING = _Token()


@dataclass(frozen=True)
class SentimentLexicon:
    """The word lists of ``lexicons/sentiment/`` as lookup tables."""

    polarity: dict[str, float]
    degree: dict[str, float]
    negation: frozenset[str]
    contrast: frozenset[str]
    question: frozenset[str]


def load_sentiment_lexicon(lexicon_dir: Path = LEXICON_DIR) -> SentimentLexicon:
    """Read and validate the sentiment word lists (a word in both polarity lists is an error)."""
    d = Path(lexicon_dir) / SENTIMENT_DIR
    polarity: dict[str, float] = dict.fromkeys(read_words(d / "positive.txt"), 1.0)
    for word in read_words(d / "negative.txt"):
        if word in polarity:
            raise fail(d / "negative.txt", None, f"{word!r} is also in positive.txt")
        polarity[word] = -1.0
    for row in read_table(d / "emoticons.tsv", ("token", "polarity")):
        polarity[row["token"]] = _number(d / "emoticons.tsv", row, "polarity", -1.0, 1.0)
    degree = {
        r["word"]: _number(d / "degree.tsv", r, "weight", 0.0, 3.0)
        for r in read_table(d / "degree.tsv", ("word", "weight"))
    }
    return SentimentLexicon(
        polarity,
        degree,
        frozenset(read_words(d / "negation.txt")),
        frozenset(read_words(d / "contrast.txt")),
        frozenset(read_words(d / "question.txt")),
    )


def _number(path: Path, row: dict[str, str], column: str, lo: float, hi: float) -> float:
    try:
        x = float(row[column])
    except ValueError:
        raise fail(path, int(row["_line"]), f"{column} must be a number, got {row[column]!r}") from None
    if not lo <= x <= hi:
        raise fail(path, int(row["_line"]), f"{column} must be in [{lo:g}, {hi:g}], got {x:g}")
    return x


@lru_cache(maxsize=1)
def snownlp_log_odds() -> dict[str, float]:
    """log P(word | pos) − log P(word | neg) for every word SnowNLP's sentiment model has seen.

    The same add-one estimates as ``snownlp.classification.bayes.Bayes``, read from its data file
    without importing ``snownlp``. Words it never saw get no entry (no evidence), where SnowNLP
    would add a constant ≈ −0.1 per unknown word.
    """
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise LexiconError("snownlp is not installed: the sentiment baseline needs its Bayes model")
    path = Path(spec.submodule_search_locations[0]) / "sentiment" / "sentiment.marshal.3"
    with gzip.open(path, "rb") as fh:
        model = marshal.loads(fh.read())
    pos, neg = model["d"]["pos"], model["d"]["neg"]
    lp_none, ln_none = math.log(pos["none"] / pos["total"]), math.log(neg["none"] / neg["total"])
    out: dict[str, float] = {}
    for word in pos["d"].keys() | neg["d"].keys():
        lp = math.log(pos["d"][word] / pos["total"]) if word in pos["d"] else lp_none
        ln = math.log(neg["d"][word] / neg["total"]) if word in neg["d"] else ln_none
        out[word] = lp - ln
    return out


class SentimentScorer:
    """Scores token lists (clauses) in [-1, 1]. Settings in ``__init__``, loaded tables end in ``_``.

    ``lexicon_weight`` and ``bayes_weight`` scale the two kinds of evidence before ``tanh``;
    the Bayes sum is clipped to ±``bayes_clip`` so a long clause cannot drown the lexicon.
    """

    def __init__(
        self,
        *,
        lexicon_weight: float = 1.0,
        bayes_weight: float = 0.25,
        bayes_clip: float = 4.0,
        negation_window: int = NEGATION_WINDOW,
    ):
        self.lexicon_weight = lexicon_weight
        self.bayes_weight = bayes_weight
        self.bayes_clip = bayes_clip
        self.negation_window = negation_window

    @classmethod
    def from_lexicons(cls, lexicon_dir: Path = LEXICON_DIR, **settings: float) -> SentimentScorer:
        """A scorer with the word lists of ``lexicon_dir`` and SnowNLP's Bayes weights loaded."""
        scorer = cls(**settings)
        scorer.lexicon_ = load_sentiment_lexicon(lexicon_dir)
        scorer.bayes_ = snownlp_log_odds() if scorer.bayes_weight else {}
        scorer.cache_ = {}
        return scorer

    def score(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """One score in [-1, 1] per token list (clause); an empty list scores 0."""
        return np.fromiter(
            (self.score_clause(t) for t in token_lists), dtype=np.float64, count=len(token_lists)
        )

    def score_clause(self, tokens: Sequence[str]) -> float:
        """The score of one clause."""
        evidence, b, question = self.evidence(tokens)
        if evidence == 0.0 and question:
            return 0.0
        return math.tanh(self.lexicon_weight * evidence + self.bayes_weight * b)

    def evidence(self, tokens: Sequence[str]) -> tuple[float, float, bool]:
        """(lexicon evidence, clipped Bayes log-odds sum, has a question marker) of one clause.

        The raw inputs of :meth:`score_clause`, also used as features by :mod:`voc.model`.
        """
        evidence, question = self._lexicon_evidence(tokens)
        bayes = self.bayes_
        b = sum(bayes.get(t, 0.0) for t in tokens)
        return evidence, max(-self.bayes_clip, min(self.bayes_clip, b)), question

    def __getstate__(self) -> dict:
        """Pickle without the token cache (it refills itself)."""
        state = self.__dict__.copy()
        if "cache_" in state:
            state["cache_"] = {}
        return state

    def word_polarity(self, token: str) -> float | None:
        """The lexicon polarity of one token (太慢 → -1.6, 不好 → -0.8), None when it carries none."""
        return (self.cache_.get(token) or self._analyze(token)).value

    def _lexicon_evidence(self, tokens: Sequence[str]) -> tuple[float, bool]:
        cache, analyze = self.cache_, self._analyze
        total, gain, question = 0.0, 1.0, False
        negate, degree, left = False, 1.0, 0
        for tok in tokens:
            a = cache.get(tok) or analyze(tok)
            if a.flags:
                if a.flags & _CONTRAST:
                    total, gain = total * BEFORE_TURN, AFTER_TURN
                question = question or bool(a.flags & _QUESTION)
            if a.value is not None:
                total += gain * _apply(a.value * degree, negate)
                negate, degree, left = False, 1.0, 0
            elif a.negate or a.degree != 1.0:
                negate, degree, left = negate != a.negate, degree * a.degree, self.negation_window
            elif left:
                left -= 1
                if not left:
                    negate, degree = False, 1.0
        return total, question

    def _analyze(self, tok: str) -> _Token:
        """Classify a token once (cached): a sentiment word, a modifier, a flag, or fused forms."""
        cache = self.cache_
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        a = self._analyze_uncached(tok)
        cache[tok] = a
        return a

    def _analyze_uncached(self, tok: str) -> _Token:
        lex = self.lexicon_
        if tok in lex.polarity:
            return _Token(value=lex.polarity[tok])
        flags = (_CONTRAST if tok in lex.contrast else 0) | (_QUESTION if tok in lex.question else 0)
        if tok in lex.negation:
            return _Token(negate=True, flags=flags)
        if tok in lex.degree:
            return _Token(degree=lex.degree[tok], flags=flags)
        if flags:
            return _Token(flags=flags)
        for n in range(min(MAX_PREFIX, len(tok) - 1), 0, -1):  # 太慢 = 太 + 慢, 不太好 = 不太 + 好
            head, rest = tok[:n], tok[n:]
            if head in lex.negation or head in lex.degree:
                tail = self._analyze_uncached(rest)
                if tail.value is not None:
                    return _Token(value=_apply(tail.value * lex.degree.get(head, 1.0), head in lex.negation))
        return _NOTHING


def _apply(value: float, negate: bool) -> float:
    if not negate:
        return value
    return -value * (FLIP_POSITIVE if value > 0 else FLIP_NEGATIVE)


def label(score: float, band: float = BAND) -> Label:
    """negative below ``-band``, positive above ``band``, neutral in between."""
    if score > band:
        return "positive"
    if score < -band:
        return "negative"
    return "neutral"


def aggregate(clause_scores: Sequence[float]) -> float:
    """Document score: clause scores averaged with weights ``atanh(|score|)``, their evidence strength.

    ``atanh`` undoes the clause's ``tanh``: a neutral clause weighs nothing, and a clause with more
    evidence (after a contrast marker, with 太 or [怒]) outweighs a milder one even when both
    scores are close to ±1. No clauses, or only neutral ones, give 0.
    """
    num = den = 0.0
    for s in clause_scores:
        w = math.atanh(min(abs(s), _MAX_ABS))
        num += s * w
        den += w
    return num / den if den else 0.0
