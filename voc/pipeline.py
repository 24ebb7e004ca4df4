"""The batch jobs, as plain functions: ingest, enrich, pain points, digest, and all four in order.

Prefect flows in ``pipelines/`` and the ``voc`` CLI both call these. Each job holds the DuckDB
write connection only while it reads its input or writes its output, never while it computes,
so analysts can query the warehouse between writes.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from time import perf_counter

from voc import warehouse as wh
from voc.bursts import BurstReport, detect_bursts
from voc.config import Settings
from voc.enrich import enrich_batches, model_version
from voc.ingest import read_source
from voc.stages import load_stages

log = logging.getLogger("voc")

#: Feedback rows enriched and written per warehouse transaction.
ENRICH_WRITE_BATCH = 20_000


def new_run_id() -> str:
    return datetime.now().strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]


@dataclass
class IngestReport:
    source: str
    files_read: int
    files_skipped: int
    rows_read: int
    rows_landed: int
    rows_new: int
    rows_rejected: int
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.source}: {self.files_read} new file(s), {self.files_skipped} already ingested; "
            f"read {self.rows_read} = landed {self.rows_landed} ({self.rows_new} new) "
            f"+ rejected {self.rows_rejected}"
        )


def ingest(settings: Settings, *, run_id: str | None = None) -> list[IngestReport]:
    """Read every configured source's new file drops and land them (PII masked) in the warehouse."""
    run_id = run_id or new_run_id()
    reports = []
    for src in settings.sources:
        started = datetime.now()
        with wh.open_warehouse(settings) as con:
            known = wh.known_file_hashes(con, src.name)
        batch = read_source(src, known_hashes=known, max_text_chars=settings.max_text_chars)
        for problem in batch.problems:
            log.warning("%s", problem)
        with wh.open_warehouse(settings) as con:
            new = wh.land_feedback(con, run_id, batch.items)
            wh.land_rejected(con, run_id, batch.rejected)
            wh.record_files(con, run_id, src.name, batch.files)
            report = IngestReport(
                src.name,
                len(batch.files),
                len(batch.skipped_files),
                batch.rows_read,
                len(batch.items),
                new,
                len(batch.rejected),
                list(batch.problems),
            )
            wh.record_ingest_run(
                con,
                run_id=run_id,
                source=src.name,
                started_at=started,
                finished_at=datetime.now(),
                status="ok",
                files_read=report.files_read,
                files_skipped=report.files_skipped,
                rows_read=report.rows_read,
                rows_landed=report.rows_landed,
                rows_new=report.rows_new,
                rows_rejected=report.rows_rejected,
                message="; ".join(batch.problems)[:2000],
            )
        log.info("%s", report.line())
        reports.append(report)
    return reports


@dataclass
class EnrichReport:
    docs: int
    clauses: int
    seconds: float
    model_version: str

    def line(self) -> str:
        rate = self.docs / self.seconds if self.seconds else 0.0
        return (
            f"enriched {self.docs} feedback item(s), {self.clauses} clause(s) in {self.seconds:.1f}s "
            f"({rate:,.0f} docs/s, model {self.model_version})"
        )


def enrich(settings: Settings) -> EnrichReport:
    """Score every feedback item not yet enriched by the current model, clause by clause."""
    t0 = perf_counter()
    with wh.open_warehouse(settings) as con:
        active = wh.active_model(con)
        model_path = Path(active.path) if active else None
        version = model_version(settings.lexicon_dir, model_path)
        wh.sync_stages(con, load_stages(settings.lexicon_dir))
        pending = wh.pending_feedback(con, version)
    docs = clauses = 0
    for start in range(0, len(pending), ENRICH_WRITE_BATCH):
        part = pending[start : start + ENRICH_WRITE_BATCH]
        enriched = [
            d
            for chunk in enrich_batches(
                [p[0] for p in part],
                [p[1] for p in part],
                lexicon_dir=settings.lexicon_dir,
                model_path=model_path,
                workers=settings.workers,
            )
            for d in chunk
        ]
        with wh.open_warehouse(settings) as con:
            wh.save_enrichment(con, enriched, version)
        docs += len(enriched)
        clauses += sum(len(d.clauses) for d in enriched)
    report = EnrichReport(docs, clauses, perf_counter() - t0, version)
    log.info("%s", report.line())
    return report


@dataclass
class PainPointReport:
    negative_clauses: int
    assigned: int
    pain_points: int
    seconds: float
    curated: int = 0  # pain points with clauses that are entries of lexicons/pain_points.yaml
    proposed: int = 0  # pain points with clauses that the catalogue file does not cover yet

    def line(self) -> str:
        share = self.assigned / self.negative_clauses if self.negative_clauses else 0.0
        return (
            f"{self.pain_points} pain point(s) ({self.curated} from the catalogue, {self.proposed} proposed) "
            f"from {self.negative_clauses} negative clause(s), {share:.0%} assigned, in {self.seconds:.1f}s"
        )


def find_pain_points(settings: Settings, *, run_id: str | None = None) -> PainPointReport:
    """Cluster all negative clauses, put clusters and clauses on catalogue ids (stable across runs),
    and tag each clause with its pain point and its (aspect, opinion)."""
    from voc.catalogue import combine, load_catalogue, proposals_from_rows
    from voc.catalogue_match import CatalogueMatcher
    from voc.painpoints import PainPointClusterer  # scikit-learn: imported only by the jobs that need it

    t0 = perf_counter()
    run_id = run_id or new_run_id()
    curated = load_catalogue(settings.lexicon_dir)
    with wh.open_warehouse(settings) as con:
        rows = wh.negative_clauses(con)
        previous = wh.previous_pain_points(con)
        known = proposals_from_rows(wh.read_proposals(con))
    texts, tokens, stages = [r[2] for r in rows], [list(r[3]) for r in rows], [r[4] for r in rows]
    model = PainPointClusterer(lexicon_dir=settings.lexicon_dir).fit(texts, tokens, stages)
    mentions = getattr(model, "mentions_", None)  # set by voc.opinions-aware clusterers
    matcher = CatalogueMatcher(combine(curated, known), lexicon_dir=settings.lexicon_dir).fit(
        model.points_, model.labels_, texts, tokens, stages, mentions, previous
    )
    assignments = [(r[0], r[1], pid) for r, pid in zip(rows, matcher.ids_, strict=True)]
    pairs = [(m.aspect, m.opinion) if m else (None, None) for m in mentions] if mentions else None
    with wh.open_warehouse(settings) as con:
        wh.save_pain_points(con, run_id, matcher.points_, assignments, pairs)
        wh.save_catalogue(con, run_id, [*curated, *matcher.proposals_.values()])
    report = PainPointReport(
        len(rows),
        sum(1 for a in assignments if a[2]),
        len(matcher.points_),
        perf_counter() - t0,
        curated=sum(1 for p in matcher.points_ if p.status == "catalogue"),
        proposed=sum(1 for p in matcher.points_ if p.status == "proposed"),
    )
    log.info("%s", report.line())
    return report


def write_digest(settings: Settings, week: date | None = None) -> tuple[Path, Path]:
    """Write the weekly digest (Markdown and HTML) for ``week`` (default: the latest week with data)."""
    from voc.digest import write_digest as _write

    md, html = _write(settings, week)
    log.info("digest written: %s and %s", md, html)
    return md, html


@dataclass
class RunReport:
    ingest: list[IngestReport]
    enrich: EnrichReport
    pain_points: PainPointReport
    bursts: BurstReport
    digest: tuple[Path, Path]
    seconds: float


def run_all(settings: Settings, week: date | None = None) -> RunReport:
    """Ingest → enrich → pain points → coordinated bursts → digest, in order."""
    t0 = perf_counter()
    run_id = new_run_id()
    ing = ingest(settings, run_id=run_id)
    enr = enrich(settings)
    pp = find_pain_points(settings, run_id=run_id)
    bursts = detect_bursts(settings, run_id=run_id)  # names the pain point of a burst: after pain points
    paths = write_digest(settings, week)
    return RunReport(ing, enr, pp, bursts, paths, perf_counter() - t0)
