"""Opinion extraction against the restaurant aspect triplets (research-only, never copied here).

    python bench/eval_opinions.py [--csv PATH] [--splits dev,test] [--limit N]

Per sentence of the chosen splits: the gold pairs are its NEG triplets (aspect or IMPLICIT,
opinion), both normalized with ``voc.normalize``. The extractor runs on the sentence's clauses —
``all`` clauses, or only those the production sentiment scorer labels ``negative`` (what the
pipeline feeds it). A predicted mention matches a gold pair of the same sentence:

* aspect, **exact**: the aspect token as written equals the gold aspect; **overlap**: one contains
  the other (菜 / 菜品). An implicit gold aspect is matched by an implicit prediction whose opinion
  overlaps the gold opinion ("with implicit" rows only);
* opinion, **exact**: equal after normalization; **core**: equal to the gold opinion without its
  degree adverbs and particles (有点咸 → 咸: the extractor drops them by design); **overlap**: one
  contains the other (不处理 in 一直不处理), the usual lenient match for span extraction;
* pair: aspect and opinion both match the same gold triplet (overlap).

Precision is over predictions, recall over gold pairs. Prints a table; exits 0 when the corpus is
absent.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path
from time import perf_counter

from voc.clauses import split_clauses
from voc.normalize import normalize
from voc.opinions import OpinionExtractor
from voc.segment import get_segmenter
from voc.sentiment import SentimentScorer, label

DEFAULT_CSV = Path("/work/shared/data/restaurant_aspect_triplets.csv")


def load(path: Path, splits: set[str], limit: int | None):
    """{(split, sentence_id): (normalized sentence, [(aspect, opinion), ...NEG])}."""
    out: dict[tuple[str, str], tuple[str, list[tuple[str, str]]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["split"] not in splits:
                continue
            key = (row["split"], row["sentence_id"])
            if key not in out:
                if limit and len(out) >= limit:
                    continue
                out[key] = (normalize(row["sentence"]), [])
            if row["polarity"] == "NEG":
                aspect = row["aspect"] if row["aspect"] == "IMPLICIT" else normalize(row["aspect"])
                out[key][1].append((aspect, normalize(row["opinion"])))
    return out


def _overlap(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a in b or b in a)


def _aspect_ok(pred, gold: tuple[str, str], exact: bool) -> bool:
    if gold[0] == "IMPLICIT":
        return pred.implicit and _overlap(pred.opinion, gold[1])
    if not pred.aspect_term:
        return False
    return pred.aspect_term == gold[0] if exact else _overlap(pred.aspect_term, gold[0])


def _opinion_ok(pred, gold: tuple[str, str], exact: bool) -> bool:
    return pred.opinion == gold[1] if exact else _overlap(pred.opinion, gold[1])


def core(opinion: str, ex: OpinionExtractor) -> str:
    """A gold opinion without its degree adverbs and fillers (有点咸 → 咸, 太慢了 → 慢), the form the
    extractor gives."""
    degree = ex.scorer_.lexicon_.degree
    toks = [ex._strip_degree(t) for t in get_segmenter().cut(opinion) if t not in degree]
    return "".join(t for t in toks if t not in ("了", "的", "啊", "呀", "哦", "也", "都", "就"))


def score(data, predictions, implicit: bool, cores=None) -> dict[str, tuple[float, float, float]]:
    """(precision, recall, F1) per measure."""
    counts = defaultdict(lambda: [0, 0, 0, 0])  # matched preds, preds, matched golds, golds
    for key, (_, gold) in data.items():
        preds = [p for p in predictions.get(key, []) if (implicit or not p.implicit)]
        gold = [g for g in gold if implicit or g[0] != "IMPLICIT"]
        gold_aspects = [g for g in gold]
        measures = {
            "aspect exact": (
                lambda p, g: _aspect_ok(p, g, True),
                [p for p in preds if p.aspect],
                gold_aspects,
            ),
            "aspect overlap": (
                lambda p, g: _aspect_ok(p, g, False),
                [p for p in preds if p.aspect],
                gold_aspects,
            ),
            "opinion exact": (lambda p, g: _opinion_ok(p, g, True), preds, gold),
            "opinion core": (lambda p, g: p.opinion == cores.get(g[1]), preds, gold),
            "opinion overlap": (lambda p, g: _opinion_ok(p, g, False), preds, gold),
            "pair overlap": (
                lambda p, g: _aspect_ok(p, g, False) and _opinion_ok(p, g, False),
                [p for p in preds if p.aspect],
                gold,
            ),
        }
        for name, (ok, ps, gs) in measures.items():
            c = counts[name]
            c[0] += sum(any(ok(p, g) for g in gs) for p in ps)
            c[1] += len(ps)
            c[2] += sum(any(ok(p, g) for p in ps) for g in gs)
            c[3] += len(gs)
    out = {}
    for name, (mp, np_, mg, ng) in counts.items():
        p, r = mp / np_ if np_ else 0.0, mg / ng if ng else 0.0
        out[name] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--splits", default="dev,test")
    ap.add_argument("--limit", type=int, default=None, help="at most this many sentences")
    args = ap.parse_args(argv)
    if not args.csv.exists():
        print(
            f"{args.csv} not found: the triplet corpus is research-only and not shipped; nothing to evaluate."
        )
        return 0
    data = load(args.csv, set(args.splits.split(",")), args.limit)
    seg = get_segmenter()
    scorer = SentimentScorer.from_lexicons()
    clauses = [(key, seg.cut(c)) for key, (text, _) in data.items() for c in split_clauses(text)]
    negative = [label(s) == "negative" for s in scorer.score([t for _, t in clauses])]
    n_gold = sum(len(g) for _, g in data.values())
    print(f"{len(data)} sentences ({args.splits}), {len(clauses)} clauses, {n_gold} NEG triplets")
    print(f"{'clauses':<9} {'guess':<5} {'implicit':<8} {'measure':<16} {'P':>6} {'R':>6} {'F1':>6}")
    base = OpinionExtractor.from_lexicons()
    cores = {o: core(o, base) for _, g in data.values() for _, o in g}
    for guess in (False, True):
        ex = OpinionExtractor.from_lexicons(guess_aspects=guess)
        for mode in ("all", "negative"):
            chosen = [(k, t) for (k, t), neg in zip(clauses, negative) if mode == "all" or neg]
            t0 = perf_counter()
            spans = [(k, ex.spans(t)) for k, t in chosen]
            rate = len(chosen) / (perf_counter() - t0)
            predictions = defaultdict(list)
            for k, s in spans:
                predictions[k].extend(s)
            for implicit in (True, False):
                for name, (p, r, f) in score(data, predictions, implicit, cores).items():
                    imp, g = ("with" if implicit else "without"), "yes" if guess else "no"
                    print(f"{mode:<9} {g:<5} {imp:<8} {name:<16} {p:6.3f} {r:6.3f} {f:6.3f}")
            print(f"{mode:<9} {'yes' if guess else 'no':<5} speed: {rate:,.0f} clauses/s (extraction)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
