"""Build the shipped sentiment model from labeled CSV files (what ``voc train`` runs).

    .venv/bin/python -m voc.model.build ../shared/data/online_shopping_9_cats.csv \
        ../shared/data/waimai_10k.csv

Each CSV needs a text and a label column (1 positive / 0 negative); an optional group column
(``cat``) makes calibration out-of-domain; rows of a file without it form one group named after
the file. Writes :data:`voc.model.DEFAULT_MODEL` and its JSON card. No rows are copied anywhere.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from time import perf_counter

from voc.model.io import DEFAULT_MODEL, save_model
from voc.model.train import train_model


def read_labeled(
    path: Path, text_column: str, label_column: str, group_column: str | None
) -> tuple[list, list, list]:
    """(texts, labels, groups) of the rows with a text and a 0/1 label."""
    texts, labels, groups = [], [], []
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            text, y = row.get(text_column), (row.get(label_column) or "").strip()
            if text and y in ("0", "1"):
                texts.append(text)
                labels.append(int(y))
                groups.append((row.get(group_column) if group_column else None) or Path(path).stem)
    return texts, labels, groups


def build(
    paths: list[Path],
    out: Path,
    *,
    text_column="review",
    label_column="label",
    group_column="cat",
    extra=None,
) -> dict:
    """Train on every file, save to ``out`` with a card (plus ``extra`` entries); returns the card."""
    texts, labels, groups = [], [], []
    for p in paths:
        t, y, g = read_labeled(p, text_column, label_column, group_column)
        texts += t
        labels += y
        groups += g
    t0 = perf_counter()
    # balance_groups: a source that is mostly complaints must not teach its topic words to mean
    # negative (waimai → restaurant food words); +0.02 on restaurant dev, LOCO ±0.01 (MODEL_CARD.md)
    model = train_model(texts, labels, groups=groups, calibration_folds=2, balance_groups=True)
    card = {
        "training_data": [Path(p).name for p in paths],
        "n_train": len(texts),
        "groups": sorted(set(groups)),
        "train_seconds": round(perf_counter() - t0, 1),
        "neutral_logit": model.neutral_logit_,
        "platt": list(model.platt_),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in model.get_params().items()},
        "licence": "trained on research-only corpora (SophonPlus/ChineseNlpCorpus); no commercial licence",
        **(extra or {}),
    }
    save_model(model, out, card=card)
    return card


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--text-column", default="review")
    ap.add_argument("--label-column", default="label")
    ap.add_argument("--group-column", default="cat")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    ap.add_argument(
        "--card-extra", type=Path, help="JSON object merged into the card (e.g. measured metrics)"
    )
    args = ap.parse_args(argv)
    extra = json.loads(args.card_extra.read_text(encoding="utf-8")) if args.card_extra else None
    card = build(
        args.files,
        args.out,
        text_column=args.text_column,
        label_column=args.label_column,
        group_column=args.group_column,
        extra=extra,
    )
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) "
        f"from {card['n_train']:,} texts in {card['train_seconds']} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
