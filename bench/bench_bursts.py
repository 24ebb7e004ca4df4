"""Speed, memory and recall of coordinated-burst detection on synthetic social posts.

``python bench/bench_bursts.py --posts 200000 --bursts 20``

Organic posts are the demo corpus's own texts (``voc.demo``, written for this project), each
posted once at a random time in a year by a random account out of 50,000, with a random tail so
copies of a template are not identical; then ``--bursts`` campaigns of 25 near-identical posts
from 21 accounts within 6 hours are added. Prints docs/s of each phase, the peak resident memory
and how many planted campaigns were found (and how many other bursts).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from voc.bursts import BurstDetector, burst_texts
from voc.demo import generate_demo
from voc.minhash import components, signatures, similar_pairs

START = datetime(2026, 1, 1)
_TAIL = "的了吧呢啊哦嗯哎呀真太很都还又也就"


def organic_pool(items: int) -> list[str]:
    """Texts of a generated demo corpus (all kinds: they read like posts once dressed)."""
    import csv
    import json

    out = Path(tempfile.mkdtemp(prefix="bench-bursts-"))
    generate_demo(out, n_items=items, weeks=10)
    texts = []
    for path in sorted(out.rglob("*.csv")):
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.reader(fh):
                texts.append(max(row, key=len))
    for path in sorted(out.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                texts.append(json.loads(line)["text"])
            except ValueError:
                pass
    return [t for t in texts if 0 < len(t) < 1000]


def make_posts(n: int, n_bursts: int, seed: int = 1):
    rng = random.Random(seed)
    pool = organic_pool(12_000)
    ids, times, authors, texts = [], [], [], []
    for i in range(n):
        tail = "".join(rng.choice(_TAIL) for _ in range(rng.randint(2, 6)))
        ids.append(f"o{i}")
        times.append(START + timedelta(seconds=rng.randrange(365 * 86400)))
        authors.append(f"u{rng.randrange(50_000)}")
        texts.append(rng.choice(pool) + tail)
    planted = []
    for b in range(n_bursts):
        base = rng.choice(pool)[:40] + f"第{b}批货千万别买大家互相转告"
        t0 = START + timedelta(days=rng.randrange(360))
        members = []
        for j in range(25):
            pid = f"b{b}_{j}"
            ids.append(pid)
            members.append(pid)
            times.append(t0 + timedelta(seconds=rng.randrange(6 * 3600)))
            authors.append(f"camp{b}_{j % 21}")
            dress = rng.choice(["", "#避雷#", "扩散！"]), rng.choice(["", "[怒]", "😡", "！！！"])
            texts.append(dress[0] + base + dress[1])
        planted.append(set(members))
    return ids, times, authors, texts, planted


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=200_000)
    ap.add_argument("--bursts", type=int, default=20)
    args = ap.parse_args(argv)
    ids, times, authors, texts, planted = make_posts(args.posts, args.bursts)
    n = len(ids)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n:,} posts ({args.bursts} planted campaigns of 25); RSS before detection {rss0:,.0f} MB")

    t, cpu = time.perf_counter(), time.process_time()
    found = BurstDetector().fit(ids, times, authors, texts).bursts_
    total, cpu = time.perf_counter() - t, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the phases below
    hit = sum(any(len(p & set(f.member_ids)) >= 20 for f in found) for p in planted)
    extra = [f for f in found if not any(len(p & set(f.member_ids)) >= 20 for p in planted)]
    print(
        f"  BurstDetector.fit: {total:.1f}s wall = {n / total:,.0f} docs/s, {cpu:.1f}s CPU = "
        f"{n / cpu:,.0f} docs/s per core; peak RSS {rss:,.0f} MB; "
        f"planted found {hit}/{len(planted)}; other bursts {len(extra)} "
        f"({sum(f.posts for f in extra):,} posts)"
    )

    t = time.perf_counter()
    cleaned = burst_texts(texts)
    t_clean = time.perf_counter() - t
    keep = [c for c in cleaned if len(c) >= 8]
    t = time.perf_counter()
    sig = signatures(keep, 3, 80, 1)
    t_sig = time.perf_counter() - t
    t = time.perf_counter()
    a, b = similar_pairs(sig, 0.6)
    groups = components(len(keep), a, b)
    t_lsh = time.perf_counter() - t
    print(
        f"  phases: clean {n / t_clean:,.0f} docs/s | shingle+minhash {len(keep) / t_sig:,.0f} docs/s "
        f"({sig.nbytes / 1e6:,.0f} MB signatures) | LSH+verify+components {len(keep) / t_lsh:,.0f} "
        f"docs/s, {len(a):,} similar pairs, {len(np.unique(groups)):,} groups"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
