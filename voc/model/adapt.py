"""``AdaptedModel``: self-training on a user's own unlabeled feedback, without the source corpora.

An n-gram model trained on other domains plateaus out of domain (MEASURED.md: ≈ 0.82 macro-F1):
the target's own vocabulary (菜品, 服务员, 环境) carries no weight, or the wrong weight learned from
another domain. Self-training fixes part of that with the target's unlabeled text: the base model
scores it, its most confident predictions become pseudo-labels, and a *target model* (the same
:class:`~voc.model.SentimentModel`, char n-grams + lexicon columns) is fitted on them alone. The
adapted score averages the two models' evidence. Retraining on source + pseudo-labels would need
the labeled source corpora, which users do not have (research-only); this keeps the shipped model
untouched and adds a small model of the user's domain.

Evidence is the project's band unit: ``atanh(score)``, where ±``atanh(0.1)`` is the neutral band
of each model, so averaging keeps ``voc.sentiment.label``/``aggregate`` meaningful.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator

from voc.model.estimator import SentimentModel
from voc.model.prepare import document_scores, flatten
from voc.records import Label
from voc.sentiment import BAND
from voc.sentiment import label as band_label

_CAP = 0.9999
MIN_PSEUDO = 50  # fewer confident texts per class than this: no target model is fitted


def select_pseudo_labels(scores: np.ndarray, share: float, balance: bool) -> tuple[np.ndarray, np.ndarray]:
    """Indices and 0/1 labels of the most confident polar predictions.

    Of the texts scored positive (negative) outside the neutral band, the top ``share`` by ``|score|``
    are kept; ``balance`` trims the larger class to the size of the smaller, so a target model is
    not pushed towards the base model's majority call.
    """
    scores = np.asarray(scores, dtype=float)
    pos = np.flatnonzero(scores > BAND)
    neg = np.flatnonzero(scores < -BAND)
    k_pos, k_neg = int(share * len(pos)), int(share * len(neg))
    if balance:
        k_pos = k_neg = min(k_pos, k_neg)
    top_pos = pos[np.argsort(-scores[pos], kind="stable")[:k_pos]]
    top_neg = neg[np.argsort(scores[neg], kind="stable")[:k_neg]]
    idx = np.concatenate([top_pos, top_neg])
    return idx, np.concatenate([np.ones(len(top_pos), int), np.zeros(len(top_neg), int)])


def _evidence(scores: np.ndarray) -> np.ndarray:
    return np.arctanh(np.clip(scores, -_CAP, _CAP))


def estimate_prior_shift(logits: np.ndarray, source_prior: float, iterations: int = 200) -> float:
    """Log-odds shift from the source class prior to the target's, estimated by EM on unlabeled logits.

    Label shift (Saerens, Latinne & Decaestecker 2002): with calibrated P(positive | x) learned under
    the source prior, re-weight the posteriors by the prior ratio, re-estimate the target prior as
    their mean, repeat. A domain whose customers are mostly happy (restaurant reviews) gets its
    logits moved up, one that complains (delivery) down. Clipped to ±2 log-odds so a badly
    calibrated domain cannot flip every call.
    """
    p = 1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=float)))
    pi_s = min(0.99, max(0.01, source_prior))
    pi = pi_s
    for _ in range(iterations):
        w1, w0 = pi / pi_s, (1 - pi) / (1 - pi_s)
        new = float(np.mean(p * w1 / (p * w1 + (1 - p) * w0)))
        if abs(new - pi) < 1e-6:
            break
        pi = min(0.99, max(0.01, new))
    return float(np.clip(np.log(pi / (1 - pi)) - np.log(pi_s / (1 - pi_s)), -2.0, 2.0))


class AdaptedModel(BaseEstimator):
    """A fitted base model plus a target model self-trained on unlabeled documents of the target domain.

    Settings: ``base`` (a fitted SentimentModel), ``rounds`` (each round re-selects pseudo-labels
    with the current adapted model and refits the target model from scratch), ``share`` and
    ``balance`` (see :func:`select_pseudo_labels`), ``weight`` (the target model's share of the
    evidence: score = tanh((1 − w)·ev_base + w·ev_target)), ``min_pseudo``. ``fit(docs)`` takes the
    target's documents as clause token lists (:func:`voc.model.prepare`); no labels.
    """

    def __init__(
        self,
        base=None,
        *,
        rounds: int = 2,
        share: float = 0.5,
        balance: bool = True,
        weight: float = 0.5,
        min_pseudo: int = MIN_PSEUDO,
        C: float = 1.0,
        prior_shift: bool = True,
    ):
        self.base = base
        self.rounds = rounds
        self.share = share
        self.balance = balance
        self.weight = weight
        self.min_pseudo = min_pseudo
        self.C = C
        self.prior_shift = prior_shift

    def fit(self, docs: Sequence[Sequence[Sequence[str]]], y=None) -> AdaptedModel:
        """Self-train on ``docs`` (unlabeled; ``y`` is ignored, there for the estimator protocol)."""
        if self.base is None:
            raise ValueError("AdaptedModel needs a fitted base model")
        flat = flatten(docs)
        self.target_ = None
        self.history_ = []
        self.shift_ = 0.0
        if self.prior_shift and len(docs):
            z = _evidence(self.base.score_documents(docs)[1]) / self.base.gain_
            source_prior = float(np.mean(1.0 / (1.0 + np.exp(-self.base.oof_logits_))))
            self.shift_ = estimate_prior_shift(z, source_prior)
        for _ in range(self.rounds):
            idx, labels = select_pseudo_labels(document_scores(self, docs, "blend"), self.share, self.balance)
            n_pos = int(labels.sum())
            self.history_.append({"pseudo": len(idx), "positive": n_pos, "negative": len(idx) - n_pos})
            if min(n_pos, len(idx) - n_pos) < self.min_pseudo:
                break
            self.target_ = SentimentModel(
                C=self.C,
                calibration_folds=2,
                lexicon_dir=self.base.lexicon_dir,
                max_char_features=min(self.base.max_char_features, 50_000),
            ).fit([flat[i] for i in idx], labels)
        self.scorer_ = self.base.scorer_
        self.n_target_ = len(docs)
        digest = self.target_.version_.rsplit("+", 1)[-1] if self.target_ is not None else "none"
        self.version_ = f"{self.base.version_}+adapt-{digest}{self.shift_:+.2f}"
        return self

    # --- scoring (the interface of SentimentModel) ------------------------------------------

    def _combine(self, base_scores: np.ndarray, target_scores: np.ndarray | None) -> np.ndarray:
        """Base evidence moved by the prior shift (not where the base says exactly 0: questions),
        averaged with the target model's evidence."""
        shift = getattr(self, "shift_", 0.0)
        if target_scores is None and shift == 0.0:
            return base_scores
        base_ev = _evidence(base_scores) + (base_scores != 0) * shift * self.base.gain_
        if target_scores is None:
            return np.tanh(base_ev)
        w = self.weight
        return np.tanh((1 - w) * base_ev + w * _evidence(target_scores))

    def _target(self):
        return getattr(self, "target_", None)

    def score(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """One score in [-1, 1] per token list."""
        t = self._target()
        return self._combine(self.base.score(token_lists), t.score(token_lists) if t is not None else None)

    def score_documents(self, docs: Sequence[Sequence[Sequence[str]]]) -> tuple[np.ndarray, np.ndarray]:
        """(clause scores, document scores), each the evidence average of the two models'."""
        clause_b, doc_b = self.base.score_documents(docs)
        t = self._target()
        clause_t, doc_t = t.score_documents(docs) if t is not None else (None, None)
        return self._combine(clause_b, clause_t), self._combine(doc_b, doc_t)

    def predict(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """0/1 per token list (the sign of the score)."""
        return (self.score(token_lists) >= 0).astype(int)

    @staticmethod
    def label(score: float) -> Label:
        """Same bands as :func:`voc.sentiment.label`."""
        return band_label(score)
