"""Pain-point clustering: purity on the restaurant triplets, planted pain points of the demo.

    python bench/eval_painpoints.py [--csv PATH] [--warehouse warehouse/voc.duckdb]

1. **Triplets** (research-only, never copied here; skipped when absent): every clause of a dev/test
   sentence that holds a NEG triplet's opinion is one negative clause, its gold label the triplet's
   aspect (IMPLICIT included). The clauses are clustered (stage from the keyword tagger, clauses
   with no stage allowed: ``unstaged=True``), then: **purity** = clauses whose cluster's majority
   gold aspect is theirs / assigned clauses, against the raw gold aspect and against its aspect
   category (the aspects.yaml group of the gold term, the term itself when unknown), and the
   **share left unassigned**.
2. **Demo** (after ``python -m voc.cli demo-data`` and ``python -m voc.cli run``): for each planted
   pain point of ``demo/data/manifest.json``, its negative clauses are those holding one of its
   marker words; printed: the pain point holding most of them (label, stage) and that share, the
   runner-up, purity against the planted pain points, and how many negative clauses are
   complaints at all: those matching a complaint clause of the demo's phrase pools (planted or
   generic negative, slots as wildcards); the rest are venting, greetings, or praise the sentiment
   model scored negative, which no pain point should take. ``--refit`` clusters the warehouse's
   negative clauses again with the current code and lexicons instead of reading the stored
   assignment (``--aspect-similarity`` to try the aspect-gated join).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from time import perf_counter

import duckdb

from voc.clauses import split_clauses
from voc.demo.phrases import load_phrases
from voc.normalize import normalize
from voc.painpoints import PainPointClusterer
from voc.segment import get_segmenter
from voc.stages import StageTagger

sys.path.insert(0, str(Path(__file__).parent))
from eval_opinions import DEFAULT_CSV, load  # noqa: E402


def purity(labels, gold) -> float:
    by: dict[str, Counter] = defaultdict(Counter)
    for pid, g in zip(labels, gold):
        if pid is not None:
            by[pid][g] += 1
    assigned = sum(sum(c.values()) for c in by.values())
    return sum(c.most_common(1)[0][1] for c in by.values()) / assigned if assigned else 0.0


def triplets(path: Path) -> None:
    if not path.exists():
        print(f"{path} not found: the triplet corpus is research-only, not shipped; skipping part 1.")
        return
    data = load(path, {"dev", "test"}, None)
    seg, tagger = get_segmenter(), StageTagger.from_lexicons()
    texts, gold = [], []
    for text, neg in data.values():
        for clause in split_clauses(text):
            hit = next((a for a, o in neg if o and o in clause), None)
            if hit is not None:
                texts.append(clause)
                gold.append(hit)
    tokens = [seg.cut(t) for t in texts]
    stages = [tagger.tag(t) for t in tokens]
    print(f"triplets: {len(texts)} NEG clauses (dev+test)")
    print(
        f"  {'merge_unlisted':<15} {'points':>6} {'purity/aspect':>13} {'purity/category':>15}"
        f" {'unassigned':>10}"
    )
    for merge in (False, True):
        t0 = perf_counter()
        model = PainPointClusterer(unstaged=True, merge_unlisted=merge).fit(texts, tokens, stages)
        secs = perf_counter() - t0
        ex = model.extractor_
        category = [g if g == "IMPLICIT" else ex.group(ex.lexicon_.aspect_of.get(g, g)) for g in gold]
        unassigned = sum(p is None for p in model.labels_) / len(texts)
        print(
            f"  {str(merge):<15} {len(model.points_):>6} {purity(model.labels_, gold):>13.3f}"
            f" {purity(model.labels_, category):>15.3f} {unassigned:>10.3f}   ({secs:.1f}s)"
        )
    print("  largest: " + ", ".join(f"{p.label}({p.size})" for p in model.points_[:12]))


def complaint_pattern() -> re.Pattern:
    """A regex matching any complaint clause of the demo phrase pools (slots become wildcards)."""
    phrases = load_phrases()
    texts = [
        c
        for ind in phrases.industries.values()
        for pol in ind.clauses.values()
        for c in pol.get("negative", [])
    ]
    texts += [c for pain in phrases.pains.values() for cs in pain.clauses.values() for c in cs]
    pats = set()
    for t in texts:
        for clause in split_clauses(normalize(t)):
            pat = re.sub(r"\\\{\w+\\\}", ".{1,12}", re.escape(clause))
            if len(clause) >= 3:
                pats.add(pat)
    return re.compile("|".join(sorted(pats, key=len, reverse=True)))


def _refit(con, aspect_similarity: float | None):
    rows = con.execute(
        "SELECT text, tokens, stage FROM clauses WHERE label = 'negative' ORDER BY feedback_id, position"
    ).fetchall()
    model = PainPointClusterer(aspect_similarity=aspect_similarity).fit(
        [r[0] for r in rows], [list(r[1]) for r in rows], [r[2] for r in rows]
    )
    names = {p.id: (p.label, p.stage) for p in model.points_}
    out = [(r[0], pid, *(names[pid] if pid else (None, None))) for r, pid in zip(rows, model.labels_)]
    return out, [p.label for p in model.points_[:20]]


def demo(
    warehouse: Path, manifest: Path, refit: bool = False, aspect_similarity: float | None = None
) -> None:
    if not warehouse.exists() or not manifest.exists():
        print(f"{warehouse} or {manifest} missing: run `voc.cli demo-data`, then `voc.cli run`.")
        return
    planted = json.loads(manifest.read_text(encoding="utf-8"))["pain_points"]
    con = duckdb.connect(str(warehouse), read_only=True)
    if refit:
        rows, top = _refit(con, aspect_similarity)
    else:
        rows = con.execute(
            "SELECT c.text, c.pain_point_id, p.label, p.stage FROM clauses c "
            "LEFT JOIN pain_points p ON p.id = c.pain_point_id WHERE c.label = 'negative'"
        ).fetchall()
        sql = "SELECT label FROM pain_points ORDER BY size DESC, label LIMIT 20"
        top = [t[0] for t in con.execute(sql).fetchall()]
    con.close()
    assigned = [r[1] is not None for r in rows]
    complaint = complaint_pattern()
    real = [bool(complaint.search(r[0])) for r in rows]
    n_real = sum(real)
    print(
        f"demo{' (refit)' if refit else ''}: {len(rows)} negative clauses,"
        f" {sum(assigned) / len(rows):.0%} assigned;"
        f" {n_real} ({n_real / len(rows):.0%}) are complaint clauses of the phrase pools,"
        f" {sum(a and c for a, c in zip(assigned, real)) / max(n_real, 1):.0%} of those assigned,"
        f" {sum(a and not c for a, c in zip(assigned, real))} assigned clauses are no complaint clause"
    )
    print(
        f"  {'planted':<10} {'stage':<14} {'clauses':>7}  {'dominant pain point':<16} {'its stage':<14} share"
        "  runner-up"
    )
    for p in planted:
        mine = [r for r in rows if any(m in r[0] for m in p["markers"])]
        held = Counter((r[2], r[3]) for r in mine if r[1] is not None).most_common(2)
        (label, stage), n = held[0] if held else ((None, None), 0)
        share = n / len(mine) if mine else 0.0
        second = f"{held[1][0][0]} {held[1][1] / len(mine):.0%}" if len(held) > 1 else "-"
        print(
            f"  {p['label']:<10} {p['stage']:<14} {len(mine):>7}  {label or '-':<16} {stage or '-':<14}"
            f" {share:>4.0%}  {second}"
        )
    owner = [next((p["label"] for p in planted if any(m in r[0] for m in p["markers"])), "-") for r in rows]
    print(f"  purity vs planted pain point ('-' = none planted): {purity([r[1] for r in rows], owner):.3f}")
    print("  top 20: " + " ".join(top))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--warehouse", type=Path, default=Path("warehouse/voc.duckdb"))
    ap.add_argument("--manifest", type=Path, default=Path("demo/data/manifest.json"))
    ap.add_argument("--refit", action="store_true", help="cluster the stored clauses again (current code)")
    ap.add_argument("--aspect-similarity", type=float, default=None, help="with --refit")
    args = ap.parse_args(argv)
    triplets(args.csv)
    demo(args.warehouse, args.manifest, args.refit, args.aspect_similarity)
    return 0


if __name__ == "__main__":
    sys.exit(main())
