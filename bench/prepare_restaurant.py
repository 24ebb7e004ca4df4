"""Write the restaurant ``train`` sentences as a labeled CSV for ``voc train`` (outside the repo).

    .venv/bin/python bench/prepare_restaurant.py /tmp/restaurant_train.csv

Sentence labels as ``bench/eval_restaurant.py`` builds them (every triplet POS → 1, every triplet
NEG → 0; mixed / NEU sentences dropped; deduplicated, and a sentence also in ``test`` or ``dev`` is
left out), from the ``train`` split only, so the test split stays untouched. Columns ``review``,
``label``, ``cat`` (= ``restaurant``), the format of the other corpora, so the three files go to one
``voc train --group-column cat`` call. The output holds research-only rows: the script refuses
to write inside the repository. Exits 0 with a message when the corpus is absent.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_restaurant import FILE, restaurant_sentences  # noqa: E402


def train_rows() -> list[tuple[str, int]]:
    """(sentence, 1/0) of the polar, deduplicated ``train`` sentences."""
    return [(t, int(g == "positive")) for t, g in restaurant_sentences()["train"] if g != "mixed"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path, help="CSV to write (outside the repository)")
    args = ap.parse_args(argv)
    if not FILE.is_file():
        print(f"prepare_restaurant: {FILE} not found; nothing written.")
        return 0
    out = args.out.resolve()
    if out.is_relative_to(ROOT):
        print(f"prepare_restaurant: refusing to write research-only rows inside the repo ({out})")
        return 2
    rows = train_rows()
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["review", "label", "cat"])
        w.writerows((t, y, "restaurant") for t, y in rows)
    n_pos = sum(y for _, y in rows)
    print(f"wrote {out}: {len(rows):,} sentences ({n_pos:,} positive / {len(rows) - n_pos:,} negative)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
