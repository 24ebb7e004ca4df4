"""Flow: land new file drops of every configured source."""

from __future__ import annotations

from prefect import flow, get_run_logger

from pipelines.tasks import ingest_task, settings_task


@flow(name="voc-ingest", log_prints=True)
def ingest_flow(config: str | None = None) -> list[dict]:
    """Read new files of each source in the config (default: voc.toml) into the warehouse."""
    reports = ingest_task(settings_task(config))
    for r in reports:
        get_run_logger().info(r.line())
    return [vars(r) for r in reports]
