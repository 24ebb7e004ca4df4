"""Hotel-like estimate: the sentiment model on restaurant review sentences it never saw (ASTE Chinese_Zhang).

    .venv/bin/python bench/eval_restaurant.py [--model PATH] [--split test] [--mode blend]

The nearest thing to hotel reviews in ../shared/data: ``restaurant_aspect_triplets.csv`` holds
restaurant review sentences (dianping style, a service domain absent from the training corpora)
annotated with (aspect, opinion, polarity) triplets. A sentence-level gold label is derived here:

* every triplet of the sentence POS → positive; every triplet NEG → negative;
* anything else (mixed POS/NEG, or any NEU triplet) is left out of macro-F1 and reported apart
  (what share the model calls negative / neutral / positive);
* duplicate sentences (same text after normalization) are kept once, and a text that appears in
  two splits is kept only in ``test`` so the reported split never shares a sentence with dev/train;
* traditional characters are normalized by the model's own path (``voc.model.prepare``).

The headline is the ``test`` split. ``dev`` is the split allowed for tuning choices; ``train`` is
more unseen data (no restaurant row ever trains the shipped model). A neutral prediction counts as
wrong, as in ``voc eval``. Exits 0 with a message when the corpus is absent; nothing from it is
written anywhere.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from shared_data import DATA  # noqa: E402

from voc.model import document_scores, load_default_scorer, load_model, prepare  # noqa: E402
from voc.model.evaluate import report  # noqa: E402
from voc.normalize import normalize  # noqa: E402
from voc.sentiment import label  # noqa: E402

FILE = DATA / "restaurant_aspect_triplets.csv"

SPLIT_ORDER = ("test", "dev", "train")  # a text seen in two splits stays in the first of these
_GOLD = {frozenset({"POS"}): "positive", frozenset({"NEG"}): "negative"}


def restaurant_sentences(path: Path = FILE) -> dict[str, list[tuple[str, str]]]:
    """split → [(sentence, gold)] with gold "positive", "negative" or "mixed"; deduplicated."""
    polarities: dict[tuple[str, str], set[str]] = defaultdict(set)
    texts: dict[tuple[str, str], str] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            key = (r["split"], r["sentence_id"])
            texts[key] = r["sentence"]
            polarities[key].add(r["polarity"])
    seen: set[str] = set()
    out: dict[str, list[tuple[str, str]]] = {s: [] for s in SPLIT_ORDER}
    for split in SPLIT_ORDER:
        for key in sorted((k for k in texts if k[0] == split), key=lambda k: int(k[1])):
            norm = normalize(texts[key])
            if norm in seen:
                continue
            seen.add(norm)
            out[split].append((texts[key], _GOLD.get(frozenset(polarities[key]), "mixed")))
    return out


def evaluate_split(scorer, rows: list[tuple[str, str]], mode: str):
    """(EvalReport on the polar sentences, label shares on the mixed/neutral ones)."""
    polar = [(t, 1 if g == "positive" else 0) for t, g in rows if g != "mixed"]
    mixed = [t for t, g in rows if g == "mixed"]
    docs = prepare([t for t, _ in polar])
    t0 = perf_counter()
    scores = document_scores(scorer, docs, mode)
    dt = perf_counter() - t0
    rep = report([g for _, g in polar], scores, docs_per_s=len(polar) / max(dt, 1e-9), docs_per_s_total=0)
    labels = [label(s) for s in document_scores(scorer, prepare(mixed), mode)] if mixed else []
    shares = {k: labels.count(k) / max(1, len(labels)) for k in ("negative", "neutral", "positive")}
    return rep, len(mixed), shares


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, help="a saved model (default: the shipped one)")
    ap.add_argument("--split", default="test", help="test, dev, train or all (comma-separated)")
    ap.add_argument("--mode", default="blend", choices=("clauses", "document", "blend"))
    ap.add_argument("--lexicon", action="store_true", help="score with the lexicon scorer instead of a model")
    args = ap.parse_args()
    if not FILE.is_file():
        print(f"eval_restaurant: {FILE} not found; nothing to evaluate.")
        return 0
    if args.lexicon:
        from voc.sentiment import SentimentScorer

        scorer = SentimentScorer.from_lexicons()
    else:
        scorer = load_model(args.model) if args.model else load_default_scorer()
    data = restaurant_sentences()
    splits = SPLIT_ORDER if args.split == "all" else args.split.split(",")
    print(f"model {getattr(scorer, 'version_', type(scorer).__name__)}, document score: {args.mode}")
    print(
        "\n| split | polar n (pos/neg) | macro-F1 | sign | accuracy | neutral | pos recall | neg recall "
        "| mixed/NEU n | → neg / neutral / pos | docs/s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for split in splits:
        rep, n_mixed, shares = evaluate_split(scorer, data[split], args.mode)
        c = rep.confusion
        n_neg, n_pos = sum(c[0]), sum(c[1])
        print(
            f"| {split} | {rep.n:,} ({n_pos:,}/{n_neg:,}) | {rep.macro_f1:.3f} | {rep.binary_macro_f1:.3f} "
            f"| {rep.accuracy:.3f} | {rep.neutral_share:.1%} | {c[1][2] / max(1, n_pos):.3f} "
            f"| {c[0][0] / max(1, n_neg):.3f} | {n_mixed:,} | "
            + " / ".join(f"{shares[k]:.0%}" for k in ("negative", "neutral", "positive"))
            + f" | {rep.docs_per_s:,.0f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
