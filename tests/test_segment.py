"""The jieba seam: tokens, the user dictionary and stopwords, and what must never be lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc.errors import LexiconError
from voc.lexicons import read_table, read_words
from voc.paths import LEXICON_DIR
from voc.segment import STOPWORDS, USER_DICT, Segmenter, get_segmenter
from voc.stages import load_stages

SENTIMENT = LEXICON_DIR / "sentiment"
# Words sentiment relies on, whatever its lexicon files say today.
PROTECTED = {
    "不",
    "没",
    "没有",
    "别",
    "未",
    "无",
    "很",
    "太",
    "非常",
    "有点",
    "但是",
    "不过",
    "可惜",
    "但",
    "却",
}


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return get_segmenter(LEXICON_DIR)


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Segmenter:
    """A segmenter with an empty user dictionary: what jieba does on its own."""
    d = tmp_path_factory.mktemp("plain")
    (d / USER_DICT).write_text("# empty\n", encoding="utf-8")
    (d / STOPWORDS).write_text("# empty\n", encoding="utf-8")
    return Segmenter(d)


CUTS = [
    ("快递太慢了[怒]", ["快递", "太慢", "了", "[怒]"], "emoticon-whole"),
    ("电话[手机号]没人接", ["电话", "[手机号]", "没人接"], "mask-whole"),
    ("[身份证号][银行卡号][邮箱]", ["[身份证号]", "[银行卡号]", "[邮箱]"], "masks-adjacent"),
    ("这家店踩雷了", ["这家", "店", "踩雷", "了"], "user-dict-踩雷"),
    ("客服电话一直打不通", ["客服", "电话", "一直", "打不通"], "user-dict-打不通"),
    ("钱一直没到账", ["钱", "一直", "没", "到账"], "user-dict-到账"),
    ("空调不制冷", ["空调", "不制冷"], "user-dict-fault"),
    ("客服 态度\t差", ["客服", "态度", "差"], "whitespace-dropped"),
]


@pytest.mark.parametrize(("text", "expected"), [c[:2] for c in CUTS], ids=[c[2] for c in CUTS])
def test_cut(seg, text, expected):
    assert seg.cut(text) == expected


def test_content_tokens_drop_function_words_keep_meaning(seg):
    tokens = seg.cut("我的快递不是很快,太慢了[怒]😡[手机号]")
    assert seg.content_tokens(tokens) == ["快递", "不是", "很快", "太慢", "[怒]"]


def test_segmenters_do_not_share_words(tmp_path, seg):
    (tmp_path / USER_DICT).write_text("咕噜咕噜店\n", encoding="utf-8")
    (tmp_path / STOPWORDS).write_text("", encoding="utf-8")
    own = Segmenter(tmp_path)
    assert own.cut("咕噜咕噜店") == ["咕噜咕噜店"]
    assert seg.cut("咕噜咕噜店") != ["咕噜咕噜店"]


def test_get_segmenter_is_built_once_per_folder():
    assert get_segmenter(LEXICON_DIR) is get_segmenter(LEXICON_DIR)


def test_bad_user_dict_line_names_the_file(tmp_path):
    (tmp_path / USER_DICT).write_text("好评,很多\n", encoding="utf-8")
    (tmp_path / STOPWORDS).write_text("", encoding="utf-8")
    with pytest.raises(LexiconError, match="user_dict.txt"):
        Segmenter(tmp_path)


TEXTS = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.sampled_from(
            [
                "快递",
                "太慢",
                "[怒]",
                "[手机号]",
                "😡",
                " ",
                "\n",
                "iPhone 15",
                "3.5元",
                "!",
                "，",
                "踩雷",
                "打不通",
                "[",
                "]",
                "東西",
                "ａｂ",
            ]
        ),
        max_size=20,
    ).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_no_characters_lost(seg, text):
    tokens = seg.cut(text)
    assert "".join(tokens) == "".join(text.split())
    assert all(t and not t.isspace() for t in tokens)


# --- the lexicon files ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [USER_DICT, STOPWORDS])
def test_word_lists_are_sorted_and_documented(name):
    path = LEXICON_DIR / name
    head = path.read_text(encoding="utf-8").splitlines()[:8]
    assert any("Source:" in line for line in head) and any("Licence:" in line for line in head)
    words = list(read_words(path))
    assert words == sorted(words), f"{path} is not sorted by code point"


def test_every_user_dict_word_is_one_token(seg):
    split = [
        w
        for w in read_words(LEXICON_DIR / USER_DICT)
        if seg.cut(w.partition(",")[0]) != [w.partition(",")[0]]
    ]
    assert not split


def _sentiment_entries() -> set[str]:
    words = {
        w
        for name in ("positive.txt", "negative.txt", "negation.txt", "contrast.txt", "question.txt")
        for w in read_words(SENTIMENT / name)
    }
    return words | {r["word"] for r in read_table(SENTIMENT / "degree.tsv", ("word", "weight"))}


def test_stopwords_keep_what_sentiment_needs():
    stop = set(read_words(LEXICON_DIR / STOPWORDS))
    assert not stop & PROTECTED
    assert not stop & _sentiment_entries()
    assert not stop & {k for s in load_stages(LEXICON_DIR) for k in s.keywords}


def test_user_dict_does_not_swallow_lexicon_words(plain):
    """A compound like 快递员 would hide the stage keyword 快递 in every sentence it appears in.

    Hiding a one-character sentiment word is allowed: that is how 绑卡 stops reading as 卡 (laggy).
    """
    stage_words = {k for s in load_stages(LEXICON_DIR) for k in s.keywords}
    sentiment = {w for w in _sentiment_entries() if len(w) > 1}
    guarded = stage_words | sentiment
    offenders = []
    for entry in read_words(LEXICON_DIR / USER_DICT):
        word = entry.partition(",")[0]
        if word in guarded or word in _sentiment_entries():
            continue
        hidden = [t for t in plain.cut(word) if t in guarded]
        if hidden:
            offenders.append(f"{word} hides {hidden}")
    assert not offenders, "add these compounds to the lexicon they hide, or drop them:\n" + "\n".join(
        offenders
    )
