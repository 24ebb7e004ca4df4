"""Normalization: each step on its own, the composed pipeline, and its invariants."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voc.normalize import (
    collapse_repeats,
    collapse_whitespace,
    drop_repost_chain,
    normalize,
    remove_controls,
    remove_mentions,
    remove_urls,
    to_simplified,
    unify_width,
    unwrap_topics,
)
from voc.pii import mask_pii

STEP_CASES = [
    # (step, input, expected)
    pytest.param(remove_controls, "好\x00评\x07", "好评", id="controls-nul-bell"),
    pytest.param(remove_controls, "\ufeff差\u200b评\u200e", "差评", id="controls-bom-zero-width"),
    pytest.param(remove_controls, "a\tb\nc", "a\tb\nc", id="controls-keeps-whitespace"),
    pytest.param(remove_controls, "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧", id="controls-keeps-emoji-zwj"),
    pytest.param(unify_width, "ＡＢＣ１２３", "ABC123", id="width-letters-digits"),
    pytest.param(unify_width, "好，真的！？；：（）～", "好,真的!?;:()~", id="width-punctuation-to-ascii"),
    pytest.param(unify_width, "好。很好、", "好。很好、", id="width-keeps-chinese-full-stop"),
    pytest.param(unify_width, "慢\u3000死了", "慢 死了", id="width-ideographic-space"),
    pytest.param(unify_width, "等等……", "等等......", id="width-ellipsis"),
    pytest.param(unify_width, "［怒］〜", "[怒]~", id="width-brackets-wave-dash"),
    pytest.param(to_simplified, "東西不錯，但是快遞太慢了", "东西不错，但是快递太慢了", id="t2s-sentence"),
    pytest.param(to_simplified, "頭髮 乾淨 麵包", "头发 干净 面包", id="t2s-one-to-many"),
    pytest.param(to_simplified, "[讚]", "[赞]", id="t2s-emoticon"),
    pytest.param(to_simplified, "already ascii", "already ascii", id="t2s-ascii"),
    pytest.param(unwrap_topics, "#双十一#快递太慢", "双十一快递太慢", id="topic-unwrapped"),
    pytest.param(unwrap_topics, "C# 不是话题", "C# 不是话题", id="topic-lone-hash-kept"),
    pytest.param(remove_urls, "看这个http://t.cn/A6xYz,太坑了", "看这个 ,太坑了", id="url-stops-at-comma"),
    pytest.param(remove_urls, "官网www.example.com/a?b=1很难用", "官网 很难用", id="url-www"),
    pytest.param(remove_urls, "HTTPS://EXAMPLE.COM 打不开", "  打不开", id="url-upper-case"),
    pytest.param(remove_urls, "taobao.com 买的", "taobao.com 买的", id="url-bare-domain-kept"),
    pytest.param(
        drop_repost_chain, "再也不买了//@小王: 我也是//@小李: 垃圾", "再也不买了", id="repost-own-text"
    ),
    pytest.param(drop_repost_chain, "//@小王: 客服态度太差//@小李: 垃圾", "客服态度太差", id="repost-pure"),
    pytest.param(drop_repost_chain, "转发微博//@小王:好评", "好评", id="repost-default-text"),
    pytest.param(drop_repost_chain, "http://a.cn/b 不是转发", "http://a.cn/b 不是转发", id="repost-none"),
    pytest.param(remove_mentions, "@小米客服 你们的手机太烂了", "你们的手机太烂了", id="mention-leading"),
    pytest.param(remove_mentions, "谢谢@小米客服 的帮助", "谢谢的帮助", id="mention-inside"),
    pytest.param(remove_mentions, "回复@张三:你说得对", "你说得对", id="mention-reply"),
    pytest.param(remove_mentions, "@a @b 快来看", "快来看", id="mention-several"),
    pytest.param(remove_mentions, "[邮箱] a@b 还在", "[邮箱] a@b 还在", id="mention-not-address"),
    pytest.param(remove_mentions, "@" + "很" * 40, "很" * 40, id="mention-without-end-keeps-words"),
    pytest.param(collapse_repeats, "哈哈哈哈哈哈", "哈哈哈", id="repeat-chars"),
    pytest.param(collapse_repeats, "太慢了!!!!!!", "太慢了!!!", id="repeat-punctuation"),
    pytest.param(collapse_repeats, "100000元", "100000元", id="repeat-digits-untouched"),
    pytest.param(collapse_repeats, "[怒][怒][怒][怒][怒]", "[怒][怒][怒]", id="repeat-emoticons"),
    pytest.param(collapse_repeats, "😡😡😡😡😡", "😡😡😡", id="repeat-emoji"),
    pytest.param(collapse_repeats, "哈哈哈", "哈哈哈", id="repeat-three-kept"),
    pytest.param(collapse_whitespace, "  a \t b  ", "a b", id="ws-spaces"),
    pytest.param(collapse_whitespace, "a \r\n\n  b", "a\nb", id="ws-line-breaks"),
]


@pytest.mark.parametrize(("step", "text", "expected"), STEP_CASES)
def test_step(step, text, expected):
    assert step(text) == expected


NORMALIZE_CASES = [
    ("東西不錯！！！！！//@小王: 轉發", "东西不错!!!"),
    ("＃雙十一＃ 快遞太慢了[怒] http://t.cn/A6x", "双十一 快递太慢了[怒]"),
    ("ＡＢＣ１２３，哈哈哈哈哈哈　@客服小美 太慢了[怒]", "ABC123,哈哈哈 太慢了[怒]"),
    (
        "電話[手机号]，郵箱[邮箱]，卡[银行卡号]，證[身份证号]",
        "电话[手机号],邮箱[邮箱],卡[银行卡号],证[身份证号]",
    ),
    ("上菜太慢😡😡😡😡，服務員態度差👎", "上菜太慢😡😡😡,服务员态度差👎"),
    ("\ufeff  好评\u200b！\n\n\n下次还来  ", "好评!\n下次还来"),
    ("价格3.5元，1,000件，2026-10-05 到货", "价格3.5元,1,000件,2026-10-05 到货"),
    ("", ""),
    ("   ", ""),
]


@pytest.mark.parametrize(
    ("text", "expected"), NORMALIZE_CASES, ids=[c[0][:12] or "empty" for c in NORMALIZE_CASES]
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("mask", ["[手机号]", "[身份证号]", "[邮箱]", "[银行卡号]"])
def test_pii_masks_survive_normalize(mask):
    assert normalize(f"我的{mask}，{mask}{mask}") == f"我的{mask},{mask}{mask}"
    assert normalize(mask_pii("电话：１３８ １２３４ ５６７８")) == "电话:[手机号]"


# Text that looks like real feedback: CJK (both scripts), full-width forms, emoji, the social
# conventions and PII masks, glued together in any order.
_PIECES = st.sampled_from(
    [
        "快递",
        "太慢",
        "了",
        "東西",
        "不錯",
        "客服",
        "态度",
        "哈",
        "！",
        "，",
        "。",
        "？",
        "…",
        "~",
        "　",
        " ",
        "\n",
        "[怒]",
        "[赞]",
        "[手机号]",
        "[邮箱]",
        "😡",
        "👍",
        "❤️",
        "#",
        "@",
        "//@",
        "@小王:",
        "#双十一#",
        "回复@",
        "http://t.cn/Ab",
        "www.",
        "ＡＢＣ",
        "１２３",
        "＠",
        "＃",
        "３.５",
        "e\u0301",
        "\u0301",
        "\u200b",
        "\x00",
        "髮",
        "發",
        "薴",
        "苧",
        ":",
        "[",
        "]",
        "转发微博",
        "100000",
    ]
)
REALISTIC = st.lists(_PIECES, max_size=25).map("".join)
ANY_TEXT = st.text(max_size=80)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(REALISTIC, ANY_TEXT))
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200)
@given(REALISTIC)
def test_normalize_keeps_masks_and_emoticons(text):
    text = text + "[手机号][怒]"
    assert normalize(text).endswith("[手机号][怒]") or "//@" in text or "#" in text or "@" in text


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_normalize_never_raises_and_is_stripped(text):
    out = normalize(text)
    assert out == out.strip()
    assert "\u200b" not in out and "\x00" not in out
