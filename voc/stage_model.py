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
than none. With ``opinion_gate`` set, a stage below that probability also needs an opinion mention
in the clause (:mod:`voc.opinions`; checked by :class:`voc.stages.StageTagger`, which holds the
extractor): a clause the sentiment step calls negative without any complaint word in it is mostly
description or praise. Featurizing is plain dict look-ups and one sparse product per batch (a few
µs a clause).

Shipped model: ``models/stages/stage-lr.npz``, built by ``bench/train_stages.py`` (see
``models/stages/MODEL_CARD.md``); :func:`load_stage_model` loads it once per process.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from itertools import repeat
from operator import add
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
#: Opinion features are pseudo-tokens appended to a clause's tokens (no bigrams are made of them).
OPINION_MARK = "\x02"
KEYWORD_CAP = 3.0  # keyword evidence per stage is clipped: three heavy words say no more than one


class StageModel:
    """Negative clause -> stage key or None. scikit-learn style: settings here, learned state ``_``.

    ``stage_keys``: the stage keys in journey order (the keyword-evidence columns); ``threshold``:
    minimum probability of the best stage, else abstain; but a stage whose keyword evidence in the
    clause is at least ``keyword_min`` (a heavy seed word, or two) needs only ``keyword_floor``:
    the model may veto a keyword, not ignore it (it learned on restaurant reviews, where many
    genuine complaints were never annotated, and would otherwise overrule seeds of other domains);
    ``opinion_gate``: below this probability a stage needs an opinion mention in the clause (None:
    no such check; the caller applies it, see :meth:`predict_arrays`);
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
        opinion_gate: float | None = None,
        opinion_features: bool = False,
        C: float = 1.0,
        min_count: int = 2,
        max_iter: int = 300,
    ):
        self.stage_keys = tuple(stage_keys)
        self.threshold = threshold
        self.keyword_min = keyword_min
        self.keyword_floor = keyword_floor
        self.opinion_gate = opinion_gate
        self.opinion_features = opinion_features
        self.C = C
        self.min_count = min_count
        self.max_iter = max_iter

    # --- features ---------------------------------------------------------------------------
    def _n_dense(self) -> int:
        n = len(self.stage_keys)
        return 2 * n + len(SCORE_BINS) + len(DOC_BINS)

    def _lookups(self):
        """dict.get of tokens and of bigrams to their lexical column: the hot path then builds no
        string per bigram."""
        if getattr(self, "_lookup_of", None) is not self.vocab_:
            toks = {f: i for f, i in self.vocab_.items() if not f.startswith("\x01")}
            bis = {f[1:]: i for f, i in self.vocab_.items() if f.startswith("\x01")}
            self._lookup_, self._lookup_of = (toks.get, bis.get), self.vocab_
        return self._lookup_

    def _dense(self, evidence, scores, context=None) -> np.ndarray:
        """The dense columns from per-clause evidence dicts (stage key -> weight); ``context``:
        (document score, previous clause's evidence dict) per clause, or None."""
        n = len(scores)
        context = context if context is not None else [(0.0, {})] * n
        col = {k: i for i, k in enumerate(self.stage_keys)}
        ev = np.zeros((n, len(col)), dtype=np.float32)
        prev = np.zeros((n, len(col)), dtype=np.float32)
        for row, (e, (_, p)) in enumerate(zip(evidence, context)):
            for target, d in ((ev, e), (prev, p)):
                for key, w in d.items():
                    c = col.get(key)  # a stage added to stages.yaml after training has no column
                    if c is not None:
                        target[row, c] = w
        return self._dense_arrays(ev, prev, scores, [c[0] for c in context])

    def _dense_arrays(self, ev, prev, scores, doc_scores) -> np.ndarray:
        """Per clause: keyword evidence per stage (capped), score bins, document-score bins, the
        previous clause's keyword evidence per stage. ``ev``, ``prev``: (clauses, stage_keys)."""
        n_keys = len(self.stage_keys)
        doc_at = n_keys + len(SCORE_BINS)
        prev_at = doc_at + len(DOC_BINS)
        n = len(scores)
        out = np.zeros((n, self._n_dense()), dtype=np.float32)
        out[:, :n_keys] = np.minimum(ev, KEYWORD_CAP)
        out[:, n_keys:doc_at] = np.asarray(scores, dtype=np.float32)[:, None] < np.asarray(SCORE_BINS)
        edges = np.asarray([lo for lo, _ in DOC_BINS[1:]], dtype=np.float32)
        doc = np.asarray(doc_scores, dtype=np.float32)
        out[np.arange(n), doc_at + np.searchsorted(edges, doc, side="right")] = 1.0
        out[:, prev_at:] = np.minimum(prev, KEYWORD_CAP)
        return out

    def _lexical(self, tokens) -> sparse.csr_matrix:
        """Binary token and bigram indicators, built for the whole batch at once: one pass of
        dict look-ups over all tokens and over the bigrams of all clauses joined by a separator."""
        tok_get, bi_get = self._lookups()
        n = len(tokens)
        n_tok = np.fromiter(map(len, tokens), dtype=np.int64, count=n)
        texts = [_text(t) for t in tokens]
        lens = np.fromiter(map(len, texts), dtype=np.int64, count=n)
        flat = [t for toks in tokens for t in toks]
        tcols = np.fromiter(map(tok_get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
        trows = np.repeat(np.arange(n), n_tok)
        big = "\0".join(texts)  # a bigram across the separator is in no vocabulary
        m = max(len(big) - 1, 0)
        bcols = np.fromiter(map(bi_get, map(add, big, big[1:]), repeat(-1)), dtype=np.int64, count=m)
        brows = np.repeat(np.arange(n), lens + 1)[:m]
        rows = np.concatenate([trows, brows])
        cols = np.concatenate([tcols, bcols])
        keep = cols >= 0
        X = sparse.csr_matrix(
            (np.ones(int(keep.sum()), dtype=np.float32), (rows[keep], cols[keep])),
            shape=(n, len(self.vocab_)),
        )
        X.data[:] = 1.0  # a token or bigram seen twice in a clause still counts once
        return X

    def _matrix(self, tokens, evidence, scores, context=None) -> sparse.csr_matrix:
        """All features of a batch: the dense columns, then the lexical ones."""
        return sparse.hstack(
            [sparse.csr_matrix(self._dense(evidence, scores, context)), self._lexical(tokens)], format="csr"
        )

    # --- learning ---------------------------------------------------------------------------
    def fit(self, tokens, evidence, scores, labels, sample_weight=None, context=None) -> StageModel:
        """Learn from negative clauses: ``labels`` are stage keys or ``"none"``."""
        from sklearn.linear_model import LogisticRegression

        counts: dict[str, int] = {}
        for toks in tokens:
            text = _text(toks)
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
        return self._proba(tokens, self._dense(evidence, scores, context))

    def _proba(self, tokens, dense: np.ndarray) -> np.ndarray:
        if not len(tokens):
            return np.zeros((0, len(self.classes_)), dtype=np.float32)
        n_dense = self._n_dense()
        z = dense @ self.coef_[:n_dense]
        z += self._lexical(tokens) @ self.coef_[n_dense:]
        z += self.intercept_
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    def predict(self, tokens, evidence, scores, context=None) -> list[str | None]:
        """The stage complained about, or None (no stage, or not confident enough)."""
        return self._decide(tokens, self._dense(evidence, scores, context))

    def predict_arrays(
        self, tokens, evidence, prev_evidence, scores, doc_scores, *, confidence: bool = False
    ) -> list[str | None] | tuple[list[str | None], np.ndarray]:
        """:meth:`predict` with the keyword evidence as arrays (clauses × ``stage_keys``), as
        ``StageTagger.tag_clauses`` computes it for a whole batch. ``confidence``: also return the
        model's probability of each returned stage (for the opinion gate)."""
        dense = self._dense_arrays(evidence, prev_evidence, scores, doc_scores)
        if confidence:
            return self._decide(tokens, dense, confidence=True)
        return self._decide(tokens, dense)

    def _decide(self, tokens, dense: np.ndarray, confidence: bool = False):
        proba = self._proba(tokens, dense)
        if not len(proba):
            return ([], np.zeros(0, dtype=np.float32)) if confidence else []
        if NONE in self.classes_:
            proba[:, self.classes_.index(NONE)] = 0.0
        rows = np.arange(len(proba))
        best = proba.argmax(axis=1)
        choice = np.where(proba[rows, best] >= self.threshold, best, -1)
        # keyword fallback: the heaviest stage with evidence >= keyword_min, if the model gives it
        # at least keyword_floor
        ev = dense[:, : len(self.stage_keys)]
        ev = np.where(ev >= self.keyword_min, ev, 0.0)
        key_best = ev.argmax(axis=1)
        cls_of_key = np.array([self.classes_.index(k) if k in self.classes_ else -1 for k in self.stage_keys])
        kcls = cls_of_key[key_best]
        ok = (ev[rows, key_best] > 0) & (kcls >= 0) & (proba[rows, np.maximum(kcls, 0)] >= self.keyword_floor)
        choice = np.where(choice >= 0, choice, np.where(ok, kcls, -1))
        classes = self.classes_
        found = [classes[c] if c >= 0 else None for c in choice.tolist()]
        if confidence:
            return found, proba[rows, np.maximum(choice, 0)]
        return found

    # --- persistence ------------------------------------------------------------------------
    def save(self, path: Path, meta: dict | None = None) -> None:
        """Write an ``.npz`` (no pickles): vocabulary, weights, settings and ``meta``."""
        vocab = sorted(self.vocab_, key=self.vocab_.__getitem__)
        settings = {
            "stage_keys": self.stage_keys,
            "threshold": self.threshold,
            "keyword_min": self.keyword_min,
            "keyword_floor": self.keyword_floor,
            "opinion_gate": self.opinion_gate,
            "opinion_features": self.opinion_features,
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
                opinion_gate=settings.get("opinion_gate"),
                opinion_features=settings.get("opinion_features", False),
                C=settings["C"],
            )
            model.min_count = settings["min_count"]
            model.classes_ = tuple(settings["classes"])
            model.vocab_ = {f: i for i, f in enumerate(z["vocab"].tolist())}
            model.coef_ = z["coef"].astype(np.float32)
            model.intercept_ = z["intercept"].astype(np.float32)
            model.meta_ = settings["meta"]
        model._lookups()  # built once here, not on the first batch
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


def _text(tokens) -> str:
    """The clause text the bigrams are made of: its tokens without opinion pseudo-tokens."""
    if tokens and tokens[-1][:1] == OPINION_MARK:
        return "".join(t for t in tokens if t[:1] != OPINION_MARK)
    return "".join(tokens)


def opinion_tokens(mentions) -> list[str]:
    """Pseudo-tokens of a clause's opinion mentions (:mod:`voc.opinions`): one saying there is an
    opinion, the aspect group of each mention (none for an empty aspect) and its canonical opinion.
    The model learns the aspect group → stage map from them (菜品 → usage, 排队 → purchase)."""
    if not mentions:
        return []
    out = [OPINION_MARK + "op"]
    for m in mentions:
        out.append(OPINION_MARK + "g:" + m[0])
        out.append(OPINION_MARK + "o:" + m[1])
    return out


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
