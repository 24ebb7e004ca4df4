"""Flow: the daily batch — ingest new drops, then enrich them."""

from __future__ import annotations

from prefect import flow

from pipelines.tasks import enrich_task, ingest_task, settings_task


@flow(name="voc-daily", log_prints=True)
def daily_flow(config: str | None = None) -> dict:
    settings = settings_task(config)
    ingest_reports = ingest_task(settings)
    enrich_report = enrich_task(settings, wait_for=[ingest_reports])
    return {"ingest": [vars(r) for r in ingest_reports], "enrich": vars(enrich_report)}
