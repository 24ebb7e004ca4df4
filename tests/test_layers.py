"""Experience layers: hand-written (aspect, opinion, stage) cases, the shipped lexicon against the
segmenter, and the loader's error messages (file and key named)."""

from __future__ import annotations

import pytest
import yaml

from voc.errors import LexiconError
from voc.layers import LAYERS_FILE, LayerTagger, infer_layer, load_layers
from voc.paths import LEXICON_DIR
from voc.segment import get_segmenter
from voc.stages import load_stages


@pytest.mark.parametrize(
    "aspect, opinion, stage, layer",
    [
        ("配送", "超时", "delivery", "convenience"),
        ("上菜", "太慢", "delivery", "convenience"),
        ("服务员", "态度差", "service", "emotional"),
        ("客服", "爱答不理", None, "emotional"),
        ("会员", "插队", "purchase", "emotional"),  # queue-jumping: unfair, not slow
        ("价格", "不公平", "consideration", "emotional"),
        ("退款", "一直不处理", "aftersales", "convenience"),
        ("排队", "时间长", "purchase", "convenience"),
        ("APP", "闪退", "usage", "functional"),
        ("菜", "难吃", None, "functional"),
        ("水果", "不新鲜", "usage", "functional"),
        ("套餐", "不匹配", "consideration", "functional"),
        ("停车", "难", "awareness", "convenience"),
        ("积分", "清零", "loyalty", "emotional"),
        ("快遞", "三天沒到", "delivery", "convenience"),  # traditional input, aspect decides
        ("服务员", "太慢", "service", "convenience"),  # opinion before stage
        ("东西", "一般", "usage", "functional"),  # stage default
        ("东西", "一般", "service", "emotional"),
        ("东西", "一般", None, None),
        ("", "", None, None),
    ],
)
def test_layer_of_a_pain_point(aspect, opinion, stage, layer):
    assert infer_layer(aspect, opinion, stage) == layer


def test_a_tie_between_layers_goes_to_the_emotional_one():
    tagger = LayerTagger.from_lexicons()
    assert tagger.layer_of(["排队", "插队"]) == "emotional"
    assert tagger.layer_of(["慢", "难吃"]) == "functional"
    assert tagger.layer_of(["慢", "排队", "难吃"]) == "convenience"


def test_every_layer_word_is_one_segmenter_token():
    seg = get_segmenter(LEXICON_DIR)
    words = load_layers(LEXICON_DIR).words
    offenders = [f"{w!r} -> {seg.cut(w)}" for w in words if seg.cut(w) != [w]]
    assert not offenders, f"{LAYERS_FILE}: split by the segmenter:\n" + "\n".join(offenders)


def test_the_file_is_sorted_documented_and_covers_every_stage():
    path = LEXICON_DIR / LAYERS_FILE
    head = path.read_text(encoding="utf-8").splitlines()[:14]
    assert any("Source:" in line for line in head) and any("Licence:" in line for line in head)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for layer, words in data["layers"].items():
        assert words == sorted(words), f"{LAYERS_FILE}: layers.{layer} is not sorted by code point"
    assert set(load_layers().stage_defaults) == {s.key for s in load_stages()}


# -- loader errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("  emotional: [", "  friendly: [", "unknown layer 'friendly'"),
        ("  service: emotional", "  service: rude", r"stage_defaults.service: unknown layer 'rude'"),
        ("  loyalty: emotional", "  vip: emotional", "stage_defaults.vip: not a stage"),
        ("  emotional: [不理,", "  emotional: [慢, 不理,", "'慢' is listed also under convenience"),
        ("stage_defaults:", "stage_default:", "top-level keys"),
    ],
    ids=["bad-layer", "bad-default", "unknown-stage", "word-twice", "bad-top-key"],
)
def test_a_broken_lexicon_names_the_file_and_key(lexdir, old, new, message):
    path = lexdir / LAYERS_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LexiconError, match=message) as err:
        load_layers(lexdir)
    assert LAYERS_FILE in str(err.value)


def test_an_edited_lexicon_is_picked_up(lexdir):
    assert infer_layer("东西", "一般", None, lexicon_dir=lexdir) is None
    path = lexdir / LAYERS_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace("[一拖再拖,", "[一拖再拖, 一般,"), encoding="utf-8"
    )
    import os

    os.utime(path, (1, 1))  # another mtime, even within the file system's time resolution
    assert infer_layer("东西", "一般", None, lexicon_dir=lexdir) == "convenience"
