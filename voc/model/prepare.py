"""Raw text → the token lists the models read, exactly as the enrichment path produces them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from voc.clauses import split_clauses
from voc.normalize import normalize
from voc.paths import LEXICON_DIR
from voc.pii import mask_pii
from voc.segment import get_segmenter
from voc.sentiment import aggregate

#: How a document score is made from its clauses (see :func:`document_scores`).
DOC_MODES = ("clauses", "document", "blend")


def prepare(texts: Sequence[str], lexicon_dir: Path = LEXICON_DIR) -> list[list[list[str]]]:
    """Per text: its clauses' token lists (mask PII → normalize → clauses → segment)."""
    seg = get_segmenter(Path(lexicon_dir))
    return [[seg.cut(c) for c in split_clauses(normalize(mask_pii(t)))] for t in texts]


def flatten(docs: Sequence[Sequence[Sequence[str]]]) -> list[list[str]]:
    """One token list per document: its clauses' tokens in order."""
    return [[t for clause in d for t in clause] for d in docs]


def document_scores(scorer, docs: Sequence[Sequence[Sequence[str]]], mode: str = "clauses") -> np.ndarray:
    """Document scores in [-1, 1] from a scorer with ``.score(token_lists)``.

    ``clauses``: :func:`voc.sentiment.aggregate` of the clause scores (the enrichment path);
    ``document``: the whole document as one token list; ``blend``: the mean of the two evidences
    (``atanh`` of each score), so agreeing views add up and a split decision lands near 0.
    """
    if mode not in DOC_MODES:
        raise ValueError(f"mode must be one of {DOC_MODES}, got {mode!r}")
    if mode == "blend" and hasattr(scorer, "score_documents"):
        return scorer.score_documents(docs)[1]
    clause_scores = scorer.score([c for d in docs for c in d]).tolist() if mode != "document" else []
    per_clause, k = [], 0
    for d in docs:
        per_clause.append(aggregate(clause_scores[k : k + len(d)]) if d else 0.0)
        k += len(d)
    if mode == "clauses":
        return np.asarray(per_clause)
    whole = scorer.score(flatten(docs))
    if mode == "document":
        return whole
    cap = 0.9999
    ev = [
        (math.atanh(max(-cap, min(cap, a))) + math.atanh(max(-cap, min(cap, b)))) / 2
        for a, b in zip(per_clause, whole)
    ]
    return np.tanh(np.asarray(ev))
