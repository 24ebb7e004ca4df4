"""Flow: cluster negative clauses into pain points."""

from __future__ import annotations

from prefect import flow, get_run_logger

from pipelines.tasks import bursts_task, pain_points_task, settings_task


@flow(name="voc-pain-points", log_prints=True)
def pain_points_flow(config: str | None = None) -> dict:
    """Pain points, then the coordinated bursts among negative social posts (which name them)."""
    settings = settings_task(config)
    report = pain_points_task(settings)
    get_run_logger().info(report.line())
    bursts = bursts_task(settings, wait_for=[report])
    get_run_logger().info(bursts.line())
    return {**vars(report), "bursts": vars(bursts)}
