"""Pain points from opinion mentions, on small hand-written sets of negative clauses."""

from __future__ import annotations

import pytest

from voc.normalize import normalize
from voc.painpoints import PainPointClusterer
from voc.paths import LEXICON_DIR
from voc.records import Mention, stable_id
from voc.segment import get_segmenter
from voc.stages import StageTagger

SLOW_DELIVERY = [
    "配送太慢了",
    "快递太慢了，等了三天",
    "配送速度很慢",
    "送餐太慢，饭都凉了",
    "配送慢得要命",
    "这次配送也很慢",
]
LATE_DELIVERY = ["快递迟到了两天", "物流超时了", "快递三天没到"]  # same family as 慢: one pain point
RUDE_SERVICE = [
    "客服态度很差",
    "客服态度恶劣，爱答不理",
    "客服敷衍，态度差",
    "客服的态度太差了",
    "客服態度很差",  # traditional
]
RUDE_STAFF = ["店员爱答不理的", "服务员态度很差"]  # another aspect of the same group and family
BROKEN_PACKAGING = [
    "包装破损了",
    "外包装破损严重",
    "收到包装破损",
    "包装破损，汤漏了一地",
    "包装太差，破损了",
]
SLOW_REFUND = ["退款一直不处理", "退款申请被驳回", "商家拒绝退款", "退款到现在没消息"]


@pytest.fixture(scope="module")
def prepare():
    seg, tagger = get_segmenter(LEXICON_DIR), StageTagger.from_lexicons(LEXICON_DIR)

    def run(texts: list[str]) -> tuple[list[str], list[list[str]], list[str | None]]:
        texts = [normalize(t) for t in texts]
        tokens = [seg.cut(t) for t in texts]
        return texts, tokens, [tagger.tag(t) for t in tokens]

    return run


def _names(model) -> dict[str, tuple[str | None, int]]:
    return {p.label: (p.stage, p.size) for p in model.points_}


CASES = [
    (
        "two complaints, two stages",
        SLOW_DELIVERY + RUDE_SERVICE,
        {"配送慢": ("delivery", 6), "客服态度差": ("service", 5)},
    ),
    (
        "two complaints, one stage",
        SLOW_DELIVERY + BROKEN_PACKAGING,
        {"配送慢": ("delivery", 6), "包装破损": ("delivery", 5)},
    ),
    (
        "opinion synonyms merge (慢, 迟到, 超时, 没到)",
        SLOW_DELIVERY + LATE_DELIVERY,
        {"配送慢": ("delivery", 9)},
    ),
    (
        "a small group joins its family: staff with the call centre",
        RUDE_SERVICE + RUDE_STAFF,
        {"客服态度差": ("service", 7)},
    ),
    (
        "the call centre and in-person staff are two pain points once each is big enough",
        RUDE_SERVICE[:3] + ["店员爱答不理的", "服务员态度很差", "客户经理态度恶劣"],
        {"客服态度差": ("service", 3), "服务员态度差": ("service", 3)},
    ),
    (
        "aspect group named when no aspect holds half",
        ["快递太慢了", "快递三天没到", "物流太慢", "物流超时了", "外卖太慢了", "外卖迟到了"],
        {"配送慢": ("delivery", 6)},
    ),
    (
        "opinions unified per aspect (停车场太小, 车位永远是满的 → 停车难)",
        ["停车场太小", "车位永远是满的", "停车太难了", "停车场出口堵了半天"],
        {"停车难": ("awareness", 4)},
    ),
    (
        "stuck in a pending state is a complaint (退款一直显示处理中)",
        ["退款一直显示处理中", "退款还在审核中", "退款卡着不给", "退款一直不处理"],
        {"退款难": ("aftersales", 4)},
    ),
    ("refunds", SLOW_REFUND, {"退款难": ("aftersales", 4)}),
]


@pytest.mark.parametrize(("name", "texts", "expected"), CASES, ids=[c[0] for c in CASES])
def test_pain_points_are_named_like_an_analyst_would(prepare, name, texts, expected):
    model = PainPointClusterer(min_size=3).fit(*prepare(texts))
    assert _names(model) == expected
    by_label = {p.label: p for p in model.points_}
    for label, (stage, _) in expected.items():
        assert by_label[label].id == stable_id(stage, label)
        assert by_label[label].aspect + by_label[label].opinion == label
        assert " " not in label


def test_every_clause_gets_its_pain_point_and_mention(prepare):
    texts, tokens, stages = prepare(SLOW_DELIVERY + RUDE_SERVICE)
    model = PainPointClusterer(min_size=3).fit(texts, tokens, stages)
    ids = {p.label: p.id for p in model.points_}
    assert model.labels_ == [ids["配送慢"]] * 6 + [ids["客服态度差"]] * 5
    assert model.mentions_[0] == Mention("配送", "慢") and model.mentions_[6] == Mention("客服", "态度差")
    service = next(p for p in model.points_ if p.label == "客服态度差")
    assert len(service.examples) == 3 and set(service.examples) <= set(texts[6:])
    assert "客服" in service.terms


JUNK = ["买了", "真的很失望", "太失望了", "今天天气晴", "发票一直不给开"]


def test_junk_stays_unassigned(prepare):
    texts, tokens, stages = prepare(SLOW_DELIVERY + JUNK)
    model = PainPointClusterer(min_size=3).fit(texts, tokens, stages)
    assert [p.label for p in model.points_] == ["配送慢"]
    assert model.labels_[len(SLOW_DELIVERY) :] == [None] * len(JUNK)
    assert model.mentions_[len(SLOW_DELIVERY)] is None  # 买了: nothing to extract
    assert model.mentions_[-1] == Mention("发票", "不给")  # found, but alone: unassigned


def test_a_clause_without_a_mention_joins_only_a_similar_pain_point(prepare):
    similar, unrelated = "客服态度，真是服了", "快递包装还行"
    texts, tokens, stages = prepare(RUDE_SERVICE + [similar, unrelated])
    model = PainPointClusterer(min_size=3, join_similarity=0.3).fit(texts, tokens, stages)
    [point] = model.points_
    assert model.labels_[-2] == point.id and model.labels_[-1] is None


def test_refitting_gives_the_same_ids(prepare):
    data = prepare(SLOW_DELIVERY + RUDE_SERVICE)
    first = PainPointClusterer(min_size=3).fit(*data)
    again = PainPointClusterer(min_size=3).fit(*data)
    assert [p.id for p in first.points_] == [p.id for p in again.points_]
    assert first.labels_ == again.labels_


def test_a_clause_without_a_stage_joins_the_pain_point_its_mention_names(prepare):
    texts, tokens, stages = prepare(SLOW_REFUND + ["钱还没退回来", "太贵了"])
    assert stages[-2:] == [None, None]
    model = PainPointClusterer(min_size=3).fit(texts, tokens, stages)
    [point] = model.points_
    assert point.label == "退款难" and model.labels_[-2] == point.id  # an explicit aspect: 退回来
    assert model.labels_[-1] is None  # 太贵了: an implicit aspect is not enough
    assert PainPointClusterer(min_size=3, infer_stage=False).fit(texts, tokens, stages).labels_[-2] is None


def test_time_spent_next_to_praise_is_no_delay(prepare):
    model = PainPointClusterer(min_size=1).fit(*prepare(["营业员很耐心地帮我算了半天资费"]))
    assert model.points_ == [] and model.mentions_ == [None]


def test_clauses_without_a_stage_are_left_unassigned_unless_asked(prepare):
    texts, tokens, _ = prepare(["价格太贵了", "太贵了", "贵死了", "东西太贵"])
    no_stage = [None] * len(texts)
    assert PainPointClusterer(min_size=3).fit(texts, tokens, no_stage).labels_ == no_stage
    model = PainPointClusterer(min_size=3, unstaged=True).fit(texts, tokens, no_stage)
    [point] = model.points_
    assert point.stage is None and point.label == "价格贵" and point.size == 4


@pytest.mark.parametrize("n", [0, 1], ids=["no-clause", "one-clause"])
def test_tiny_inputs(prepare, n):
    model = PainPointClusterer().fit(*prepare(SLOW_DELIVERY[:n]))
    assert model.points_ == [] and model.labels_ == [None] * n and len(model.mentions_) == n


def test_clauses_without_content_tokens(prepare):
    model = PainPointClusterer(min_size=1).fit(["了", "，"], [["了"], ["，"]], [None, None])
    assert model.points_ == [] and model.labels_ == [None, None] and model.mentions_ == [None, None]


def test_inputs_must_line_up():
    with pytest.raises(ValueError, match="same length"):
        PainPointClusterer().fit(["a"], [], [None])


HARD_PARKING = ["停车太难了", "停车位太难找了", "附近没地方停车", "车位一直没找到"]
PARKING_HASSLE = ["停车太闹心了", "停车场很闹心"]  # 闹心: a complaint word in no opinions.yaml family


@pytest.mark.parametrize(
    ("merge", "expected"),
    [
        (True, {"停车难": ("awareness", 6)}),
        (False, {"停车难": ("awareness", 4), "停车闹心": ("awareness", 2)}),
    ],
    ids=["merged", "kept-apart"],
)
def test_an_unlisted_opinion_joins_the_listed_pain_point_of_its_aspect(prepare, merge, expected):
    model = PainPointClusterer(min_size=2, merge_unlisted=merge).fit(*prepare(HARD_PARKING + PARKING_HASSLE))
    assert _names(model) == expected
