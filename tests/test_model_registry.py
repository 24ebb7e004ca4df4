"""The sentiment-model registry and the weak labels taken from the customer's own scores."""

from __future__ import annotations

from datetime import datetime

import pytest

from voc import warehouse as wh
from voc.records import RawFeedback, stable_id


def item(n: int, text: str, **scores) -> RawFeedback:
    kind = "survey" if "score" in scores else "review"
    return RawFeedback(
        id=stable_id("t", n),
        source="t",
        kind=kind,
        source_id=str(n),
        text=text,
        created_at=datetime(2026, 10, 5, 12, 0),
        **scores,
    )


@pytest.fixture
def con(tmp_path):
    c = wh.connect(tmp_path / "voc.duckdb")
    wh.migrate(c)
    yield c
    c.close()


@pytest.mark.parametrize(
    ("scores", "label"),
    [
        pytest.param({"rating": 1.0}, 0, id="1-star-negative"),
        pytest.param({"rating": 2.0}, 0, id="2-star-negative"),
        pytest.param({"rating": 3.0}, None, id="3-star-left-out"),
        pytest.param({"rating": 4.0}, 1, id="4-star-positive"),
        pytest.param({"score": 6.0, "score_type": "nps"}, 0, id="nps-detractor-negative"),
        pytest.param({"score": 8.0, "score_type": "nps"}, None, id="nps-passive-left-out"),
        pytest.param({"score": 9.0, "score_type": "nps"}, 1, id="nps-promoter-positive"),
        pytest.param({"score": 2.0, "score_type": "csat"}, 0, id="csat-2-negative"),
        pytest.param({"score": 3.0, "score_type": "csat"}, None, id="csat-3-left-out"),
        pytest.param({"score": 5.0, "score_type": "csat"}, 1, id="csat-5-positive"),
        pytest.param({}, None, id="no-score-left-out"),
    ],
)
def test_weak_labels_follow_the_scores(con, scores, label):
    wh.land_feedback(con, "r1", [item(1, "文字", **scores)])
    got = wh.weak_labels(con)
    assert got == ([] if label is None else [(stable_id("t", 1), "文字", label)])


def record(model_id: str, active: bool, when: int) -> wh.ModelRecord:
    return wh.ModelRecord(
        model_id=model_id,
        path=f"/m/{model_id}.joblib",
        origin="warehouse",
        trained_at=datetime(2026, 11, when),
        train_docs=800,
        holdout_docs=200,
        holdout_macro_f1=0.9,
        baseline_model_id="shipped",
        baseline_macro_f1=0.8,
        active=active,
        decision="switched" if active else "kept current",
    )


def test_no_active_model_until_one_is_switched_to(con):
    assert wh.active_model(con) is None
    wh.record_model(con, record("m1", active=False, when=1))
    assert wh.active_model(con) is None


def test_switching_keeps_exactly_one_active_model_and_the_history(con):
    wh.record_model(con, record("m1", active=True, when=1))
    wh.record_model(con, record("m2", active=False, when=2))
    wh.record_model(con, record("m3", active=True, when=3))
    assert wh.active_model(con).model_id == "m3"
    assert [(m.model_id, m.active, m.decision) for m in wh.model_history(con)] == [
        ("m3", True, "switched"),
        ("m2", False, "kept current"),
        ("m1", False, "switched"),
    ]
