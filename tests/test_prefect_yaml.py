"""prefect.yaml: every entrypoint imports and names a flow; schedules are what operators expect."""

from __future__ import annotations

import importlib.util

import pytest
import yaml

from voc.paths import PROJECT_ROOT

DEPLOYMENTS = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]


@pytest.mark.parametrize("deployment", DEPLOYMENTS, ids=[d["name"] for d in DEPLOYMENTS])
def test_entrypoint_imports_a_flow(deployment):
    from prefect import Flow

    path, _, name = deployment["entrypoint"].partition(":")
    spec = importlib.util.spec_from_file_location(f"_entry_{deployment['name']}", PROJECT_ROOT / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert isinstance(getattr(module, name), Flow)
    assert deployment["work_pool"]["name"] == "voc-process"


def schedules(name: str) -> list[dict]:
    return next(d for d in DEPLOYMENTS if d["name"] == name).get("schedules", [])


def test_ingest_and_enrich_run_daily_in_beijing_time():
    [s] = schedules("daily-ingest-enrich")
    assert s["cron"].split()[2:] == ["*", "*", "*"]
    assert s["timezone"] == "Asia/Shanghai"


def test_weekly_digest_runs_monday_0900_beijing_time():
    [s] = schedules("weekly-digest")
    assert s["cron"] == "0 9 * * 1"
    assert s["timezone"] == "Asia/Shanghai"
