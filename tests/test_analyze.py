"""`voc analyze`: the file-in/file-out contract other tools rely on."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from voc.analyze import CLAUSE_COLUMNS, OUT_COLUMNS, analyze_file
from voc.stages import load_stages

ROWS = [
    ("a1", "东西不错，但是快递太慢了，等了五天才到[怒]"),
    ("a2", "客服態度很差，問了三次都沒人理"),  # traditional
    ("a3", ""),  # empty text still gets a row
    ("a4", "非常满意，下次还来！！！👍"),
    ("a5", "我的电话13812345678，退款一直不处理"),
    ("a6", "请问几点开门？"),
]
STAGE_KEYS = {s.key for s in load_stages()}


def write_csv(path, rows, header=("review_id", "review")):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "voc.cli", "analyze", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("analyze")
    src = write_csv(tmp / "in.csv", ROWS)
    res = run_cli(
        src,
        "--text-column",
        "review",
        "--id-column",
        "review_id",
        "--output",
        tmp / "out.csv",
        "--clauses",
        tmp / "clauses.csv",
    )
    assert res.returncode == 0, res.stderr
    return read_csv(tmp / "out.csv"), read_csv(tmp / "clauses.csv")


def test_one_row_per_input_row_in_input_order(analyzed):
    out, _ = analyzed
    assert [r["id"] for r in out] == [r[0] for r in ROWS]
    assert tuple(out[0]) == OUT_COLUMNS


def test_scores_labels_and_stages_are_well_formed(analyzed):
    out, clauses = analyzed
    for r in out:
        assert -1.0 <= float(r["sentiment"]) <= 1.0
        assert r["label"] in {"negative", "neutral", "positive"}
        stages = set(filter(None, r["stages"].split(";")))
        assert stages <= STAGE_KEYS
        assert set(filter(None, r["neg_stages"].split(";"))) <= stages
    assert tuple(clauses[0]) == CLAUSE_COLUMNS


def test_complaints_are_negative_and_placed_on_the_journey(analyzed):
    out, _ = analyzed
    by_id = {r["id"]: r for r in out}
    assert by_id["a1"]["label"] == "negative"
    assert "delivery" in by_id["a1"]["neg_stages"].split(";")
    assert by_id["a2"]["label"] == "negative"
    assert "service" in by_id["a2"]["neg_stages"].split(";")
    assert by_id["a4"]["label"] == "positive"
    assert by_id["a3"]["label"] == "neutral" and by_id["a3"]["stages"] == ""


def test_clause_text_is_masked_and_simplified(analyzed):
    _, clauses = analyzed
    text = " ".join(c["text"] for c in clauses)
    assert "13812345678" not in text
    assert "态度" in text and "態度" not in text
    assert {c["id"] for c in clauses} <= {r[0] for r in ROWS}


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "parquet"])
def test_every_input_format_gives_the_same_scores_as_csv(tmp_path, analyzed, fmt):
    path = tmp_path / f"in.{fmt}"
    if fmt == "tsv":
        path.write_text("review_id\treview\n" + "".join(f"{i}\t{t}\n" for i, t in ROWS), encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text(
            "".join(json.dumps({"review_id": i, "review": t}, ensure_ascii=False) + "\n" for i, t in ROWS),
            encoding="utf-8",
        )
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"review_id": [r[0] for r in ROWS], "review": [r[1] for r in ROWS]}), path)
    analyze_file(path, text_column="review", id_column="review_id", output=tmp_path / "out.csv")
    got = read_csv(tmp_path / "out.csv")
    want = analyzed[0]
    assert [(r["id"], r["sentiment"], r["label"]) for r in got] == [
        (r["id"], r["sentiment"], r["label"]) for r in want
    ]


def test_without_id_column_ids_are_row_numbers(tmp_path):
    src = write_csv(tmp_path / "in.csv", ROWS[:3])
    analyze_file(src, text_column="review", output=tmp_path / "out.csv")
    assert [r["id"] for r in read_csv(tmp_path / "out.csv")] == ["0", "1", "2"]


def test_gbk_input_is_read(tmp_path):
    src = tmp_path / "gbk.csv"
    src.write_bytes("id,text\n1,服务员态度很差\n".encode("gbk"))
    analyze_file(src, text_column="text", output=tmp_path / "out.csv")
    assert read_csv(tmp_path / "out.csv")[0]["label"] == "negative"


def test_missing_column_is_one_line_and_nonzero_exit(tmp_path):
    src = write_csv(tmp_path / "in.csv", ROWS[:2])
    res = run_cli(src, "--text-column", "comment", "--output", tmp_path / "out.csv")
    assert res.returncode != 0
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and "comment" in err and "review" in err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("name", ["missing.csv", "in.xlsx"])
def test_unreadable_input_is_one_line_and_nonzero_exit(tmp_path, name):
    if name.endswith("xlsx"):
        (tmp_path / name).write_bytes(b"PK\x03\x04")
    res = run_cli(tmp_path / name, "--text-column", "review", "--output", tmp_path / "out.csv")
    assert res.returncode != 0
    assert len(res.stderr.strip().splitlines()) == 1


def test_malformed_jsonl_is_one_line_and_nonzero_exit(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"review": "好"}\n{"review": \n', encoding="utf-8")
    res = run_cli(src, "--text-column", "review", "--output", tmp_path / "out.csv")
    assert res.returncode != 0
    assert "line 2" in res.stderr and len(res.stderr.strip().splitlines()) == 1
