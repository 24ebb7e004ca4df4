"""Sentiment baseline: clause labels on hand-written cases, document aggregation, invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc.paths import LEXICON_DIR
from voc.segment import get_segmenter
from voc.sentiment import BAND, MODEL_VERSION, SentimentScorer, aggregate, label


@pytest.fixture(scope="module")
def seg():
    return get_segmenter(LEXICON_DIR)


@pytest.fixture(scope="module")
def scorer():
    return SentimentScorer.from_lexicons(LEXICON_DIR)


def clause_score(scorer, seg, text: str) -> float:
    return float(scorer.score([seg.cut(text)])[0])


# Text is already normalized upstream (traditional → simplified, full-width → half-width).
CLAUSES = [
    pytest.param("好吃", "positive", id="plain-positive"),
    pytest.param("不好吃", "negative", id="negation-flips-positive"),
    pytest.param("没有问题", "neutral", id="negated-nothing-stays-neutral"),
    pytest.param("不贵", "positive", id="negation-flips-negative"),
    pytest.param("不是很好吃", "negative", id="negation-reaches-over-degree"),
    pytest.param("太慢了", "negative", id="fused-degree-token"),
    pytest.param("不太满意", "negative", id="fused-negation-token"),
    pytest.param("服务态度很差", "negative", id="service-complaint"),
    pytest.param("快递小哥很辛苦，谢谢", "positive", id="thanks"),
    pytest.param("[怒]", "negative", id="emoticon-angry"),
    pytest.param("[赞]", "positive", id="emoticon-like"),
    pytest.param("👍", "positive", id="emoji-thumbs-up"),
    pytest.param("😡", "negative", id="emoji-angry"),
    pytest.param("避雷", "negative", id="slang-avoid"),
    pytest.param("yyds", "positive", id="slang-yyds"),
    pytest.param("差评", "negative", id="slang-bad-review"),
    pytest.param("这家店踩雷了", "negative", id="slang-stepped-on-a-mine"),
    pytest.param("商家很靠谱", "positive", id="slang-reliable"),
    pytest.param("东西不错", "positive", id="simplified-from-traditional"),
    pytest.param("请问几点开门", "neutral", id="question-is-neutral"),
    pytest.param("请问可以开发票吗", "neutral", id="invoice-question-is-neutral"),
    pytest.param("", "neutral", id="empty-clause"),
]


@pytest.mark.parametrize(("text", "expected"), CLAUSES)
def test_clause_labels(scorer, seg, text, expected):
    assert label(clause_score(scorer, seg, text)) == expected


DEGREE = [
    pytest.param("好吃", "很好吃", id="很-intensifies"),
    pytest.param("有点贵", "贵", id="有点-softens"),
    pytest.param("慢", "太慢", id="太-intensifies-fused"),
]


@pytest.mark.parametrize(("weaker", "stronger"), DEGREE)
def test_degree_adverbs_scale_the_opinion(scorer, seg, weaker, stronger):
    assert abs(clause_score(scorer, seg, stronger)) > abs(clause_score(scorer, seg, weaker))


def test_contrast_marker_outweighs_what_came_before(scorer, seg):
    plain = clause_score(scorer, seg, "快递太慢")
    turned = clause_score(scorer, seg, "但是快递太慢")
    assert turned < plain < 0
    within = clause_score(scorer, seg, "东西不错但是快递太慢")
    assert within < 0, "the opinion after 但是 decides a mixed clause"


DOCS = [
    pytest.param(["东西不错", "但是快递太慢了[怒]"], "negative", id="turn-to-complaint"),
    pytest.param(["快递有点慢", "不过味道很好吃，非常满意"], "positive", id="turn-to-praise"),
    pytest.param(["今天收到了", "非常好用"], "positive", id="neutral-clause-does-not-dilute"),
    pytest.param(["请问几点开门"], "neutral", id="question-only"),
]


@pytest.mark.parametrize(("clauses", "expected"), DOCS)
def test_document_labels(scorer, seg, clauses, expected):
    scores = scorer.score([seg.cut(c) for c in clauses])
    assert label(aggregate(scores.tolist())) == expected


def test_stronger_evidence_outweighs_milder_evidence_near_saturation():
    # both clauses are near ±1, but the complaint carries far more evidence (atanh weights)
    assert aggregate([0.87, -0.9995]) < -0.3


def test_aggregate_of_nothing_is_zero():
    assert aggregate([]) == 0.0
    assert aggregate([0.0, 0.0]) == 0.0


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        pytest.param(BAND + 0.01, "positive", id="above-band"),
        pytest.param(BAND, "neutral", id="on-band-edge"),
        pytest.param(-BAND - 0.01, "negative", id="below-band"),
        pytest.param(0.3, "neutral", id="custom-wide-band"),
    ],
)
def test_label_band(score, expected):
    band = 0.5 if score == 0.3 else BAND
    assert label(score, band) == expected


def test_score_returns_one_float_per_clause(scorer):
    out = scorer.score([["好吃"], [], ["不", "好吃"]])
    assert out.shape == (3,) and out.dtype.kind == "f"
    assert len(scorer.score([])) == 0


def test_scorer_without_bayes_uses_lexicon_only():
    lexicon_only = SentimentScorer.from_lexicons(LEXICON_DIR, bayes_weight=0.0)
    assert lexicon_only.score([["今天", "下雨"]])[0] == 0.0
    assert lexicon_only.score([["好吃"]])[0] == pytest.approx(math.tanh(1.0))


def test_model_version_is_a_nonempty_string():
    assert isinstance(MODEL_VERSION, str) and MODEL_VERSION


TOKENS = st.lists(
    st.one_of(
        st.sampled_from(
            ["不", "没有", "很", "太", "有点", "好吃", "差", "慢", "但是", "请问", "[怒]", "👍", "吗", "，"]
        ),
        st.text(min_size=1, max_size=4),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(TOKENS, max_size=6))
def test_scores_stay_in_range(scorer, token_lists):
    scores = scorer.score(token_lists)
    assert all(-1.0 <= s <= 1.0 for s in scores)
    assert -1.0 <= aggregate(scores.tolist()) <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1, 1), max_size=20))
def test_aggregate_stays_between_extreme_clauses(scores):
    doc = aggregate(scores)
    assert min(scores, default=0.0) - 1e-9 <= doc <= max(scores, default=0.0) + 1e-9


EVIDENCE = [
    pytest.param(["不", "好吃"], "negative", id="negated"),
    pytest.param(["很", "好吃"], "positive", id="degree"),
    pytest.param(["请问", "几点", "开门"], "question", id="question"),
]


@pytest.mark.parametrize(("tokens", "kind"), EVIDENCE)
def test_evidence_is_what_the_score_is_made_of(scorer, tokens, kind):
    lexicon, bayes, question = scorer.evidence(tokens)
    assert abs(bayes) <= scorer.bayes_clip
    if kind == "question":
        assert question and lexicon == 0.0 and scorer.score([tokens])[0] == 0.0
    else:
        assert (lexicon > 0) == (kind == "positive")
        expected = math.tanh(scorer.lexicon_weight * lexicon + scorer.bayes_weight * bayes)
        assert scorer.score([tokens])[0] == pytest.approx(expected)


def test_scorer_pickles_without_its_token_cache(scorer):
    import pickle

    scorer.score([["很", "好吃"]])
    clone = pickle.loads(pickle.dumps(scorer))
    assert clone.cache_ == {}
    assert clone.score([["很", "好吃"]])[0] == scorer.score([["很", "好吃"]])[0]
