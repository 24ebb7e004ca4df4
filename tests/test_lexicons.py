"""The shipped lexicons against the segmenter, and the loaders' error messages.

A sentiment word or stage keyword that jieba splits into pieces can never match a token: every
offender is listed with its file so an analyst can fix all of them in one go.
"""

from __future__ import annotations

import pytest

from voc.errors import LexiconError
from voc.lexicons import fingerprint, read_table, read_words
from voc.paths import LEXICON_DIR
from voc.segment import get_segmenter
from voc.sentiment import SENTIMENT_DIR, load_sentiment_lexicon
from voc.stages import load_stages

SENTIMENT = LEXICON_DIR / SENTIMENT_DIR
WORD_LISTS = ("positive.txt", "negative.txt", "negation.txt", "contrast.txt", "question.txt")
TABLES = {"degree.tsv": ("word", "weight"), "emoticons.tsv": ("token", "polarity")}


def shipped_entries() -> list[tuple[str, str]]:
    """(file, entry) for every sentiment word, emoticon and stage keyword the project ships."""
    out = [(f"sentiment/{name}", w) for name in WORD_LISTS for w in read_words(SENTIMENT / name)]
    for name, cols in TABLES.items():
        out += [(f"sentiment/{name}", row[cols[0]]) for row in read_table(SENTIMENT / name, cols)]
    for stage in load_stages(LEXICON_DIR):
        out += [(f"stages.yaml ({stage.key})", w) for w in stage.keywords]
    return out


def test_every_lexicon_entry_is_one_segmenter_token():
    seg = get_segmenter(LEXICON_DIR)
    offenders = [
        f"{where}: {word!r} -> {seg.cut(word)}"
        for where, word in shipped_entries()
        if seg.cut(word) != [word]
    ]
    assert not offenders, (
        "split by the segmenter (choose another word or add it to user_dict.txt):\n" + "\n".join(offenders)
    )


@pytest.mark.parametrize("name", [*WORD_LISTS, *TABLES])
def test_sentiment_files_are_sorted_and_documented(name):
    path = SENTIMENT / name
    head = path.read_text(encoding="utf-8").splitlines()[:6]
    assert any("Source:" in line for line in head) and any("Licence:" in line for line in head)
    entries = (
        [r[TABLES[name][0]] for r in read_table(path, TABLES[name])]
        if name in TABLES
        else list(read_words(path))
    )
    assert entries == sorted(entries), f"{path} is not sorted by code point"


def test_stage_keywords_are_sorted_within_each_stage():
    for stage in load_stages(LEXICON_DIR):
        assert list(stage.keywords) == sorted(stage.keywords), f"stages.yaml ({stage.key}) not sorted"


def test_polarity_lists_do_not_overlap():
    pos = set(read_words(SENTIMENT / "positive.txt"))
    assert not pos & set(read_words(SENTIMENT / "negative.txt"))


# --- loader errors ---------------------------------------------------------------------------------


STAGE_HEAD = "stages:\n  - key: delivery\n    label: 交付履约\n    phase: 售中\n    owner: 物流\n"
STAGE_ERRORS = [
    pytest.param("stages: [oops", "not valid YAML", id="bad-yaml"),
    pytest.param("- just a list\n", "top-level 'stages:' list", id="no-stages-key"),
    pytest.param("stages: []\nextra: 1\n", "top-level 'stages:' list", id="empty-stages"),
    pytest.param(
        STAGE_HEAD + "    keywords: [快递]\n    colour: red\n",
        "stage 'delivery': unknown field(s) colour",
        id="unknown-field",
    ),
    pytest.param(
        STAGE_HEAD.replace("    owner: 物流\n", "") + "    keywords: [快递]\n",
        "stage 'delivery': 'owner' is required",
        id="missing-owner",
    ),
    pytest.param(
        STAGE_HEAD.replace("售中", "售完") + "    keywords: [快递]\n", "phase must be", id="bad-phase"
    ),
    pytest.param(STAGE_HEAD + "    keywords: []\n", "'keywords' must be a non-empty list", id="no-keywords"),
    pytest.param(
        STAGE_HEAD + "    keywords: [快递 物流]\n", "must be one word", id="two-words-in-one-keyword"
    ),
    pytest.param(
        STAGE_HEAD + "    keywords: [{快递: 9}]\n", "weight of keyword '快递'", id="weight-out-of-range"
    ),
    pytest.param(
        STAGE_HEAD + "    keywords: [快递, 物流, 快递]\n",
        "'快递' is listed twice in this stage",
        id="duplicate-in-stage",
    ),
    pytest.param(
        STAGE_HEAD
        + "    keywords: [快递]\n"
        + STAGE_HEAD.replace("stages:\n", "").replace("delivery", "aftersales")
        + "    keywords: [退款, 快递]\n",
        "stage 'aftersales': keyword '快递' is listed also in stage 'delivery'",
        id="duplicate-across-stages",
    ),
    pytest.param(
        STAGE_HEAD
        + "    keywords: [快递]\n"
        + STAGE_HEAD.replace("stages:\n", "")
        + "    keywords: [物流]\n",
        "stage 'delivery' is defined twice",
        id="duplicate-stage-key",
    ),
]


@pytest.mark.parametrize(("yaml_text", "message"), STAGE_ERRORS)
def test_bad_stage_files_name_file_and_stage(lexdir, yaml_text, message):
    path = lexdir / "stages.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_stages(lexdir)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_numeric_keyword_is_read_as_text(lexdir):
    (lexdir / "stages.yaml").write_text(STAGE_HEAD + "    keywords: [12315, {快递: 2}]\n", encoding="utf-8")
    [stage] = load_stages(lexdir)
    assert stage.keywords == ("12315", "快递") and stage.weights == (1.0, 2.0)


SENTIMENT_ERRORS = [
    pytest.param(
        "negative.txt", "# words\n差\n好\n", "'好' is also in positive.txt", id="word-in-both-lists"
    ),
    pytest.param("negative.txt", "差\n差\n", "duplicate entry '差'", id="duplicate-word"),
    pytest.param(
        "degree.tsv", "word\tweight\n很\tlots\n", "weight must be a number", id="degree-not-a-number"
    ),
    pytest.param("degree.tsv", "word\tweight\n很\t9\n", "weight must be in [0, 3]", id="degree-out-of-range"),
    pytest.param(
        "emoticons.tsv", "token\tpolarity\n[怒]\t-2\n", "polarity must be in [-1, 1]", id="emoticon-range"
    ),
    pytest.param(
        "emoticons.tsv", "emoji\tpolarity\n", "header must be token<TAB>polarity", id="wrong-header"
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), SENTIMENT_ERRORS)
def test_bad_sentiment_files_name_file_and_line(lexdir, name, text, message):
    path = lexdir / SENTIMENT_DIR / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_sentiment_lexicon(lexdir)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_missing_sentiment_file_is_named(lexdir):
    (lexdir / SENTIMENT_DIR / "contrast.txt").unlink()
    with pytest.raises(LexiconError, match="contrast.txt: lexicon file not found"):
        load_sentiment_lexicon(lexdir)


@pytest.mark.parametrize(
    ("name", "re_enriches"),
    [
        ("sentiment/negative.txt", True),  # enrichment scores with it
        ("stages.yaml", True),
        ("pain_points.yaml", False),  # read by the pain-point step only, which re-runs every time
        ("opinions.yaml", True),  # the stage step consults the opinion extractor
        ("experience_layers.yaml", False),
    ],
)
def test_enrichment_fingerprint_covers_only_what_enrichment_reads(lexdir, name, re_enriches):
    before = fingerprint(lexdir)
    path = lexdir / name
    path.write_text(path.read_text(encoding="utf-8") + "\n# an analyst's note\n", encoding="utf-8")
    assert (fingerprint(lexdir) != before) is re_enriches
