"""Pain-point clustering: purity on the restaurant triplets, planted pain points of the demo.

    python bench/eval_painpoints.py [--csv PATH] [--warehouse warehouse/voc.duckdb]

1. **Triplets** (research-only, never copied here; skipped when absent): every clause of a dev/test
   sentence that holds a NEG triplet's opinion is one negative clause, its gold label the triplet's
   aspect (IMPLICIT included). The clauses are clustered (stage from the keyword tagger, clauses
   with no stage allowed: ``unstaged=True``), then: **purity** = clauses whose cluster's majority
   gold aspect is theirs / assigned clauses, against the raw gold aspect and against its aspect
   category (the aspects.yaml group of the gold term, the term itself when unknown), and the
   **share left unassigned**.
2. **Demo** (after ``python -m voc.cli demo-data`` and ``python -m voc.cli run``): for each planted
   pain point of ``demo/data/manifest.json``, its negative clauses are those holding one of its
   marker words; printed: the pain point holding most of them (label, stage) and that share.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from time import perf_counter

import duckdb

from voc.clauses import split_clauses
from voc.painpoints import PainPointClusterer
from voc.segment import get_segmenter
from voc.stages import StageTagger

sys.path.insert(0, str(Path(__file__).parent))
from eval_opinions import DEFAULT_CSV, load  # noqa: E402


def purity(labels, gold) -> float:
    by: dict[str, Counter] = defaultdict(Counter)
    for pid, g in zip(labels, gold):
        if pid is not None:
            by[pid][g] += 1
    assigned = sum(sum(c.values()) for c in by.values())
    return sum(c.most_common(1)[0][1] for c in by.values()) / assigned if assigned else 0.0


def triplets(path: Path) -> None:
    if not path.exists():
        print(f"{path} not found: the triplet corpus is research-only, not shipped; skipping part 1.")
        return
    data = load(path, {"dev", "test"}, None)
    seg, tagger = get_segmenter(), StageTagger.from_lexicons()
    texts, gold = [], []
    for text, neg in data.values():
        for clause in split_clauses(text):
            hit = next((a for a, o in neg if o and o in clause), None)
            if hit is not None:
                texts.append(clause)
                gold.append(hit)
    tokens = [seg.cut(t) for t in texts]
    stages = [tagger.tag(t) for t in tokens]
    print(f"triplets: {len(texts)} NEG clauses (dev+test)")
    print(
        f"  {'merge_unlisted':<15} {'points':>6} {'purity/aspect':>13} {'purity/category':>15}"
        f" {'unassigned':>10}"
    )
    for merge in (False, True):
        t0 = perf_counter()
        model = PainPointClusterer(unstaged=True, merge_unlisted=merge).fit(texts, tokens, stages)
        secs = perf_counter() - t0
        ex = model.extractor_
        category = [g if g == "IMPLICIT" else ex.group(ex.lexicon_.aspect_of.get(g, g)) for g in gold]
        unassigned = sum(p is None for p in model.labels_) / len(texts)
        print(
            f"  {str(merge):<15} {len(model.points_):>6} {purity(model.labels_, gold):>13.3f}"
            f" {purity(model.labels_, category):>15.3f} {unassigned:>10.3f}   ({secs:.1f}s)"
        )
    print("  largest: " + ", ".join(f"{p.label}({p.size})" for p in model.points_[:12]))


def demo(warehouse: Path, manifest: Path) -> None:
    if not warehouse.exists() or not manifest.exists():
        print(f"{warehouse} or {manifest} missing: run `voc.cli demo-data`, then `voc.cli run`.")
        return
    planted = json.loads(manifest.read_text(encoding="utf-8"))["pain_points"]
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute(
        "SELECT c.text, c.pain_point_id, p.label, p.stage FROM clauses c "
        "LEFT JOIN pain_points p ON p.id = c.pain_point_id WHERE c.label = 'negative'"
    ).fetchall()
    top = con.execute("SELECT label FROM pain_points ORDER BY size DESC, label LIMIT 20").fetchall()
    con.close()
    print(
        f"demo: {len(rows)} negative clauses, {sum(r[1] is not None for r in rows) / len(rows):.0%} assigned"
    )
    print(
        f"  {'planted':<10} {'stage':<14} {'clauses':>7}  {'dominant pain point':<16} {'its stage':<14} share"
    )
    for p in planted:
        mine = [r for r in rows if any(m in r[0] for m in p["markers"])]
        held = Counter((r[2], r[3]) for r in mine if r[1] is not None)
        (label, stage), n = held.most_common(1)[0] if held else ((None, None), 0)
        share = n / len(mine) if mine else 0.0
        print(
            f"  {p['label']:<10} {p['stage']:<14} {len(mine):>7}  {label or '-':<16} {stage or '-':<14}"
            f" {share:.0%}"
        )
    owner = [next((p["label"] for p in planted if any(m in r[0] for m in p["markers"])), "-") for r in rows]
    print(f"  purity vs planted pain point ('-' = none planted): {purity([r[1] for r in rows], owner):.3f}")
    print("  top 20: " + " ".join(t[0] for t in top))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--warehouse", type=Path, default=Path("warehouse/voc.duckdb"))
    ap.add_argument("--manifest", type=Path, default=Path("demo/data/manifest.json"))
    args = ap.parse_args(argv)
    triplets(args.csv)
    demo(args.warehouse, args.manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
