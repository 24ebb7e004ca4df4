"""The weekly digest on a hand-built warehouse (real DuckDB, the project's migrations and views).

Two ISO weeks, 2026-W41 and 2026-W42. In W42 "配送 慢" doubles (3 → 6), "客服 态度 差" is the
biggest (5 → 7), "退款 慢" goes quiet (4 → 0) and "停车 难" appears once. The text is fictional.
"""

from __future__ import annotations

import dataclasses
import html
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voc.config import Settings
from voc.digest import build_digest, render_html, render_markdown, write_digest
from voc.digest.build import QUOTE_CHARS, _quote
from voc.digest.charts import bar_chart, line_chart
from voc.digest.render import md_escape
from voc.warehouse import WarehouseError, apply_views, migrate

W41, W42 = date(2026, 10, 5), date(2026, 10, 12)
EVIL = "<script>alert(1)</script> & 配送太慢"

STAGES = [  # key, label, phase, position, owner
    ("awareness", "认知触达", "售前", 1, "品牌市场部"),
    ("consideration", "选购决策", "售前", 2, "销售部"),
    ("purchase", "下单支付", "售中", 3, "电商运营部"),
    ("delivery", "交付履约", "售中", 4, "物流部"),
    ("usage", "使用体验", "售中/售后", 5, "产品部"),
    ("service", "服务沟通", "全程", 6, "客服中心"),
    ("aftersales", "售后保障", "售后", 7, "售后服务部"),
    ("loyalty", "忠诚复购", "售后", 8, "会员运营部"),
]
PAIN_POINTS = [
    ("pp-delivery", "配送 慢", "delivery"),
    ("pp-attitude", "客服 态度 差", "service"),
    ("pp-refund", "退款 慢", "aftersales"),
    ("pp-parking", "停车 难", "awareness"),
]


class Warehouse:
    """A tiny in-memory warehouse: feedback with one clause each, added week by week."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.n = 0

    def add(
        self,
        week: date,
        clause: str,
        sentiment: float,
        stage: str | None = None,
        pain_point: str | None = None,
        *,
        day: int = 1,
        kind: str = "review",
        source: str = "shop_reviews",
        prefix: str = "",
        nps: float | None = None,
    ) -> str:
        self.n += 1
        fid = f"f{self.n:03d}"
        label = "negative" if sentiment < -0.1 else "positive" if sentiment > 0.1 else "neutral"
        text = f"{prefix}{clause}。"
        created = datetime.combine(week + timedelta(days=day), datetime.min.time()) + timedelta(hours=10)
        self.con.execute(
            "INSERT INTO feedback (id, source, kind, source_id, created_at, text, score, score_type, run_id, "
            "ingested_at, text_norm, sentiment, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'r1', now(), ?, ?, ?)",
            [
                fid,
                source,
                kind,
                fid,
                created,
                text,
                nps,
                "nps" if nps is not None else None,
                text,
                sentiment,
                label,
            ],
        )
        self.con.execute(
            "INSERT INTO clauses (feedback_id, position, text, tokens, sentiment, label, stage, "
            "pain_point_id) "
            "VALUES (?, 0, ?, [], ?, ?, ?, ?)",
            [fid, clause, sentiment, label, stage, pain_point],
        )
        return text


def _empty_warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    migrate(con)
    apply_views(con)
    return con


def _two_weeks() -> tuple[duckdb.DuckDBPyConnection, dict[date, list[str]]]:
    con = _empty_warehouse()
    con.executemany("INSERT INTO stages VALUES (?, ?, ?, ?, ?)", STAGES)
    con.executemany("INSERT INTO pain_points VALUES (?, ?, ?, 1, [], [], 'r1', now())", PAIN_POINTS)
    wh, texts = Warehouse(con), {W41: [], W42: []}

    def neg(week, n, clause, stage, pp, **kw):
        prefix = "上周" if week == W41 else "这周"
        for i in range(n):
            texts[week].append(wh.add(week, f"{clause}{i}", -0.6 - 0.01 * i, stage, pp, prefix=prefix, **kw))

    neg(W41, 3, "外卖送到都凉了配送太慢", "delivery", "pp-delivery")
    neg(W41, 5, "客服态度很差爱答不理", "service", "pp-attitude")
    neg(W41, 4, "退款等了半个月还没到账", "aftersales", "pp-refund")
    neg(W42, 5, "快递三天还没送到", "delivery", "pp-delivery", kind="social", source="weibo")
    neg(W42, 7, "客服说话阴阳怪气", "service", "pp-attitude")
    neg(W42, 1, "商场停车位太少", "awareness", "pp-parking")
    texts[W42].append(wh.add(W42, EVIL, -0.9, "delivery", "pp-delivery", day=3))
    for week, n in ((W41, 4), (W42, 2)):
        for i in range(n):
            wh.add(week, f"菜品味道不错{i}", 0.7, "usage")
    for week, scores in ((W41, [10, 9, 3, 8]), (W42, [10, 2, 5, 7, 9])):  # NPS 25, then 0
        for s in scores:
            wh.add(week, f"打分{s}", 0.0, None, kind="survey", source="nps_survey", nps=s)
    return con, texts


@pytest.fixture(scope="module")
def warehouse():
    """Shared by the tests of this module: do not write to it (build your own with _two_weeks())."""
    con, texts = _two_weeks()
    yield con, texts
    con.close()


@pytest.fixture(scope="module")
def digest(warehouse):
    return build_digest(warehouse[0])


# --- the data ----------------------------------------------------------------------------------


def test_latest_week_is_the_default(digest):
    d = digest
    assert (d.week, d.iso_week, d.has_data, d.has_previous) == (W42, "2026-W42", True, True)


def test_the_default_skips_the_week_still_running():
    con, _ = _two_weeks()
    this_monday = date.today() - timedelta(days=date.today().weekday())
    Warehouse(con).add(this_monday, "今天一早就排长队", -0.5, "purchase", day=0)
    assert build_digest(con).week == W42
    only_now = _empty_warehouse()
    Warehouse(only_now).add(this_monday, "今天一早就排长队", -0.5, "purchase", day=0)
    assert build_digest(only_now).week == this_monday


def test_any_day_of_a_week_picks_that_week(warehouse):
    assert build_digest(warehouse[0], date(2026, 10, 9)).iso_week == "2026-W41"


def test_top_pain_points_rank_by_volume_and_skip_quiet_ones(digest):
    rows = [(p.label, p.volume, p.prev_volume, p.owner, p.stage_label) for p in digest.top_pain_points]
    assert rows == [
        ("客服 态度 差", 7, 5, "客服中心", "服务沟通"),
        ("配送 慢", 6, 3, "物流部", "交付履约"),
        ("停车 难", 1, 0, "品牌市场部", "认知触达"),
    ]
    assert sum(p.share for p in digest.top_pain_points) == pytest.approx(1.0)


def test_a_doubling_pain_point_ranks_first_by_growth(digest):
    assert [(p.label, p.growth) for p in digest.rising] == [("配送 慢", 3), ("客服 态度 差", 2)]
    assert digest.rising[0].growth_ratio == pytest.approx(1.0)


def test_tiny_new_pain_points_are_not_called_rising_and_quiet_ones_are_falling(digest):
    assert "停车 难" not in [p.label for p in digest.rising]
    assert [(p.label, p.prev_volume, p.volume) for p in digest.falling] == [("退款 慢", 4, 0)]


def test_quotes_come_from_the_digest_week_most_negative_first(warehouse, digest):
    _, texts = warehouse
    delivery = next(p for p in digest.top_pain_points if p.label == "配送 慢")
    assert len(delivery.quotes) == 3
    assert all(q.text in texts[W42] for p in digest.top_pain_points for q in p.quotes)
    assert delivery.quotes[0].clause == EVIL
    last_week = build_digest(warehouse[0], W41)
    assert all(q.text in texts[W41] for p in last_week.top_pain_points for q in p.quotes)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_quote_count_is_a_setting(warehouse, n):
    d = build_digest(warehouse[0], quotes=n)
    assert max(len(p.quotes) for p in d.top_pain_points) == n


def test_stage_summary_follows_the_journey(digest):
    assert [s.key for s in digest.stages] == [k for k, *_ in STAGES]
    by_key = {s.key: s for s in digest.stages}
    assert (by_key["delivery"].mentions, by_key["delivery"].negative_share) == (6, 1.0)
    assert by_key["usage"].negative_share == 0.0 and by_key["usage"].prev_mentions == 4
    assert by_key["aftersales"].mentions == 0 and by_key["aftersales"].prev_mentions == 4
    assert by_key["service"].top_pain_point == "客服 态度 差"
    assert by_key["loyalty"].negative_share is None


def test_headline_numbers_match_the_data(digest):
    h = digest.headline
    assert (h.feedback.value, h.feedback.previous) == (7 + 6 + 1 + 2 + 5, 12 + 4 + 4)
    assert (h.nps.value, h.nps.previous, h.nps.responses) == (pytest.approx(0.0), pytest.approx(25.0), 5)
    assert h.nps.delta == pytest.approx(-25.0) and h.nps.tone == "bad"
    assert h.negative_share.value == pytest.approx(14 / 21) and h.negative_share.tone == "bad"
    assert h.csat.value is None


def test_trend_covers_eight_weeks_ending_with_the_digest_week(digest):
    assert len(digest.trend) == 8 and digest.trend[-1].week == W42
    assert [p.nps for p in digest.trend[-2:]] == [pytest.approx(25.0), pytest.approx(0.0)]
    assert all(p.docs == 0 and p.avg_sentiment is None for p in digest.trend[:-2])


def test_a_long_feedback_is_cut_to_a_window_around_the_clause():
    context = "前面铺垫很长" * 20 + "客服挂了我三次电话" + "后面还有很多话" * 20
    q = _quote("客服挂了我三次电话", context, "social", "weibo", W42)
    assert q.before.startswith("…") and q.after.endswith("…")
    assert len(q.text) <= QUOTE_CHARS + 2 and q.clause == "客服挂了我三次电话"


@given(st.text(max_size=200), st.integers(0, 200), st.integers(1, 30))
def test_a_quote_is_always_a_piece_of_the_feedback_around_its_clause(context, at, size):
    clause = context[at : at + size] or "分句"
    q = _quote(clause, context, "review", "shop", W42)
    shown = q.before.removeprefix("…") + q.clause + q.after.removesuffix("…")
    assert q.clause == clause
    assert shown in context or shown == clause


# --- edge cases --------------------------------------------------------------------------------


def test_an_empty_warehouse_gives_a_no_data_digest():
    con = _empty_warehouse()
    d = build_digest(con)
    assert (d.has_data, d.top_pain_points, d.rising) == (False, (), ())
    assert "本周暂无数据" in render_markdown(d) and "本周暂无数据" in render_html(d)


def test_the_first_week_has_no_previous_week(warehouse):
    d = build_digest(warehouse[0], W41)
    assert (d.has_data, d.has_previous, d.headline.feedback.delta) == (True, False, None)
    md = render_markdown(d)
    assert "上周无数据" in md and "上周无数据" in render_html(d)
    assert "| 1 | 客服 态度 差 | 服务沟通 | 客服中心 | 5 | — | 41.7% |" in md  # no "+5" against nothing


def test_stages_missing_from_the_stage_table_come_last():
    con, _ = _two_weeks()
    Warehouse(con).add(W42, "发票开错了", -0.7, "invoicing")
    assert [s.key for s in build_digest(con).stages][-2:] == ["loyalty", "invoicing"]


def test_missing_nps_is_shown_as_missing_not_zero():
    con, _ = _two_weeks()
    con.execute("DELETE FROM clauses WHERE feedback_id IN (SELECT id FROM feedback WHERE score_type = 'nps')")
    con.execute("DELETE FROM feedback WHERE score_type = 'nps'")
    d = build_digest(con)
    assert (d.headline.nps.value, d.headline.nps.delta) == (None, None)
    assert "本周没有 NPS 问卷回复" in render_markdown(d)
    assert "无 NPS 问卷数据" in render_html(d)


# --- rendering ---------------------------------------------------------------------------------


def test_markdown_has_every_section(digest):
    md = render_markdown(digest)
    for heading in (
        "# 客户之声周报 VoC Weekly · 2026-W42",
        "## 一、本周预警",
        "## 二、评分驱动",
        "## 三、本周概况",
        "## 四、痛点排行",
        "## 五、增长最快",
        "## 六、旅程阶段",
        "## 七、近 8 周趋势",
    ):
        assert heading in md
    assert "| 配送 慢 | 交付履约 | 6 | 3 | +3 | +100% |" in md
    assert "| NPS | 0（5 份） | +25（4 份） | -25 ▼ |" in md


def test_markdown_escapes_markup_in_quotes(digest):
    md = render_markdown(digest)
    assert "<script>" not in md and r"\<script\>alert(1)\</script\>" in md


class _Collect(HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr", "circle", "line", "rect", "polyline"}

    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.text, self.errors = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_well_formed_and_has_no_script(digest):
    page = render_html(digest)
    parser = _Collect()
    parser.feed(page)
    assert page.startswith("<!DOCTYPE html>")
    assert (parser.errors, parser.stack) == ([], [])
    assert "script" not in parser.tags and "<script" not in page.lower()
    assert parser.tags.count("svg") == 2 and parser.tags.count("blockquote") == 3 + 3 + 1


def test_html_escapes_customer_text(digest):
    page = render_html(digest)
    assert html.escape(EVIL, quote=False) in page
    parser = _Collect()
    parser.feed(page)
    assert any(EVIL in chunk for chunk in parser.text)  # shown literally, as text


def test_html_shows_owners_and_journey_order(digest):
    page = render_html(digest)
    stages = page[page.index("六、旅程阶段") : page.index("七、近")]
    positions = [stages.index(label) for _, label, *_ in STAGES]
    assert positions == sorted(positions)
    assert "物流部" in page and "客服中心" in page


def test_write_digest_writes_both_files_named_by_iso_week(tmp_path):
    con, _ = _two_weeks()
    path = tmp_path / "voc.duckdb"
    con.execute(f"ATTACH '{path}' AS disk")
    con.execute("COPY FROM DATABASE memory TO disk")
    con.execute("DETACH disk")
    settings = Settings(warehouse_path=path, digest_dir=tmp_path / "out", lock_timeout=1)
    md, page = write_digest(settings)
    assert (md.name, page.name) == ("digest-2026-W42.md", "digest-2026-W42.html")
    assert "配送 慢" in md.read_text(encoding="utf-8") and "配送 慢" in page.read_text(encoding="utf-8")
    md41, _ = write_digest(settings, W41)
    assert md41.name == "digest-2026-W41.md"


def test_write_digest_without_a_warehouse_says_so(tmp_path):
    settings = Settings(warehouse_path=tmp_path / "none.duckdb", digest_dir=tmp_path / "out", lock_timeout=1)
    with pytest.raises(WarehouseError, match="no warehouse there yet"):
        write_digest(settings)


def test_nps_bars_grow_up_and_down_from_the_zero_line():
    c = bar_chart([None, 30.0, -20.0], ["W1", "W2", "W3"])
    up, down = c.bars
    assert (len(c.marks), up.tick, down.tick) == (3, "W2", "W3")
    assert up.y + up.height == pytest.approx(c.zero_y) and up.y < c.zero_y
    assert down.y == pytest.approx(c.zero_y) and down.negative and down.height < up.height


def test_sentiment_line_skips_weeks_without_data():
    c = line_chart([None, 0.2, None, -0.1], ["W1", "W2", "W3", "W4"])
    assert len(c.line.split()) == 2
    assert [m.label for m in c.marks] == ["", "+0.20", "", "-0.10"]
    assert c.marks[1].y < c.zero_y < c.marks[3].y
    assert line_chart([None, None], ["W1", "W2"]).line == ""


@given(st.text(max_size=40))
def test_markdown_escaping_leaves_no_raw_markup(text):
    out = md_escape(text)
    assert "\n" not in out
    unescaped = out.replace("\\\\", "").replace("\\<", "").replace("\\>", "").replace("\\|", "")
    assert "<" not in unescaped and ">" not in unescaped and "|" not in unescaped


def test_renderers_take_plain_data(digest):
    """Templates need nothing but the Digest: a hand-edited copy renders too."""
    quiet = dataclasses.replace(digest, top_pain_points=(), rising=(), falling=())
    for page in (render_markdown(quiet), render_html(quiet)):
        assert "本周没有归入痛点的负面反馈" in page


def test_two_weeks_are_too_short_a_baseline_for_alerts(digest):
    assert digest.alerts == () and digest.stage_alerts == ()
    md = render_markdown(digest)
    first = md[md.index("## 一、本周预警") : md.index("## 二、评分驱动")]
    assert "本周没有新出现、激增或持续变化的痛点" in first
    assert "本周没有新出现、激增或持续变化的痛点" in render_html(digest)


def test_drivers_need_scored_feedback_with_the_pain_point(digest):
    # the NPS answers of the test warehouse carry no pain point: nothing to compare
    assert digest.drivers == ()
    assert "暂无可与评分关联的痛点" in render_markdown(digest)


def test_a_pinned_pain_point_is_listed_even_when_quiet():
    con, _ = _two_weeks()
    con.execute(
        "INSERT INTO pain_point_catalogue (id, name, stage, status, pinned, updated_at) "
        "VALUES ('vip_unfair', '插队不公', 'purchase', 'curated', true, now())"
    )
    d = build_digest(con)
    [pinned] = [p for p in d.top_pain_points if p.id == "vip_unfair"]
    assert (pinned.label, pinned.volume, pinned.pinned, pinned.quotes) == ("插队不公", 0, True, ())
    assert d.top_pain_points[-1] is pinned  # after the ranked ones
    assert "| 插队不公（置顶） | 下单支付 |" in render_markdown(d)
    assert "置顶" in render_html(d)
