"""Flow: the whole pipeline in order — ingest, enrich, pain points, weekly digest."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger

from pipelines.tasks import (
    bursts_task,
    digest_task,
    enrich_task,
    ingest_task,
    pain_points_task,
    settings_task,
)


@flow(name="voc-run-all", log_prints=True)
def run_all_flow(config: str | None = None, week: date | None = None) -> dict:
    logger = get_run_logger()
    settings = settings_task(config)
    ingest_reports = ingest_task(settings)
    for r in ingest_reports:
        logger.info(r.line())
    enrich_report = enrich_task(settings, wait_for=[ingest_reports])
    logger.info(enrich_report.line())
    pain_report = pain_points_task(settings, wait_for=[enrich_report])
    logger.info(pain_report.line())
    burst_report = bursts_task(settings, wait_for=[pain_report])
    logger.info(burst_report.line())
    md, html = digest_task(settings, week, wait_for=[burst_report])
    logger.info("digest written: %s", html)
    return {
        "ingest": [vars(r) for r in ingest_reports],
        "enrich": vars(enrich_report),
        "pain_points": vars(pain_report),
        "bursts": vars(burst_report),
        "digest": {"markdown": md, "html": html},
    }
