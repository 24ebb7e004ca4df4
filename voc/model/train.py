"""``train_model``: raw labeled texts → a fitted, calibrated :class:`SentimentModel`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from voc.model.estimator import SentimentModel
from voc.model.prepare import flatten, prepare
from voc.paths import LEXICON_DIR


def train_model(
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    lexicon_dir: Path = LEXICON_DIR,
    groups: Sequence | None = None,
    **settings,
) -> SentimentModel:
    """Fit a model on raw texts (PII masked, normalized, segmented here) and labels (1 pos / 0 neg).

    ``groups`` (e.g. product category or source, one per text) makes calibration out-of-domain:
    Platt scaling and the neutral band are fitted on predictions for groups a fold did not see.
    ``settings`` go to :class:`SentimentModel`.
    """
    y = [int(v) for v in labels]
    if len(y) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(y)} labels")
    if set(y) != {0, 1}:
        raise ValueError("labels must contain both 0 (negative) and 1 (positive), nothing else")
    docs = flatten(prepare(texts, lexicon_dir))
    model = SentimentModel(
        lexicon_dir=None if Path(lexicon_dir) == LEXICON_DIR else Path(lexicon_dir), **settings
    )
    return model.fit(docs, y, groups=groups)
