"""`voc train` and `voc eval` from the command line, on a small fictional labeled file."""

from __future__ import annotations

import csv
import itertools

import pytest

from voc.cli import main

GOOD = ["味道很好", "服务很热情", "送货很快", "质量不错", "性价比高", "包装很精美"]
BAD = ["味道太差了", "服务员态度恶劣", "送货太慢了", "质量很差", "价格太贵", "包装破损了"]
SUBJECTS = ["这家店", "这次买的东西", "外卖", "手机", "这个套餐"]


@pytest.fixture(scope="module")
def labeled(tmp_path_factory):
    path = tmp_path_factory.mktemp("labeled") / "labeled.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        for subject, (good, bad) in itertools.product(SUBJECTS, zip(GOOD, BAD)):
            w.writerow([f"{subject}{good}", 1])
            w.writerow([f"{subject}{bad}", 0])
        w.writerow(["", 1])  # no text: skipped
    return path


def test_eval_prints_metrics_and_confusion(labeled, capsys):
    assert main(["eval", str(labeled), "--text-column", "text", "--label-column", "label"]) == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out and "docs/s" in out and "n=60" in out


def test_eval_below_the_floor_fails_with_one_line(labeled, capsys):
    assert (
        main(["eval", str(labeled), "--text-column", "text", "--label-column", "label", "--floor", "1.01"])
        == 1
    )
    err = capsys.readouterr().err.strip()
    assert err.startswith("voc: error:") and "floor" in err and "\n" not in err


def test_eval_missing_column_is_one_line(labeled, capsys):
    assert main(["eval", str(labeled), "--text-column", "text", "--label-column", "polarity"]) == 2
    err = capsys.readouterr().err.strip()
    assert "polarity" in err and "\n" not in err


def test_train_writes_a_model_that_eval_can_use(labeled, tmp_path, capsys):
    model = tmp_path / "m.pkl.gz"
    assert (
        main(
            [
                "train",
                str(labeled),
                "--text-column",
                "text",
                "--label-column",
                "label",
                "--output",
                str(model),
            ]
        )
        == 0
    )
    assert model.is_file()
    assert (
        main(
            [
                "eval",
                str(labeled),
                "--text-column",
                "text",
                "--label-column",
                "label",
                "--model",
                str(model),
                "--floor",
                "0.9",
            ]
        )
        == 0
    )


def test_train_without_input_is_one_line(capsys):
    assert main(["train"]) == 2
    assert "--from-warehouse" in capsys.readouterr().err
