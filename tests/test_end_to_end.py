"""The whole pipeline on a small demo corpus, on a real DuckDB file.

ingest → enrich → pain points → digest."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from voc import pipeline
from voc.warehouse import open_warehouse

UNMASKED_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
UNMASKED_EMAIL = re.compile(r"[\w.]+@[\w-]+\.[a-z]{2,}")


@pytest.fixture
def ran(demo_settings):
    return demo_settings, pipeline.run_all(demo_settings)


def test_every_row_is_accounted_for(ran, demo_corpus):
    settings, report = ran
    _, manifest = demo_corpus
    for r in report.ingest:
        assert r.rows_read == r.rows_landed + r.rows_rejected
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        landed = con.execute("SELECT count(*) FROM feedback").fetchone()[0]
        rejected = con.execute("SELECT count(*) FROM rejected").fetchone()[0]
        runs = con.execute(
            "SELECT sum(rows_read), sum(rows_landed), sum(rows_rejected) FROM ingest_runs"
        ).fetchone()
        reasons = [r[0] for r in con.execute("SELECT reason FROM rejected").fetchall()]
    assert landed == sum(r.rows_landed for r in report.ingest) > 0
    assert rejected == sum(r.rows_rejected for r in report.ingest)
    assert runs[0] == runs[1] + runs[2]
    assert landed + rejected == manifest.n_items + manifest.bad_rows
    assert all(reason.strip() for reason in reasons)


def test_personal_data_never_reaches_the_warehouse(ran):
    settings, _ = ran
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        texts = [
            r[0]
            for r in con.execute(
                "SELECT text FROM feedback UNION ALL SELECT payload FROM rejected "
                "UNION ALL SELECT text FROM clauses"
            ).fetchall()
        ]
        masked = con.execute("SELECT count(*) FROM feedback WHERE text LIKE '%[手机号]%'").fetchone()[0]
    assert not [t for t in texts if UNMASKED_PHONE.search(t) or UNMASKED_EMAIL.search(t)]
    assert masked > 0  # the demo plants phone numbers: they were found and masked


def test_feedback_is_enriched_with_clauses_stages_and_pain_points(ran):
    settings, report = ran
    assert report.enrich.docs > 0 and report.pain_points.pain_points > 0
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        unenriched = con.execute("SELECT count(*) FROM feedback WHERE sentiment IS NULL").fetchone()[0]
        labels = dict(con.execute("SELECT label, count(*) FROM feedback GROUP BY ALL").fetchall())
        staged = con.execute("SELECT count(DISTINCT stage) FROM clauses WHERE stage IS NOT NULL").fetchone()[
            0
        ]
        assigned = con.execute("SELECT count(*) FROM clauses WHERE pain_point_id IS NOT NULL").fetchone()[0]
    assert unenriched == 0
    assert labels.get("negative", 0) > 0 and labels.get("positive", 0) > 0
    assert staged >= 6
    assert assigned > 0


def test_planted_pain_points_surface_in_the_digest(ran, demo_corpus):
    settings, report = ran
    md_path, html_path = report.digest
    html = html_path.read_text(encoding="utf-8")
    md = md_path.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "<script" not in html.lower()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        top = con.execute("SELECT label FROM pain_points ORDER BY size DESC LIMIT 3").fetchall()
    for (label,) in top:
        assert label in md


def test_second_run_ingests_only_new_items(ran):
    settings, first = ran
    again = pipeline.ingest(settings)
    assert sum(r.rows_new for r in again) == 0
    assert all(r.files_read == 0 and r.files_skipped > 0 for r in again)
    assert pipeline.enrich(settings).docs == 0


def test_a_new_file_drop_is_picked_up(ran, tmp_path):
    settings, _ = ran
    reviews = next(s for s in settings.sources if s.kind == "review")
    first = sorted(reviews.path.glob("*.csv"))[0]
    drop = tmp_path / "new_drop"
    shutil.copytree(reviews.path, drop)
    extra = drop / "late.csv"
    header = first.read_text(encoding="utf-8-sig").splitlines()[0]
    extra.write_text(header + "\n" + ",".join(_late_row(header)) + "\n", encoding="utf-8")
    import dataclasses

    moved = dataclasses.replace(
        settings,
        sources=tuple(dataclasses.replace(s, path=drop) if s is reviews else s for s in settings.sources),
    )
    [rep] = [r for r in pipeline.ingest(moved) if r.source == reviews.name]
    assert (rep.files_read, rep.rows_new) == (1, 1)
    with open_warehouse(moved, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM feedback WHERE source_id = 'late-1'").fetchone()[0] == 1


def _late_row(header: str) -> list[str]:
    values = {
        "review_id": "late-1",
        "content": "外卖送到都凉了，配送太慢",
        "stars": "1",
        "product": "套餐A",
        "store": "测试店",
        "created_at": "2026-11-20 12:00:00",
    }
    return [values.get(col, "") for col in header.split(",")]


def test_editing_a_lexicon_re_enriches_on_the_next_run(ran, tmp_path):
    settings, first = ran
    lexicons = tmp_path / "lexicons"
    shutil.copytree(settings.lexicon_dir, lexicons)
    import dataclasses

    moved = dataclasses.replace(settings, lexicon_dir=lexicons)
    assert pipeline.enrich(moved).docs == 0  # same content in another folder: nothing to redo
    with (lexicons / "sentiment" / "negative.txt").open("a", encoding="utf-8") as fh:
        fh.write("# reviewed by an analyst\n")
    again = pipeline.enrich(moved)
    assert again.docs == first.enrich.docs
    assert again.model_version != first.enrich.model_version
    with open_warehouse(moved, read_only=True) as con:
        versions = con.execute("SELECT DISTINCT model_version FROM feedback").fetchall()
    assert versions == [(again.model_version,)]
