"""Weak supervision from the user's own data: a domain sentiment model trained on their ratings.

Feedback that carries a star rating, an NPS or a CSAT score says how the customer felt: 1–2 stars,
NPS 0–6 and CSAT 1–2 are taken as negative, 4–5 stars, NPS 9–10 and CSAT 4–5 as positive (see
``voc.warehouse.models.WEAK_LABEL_RULES``). :func:`train_from_warehouse` trains a candidate on
80 % of those items, scores it and the model in use on the other 20 %, and switches the pipeline
to the candidate only when it wins by ``margin`` macro-F1. Every candidate is recorded in the
``sentiment_models`` table with both scores and the decision; a switch re-enriches on the next run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from voc import warehouse as wh
from voc.config import Settings
from voc.errors import VocError
from voc.records import stable_id

log = logging.getLogger("voc")

MIN_DOCS = 200  # fewer weakly labelled items than this make a held-out score meaningless
MARGIN = 0.01  # the candidate must beat the model in use by this much macro-F1
HOLDOUT_EVERY = 5  # one item in five (by a hash of its id, so stable across runs) is held out


@dataclass(frozen=True)
class DomainTrainReport:
    labeled: int
    train_docs: int
    holdout_docs: int
    candidate_id: str
    candidate_f1: float
    baseline_id: str
    baseline_f1: float
    switched: bool
    path: Path

    def line(self) -> str:
        verdict = "switched to it" if self.switched else f"kept {self.baseline_id}"
        return (
            f"domain model {self.candidate_id}: macro-F1 {self.candidate_f1:.3f} vs {self.baseline_f1:.3f} "
            f"({self.baseline_id}) on {self.holdout_docs} held-out items; "
            f"trained on {self.train_docs}; {verdict}"
        )


def is_holdout(feedback_id: str) -> bool:
    return int(stable_id("holdout", feedback_id)[:8], 16) % HOLDOUT_EVERY == 0


def train_from_warehouse(
    settings: Settings, *, min_docs: int = MIN_DOCS, margin: float = MARGIN
) -> DomainTrainReport:
    """Train, compare on held-out items, record, and switch when the candidate is better."""
    from voc.enrich import load_scorer
    from voc.model import evaluate, save_model, scorer_version, train_model

    with wh.open_warehouse(settings) as con:
        rows = wh.weak_labels(con)
        current = wh.active_model(con)
    if len(rows) < min_docs or len({r[2] for r in rows}) < 2:
        raise VocError(
            f"only {len(rows)} feedback items carry a clear rating or score (need {min_docs}, "
            "both negative and positive) — ingest more rated reviews or NPS/CSAT answers first"
        )
    train = [r for r in rows if not is_holdout(r[0])]
    hold = [r for r in rows if is_holdout(r[0])]
    baseline = load_scorer(settings.lexicon_dir, Path(current.path) if current else None)
    baseline_id = current.model_id if current else scorer_version(baseline)
    candidate = train_model([r[1] for r in train], [r[2] for r in train], lexicon_dir=settings.lexicon_dir)
    candidate_id = f"domain-{datetime.now():%Y%m%dT%H%M%S}-{stable_id(*(r[0] for r in train))[:6]}"
    candidate.version_ = candidate_id
    texts, gold = [r[1] for r in hold], [r[2] for r in hold]
    cand = evaluate(candidate, texts, gold, lexicon_dir=settings.lexicon_dir)
    base = evaluate(baseline, texts, gold, lexicon_dir=settings.lexicon_dir)
    switched = cand.macro_f1 >= base.macro_f1 + margin
    path = settings.models_dir / f"{candidate_id}.pkl.gz"
    save_model(
        candidate,
        path,
        card={
            "training_data": f"weak labels from {settings.warehouse_path.name}",
            "n_train": len(train),
            "holdout_macro_f1": cand.macro_f1,
        },
    )
    reason = (
        f"macro-F1 {cand.macro_f1:.3f} vs {base.macro_f1:.3f} on {len(hold)} held-out items "
        f"({'beats' if switched else 'does not beat'} the model in use by {margin:g})"
    )
    with wh.open_warehouse(settings) as con:
        wh.record_model(
            con,
            wh.ModelRecord(
                model_id=candidate_id,
                path=str(path),
                origin="warehouse",
                trained_at=datetime.now(),
                train_docs=len(train),
                holdout_docs=len(hold),
                holdout_macro_f1=cand.macro_f1,
                baseline_model_id=baseline_id,
                baseline_macro_f1=base.macro_f1,
                active=switched,
                decision="switched" if switched else "kept current",
                reason=reason,
            ),
        )
    report = DomainTrainReport(
        len(rows),
        len(train),
        len(hold),
        candidate_id,
        cand.macro_f1,
        baseline_id,
        base.macro_f1,
        switched,
        path,
    )
    log.info("%s", report.line())
    return report
