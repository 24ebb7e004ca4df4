"""Clause splitting on normalized text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc.clauses import SEPARATOR_CHARS, split_clauses
from voc.normalize import normalize

CASES = [
    ("东西不错,但是快递太慢了", ["东西不错", "但是快递太慢了"], "comma-contrast"),
    ("东西不错，但是快递太慢了。", ["东西不错", "但是快递太慢了"], "full-width-punctuation"),
    ("好评!下次还来?会的;一定~", ["好评", "下次还来", "会的", "一定"], "ascii-punctuation"),
    ("等了好久...终于到了…还行", ["等了好久", "终于到了", "还行"], "ellipsis"),
    ("第一行\n第二行", ["第一行", "第二行"], "line-break"),
    ("太慢了[怒]", ["太慢了[怒]"], "emoticon-stays"),
    ("太慢了![怒][怒]", ["太慢了![怒][怒]"], "emoticon-after-bang-merges-back"),
    ("上菜太慢😡😡,服务差👎", ["上菜太慢😡😡", "服务差👎"], "emoji-stay"),
    ("太慢了! 😡", ["太慢了! 😡"], "emoji-after-bang-merges-back"),
    ("东西不错,啊", ["东西不错,啊"], "lone-char-merges-into-previous"),
    ("嗯,东西不错", ["嗯,东西不错"], "lone-char-first-merges-into-next"),
    ("啊", ["啊"], "only-a-fragment"),
    ("质量很好 物流很快", ["质量很好", "物流很快"], "space-between-chinese"),
    ("iPhone 15 很好用", ["iPhone 15 很好用"], "space-in-latin-kept"),
    ("价格3.5元,共1,000件", ["价格3.5元", "共1,000件"], "numbers-not-split"),
    ("联系[手机号],没人接", ["联系[手机号]", "没人接"], "mask-kept"),
    ("!!!", [], "only-separators"),
    ("", [], "empty"),
]


@pytest.mark.parametrize(("text", "expected"), [c[:2] for c in CASES], ids=[c[2] for c in CASES])
def test_split_clauses(text, expected):
    assert split_clauses(text) == expected


def test_split_after_normalize():
    assert split_clauses(normalize("東西不錯！！！但是快遞太慢了[怒]，再也不買了")) == [
        "东西不错",
        "但是快递太慢了[怒]",
        "再也不买了",
    ]


def _without_separators(text: str) -> str:
    return SEPARATOR_CHARS.sub("", text)


_PIECES = st.sampled_from(
    [
        "快递",
        "太慢",
        "了",
        "啊",
        ",",
        "。",
        "!",
        "?",
        "~",
        "...",
        " ",
        "\n",
        "[怒]",
        "😡",
        "3.5",
        "1,000",
        "iPhone",
        "，",
        "；",
        ".",
        "a",
        "。。",
    ]
)
TEXTS = st.one_of(st.lists(_PIECES, max_size=30).map("".join), st.text(max_size=60))


@settings(max_examples=300)
@given(TEXTS)
def test_no_characters_but_separators_lost(text):
    clauses = split_clauses(text)
    assert _without_separators("".join(clauses)) == _without_separators(text)


@settings(max_examples=300)
@given(TEXTS)
def test_clauses_are_stripped_and_non_empty(text):
    for clause in split_clauses(text):
        assert clause and clause == clause.strip()
