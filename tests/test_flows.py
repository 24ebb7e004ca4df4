"""The Prefect flows, end to end under Prefect's test harness (a real local API server)."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import write_config

pytestmark = pytest.mark.prefect


@pytest.fixture(scope="module")
def harness():
    from prefect.testing.utilities import prefect_test_harness

    import pipelines  # noqa: F401  (Prefect defaults for offline runs)

    with prefect_test_harness(server_startup_timeout=120):
        yield


def test_run_all_flow_builds_warehouse_and_digest(harness, tmp_path, demo_corpus):
    from pipelines.run_all import run_all_flow

    cfg = write_config(tmp_path, demo_corpus[0])
    result = run_all_flow(config=str(cfg))
    assert sum(r["rows_read"] for r in result["ingest"]) == demo_corpus[1].n_items + demo_corpus[1].bad_rows
    assert result["enrich"]["docs"] > 0
    assert result["pain_points"]["pain_points"] > 0
    html = (tmp_path / "digests").glob("digest-*.html")
    assert str(next(html)) == result["digest"]["html"]
    with duckdb.connect(str(tmp_path / "voc.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM feedback WHERE sentiment IS NOT NULL").fetchone()[0] > 0


def test_scheduled_flows_run_in_order(harness, tmp_path, demo_corpus):
    from pipelines.daily import daily_flow
    from pipelines.digest import digest_flow

    cfg = write_config(tmp_path, demo_corpus[0])
    daily = daily_flow(config=str(cfg))
    assert daily["enrich"]["docs"] == sum(r["rows_new"] for r in daily["ingest"]) > 0
    digest = digest_flow(config=str(cfg))
    assert digest["html"].endswith(".html")
    again = daily_flow(config=str(cfg))
    assert sum(r["rows_new"] for r in again["ingest"]) == 0 and again["enrich"]["docs"] == 0
