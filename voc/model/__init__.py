"""The trained sentiment model: n-grams + the lexicon scorer's clause logic, calibrated, with a neutral band.

>>> from voc.model import load_default_scorer
>>> scorer = load_default_scorer()            # the shipped model, or the lexicon scorer without it
>>> scores = scorer.score([["很", "好吃"]])    # same interface as voc.sentiment.SentimentScorer
"""

from voc.model.estimator import SentimentModel
from voc.model.evaluate import EvalReport, evaluate
from voc.model.io import (
    DEFAULT_MODEL,
    ModelError,
    load_default_scorer,
    load_model,
    read_card,
    save_model,
    scorer_version,
)
from voc.model.prepare import document_scores, flatten, prepare
from voc.model.train import train_model

__all__ = [
    "DEFAULT_MODEL",
    "EvalReport",
    "ModelError",
    "SentimentModel",
    "document_scores",
    "evaluate",
    "flatten",
    "load_default_scorer",
    "load_model",
    "prepare",
    "read_card",
    "save_model",
    "scorer_version",
    "train_model",
]
