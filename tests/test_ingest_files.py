"""File drops: listing, encoding detection, CSV/TSV/JSONL splitting with line numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc.ingest.files import detect_encoding, list_files, open_table

TEXT = "送货很快，包装结实；客服态度一般"

ENCODINGS = [
    ("utf-8", TEXT.encode("utf-8"), "utf-8"),
    ("utf-8-bom", b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    ("gbk", TEXT.encode("gbk"), "gb18030"),
    ("gb18030-rare-char", "㐀㙇，很好".encode("gb18030"), "gb18030"),
    ("ascii", b"ok,fine", "utf-8"),
]


@pytest.mark.parametrize(("data", "expected"), [e[1:] for e in ENCODINGS], ids=[e[0] for e in ENCODINGS])
def test_auto_encoding_is_detected_per_file(data, expected):
    assert detect_encoding(data, "auto") == (expected, 0)


def test_one_bad_byte_keeps_utf8_and_is_counted():
    data = ("a,b\n" + TEXT).encode("utf-8") + b"\xff\n"
    assert detect_encoding(data, "auto") == ("utf-8", 1)


def test_configured_encoding_wins():
    codec, bad = detect_encoding(TEXT.encode("gbk"), "utf-8")
    assert codec == "utf-8" and bad > 0


def test_csv_records_carry_the_line_they_start_on():
    data = 'id,text\n1,"第一行\n第二行"\n\n2,好\n'.encode()
    table = open_table(data, "csv")
    assert table.columns == ("id", "text")
    assert [(r.line, r.values) for r in table.records] == [
        (2, {"id": "1", "text": "第一行\n第二行"}),
        (5, {"id": "2", "text": "好"}),
    ]


def test_csv_row_with_wrong_field_count_is_an_error_record():
    table = open_table(b"id,text,stars\n1,ok\n2,ok,5,,\n3,ok,5,extra\n", "csv")
    got = [(r.line, r.error, r.raw) for r in table.records]
    assert got[0] == (2, "wrong number of fields: expected 3, got 2", ["1", "ok"])
    assert got[1] == (3, None, None)  # trailing empty cells from a spreadsheet are harmless
    assert got[2][1] == "wrong number of fields: expected 3, got 4"


def test_tsv_keeps_commas_inside_fields():
    table = open_table("id\ttext\n1\t快，好,便宜\n".encode(), "tsv")
    assert [r.values for r in table.records] == [{"id": "1", "text": "快，好,便宜"}]


def test_undecodable_bytes_reject_only_their_record():
    data = "id,text\n1,好\n".encode() + b"2,\xff\xfe\n" + "3,也好\n".encode()
    table = open_table(data, "csv")
    got = [(r.line, r.error) for r in table.records]
    assert got == [(2, None), (3, "undecodable bytes (not utf-8/gb18030)"), (4, None)]


def test_jsonl_malformed_line_is_an_error_record():
    data = '{"text": "好"}\n{"text": \n\n[1, 2]\n{"text": "也好"}\n'.encode()
    got = [(r.line, r.error) for r in open_table(data, "jsonl").records]
    assert got[0] == (1, None)
    assert got[1][0] == 2 and got[1][1].startswith("invalid JSON: ")
    assert got[2] == (4, "invalid JSON: expected an object, got list")
    assert got[3] == (5, None)


def test_jsonl_lone_surrogate_escape_is_rejected_but_pairs_are_fine():
    data = b'{"text": "\\ud83d\\ude00 ok"}\n{"text": "half \\ud83d"}\n'
    got = [(r.line, r.error, r.values) for r in open_table(data, "jsonl").records]
    assert got[0] == (1, None, {"text": "\U0001f600 ok"})
    assert got[1][:2] == (2, "invalid JSON: lone surrogate escape (half an emoji?)")


def test_jsonl_keeps_unicode_line_separators_inside_strings():
    data = '{"text": "甲\u2028乙"}\n{"text": "丙"}\n'.encode()
    assert [r.values["text"] for r in open_table(data, "jsonl").records] == ["甲\u2028乙", "丙"]


def test_list_files_sorted_from_folder_glob_and_file(tmp_path):
    for name in ["b.csv", "a.csv", "c.jsonl", ".hidden.csv"]:
        (tmp_path / name).write_text("x")
    assert [p.name for p in list_files(tmp_path, "*.csv")] == ["a.csv", "b.csv"]
    assert [p.name for p in list_files(tmp_path / "*.*")] == ["a.csv", "b.csv", "c.jsonl"]
    assert list_files(tmp_path / "a.csv") == [tmp_path / "a.csv"]
    assert list_files(tmp_path / "missing") == []


_cell = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@settings(max_examples=60)
@given(st.lists(st.tuples(_cell, _cell), min_size=1, max_size=8), st.sampled_from(["utf-8", "gb18030"]))
def test_csv_round_trip_any_text(rows, codec):
    """Whatever a spreadsheet writes (quotes, commas, newlines, emoji) comes back unchanged."""
    import csv
    import io

    buf = io.StringIO(newline="")
    csv.writer(buf).writerows([("id", "text"), *rows])
    table = open_table(buf.getvalue().encode(codec), "csv", codec)
    records = list(table.records)
    assert all(r.error is None for r in records)
    assert [(r.values["id"], r.values["text"]) for r in records] == rows
