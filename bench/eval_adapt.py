"""Domain adaptation by self-training on unlabeled target text: does it beat the base model out of domain?

    .venv/bin/python bench/eval_adapt.py [--sets restaurant,waimai,书籍] [--rounds 2] [--share 0.5]
        [--weight 0.5] [--no-balance] [--refit] [--max-train 20000] [--max-test 2000] [--max-pool 8000]

Fixed protocol, no label of the target is ever read before scoring the test rows:

* **LOCO sets** (a category of ``online_shopping_9_cats`` or ``waimai``): the base model is trained
  on the other sets (seeded cap ``--max-train``, shipped settings). The held-out set's rows are
  split by a seeded shuffle into a *test* half (capped at ``--max-test``) and a disjoint *pool*
  (capped at ``--max-pool``) whose texts — labels dropped — are the unlabeled target data.
* **restaurant** (hotel-like, ``bench/eval_restaurant.py``): the base is the shipped model (trained
  on all 10 sets); the pool is every sentence of the ``train`` split (mixed ones too, unlabeled);
  scores are reported on ``dev`` (the split settings may be chosen on) and ``test`` (the number).

Methods: ``base``; ``adapted`` = :class:`voc.model.adapt.AdaptedModel` (source-free: base + a target
model fitted on pseudo-labels, what ``voc train --adapt-from-warehouse`` ships); ``--refit`` adds
``refit`` = one SentimentModel fitted on source + pseudo-labeled pool (needs the source corpora,
so only a rebuild of the shipped model could use it). Macro-F1 counts neutral as wrong.
Exits 0 with a message when the corpora are absent.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from time import perf_counter

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_loco import SHIPPED, read_rows  # noqa: E402
from eval_restaurant import FILE as RESTAURANT  # noqa: E402
from eval_restaurant import restaurant_sentences  # noqa: E402
from shared_data import DATA  # noqa: E402

from voc.model import SentimentModel, document_scores, flatten, load_default_scorer, prepare  # noqa: E402
from voc.model.adapt import AdaptedModel, select_pseudo_labels  # noqa: E402
from voc.model.evaluate import report  # noqa: E402


def f1(model, docs, gold) -> str:
    rep = report(gold, document_scores(model, docs, "blend"), docs_per_s=0, docs_per_s_total=0)
    return f"{rep.macro_f1:.3f}"


def pseudo_quality(model, docs, gold, args) -> str:
    """Accuracy of the first round's pseudo-labels on the pool (read AFTER adaptation, for the report)."""
    idx, lab = select_pseudo_labels(document_scores(model, docs, "blend"), args.share, not args.no_balance)
    return f"{np.mean(np.asarray(gold)[idx] == lab):.3f} of {len(idx):,}" if len(idx) else "-"


def adapt(base, pool_docs, args):
    t0 = perf_counter()
    m = AdaptedModel(
        base,
        rounds=args.rounds,
        share=args.share,
        balance=not args.no_balance,
        weight=args.weight,
        prior_shift=not args.no_shift,
    ).fit(pool_docs)
    return m, perf_counter() - t0


def refit(src_flat, y_src, groups, base, pool_docs, args):
    idx, lab = select_pseudo_labels(
        document_scores(base, pool_docs, "blend"), args.share, not args.no_balance
    )
    pool_flat = flatten(pool_docs)
    X = list(src_flat) + [pool_flat[i] for i in idx]
    return SentimentModel(**SHIPPED).fit(
        X, np.concatenate([y_src, lab]), groups=list(groups) + ["target"] * len(idx)
    )


def run_loco(held, rows, docs, args, out):
    cats = [c for c, _, _ in rows]
    y = np.array([g for _, g, _ in rows])
    src = [i for i, c in enumerate(cats) if c != held]
    src = sorted(random.Random(args.seed).sample(src, args.max_train)) if len(src) > args.max_train else src
    tgt = [i for i, c in enumerate(cats) if c == held]
    random.Random(args.seed).shuffle(tgt)
    half = len(tgt) // 2
    test, pool = sorted(tgt[:half][: args.max_test]), sorted(tgt[half:][: args.max_pool])
    flat = flatten(docs)
    base = SentimentModel(**SHIPPED).fit([flat[i] for i in src], y[src], groups=[cats[i] for i in src])
    test_docs, gold = [docs[i] for i in test], y[test].tolist()
    pool_docs = [docs[i] for i in pool]
    m, dt = adapt(base, pool_docs, args)
    shifted = AdaptedModel(base, rounds=0).fit(pool_docs)
    cells = [f1(base, test_docs, gold), f1(shifted, test_docs, gold), f1(m, test_docs, gold)]
    if args.refit:
        r = refit([flat[i] for i in src], y[src], [cats[i] for i in src], shifted, pool_docs, args)
        cells.append(f1(r, test_docs, gold))
    q = pseudo_quality(base, pool_docs, y[pool].tolist(), args) + f", shift {m.shift_:+.2f}"
    out(f"| {held} | {len(test):,} | {len(pool):,} | " + " | ".join(cells) + f" | {q} | {dt:.0f} s |")


def run_restaurant(args, out, src=None):
    data = restaurant_sentences()
    pool_docs = prepare([t for t, _ in data["train"]])
    base = load_default_scorer()
    m, dt = adapt(base, pool_docs, args)
    shifted = AdaptedModel(base, rounds=0).fit(pool_docs)
    for split in ("dev", "test"):
        polar = [(t, 1 if g == "positive" else 0) for t, g in data[split] if g != "mixed"]
        d, gold = prepare([t for t, _ in polar]), [g for _, g in polar]
        cells = [f1(base, d, gold), f1(shifted, d, gold), f1(m, d, gold)]
        if args.refit and src is not None:
            cells.append(f1(refit(*src, base, pool_docs, args), d, gold))
        out(
            f"| restaurant/{split} | {len(polar):,} | {len(pool_docs):,} | "
            + " | ".join(cells)
            + f" | - | {dt:.0f} s |"
        )
    out(f"  (restaurant: prior shift {m.shift_:+.2f} log-odds; pseudo-labels per round: {m.history_})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="restaurant,waimai,书籍,蒙牛,热水器,计算机")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--share", type=float, default=0.5)
    ap.add_argument("--weight", type=float, default=0.5)
    ap.add_argument("--no-balance", action="store_true")
    ap.add_argument("--no-shift", action="store_true", help="no EM prior shift")
    ap.add_argument("--refit", action="store_true", help="also source + pseudo-label refit (LOCO only)")
    ap.add_argument("--max-train", type=int, default=20000)
    ap.add_argument("--max-test", type=int, default=2000)
    ap.add_argument("--max-pool", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    sets = args.sets.split(",")
    print(f"settings: {vars(args)}")
    print(
        "\n| held out | n test | n pool | base | prior shift | adapted | "
        + ("refit | " if args.refit else "")
        + "pseudo-label accuracy (round 1) | adapt time |"
    )
    print("|---|---:|---:|---:|---:|---:|" + ("---:|" if args.refit else "") + "---:|---:|")

    def out(line):
        print(line, flush=True)

    if "restaurant" in sets:
        if RESTAURANT.is_file():
            run_restaurant(args, out)
        else:
            print(f"restaurant: {RESTAURANT} not found, skipped")
    loco = [s for s in sets if s != "restaurant"]
    if loco:
        if not (DATA / "online_shopping_9_cats.csv").is_file():
            print(f"eval_adapt: labeled corpora not found in {DATA}; LOCO skipped.")
            return 0
        rows = read_rows()
        docs = prepare([t for _, _, t in rows])
        for held in loco:
            run_loco(held, rows, docs, args, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
