"""Enrichment, the hot path: normalize → clauses → segment → sentiment → stage, in batches.

One :class:`Enricher` per process holds the segmenter, sentiment scorer and stage tagger (each
loads its lexicons once). Work is done a batch at a time so per-document Python overhead stays
small, and the time spent in each step is accumulated in :attr:`Enricher.timings` for benchmarks.

>>> enricher = Enricher()
>>> [doc] = enricher.enrich(["f1"], ["東西不錯，但是快遞太慢了[怒]"])
>>> doc.label, doc.neg_stages
('negative', ('delivery',))
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from time import perf_counter

from voc.clauses import split_clauses
from voc.lexicons import fingerprint
from voc.normalize import normalize
from voc.paths import LEXICON_DIR
from voc.pii import mask_pii
from voc.records import Clause, EnrichedFeedback
from voc.segment import Segmenter
from voc.sentiment import aggregate, label
from voc.stage_model import stage_model_version
from voc.stages import StageTagger, load_stages

STEPS = ("normalize", "clauses", "segment", "sentiment", "stages")


def load_scorer(lexicon_dir: Path = LEXICON_DIR, model_path: Path | None = None):
    """The sentiment scorer: the model at ``model_path`` (a domain model from the warehouse's
    registry), else the shipped model in models/sentiment/, else the lexicon scorer."""
    from voc.model import ModelError, load_default_scorer

    if model_path is None:
        return load_default_scorer(lexicon_dir)
    if not Path(model_path).is_file():
        raise ModelError(f"sentiment model not found: {model_path} (see the sentiment_models table)")
    return load_default_scorer(lexicon_dir, Path(model_path))


def model_version(lexicon_dir: Path = LEXICON_DIR, model_path: Path | None = None) -> str:
    """What enrichment results depend on: the sentiment model's version, the lexicons' content and
    the stage model file.

    Stored with every enriched row, so a new model or an edited lexicon re-enriches on the next run.
    """
    from voc.model import scorer_version

    scorer = scorer_version(load_scorer(lexicon_dir, model_path))
    return f"{scorer}+lex.{fingerprint(lexicon_dir)}+{stage_model_version()}"


class Enricher:
    """Scores documents and their clauses. Create once per process; call :meth:`enrich` per batch."""

    def __init__(self, lexicon_dir: Path = LEXICON_DIR, model_path: Path | None = None):
        self.lexicon_dir = Path(lexicon_dir)
        self.model_path = model_path
        self.model_version = model_version(self.lexicon_dir, model_path)
        # A fresh segmenter, not the process-wide one: its lexicons may have been edited since.
        self.segmenter = Segmenter(self.lexicon_dir)
        self.scorer = load_scorer(self.lexicon_dir, model_path)
        self.tagger = StageTagger.from_lexicons(self.lexicon_dir)
        self.stage_order = {s.key: s.order for s in load_stages(self.lexicon_dir)}
        self.timings = dict.fromkeys(STEPS, 0.0)

    def enrich(self, ids: Sequence[str], texts: Sequence[str]) -> list[EnrichedFeedback]:
        """Enrich one batch. ``texts`` may hold raw text: PII is masked again (idempotent)."""
        t = self.timings
        t0 = perf_counter()
        norms = [normalize(mask_pii(x)) for x in texts]
        t1 = perf_counter()
        per_doc = [split_clauses(n) for n in norms]
        t2 = perf_counter()
        cut, content = self.segmenter.cut, self.segmenter.content_tokens
        all_tokens = [cut(c) for clauses in per_doc for c in clauses]
        t3 = perf_counter()
        scores, doc_scores = self._score(per_doc, all_tokens)
        t4 = perf_counter()
        sizes = [len(c) for c in per_doc]
        stages = self.tagger.tag_clauses(
            all_tokens, [label(x) for x in scores], scores, sizes, self._doc_scores(sizes, scores, doc_scores)
        )
        t5 = perf_counter()
        for step, dt in zip(STEPS, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
            t[step] += dt
        return self._assemble(ids, norms, per_doc, all_tokens, scores, doc_scores, stages, content)

    def _score(self, per_doc, all_tokens) -> tuple[list[float], list[float] | None]:
        """Clause scores, and document scores when the model has its own (the trained model blends
        the whole-document view with the clauses'); None means: aggregate the clause scores."""
        if not all_tokens:
            return [], None
        if hasattr(self.scorer, "score_documents"):
            docs, k = [], 0
            for clauses in per_doc:
                docs.append(all_tokens[k : k + len(clauses)])
                k += len(clauses)
            clause_scores, doc_scores = self.scorer.score_documents(docs)
            return clause_scores.tolist(), doc_scores.tolist()
        return self.scorer.score(all_tokens).tolist(), None

    @staticmethod
    def _doc_scores(sizes, scores, doc_scores) -> list[float]:
        """Document scores as ``_assemble`` computes them (the stage model reads them as context)."""
        if doc_scores is not None:
            return doc_scores
        out, k = [], 0
        for n in sizes:
            out.append(aggregate(scores[k : k + n]) if n else 0.0)
            k += n
        return out

    def _assemble(
        self, ids, norms, per_doc, all_tokens, scores, doc_scores, stages, content
    ) -> list[EnrichedFeedback]:
        out: list[EnrichedFeedback] = []
        k = 0
        order = self.stage_order
        for j, (doc_id, norm, clauses) in enumerate(zip(ids, norms, per_doc)):
            n = len(clauses)
            doc_clauses = tuple(
                Clause(
                    doc_id,
                    i,
                    clauses[i],
                    scores[k + i],
                    label(scores[k + i]),
                    stages[k + i],
                    tuple(content(all_tokens[k + i])),
                )
                for i in range(n)
            )
            k += n
            mentioned = {c.stage for c in doc_clauses if c.stage}
            negative = {c.stage for c in doc_clauses if c.stage and c.label == "negative"}
            if not doc_clauses:
                doc_score = 0.0
            elif doc_scores is not None:
                doc_score = doc_scores[j]
            else:
                doc_score = aggregate([c.sentiment for c in doc_clauses])
            out.append(
                EnrichedFeedback(
                    id=doc_id,
                    text_norm=norm,
                    sentiment=doc_score,
                    label=label(doc_score),
                    stages=tuple(sorted(mentioned, key=order.__getitem__)),
                    neg_stages=tuple(sorted(negative, key=order.__getitem__)),
                    clauses=doc_clauses,
                )
            )
        return out


# --- several processes: one Enricher each, fed chunks of rows -------------------------------------

_worker: Enricher | None = None


def _init_worker(lexicon_dir: str, model_path: str | None) -> None:
    global _worker
    _worker = Enricher(Path(lexicon_dir), Path(model_path) if model_path else None)


def _enrich_chunk(chunk: tuple[list[str], list[str]]) -> list[EnrichedFeedback]:
    assert _worker is not None, "worker not initialised"
    return _worker.enrich(*chunk)


def enrich_batches(
    ids: Sequence[str],
    texts: Sequence[str],
    *,
    lexicon_dir: Path = LEXICON_DIR,
    model_path: Path | None = None,
    workers: int = 1,
    chunk_size: int = 2000,
) -> Iterator[list[EnrichedFeedback]]:
    """Yield enriched chunks in input order, using ``workers`` processes when > 1."""
    chunks = [
        (list(ids[i : i + chunk_size]), list(texts[i : i + chunk_size]))
        for i in range(0, len(ids), chunk_size)
    ]
    if not chunks:
        return
    workers = max(1, min(workers, len(chunks), os.cpu_count() or 1))
    if workers == 1:
        enricher = get_enricher(lexicon_dir, model_path)
        for chunk in chunks:
            yield enricher.enrich(*chunk)
        return
    with ProcessPoolExecutor(
        workers,
        initializer=_init_worker,
        initargs=(str(lexicon_dir), str(model_path) if model_path else None),
    ) as pool:
        yield from pool.map(_enrich_chunk, chunks)


_enrichers: dict[tuple[Path, Path | None, str], Enricher] = {}


def get_enricher(lexicon_dir: Path = LEXICON_DIR, model_path: Path | None = None) -> Enricher:
    """The process-wide enricher, rebuilt when the model or the lexicons change."""
    path = Path(lexicon_dir).resolve()
    key = (path, model_path, model_version(path, model_path))
    if key not in _enrichers:
        _enrichers.clear()
        _enrichers[key] = Enricher(path, model_path)
    return _enrichers[key]
