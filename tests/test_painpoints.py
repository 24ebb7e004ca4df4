"""Pain-point clustering on small hand-written sets of negative clauses."""

from __future__ import annotations

import pytest

from voc.painpoints import PainPointClusterer
from voc.paths import LEXICON_DIR
from voc.records import stable_id
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
RUDE_SERVICE = [
    "客服态度很差",
    "客服态度恶劣，爱答不理",
    "打客服电话态度很差",
    "客服敷衍，态度差",
    "客服的态度太差了",
]
BROKEN_PACKAGING = [
    "包装破损了",
    "外包装破损严重",
    "收到包装破损",
    "包装破损，汤漏了一地",
    "包装太差，破损了",
]


@pytest.fixture(scope="module")
def prepare():
    seg, tagger = get_segmenter(LEXICON_DIR), StageTagger.from_lexicons(LEXICON_DIR)

    def run(texts: list[str]) -> tuple[list[str], list[list[str]], list[str | None]]:
        tokens = [seg.cut(t) for t in texts]
        return texts, tokens, [tagger.tag(t) for t in tokens]

    return run


def test_two_complaints_become_two_pain_points(prepare):
    texts, tokens, stages = prepare(SLOW_DELIVERY + RUDE_SERVICE)
    model = PainPointClusterer(min_size=3).fit(texts, tokens, stages)
    got = {p.label: p for p in model.points_}
    assert set(got) == {"配送 慢", "客服 态度 差"}
    delivery, service = got["配送 慢"], got["客服 态度 差"]
    assert (delivery.stage, delivery.size) == ("delivery", len(SLOW_DELIVERY))
    assert (service.stage, service.size) == ("service", len(RUDE_SERVICE))
    assert model.labels_ == [delivery.id] * len(SLOW_DELIVERY) + [service.id] * len(RUDE_SERVICE)
    assert delivery.id == stable_id("delivery", "配送 慢")
    assert len(service.examples) == 3 and set(service.examples) <= set(RUDE_SERVICE)
    assert "客服" in service.terms and "慢" in delivery.terms


def test_two_complaints_in_one_stage_stay_apart(prepare):
    texts, tokens, stages = prepare(SLOW_DELIVERY + BROKEN_PACKAGING)
    assert set(stages) == {"delivery"}
    model = PainPointClusterer(min_size=3).fit(texts, tokens, stages)
    assert sorted(p.label for p in model.points_) == ["包装 破损", "配送 慢"]
    packaging = next(p for p in model.points_ if p.label == "包装 破损")
    assert [model.labels_[i] for i in range(len(SLOW_DELIVERY), len(texts))] == [packaging.id] * 5


def test_refitting_gives_the_same_ids(prepare):
    data = prepare(SLOW_DELIVERY + RUDE_SERVICE)
    first = PainPointClusterer(min_size=3).fit(*data)
    again = PainPointClusterer(min_size=3).fit(*data)
    assert [p.id for p in first.points_] == [p.id for p in again.points_]
    assert first.labels_ == again.labels_


def test_clusters_below_min_size_are_unassigned(prepare):
    texts, tokens, stages = prepare(SLOW_DELIVERY + ["发票一直不给开"])
    model = PainPointClusterer(min_size=3).fit(texts, tokens, stages)
    assert [p.label for p in model.points_] == ["配送 慢"]
    assert model.labels_[-1] is None


def test_clauses_without_a_stage_are_left_unassigned_by_default(prepare):
    texts = ["真的很失望", "太失望了", "非常失望", "失望透顶，真的失望"]
    model = PainPointClusterer(min_size=3).fit(*prepare(texts))
    assert model.points_ == [] and model.labels_ == [None] * len(texts)


def test_clauses_without_a_stage_can_be_grouped_on_their_own(prepare):
    texts = ["真的很失望", "太失望了", "非常失望", "失望透顶，真的失望"]
    model = PainPointClusterer(min_size=3, unstaged=True).fit(*prepare(texts))
    [point] = model.points_
    assert point.stage is None and "失望" in point.label and point.size == 4


@pytest.mark.parametrize("n", [0, 1], ids=["no-clause", "one-clause"])
def test_tiny_inputs(prepare, n):
    model = PainPointClusterer().fit(*prepare(SLOW_DELIVERY[:n]))
    assert model.points_ == [] and model.labels_ == [None] * n


def test_clauses_without_content_tokens(prepare):
    model = PainPointClusterer(min_size=1).fit(["了", "，"], [["了"], ["，"]], [None, None])
    assert model.points_ == [] and model.labels_ == [None, None]


def test_inputs_must_line_up():
    with pytest.raises(ValueError, match="same length"):
        PainPointClusterer().fit(["a"], [], [None])
