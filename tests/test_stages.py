"""Journey stages: the shipped definitions and the keyword tagger."""

from __future__ import annotations

import pytest

from voc.paths import LEXICON_DIR
from voc.segment import get_segmenter
from voc.stages import PHASES, Stage, StageTagger, load_stages

JOURNEY = ("awareness", "consideration", "purchase", "delivery", "usage", "service", "aftersales", "loyalty")


@pytest.fixture(scope="module")
def seg():
    return get_segmenter(LEXICON_DIR)


@pytest.fixture(scope="module")
def tagger():
    return StageTagger.from_lexicons(LEXICON_DIR)


def test_eight_stages_in_journey_order():
    stages = load_stages(LEXICON_DIR)
    assert tuple(s.key for s in stages) == JOURNEY
    assert [s.order for s in stages] == list(range(8))
    assert [s.label for s in stages][:2] == ["认知触达", "选购决策"]


@pytest.mark.parametrize("stage", load_stages(LEXICON_DIR), ids=lambda s: s.key)
def test_each_stage_is_complete(stage):
    assert all(p.strip() in PHASES for p in stage.phase.split("/"))
    assert stage.owner and stage.label
    assert 30 <= len(stage.keywords) <= 150  # enough seeds to generalize, few enough to review
    assert len(stage.weights) == len(stage.keywords) and all(w > 0 for w in stage.weights)


# One case per stage at least, from retail, e-commerce, dining and telecom.
TAGS = [
    pytest.param("广告上说的和实际不一样", "awareness", id="awareness-ad"),
    pytest.param("停车位太少了", "awareness", id="awareness-parking"),
    pytest.param("这个套餐资费太贵", "consideration", id="consideration-telecom-plan"),
    pytest.param("价格比别家高", "consideration", id="consideration-price"),
    pytest.param("排队排了一个小时", "purchase", id="purchase-queue"),
    pytest.param("付款的时候系统出错", "purchase", id="purchase-payment"),
    pytest.param("不给开发票", "purchase", id="purchase-invoice"),
    pytest.param("快递太慢了", "delivery", id="delivery-courier"),
    pytest.param("上菜太慢", "delivery", id="delivery-dining"),
    pytest.param("包装破损", "delivery", id="delivery-packaging"),
    pytest.param("味道一般", "usage", id="usage-taste"),
    pytest.param("手机信号很差", "usage", id="usage-telecom-signal"),
    pytest.param("环境很脏", "usage", id="usage-environment"),
    pytest.param("服务员态度很差", "service", id="service-attitude"),
    pytest.param("客服踢皮球", "service", id="service-passed-around"),
    pytest.param("退款一直不到账", "aftersales", id="aftersales-refund"),
    pytest.param("保修期内维修要收费", "aftersales", id="aftersales-repair"),
    pytest.param("会员积分不能用", "loyalty", id="loyalty-points"),
    pytest.param("再也不来了", "loyalty", id="loyalty-churn"),
    pytest.param("请问几点开门", "awareness", id="opening-hours-is-store-info"),
    pytest.param("今天天气不错", None, id="no-stage"),
    pytest.param("", None, id="empty"),
]


@pytest.mark.parametrize(("text", "expected"), TAGS)
def test_tag(tagger, seg, text, expected):
    assert tagger.tag(seg.cut(text)) == expected


def test_strongest_evidence_wins(tagger):
    # 快递 (delivery, weight 2) against 价格 (consideration, 2) + 贵 (1.5)
    assert tagger.tag(["快递", "价格", "贵"]) == "consideration"
    assert tagger.evidence(["快递", "价格", "贵"]) == {"consideration": 3.5, "delivery": 2.0}


def test_a_repeated_keyword_counts_once(tagger):
    assert tagger.evidence(["快递", "快递", "快递"]) == {"delivery": 2.0}


def _stage(key: str, order: int, words: dict[str, float]) -> Stage:
    return Stage(key, key, order, "售中", "team", tuple(words), tuple(words.values()))


TIES = [
    pytest.param(
        {"a": 1.0, "b": 1.0}, {"c": 2.0}, ["a", "b", "c"], "second", id="heavier-keyword-breaks-tie"
    ),
    pytest.param({"a": 2.0}, {"c": 2.0}, ["c", "a"], "first", id="journey-order-breaks-tie"),
]


@pytest.mark.parametrize(("first", "second", "tokens", "expected"), TIES)
def test_ties_are_deterministic(first, second, tokens, expected):
    tagger = StageTagger([_stage("first", 0, first), _stage("second", 1, second)])
    assert tagger.tag(tokens) == expected
    assert tagger.tag(list(reversed(tokens))) == expected
