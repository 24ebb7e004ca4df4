"""Throughput and peak memory of the sentiment step, alone and with normalize + segment, 1 and 2 processes.

    .venv/bin/python bench/bench_sentiment.py [--docs 20000] [--model PATH|lexicon] [--mode blend]

Input: a seeded sample of the labeled corpora in ../shared/data when present (only their text is
read), else the fictional sentences of tests/test_model_corpus.tsv repeated. Each worker process
loads its own model once (load time printed) and scores its share of the documents in chunks of
2,000 like the Enricher. ``--mode`` is how document scores are made (voc.model.document_scores):
``blend`` scores every clause and the whole document. Peak memory is the max RSS per process.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from shared_data import DATA  # noqa: E402

CHUNK = 2000


def read_texts(n: int) -> list[str]:
    """``n`` texts: a seeded sample of ../shared/data, or the fictional test corpus repeated."""
    texts: list[str] = []
    for name in ("online_shopping_9_cats.csv", "waimai_10k.csv"):
        if (DATA / name).is_file():
            with (DATA / name).open(encoding="utf-8-sig", newline="") as fh:
                texts += [r["review"] for r in csv.DictReader(fh) if r.get("review")]
    if not texts:
        corpus = ROOT / "tests" / "test_model_corpus.tsv"
        texts = [
            ln.split("\t")[1] for ln in corpus.read_text(encoding="utf-8").splitlines() if ln and ln[0] != "#"
        ]
    rng = random.Random(0)
    return [rng.choice(texts) for _ in range(n)] if len(texts) < n else rng.sample(texts, n)


def load(model: str):
    from voc.model import load_default_scorer, load_model
    from voc.sentiment import SentimentScorer

    if model == "lexicon":
        return SentimentScorer.from_lexicons()
    return load_model(Path(model)) if model != "default" else load_default_scorer()


def run(job: tuple[str, str, list[str]]) -> dict:
    """In one process: load the model, then time scoring alone and the whole text path."""
    model_name, mode, texts = job
    from voc.model import document_scores, prepare

    t0 = perf_counter()
    scorer = load(model_name)
    load_s = perf_counter() - t0
    prepare(texts[:50])  # segmenter warm-up (jieba dictionary)
    t0 = perf_counter()
    docs = [d for i in range(0, len(texts), CHUNK) for d in prepare(texts[i : i + CHUNK])]
    t1 = perf_counter()
    for i in range(0, len(docs), CHUNK):
        document_scores(scorer, docs[i : i + CHUNK], mode)
    t2 = perf_counter()
    return {
        "n": len(texts),
        "load_s": load_s,
        "prep_s": t1 - t0,
        "score_s": t2 - t1,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--model", default="default", help="a model file, 'default' (shipped) or 'lexicon'")
    ap.add_argument("--mode", default="blend", choices=("clauses", "document", "blend"))
    args = ap.parse_args()
    texts = read_texts(args.docs)
    print(
        f"{len(texts):,} docs, mean {sum(map(len, texts)) / len(texts):.0f} chars, "
        f"model {args.model}, mode {args.mode}"
    )
    print(
        "| processes | model load s | sentiment docs/s | docs/s per process "
        "| normalize+segment+sentiment docs/s | peak MB per process |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for workers in (1, 2):
        shares = [texts[i::workers] for i in range(workers)]
        t0 = perf_counter()
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(run, [(args.model, args.mode, s) for s in shares]))
        wall = perf_counter() - t0
        score_rate = sum(r["n"] / r["score_s"] for r in results)
        total_rate = sum(r["n"] / (r["prep_s"] + r["score_s"]) for r in results)
        print(
            f"| {workers} | {max(r['load_s'] for r in results):.2f} | {score_rate:,.0f} "
            f"| {score_rate / workers:,.0f} "
            f"| {total_rate:,.0f} | {max(r['peak_mb'] for r in results):,.0f} |  (wall {wall:.1f} s)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
