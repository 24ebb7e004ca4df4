"""Accuracy, macro-F1 and speed of the sentiment baseline on the labeled corpora in ../shared/data.

    .venv/bin/python bench/eval_sentiment.py [--shopping-sample 6000] [--seed 0]

Corpora (binary labels, 1 pos / 0 neg): all of ``waimai_10k.csv`` and a seeded random sample of
``online_shopping_9_cats.csv``. Each review goes through the production path: normalize → clauses →
segment → clause scores → :func:`voc.sentiment.aggregate` → :func:`voc.sentiment.label`.

A document labelled *neutral* is counted as WRONG in accuracy and macro-F1 (the corpora have no
neutral class); the neutral share and the accuracy on the documents that got a polar label are
printed beside it. Ablations show what each evidence layer contributes. Speed is the scorer alone
on already-segmented clauses, and the whole path from raw text. Prints a message and exits 0 when
the corpora are absent. The data is research-only: nothing from it is written anywhere.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from shared_data import DATA  # noqa: E402

from voc.segment import get_segmenter  # noqa: E402
from voc.sentiment import SentimentScorer, aggregate, label  # noqa: E402

SHIPPED_NOTE = "shipped model (trained on these corpora: in-domain, optimistic; see bench/eval_loco.py)"

_FALLBACK_SPLIT = re.compile(r"[，,。.！!？?；;~～…\s]+")
ABLATIONS = {
    "lexicon + Bayes (shipped)": {},
    "lexicon only": {"bayes_weight": 0.0},
    "Bayes only": {"lexicon_weight": 0.0},
}


def text_path():
    """normalize and split_clauses from voc, or plain fallbacks while those modules are missing."""
    try:
        from voc.normalize import normalize
    except ImportError:
        normalize = str.strip
    try:
        from voc.clauses import split_clauses
    except ImportError:

        def split_clauses(text: str) -> list[str]:
            return [c for c in _FALLBACK_SPLIT.split(text) if c]

    return normalize, split_clauses


def read_corpus(path: Path, sample: int | None, seed: int) -> list[tuple[str, int, str]]:
    """(category, label, review) rows, a seeded sample of them when ``sample`` is given."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [
            (r.get("cat", path.stem), int(r["label"]), r["review"])
            for r in csv.DictReader(fh)
            if r.get("review") and r.get("label") in ("0", "1")
        ]
    if sample and sample < len(rows):
        rows = random.Random(seed).sample(rows, sample)
    return rows


def metrics(gold: list[int], pred: list[str]) -> dict[str, float]:
    """Accuracy and macro-F1 over the two gold classes; a neutral prediction is a miss for both."""
    want = {1: "positive", 0: "negative"}
    hits = sum(want[g] == p for g, p in zip(gold, pred, strict=True))
    f1s = []
    for g_cls, p_cls in want.items():
        tp = sum(g == g_cls and p == p_cls for g, p in zip(gold, pred, strict=True))
        fp = sum(g != g_cls and p == p_cls for g, p in zip(gold, pred, strict=True))
        fn = sum(g == g_cls and p != p_cls for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    polar = [(g, p) for g, p in zip(gold, pred, strict=True) if p != "neutral"]
    return {
        "n": len(gold),
        "accuracy": hits / len(gold),
        "macro_f1": sum(f1s) / 2,
        "neutral": 1 - len(polar) / len(gold),
        "polar_accuracy": sum(want[g] == p for g, p in polar) / len(polar) if polar else 0.0,
    }


def evaluate(scorer: SentimentScorer, docs: list[list[list[str]]], gold: list[int]) -> dict[str, float]:
    pred = [label(aggregate(scorer.score(clauses).tolist())) for clauses in docs]
    return metrics(gold, pred)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shopping-sample", type=int, default=6000, help="rows sampled from online_shopping")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if not (DATA / "waimai_10k.csv").is_file():
        print(f"eval_sentiment: labeled corpora not found in {DATA}; nothing to evaluate.")
        return 0

    normalize, split_clauses = text_path()
    seg = get_segmenter()
    corpora = {
        "waimai_10k": read_corpus(DATA / "waimai_10k.csv", None, args.seed),
        f"online_shopping (sample {args.shopping_sample})": read_corpus(
            DATA / "online_shopping_9_cats.csv", args.shopping_sample, args.seed
        ),
    }
    print("| corpus | model | n | accuracy | macro-F1 | neutral | accuracy on polar |")
    print("|---|---|---:|---:|---:|---:|---:|")
    speed_docs: list[list[list[str]]] = []
    for name, rows in corpora.items():
        docs = [[seg.cut(c) for c in split_clauses(normalize(text))] for _, _, text in rows]
        gold = [g for _, g, _ in rows]
        speed_docs.extend(docs)
        for model, settings in ABLATIONS.items():
            m = evaluate(SentimentScorer.from_lexicons(**settings), docs, gold)
            print(
                f"| {name} | {model} | {m['n']} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} "
                f"| {m['neutral']:.1%} | {m['polar_accuracy']:.3f} |"
            )
        shipped = shipped_model()
        if shipped is not None:
            pred = [label(s) for s in shipped.score_documents(docs)[1]]
            m = metrics(gold, pred)
            print(
                f"| {name} | {SHIPPED_NOTE} | {m['n']} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} "
                f"| {m['neutral']:.1%} | {m['polar_accuracy']:.3f} |"
            )
        if "shopping" in name:
            per_category(rows, docs)
    speed(speed_docs, [t for rows in corpora.values() for _, _, t in rows], normalize, split_clauses)
    return 0


def shipped_model():
    """The shipped trained model, or None when its file is absent."""
    from voc.model import DEFAULT_MODEL, load_model

    return load_model(DEFAULT_MODEL) if DEFAULT_MODEL.is_file() else None


def per_category(rows, docs) -> None:
    scorer = SentimentScorer.from_lexicons()
    by_cat: dict[str, tuple[list[int], list[str]]] = {}
    for (cat, g, _), clauses in zip(rows, docs, strict=True):
        gold, pred = by_cat.setdefault(cat, ([], []))
        gold.append(g)
        pred.append(label(aggregate(scorer.score(clauses).tolist())))
    print("\n| category | n | accuracy | macro-F1 | neutral |\n|---|---:|---:|---:|---:|")
    for cat, (gold, pred) in sorted(by_cat.items()):
        m = metrics(gold, pred)
        print(f"| {cat} | {m['n']} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | {m['neutral']:.1%} |")
    print()


def speed(docs, texts, normalize, split_clauses) -> None:
    scorer = SentimentScorer.from_lexicons()
    scorer.score([c for d in docs[:100] for c in d])  # warm the token cache like a long run would
    t0 = perf_counter()
    for clauses in docs:
        aggregate(scorer.score(clauses).tolist())
    dt = perf_counter() - t0
    n_clauses = sum(map(len, docs))
    print(f"scorer only: {len(docs) / dt:,.0f} docs/s ({n_clauses / dt:,.0f} clauses/s) on {len(docs)} docs")
    seg = get_segmenter()
    t0 = perf_counter()
    for text in texts:
        aggregate(scorer.score([seg.cut(c) for c in split_clauses(normalize(text))]).tolist())
    dt = perf_counter() - t0
    print(f"raw text → normalize → clauses → segment → score: {len(texts) / dt:,.0f} docs/s")


if __name__ == "__main__":
    sys.exit(main())
