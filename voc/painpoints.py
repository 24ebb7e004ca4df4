"""Pain points: negative clauses grouped into labelled complaints with scikit-learn.

Input: negative clauses (text, tokens of the project segmenter, stage key or None). Steps:

1. **terms**: content tokens only (no stopwords, punctuation, emoticons, negation, degree or
   question words, no one-character word unless it is a stage keyword or opinion word); an
   opinion fused with a degree adverb is reduced to its core (太慢, 很慢 → 慢) so it groups together.
2. **TF-IDF** over those terms with an identity analyzer: the tokens are never re-segmented.
3. **clusters per stage** (clauses without a stage stay unassigned unless ``unstaged=True``, then
   they form their own group): k-means (fit on a sample
   of at most FIT_SAMPLE clauses, then every clause goes to its nearest centroid) with
   ``k ≈ sqrt(n / (2 min_size))`` up to ``max_clusters_per_stage``; members of clusters smaller than
   ``min_size`` move to the nearest kept cluster when similar enough, else stay unassigned.
4. **labels** from class-based TF-IDF (c-TF-IDF) terms: the best aspect term first (a stage keyword
   that is not an opinion word), then the best negative opinion term: ``配送 慢``, ``客服 态度 差`` (a second
   aspect joins when 40 % of the clauses have it).
   A positive opinion word in a negative cluster is shown negated (新鲜 → 不新鲜). Clusters of one
   stage that end up with the same label are merged; ids are ``stable_id(stage, label)``.

>>> model = PainPointClusterer(min_size=2).fit(texts, tokens, stages)   # doctest: +SKIP
>>> [(p.label, p.stage, p.size) for p in model.points_]                # doctest: +SKIP
[('配送 慢', 'delivery', 6), ('客服 态度 差', 'service', 5)]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer

from voc.lexicons import read_words
from voc.paths import LEXICON_DIR
from voc.records import PainPoint, stable_id
from voc.sentiment import SentimentScorer
from voc.stages import load_stages

N_TERMS = 6  # terms kept per pain point
N_EXAMPLES = 3  # example quotes per pain point
LABEL_SHARE = 0.4  # a second aspect term joins the label when this share of the clauses has it
REASSIGN_SIMILARITY = 0.3  # cosine to a kept centroid needed to rescue a clause of a tiny cluster
FIT_SAMPLE = 4000  # k-means learns centroids on at most this many clauses per stage, then assigns all


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class PainPointClusterer:
    """Clusters negative clauses into :class:`voc.records.PainPoint` s (scikit-learn estimator style).

    After :meth:`fit`: ``points_`` (largest first) and ``labels_`` (pain-point id per input clause,
    None when unassigned).
    """

    def __init__(
        self,
        *,
        min_size: int = 5,
        max_clusters_per_stage: int = 8,
        random_state: int = 0,
        unstaged: bool = False,
        lexicon_dir: Path = LEXICON_DIR,
    ):
        self.min_size = min_size
        # Clauses with no journey stage are mostly generic venting ("太失望了"): grouping them made
        # one catch-all "pain point" a third of all complaints on the demo. Off by default.
        self.unstaged = unstaged
        self.max_clusters_per_stage = max_clusters_per_stage
        self.random_state = random_state
        self.lexicon_dir = lexicon_dir

    def fit(
        self, texts: Sequence[str], token_lists: Sequence[Sequence[str]], stages: Sequence[str | None]
    ) -> PainPointClusterer:
        """Cluster the clauses; ``texts``, ``token_lists`` and ``stages`` are parallel lists."""
        if not len(texts) == len(token_lists) == len(stages):
            raise ValueError("texts, token_lists and stages must have the same length")
        self._load_lexicons()
        self.points_: list[PainPoint] = []
        self.labels_: list[str | None] = [None] * len(texts)
        terms = [self._terms(t) for t in token_lists]
        rows = [i for i, t in enumerate(terms) if t and (self.unstaged or stages[i] is not None)]
        if len(rows) < max(1, self.min_size):
            return self
        vec = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2 if len(rows) > 1000 else 1)
        X = vec.fit_transform([terms[i] for i in rows]).tocsr()
        self.vocabulary_ = vec.get_feature_names_out()
        groups: dict[str | None, list[int]] = {}
        for r, i in enumerate(rows):
            groups.setdefault(stages[i], []).append(r)
        found: dict[tuple[str | None, str], list[int]] = {}  # (stage, label) -> rows of X
        for stage, members in groups.items():
            for cluster in self._cluster(X[members]):
                label, _ = self._label(X[[members[m] for m in cluster]], X[members])
                found.setdefault((stage, label), []).extend(members[m] for m in cluster)
        self._build(found, groups, X, rows, texts)
        return self

    # --- steps -------------------------------------------------------------------------------------

    def _load_lexicons(self) -> None:
        scorer = SentimentScorer.from_lexicons(self.lexicon_dir, bayes_weight=0.0)
        self._scorer = scorer
        lex = scorer.lexicon_
        self._drop = frozenset(read_words(Path(self.lexicon_dir) / "stopwords.txt")).union(
            lex.degree, lex.negation, lex.contrast, lex.question
        )
        self._aspects = frozenset(w for s in load_stages(self.lexicon_dir) for w in s.keywords)
        self._single = self._aspects | {w for w in lex.polarity if len(w) == 1}

    def _terms(self, tokens: Sequence[str]) -> list[str]:
        out = []
        for t in tokens:
            if t in self._drop or t[0] == "[" or not any(ch.isalnum() for ch in t) or t.isdigit():
                continue  # emoticons like [怒] say how it felt, not what went wrong
            if len(t) == 1 and t not in self._single:  # 是 都 就 我 给: function words, not complaints
                continue
            out.append(self._core(t))
        return out

    def _core(self, token: str) -> str:
        """太慢 → 慢: drop a degree adverb fused in front of an opinion word (negations stay)."""
        degree = self._scorer.lexicon_.degree
        for n in (2, 1):
            if len(token) > n and token[:n] in degree and self._scorer.word_polarity(token[n:]) is not None:
                return token[n:]
        return token

    def _cluster(self, X: sparse.csr_matrix) -> list[list[int]]:
        """Clusters of row positions in ``X``, each at least ``min_size`` rows."""
        n = X.shape[0]
        # about sqrt(n / (2 * min_size)): clusters average well above min_size, a few for a few hundred
        # clauses, the cap from a few thousand on
        m = max(1, self.min_size)
        k = max(1, min(self.max_clusters_per_stage, math.ceil(math.sqrt(n / (2 * m))), n // m))
        if n < self.min_size:
            return []
        if k == 1:
            return [list(range(n))]
        rng = np.random.default_rng(self.random_state)
        sample = np.sort(rng.choice(n, FIT_SAMPLE, replace=False)) if n > FIT_SAMPLE else np.arange(n)
        km = KMeans(n_clusters=k, n_init=3, random_state=self.random_state).fit(X[sample])
        centroids = km.cluster_centers_ / np.maximum(
            np.linalg.norm(km.cluster_centers_, axis=1, keepdims=True), 1e-12
        )
        assign = np.asarray((X @ centroids.T).argmax(axis=1)).ravel()  # every row, not just the sample
        sizes = np.bincount(assign, minlength=k)
        kept = np.flatnonzero(sizes >= self.min_size)
        if not len(kept):
            return []
        centroids = centroids[kept]
        small = np.flatnonzero(sizes[assign] < self.min_size)
        if len(small):
            sims = X[small] @ centroids.T
            best = sims.argmax(axis=1)
            ok = sims[np.arange(len(small)), best] >= REASSIGN_SIMILARITY
            assign[small] = np.where(ok, kept[best], -1)
        clusters = [np.flatnonzero(assign == c).tolist() for c in kept]
        return [c for c in clusters if len(c) >= self.min_size]

    def _ctfidf(self, Xc: sparse.csr_matrix, Xg: sparse.csr_matrix) -> np.ndarray:
        """Class-based TF-IDF of one cluster against its group: share of clauses with each term,
        times log(1 + clauses in the group / clauses in the group with the term)."""
        in_cluster = np.asarray((Xc > 0).sum(axis=0)).ravel() / Xc.shape[0]
        in_group = np.asarray((Xg > 0).sum(axis=0)).ravel()
        return in_cluster * np.log1p(Xg.shape[0] / np.maximum(in_group, 1))

    def _label(self, Xc: sparse.csr_matrix, Xg: sparse.csr_matrix) -> tuple[str, list[str]]:
        """(label, top terms) of a cluster: best aspect term, then best negative opinion term."""
        weights = self._ctfidf(Xc, Xg)
        share = np.asarray((Xc > 0).sum(axis=0)).ravel() / Xc.shape[0]
        order = np.argsort(-weights, kind="stable")[: max(N_TERMS, 12)]
        top = [self.vocabulary_[j] for j in order if weights[j] > 0]
        common = [self.vocabulary_[j] for j in order if share[j] >= LABEL_SHARE]
        polarity = self._scorer.word_polarity
        aspects = [t for t in common if t in self._aspects and polarity(t) is None][:2] or [
            t for t in top if polarity(t) is None
        ][:1]
        opinion = next((t for t in top if (polarity(t) or 0) < 0), None)
        if opinion is None:
            opinion = next((f"不{t}" for t in top if (polarity(t) or 0) > 0), None)
        parts = [*aspects, opinion] if opinion else aspects
        return " ".join(parts or top[:2]), top[:N_TERMS]

    def _build(self, found, groups, X, rows, texts) -> None:
        for (stage, label), members in found.items():
            members = sorted(members)
            idx = [rows[m] for m in members]  # input positions
            pid = stable_id(stage, label)
            for i in idx:
                self.labels_[i] = pid
            Xc = X[members]
            _, top = self._label(Xc, X[groups[stage]])
            self.points_.append(
                PainPoint(
                    id=pid,
                    label=label,
                    stage=stage,
                    size=len(idx),
                    terms=tuple(top),
                    examples=self._examples(Xc, idx, texts),
                )
            )
        self.points_.sort(key=lambda p: (-p.size, p.label))

    def _examples(self, Xc: sparse.csr_matrix, idx: list[int], texts: Sequence[str]) -> tuple[str, ...]:
        """Up to N_EXAMPLES distinct texts closest to the cluster centroid."""
        centroid = np.asarray(Xc.mean(axis=0)).ravel()
        order = np.argsort(-(Xc @ centroid), kind="stable")
        out: list[str] = []
        for j in order:
            text = texts[idx[j]].strip()
            if text and text not in out:
                out.append(text)
                if len(out) == N_EXAMPLES:
                    break
        return tuple(out)
