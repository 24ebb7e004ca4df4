"""Does adding a source domain help an unseen service domain? (fixed protocol, no test leakage)

    .venv/bin/python bench/eval_add_domain.py [--max-shop 20000] [--max-test 2000] [--seed 0]

Two unseen service domains, each scored by a model trained without it and one trained with the
other service domain added to the same product rows:

* **waimai held out** (seeded ``--max-test`` rows, as in ``bench/eval_loco.py``): shopping only vs
  shopping + the restaurant ``train`` sentences (``bench/prepare_restaurant.py``'s labels);
* **restaurant ``test`` held out** (all polar test sentences, ``bench/eval_restaurant.py``):
  shopping only vs shopping + waimai_10k.

Shopping = the same seeded ``--max-shop`` rows of ``online_shopping_9_cats.csv`` in every arm,
so an arm differs only by the added domain. A ``size-matched`` arm (shopping rows reduced by as
many rows as the domain adds) separates "another domain" from "more rows". Shipped model settings
(``balance_groups=True``, 2 group calibration folds), blend document score, neutral counts wrong.
Exits 0 with a message when the corpora are absent. Nothing from the data is written anywhere.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_loco import cap, read_rows  # noqa: E402
from eval_restaurant import FILE, evaluate_split, restaurant_sentences  # noqa: E402
from prepare_restaurant import train_rows  # noqa: E402
from shared_data import DATA  # noqa: E402

from voc.model import document_scores, prepare, train_model  # noqa: E402
from voc.model.evaluate import report  # noqa: E402


def fit(rows: list[tuple[str, int, str]]):
    """The shipped settings on (group, label, text) rows."""
    return train_model(
        [t for _, _, t in rows],
        [y for _, y, _ in rows],
        groups=[g for g, _, _ in rows],
        calibration_folds=2,
        balance_groups=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max-shop", type=int, default=20000)
    ap.add_argument("--max-test", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-size-matched", action="store_true")
    args = ap.parse_args()
    if not FILE.is_file() or not (DATA / "online_shopping_9_cats.csv").is_file():
        print(f"eval_add_domain: corpora not found in {DATA}; nothing to evaluate.")
        return 0
    rows = read_rows()
    shop_idx = [i for i, r in enumerate(rows) if r[0] != "waimai"]
    shop = [rows[i] for i in cap(shop_idx, args.max_shop, args.seed)]
    waimai_idx = [i for i, r in enumerate(rows) if r[0] == "waimai"]
    waimai = [rows[i] for i in waimai_idx]
    waimai_test = [rows[i] for i in cap(waimai_idx, args.max_test, args.seed)]
    rest = [("restaurant", y, t) for t, y in train_rows()]
    rest_test = restaurant_sentences()["test"]
    wt_docs = prepare([t for _, _, t in waimai_test])
    wt_gold = [y for _, y, _ in waimai_test]

    def cells(rep) -> str:
        c = rep.confusion
        return f"{rep.macro_f1:.3f} | {c[1][2] / max(1, sum(c[1])):.3f} | {c[0][0] / max(1, sum(c[0])):.3f}"

    def on_waimai(model) -> str:
        return cells(
            report(wt_gold, document_scores(model, wt_docs, "blend"), docs_per_s=0, docs_per_s_total=0)
        )

    def on_restaurant(model) -> str:
        return cells(evaluate_split(model, rest_test, "blend")[0])

    rng = np.random.default_rng(args.seed)
    arms = [
        ("waimai", "shopping", shop, on_waimai),
        ("waimai", "shopping + restaurant-train", shop + rest, on_waimai),
        ("restaurant/test", "shopping", shop, on_restaurant),
        ("restaurant/test", "shopping + waimai", shop + waimai, on_restaurant),
    ]
    if not args.no_size_matched:
        for held, extra, name, score in (
            ("waimai", rest, "restaurant-train", on_waimai),
            ("restaurant/test", waimai, "waimai", on_restaurant),
        ):
            keep = sorted(rng.choice(len(shop), max(0, len(shop) - len(extra)), replace=False))
            arms.append(
                (
                    held,
                    f"size-matched: shopping − {len(extra):,} + {name}",
                    [shop[i] for i in keep] + extra,
                    score,
                )
            )
    print(
        "\n| held out (unseen) | trained on | n train | macro-F1 (blend) | pos recall | neg recall |"
        "\n|---|---|---:|---:|---:|---:|"
    )
    for held, name, train, score in arms:
        print(f"| {held} | {name} | {len(train):,} | {score(fit(train))} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
