"""Throughput and peak memory of every pipeline step on a generated corpus (default 100,000 items).

    .venv/bin/python bench/bench_pipeline.py [--items 100000] [--weeks 12] [--workers 1 2]

Writes the corpus and a scratch warehouse under bench/out/ (gitignored) and prints a Markdown table:
docs/s per step (ingest, normalize, clauses, segment, sentiment, stages), the end-to-end run
(ingest → enrich → pain points → digest on a fresh DuckDB file) and peak resident memory.
Numbers depend on the machine and its load: compare runs on the same machine only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import shutil
import sys
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voc import pipeline  # noqa: E402
from voc.config import DEFAULT_CONFIG, load_settings  # noqa: E402
from voc.demo import generate_demo  # noqa: E402
from voc.enrich import STEPS, Enricher, enrich_batches  # noqa: E402
from voc.ingest import read_source  # noqa: E402

OUT = ROOT / "bench" / "out"


def peak_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(self_kb, child_kb) / 1024


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--weeks", type=int, default=12)
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = p.parse_args()

    data = OUT / f"corpus-{args.items}"
    if not (data / "manifest.json").exists():
        t = perf_counter()
        generate_demo(data, n_items=args.items, weeks=args.weeks)
        print(f"generated {args.items} items in {perf_counter() - t:.1f}s", file=sys.stderr)
    base = load_settings(DEFAULT_CONFIG, env={})
    settings = dataclasses.replace(
        base,
        sources=tuple(dataclasses.replace(s, path=data / s.path.name) for s in base.sources),
        warehouse_path=OUT / "bench.duckdb",
        digest_dir=OUT / "digests",
    )
    results: dict[str, dict] = {}

    # ingest (read + decode + map + mask), no warehouse
    t = perf_counter()
    batches = [read_source(s, max_text_chars=settings.max_text_chars) for s in settings.sources]
    secs = perf_counter() - t
    items = [i for b in batches for i in b.items]
    results["ingest (read, decode, mask)"] = {"docs": sum(b.rows_read for b in batches), "seconds": secs}

    ids, texts = [i.id for i in items], [i.text for i in items]
    chars = sum(map(len, texts))
    enricher = Enricher(settings.lexicon_dir)
    t = perf_counter()
    for start in range(0, len(texts), 2000):
        enricher.enrich(ids[start : start + 2000], texts[start : start + 2000])
    total = perf_counter() - t
    for step in STEPS:
        results[f"  {step}"] = {"docs": len(texts), "seconds": enricher.timings[step]}
    results["enrich, 1 process (all steps)"] = {"docs": len(texts), "seconds": total}
    for w in args.workers:
        if w == 1:
            continue
        t = perf_counter()
        for _ in enrich_batches(ids, texts, lexicon_dir=settings.lexicon_dir, workers=w):
            pass
        results[f"enrich, {w} processes"] = {"docs": len(texts), "seconds": perf_counter() - t}

    if settings.warehouse_path.exists():
        settings.warehouse_path.unlink()
    shutil.rmtree(settings.digest_dir, ignore_errors=True)
    t = perf_counter()
    report = pipeline.run_all(settings)
    e2e = perf_counter() - t
    results["end to end (run_all, fresh warehouse)"] = {
        "docs": sum(r.rows_read for r in report.ingest),
        "seconds": e2e,
    }
    results["  of which pain points"] = {
        "docs": report.pain_points.negative_clauses,
        "seconds": report.pain_points.seconds,
        "unit": "clauses",
    }

    print(f"\ncorpus: {len(texts):,} landed items, {chars / max(len(texts), 1):.0f} chars/item on average\n")
    print("| step | items | seconds | items/s |\n|---|---:|---:|---:|")
    for name, r in results.items():
        rate = r["docs"] / r["seconds"] if r["seconds"] else float("inf")
        print(f"| {name} | {r['docs']:,} | {r['seconds']:.2f} | {rate:,.0f} |")
    print(f"\npeak resident memory: {peak_mb():,.0f} MB (largest of this process and its workers)")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(
        json.dumps({"items": args.items, "steps": results, "peak_mb": peak_mb()}, indent=2), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
