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


# --- adaptation to the warehouse's unlabeled feedback (``voc train --adapt-from-warehouse``) ----------

ADAPT_POOL = 20_000  # feedback items read for adaptation (a stable sample): the EM prior settles far below
MIN_ADAPT_DOCS = 200  # fewer texts than this make the target prior estimate noisy


@dataclass(frozen=True)
class AdaptReport:
    pool_docs: int
    candidate_id: str
    shift: float
    check: str  # what the held-out check was: "ratings", "labeled file" or "none"
    check_docs: int
    candidate_f1: float | None
    baseline_id: str
    baseline_f1: float | None
    switched: bool
    reason: str
    path: Path

    def line(self) -> str:
        verdict = "switched to it" if self.switched else f"kept {self.baseline_id}"
        return (
            f"adapted model {self.candidate_id} on {self.pool_docs} feedback texts: {self.reason}; {verdict}"
        )


def adapt_from_warehouse(
    settings: Settings,
    *,
    check: tuple[list[str], list[int]] | None = None,
    min_docs: int = MIN_ADAPT_DOCS,
    min_rated: int = MIN_DOCS,
    margin: float = MARGIN,
    rounds: int = 0,
) -> AdaptReport:
    """Adapt the model in use to the warehouse's own feedback text (no labels needed), record, maybe switch.

    The candidate is :class:`voc.model.adapt.AdaptedModel` over the model in use: its class prior
    is re-estimated on the feedback by EM (label shift); ``rounds`` > 0 adds self-training. The
    candidate replaces the model in use only when labels it never saw confirm it, by ``margin``
    macro-F1: the ``check`` slice (texts, 0/1 labels — e.g. 200 items an analyst labelled), else the
    items with a clear rating or score when there are ``min_rated`` of them. Without labels it is
    recorded and not used: on leave-one-category-out the unlabeled prior shift won +0.09 on
    restaurant sentences but lost 0.09 on dairy and 0.06 on water heaters (MODEL_CARD.md) — nothing
    in unlabeled text tells those cases apart.
    """
    from voc.enrich import load_scorer
    from voc.model import evaluate, prepare, save_model, scorer_version
    from voc.model.adapt import AdaptedModel

    with wh.open_warehouse(settings) as con:
        pool = wh.feedback_texts(con, ADAPT_POOL)
        rated = wh.weak_labels(con)
        current = wh.active_model(con)
    if len(pool) < min_docs:
        raise VocError(
            f"only {len(pool)} feedback texts in the warehouse (need {min_docs}) — ingest more first"
        )
    in_use = load_scorer(settings.lexicon_dir, Path(current.path) if current else None)
    base = getattr(in_use, "base", in_use)  # re-adapt from the un-adapted model, never stack adaptations
    if not hasattr(base, "oof_logits_"):
        raise VocError(
            "the lexicon scorer has no calibrated probabilities to adapt: install or train a model"
        )
    baseline_id = current.model_id if current else scorer_version(in_use)
    candidate = AdaptedModel(base, rounds=rounds).fit(prepare([t for _, t in pool], settings.lexicon_dir))
    candidate_id = f"adapt-{datetime.now():%Y%m%dT%H%M%S}-{stable_id(*(i for i, _ in pool))[:6]}"
    candidate.version_ = candidate_id
    if check is None and len(rated) >= min_rated and len({r[2] for r in rated}) == 2:
        check, kind = ([r[1] for r in rated], [r[2] for r in rated]), "ratings"
    else:
        kind = "labeled file" if check is not None else "none"
    shift_txt = f"prior shift {candidate.shift_:+.2f} log-odds"
    cand_f1 = base_f1 = None
    if check is not None:
        texts, gold = check
        cand_f1 = evaluate(candidate, texts, gold, mode="blend", lexicon_dir=settings.lexicon_dir).macro_f1
        base_f1 = evaluate(in_use, texts, gold, mode="blend", lexicon_dir=settings.lexicon_dir).macro_f1
        switched = cand_f1 >= base_f1 + margin
        reason = (
            f"{shift_txt}; macro-F1 {cand_f1:.3f} vs {base_f1:.3f} on {len(gold)} items of the {kind} "
            f"({'beats' if switched else 'does not beat'} the model in use by {margin:g})"
        )
    else:
        switched = False
        reason = f"{shift_txt}; not used: no labels to check it against (give --check FILE or ratings)"
    path = settings.models_dir / f"{candidate_id}.pkl.gz"
    card = {
        "training_data": f"unlabeled feedback of {settings.warehouse_path.name}",
        "base": base.version_,
        "n_target": len(pool),
        "prior_shift": candidate.shift_,
    }
    save_model(candidate, path, card=card)
    n_check = len(check[1]) if check is not None else 0
    with wh.open_warehouse(settings) as con:
        wh.record_model(
            con,
            wh.ModelRecord(
                model_id=candidate_id,
                path=str(path),
                origin="warehouse",  # 002 allows warehouse|file; the id prefix adapt- tells them apart
                trained_at=datetime.now(),
                train_docs=len(pool),
                holdout_docs=n_check,
                holdout_macro_f1=cand_f1,
                baseline_model_id=baseline_id,
                baseline_macro_f1=base_f1,
                active=switched,
                decision="switched" if switched else "kept current",
                reason=reason,
            ),
        )
    report = AdaptReport(
        len(pool),
        candidate_id,
        candidate.shift_,
        kind,
        n_check,
        cand_f1,
        baseline_id,
        base_f1,
        switched,
        reason,
        path,
    )
    log.info("%s", report.line())
    return report
