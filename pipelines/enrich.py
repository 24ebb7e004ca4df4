"""Flow: score feedback not yet enriched (sentiment, clauses, journey stages)."""

from __future__ import annotations

from prefect import flow, get_run_logger

from pipelines.tasks import enrich_task, settings_task


@flow(name="voc-enrich", log_prints=True)
def enrich_flow(config: str | None = None) -> dict:
    report = enrich_task(settings_task(config))
    get_run_logger().info(report.line())
    return vars(report)
