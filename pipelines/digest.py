"""Flow: the weekly pain-point digest (Markdown + HTML)."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger

from pipelines.tasks import bursts_task, digest_task, pain_points_task, settings_task


@flow(name="voc-weekly-digest", log_prints=True)
def digest_flow(
    config: str | None = None, week: date | None = None, refresh_pain_points: bool = True
) -> dict:
    """Refresh pain points and bursts (default) and write the digest for ``week`` (default: latest
    week with data)."""
    settings = settings_task(config)
    if refresh_pain_points:
        bursts_task(settings, wait_for=[pain_points_task(settings)])
    md, html = digest_task(settings, week)
    get_run_logger().info("digest written: %s", html)
    return {"markdown": md, "html": html}
