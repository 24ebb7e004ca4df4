"""Adaptation to unlabeled target text: EM prior shift, pseudo-label selection, the adapted model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.test_model import TINY, read_corpus
from voc.model import flatten, load_model, prepare, save_model, train_model
from voc.model.adapt import AdaptedModel, estimate_prior_shift, select_pseudo_labels
from voc.sentiment import BAND


def _logits(n_pos: int, n_neg: int, seed: int = 0) -> np.ndarray:
    """Exact log-odds under a 50/50 prior of two unit Gaussians at ±1 (LLR = 2x)."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(1, 1, n_pos), rng.normal(-1, 1, n_neg)])
    return 2 * x


@pytest.mark.parametrize("share", [0.8, 0.5, 0.2])
def test_em_recovers_the_target_prior(share):
    n = 20_000
    shift = estimate_prior_shift(_logits(int(share * n), n - int(share * n)), source_prior=0.5)
    assert shift == pytest.approx(math.log(share / (1 - share)), abs=0.1)


def test_em_shift_is_zero_when_the_prior_did_not_move_and_is_clipped():
    assert abs(estimate_prior_shift(_logits(5000, 5000), 0.5)) < 0.1
    assert estimate_prior_shift(np.full(100, 12.0), 0.5) == 2.0  # all sure positives: capped


def test_pseudo_labels_take_the_most_confident_outside_the_band():
    scores = np.array([0.9, 0.8, 0.3, 0.05, -0.05, -0.2, -0.95, 0.7])
    idx, y = select_pseudo_labels(scores, share=0.5, balance=False)
    assert dict(zip(idx.tolist(), y.tolist())) == {0: 1, 1: 1, 6: 0}
    idx, y = select_pseudo_labels(scores, share=1.0, balance=True)
    assert sorted(y.tolist()) == [0, 0, 1, 1]  # 4 positives trimmed to the 2 negatives
    assert set(idx.tolist()) == {0, 1, 5, 6}
    assert all(abs(scores[i]) > BAND for i in idx)


@pytest.fixture(scope="module")
def base():
    texts, labels = read_corpus()
    return train_model(texts, labels, **TINY)


HAPPY = ["服务很好，菜也好吃", "环境不错，很满意", "店员热情，下次还来", "味道很好，推荐", "很喜欢这家店"]
SAD = ["太难吃了", "服务很差"]


def test_a_mostly_happy_target_shifts_scores_up_and_keeps_questions_neutral(base):
    docs = prepare(HAPPY * 20 + SAD * 5)
    adapted = AdaptedModel(base, rounds=0).fit(docs)
    assert adapted.shift_ > 0 and adapted.target_ is None
    probe = prepare(["菜还可以", "请问几点开门", "太难吃了"])
    before, after = base.score_documents(probe)[1], adapted.score_documents(probe)[1]
    assert after[0] > before[0] and after[2] > before[2]  # the same move for every text
    assert after[1] == 0.0  # a question with no opinion stays exactly neutral
    assert np.all(np.abs(adapted.score(flatten(probe))) <= 1)
    assert adapted.version_.startswith(base.version_ + "+adapt-")


def test_without_a_shift_the_adapted_model_scores_like_its_base(base):
    docs = prepare(HAPPY)
    adapted = AdaptedModel(base, rounds=0, prior_shift=False).fit(docs)
    probe = flatten(prepare(["菜还可以", "太难吃了", "很好"]))
    assert np.allclose(adapted.score(probe), base.score(probe))


def test_self_training_fits_a_target_model_and_round_trips(base, tmp_path):
    docs = prepare(HAPPY * 30 + SAD * 30)
    adapted = AdaptedModel(base, rounds=1, balance=True, min_pseudo=5, share=1.0).fit(docs)
    assert adapted.target_ is not None
    assert adapted.history_[0]["positive"] == adapted.history_[0]["negative"] >= 5
    path = tmp_path / "adapted.pkl.gz"
    save_model(adapted, path, card={"training_data": "test"})
    again = load_model(path)
    probe = prepare(["服务很好", "太难吃了"])
    assert np.allclose(again.score_documents(probe)[1], adapted.score_documents(probe)[1])
    assert adapted.score_documents(probe)[1][0] > 0 > adapted.score_documents(probe)[1][1]


def test_an_adapted_model_needs_a_base():
    with pytest.raises(ValueError):
        AdaptedModel().fit(prepare(HAPPY))
