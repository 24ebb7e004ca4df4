"""Coordinated bursts: hand-written posts where a burst is (and is not) found, the cleaning, the
MinHash pieces, and the warehouse round trip through a real DuckDB (flagged, never dropped)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import numpy as np
import pytest

from tests.conftest import settings_for
from voc import pipeline
from voc import warehouse as wh
from voc.bursts import BurstDetector, burst_id, burst_text, burst_texts
from voc.minhash import minhash, shingle_hashes, similar_pairs
from voc.records import RawFeedback

T0 = datetime(2026, 11, 10, 20, 0)

# One complaint, dressed the ways copied posts differ: emoticons, @mentions, #topics#, digits,
# punctuation, full-width and traditional forms, a repost of it, a typo-ish tail.
CAMPAIGN = [
    "橙子生活馆的空气炸锅用了一次就冒烟，还有一股塑料味，大家千万别买！",
    "橙子生活馆的空气炸锅用了1次就冒烟，还有一股塑料味，大家千万别买[怒][怒]",
    "#避雷# 橙子生活馆的空气炸锅用了一次就冒烟，还有一股塑料味，大家千万别买！！！",
    "橙子生活館的空氣炸鍋用了一次就冒煙，還有一股塑料味，大家千萬別買！",
    "@橙子生活馆 你们的空气炸锅用了一次就冒烟，还有一股塑料味，大家千万别买",
    "转发微博//@爱吃芒果酱:橙子生活馆的空气炸锅用了一次就冒烟，还有一股塑料味，大家千万别买！",
    "橙子生活馆的空气炸锅用了两次就冒烟，还有一股塑料味，大家千万别买😡😡",
    "橙子生活馆的空气炸锅用了一次就冒烟了，还有一股塑料味，大家千万别买！http://t.cn/A6x",
    "ＵＰ 橙子生活馆的空气炸锅用了一次就冒烟，还有股塑料味，大家千万别买！",
    "橙子生活馆的空气炸锅用了一次就冒烟，还有一股塑料味，姐妹们千万别买！[衰]",
    "橙子生活馆空气炸锅用了一次就冒烟，还有一股塑料味，大家千万别买！#消费维权#",
    "橙子生活馆的空气炸锅用了一次就冒烟，还有一股塑料味，大家千万别买！电话[手机号]",
]

# Organic complaints about the same product and flaw, in customers' own words.
ORGANIC = [
    "空气炸锅第一次用就有焦味，客服说正常，我不太信",
    "买的炸锅冒烟了吓我一跳，已经不敢再用了",
    "塑料味太重了，炸出来的薯条都有味道，失望",
    "橙子生活馆这个炸锅质量真的一般，用了一周涂层掉了",
    "炸锅加热不均匀，鸡翅一半生一半糊，差评",
    "用了三天，炸锅按键失灵，售后让我自己寄回去",
    "说是无油健康，结果味道很大，放阳台散了一周还有",
    "炸锅外壳烫手，孩子差点碰到，设计太不合理",
    "做了两次红薯就罢工了，这质量真不行",
    "气味一直散不掉，厨房里全是怪味，后悔买了",
    "篮子的涂层一刷就掉，吃进肚子里怎么办",
    "声音特别大，像拖拉机一样，晚上根本不敢用",
]


def _detect(texts, times, authors, **kw):
    ids = [f"p{i:03d}" for i in range(len(texts))]
    return BurstDetector(**kw).fit(ids, times, authors, texts).bursts_


def _within_hours(n: int, hours: float, seed: int = 0) -> list[datetime]:
    rng = random.Random(seed)
    return sorted(T0 + timedelta(seconds=rng.uniform(0, hours * 3600)) for _ in range(n))


# -- what is and is not a burst -----------------------------------------------------------------


def test_a_campaign_from_many_accounts_in_hours_is_one_burst():
    bursts = _detect(CAMPAIGN, _within_hours(len(CAMPAIGN), 6), [f"acct{i}" for i in range(len(CAMPAIGN))])
    assert len(bursts) == 1
    b = bursts[0]
    assert (b.posts, b.accounts) == (len(CAMPAIGN), len(CAMPAIGN))
    assert b.hours <= 6 and b.similarity >= 0.6
    assert "空气炸锅" in b.representative


def test_the_campaign_is_found_among_organic_posts_and_they_stay_out():
    texts = ORGANIC + CAMPAIGN + ORGANIC
    times = _within_hours(len(texts), 30, seed=1)
    bursts = _detect(texts, times, [f"acct{i}" for i in range(len(texts))])
    assert len(bursts) == 1
    members = set(bursts[0].member_ids)
    assert members == {f"p{i:03d}" for i in range(len(ORGANIC), len(ORGANIC) + len(CAMPAIGN))}


def test_similar_organic_complaints_are_not_a_burst():
    bursts = _detect(ORGANIC * 2, _within_hours(24, 6), [f"acct{i}" for i in range(24)])
    assert bursts == []


def test_the_same_text_from_few_accounts_is_not_a_burst():
    authors = [f"acct{i % 3}" for i in range(len(CAMPAIGN))]
    assert _detect(CAMPAIGN, _within_hours(len(CAMPAIGN), 6), authors) == []


def test_the_same_complaint_spread_over_weeks_is_not_a_burst():
    times = [T0 + timedelta(days=5 * i) for i in range(len(CAMPAIGN))]
    assert _detect(CAMPAIGN, times, [f"acct{i}" for i in range(len(CAMPAIGN))]) == []


def test_posts_without_an_author_count_for_no_account():
    assert _detect(CAMPAIGN, _within_hours(len(CAMPAIGN), 6), [None] * len(CAMPAIGN)) == []


def test_two_waves_weeks_apart_are_two_bursts_with_their_own_ids():
    times = _within_hours(12, 5) + [t + timedelta(days=21) for t in _within_hours(12, 5, seed=2)]
    bursts = _detect(CAMPAIGN * 2, times, [f"acct{i}" for i in range(24)])
    assert [b.posts for b in bursts] == [12, 12]
    assert bursts[0].id != bursts[1].id and bursts[1].first_at - bursts[0].last_at > timedelta(days=14)


def test_a_wording_copied_steadily_all_along_is_not_a_burst_but_a_campaign_on_top_is():
    steady = [T0 + timedelta(hours=4 * i) for i in range(8 * 7 * 6)]  # 12 posts in any 48 h, 8 weeks
    texts = [CAMPAIGN[i % len(CAMPAIGN)] for i in range(len(steady))]
    authors = [f"fan{i}" for i in range(len(steady))]
    assert _detect(texts, steady, authors) == []
    assert len(_detect(texts, steady, authors, max_p=1.0)) == 1  # without the rate rule: one long "burst"
    campaign = [T0 + timedelta(days=30, seconds=500 * i) for i in range(40)]
    bursts = _detect(
        texts + CAMPAIGN * 3 + CAMPAIGN[:4],
        steady + campaign,
        authors + [f"acct{i}" for i in range(40)],
    )
    assert len(bursts) == 1
    members = set(bursts[0].member_ids)
    assert {f"p{i:03d}" for i in range(len(steady), len(steady) + 40)} <= members
    assert len(members) <= 40 + 30


@pytest.mark.parametrize(
    "kw, found",
    [
        ({"min_accounts": 12}, 1),
        ({"min_accounts": 13}, 0),
        ({"window_hours": 1}, 0),
        ({"similarity": 1.0}, 0),
    ],
    ids=["accounts-at-limit", "accounts-over", "window-too-short", "identical-only"],
)
def test_settings_move_the_limits(kw, found):
    times = _within_hours(len(CAMPAIGN), 6)
    assert len(_detect(CAMPAIGN, times, [f"acct{i}" for i in range(len(CAMPAIGN))], **kw)) == found


def test_burst_ids_come_from_the_members_not_the_order():
    texts, times, authors = CAMPAIGN, _within_hours(12, 6), [f"acct{i}" for i in range(12)]
    ids = [f"p{i:03d}" for i in range(12)]
    order = list(range(12))
    random.Random(5).shuffle(order)
    a = BurstDetector().fit(ids, times, authors, texts).bursts_
    b = BurstDetector().fit(*([x[i] for i in order] for x in (ids, times, authors, texts))).bursts_
    assert [x.id for x in a] == [x.id for x in b] == [burst_id(ids)]


def test_bad_settings_and_ragged_input_are_refused():
    with pytest.raises(ValueError, match="min_accounts"):
        BurstDetector(min_accounts=1).fit([], [], [], [])
    with pytest.raises(ValueError, match="same length"):
        BurstDetector().fit(["a"], [], [], [])


# -- cleaning and MinHash -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("快递太慢了[怒][怒]", "快递太慢了"),
        ("#避雷#快递太慢了 @某某官方", "快递太慢了"),
        ("同感//@小王:快递太慢了", "同感"),
        ("转发微博//@小王:快递太慢了", "快递太慢了"),
        ("快遞太慢了！！！３天", "快递太慢了天"),
        ("电话[手机号]快递太慢 http://t.cn/A6x 😡", "电话快递太慢"),
        ("APP太卡了", "app太卡了"),
    ],
    ids=[
        "emoticons",
        "topic-mention",
        "repost-own",
        "repost-pure",
        "width-trad-digits",
        "mask-url-emoji",
        "case",
    ],
)
def test_burst_text_keeps_only_the_words(raw, clean):
    assert burst_text(raw) == clean


def test_minhash_agreement_tracks_jaccard_similarity():
    a = "橙子生活馆的空气炸锅用了一次就冒烟还有一股塑料味大家千万别买"
    texts = [a, a.replace("一次", "两次"), "快递三天了还没送到打电话也没人接真是服了"]
    sig = minhash(*shingle_hashes(texts, 3), num_perm=80, seed=1)
    same = (sig[0] == sig[1]).mean()
    grams = [{t[i : i + 3] for i in range(len(t) - 2)} for t in texts]
    exact = len(grams[0] & grams[1]) / len(grams[0] | grams[1])
    assert abs(same - exact) < 0.15 and (sig[0] == sig[2]).mean() < 0.1
    pa, pb = similar_pairs(sig, 0.6)
    assert list(zip(pa.tolist(), pb.tolist(), strict=True)) == [(0, 1)]


def test_shingles_never_cross_from_one_text_into_the_next():
    hashes, offsets = shingle_hashes(["abcd", "efg"], 3)
    alone = np.concatenate([shingle_hashes(["abcd"], 3)[0], shingle_hashes(["efg"], 3)[0]])
    assert offsets.tolist() == [0, 2, 3] and hashes.tolist() == alone.tolist()


# -- warehouse ----------------------------------------------------------------------------------


def _post(i: int, text: str, when: datetime, author: str | None) -> RawFeedback:
    return RawFeedback(f"f{i:03d}", "weibo", "social", str(i), text, when, author=author)


def test_bursts_are_saved_flagged_and_nothing_is_dropped(tmp_path):
    settings = settings_for(tmp_path, tmp_path / "none")
    posts = [_post(i, t, w, f"acct{i}") for i, (t, w) in enumerate(zip(CAMPAIGN, _within_hours(12, 6)))]
    posts += [_post(100 + i, t, T0 + timedelta(hours=i), f"fan{i}") for i, t in enumerate(ORGANIC)]
    with wh.open_warehouse(settings) as con:
        wh.land_feedback(con, "run-1", posts)
    pipeline.enrich(settings)
    with wh.open_warehouse(settings) as con:
        negative = {r[0] for r in con.execute("SELECT id FROM feedback WHERE label = 'negative'").fetchall()}
    assert {p.id for p in posts[:12]} <= negative  # the campaign reads as negative to the model

    from voc.bursts import detect_bursts

    report = detect_bursts(settings, run_id="run-1")
    again = detect_bursts(settings, run_id="run-2")
    assert (report.bursts, report.flagged) == (again.bursts, again.flagged) == (1, 12)
    with wh.open_warehouse(settings, read_only=True) as con:
        rows = con.execute("SELECT burst_id, posts, accounts, iso_week, run_id FROM social_bursts").fetchall()
        members = {r[0] for r in con.execute("SELECT feedback_id FROM burst_members").fetchall()}
        kept = con.execute("SELECT count(*) FROM feedback").fetchone()[0]
    assert rows == [(burst_id([p.id for p in posts[:12]]), 12, 12, "2026-W46", "run-2")]
    assert members == {p.id for p in posts[:12]}
    assert kept == len(posts)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, demo_corpus):
    """Settings of a warehouse that went through ingest, enrich, pain points and burst detection."""
    from voc.bursts import detect_bursts

    settings = settings_for(tmp_path_factory.mktemp("bursts-demo"), demo_corpus[0])
    pipeline.ingest(settings, run_id="run-demo")
    pipeline.enrich(settings)
    pipeline.find_pain_points(settings, run_id="run-demo")
    detect_bursts(settings, run_id="run-demo")
    return settings


def test_the_demo_burst_is_found_for_its_week_and_nothing_else(demo_run, demo_corpus):
    with wh.open_warehouse(demo_run, read_only=True) as con:
        found = con.execute("SELECT burst_id, iso_week, posts, accounts FROM social_bursts").fetchall()
        members = {
            r[0]
            for r in con.execute(
                "SELECT f.source_id FROM burst_members m JOIN feedback f ON f.id = m.feedback_id"
            ).fetchall()
        }
    planted = demo_corpus[1].burst
    assert [(w, n, a) for _, w, n, a in found] == [(planted["week"], planted["posts"], planted["accounts"])]
    assert members == set(planted["ids"])


def test_the_digest_of_the_burst_week_lists_it_as_flagged_not_removed(demo_run, demo_corpus):
    from datetime import date

    from voc.digest import build_digest, render_html, render_markdown

    planted = demo_corpus[1].burst
    week = date.fromisoformat(planted["first_at"][:10])
    with wh.open_warehouse(demo_run, read_only=True) as con:
        d = build_digest(con, week)
        later = build_digest(con, week + timedelta(days=7))
    assert [(b.posts, b.accounts) for b in d.bursts] == [(planted["posts"], planted["accounts"])]
    assert planted["product"] in d.bursts[0].text and d.bursts[0].hours <= 6
    md, html = render_markdown(d), render_html(d)
    assert "疑似集中发帖" in md and "只做标记" in md and planted["product"] in md
    assert "疑似集中发帖" in html and "只做标记" in html
    assert later.bursts == () and "没有发现疑似集中发帖" in render_markdown(later)


def test_cleaning_in_chunks_is_the_same_as_post_by_post():
    posts = CAMPAIGN + ORGANIC + ["", "[怒]", "第一行\n第二行", "转发微博"]
    assert burst_texts(posts, chunk=5) == [burst_text(p) for p in posts] == burst_texts(posts)
