"""Source connectors end to end: sample file drops under tests/cases/ingest -> SourceBatch."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc.config import SourceConfig, load_settings
from voc.errors import InputError
from voc.ingest import DUPLICATE, read_source
from voc.records import stable_id

CASES = Path(__file__).parent / "cases" / "ingest"
REVIEW_COLUMNS = {
    "id": "review_id",
    "text": "content",
    "rating": "stars",
    "product": "product",
    "store": "store",
    "author": "author",
    "created_at": "created_at",
}
WEIBO_COLUMNS = {
    "id": "mid",
    "text": "text",
    "author": "user.screen_name",
    "likes": "attitudes_count",
    "reposts": "reposts_count",
    "created_at": "created_at",
}
NPS_COLUMNS = {
    "id": "回复编号",
    "text": "开放意见",
    "score": "推荐意愿",
    "touchpoint": "触点",
    "created_at": "提交时间",
}


def source(name: str, kind: str, path: Path, columns: dict[str, str], **kw) -> SourceConfig:
    return SourceConfig(name=name, kind=kind, path=path, columns=columns, **kw)


def reviews(path: Path = CASES / "reviews_w41.csv", **kw) -> SourceConfig:
    return source("shop_reviews", "review", path, REVIEW_COLUMNS, **kw)


def by_origin(batch) -> dict[str, object]:
    return {r.origin: r for r in [*batch.items, *batch.rejected]}


def reconciles(batch) -> bool:
    return batch.rows_read == len(batch.items) + len(batch.rejected) == sum(f.rows_read for f in batch.files)


# --- reviews -------------------------------------------------------------------------------------


def test_reviews_land_with_typed_fields():
    batch = read_source(reviews())
    item = by_origin(batch)["reviews_w41.csv:2"]
    assert (item.kind, item.source_id, item.rating, item.product, item.store, item.author) == (
        "review",
        "R1001",
        5.0,
        "保温杯",
        "旗舰店",
        "小林",
    )
    assert item.created_at == datetime(2026, 10, 5, 14, 3)
    assert item.id == stable_id("shop_reviews", "R1001")
    assert reconciles(batch)


def test_quoted_newline_stays_inside_one_record():
    item = by_origin(read_source(reviews()))["reviews_w41.csv:3"]
    assert "\n第二天才回电话" in item.text


REVIEW_REJECTS = [
    ("whitespace-only-text", "reviews_w41.csv:7", "empty text"),
    ("full-width-6-stars", "reviews_w41.csv:8", "bad rating (expected 1-5): '６'"),
    ("words-as-time", "reviews_w41.csv:9", "unparseable time: '昨天下午'"),
    ("repeated-id", "reviews_w41.csv:11", DUPLICATE),
    ("short-row", "reviews_w41.csv:12", "wrong number of fields: expected 7, got 3"),
]


@pytest.mark.parametrize(
    ("origin", "reason"), [r[1:] for r in REVIEW_REJECTS], ids=[r[0] for r in REVIEW_REJECTS]
)
def test_bad_review_rows_are_rejected_with_reason(origin, reason):
    assert by_origin(read_source(reviews()))[origin].reason == reason


def test_offsets_and_epochs_become_local_time():
    got = by_origin(read_source(reviews()))
    assert got["reviews_w41.csv:5"].created_at == datetime(2026, 10, 6, 9, 30)  # +08:00
    assert got["reviews_w41.csv:6"].created_at == datetime(2026, 10, 5, 14, 0)  # epoch seconds
    assert got["reviews_w41.csv:10"].created_at == datetime(2026, 10, 7, 10, 0)  # Z


@pytest.mark.parametrize(
    ("name", "encoding"), [("reviews_bom.csv", "utf-8-sig"), ("reviews_gbk.csv", "gb18030")]
)
def test_bom_and_gbk_files_decode(name, encoding):
    columns = (
        {"text": "评价内容", "rating": "评分", "store": "门店", "created_at": "时间"}
        if "gbk" in name
        else REVIEW_COLUMNS
    )
    batch = read_source(source("r", "review", CASES / name, columns))
    assert [f.encoding for f in batch.files] == [encoding]
    assert not batch.rejected and len(batch.items) >= 2
    assert all("\ufffd" not in i.text and "锟" not in i.text for i in batch.items)
    assert batch.items[0].text in ("发票开错了，重开又等了三天", "上菜太慢了，等了四十分钟")


def test_content_id_when_no_id_column():
    columns = {"text": "评价内容", "rating": "评分", "created_at": "时间"}
    item = read_source(source("r", "review", CASES / "reviews_gbk.csv", columns)).items[0]
    assert item.source_id == ""
    assert item.id == stable_id("r", datetime(2026, 10, 5, 19, 30), "上菜太慢了，等了四十分钟")


# --- surveys -------------------------------------------------------------------------------------


def test_nps_survey_with_chinese_column_names():
    batch = read_source(source("nps", "survey", CASES / "nps_2026w41.csv", NPS_COLUMNS, score_type="nps"))
    got = by_origin(batch)
    assert (got["nps_2026w41.csv:2"].score, got["nps_2026w41.csv:2"].score_type) == (10.0, "nps")
    assert got["nps_2026w41.csv:2"].touchpoint == "安装"
    assert got["nps_2026w41.csv:3"].created_at == datetime(2026, 10, 5, 9, 20)  # 2026年10月5日
    assert got["nps_2026w41.csv:4"].score == 0.0  # full-width ０
    assert got["nps_2026w41.csv:5"].reason == "bad score (expected NPS 0-10): '11'"
    assert got["nps_2026w41.csv:7"].reason == "empty text"
    assert reconciles(batch)


def test_csat_tsv_rejects_half_points():
    columns = {
        "id": "id",
        "text": "comment",
        "score": "csat",
        "touchpoint": "channel",
        "created_at": "submitted",
    }
    batch = read_source(source("csat", "survey", CASES / "csat_w41.tsv", columns, score_type="csat"))
    assert [i.score for i in batch.items] == [2.0, 5.0]
    assert [r.reason for r in batch.rejected] == ["bad score (expected CSAT 1-5): '4.5'"]


# --- social --------------------------------------------------------------------------------------


def weibo() -> SourceConfig:
    return source("weibo", "social", CASES / "weibo_w41.jsonl", WEIBO_COLUMNS)


def test_social_posts_keep_microblog_markup_and_parse_counts():
    got = by_origin(read_source(weibo()))
    first, repost = got["weibo_w41.jsonl:1"], got["weibo_w41.jsonl:2"]
    assert first.text == "#某某咖啡# 新品太甜了[怒] @某某咖啡官方 能不能少放糖"
    assert (first.author, first.likes, first.reposts) == ("喝咖啡的猫", 12000, 35)
    assert first.created_at == datetime(2026, 10, 5, 14, 3)
    assert repost.text.startswith("同感//@喝咖啡的猫: ")
    assert repost.created_at == datetime(2026, 10, 5, 14, 10)  # +0000 -> Shanghai
    assert got["weibo_w41.jsonl:9"].likes == 3000 and got["weibo_w41.jsonl:9"].reposts == 100
    assert first.source_id == "4950000000000001"


def test_malformed_jsonl_lines_are_rejected_not_fatal():
    batch = read_source(weibo())
    got = by_origin(batch)
    assert got["weibo_w41.jsonl:4"].reason.startswith("invalid JSON: ")
    assert got["weibo_w41.jsonl:6"].reason == "invalid JSON: expected an object, got list"
    assert got["weibo_w41.jsonl:8"].reason == "bad likes (expected a count): '很多'"
    assert "weibo_w41.jsonl:7" not in got  # a blank line is not a record
    assert reconciles(batch)


# --- PII -----------------------------------------------------------------------------------------


def test_pii_is_masked_in_items_and_rejected_payloads(tmp_path):
    (tmp_path / "r.csv").write_text(
        "review_id,content,stars,product,store,author,created_at\n"
        "P1,电话13812345678，邮箱 a.b@example.com,1,杯,店,13912345678,2026-10-05 10:00\n"
        "P2,打13812345678找我,9,杯,店,某人,2026-10-05 10:00\n",
        encoding="utf-8",
    )
    batch = read_source(reviews(tmp_path / "r.csv"))
    item, rejected = batch.items[0], batch.rejected[0]
    assert item.text == "电话[手机号]，邮箱 [邮箱]" and item.author == "[手机号]"
    assert "13812345678" not in rejected.payload and "[手机号]" in rejected.payload
    assert json.loads(rejected.payload)["review_id"] == "P2"


def test_long_numeric_ids_survive_in_rejected_payloads():
    rejected = by_origin(read_source(weibo()))["weibo_w41.jsonl:5"]
    assert '"mid": 4950000000000005' in rejected.payload


# --- file-level problems -------------------------------------------------------------------------


def test_missing_column_rejects_every_row_of_that_file_with_one_problem_line(tmp_path):
    (tmp_path / "reviews_w41.csv").write_text(
        "review_id,content,created_at\nR1,好,2026-10-05 10:00\nR2,也好,2026-10-05 11:00\n", encoding="utf-8"
    )
    (tmp_path / "reviews_w42.csv").write_text(
        "review_id,content,stars,created_at\nR3,不错,4,2026-10-12 10:00\n", encoding="utf-8"
    )
    columns = {"id": "review_id", "text": "content", "rating": "stars", "created_at": "created_at"}
    batch = read_source(source("shop_reviews", "review", tmp_path, columns, pattern="*.csv"))
    line = "sources.shop_reviews.columns.rating: column 'stars' not in reviews_w41.csv"
    assert line in batch.problems
    assert [r.reason for r in batch.rejected] == [line, line]
    assert [i.source_id for i in batch.items] == ["R3"]
    assert reconciles(batch)


def test_missing_jsonl_key_is_reported_like_a_missing_column():
    columns = dict(WEIBO_COLUMNS, likes="like_count")
    batch = read_source(source("weibo", "social", CASES / "weibo_w41.jsonl", columns))
    line = "sources.weibo.columns.likes: column 'like_count' not in weibo_w41.jsonl"
    assert line in batch.problems and not batch.items
    assert {r.reason for r in batch.rejected} >= {line}


def test_one_undecodable_row_rejects_only_that_row(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_bytes(
        "review_id,content,stars,product,store,author,created_at\n"
        "U1,包装很好,5,杯,店,甲,2026-10-05 10:00\n".encode()
        + "U2,坏字节".encode()
        + b"\xff\xfe"
        + ",1,杯,店,乙,2026-10-05 10:00\n".encode()
        + "U3,物流很快,4,杯,店,丙,2026-10-05 10:00\n".encode()
    )
    batch = read_source(reviews(path))
    assert [i.source_id for i in batch.items] == ["U1", "U3"]
    assert [(r.origin, r.reason) for r in batch.rejected] == [
        ("reviews.csv:3", "undecodable bytes (not utf-8/gb18030)")
    ]
    assert "\\xff\\xfe" in batch.rejected[0].payload
    batch.rejected[0].payload.encode("utf-8")  # storable: no lone surrogates left
    assert any("2 undecodable bytes" in p for p in batch.problems)


def test_gbk_file_with_one_bad_row(tmp_path):
    path = tmp_path / "gbk.csv"
    good = "编号,评价内容,评分,时间\nG1,上菜太慢了,2,2026-10-05 19:30\nG3,服务员很耐心,5,2026-10-05 20:10\n"
    head, tail = good.encode("gbk").split(b"\nG3")
    path.write_bytes(head + b"\nG2,\x81\x20,3,2026-10-05 19:40\nG3" + tail)
    columns = {"id": "编号", "text": "评价内容", "rating": "评分", "created_at": "时间"}
    batch = read_source(source("gbk", "review", path, columns))
    assert batch.files[0].encoding == "gb18030"
    assert [i.text for i in batch.items] == ["上菜太慢了", "服务员很耐心"]
    assert [r.origin for r in batch.rejected] == ["gbk.csv:3"]


def test_100k_char_text_is_rejected_not_truncated(tmp_path):
    path = tmp_path / "long.jsonl"
    rows = [
        {"mid": 1, "text": "长" * 100_000, "created_at": "2026-10-05 10:00"},
        {"mid": 2, "text": "短评", "created_at": "2026-10-05 10:00"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    columns = {"id": "mid", "text": "text", "created_at": "created_at"}
    batch = read_source(source("w", "social", path, columns))
    assert [i.text for i in batch.items] == ["短评"]
    assert batch.rejected[0].reason == "text longer than 5000 characters: 100000"
    assert len(batch.rejected[0].payload) < 11_000


def test_100k_char_text_in_a_csv_field(tmp_path):
    path = tmp_path / "long.csv"
    text = "长" * 100_000
    path.write_text(f'review_id,content,created_at\nL1,"{text}",2026-10-05 10:00\n', encoding="utf-8")
    columns = {"id": "review_id", "text": "content", "created_at": "created_at"}
    batch = read_source(source("r", "review", path, columns), max_text_chars=200_000)
    assert len(batch.items[0].text) == 100_000


# --- re-runs -------------------------------------------------------------------------------------


def test_known_hashes_skip_files_already_ingested(tmp_path):
    for name in ("reviews_bom.csv", "reviews_w41.csv"):
        (tmp_path / name).write_bytes((CASES / name).read_bytes())
    src = reviews(tmp_path, pattern="*.csv")
    first = read_source(src)
    assert [f.path.name for f in first.files] == ["reviews_bom.csv", "reviews_w41.csv"]
    (tmp_path / "reviews_w42.csv").write_text(
        "review_id,content,stars,product,store,author,created_at\nN1,新的一周,4,杯,店,甲,2026-10-12 10:00\n",
        encoding="utf-8",
    )
    second = read_source(src, known_hashes={f.sha256 for f in first.files})
    assert [p.name for p in second.skipped_files] == ["reviews_bom.csv", "reviews_w41.csv"]
    assert [i.source_id for i in second.items] == ["N1"]


def test_same_content_twice_in_one_drop_is_read_once(tmp_path):
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_bytes((CASES / "reviews_bom.csv").read_bytes())
    batch = read_source(reviews(tmp_path, pattern="*.csv"))
    assert [p.name for p in batch.skipped_files] == ["b.csv"] and len(batch.items) == 2


def test_rereading_gives_identical_ids():
    assert [i.id for i in read_source(weibo()).items] == [i.id for i in read_source(weibo()).items]


def test_no_files_is_a_problem_line_not_a_crash(tmp_path):
    batch = read_source(reviews(tmp_path / "nothing_here"))
    assert batch.rows_read == 0 and batch.problems[0].startswith("sources.shop_reviews.path: no files at ")


def test_unknown_extension_is_reported(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    batch = read_source(reviews(tmp_path))
    assert batch.problems[0].startswith("sources.shop_reviews.format: cannot tell the format of notes.txt")


def test_unknown_timezone_is_one_line_error():
    with pytest.raises(InputError, match="sources.shop_reviews.timezone: unknown time zone 'Asia/Shangai'"):
        read_source(reviews(timezone="Asia/Shangai"))


def test_reads_sources_from_voc_toml(tmp_path):
    (tmp_path / "voc.toml").write_text(
        f"""
[sources.nps_survey]
kind = "survey"
score_type = "nps"
path = "{CASES.as_posix()}"
pattern = "nps_*.csv"
columns = {{ id = "回复编号", text = "开放意见", score = "推荐意愿", created_at = "提交时间" }}
""",
        encoding="utf-8",
    )
    settings = load_settings(tmp_path / "voc.toml", env={})
    batch = read_source(settings.sources[0], max_text_chars=settings.max_text_chars)
    assert len(batch.items) == 4 and len(batch.rejected) == 2


@pytest.mark.parametrize(
    "src", [reviews(), weibo(), reviews(CASES / "*.csv")], ids=["reviews", "weibo", "glob"]
)
def test_read_always_equals_landed_plus_rejected(src):
    batch = read_source(src)
    assert reconciles(batch) and batch.rows_read > 0
    assert len({i.id for i in batch.items}) == len(batch.items)


_cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "  ", "NULL", "4星", "11", "2026-10-05 10:00", "昨天", "13812345678", "1.2万", "\n"]
    ),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(_cells, _cells, _cells, _cells), max_size=12), st.sampled_from(["utf-8", "gb18030"])
)
def test_every_row_written_is_landed_or_rejected(rows, codec):
    """Whatever the cells hold, each CSV row comes back exactly once, as an item or a reject."""
    import csv
    import io
    import tempfile

    buf = io.StringIO(newline="")
    csv.writer(buf).writerows([("review_id", "content", "stars", "created_at"), *rows])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.csv"
        path.write_bytes(buf.getvalue().encode(codec, errors="replace"))
        columns = {"id": "review_id", "text": "content", "rating": "stars", "created_at": "created_at"}
        batch = read_source(source("r", "review", path, columns))
    assert reconciles(batch)
    assert batch.rows_read == len(rows)
    assert all("13812345678" not in i.text for i in batch.items)
    for rejected in batch.rejected:  # every value but the source's own id is masked
        masked = {k: v for k, v in json.loads(rejected.payload).items() if k != "review_id"}
        assert "13812345678" not in json.dumps(masked, ensure_ascii=False)
