"""Flow: cluster negative clauses into pain points."""

from __future__ import annotations

from prefect import flow, get_run_logger

from pipelines.tasks import pain_points_task, settings_task


@flow(name="voc-pain-points", log_prints=True)
def pain_points_flow(config: str | None = None) -> dict:
    report = pain_points_task(settings_task(config))
    get_run_logger().info(report.line())
    return vars(report)
