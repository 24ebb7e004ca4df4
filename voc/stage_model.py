"""The learned part of stage mapping: which journey stage a *negative* clause complains about, or none.

The keyword tagger (:mod:`voc.stages`) says which stage a clause talks about; that is not the same
as what it complains about. On aspect-labeled restaurant reviews most keyword hits in clauses the
sentiment step calls negative are no negative stage mention at all: the clause praises the food, or
describes it, or the keyword is a bystander (点的团购，味道一般 is about taste, not the deal). So
this model answers one question for clauses labeled negative: *the stage of the aspect this clause
complains about, or none*. It is a multinomial logistic regression over

* the clause's tokens and character bigrams (bigrams generalize to words no list has: 牛肉面,
  上菜慢 share pieces with words it has seen);
* the keyword evidence of ``lexicons/stages.yaml`` per stage (so an analyst's edit of the
  keywords still moves the decision, and a keyword the model never saw still counts);
* the clause's sentiment score, in bins (a strongly negative clause is more likely a complaint),
  and its document's (a weakly negative clause in a glowing review rarely is one);
* the previous clause's keyword evidence (服务员，态度很差: the aspect sits one clause earlier).

It abstains (returns None) unless the best stage's probability reaches ``threshold``: wrong is worse
than none. Featurizing is plain dict look-ups and one sparse product per batch (a few µs a clause).

Shipped model: ``models/stages/stage-lr.npz``, built by ``bench/train_stages.py`` (see
``models/stages/MODEL_CARD.md``); :func:`load_stage_model` loads it once per process.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from voc.paths import PROJECT_ROOT

MODEL_PATH = PROJECT_ROOT / "models" / "stages" / "stage-lr.npz"
NONE = "none"
#: Sentiment-score bins: feature k fires when the score is below SCORE_BINS[k].
SCORE_BINS = (-0.3, -0.5, -0.7, -0.9)
#: Document-score bins [lo, hi): a weakly negative clause in a positive review is rarely a complaint.
DOC_BINS = ((-1.01, -0.5), (-0.5, -0.1), (-0.1, 0.1), (0.1, 0.5), (0.5, 1.01))
KEYWORD_CAP = 3.0  # keyword evidence per stage is clipped: three heavy words say no more than one


class StageModel:
    """Negative clause -> stage key or None. scikit-learn style: settings here, learned state ``_``.

    ``stage_keys``: the stage keys in journey order (the keyword-evidence columns); ``threshold``:
    minimum probability of the best stage, else abstain; but a stage whose keyword evidence in the
    clause is at least ``keyword_min`` (a heavy seed word, or two) needs only ``keyword_floor``:
    the model may veto a keyword, not ignore it (it learned on restaurant reviews, where many
    genuine complaints were never annotated, and would otherwise overrule seeds of other domains);
    ``C``, ``min_count``: regularization and
    the minimum number of training clauses a token or bigram needs to become a feature.
    """

    def __init__(
        self,
        stage_keys: Sequence[str],
        *,
        threshold: float = 0.5,
        keyword_min: float = 2.0,
        keyword_floor: float = 0.1,
        C: float = 1.0,
        min_count: int = 2,
        max_iter: int = 300,
    ):
        self.stage_keys = tuple(stage_keys)
        self.threshold = threshold
        self.keyword_min = keyword_min
        self.keyword_floor = keyword_floor
        self.C = C
        self.min_count = min_count
        self.max_iter = max_iter

    # --- features ---------------------------------------------------------------------------
    def _n_dense(self) -> int:
        n = len(self.stage_keys)
        return 2 * n + len(SCORE_BINS) + len(DOC_BINS)

    def _matrix(self, tokens, evidence, scores, context=None) -> sparse.csr_matrix:
        """CSR rows: [keyword evidence per stage, score bins, document-score bins, the previous
        clause's keyword evidence per stage, token and bigram indicators].

        ``context`` holds (document score, previous clause's evidence) per clause, or is None.
        """
        vocab = self.vocab_
        n_keys = len(self.stage_keys)
        doc_at = n_keys + len(SCORE_BINS)
        prev_at = doc_at + len(DOC_BINS)
        n_dense = self._n_dense()
        col = {k: i for i, k in enumerate(self.stage_keys)}
        context = context if context is not None else [(0.0, {})] * len(tokens)
        indices: list[int] = []
        data: list[float] = []
        indptr = [0]
        for toks, ev, score, (doc_score, prev) in zip(tokens, evidence, scores, context):
            for key, w in ev.items():
                c = col.get(key)  # a stage added to stages.yaml after training has no column
                if c is not None:
                    indices.append(c)
                    data.append(min(w, KEYWORD_CAP))
            for k, edge in enumerate(SCORE_BINS):
                if score < edge:
                    indices.append(n_keys + k)
                    data.append(1.0)
            for k, (lo, hi) in enumerate(DOC_BINS):
                if lo <= doc_score < hi:
                    indices.append(doc_at + k)
                    data.append(1.0)
            for key, w in prev.items():
                c = col.get(key)
                if c is not None:
                    indices.append(prev_at + c)
                    data.append(min(w, KEYWORD_CAP))
            text = "".join(toks)
            feats = {vocab.get(t) for t in toks}
            feats.update(vocab.get("\x01" + text[i : i + 2]) for i in range(len(text) - 1))
            feats.discard(None)
            indices.extend(f + n_dense for f in feats)
            data.extend([1.0] * len(feats))
            indptr.append(len(indices))
        shape = (len(indptr) - 1, n_dense + len(vocab))
        return sparse.csr_matrix((data, indices, indptr), shape=shape)

    # --- learning ---------------------------------------------------------------------------
    def fit(self, tokens, evidence, scores, labels, sample_weight=None, context=None) -> StageModel:
        """Learn from negative clauses: ``labels`` are stage keys or ``"none"``."""
        from sklearn.linear_model import LogisticRegression

        counts: dict[str, int] = {}
        for toks in tokens:
            text = "".join(toks)
            for f in set(toks) | {"\x01" + text[i : i + 2] for i in range(len(text) - 1)}:
                counts[f] = counts.get(f, 0) + 1
        kept = sorted(f for f, c in counts.items() if c >= self.min_count)
        self.vocab_ = {f: i for i, f in enumerate(kept)}
        X = self._matrix(tokens, evidence, scores, context)
        clf = LogisticRegression(C=self.C, max_iter=self.max_iter)
        clf.fit(X, labels, sample_weight=sample_weight)
        self.classes_ = tuple(str(c) for c in clf.classes_)
        self.coef_ = clf.coef_.T.astype(np.float32)  # (features, classes)
        self.intercept_ = clf.intercept_.astype(np.float32)
        return self

    # --- prediction -------------------------------------------------------------------------
    def predict_proba(self, tokens, evidence, scores, context=None) -> np.ndarray:
        """Class probabilities, one row per clause, columns in ``classes_`` order."""
        if not len(tokens):
            return np.zeros((0, len(self.classes_)), dtype=np.float32)
        z = self._matrix(tokens, evidence, scores, context) @ self.coef_ + self.intercept_
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    def predict(self, tokens, evidence, scores, context=None) -> list[str | None]:
        """The stage complained about, or None (no stage, or not confident enough)."""
        proba = self.predict_proba(tokens, evidence, scores, context)
        if not len(proba):
            return []
        none = self.classes_.index(NONE) if NONE in self.classes_ else -1
        if none >= 0:
            proba[:, none] = 0.0
        best = proba.argmax(axis=1)
        sure = proba[np.arange(len(best)), best] >= self.threshold
        col = {c: i for i, c in enumerate(self.classes_)}
        out: list[str | None] = []
        for row, b, ok, ev in zip(proba, best.tolist(), sure.tolist(), evidence):
            if ok:
                out.append(self.classes_[b])
                continue
            strong = [(w, k) for k, w in ev.items() if w >= self.keyword_min and k in col]
            k = max(strong)[1] if strong else None
            out.append(k if k is not None and row[col[k]] >= self.keyword_floor else None)
        return out

    # --- persistence ------------------------------------------------------------------------
    def save(self, path: Path, meta: dict | None = None) -> None:
        """Write an ``.npz`` (no pickles): vocabulary, weights, settings and ``meta``."""
        vocab = sorted(self.vocab_, key=self.vocab_.__getitem__)
        settings = {
            "stage_keys": self.stage_keys,
            "threshold": self.threshold,
            "keyword_min": self.keyword_min,
            "keyword_floor": self.keyword_floor,
            "C": self.C,
            "min_count": self.min_count,
            "classes": self.classes_,
            "meta": meta or {},
        }
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            vocab=np.array(vocab, dtype=str),
            coef=self.coef_.astype(np.float16),
            intercept=self.intercept_,
            settings=np.array(json.dumps(settings, ensure_ascii=False)),
        )

    @classmethod
    def load(cls, path: Path) -> StageModel:
        with np.load(path, allow_pickle=False) as z:
            settings = json.loads(str(z["settings"]))
            model = cls(
                settings["stage_keys"],
                threshold=settings["threshold"],
                keyword_min=settings.get("keyword_min", 2.0),
                keyword_floor=settings.get("keyword_floor", 0.1),
                C=settings["C"],
            )
            model.min_count = settings["min_count"]
            model.classes_ = tuple(settings["classes"])
            model.vocab_ = {f: i for i, f in enumerate(z["vocab"].tolist())}
            model.coef_ = z["coef"].astype(np.float32)
            model.intercept_ = z["intercept"].astype(np.float32)
            model.meta_ = settings["meta"]
        return model

    def prune(self, min_weight: float = 0.02) -> StageModel:
        """Drop token/bigram features whose weights are all below ``min_weight``: a smaller file."""
        n_dense = self._n_dense()
        strong = np.abs(self.coef_[n_dense:]).max(axis=1) >= min_weight
        keep = np.concatenate([np.arange(n_dense), n_dense + np.flatnonzero(strong)])
        vocab = sorted(self.vocab_, key=self.vocab_.__getitem__)
        self.vocab_ = {f: i for i, f in enumerate(f for f, s in zip(vocab, strong) if s)}
        self.coef_ = self.coef_[keep]
        return self


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> StageModel:
    return StageModel.load(Path(path))


def load_stage_model(path: Path = MODEL_PATH) -> StageModel | None:
    """The shipped stage model (read once per process and file version), None when there is none."""
    path = Path(path)
    if not path.is_file():
        return None
    return _load_cached(str(path), path.stat().st_mtime)


def stage_model_version(path: Path = MODEL_PATH) -> str:
    """``stg.<hash>`` of the model file (``stg.none`` without one): part of enrichment's model
    version, so a rebuilt stage model re-enriches the warehouse like an edited lexicon does."""
    path = Path(path)
    if not path.is_file():
        return "stg.none"
    return _file_hash(str(path), path.stat().st_mtime)


@lru_cache(maxsize=4)
def _file_hash(path: str, mtime: float) -> str:
    return "stg." + hashlib.blake2b(Path(path).read_bytes(), digest_size=4).hexdigest()
