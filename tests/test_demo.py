"""The demo corpus generator: layout per voc.toml, determinism, realism, planted truth, bad rows."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import random
import statistics
from collections import Counter
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc.config import DEFAULT_CONFIG, load_settings
from voc.demo import DemoManifest, generate_demo
from voc.demo.__main__ import main
from voc.demo.compose import Composer
from voc.demo.phrases import STAGES, load_phrases
from voc.demo.writers import BAD_BYTES, HUGE_CHARS, LAYOUTS
from voc.pii import mask_pii

N_ITEMS, WEEKS = 600, 8
T2S = opencc.OpenCC("t2s")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, DemoManifest]:
    out = tmp_path_factory.mktemp("demo")
    return out, generate_demo(out, n_items=N_ITEMS, weeks=WEEKS)


def _sources():
    return load_settings(DEFAULT_CONFIG, env={}).sources


def _rows(out: Path, manifest: DemoManifest, kind: str, *, good: bool = False) -> list[tuple[str, dict]]:
    """(ISO week, row) for every parseable row of ``kind`` (only the good ones if ``good``)."""
    bad = {b.id for b in manifest.bad_row_details} if good else set()
    id_col = LAYOUTS[kind].columns[0]
    rows = []
    for f in (f for f in manifest.files if f.kind == kind):
        text = (out / f.path).read_bytes().decode(f.encoding, errors="replace")
        if f.path.endswith(".csv"):
            rows += [(f.week, r) for r in csv.DictReader(io.StringIO(text, newline=""))]
        else:
            for line in text.splitlines():
                try:
                    rows.append((f.week, json.loads(line)))
                except ValueError:
                    pass
    return [(w, r) for w, r in rows if r[id_col] not in bad]


def _texts(out: Path, manifest: DemoManifest) -> list[tuple[str, str, str]]:
    """(kind, week, text) of every good item."""
    texts = []
    for kind, lay in LAYOUTS.items():
        texts += [(kind, w, r[lay.text]) for w, r in _rows(out, manifest, kind, good=True)]
    return texts


# -- layout -----------------------------------------------------------------------------------


@pytest.mark.parametrize("source", _sources(), ids=lambda s: s.name)
def test_one_file_per_week_per_source_with_the_configured_columns(corpus, source):
    out, manifest = corpus
    folder = out / source.path.name
    files = sorted(folder.glob(source.pattern))
    assert [f.name.rsplit("_", 1)[1].split(".")[0] for f in files] == manifest.weeks
    wanted = set(source.columns.values())
    for f in manifest.files:
        if f.source != source.name:
            continue
        raw = (out / f.path).read_bytes().decode(f.encoding, errors="replace")
        if f.path.endswith(".csv"):
            assert set(next(csv.reader(io.StringIO(raw)))) == wanted
        else:
            assert set(json.loads(raw.splitlines()[0])) == wanted


def test_sources_are_mixed_half_reviews_quarter_surveys_quarter_social(corpus):
    _, manifest = corpus
    share = {k: n / manifest.n_items for k, n in manifest.by_kind.items()}
    assert share["review"] == pytest.approx(0.5, abs=0.06)
    assert share["survey"] == pytest.approx(0.25, abs=0.06)
    assert share["social"] == pytest.approx(0.25, abs=0.06)
    assert sum(f.items for f in manifest.files) == manifest.n_items


def test_manifest_round_trips_through_json(corpus):
    out, manifest = corpus
    assert DemoManifest.read(out / "manifest.json") == manifest


# -- determinism ------------------------------------------------------------------------------


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate_demo(tmp_path / name, n_items=300, weeks=4, seed=seed)
    a, b, c = (_snapshot(tmp_path / n) for n in "abc")
    assert a == b
    assert a.keys() == c.keys() and a != c


# -- realism ----------------------------------------------------------------------------------


def test_at_least_95_percent_of_texts_are_distinct(corpus):
    texts = [t for _, _, t in _texts(*corpus)]
    assert len(texts) >= N_ITEMS - 10
    assert len(set(texts)) / len(texts) >= 0.95


def test_about_one_in_ten_texts_is_traditional_chinese(corpus):
    out, manifest = corpus
    assert 0.06 <= manifest.traditional / manifest.n_items <= 0.14
    texts = [t for _, _, t in _texts(out, manifest)]
    converted = sum(T2S.convert(t) != t for t in texts) / len(texts)
    assert 0.05 <= converted <= 0.16


def test_positive_texts_are_common_but_not_everything(corpus):
    _, manifest = corpus
    assert 0.40 <= manifest.polarity["positive"] / manifest.n_items <= 0.52
    assert manifest.polarity["negative"] / manifest.n_items >= 0.25


@pytest.mark.parametrize("mark", ["//@", "#", "[", "@"], ids=["repost", "topic", "emoticon", "mention"])
def test_social_posts_use_microblog_conventions(corpus, mark):
    texts = [t for kind, _, t in _texts(*corpus) if kind == "social"]
    assert sum(mark in t for t in texts) >= 10


def test_texts_carry_personal_data_for_masking_to_find(corpus):
    texts = [t for _, _, t in _texts(*corpus)]
    assert sum(mask_pii(t) != t for t in texts) >= 10


def test_short_and_long_texts_both_occur(corpus):
    lengths = [len(t) for _, _, t in _texts(*corpus)]
    assert min(lengths) <= 4
    assert sum(n >= 80 for n in lengths) >= 10


def test_low_ratings_go_with_planted_complaints(corpus):
    out, manifest = corpus
    markers = [m for p in manifest.pain_points if p.key != "plan_mismatch" for m in p.markers]
    stars = {True: [], False: []}
    for _, row in _rows(out, manifest, "review"):
        if row["content"] and len(row["content"]) < HUGE_CHARS:
            stars[any(m in T2S.convert(row["content"]) for m in markers)].append(int(row["stars"]))
    assert statistics.mean(stars[True]) < 2.3 < 3.6 < statistics.mean(stars[False])


def test_survey_touchpoints_are_channels(corpus):
    out, manifest = corpus
    touch = Counter(r["触点"] for _, r in _rows(out, manifest, "survey"))
    assert {"门店", "APP", "客服热线", "配送", "售后"} <= set(touch)


# -- planted truth ----------------------------------------------------------------------------


def test_the_spike_is_planted_in_its_week(corpus):
    _, manifest = corpus
    spike = manifest.pain(manifest.spike["key"])
    assert spike.label == "配送超时" and spike.stage == "delivery"
    others = [n for w, n in spike.weekly.items() if w != manifest.spike["week"]]
    assert spike.weekly[manifest.spike["week"]] >= 3 * statistics.median(others)


@pytest.mark.parametrize(
    "key",
    [
        "late_delivery",
        "rude_service",
        "refund_hard",
        "long_queue",
        "app_crash",
        "parking_hard",
        "points_expire",
    ],
)
def test_planted_weekly_counts_can_be_recounted_from_the_files(corpus, key):
    """plan_mismatch is left out: its marker 套餐 is also part of telecom plan names."""
    out, manifest = corpus
    texts = [(w, T2S.convert(t)) for _, w, t in _texts(out, manifest)]
    markers = manifest.pain(key).markers
    per_week = Counter(w for w, t in texts if any(m in t for m in markers))
    assert {w: per_week[w] for w in manifest.weeks} == manifest.pain(key).weekly


def test_one_pain_point_grows_one_declines_the_rest_stay_flat(corpus):
    _, manifest = corpus
    trends = Counter(p.trend for p in manifest.pain_points)
    assert trends["growing"] == trends["declining"] == trends["spike"] == 1 and trends["flat"] >= 3
    grow = list(manifest.pain(manifest.growing).weekly.values())
    fall = list(manifest.pain(manifest.declining).weekly.values())
    assert grow[-1] >= 2 * grow[0] and fall[0] >= 2 * fall[-1]
    assert len({p.stage for p in manifest.pain_points}) >= 6


def test_pain_point_markers_belong_to_their_pain_point_only():
    phrases = load_phrases()
    common = phrases.common
    others = [
        x
        for pol in ("negative", "positive", "neutral")
        for x in common["openers"][pol] + common["short"][pol]
    ]
    others += [x for pool in common["closers"].values() for x in pool]
    others += common["openers"]["survey"] + common["questions"] + common["context"] + common["neutral_tail"]
    for ind in phrases.industries.values():
        others += [x for by_pol in ind.clauses.values() for pool in by_pol.values() for x in pool]
        others += ind.context + ind.questions
    for key, pain in phrases.pains.items():
        assert not [x for x in others if any(m in x for m in pain.markers)], key
        for other in phrases.pains.values():
            if other.key != key:
                own = [x for pool in other.clauses.values() for x in pool] + other.details + other.suggestions
                assert not [x for x in own if any(m in x for m in pain.markers)], (key, other.key)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    category=st.sampled_from(["pain", "positive", "negative", "mixed", "neutral", "question", "short"]),
)
def test_composed_texts_are_filled_and_pain_texts_carry_a_marker(seed, category):
    phrases = load_phrases()
    rng = random.Random(seed)
    pain = rng.choice(list(phrases.pains.values()))
    industry = phrases.industries[rng.choice(pain.industries)]
    composer = Composer(phrases, rng)
    composer.begin(industry)
    composed = composer.compose(category, industry, "review", pain)
    assert composed.text.strip() and "{" not in composed.text and composed.stage in STAGES
    if category == "pain":
        assert composed.polarity == "negative"
        assert any(m in composed.text for m in pain.markers)


# -- encodings and bad rows -------------------------------------------------------------------


def test_encodings_are_as_promised(corpus):
    out, manifest = corpus
    by_encoding = Counter(f.encoding for f in manifest.files)
    assert by_encoding["gbk"] == 1 and 1 <= by_encoding["utf-8-sig"] <= 2
    for f in manifest.files:
        data = (out / f.path).read_bytes()
        if f.encoding == "gbk":
            data.decode("gbk")
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        else:
            assert data.startswith(b"\xef\xbb\xbf") == (f.encoding == "utf-8-sig")
            if BAD_BYTES not in data:
                data.decode("utf-8")


def test_the_planted_bad_rows_are_in_the_files(corpus):
    out, manifest = corpus
    assert manifest.bad_rows == len(manifest.bad_row_details) == 6
    assert sum(f.bad_rows for f in manifest.files) == 6
    data = {f.path: (out / f.path).read_bytes() for f in manifest.files}
    assert sum(BAD_BYTES in d for d in data.values()) == 1
    reviews = [r["content"] for _, r in _rows(out, manifest, "review")]
    assert "" in reviews and any(len(t) == HUGE_CHARS for t in reviews)
    surveys = [r for _, r in _rows(out, manifest, "survey")]
    assert any(r["推荐意愿"] == "11" for r in surveys)
    social = [f.path for f in manifest.files if f.kind == "social"]
    social_lines = [line for path in social for line in data[path].decode().splitlines()]
    assert len(social_lines) - len(_rows(out, manifest, "social")) == 1


def test_the_corpus_ingests_with_exactly_the_planted_rejects(corpus):
    ingest = pytest.importorskip("voc.ingest")
    out, manifest = corpus
    items = rejected = 0
    for src in _sources():
        batch = ingest.read_source(dataclasses.replace(src, path=out / src.path.name))
        items, rejected = items + len(batch.items), rejected + len(batch.rejected)
    assert (items, rejected) == (manifest.n_items, manifest.bad_rows)


# -- entry points -----------------------------------------------------------------------------


def test_module_cli_writes_a_corpus(tmp_path, capsys):
    assert main([str(tmp_path), "--items", "200", "--weeks", "4", "--seed", "1"]) == 0
    assert DemoManifest.read(tmp_path / "manifest.json").n_items == 200
    assert "配送超时" in capsys.readouterr().out


@pytest.mark.parametrize("items, weeks", [(600, 3), (50, 4)], ids=["too-few-weeks", "too-few-items"])
def test_too_small_a_corpus_is_refused(tmp_path, items, weeks):
    with pytest.raises(ValueError, match="at least"):
        generate_demo(tmp_path, n_items=items, weeks=weeks)


# -- the planted coordinated burst ------------------------------------------------------------


def test_a_coordinated_burst_is_planted_in_the_week_before_the_last(corpus):
    out, manifest = corpus
    burst = manifest.burst
    assert burst["week"] == manifest.weeks[-2] and burst["posts"] == len(burst["ids"]) == 25
    rows = {r["mid"]: (w, r) for w, r in _rows(out, manifest, "social")}
    posts = [rows[mid] for mid in burst["ids"]]
    assert {w for w, _ in posts} == {burst["week"]}
    assert len({r["user"] for _, r in posts}) == burst["accounts"] >= 20
    texts = [T2S.convert(r["text"]) for _, r in posts]
    assert len(set(texts)) == len(texts) and all(burst["product"] in t for t in texts)


def test_the_burst_carries_no_pain_point_marker_and_stays_within_hours(corpus):
    from datetime import datetime

    out, manifest = corpus
    burst = manifest.burst
    span = datetime.fromisoformat(burst["last_at"]) - datetime.fromisoformat(burst["first_at"])
    assert span.total_seconds() <= 6 * 3600
    markers = [m for p in manifest.pain_points for m in p.markers]
    rows = {r["mid"]: r for _, r in _rows(out, manifest, "social")}
    assert not [m for mid in burst["ids"] for m in markers if m in T2S.convert(rows[mid]["text"])]


def test_a_corpus_too_small_for_a_burst_has_none(tmp_path):
    assert generate_demo(tmp_path, n_items=120, weeks=4).burst == {}
