"""The trained sentiment model: estimator contract, learning, calibration, persistence, invariants."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from voc.model import (
    SentimentModel,
    document_scores,
    evaluate,
    flatten,
    load_default_scorer,
    load_model,
    prepare,
    save_model,
    train_model,
)
from voc.model.estimator import neutral_logit
from voc.model.io import ModelError, card_path
from voc.sentiment import BAND, SentimentScorer, label

CORPUS = Path(__file__).with_name("test_model_corpus.tsv")
TINY = {"min_df": 1, "calibration_folds": 2}


def read_corpus() -> tuple[list[str], list[int]]:
    rows = [
        line.split("\t")
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if line and line[0] != "#"
    ]
    return [t for _, t in rows], [int(y) for y, _ in rows]


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    texts, labels = read_corpus()
    return train_model(texts, labels, **TINY)


def scores_of(model, texts: list[str]) -> np.ndarray:
    return model.score(flatten(prepare(texts)))


def test_fit_returns_self_and_learned_state_ends_with_underscore():
    texts, labels = read_corpus()
    m = SentimentModel(**TINY)
    docs = flatten(prepare(texts))
    assert m.fit(docs, labels) is m
    params = set(m.get_params())
    learned = set(vars(m)) - params
    assert learned and all(name.endswith("_") for name in learned)
    assert clone(m).get_params() == m.get_params()
    assert not hasattr(clone(m), "clf_")


def test_fit_is_deterministic(model):
    texts, labels = read_corpus()
    again = train_model(texts, labels, **TINY)
    probe = flatten(prepare(["咖啡很香", "送货太慢", "请问几点开门"]))
    np.testing.assert_array_equal(model.score(probe), again.score(probe))


def test_fit_needs_both_classes():
    with pytest.raises(ValueError, match="both"):
        train_model(["很好", "不错"], [1, 1], **TINY)


HELD_OUT = [
    pytest.param("店员很热情，咖啡也香", "positive", id="praise-reordered"),
    pytest.param("蛋糕很新鲜", "positive", id="fresh"),
    pytest.param("物流很给力，推荐", "positive", id="fast-logistics"),
    pytest.param("态度很差，不推荐", "negative", id="bad-attitude"),
    pytest.param("质量太差了，很失望", "negative", id="poor-quality"),
    pytest.param("等了一个星期，太慢了", "negative", id="slow"),
]


@pytest.mark.parametrize(("text", "expected"), HELD_OUT)
def test_tiny_model_labels_unseen_sentences(model, text, expected):
    assert label(float(scores_of(model, [text])[0])) == expected


QUESTIONS = [
    pytest.param("请问几点开门", id="opening-hours"),
    pytest.param("请问可以开发票吗", id="invoice"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions_without_opinion_are_neutral(model, text):
    assert scores_of(model, [text])[0] == 0.0


def test_band_edge_is_where_held_out_accuracy_reaches_the_floor():
    # |z| < 1: a coin flip (half wrong); |z| >= 1: always right → band ends near 1.
    rng = np.random.default_rng(0)
    z = np.concatenate([rng.uniform(-1, 1, 400), rng.uniform(1, 5, 400) * rng.choice([-1, 1], 400)])
    y = (z >= 0).astype(int)
    y[:400] = rng.integers(0, 2, 400)
    assert 0.8 < neutral_logit(z, y, 0.6) <= 1.1


def test_band_maps_to_the_project_band(model):
    z = np.array([model.neutral_logit_ * 0.99, model.neutral_logit_ * 1.01])
    s = np.tanh(model.gain_ * z)
    assert [label(v) for v in s] == ["neutral", "positive"]
    assert abs(s[0]) < BAND < abs(s[1])


def test_save_load_round_trip_gives_identical_scores(model, tmp_path):
    path = tmp_path / "m.pkl.gz"
    save_model(model, path, card={"training_data": "fictional"})
    loaded = load_model(path)
    probe = flatten(prepare(["咖啡很香", "送货太慢", "一般般吧"]))
    np.testing.assert_array_equal(model.score(probe), loaded.score(probe))
    card = json.loads(card_path(path).read_text(encoding="utf-8"))
    assert card["training_data"] == "fictional" and card["version"] == model.version_


def test_load_refuses_other_sklearn_minor(model, tmp_path):
    path = tmp_path / "m.pkl.gz"
    save_model(model, path, card={})
    card = json.loads(card_path(path).read_text(encoding="utf-8"))
    card["sklearn_version"] = "0.1.0"
    card_path(path).write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError, match="scikit-learn 0.1.0") as err:
        load_model(path)
    assert "\n" not in str(err.value)


def test_missing_model_falls_back_to_lexicon_scorer(tmp_path):
    assert isinstance(load_default_scorer(model_path=tmp_path / "none.pkl.gz"), SentimentScorer)
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "none.pkl.gz")


# My own sentences; OpenCC s2t gives their traditional form.
OWN_SENTENCES = [
    "这家店的咖啡很香，服务也周到",
    "质量太差了，客服还不理人",
    "请问什么时候发货",
    "东西不错，但是快递太慢了",
]


def test_traditional_scores_like_simplified(model):
    import opencc

    s2t = opencc.OpenCC("s2t")
    trad = [s2t.convert(s) for s in OWN_SENTENCES]
    assert trad != OWN_SENTENCES
    for scorer in (model, load_default_scorer()):
        a = document_scores(scorer, prepare(OWN_SENTENCES), "blend")
        b = document_scores(scorer, prepare(trad), "blend")
        np.testing.assert_allclose(a, b, atol=1e-6)
        assert [label(x) for x in a] == [label(x) for x in b]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.text(min_size=1, max_size=6), max_size=12), min_size=1, max_size=5))
def test_scores_are_in_range(model, token_lists):
    s = model.score(token_lists)
    assert s.shape == (len(token_lists),) and np.all(np.abs(s) <= 1.0)


def test_evaluate_reports_confusion_and_metrics(model):
    texts, labels = read_corpus()
    r = evaluate(model, texts, labels)
    assert r.n == len(texts) and sum(map(sum, r.confusion)) == len(texts)
    assert r.accuracy > 0.9 and r.macro_f1 > 0.9
    assert "macro-F1" in r.format() and r.docs_per_s > 0


SHIPPED = [
    pytest.param("这家咖啡馆的拿铁很好喝，店员也很热情", "positive", id="cafe-praise"),
    pytest.param("手机用了三天就黑屏了，太失望了", "negative", id="phone-broke"),
    pytest.param("物流超快，包装也很用心，五星好评", "positive", id="five-stars"),
    pytest.param("客服踢皮球，问题拖了半个月没解决[怒]", "negative", id="service-runaround"),
    pytest.param("外观不错，但是续航太差了，不推荐", "negative", id="contrast-decides"),
    pytest.param("请问这款有没有黑色的", "neutral", id="question"),
]


@pytest.mark.parametrize(("text", "expected"), SHIPPED)
def test_shipped_model_labels_clear_sentences(text, expected):
    from voc.model import DEFAULT_MODEL

    scorer = load_default_scorer()
    assert isinstance(scorer, SentimentModel), f"{DEFAULT_MODEL} is missing or not a model"
    [score] = document_scores(scorer, prepare([text]), "blend")
    assert label(float(score)) == expected


def test_score_documents_clause_scores_match_score(model):
    docs = prepare(["咖啡很香，但是太贵了", "", "送货太慢，包装破了，差评"])
    clause_scores, doc_scores = model.score_documents(docs)
    np.testing.assert_allclose(clause_scores, model.score([c for d in docs for c in d]), atol=1e-9)
    assert doc_scores.shape == (3,) and doc_scores[1] == 0.0
    assert label(doc_scores[2]) == "negative"


def test_group_balanced_weights_balance_classes_inside_each_group():
    from voc.model.estimator import group_balanced_weights

    y = np.array([0, 0, 0, 1, 1, 0, 1, 1, 1, 1])
    g = ["a"] * 4 + ["b"] * 6  # a: 3 neg / 1 pos; b: 1 neg / 5 pos
    w = group_balanced_weights(y, g)
    assert w.mean() == pytest.approx(1.0)
    for grp in ("a", "b"):
        m = np.array(g) == grp
        assert w[m & (y == 0)].sum() == pytest.approx(w[m & (y == 1)].sum())
    assert np.allclose(group_balanced_weights(np.array([0, 1, 1, 1]), None), [2, 2 / 3, 2 / 3, 2 / 3])


def test_balance_groups_changes_the_fit_but_not_the_contract():
    texts, labels = read_corpus()
    docs = flatten(prepare(texts))
    # group x is mostly negative, y mostly positive: the weights differ from 1
    groups = ["x" if (y == 0) == (i % 4 != 0) else "y" for i, y in enumerate(labels)]
    plain = SentimentModel(**TINY).fit(docs, labels, groups=groups)
    balanced = SentimentModel(**TINY, balance_groups=True).fit(docs, labels, groups=groups)
    assert plain.version_ != balanced.version_
    probe = flatten(prepare(["很好吃", "太难吃了"]))
    assert balanced.score(probe)[0] > 0 > balanced.score(probe)[1]
