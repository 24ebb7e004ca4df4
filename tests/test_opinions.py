"""Opinion extraction on hand-written clauses, and the opinion lexicons against the segmenter."""

from __future__ import annotations

import pytest

from voc.errors import LexiconError
from voc.lexicons import read_table, read_yaml
from voc.normalize import normalize
from voc.opinions import ASPECTS_FILE, IMPLICIT_FILE, OPINIONS_FILE, OpinionExtractor
from voc.paths import LEXICON_DIR
from voc.records import Mention
from voc.segment import get_segmenter


@pytest.fixture(scope="module")
def extract():
    seg, ex = get_segmenter(LEXICON_DIR), OpinionExtractor.from_lexicons(LEXICON_DIR)
    return lambda text: ex.extract(seg.cut(normalize(text)))


M = Mention
CASES = [
    # explicit aspect, degree adverb dropped
    ("上菜太慢", [M("上菜", "慢")]),
    ("快递太慢了", [M("快递", "慢")]),
    ("汤很咸", [M("汤", "咸")]),
    # synonyms become the canonical aspect; an attribute joins the opinion
    ("服务员态度差", [M("服务员", "态度差")]),
    ("店员爱答不理的", [M("服务员", "爱答不理")]),
    ("客服态度太差了", [M("客服", "态度差")]),
    ("配送速度很慢", [M("配送", "速度慢")]),
    # negation kept, adverbs between dropped
    ("退款一直不处理", [M("退款", "不处理")]),
    ("菜也不新鲜", [M("菜品", "不新鲜")]),
    ("菜不够新鲜", [M("菜品", "不够新鲜")]),  # the negation as said
    ("分量不是很大", [M("分量", "不大")]),
    ("这次倒是没让我们失望", []),  # a negation reaches three tokens
    ("套餐根本不适合我", [M("套餐", "不适合")]),
    # a negated complaint or a negated "problem" is praise: nothing
    ("价格不贵", []),
    ("没什么问题", []),
    ("一点也不慢", []),
    ("箱子一点没压坏", []),
    ("也不知道压坏没压坏", []),
    # durations
    ("快递三天没到", [M("快递", "三天没到")]),
    ("等了一个小时", [M("等待", "一个小时", True)]),
    ("光排队就花了30分钟", [M("排队", "30分钟")]),
    ("快递5天才送到", [M("快递", "5天才送到")]),
    ("结果13天才收到", [M("配送", "13天才收到")]),  # jieba cuts 13 天才 收到; 收到 names 配送
    ("排了一上午", [M("排队", "一上午")]),  # the queue verb names the aspect
    ("结账排队排了20分钟", [M("排队", "20分钟")]),  # ... whatever else is near
    # stuck in a pending state, a fused wait (排长队 → 排队), opinions unified per aspect
    ("退款一直显示处理中", [M("退款", "一直显示处理中")]),
    ("下单五天还显示待揽收", [M("下单", "还显示待揽收")]),
    ("处理得很及时", []),
    ("外面排长队", [M("排队", "排长队")]),  # a fused word names its aspect
    ("自助收银要排长队", [M("排队", "排长队")]),
    ("商家拒绝退款", [M("退款", "拒绝")]),  # who refuses is not what it is about
    ("客服不耐烦", [M("客服", "不耐烦")]),
    ("钱还没退回来", [M("退款", "没退回来")]),
    ("客户经理全程甩脸色", [M("服务员", "脸色")]),
    ("老人用不到这么多流量", [M("流量", "用不到")]),  # a verb and 不到
    ("约好的送货时间没人送", [M("配送", "没人送")]),  # 没人 + a verb
    ("叫了好几次服务员都没人过来", [M("服务员", "没人过来")]),
    ("不到一天就坏了", [M("", "坏")]),  # 不到 a day: no "cannot"
    ("非要给我办大套餐", [M("套餐", "非要")]),
    # an attribute that is an aspect too names it when no entity precedes it
    ("味道太差了", [M("口味", "差")]),
    ("菜的味道太差了", [M("菜品", "味道差")]),
    ("态度太差", [M("服务员", "态度差", True)]),  # 态度 is no aspect: the implicit table names one
    ("店太小了", [M("店面", "小")]),
    # implicit aspects
    ("太贵了", [M("价格", "贵", True)]),
    ("太咸", [M("口味", "咸", True)]),
    ("新版本一打开就白屏", [M("APP", "白屏", True)]),
    # traditional and full-width input is normalized first
    ("服務員態度很差", [M("服务员", "态度差")]),
    ("菜太貴了！", [M("菜品", "贵")]),
    ("東西太貴了", [M("价格", "贵", True)]),  # 东西 is not an aspect (not_aspects)
    # a one-character word describing a noun is not a complaint (老会员), no opinion: nothing
    ("老会员寒心", [M("会员", "寒心")]),
    ("今天天气晴", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_extraction(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize(
    ("opinion", "canonical"),
    [
        ("慢", "慢"),
        ("半天", "慢"),
        ("慢死", "慢"),
        ("超时", "超时"),
        ("迟到", "超时"),
        ("三天没到", "超时"),
        ("一个小时", "时间长"),
        ("不处理", "难"),
        ("速度慢", "慢"),
        ("爱答不理", "态度差"),
        ("失望", "失望"),
        ("不够新鲜", "不新鲜"),
        ("没有味道", "淡"),
        ("13天才送到", "超时"),
        ("态度不舒服", "态度差"),
        ("一直显示处理中", "卡住"),
        ("还在审核中", "卡住"),
        ("满", "挤"),  # per aspect group it may become another name: see below
    ],
)
def test_canonical_opinions(opinion, canonical):
    assert OpinionExtractor.from_lexicons(LEXICON_DIR).canonical(opinion) == canonical


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("停车场太小", "难"),
        ("车位永远是满的", "难"),
        ("出口堵了", "挤"),
        ("退款卡着不给", "难"),
        ("分量太小", "小"),
    ],
)
def test_opinions_are_unified_per_aspect_group(text, canonical):
    seg, ex = get_segmenter(LEXICON_DIR), OpinionExtractor.from_lexicons(LEXICON_DIR)
    assert ex.spans(seg.cut(text))[0].canonical == canonical


def test_by_aspect_names_a_known_group_and_opinions(lexdir):
    path = lexdir / OPINIONS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("  停车:\n", "  停车场地:\n"), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"opinions.yaml.*'停车场地' is no aspect group"):
        OpinionExtractor.from_lexicons(lexdir)


def test_extract_many_and_empty_clause():
    ex = OpinionExtractor.from_lexicons(LEXICON_DIR)
    assert ex.extract_many([[], ["上菜", "太慢"]]) == [[], [M("上菜", "慢")]]


# --- the lexicons ----------------------------------------------------------------------------------


def _entries() -> list[tuple[str, str]]:
    aspects = read_yaml(LEXICON_DIR / ASPECTS_FILE)
    out = [(ASPECTS_FILE, w) for w in aspects["attributes"] + aspects["not_aspects"]]
    for group in aspects["groups"].values():
        for canonical, synonyms in group.items():
            out += [(ASPECTS_FILE, w) for w in [canonical, *synonyms]]
    return out


def test_aspect_words_are_one_segmenter_token():
    seg = get_segmenter(LEXICON_DIR)
    offenders = [f"{f}: {w!r} -> {seg.cut(w)}" for f, w in _entries() if seg.cut(w) != [w]]
    assert not offenders, "\n".join(offenders)


def test_opinion_entries_are_a_token_or_a_phrase_the_extractor_builds():
    """One token, or negation / attribute / aspect / 才 + one token (不处理, 态度差, 量少, 才到), or a
    verb + 不到 (用不到), or 没人 + one token (没人过来)."""
    seg, ex = get_segmenter(LEXICON_DIR), OpinionExtractor.from_lexicons(LEXICON_DIR)
    lex = ex.lexicon_
    heads = set(ex.scorer_.lexicon_.negation) | set(lex.attributes) | set(lex.aspect_of)
    offenders = []
    for family in read_yaml(LEXICON_DIR / OPINIONS_FILE)["families"].values():
        for words in family.values():
            for w in words:  # a canonical name is a label, it need not be one token
                toks = seg.cut(w)
                ok = len(toks) == 1 or (
                    len(toks) == 2 and (toks[0] in heads or toks[0][0] in "不没才" or toks[1] == "不到")
                )  # 用 不到: a verb and 不到, joined by the extractor
                ok = ok or (w.startswith("没人") and len(seg.cut(w[2:])) == 1)  # 没人 过来
                if not ok:
                    offenders.append(f"{w!r} -> {toks}")
    assert not offenders, "\n".join(offenders)


def test_lexicons_are_sorted_and_documented():
    for name in (ASPECTS_FILE, OPINIONS_FILE, IMPLICIT_FILE):
        head = (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines()[:16]
        assert any("Source:" in x for x in head) and any("Licence:" in x for x in head), name
    aspects = read_yaml(LEXICON_DIR / ASPECTS_FILE)
    assert list(aspects["groups"]) == sorted(aspects["groups"])
    for group in aspects["groups"].values():
        assert list(group) == sorted(group)
        assert all(list(v) == sorted(v) for v in group.values())
    by_aspect = read_yaml(LEXICON_DIR / OPINIONS_FILE)["by_aspect"]
    assert list(by_aspect) == sorted(by_aspect)
    assert all(
        list(t) == sorted(t) and all(list(v) == sorted(v) for v in t.values()) for t in by_aspect.values()
    )
    families = read_yaml(LEXICON_DIR / OPINIONS_FILE)["families"]
    assert list(families) == sorted(families)
    for fam in families.values():
        assert list(fam) == sorted(fam) and all(list(v) == sorted(v) for v in fam.values())
    rows = [r["opinion"] for r in read_table(LEXICON_DIR / IMPLICIT_FILE, ("opinion", "aspect"))]
    assert rows == sorted(rows)


def test_a_word_listed_twice_is_named(lexdir):
    path = lexdir / ASPECTS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("物流: []", "物流: [快件]"), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"aspects.yaml.*'快件' listed twice"):
        OpinionExtractor.from_lexicons(lexdir)


def test_an_analyst_edit_takes_effect(lexdir):
    path = lexdir / ASPECTS_FILE
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("物流: []", "物流: [快递]")
        .replace("快递: [包裹, 快件]", "包裹: [快件]"),
        encoding="utf-8",
    )
    ex = OpinionExtractor.from_lexicons(lexdir)
    assert ex.extract(["快递", "太慢"]) == [M("物流", "慢")]
