"""Customer-journey stages (``lexicons/stages.yaml``) and the keyword tagger that puts a clause on one.

Eight default stages in journey order, awareness 认知触达 … loyalty 忠诚复购, each with its phase
(售前/售中/售后/全程), owning team and weighted seed keywords. A clause gets at most one stage: the
one whose keywords in the clause weigh the most; ties go to the stage with the heavier single
keyword, then to the earlier stage. Keywords match whole tokens of the project segmenter.

A clause the sentiment step labels negative is different: what matters there is the stage it
*complains about*, and a keyword in it often is no complaint (点的团购，味道一般). For those,
:meth:`StageTagger.tag_clauses` asks the learned model of :mod:`voc.stage_model` (keyword evidence
is one of its inputs), which abstains when unsure; without a shipped model it falls back to keywords.

>>> tagger = StageTagger.from_lexicons()
>>> tagger.tag(["快递", "太慢", "了"]), tagger.tag(["今天", "天气", "晴"])
('delivery', None)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from voc.lexicons import fail, read_yaml
from voc.paths import LEXICON_DIR
from voc.stage_model import MODEL_PATH, StageModel, load_stage_model, opinion_tokens

STAGES_FILE = "stages.yaml"
PHASES = ("售前", "售中", "售后", "全程")
STAGE_FIELDS = ("key", "label", "phase", "owner", "keywords")
MAX_WEIGHT = 5.0


@dataclass(frozen=True)
class Stage:
    """One journey stage. ``weights`` lines up with ``keywords`` (1.0 unless the YAML says otherwise)."""

    key: str
    label: str
    order: int  # 0-based position in the journey
    phase: str  # 售前 / 售中 / 售后 / 全程, or two of them joined by " / "
    owner: str  # team that owns the stage's pain points
    keywords: tuple[str, ...]
    weights: tuple[float, ...] = ()


def load_stages(lexicon_dir: Path = LEXICON_DIR) -> tuple[Stage, ...]:
    """The stages of ``lexicon_dir/stages.yaml`` in journey order, validated.

    Errors name the file and the stage: an unknown or missing field, a bad phase or weight, a
    keyword listed twice (in one stage or across stages: a word counts for one stage only).
    """
    path = Path(lexicon_dir) / STAGES_FILE
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("stages"), list) or not data["stages"]:
        raise fail(path, None, "expected a top-level 'stages:' list of stage tables")
    if set(data) != {"stages"}:
        raise fail(path, None, f"unknown top-level key(s): {', '.join(sorted(set(data) - {'stages'}))}")
    stages = tuple(_stage(path, i, spec) for i, spec in enumerate(data["stages"]))
    _check_unique(path, stages)
    return stages


def _stage(path: Path, order: int, spec: Any) -> Stage:
    where = f"stage #{order + 1}"
    if not isinstance(spec, dict):
        raise fail(path, None, f"{where}: expected a table with {', '.join(STAGE_FIELDS)}")
    key = spec.get("key")
    if isinstance(key, str) and key:
        where = f"stage '{key}'"
    unknown = set(spec) - set(STAGE_FIELDS)
    if unknown:
        raise fail(
            path,
            None,
            f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))} "
            f"(expected {', '.join(STAGE_FIELDS)})",
        )
    for fld in STAGE_FIELDS[:4]:
        if not isinstance(spec.get(fld), str) or not spec[fld].strip():
            raise fail(path, None, f"{where}: '{fld}' is required and must be a non-empty string")
    if not key.isidentifier() or not key.isascii():
        raise fail(path, None, f"{where}: key must be an ASCII identifier such as 'delivery'")
    bad_phase = [p for p in spec["phase"].split("/") if p.strip() not in PHASES]
    if bad_phase:
        raise fail(
            path, None, f"{where}: phase must be one or more of {' / '.join(PHASES)}, got {spec['phase']!r}"
        )
    words, weights = _keywords(path, where, spec.get("keywords"))
    return Stage(
        key, spec["label"].strip(), order, spec["phase"].strip(), spec["owner"].strip(), words, weights
    )


def _keywords(path: Path, where: str, items: Any) -> tuple[tuple[str, ...], tuple[float, ...]]:
    if not isinstance(items, list) or not items:
        raise fail(path, None, f"{where}: 'keywords' must be a non-empty list of words or 'word: weight'")
    words: list[str] = []
    weights: list[float] = []
    for item in items:
        word, weight = next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, 1.0)
        if isinstance(word, int) and not isinstance(word, bool):
            word = str(word)  # YAML reads "12315" as a number
        if not isinstance(word, str) or not word.strip() or any(ch.isspace() for ch in word.strip()):
            raise fail(path, None, f"{where}: keyword {item!r} must be one word, or 'word: weight'")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= MAX_WEIGHT:
            raise fail(
                path,
                None,
                f"{where}: weight of keyword {word!r} must be a number in (0, {MAX_WEIGHT:g}], "
                f"got {weight!r}",
            )
        words.append(word.strip())
        weights.append(float(weight))
    return tuple(words), tuple(weights)


def _check_unique(path: Path, stages: Sequence[Stage]) -> None:
    seen_keys: set[str] = set()
    owner_of: dict[str, str] = {}
    for s in stages:
        if s.key in seen_keys:
            raise fail(path, None, f"stage '{s.key}' is defined twice")
        seen_keys.add(s.key)
        for word in s.keywords:
            if word in owner_of:
                first = owner_of[word]
                where = "twice in this stage" if first == s.key else f"also in stage '{first}'"
                raise fail(
                    path,
                    None,
                    f"stage '{s.key}': keyword {word!r} is listed {where} (a keyword belongs to one stage)",
                )
            owner_of[word] = s.key


class StageTagger:
    """Tags a clause (token list) with at most one stage key. Loaded tables end in ``_``.

    ``model``: the learned stage model for negative clauses (:meth:`tag_clauses`), or None for
    keywords only; ``opinions``: the opinion extractor that applies the model's ``opinion_gate``
    (a :class:`voc.opinions.OpinionExtractor`; None: no gate).
    """

    def __init__(self, stages: Sequence[Stage] = (), model: StageModel | None = None, opinions=None):
        self.stages = tuple(stages)
        self.model = model
        self.opinions = opinions
        # token -> (stage index, weight); a keyword belongs to one stage (checked by load_stages)
        self.index_: dict[str, tuple[int, float]] = {
            w: (s.order, s.weights[i] if s.weights else 1.0)
            for s in self.stages
            for i, w in enumerate(s.keywords)
        }
        self.keys_: dict[int, str] = {s.order: s.key for s in self.stages}

    @classmethod
    def from_lexicons(
        cls, lexicon_dir: Path = LEXICON_DIR, model_path: Path | None = MODEL_PATH
    ) -> StageTagger:
        """A tagger for the stages of ``lexicon_dir/stages.yaml``, with the stage model at
        ``model_path`` when that file exists (None: keywords only)."""
        model = load_stage_model(model_path) if model_path is not None else None
        opinions = None
        if model is not None and (model.opinion_gate is not None or model.opinion_features):
            from voc.opinions import OpinionExtractor  # its lexicon loader reads stages.yaml: no cycle

            opinions = OpinionExtractor.from_lexicons(lexicon_dir)
        return cls(load_stages(lexicon_dir), model, opinions)

    def tag_clauses(
        self,
        tokens: Sequence[Sequence[str]],
        labels: Sequence[str],
        scores: Sequence[float],
        doc_sizes: Sequence[int] | None = None,
        doc_scores: Sequence[float] | None = None,
    ) -> list[str | None]:
        """One stage (or None) per clause of a batch. Clauses labeled ``negative`` get the stage the
        model says they complain about, None when it is unsure; the others get :meth:`tag`.

        ``doc_sizes`` (clauses per document, in order) and ``doc_scores`` give the model each
        clause's document context; without them every clause counts as a document of its own.
        """
        tag = self.tag
        if self.model is None:
            return [tag(t) for t in tokens]
        # the keyword stage only where the model will not decide (it is the costly part of both)
        out = [None if lab == "negative" else tag(t) for t, lab in zip(tokens, labels)]
        neg = [i for i, lab in enumerate(labels) if lab == "negative"]
        if not neg:
            return out
        neg_at = np.asarray(neg)
        ev = self._model_evidence(tokens)
        first = np.ones(len(tokens), dtype=bool)
        if doc_sizes is not None:
            sizes = np.asarray(doc_sizes, dtype=np.int64)
            first[:] = False
            first[(np.cumsum(sizes) - sizes)[sizes > 0]] = True
        prev = np.zeros((len(neg), ev.shape[1]), dtype=np.float32)
        has_prev = ~first[neg_at]
        prev[has_prev] = ev[neg_at[has_prev] - 1]
        score_of = np.asarray(scores, dtype=np.float32)
        if doc_scores is not None and doc_sizes is not None:
            doc = np.repeat(np.asarray(doc_scores, dtype=np.float32), sizes)[neg_at]
        else:
            doc = score_of[neg_at]
        neg_tokens = [tokens[i] for i in neg]
        mentions = self._mentions(neg_tokens)
        if mentions is not None:
            neg_tokens = [[*t, *opinion_tokens(m)] for t, m in zip(neg_tokens, mentions)]
        found, conf = self.model.predict_arrays(
            neg_tokens, ev[neg_at], prev, score_of[neg_at], doc, confidence=True
        )
        self._opinion_gate(neg_tokens, found, conf, mentions)
        known = set(self.keys_.values())
        for i, stage in zip(neg, found):
            out[i] = stage if stage in known else None  # a stage removed from stages.yaml: none
        return out

    def _mentions(self, tokens) -> list[list[tuple[str, str]]] | None:
        """(aspect group, opinion) of each clause's opinion mentions, when the model reads them."""
        if not self.model.opinion_features or self.opinions is None:
            return None
        ex = self.opinions
        group = ex.group
        return [[(group(m.aspect), m.opinion) for m in ex.extract(t)] for t in tokens]

    def _opinion_gate(self, tokens, found: list, conf: np.ndarray, mentions=None) -> None:
        """A stage the model gives less than its ``opinion_gate`` needs an opinion mention in the
        clause, else None (in place). Only those clauses are looked at: the extractor is the costly
        part, and a confident model decision needs no check."""
        gate = self.model.opinion_gate
        if gate is None or self.opinions is None:
            return
        spans = self.opinions.spans
        for j in np.flatnonzero(conf < gate).tolist():
            if found[j] is not None and not (mentions[j] if mentions is not None else spans(tokens[j])):
                found[j] = None

    def _model_evidence(self, tokens: Sequence[Sequence[str]]) -> np.ndarray:
        """Keyword evidence of every clause of a batch, columns in the model's ``stage_keys`` order
        (zero for a stage stages.yaml no longer has): :meth:`evidence` as one sparse product."""
        model = self.model
        if getattr(self, "_weights_for", None) is not model:
            col = {k: i for i, k in enumerate(model.stage_keys)}
            words = [(w, col.get(self.keys_[i]), wt) for w, (i, wt) in self.index_.items()]
            self._kw_index = {w: j for j, (w, _, _) in enumerate(words)}
            weights = np.zeros((len(words), len(col)), dtype=np.float32)
            for j, (_, c, wt) in enumerate(words):
                if c is not None:
                    weights[j, c] = wt
            self._kw_weights, self._weights_for = weights, model
        flat = [t for toks in tokens for t in toks]
        idx = np.fromiter(map(self._kw_index.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
        sizes = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        rows = np.repeat(np.arange(len(tokens)), sizes)
        keep = idx >= 0
        hits = sparse.csr_matrix(
            (np.ones(int(keep.sum()), dtype=np.float32), (rows[keep], idx[keep])),
            shape=(len(tokens), len(self._kw_index)),
        )
        hits.data[:] = 1.0  # a repeated keyword counts once
        return np.asarray(hits @ self._kw_weights, dtype=np.float32)

    def evidence(self, tokens: Sequence[str]) -> dict[str, float]:
        """Summed keyword weight per stage key found in ``tokens`` (a repeated keyword counts once)."""
        found: dict[int, float] = {}
        for tok in set(tokens):
            hit = self.index_.get(tok)
            if hit is not None:
                found[hit[0]] = found.get(hit[0], 0.0) + hit[1]
        return {self.keys_[i]: w for i, w in sorted(found.items())}

    def tag(self, tokens: Sequence[str]) -> str | None:
        """The stage key with the strongest keyword evidence in ``tokens``, or None without any."""
        index = self.index_
        total: dict[int, float] = {}
        best: dict[int, float] = {}
        for tok in set(tokens):
            hit = index.get(tok)
            if hit is not None:
                i, w = hit
                total[i] = total.get(i, 0.0) + w
                if w > best.get(i, 0.0):
                    best[i] = w
        if not total:
            return None
        winner = min(total, key=lambda i: (-total[i], -best[i], i))
        return self.keys_[winner]
