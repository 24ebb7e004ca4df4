"""Throughput of the warehouse writes on synthetic rows: ``python bench/bench_warehouse.py [N]``.

Writes to a temporary DuckDB file and prints rows/s for land_feedback (new rows, then the same rows
again as a no-op upsert), save_enrichment (documents + 3 clauses each) and save_pain_points.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from voc import warehouse as wh
from voc.records import Clause, EnrichedFeedback, PainPoint, RawFeedback

WORDS = ("物流", "太慢", "客服", "态度", "很好", "退款", "排队", "包装", "破损", "味道")


def make_items(n: int) -> list[RawFeedback]:
    start = datetime(2026, 6, 1)
    return [
        RawFeedback(
            id=f"f{i:08d}",
            source="bench",
            kind="review",
            source_id=str(i),
            text=f"第{i}条：{WORDS[i % 10]}{WORDS[(i * 7) % 10]}，{WORDS[(i * 3) % 10]}",
            created_at=start + timedelta(minutes=7 * i),
            rating=float(i % 5 + 1),
            product="p",
            store=f"s{i % 40}",
            origin=f"bench.csv:{i + 2}",
        )
        for i in range(n)
    ]


def make_enriched(items: list[RawFeedback]) -> list[EnrichedFeedback]:
    out = []
    for n, it in enumerate(items):
        clauses = tuple(
            Clause(
                feedback_id=it.id,
                position=p,
                text=f"{WORDS[(n + p) % 10]}",
                sentiment=-0.5 + 0.5 * p,
                label=("negative", "neutral", "positive")[p],
                stage=("delivery", None, "service")[p],
                tokens=(WORDS[(n + p) % 10], WORDS[(n + p + 1) % 10]),
            )
            for p in range(3)
        )
        out.append(
            EnrichedFeedback(
                id=it.id,
                text_norm=it.text,
                sentiment=0.0,
                label="neutral",
                stages=("delivery", "service"),
                neg_stages=("delivery",),
                clauses=clauses,
            )
        )
    return out


def timed(label: str, rows: int, fn) -> None:
    t0 = time.perf_counter()
    fn()
    dt = time.perf_counter() - t0
    print(f"{label:<40} {rows:>9,} rows {dt:7.2f} s {rows / dt:>12,.0f} rows/s")


def main(n: int) -> None:
    items = make_items(n)
    docs = make_enriched(items)
    with tempfile.TemporaryDirectory() as tmp:
        con = wh.connect(Path(tmp) / "bench.duckdb")
        wh.migrate(con)
        wh.apply_views(con)
        timed("land_feedback (all new)", n, lambda: wh.land_feedback(con, "r1", items))
        timed("land_feedback (all present, no-op)", n, lambda: wh.land_feedback(con, "r2", items))
        timed("save_enrichment (docs; 3 clauses each)", n, lambda: wh.save_enrichment(con, docs, "v1"))
        timed("save_enrichment again (replace)", n, lambda: wh.save_enrichment(con, docs, "v2"))
        neg = wh.negative_clauses(con)
        points = [
            PainPoint(id=f"p{k}", label=WORDS[k], stage="delivery", size=0, terms=(), examples=())
            for k in range(10)
        ]
        assign = [(f, p, f"p{i % 10}") for i, (f, p, *_rest) in enumerate(neg)]
        timed(
            "save_pain_points (clause assignments)",
            len(assign),
            lambda: wh.save_pain_points(con, "pp", points, assign),
        )
        timed("pending_feedback (none pending)", n, lambda: wh.pending_feedback(con, "v2"))
        t0 = time.perf_counter()
        con.execute("SELECT * FROM pain_point_weekly").fetchall()
        con.execute("SELECT * FROM stage_weekly").fetchall()
        print(f"{'pain_point_weekly + stage_weekly query':<40} {time.perf_counter() - t0:22.2f} s")
        con.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
