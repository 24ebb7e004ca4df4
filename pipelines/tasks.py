"""Prefect tasks: one per job of :mod:`voc.pipeline`, each a one-line call into the library."""

from __future__ import annotations

from datetime import date

from prefect import task

from voc import pipeline
from voc.config import Settings, load_settings


@task(name="load-settings")
def settings_task(config: str | None = None) -> Settings:
    return load_settings(config)


@task(name="ingest")
def ingest_task(settings: Settings) -> list[pipeline.IngestReport]:
    return pipeline.ingest(settings)


@task(name="enrich")
def enrich_task(settings: Settings) -> pipeline.EnrichReport:
    return pipeline.enrich(settings)


@task(name="pain-points")
def pain_points_task(settings: Settings) -> pipeline.PainPointReport:
    return pipeline.find_pain_points(settings)


@task(name="bursts")
def bursts_task(settings: Settings) -> pipeline.BurstReport:
    return pipeline.detect_bursts(settings)


@task(name="digest")
def digest_task(settings: Settings, week: date | None = None) -> tuple[str, str]:
    md, html = pipeline.write_digest(settings, week)
    return str(md), str(html)
