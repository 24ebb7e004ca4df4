"""Journey-stage mapping of negative mentions: the keyword tagger against the shipped mapping.

    PYTHONPATH=. .venv/bin/python bench/eval_stages.py [--sample 3000] [--no-demo]

1. Restaurant triplets (../shared/data, research-only): gold (sentence, stage) pairs are the stages
   of each sentence's NEG aspects (bench/stage_aspects.tsv, bench/stage_gold.py). Predictions are
   the ``neg_stages`` of the real enrichment path (``voc.enrich.Enricher``), so the sentiment
   model's clause labels decide "negative". Also shown with *gold polarity* (a clause is negative
   when it holds a NEG opinion of the annotation) to separate stage errors from sentiment errors.
   Pair precision / recall / F1 and per-stage P/R on dev and test (the model was tuned on train).
2. Demo corpus (generated, no shared data): each planted pain point's marker words name its
   stage; recall = share of documents with a marker whose ``neg_stages`` hold the planted stage.

Says so and exits 0 when ../shared/data is absent (the demo part still runs).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import tempfile
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from stage_gold import TRIPLETS, load_gold  # noqa: E402

from voc.enrich import Enricher  # noqa: E402
from voc.normalize import normalize  # noqa: E402


def prf(pred: set, gold: set) -> tuple[float, float, float]:
    tp = len(pred & gold)
    p, r = tp / max(1, len(pred)), tp / max(1, len(gold))
    return p, r, 2 * p * r / max(1e-9, p + r)


def predict(enricher: Enricher, docs, gold_polarity: bool) -> set[tuple[str, str]]:
    """(doc id, stage) pairs with a negative mention, via enrichment (or gold clause polarity)."""
    pairs: set[tuple[str, str]] = set()
    cut = enricher.segmenter.cut
    for start in range(0, len(docs), 2000):
        chunk = docs[start : start + 2000]
        out = enricher.enrich([d.doc_id for d in chunk], [d.text for d in chunk])
        for d, doc in zip(chunk, out):
            if not gold_polarity:
                pairs |= {(d.doc_id, s) for s in doc.neg_stages}
                continue
            toks = [cut(c.text) for c in doc.clauses]
            labels = ["negative" if c.position in d.neg_clauses else "positive" for c in doc.clauses]
            sent = [c.sentiment for c in doc.clauses]
            stages = enricher.tagger.tag_clauses(toks, labels, sent, [len(toks)], [doc.sentiment])
            pairs |= {(d.doc_id, s) for s, lab in zip(stages, labels) if s and lab == "negative"}
    return pairs


def report_triplets(sample: int) -> None:
    docs = load_gold()
    enricher = Enricher()
    model = enricher.tagger.model
    keys = [s.key for s in enricher.tagger.stages]
    print("## Restaurant triplets: (sentence, stage) pairs with a negative mention\n")
    print(
        f"stage model: {'shipped' if model else 'NONE (keywords only)'}; "
        f"sample ≤ {sample} sentences per split\n"
    )
    print("| split | polarity | mapping | gold pairs | predicted | P | R | F1 |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    per_stage = {}
    for split in ("dev", "test"):
        part = [d for d in docs if d.split == split]
        part = random.Random(0).sample(part, min(sample, len(part)))
        gold = {(d.doc_id, s) for d in part for s in d.neg_stages}
        for polarity in ("model", "gold"):
            for name, m in (("keywords (old)", None), ("keywords + model", model)):
                enricher.tagger.model = m
                t = perf_counter()
                pred = predict(enricher, part, polarity == "gold")
                p, r, f = prf(pred, gold)
                print(
                    f"| {split} | {polarity} | {name} | {len(gold)} | {len(pred)} "
                    f"| {p:.3f} | {r:.3f} | {f:.3f} | <!-- {perf_counter() - t:.1f}s -->"
                )
                if split == "test" and polarity == "model":
                    per_stage[name] = {
                        k: prf({x for x in pred if x[1] == k}, {x for x in gold if x[1] == k})
                        + (sum(x[1] == k for x in gold),)
                        for k in keys
                    }
    enricher.tagger.model = model
    print("\n### Per stage, test split, model polarity (P / R; n = gold pairs)\n")
    names = list(per_stage)
    print("| stage | n | " + " | ".join(names) + " |")
    print("|---|---:|" + "---|" * len(names))
    for k in keys:
        n = per_stage[names[0]][k][3]
        cells = " | ".join(f"{per_stage[nm][k][0]:.2f} / {per_stage[nm][k][1]:.2f}" for nm in names)
        print(f"| {k} | {n} | {cells} |")


def report_demo(items: int) -> None:
    from voc.config import DEFAULT_CONFIG, load_settings
    from voc.demo import generate_demo
    from voc.ingest import read_source

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "demo"
        generate_demo(data, n_items=items)
        manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
        base = load_settings(DEFAULT_CONFIG, env={})
        sources = [dataclasses.replace(s, path=data / s.path.name) for s in base.sources]
        found = [i for s in sources for i in read_source(s).items]
    enricher = Enricher()
    model = enricher.tagger.model
    norms = [normalize(i.text) for i in found]
    print(f"\n## Demo corpus ({len(found)} items): planted pain point found on its stage\n")
    print("| pain point | stage | docs with a marker | keywords (old) | keywords + model |")
    print("|---|---|---:|---:|---:|")
    results = {}
    for name, m in (("old", None), ("new", model)):
        enricher.tagger.model = m
        results[name] = enricher.enrich([i.id for i in found], [i.text for i in found])
    enricher.tagger.model = model
    for pp in manifest["pain_points"]:
        markers = [normalize(w) for w in pp["markers"]]
        idx = [j for j, n in enumerate(norms) if any(w in n for w in markers)]
        cells = []
        for name in ("old", "new"):
            hit = sum(pp["stage"] in results[name][j].neg_stages for j in idx)
            cells.append(f"{hit / max(1, len(idx)):.2f}")
        print(f"| {pp['label']} | {pp['stage']} | {len(idx)} | {cells[0]} | {cells[1]} |")
    for name in ("old", "new"):
        neg = sum(d.label == "negative" for d in results[name])
        pairs = sum(len(d.neg_stages) for d in results[name])
        print(f"\n{name}: {pairs} negative stage pairs over {neg} negative documents", end="")
    print()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=3000, help="sentences per split (dev, test)")
    ap.add_argument("--demo-items", type=int, default=3000)
    ap.add_argument("--no-demo", action="store_true")
    args = ap.parse_args()
    if TRIPLETS.is_file():
        report_triplets(args.sample)
    else:
        print(f"{TRIPLETS} not found: the triplet evaluation needs ../shared/data; skipped.")
    if not args.no_demo:
        report_demo(args.demo_items)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
