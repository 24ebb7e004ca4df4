"""``evaluate``: accuracy, macro-F1, a confusion matrix with neutral predictions, and docs/s."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

import numpy as np

from voc.model.prepare import document_scores, prepare
from voc.paths import LEXICON_DIR
from voc.sentiment import label

PRED_LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class EvalReport:
    """Document-level results against binary gold labels (1 positive, 0 negative).

    A neutral prediction counts as wrong (the gold has no neutral class); ``confusion[i][j]`` counts
    gold class ``i`` (0 negative, 1 positive) predicted as ``PRED_LABELS[j]``. ``macro_f1`` is over
    the two gold classes, neutral a miss for both. ``binary_macro_f1`` ignores the band (sign only).
    ``docs_per_s`` is the sentiment step alone on segmented text; ``docs_per_s_total`` includes
    masking, normalization, clause splitting and segmentation.
    """

    n: int
    accuracy: float
    macro_f1: float
    binary_macro_f1: float
    neutral_share: float
    confusion: tuple[tuple[int, int, int], tuple[int, int, int]]
    docs_per_s: float
    docs_per_s_total: float
    model: str = ""
    extra: dict = field(default_factory=dict)

    def format(self) -> str:
        """A few lines for a terminal."""
        c = self.confusion
        return "\n".join(
            [
                f"model {self.model}  n={self.n:,}",
                f"accuracy {self.accuracy:.3f}  macro-F1 {self.macro_f1:.3f}  "
                f"(sign only {self.binary_macro_f1:.3f})  neutral {self.neutral_share:.1%}",
                f"{'':>10} {'→negative':>10} {'→neutral':>10} {'→positive':>10}",
                f"{'negative':>10} {c[0][0]:>10,} {c[0][1]:>10,} {c[0][2]:>10,}",
                f"{'positive':>10} {c[1][0]:>10,} {c[1][1]:>10,} {c[1][2]:>10,}",
                f"speed: sentiment step {self.docs_per_s:,.0f} docs/s, "
                f"with normalize + segment {self.docs_per_s_total:,.0f} docs/s",
            ]
        )


def macro_f1(gold: Sequence[int], pred: Sequence[str]) -> float:
    """Macro-F1 over the two gold classes; a neutral prediction is a miss for both."""
    want = {0: "negative", 1: "positive"}
    f1s = []
    for g_cls, p_cls in want.items():
        tp = sum(g == g_cls and p == p_cls for g, p in zip(gold, pred))
        fp = sum(g != g_cls and p == p_cls for g, p in zip(gold, pred))
        fn = sum(g == g_cls and p != p_cls for g, p in zip(gold, pred))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / 2


def report(gold: Sequence[int], scores: np.ndarray, **kw) -> EvalReport:
    """An :class:`EvalReport` from gold labels and document scores."""
    pred = [label(s) for s in scores]
    confusion = tuple(
        tuple(sum(g == gi and p == pl for g, p in zip(gold, pred)) for pl in PRED_LABELS) for gi in (0, 1)
    )
    sign = ["positive" if s >= 0 else "negative" for s in scores]
    hits = sum({0: "negative", 1: "positive"}[g] == p for g, p in zip(gold, pred))
    return EvalReport(
        n=len(gold),
        accuracy=hits / max(1, len(gold)),
        macro_f1=macro_f1(gold, pred),
        binary_macro_f1=macro_f1(gold, sign),
        neutral_share=pred.count("neutral") / max(1, len(gold)),
        confusion=confusion,  # type: ignore[arg-type]
        **kw,
    )


def evaluate(
    model_or_scorer,
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    mode: str = "clauses",
    lexicon_dir: Path = LEXICON_DIR,
) -> EvalReport:
    """Score raw ``texts`` as the pipeline does and compare with ``labels`` (1 pos / 0 neg)."""
    gold = [int(v) for v in labels]
    if set(gold) - {0, 1}:
        raise ValueError("labels must be 0 (negative) or 1 (positive)")
    t0 = perf_counter()
    docs = prepare(texts, lexicon_dir)
    t1 = perf_counter()
    scores = document_scores(model_or_scorer, docs, mode)
    t2 = perf_counter()
    name = getattr(model_or_scorer, "version_", None) or type(model_or_scorer).__name__
    return report(
        gold,
        scores,
        docs_per_s=len(gold) / max(t2 - t1, 1e-9),
        docs_per_s_total=len(gold) / max(t2 - t0, 1e-9),
        model=name,
    )
