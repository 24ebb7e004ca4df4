"""Weak supervision: a domain model from the warehouse's own ratings, switched to only when it wins."""

from __future__ import annotations

import dataclasses

import pytest

from voc import pipeline
from voc import warehouse as wh
from voc.domain import adapt_from_warehouse, train_from_warehouse
from voc.errors import VocError
from voc.model import load_model


@pytest.fixture
def ingested(demo_settings, tmp_path):
    settings = dataclasses.replace(demo_settings, models_dir=tmp_path / "models")
    pipeline.ingest(settings)
    first = pipeline.enrich(settings)
    return settings, first


def test_a_winning_candidate_becomes_active_and_re_enriches_everything(ingested):
    settings, first = ingested
    report = train_from_warehouse(settings, margin=-1.0)  # any candidate wins
    assert report.switched and report.path.is_file()
    assert report.train_docs + report.holdout_docs == report.labeled > 0
    with wh.open_warehouse(settings, read_only=True) as con:
        active = wh.active_model(con)
    assert active.model_id == report.candidate_id and active.decision == "switched"
    again = pipeline.enrich(settings)
    assert again.docs == first.docs
    assert again.model_version.startswith(report.candidate_id)


def test_a_losing_candidate_is_recorded_but_not_used(ingested):
    settings, first = ingested
    report = train_from_warehouse(settings, margin=1.0)  # nothing beats the model in use by 1.0 F1
    assert not report.switched
    with wh.open_warehouse(settings, read_only=True) as con:
        assert wh.active_model(con) is None
        [rec] = wh.model_history(con)
    assert (rec.decision, rec.baseline_model_id) == ("kept current", report.baseline_id)
    assert rec.holdout_macro_f1 == pytest.approx(report.candidate_f1)
    assert pipeline.enrich(settings).docs == 0


def test_the_demo_ratings_train_a_model_that_agrees_with_them(ingested):
    settings, _ = ingested
    report = train_from_warehouse(settings, margin=1.0)
    assert report.candidate_f1 > 0.8  # demo complaints carry 1-2 stars / NPS 0-6


def test_too_few_rated_items_is_one_clear_line(ingested):
    settings, _ = ingested
    with pytest.raises(VocError) as err:
        train_from_warehouse(settings, min_docs=10**6)
    assert "\n" not in str(err.value) and "rating or score" in str(err.value)


# --- adaptation to the warehouse's unlabeled feedback -------------------------------------------------


def test_an_adapted_model_checked_on_ratings_switches_when_it_wins_and_re_enriches(ingested):
    settings, first = ingested
    report = adapt_from_warehouse(settings, margin=-1.0)  # the rated items are the check; any wins
    assert report.switched and report.path.is_file() and report.candidate_f1 is not None
    assert report.check == "ratings" and report.check_docs >= 200 and report.pool_docs == first.docs
    with wh.open_warehouse(settings, read_only=True) as con:
        active = wh.active_model(con)
    assert active.model_id == report.candidate_id
    assert active.model_id.startswith("adapt-") and active.holdout_docs == report.check_docs
    again = pipeline.enrich(settings)
    assert again.docs == first.docs and again.model_version.startswith(report.candidate_id)


def test_re_adapting_starts_from_the_unadapted_model(ingested):
    settings, _ = ingested
    first = adapt_from_warehouse(settings, margin=-1.0)
    second = adapt_from_warehouse(settings, margin=-1.0)
    assert load_model(second.path).base.version_ == load_model(first.path).base.version_
    assert second.baseline_id == first.candidate_id


def test_a_losing_adaptation_is_recorded_and_not_used(ingested):
    settings, _ = ingested
    report = adapt_from_warehouse(settings, margin=1.0)
    assert not report.switched
    with wh.open_warehouse(settings, read_only=True) as con:
        assert wh.active_model(con) is None
        [rec] = wh.model_history(con)
    assert rec.decision == "kept current" and rec.holdout_macro_f1 == pytest.approx(report.candidate_f1)


def test_without_labels_an_adaptation_is_recorded_but_never_used(ingested):
    settings, _ = ingested
    report = adapt_from_warehouse(settings, min_rated=10**6, margin=-1.0)  # even a "free win" needs labels
    assert not report.switched and report.check == "none" and report.candidate_f1 is None
    with wh.open_warehouse(settings, read_only=True) as con:
        assert wh.active_model(con) is None
        [rec] = wh.model_history(con)
    assert rec.holdout_docs == 0 and rec.holdout_macro_f1 is None and "no labels" in rec.reason


def test_a_labeled_check_file_is_the_held_out_check_when_given(ingested):
    settings, _ = ingested
    texts = ["服务很好，下次还来", "太难吃了，再也不来", "环境不错，很满意", "等了一个小时还没上菜"] * 5
    labels = [1, 0, 1, 0] * 5
    report = adapt_from_warehouse(settings, check=(texts, labels), min_rated=10**6, margin=1.0)
    assert report.check == "labeled file" and report.check_docs == 20
    assert 0.0 <= report.candidate_f1 <= 1.0 and not report.switched  # nothing wins by 1.0 F1


def test_too_few_texts_to_adapt_is_one_clear_line(ingested):
    settings, _ = ingested
    with pytest.raises(VocError) as err:
        adapt_from_warehouse(settings, min_docs=10**6)
    assert "\n" not in str(err.value) and "feedback texts" in str(err.value)
