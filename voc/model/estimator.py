"""``SentimentModel``: a calibrated linear model over n-grams and the lexicon scorer's evidence.

A scikit-learn estimator (settings in ``__init__``, learned state ending in ``_``, ``fit`` returns
``self``) with the project's scorer interface: :meth:`SentimentModel.score` takes segmenter token
lists and returns one score in [-1, 1] each, labelled with :func:`voc.sentiment.label`.

**Score.** Logistic regression gives a decision value ``d``; Platt scaling fitted on out-of-fold
decision values gives the calibrated log-odds ``z = a·d + b`` (``predict_proba`` = sigmoid(z)).
The score is ``tanh(gain_ · z)`` with ``gain_ = atanh(BAND) / neutral_logit_``: it crosses the
project's neutral band (±0.1) exactly where the calibrated model stops being better than
``min_band_accuracy`` on held-out data, so ``voc.sentiment.label`` and ``aggregate`` (whose
``atanh`` weights become proportional to ``z``) work unchanged.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold

from voc.model import features as F
from voc.paths import LEXICON_DIR
from voc.records import Label
from voc.sentiment import BAND, SentimentScorer, aggregate
from voc.sentiment import label as band_label

FAMILY = "ngram-lexicon-lr"
_CAP = 0.9999  # atanh(±1) is infinite


class SentimentModel(BaseEstimator):
    """Sentiment of token lists. ``fit(token_lists, y, groups=None)``; ``score(token_lists)``.

    Settings: ``char_ngrams`` and ``max_char_features`` (char TF-IDF), ``word_ngrams`` (0, 1 or 2;
    0 turns word features off), ``min_df``, ``C`` (inverse regularization), ``lexicon_scale``
    (multiplies the three lexicon columns, i.e. loosens their regularization), ``calibration_folds``
    (out-of-fold decision values for Platt scaling and the neutral band; grouped by ``groups`` when
    given, so calibration sees unseen domains), ``min_band_accuracy`` (the neutral band is where
    held-out accuracy is below it), ``lexicon_dir``, ``balance_groups`` (weight rows so both classes
    weigh the same inside each group, see :func:`group_balanced_weights`).
    """

    def __init__(
        self,
        *,
        char_ngrams: tuple[int, int] = (1, 3),
        max_char_features: int = 150_000,
        word_ngrams: int = 0,
        max_word_features: int = 50_000,
        min_df: int = 2,
        C: float = 1.0,
        lexicon_scale: float = 3.0,
        calibration_folds: int = 3,
        min_band_accuracy: float = 0.55,
        lexicon_dir: Path | None = None,
        random_state: int = 0,
        balance_groups: bool = False,
    ):
        self.char_ngrams = char_ngrams
        self.max_char_features = max_char_features
        self.word_ngrams = word_ngrams
        self.max_word_features = max_word_features
        self.min_df = min_df
        self.C = C
        self.lexicon_scale = lexicon_scale
        self.calibration_folds = calibration_folds
        self.min_band_accuracy = min_band_accuracy
        self.lexicon_dir = lexicon_dir
        self.random_state = random_state
        self.balance_groups = balance_groups

    # --- fitting ------------------------------------------------------------------------------

    def fit(
        self, X: Sequence[Sequence[str]], y: Sequence[int], groups: Sequence | None = None
    ) -> SentimentModel:
        """Learn from token lists ``X`` and labels ``y`` (1 positive, 0 negative)."""
        X = [list(t) for t in X]
        y = np.asarray(y, dtype=int)
        if set(np.unique(y)) != {0, 1}:
            raise ValueError("labels must contain both 0 (negative) and 1 (positive)")
        self.scorer_ = SentimentScorer.from_lexicons(Path(self.lexicon_dir or LEXICON_DIR))
        lex, _ = F.lexicon_block(self.scorer_, X)
        w = group_balanced_weights(y, groups) if self.balance_groups else np.ones(len(y))
        oof = self._out_of_fold(X, lex, y, groups, w)
        self.platt_ = _platt(oof, y)
        z = self.platt_[0] * oof + self.platt_[1]
        self.neutral_logit_ = neutral_logit(z, y, self.min_band_accuracy)
        self.gain_ = math.atanh(BAND) / self.neutral_logit_
        self.char_, self.word_, self.clf_ = self._fit_core(X, lex, y, w)
        self.oof_logits_ = z.astype(np.float32)
        self.classes_ = np.array([0, 1])
        self.n_train_ = len(X)
        self.version_ = f"{FAMILY}-1+{self._digest()}"
        return self

    def _digest(self) -> str:
        """8 hex digits of the learned weights: two trained models never share a version."""
        h = hashlib.sha1(self.clf_.coef_.tobytes())
        h.update(np.asarray([*self.clf_.intercept_, *self.platt_, self.gain_]).tobytes())
        return h.hexdigest()[:8]

    def _fit_core(self, X, lex, y, w):
        char = F.char_vectorizer(tuple(self.char_ngrams), self.max_char_features, self.min_df)
        blocks = [char.fit_transform(F.joined(X))]
        word = None
        if self.word_ngrams:
            word = F.word_vectorizer(self.max_word_features, self.min_df)
            blocks.append(word.fit_transform([F.word_ngrams(t, self.word_ngrams) for t in X]))
        blocks.append(lex * self.lexicon_scale)
        clf = LogisticRegression(C=self.C, solver="liblinear", max_iter=1000, random_state=self.random_state)
        clf.fit(F.stack(blocks), y, sample_weight=w)
        clf.coef_ = clf.coef_.astype(np.float32)
        char.stop_words_ = None  # the terms cut by max_features: large and never used again
        if word is not None:
            word.stop_words_ = None
        return char, word, clf

    def _out_of_fold(self, X, lex, y, groups, w) -> np.ndarray:
        """Decision values of models that did not see the row (grouped folds when groups given)."""
        k = self.calibration_folds
        if groups is not None and len(set(groups)) >= 2:
            splits = GroupKFold(n_splits=min(k, len(set(groups)))).split(X, y, groups)
        else:
            k = max(2, min(k, int(np.bincount(y).min())))
            splits = StratifiedKFold(k, shuffle=True, random_state=self.random_state).split(X, y)
        oof = np.zeros(len(X))
        for tr, te in splits:
            char, word, clf = self._fit_core([X[i] for i in tr], lex[tr], y[tr], w[tr])
            oof[te] = clf.decision_function(self._matrix([X[i] for i in te], lex[te], char, word))
        return oof

    # --- scoring ------------------------------------------------------------------------------

    def _matrix(self, X, lex, char, word):
        blocks = [char.transform(F.joined(X))]
        if word is not None:
            blocks.append(word.transform([F.word_ngrams(t, self.word_ngrams) for t in X]))
        blocks.append(lex * self.lexicon_scale)
        return F.stack(blocks)

    def calibrated_logits(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Calibrated log-odds of positive per token list; 0 for empty lists and neutral questions."""
        if not len(token_lists):
            return np.zeros(0)
        lex, question = F.lexicon_block(self.scorer_, token_lists)
        d = self.clf_.decision_function(self._matrix(token_lists, lex, self.char_, self.word_))
        z = self.platt_[0] * d.astype(np.float64) + self.platt_[1]
        z[question | np.array([not t for t in token_lists])] = 0.0
        return z

    def score_documents(self, docs: Sequence[Sequence[Sequence[str]]]) -> tuple[np.ndarray, np.ndarray]:
        """(clause scores, document scores) for documents given as clause token lists.

        One char n-gram pass over the clauses: a document's n-gram counts are the sum of its
        clauses' (n-grams spanning two clauses are left out). The document score is the blend of
        :func:`voc.model.prepare.document_scores`: the mean of the evidence (``atanh``) of the
        whole-document score and of the aggregated clause scores.
        """
        clauses = [c for d in docs for c in d]
        sizes = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        if not clauses:
            return np.zeros(0), np.zeros(len(docs))
        counts = CountVectorizer.transform(self.char_, F.joined(clauses))
        owner = sparse.csr_matrix(
            (
                np.ones(len(clauses), dtype=np.float32),
                (np.repeat(np.arange(len(docs)), sizes), np.arange(len(clauses))),
            ),
            shape=(len(docs), len(clauses)),
        )
        flat = [[t for c in d for t in c] for d in docs]
        z_clause = self._logits(clauses, self.char_._tfidf.transform(counts.astype(np.float64)))
        z_doc = self._logits(flat, self.char_._tfidf.transform((owner @ counts).astype(np.float64)))
        clause_scores = np.tanh(self.gain_ * z_clause)
        agg = np.zeros(len(docs))
        k = 0
        for i, n in enumerate(sizes.tolist()):
            agg[i] = aggregate(clause_scores[k : k + n].tolist()) if n else 0.0
            k += n
        evidence = (np.arctanh(np.clip(agg, -_CAP, _CAP)) + self.gain_ * z_doc) / 2
        return clause_scores, np.tanh(evidence)

    def _logits(self, token_lists, char_block) -> np.ndarray:
        lex, question = F.lexicon_block(self.scorer_, token_lists)
        blocks = [char_block.astype(np.float32)]
        if self.word_ is not None:
            blocks.append(self.word_.transform([F.word_ngrams(t, self.word_ngrams) for t in token_lists]))
        blocks.append(lex * self.lexicon_scale)
        z = self.platt_[0] * self.clf_.decision_function(F.stack(blocks)).astype(np.float64) + self.platt_[1]
        z[question | np.array([not t for t in token_lists])] = 0.0
        return z

    def score(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """One score in [-1, 1] per token list (the project's scorer interface, not accuracy)."""
        return np.tanh(self.gain_ * self.calibrated_logits(token_lists))

    def predict_proba(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Calibrated [P(negative), P(positive)] per token list."""
        p = 1.0 / (1.0 + np.exp(-self.calibrated_logits(token_lists)))
        return np.column_stack([1 - p, p])

    def predict(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """0/1 per token list (the sign of the score; neutral ties go to positive)."""
        return (self.calibrated_logits(token_lists) >= 0).astype(int)

    @staticmethod
    def label(score: float) -> Label:
        """Same bands as :func:`voc.sentiment.label`."""
        return band_label(score)


def group_balanced_weights(y: np.ndarray, groups: Sequence | None) -> np.ndarray:
    """Row weights that give both classes the same total weight inside every group (mean weight 1).

    A source that is mostly complaints (waimai_10k is 2:1 negative) otherwise teaches its own topic
    words (菜, 味道, 送餐) to mean negative, and that prior leaks into every domain sharing the topic
    (restaurant reviews). Balanced within each group, a topic word only learns what it says beyond
    its source's base rate. Without groups, the classes are balanced over all rows.
    """
    y = np.asarray(y)
    g = np.asarray(groups if groups is not None else np.zeros(len(y)), dtype=object)
    w = np.ones(len(y))
    for grp in set(g.tolist()):
        in_g = g == grp
        for cls in (0, 1):
            m = in_g & (y == cls)
            if m.any():
                w[m] = in_g.sum() / (2.0 * m.sum())
    return w * (len(y) / w.sum())


def _platt(d: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: log-odds ``a·d + b`` fitted on held-out decision values."""
    lr = LogisticRegression(C=1e4).fit(d.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def neutral_logit(z: np.ndarray, y: np.ndarray, min_accuracy: float) -> float:
    """Half-width of the neutral band in calibrated log-odds, measured on held-out predictions.

    Held-out accuracy is fitted as a non-decreasing function of confidence ``|z|`` (isotonic
    regression); the band is the largest ``|z|`` whose fitted accuracy is still below
    ``min_accuracy``. Kept between log(0.55/0.45) ("55 % sure") and log(0.8/0.2) so small or odd
    data cannot make the band vanish or swallow most predictions.
    """
    from sklearn.isotonic import IsotonicRegression

    floor, cap = math.log(0.55 / 0.45), math.log(0.8 / 0.2)
    conf = np.abs(z)
    correct = ((z >= 0).astype(int) == y).astype(float)
    fitted = IsotonicRegression(increasing=True, out_of_bounds="clip").fit_transform(conf, correct)
    below = conf[fitted < min_accuracy]
    band = float(below.max()) if len(below) else floor
    return min(cap, max(floor, band))
