"""How stable and how right the pain-point catalogue is, on a generated demo corpus.

    .venv/bin/python bench/eval_catalogue.py [--items 6000] [--weeks 10]

Writes the corpus and a scratch warehouse under bench/out/catalogue/ (gitignored) and prints:

* **identity**: the share of negative clauses keeping their pain-point id on a re-run of the same data,
  and after adding the last week (the corpus is first run without it);
* **planted pain points** (the demo's answer key, ``manifest.json``): per planted pain point, precision
  and recall of the catalogue entry of the same name against clauses holding one of its marker words.
  A proxy: the markers are the generator's words and partly overlap the catalogue's, so precision is
  optimistic;
* **flags** of the last week in ``pain_point_weekly`` (the planted spike must be there).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from voc import pipeline  # noqa: E402
from voc.config import DEFAULT_CONFIG, load_settings  # noqa: E402
from voc.demo import generate_demo  # noqa: E402

#: planted pain point (manifest key) -> catalogue ids that stand for it
PLANTED = {"points_expire": ("points_expire", "points_useless")}


def _settings(out: Path, data: Path):
    base = load_settings(DEFAULT_CONFIG, env={})
    sources = tuple(dataclasses.replace(s, path=data / s.path.name) for s in base.sources)
    return dataclasses.replace(
        base, sources=sources, warehouse_path=out / "voc.duckdb", digest_dir=out / "digests", config_path=None
    )


def _assignments(settings) -> dict:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "SELECT feedback_id, position, pain_point_id FROM clauses WHERE label = 'negative'"
        )
        return {(f, p): pid for f, p, pid in rows.fetchall()}


def _run(settings) -> None:
    pipeline.ingest(settings)
    pipeline.enrich(settings)
    print(pipeline.find_pain_points(settings).line())


def identity(corpus: Path, out: Path, last_week: str):
    data = out / "data"
    for f in corpus.rglob("*"):
        if f.is_file() and f.suffix != ".json" and last_week not in f.name:
            (data / f.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copy(f, data / f.parent.name / f.name)
    settings = _settings(out, data)
    _run(settings)
    first = _assignments(settings)
    pipeline.find_pain_points(settings)
    same = _assignments(settings) == first
    for f in corpus.rglob(f"*{last_week}*"):
        shutil.copy(f, data / f.parent.name / f.name)
    _run(settings)
    second = _assignments(settings)
    kept = [second.get(k) == pid for k, pid in first.items() if pid]
    ids_before = {p for p in first.values() if p}
    ids_after = {p for p in second.values() if p}
    print(f"\nidentity: same data re-run identical: {same}; after adding {last_week}: "
          f"{sum(kept) / len(kept):.1%} of {len(kept)} assigned clauses keep their id; "
          f"{len(ids_before & ids_after)} of {len(ids_before)} ids still have clauses")  # fmt: skip
    return settings


def planted(settings, manifest) -> None:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        rows = con.execute("SELECT text, pain_point_id FROM clauses WHERE label = 'negative'").fetchall()
    print("\n| planted | stage | precision | recall | F1 |\n|---|---|---:|---:|---:|")
    total = [0, 0, 0]
    for p in manifest.pain_points:
        ids = PLANTED.get(p.key, (p.key,))
        marked = [any(w in t for w in p.markers) for t, _ in rows]
        got = [pid in ids for _, pid in rows]
        tp = sum(a and b for a, b in zip(marked, got, strict=True))
        fp, fn = sum(got) - tp, sum(marked) - tp
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        print(f"| {p.label} | {p.stage} | {_f(tp, fp, fn)} |")
    print(f"| all (micro) | | {_f(*total)} |")


def _f(tp: int, fp: int, fn: int) -> str:
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return f"{prec:.2f} | {rec:.2f} | {f1:.2f}"


def flags(settings, week: str) -> None:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "SELECT flag, pain_point_id, label, volume, round(baseline_mean, 1), round(z_score, 1), "
            "round(trend_slope, 1) FROM pain_point_weekly WHERE iso_week = ? AND flag IS NOT NULL "
            "ORDER BY flag, z_score DESC",
            [week],
        ).fetchall()
    print(f"\nflags in {week}: (flag, id, name, volume, baseline, z, slope/week)")
    for r in rows:
        print("  ", r)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=6000)
    ap.add_argument("--weeks", type=int, default=10)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "catalogue")
    args = ap.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    manifest = generate_demo(args.out / "corpus", n_items=args.items, weeks=args.weeks)
    last = manifest.spike["week"]
    settings = identity(args.out / "corpus", args.out / "run", last)
    planted(settings, manifest)
    flags(settings, last)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
