"""The DuckDB warehouse on real files: migrations, locking, upserts, enrichment and the weekly views."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from voc import warehouse as wh
from voc.config import Settings
from voc.errors import WarehouseLockedError
from voc.paths import MIGRATIONS_DIR, VIEWS_DIR
from voc.records import Clause, EnrichedFeedback, PainPoint, RawFeedback, Rejected

MONDAY_W41 = datetime(2026, 10, 5, 9, 30)  # ISO week 2026-W41 starts on Monday 2026-10-05


# --- builders ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    phase: str
    order: int
    owner: str


@dataclass(frozen=True)
class FileSeen:
    path: str
    sha256: str
    size: int
    encoding: str | None
    rows_read: int


def item(id: str, when: datetime = MONDAY_W41, text: str = "物流太慢了", **kw) -> RawFeedback:
    kw.setdefault("kind", "survey" if "score" in kw else "review")
    return RawFeedback(id=id, source=kw.pop("source", "shop"), source_id=id, text=text, created_at=when, **kw)


def enriched(id: str, *clauses: tuple[float, str | None, str | None]) -> EnrichedFeedback:
    """A document from (sentiment, stage, pain_point_id) per clause."""
    cs = tuple(
        Clause(
            feedback_id=id,
            position=i,
            text=f"clause {i}",
            sentiment=s,
            label=_label(s),
            stage=st_,
            tokens=("物流", "慢"),
            pain_point_id=pp,
        )
        for i, (s, st_, pp) in enumerate(clauses)
    )
    doc = sum(c.sentiment for c in cs) / len(cs) if cs else 0.0
    stages = tuple(dict.fromkeys(c.stage for c in cs if c.stage))
    neg = tuple(dict.fromkeys(c.stage for c in cs if c.stage and c.label == "negative"))
    return EnrichedFeedback(
        id=id, text_norm="norm", sentiment=doc, label=_label(doc), stages=stages, neg_stages=neg, clauses=cs
    )


def _label(score: float) -> str:
    return "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"


def run_kwargs(**overrides) -> dict:
    kw = dict(
        run_id="run-1",
        source="shop",
        started_at=datetime(2026, 10, 5, 1),
        finished_at=datetime(2026, 10, 5, 2),
        status="ok",
        files_read=2,
        files_skipped=1,
        rows_read=10,
        rows_landed=8,
        rows_new=6,
        rows_rejected=2,
    )
    return kw | overrides


@pytest.fixture
def con(tmp_path):
    c = wh.connect(tmp_path / "voc.duckdb")
    wh.migrate(c)
    wh.apply_views(c)
    yield c
    c.close()


@pytest.fixture
def migrations(tmp_path) -> Path:
    """A private copy of the real migrations, free to edit."""
    d = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, d)
    return d


# --- migrations ----------------------------------------------------------------------------------


RELEASED = sorted(int(p.name[:3]) for p in MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql"))
NEXT = f"{RELEASED[-1] + 1:03d}"


def test_migrate_applies_each_migration_once_and_records_it(tmp_path):
    c = wh.connect(tmp_path / "voc.duckdb")
    assert wh.migrate(c) == RELEASED
    assert wh.migrate(c) == []
    version, name, checksum = c.execute(
        "SELECT version, name, checksum FROM schema_migrations ORDER BY version"
    ).fetchone()
    assert (version, name) == (1, "001_initial_schema")
    assert checksum == hashlib.sha256((MIGRATIONS_DIR / "001_initial_schema.sql").read_bytes()).hexdigest()


def test_new_migration_is_applied_on_next_open(con, migrations):
    (migrations / f"{NEXT}_add_tier.sql").write_text("ALTER TABLE feedback ADD COLUMN tier VARCHAR;")
    assert wh.migrate(con, migrations) == [int(NEXT)]
    assert wh.migrate(con, migrations) == []
    assert "tier" in [d[0] for d in con.execute("SELECT * FROM feedback").description]


def test_edited_migration_is_an_error_naming_the_file(tmp_path, migrations):
    c = wh.connect(tmp_path / "voc.duckdb")
    wh.migrate(c, migrations)
    path = migrations / "001_initial_schema.sql"
    path.write_text(path.read_text() + "\n-- a harmless looking edit\n")
    with pytest.raises(wh.MigrationError) as err:
        wh.migrate(c, migrations)
    assert "001_initial_schema.sql" in str(err.value) and "checksum" in str(err.value)
    assert "\n" not in str(err.value)


def test_crlf_checkout_is_not_an_edit(tmp_path, migrations):
    c = wh.connect(tmp_path / "voc.duckdb")
    wh.migrate(c, migrations)
    path = migrations / "001_initial_schema.sql"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert wh.migrate(c, migrations) == []


def test_failed_migration_applies_nothing(con, migrations):
    (migrations / f"{NEXT}_broken.sql").write_text(
        "CREATE TABLE half_done (x INTEGER);\nSELECT * FROM no_such_table;"
    )
    with pytest.raises(wh.MigrationError, match=f"{NEXT}_broken.sql"):
        wh.migrate(con, migrations)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "half_done" not in tables
    assert con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == RELEASED[-1]


@pytest.mark.parametrize(
    "name", ["2_short.sql", "002-dash.sql", "002_Upper.sql"], ids=["no-padding", "dash", "upper"]
)
def test_misnamed_migration_file_is_an_error(con, migrations, name):
    (migrations / name).write_text("SELECT 1;")
    with pytest.raises(wh.MigrationError, match="NNN_name.sql"):
        wh.migrate(con, migrations)


# --- open_warehouse and locking ------------------------------------------------------------------


def test_open_warehouse_creates_the_file_with_schema_and_views(tmp_path):
    s = Settings(warehouse_path=tmp_path / "new" / "dir" / "voc.duckdb", lock_timeout=5)
    with wh.open_warehouse(s) as c:
        views = {
            r[0] for r in c.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        }
    assert views == {p.stem for p in VIEWS_DIR.glob("*.sql")}  # one view per file, named like it
    assert {
        "sentiment_weekly",
        "stage_weekly",
        "pain_point_weekly",
        "nps_weekly",
        "csat_weekly",
        "pain_point_drivers",
        "social_bursts",
    } <= views
    with wh.open_warehouse(s, read_only=True) as c:
        assert c.execute("SELECT count(*) FROM feedback").fetchone() == (0,)


def test_read_only_open_of_a_missing_file_is_one_clear_line(tmp_path):
    s = Settings(warehouse_path=tmp_path / "absent.duckdb")
    with pytest.raises(wh.WarehouseError) as err:
        with wh.open_warehouse(s, read_only=True):
            pass
    assert "absent.duckdb" in str(err.value) and "\n" not in str(err.value)
    assert not s.warehouse_path.exists()


HOLDER = (
    "import duckdb, sys\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('locked', flush=True)\n"
    "sys.stdin.read()\n"  # hold the write lock until the test closes our stdin
    "con.close()\n"
)


@pytest.fixture
def lock_holder(tmp_path):
    """Another process holding the warehouse open read-write; ``.stdin.close()`` releases it."""
    path = tmp_path / "voc.duckdb"
    duckdb.connect(str(path)).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    yield path, proc
    if proc.poll() is None:
        proc.stdin.close()
        proc.wait(timeout=30)


@pytest.mark.parametrize("read_only", [False, True], ids=["writer", "reader"])
def test_connect_gives_up_on_a_held_lock_with_one_line(lock_holder, read_only):
    path, proc = lock_holder
    with pytest.raises(WarehouseLockedError) as err:
        wh.connect(path, read_only=read_only, timeout=0.5)
    msg = str(err.value)
    assert str(path) in msg and "locked" in msg and "\n" not in msg
    assert f"process {proc.pid}" in msg


def test_connect_waits_for_a_lock_released_during_the_wait(lock_holder):
    path, proc = lock_holder
    release = threading.Timer(0.3, proc.stdin.close)  # lock is held when connect starts, freed while it waits
    release.start()
    try:
        c = wh.connect(path, timeout=60)
    finally:
        release.cancel()
    assert c.execute("SELECT 42").fetchone() == (42,)
    c.close()


# --- ingest writes -------------------------------------------------------------------------------


def test_second_landing_of_the_same_ids_adds_nothing_and_keeps_the_first(con):
    assert wh.land_feedback(con, "run-1", [item("a"), item("b"), item("a")]) == 2
    assert wh.land_feedback(con, "run-2", [item("a", text="changed"), item("c")]) == 1
    rows = con.execute("SELECT id, text, run_id FROM feedback ORDER BY id").fetchall()
    assert rows == [("a", "物流太慢了", "run-1"), ("b", "物流太慢了", "run-1"), ("c", "物流太慢了", "run-2")]


def test_landed_fields_round_trip(con):
    src = item("s1", score=9.0, score_type="nps", touchpoint="门店", likes=3, reposts=None, origin="a.csv:2")
    wh.land_feedback(con, "run-1", [src])
    row = con.execute(
        "SELECT kind, created_at, score, score_type, touchpoint, likes, reposts, origin FROM feedback"
    ).fetchone()
    assert row == ("survey", MONDAY_W41, 9.0, "nps", "门店", 3, None, "a.csv:2")


def test_timezone_aware_timestamps_are_refused(con):
    with pytest.raises(wh.WarehouseError, match="naive local time"):
        wh.land_feedback(con, "run-1", [item("a", when=datetime(2026, 10, 5, tzinfo=UTC))])


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from("abcdefgh"), max_size=20), st.lists(st.sampled_from("abcdefgh"), max_size=20))
def test_landing_is_an_upsert_for_any_batches(first, second):
    c = duckdb.connect()
    wh.migrate(c)
    new1 = wh.land_feedback(c, "r1", [item(i) for i in first])
    new2 = wh.land_feedback(c, "r2", [item(i) for i in second])
    assert (new1, new2) == (len(set(first)), len(set(second) - set(first)))
    assert c.execute("SELECT count(*) FROM feedback").fetchone()[0] == len(set(first) | set(second))


def test_rejected_rows_land_once(con):
    rej = [Rejected(source="shop", origin="a.csv:3", payload="x,y", reason="missing text")]
    assert wh.land_rejected(con, "run-1", rej) == 1
    assert wh.land_rejected(con, "run-2", rej) == 0
    assert con.execute("SELECT reason, run_id FROM rejected").fetchall() == [("missing text", "run-1")]


def test_recorded_files_are_known_by_hash_per_source(con):
    wh.record_files(
        con, "run-1", "shop", [FileSeen("a.csv", "h1", 10, "gb18030", 4), FileSeen("b.csv", "h2", 5, None, 0)]
    )
    wh.record_files(con, "run-2", "shop", [FileSeen("renamed.csv", "h1", 10, "utf-8", 4)])
    assert wh.known_file_hashes(con, "shop") == {"h1", "h2"}
    assert wh.known_file_hashes(con, "weibo") == set()
    assert con.execute("SELECT path, encoding FROM ingested_files WHERE sha256 = 'h1'").fetchone() == (
        "a.csv",
        "gb18030",
    )


def test_ingest_run_is_recorded_and_updated(con):
    wh.record_ingest_run(
        con,
        **run_kwargs(
            status="running", finished_at=None, rows_read=0, rows_landed=0, rows_new=0, rows_rejected=0
        ),
    )
    wh.record_ingest_run(con, **run_kwargs(message="1 file skipped"))
    assert con.execute("SELECT status, rows_read, rows_new, message FROM ingest_runs").fetchall() == [
        ("ok", 10, 6, "1 file skipped")
    ]


@pytest.mark.parametrize(
    "overrides",
    [
        dict(rows_rejected=1),  # 10 read != 8 landed + 1 rejected
        dict(rows_landed=9),  # 10 read != 9 landed + 2 rejected
        dict(rows_new=9),  # more new rows than landed
        dict(status="finished"),  # unknown status
    ],
    ids=["rows-lost", "rows-invented", "new-exceeds-landed", "bad-status"],
)
def test_unreconciled_run_is_rejected(con, overrides):
    with pytest.raises(wh.WarehouseError) as err:
        wh.record_ingest_run(con, **run_kwargs(**overrides))
    assert "run-1" in str(err.value) and "\n" not in str(err.value)
    assert con.execute("SELECT count(*) FROM ingest_runs").fetchone() == (0,)


def test_check_constraint_itself_guards_raw_sql(con):
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "INSERT INTO ingest_runs (run_id, source, started_at, status, rows_read, rows_landed, "
            "rows_rejected) VALUES ('r', 's', TIMESTAMP '2026-10-05', 'ok', 5, 3, 1)"
        )


# --- enrichment and pain points ------------------------------------------------------------------


def test_enrichment_is_saved_and_its_clauses_replaced(con):
    wh.land_feedback(con, "run-1", [item("a"), item("b", when=MONDAY_W41 - timedelta(days=1))])
    assert [r[0] for r in wh.pending_feedback(con, "v1")] == ["b", "a"]  # oldest first
    wh.save_enrichment(
        con, [enriched("a", (-0.8, "delivery", None), (0.5, None, None), (-0.6, "service", None))], "v1"
    )
    wh.save_enrichment(con, [enriched("a", (-0.8, "delivery", None))], "v1")
    assert con.execute("SELECT count(*) FROM clauses").fetchone() == (1,)
    row = con.execute(
        "SELECT label, stages, neg_stages, model_version, enriched_at IS NOT NULL FROM feedback "
        "WHERE id = 'a'"
    ).fetchone()
    assert row == ("negative", ["delivery"], ["delivery"], "v1", True)
    assert wh.pending_feedback(con, "v1") == [("b", "物流太慢了")]
    assert [r[0] for r in wh.pending_feedback(con, "v2", limit=1)] == ["b"]
    assert wh.negative_clauses(con) == [("a", 0, "clause 0", ["物流", "慢"], "delivery")]


def test_enrichment_of_an_unknown_id_writes_no_orphan_clauses(con):
    wh.save_enrichment(con, [enriched("ghost", (-0.8, "delivery", None))], "v1")
    assert con.execute("SELECT count(*) FROM clauses").fetchone() == (0,)


def test_clauses_with_a_repeated_position_are_refused_whole(con):
    wh.land_feedback(con, "run-1", [item("a")])
    doc = enriched("a", (-0.8, "delivery", None), (0.5, None, None))
    bad = EnrichedFeedback(**{**{f: getattr(doc, f) for f in doc.__slots__}, "clauses": doc.clauses[:1] * 2})
    with pytest.raises(wh.WarehouseError, match="feedback a"):
        wh.save_enrichment(con, [bad], "v1")
    assert con.execute("SELECT count(*) FROM clauses").fetchone() == (0,)
    assert wh.pending_feedback(con, "v1") == [("a", "物流太慢了")]


def test_pain_points_replace_the_previous_run(con):
    wh.land_feedback(con, "run-1", [item("a")])
    wh.save_enrichment(con, [enriched("a", (-0.8, "delivery", None), (-0.7, "service", None))], "v1")
    old = PainPoint(id="p-old", label="旧", stage=None, size=2, terms=(), examples=())
    wh.save_pain_points(con, "pp-1", [old], [("a", 0, "p-old"), ("a", 1, "p-old")])
    new = PainPoint(
        id="p1", label="配送 慢", stage="delivery", size=1, terms=("配送", "慢"), examples=("配送太慢",)
    )
    wh.save_pain_points(con, "pp-2", [new], [("a", 0, "p1")])  # clause 1 not assigned this time
    assert con.execute("SELECT id, terms, examples, run_id FROM pain_points").fetchall() == [
        ("p1", ["配送", "慢"], ["配送太慢"], "pp-2")
    ]
    assert con.execute("SELECT position, pain_point_id FROM clauses ORDER BY position").fetchall() == [
        (0, "p1"),
        (1, None),
    ]


def test_reenrichment_keeps_a_negative_clause_pain_point_until_the_next_pain_point_run(con):
    wh.land_feedback(con, "run-1", [item("a")])
    wh.save_enrichment(con, [enriched("a", (-0.8, "delivery", None), (-0.7, "service", None))], "v1")
    wh.save_pain_points(con, "pp-1", [], [("a", 0, "late"), ("a", 1, "rude")])
    # a new model: clause 0 still negative, clause 1 now positive
    wh.save_enrichment(con, [enriched("a", (-0.9, "delivery", None), (0.6, "service", None))], "v2")
    assert con.execute("SELECT position, pain_point_id FROM clauses ORDER BY position").fetchall() == [
        (0, "late"),
        (1, None),
    ]


def test_pain_points_write_each_clause_aspect_and_opinion_and_clear_old_ones(con):
    wh.land_feedback(con, "run-1", [item("a")])
    wh.save_enrichment(con, [enriched("a", (-0.8, "delivery", None), (-0.7, "service", None))], "v1")
    point = PainPoint(id="p1", label="配送超时", stage="delivery", size=1, terms=(), examples=())
    assignments = [("a", 0, "p1"), ("a", 1, None)]
    wh.save_pain_points(con, "pp-1", [point], assignments, [("配送", "超时"), ("客服", "态度差")])
    read = "SELECT position, pain_point_id, aspect, opinion FROM clauses ORDER BY position"
    assert con.execute(read).fetchall() == [(0, "p1", "配送", "超时"), (1, None, "客服", "态度差")]
    wh.save_pain_points(con, "pp-2", [point], assignments)  # a run without mentions
    assert con.execute(read).fetchall() == [(0, "p1", None, None), (1, None, None, None)]


def test_catalogue_keeps_proposals_and_syncs_curated_entries(con):
    from voc.catalogue import CatalogueEntry

    wh.land_feedback(con, "run-1", [item("a")])
    wh.save_enrichment(con, [enriched("a", (-0.8, "delivery", None))], "v1")
    curated = CatalogueEntry("late", "配送超时", "delivery", "convenience", signals=("超时",))
    proposed = CatalogueEntry("delivery-外卖-凉", "外卖 凉", "delivery", status="proposed", terms=("外卖",))
    wh.save_pain_points(con, "pp-1", [], [("a", 0, "late")])
    wh.save_catalogue(con, "pp-1", [curated, proposed])
    renamed = CatalogueEntry("late", "送货太慢", "delivery", "convenience", signals=("超时",), pinned=True)
    wh.save_catalogue(con, "pp-2", [renamed])  # a run that did not see the proposal again
    rows = con.execute(
        "SELECT id, name, status, pinned, first_run, last_run, first_seen IS NOT NULL "
        "FROM pain_point_catalogue ORDER BY id"
    ).fetchall()
    assert rows == [
        ("delivery-外卖-凉", "外卖 凉", "proposed", False, "pp-1", None, False),
        ("late", "送货太慢", "curated", True, "pp-1", "pp-2", True),
    ]
    assert [r["id"] for r in wh.read_proposals(con)] == ["delivery-外卖-凉"]
    wh.save_catalogue(con, "pp-3", [])  # an entry removed from the YAML file leaves the table
    assert con.execute("SELECT id FROM pain_point_catalogue").fetchall() == [("delivery-外卖-凉",)]


def test_stages_are_replaced_on_sync(con):
    wh.sync_stages(
        con, [Stage("delivery", "交付履约", "售中", 4, "物流部"), Stage("gone", "旧", "售前", 9, "")]
    )
    wh.sync_stages(con, [Stage("delivery", "交付履约", "售中", 4, "物流部")])
    assert con.execute("SELECT key, label, position, owner FROM stages").fetchall() == [
        ("delivery", "交付履约", 4, "物流部")
    ]


# --- views ---------------------------------------------------------------------------------------


def week(n: int) -> datetime:
    """A Wednesday of ISO week 41 + n (2026)."""
    return MONDAY_W41 + timedelta(weeks=n, days=2)


def test_nps_weekly_arithmetic(con):
    scores = {"nps_app": [(0, [10, 9, 8, 7, 6, 3, 0]), (1, [10])], "nps_store": [(0, [6, 6])]}
    wh.land_feedback(
        con,
        "run-1",
        [
            item(f"{src}-{w}-{i}", week(w), source=src, score=float(s), score_type="nps")
            for src, weeks in scores.items()
            for w, ss in weeks
            for i, s in enumerate(ss)
        ],
    )
    wh.land_feedback(con, "run-1", [item("csat-1", score=5.0, score_type="csat")])  # not NPS
    rows = con.execute(
        "SELECT iso_week, source, responses, promoters, passives, detractors, round(nps, 2) "
        "FROM nps_weekly ORDER BY week, source"
    ).fetchall()
    assert rows == [
        ("2026-W41", "nps_app", 7, 2, 2, 3, -14.29),
        ("2026-W41", "nps_store", 2, 0, 0, 2, -100.0),
        ("2026-W42", "nps_app", 1, 1, 0, 0, 100.0),
    ]


def test_csat_weekly_arithmetic(con):
    wh.land_feedback(
        con, "run-1", [item(f"c{i}", score=float(s), score_type="csat") for i, s in enumerate([5, 4, 3, 1])]
    )
    assert con.execute(
        "SELECT responses, satisfied, neutral, dissatisfied, avg_score, csat FROM csat_weekly"
    ).fetchall() == [(4, 2, 1, 1, 3.25, 50.0)]


def test_pain_point_growth_after_a_quiet_week(con):
    # W41: 2 clauses of p1; W42: data but no p1; W43: 3 clauses of p1 + 1 unassigned negative clause.
    docs = {
        "a": (0, [(-0.8, "delivery", "p1"), (-0.6, "delivery", "p1")]),
        "b": (1, [(0.6, "usage", None)]),
        "c": (2, [(-0.8, "delivery", "p1"), (-0.4, None, "p1")]),
        "d": (2, [(-0.9, "delivery", "p1"), (-0.5, "service", None)]),
    }
    wh.land_feedback(con, "run-1", [item(k, week(w)) for k, (w, _) in docs.items()])
    wh.save_enrichment(con, [enriched(k, *cs) for k, (_, cs) in docs.items()], "v1")
    wh.sync_stages(con, [Stage("delivery", "交付履约", "售中", 4, "物流部")])
    wh.save_pain_points(
        con,
        "pp-1",
        [PainPoint("p1", "配送 慢", "delivery", 5, ("配送",), ())],
        [
            (c[0], c[1], c[2])
            for c in con.execute("SELECT feedback_id, position, pain_point_id FROM clauses").fetchall()
        ],
    )
    rows = con.execute(
        "SELECT iso_week, label, stage_label, volume, docs, prev_volume, growth, growth_ratio, "
        "round(share, 2) FROM pain_point_weekly ORDER BY week"
    ).fetchall()
    assert rows == [
        ("2026-W41", "配送 慢", "交付履约", 2, 1, 0, 2, None, 1.0),
        ("2026-W42", "配送 慢", "交付履约", 0, 0, 2, -2, -1.0, 0.0),
        ("2026-W43", "配送 慢", "交付履约", 3, 2, 0, 3, None, 0.75),
    ]


def test_stage_weekly_negative_share(con):
    docs = {
        "a": [(-0.8, "delivery", None), (0.5, "delivery", None), (-0.6, "delivery", None)],
        "b": [(0.7, "delivery", None), (0.1, None, None)],
        "c": [(-0.9, "service", None)],
    }
    wh.land_feedback(con, "run-1", [item(k) for k in docs])
    wh.save_enrichment(con, [enriched(k, *cs) for k, cs in docs.items()], "v1")
    wh.sync_stages(
        con,
        [
            Stage("delivery", "交付履约", "售中", 4, "物流部"),
            Stage("service", "服务沟通", "全程", 6, "客服部"),
        ],
    )
    rows = con.execute(
        "SELECT stage, stage_label, stage_position, mentions, negative_mentions, negative_docs, "
        "negative_share FROM stage_weekly ORDER BY stage_position"
    ).fetchall()
    assert rows == [("delivery", "交付履约", 4, 4, 2, 1, 0.5), ("service", "服务沟通", 6, 1, 1, 1, 1.0)]


def test_sentiment_weekly_counts_enriched_documents_only(con):
    wh.land_feedback(con, "run-1", [item("a"), item("b"), item("c"), item("d", kind="social")])
    wh.save_enrichment(
        con,
        [
            enriched("a", (-0.8, None, None)),
            enriched("b", (0.8, None, None)),
            enriched("d", (0.0, None, None)),
        ],
        "v1",
    )
    rows = con.execute(
        "SELECT week, iso_week, kind, docs, avg_sentiment, negative_share, positive_share "
        "FROM sentiment_weekly ORDER BY kind"
    ).fetchall()
    assert rows == [
        (MONDAY_W41.date(), "2026-W41", "review", 2, 0.0, 0.5, 0.5),
        (MONDAY_W41.date(), "2026-W41", "social", 1, 0.0, 0.0, 0.0),
    ]
