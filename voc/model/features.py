"""Features of the trained sentiment model: char n-grams, word n-grams and the lexicon scorer's evidence.

Every input is one token list from the project segmenter (a clause, or a whole document's tokens
in order). Char n-grams read the tokens joined back into text; word n-grams read the tokens; the
lexicon block is the clause logic of :class:`voc.sentiment.SentimentScorer` (negation scope,
degree, contrast, emoticons, slang, SnowNLP's Bayes prior) as three dense columns.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from voc.sentiment import SentimentScorer

#: Names of the dense lexicon columns, in order.
LEXICON_COLUMNS = ("lexicon+bayes", "lexicon", "bayes")


def joined(token_lists: Sequence[Sequence[str]]) -> list[str]:
    """The text of each token list (whitespace was already dropped by the segmenter)."""
    return ["".join(t) for t in token_lists]


def word_ngrams(tokens: Sequence[str], n_max: int) -> list[str]:
    """Word unigrams and, when ``n_max`` is 2, adjacent bigrams joined by a space."""
    grams = list(tokens)
    if n_max >= 2:
        grams.extend(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))
    return grams


def char_vectorizer(ngram_range: tuple[int, int], max_features: int, min_df: int) -> TfidfVectorizer:
    """Sublinear TF-IDF over character n-grams, float32, vocabulary capped."""
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=ngram_range,
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )


def word_vectorizer(max_features: int, min_df: int) -> TfidfVectorizer:
    """Sublinear TF-IDF over pre-built word n-gram lists (see :func:`word_ngrams`)."""
    return TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, min_df=min_df, max_features=max_features, dtype=np.float32
    )


def _identity(x):
    return x


def lexicon_block(
    scorer: SentimentScorer, token_lists: Sequence[Sequence[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Dense lexicon columns (one row per token list) and a mask of neutral questions.

    Columns: ``tanh(L + w·B)`` (the scorer's own score), ``tanh(L)``, ``tanh(w·B)``, with ``L`` the
    clause-logic evidence and ``B`` the clipped Bayes sum. A question with no lexicon evidence
    (请问几点开门) is flagged: the model scores it 0 like the scorer does.
    """
    out = np.zeros((len(token_lists), len(LEXICON_COLUMNS)), dtype=np.float32)
    question = np.zeros(len(token_lists), dtype=bool)
    lw, bw = scorer.lexicon_weight, scorer.bayes_weight
    for i, tokens in enumerate(token_lists):
        if not tokens:
            continue
        ev, b, q = scorer.evidence(tokens)
        out[i] = (math.tanh(lw * ev + bw * b), math.tanh(lw * ev), math.tanh(bw * b))
        question[i] = q and ev == 0.0
    return out, question


def stack(blocks: list) -> sparse.csr_matrix:
    """Horizontally stack sparse and dense blocks into one CSR matrix."""
    return sparse.hstack([b if sparse.issparse(b) else sparse.csr_matrix(b) for b in blocks], format="csr")
