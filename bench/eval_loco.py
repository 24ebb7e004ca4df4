"""Leave-one-category-out (LOCO) sentiment evaluation on ../shared/data: a domain the model never saw.

    .venv/bin/python bench/eval_loco.py [--max-train 30000] [--max-test 3000] [--seed 0] [--only 书籍,waimai]

Held-out sets: each of the 9 categories of ``online_shopping_9_cats.csv`` (trained on the other 8
+ all of ``waimai_10k.csv``) and ``waimai`` (trained on the 9 shopping categories). Training sets
are capped at ``--max-train`` rows and test sets at ``--max-test`` (seeded samples) to keep the run
to minutes on 2 cores. Models compared, document label from :func:`voc.sentiment.label`:

* ``lexicon`` — the lexicon + Bayes scorer (no training), clause scores aggregated;
* ``char-lr`` — TF-IDF char 1–3 + logistic regression on the whole document (the reference);
* ``model/<mode>`` — :class:`voc.model.SentimentModel` (shipped settings), document score by
  ``clauses`` (aggregate of clause scores, the enrichment path), ``document`` (the whole text at
  once) or ``blend`` (both).

Macro-F1 counts a neutral prediction as wrong; ``sign`` ignores the band. Exits 0 with a message
when the corpora are absent. Nothing from the data is written anywhere.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path
from time import perf_counter

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from shared_data import DATA  # noqa: E402

from voc.model import SentimentModel, document_scores, flatten, prepare  # noqa: E402
from voc.model.evaluate import report  # noqa: E402
from voc.sentiment import SentimentScorer  # noqa: E402

#: The settings of the shipped model (bench/build_model uses the same).
SHIPPED = {"calibration_folds": 2}


def read_rows(extra: tuple[Path, ...] = ()) -> list[tuple[str, int, str]]:
    """(category, label, text) of both corpora (+ ``extra`` CSVs); waimai rows get ``waimai``."""
    rows = []
    for path in (DATA / "online_shopping_9_cats.csv", DATA / "waimai_10k.csv", *extra):
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            rows += [
                (r.get("cat") or Path(path).stem.split("_")[0], int(r["label"]), r["review"])
                for r in csv.DictReader(fh)
                if r.get("review") and r.get("label") in ("0", "1")
            ]
    return rows


def cap(idx: list[int], n: int, seed: int) -> list[int]:
    return sorted(random.Random(seed).sample(idx, n)) if len(idx) > n else idx


def char_lr(train_docs, y, test_docs) -> np.ndarray:
    """The reference: char 1–3 TF-IDF + LR on the joined text; score = 2p − 1."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2, dtype=np.float32)
    clf = LogisticRegression(C=1.0, solver="liblinear").fit(
        vec.fit_transform(["".join(t) for t in train_docs]), y
    )
    return 2 * clf.predict_proba(vec.transform(["".join(t) for t in test_docs]))[:, 1] - 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max-train", type=int, default=30000)
    ap.add_argument("--max-test", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default="", help="comma-separated held-out sets (default: all)")
    ap.add_argument(
        "--lexicon-mix",
        type=float,
        default=0.0,
        help="extra last column: blend evidence mixed with the lexicon scorer's at this weight",
    )
    ap.add_argument(
        "--no-char-lr", action="store_true", help="skip the char-lr reference (its column reads 0)"
    )
    ap.add_argument(
        "--balance-groups",
        action="store_true",
        help="SentimentModel(balance_groups=True): classes balanced per source",
    )
    ap.add_argument(
        "--extra-train",
        type=Path,
        action="append",
        default=[],
        help="CSV (review, label, cat) always in the training pool, never held out "
        "(e.g. bench/prepare_restaurant.py's output)",
    )
    args = ap.parse_args()
    if not (DATA / "online_shopping_9_cats.csv").is_file() or not (DATA / "waimai_10k.csv").is_file():
        print(f"eval_loco: labeled corpora not found in {DATA}; nothing to evaluate.")
        return 0
    rows = read_rows()
    held_out_cats = {c for c, _, _ in rows}
    rows = read_rows(tuple(args.extra_train))
    print(f"preparing {len(rows):,} texts (mask → normalize → clauses → segment) …", flush=True)
    docs = prepare([t for _, _, t in rows])
    flat = flatten(docs)
    cats = [c for c, _, _ in rows]
    y = np.array([g for _, g, _ in rows])
    lexicon = SentimentScorer.from_lexicons()
    held_sets = [c for c in sorted(held_out_cats) if not args.only or c in args.only.split(",")]
    print(
        "\n| held out | n test | lexicon | char-lr | model/clauses | model/document | model/blend "
        "| sign (blend) | neutral (blend) | model docs/s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for held in held_sets:
        tr = cap([i for i, c in enumerate(cats) if c != held], args.max_train, args.seed)
        te = cap([i for i, c in enumerate(cats) if c == held], args.max_test, args.seed)
        gold = y[te].tolist()
        lex_scores = document_scores(lexicon, [docs[i] for i in te], "clauses")
        lex = report(gold, lex_scores, docs_per_s=0, docs_per_s_total=0)
        ref_scores = (
            char_lr([flat[i] for i in tr], y[tr], [flat[i] for i in te])
            if not args.no_char_lr
            else lex_scores * 0
        )
        ref = report(gold, ref_scores, docs_per_s=0, docs_per_s_total=0)
        model = SentimentModel(**SHIPPED, balance_groups=args.balance_groups).fit(
            [flat[i] for i in tr], y[tr], groups=[cats[i] for i in tr]
        )
        cells = []
        for mode in ("clauses", "document", "blend"):
            test_docs = [docs[i] for i in te]
            t0 = perf_counter()
            scores = document_scores(model, test_docs, mode)
            dt = perf_counter() - t0
            cells.append(report(gold, scores, docs_per_s=len(te) / dt, docs_per_s_total=0))
        b = cells[2]
        mix = ""
        if args.lexicon_mix:
            w, cap_ = args.lexicon_mix, 0.9999
            ev = (1 - w) * np.arctanh(np.clip(scores, -cap_, cap_)) + w * np.arctanh(
                np.clip(lex_scores, -cap_, cap_)
            )
            mix = f" {report(gold, np.tanh(ev), docs_per_s=0, docs_per_s_total=0).macro_f1:.3f} |"
        print(
            f"| {held} | {len(te):,} | {lex.macro_f1:.3f} | {ref.macro_f1:.3f} | "
            + " | ".join(f"{c.macro_f1:.3f}" for c in cells)
            + f" | {b.binary_macro_f1:.3f} | {b.neutral_share:.1%} | {b.docs_per_s:,.0f} |"
            + mix,
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
