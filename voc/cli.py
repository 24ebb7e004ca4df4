"""The ``voc`` command: a thin client of :mod:`voc.pipeline` and :mod:`voc.analyze`.

Heavy libraries are imported inside each command, so ``voc --help`` answers at once.
Every error a user can fix is printed as one line, ``voc: error: ...``, with exit status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date, datetime
from pathlib import Path

from voc.errors import VocError

EPILOG = """examples:
  voc demo-data                       write the demo corpus into demo/data/
  voc run                             ingest -> enrich -> pain points -> digest (voc.toml)
  voc analyze reviews.csv --text-column review --output scored.csv --clauses clauses.csv
  voc eval labeled.csv --text-column review --label-column label
  voc painpoints --proposals          pain points the catalogue lacks, as YAML to paste into lexicons/
  voc train --from-warehouse          a domain model from your own ratings, used only if it wins
  voc train --adapt-from-warehouse    adapt to your unlabeled feedback; used only if labels confirm it
  voc --config my.toml ingest         use another config file (or set VOC_CONFIG)
"""


def _week(value: str) -> date:
    """An ISO week ("2026-W41") or any date inside it ("2026-10-07") -> that week's Monday."""
    try:
        if "W" in value.upper():
            year, wk = value.upper().split("-W")
            return date.fromisocalendar(int(year), int(wk), 1)
        d = date.fromisoformat(value)
        return date.fromisocalendar(*d.isocalendar()[:2], 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO week like 2026-W41 or a date: {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="voc",
        description="Voice-of-Customer mining for Chinese feedback.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--config", type=Path, help="settings file (default: $VOC_CONFIG, ./voc.toml, the demo config)"
    )
    p.add_argument(
        "-v", "--verbose", action="store_true", help="log each step (default: warnings and results)"
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = sub.add_parser("demo-data", help="write the synthetic demo corpus (reviews, surveys, social posts)")
    d.add_argument(
        "out", nargs="?", type=Path, default=None, help="folder (default: demo/data in the project)"
    )
    d.add_argument("--items", type=int, default=6000)
    d.add_argument("--weeks", type=int, default=10)
    d.add_argument("--seed", type=int, default=7)

    sub.add_parser("migrate", help="create or upgrade the warehouse (migrations + views)")
    sub.add_parser("ingest", help="land new file drops of every configured source")
    sub.add_parser("enrich", help="score sentiment and journey stages of feedback not yet enriched")
    pp = sub.add_parser("painpoints", help="cluster negative clauses into pain points (catalogue ids)")
    pp.add_argument(
        "--proposals",
        action="store_true",
        help="print the proposed pain points as YAML for lexicons/pain_points.yaml (no clustering)",
    )
    pp.add_argument("--min-clauses", type=int, default=1, help="with --proposals: only those this big")
    sub.add_parser("bursts", help="flag coordinated near-duplicate negative social posts (never removed)")
    dg = sub.add_parser("digest", help="write the weekly digest (Markdown + HTML)")
    dg.add_argument("--week", type=_week, help="ISO week like 2026-W41 (default: latest week with data)")
    r = sub.add_parser("run", help="ingest, enrich, pain points and digest, in order")
    r.add_argument("--week", type=_week, help="digest week (default: latest week with data)")

    t = sub.add_parser(
        "train", help="train a sentiment model from labeled files, or from the warehouse's ratings"
    )
    t.add_argument("labeled", nargs="*", type=Path, help="CSV files with a text and a 0/1 label column")
    t.add_argument("--text-column", default="review")
    t.add_argument("--label-column", default="label")
    t.add_argument("--group-column", help="domain of each row (e.g. cat): calibrates out of domain")
    t.add_argument("--output", type=Path, help="model file (default: the shipped model in models/sentiment/)")
    t.add_argument(
        "--from-warehouse",
        action="store_true",
        help="train a domain model from rated feedback; switch to it only if it wins on held-out items",
    )
    t.add_argument(
        "--adapt-from-warehouse",
        action="store_true",
        help="adapt the model in use to the warehouse's unlabeled feedback (class prior by EM); "
        "switch only if labels it never saw confirm it (--check FILE, else rated items)",
    )
    t.add_argument(
        "--check",
        type=Path,
        help="with --adapt-from-warehouse: a labeled file of your own feedback (--text-column, "
        "--label-column) that the adapted model must win on",
    )
    t.add_argument(
        "--margin", type=float, default=0.01, help="macro-F1 a domain model must win by (default 0.01)"
    )

    e = sub.add_parser("eval", help="accuracy, macro-F1, confusion matrix and docs/s on a labeled file")
    e.add_argument("labeled", type=Path, help="CSV/TSV/JSONL/Parquet with a text and a 0/1 label column")
    e.add_argument("--text-column", required=True)
    e.add_argument("--label-column", required=True)
    e.add_argument("--model", type=Path, help="model file (default: the shipped model)")
    e.add_argument("--sample", type=int, help="evaluate a random sample of N labeled rows (seeded)")
    e.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    e.add_argument("--floor", type=float, help="exit 1 when macro-F1 is below this")

    a = sub.add_parser("analyze", help="score a CSV/TSV/JSONL/Parquet file without touching the warehouse")
    a.add_argument("input", type=Path)
    a.add_argument("--text-column", required=True)
    a.add_argument("--id-column")
    a.add_argument("--output", required=True, type=Path, help="one row per input row")
    a.add_argument("--clauses", type=Path, help="also write one row per clause here")
    a.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return _COMMANDS[args.command](args) or 0
    except VocError as err:
        print(f"voc: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _settings(args):
    from voc.config import load_settings

    return load_settings(args.config)


def _cmd_demo_data(args) -> int:
    from voc.demo import generate_demo
    from voc.paths import DEMO_DIR

    out = args.out or DEMO_DIR / "data"
    manifest = generate_demo(out, n_items=args.items, weeks=args.weeks, seed=args.seed)
    print(f"wrote {manifest.n_items} items (+{manifest.bad_rows} deliberately bad rows) to {out}")
    return 0


def _cmd_migrate(args) -> int:
    from voc.warehouse import open_warehouse

    s = _settings(args)
    with open_warehouse(s):
        pass
    print(f"warehouse ready: {s.warehouse_path}")
    return 0


def _cmd_ingest(args) -> int:
    from voc.pipeline import ingest

    for report in ingest(_settings(args)):
        print(report.line())
    return 0


def _cmd_enrich(args) -> int:
    from voc.pipeline import enrich

    print(enrich(_settings(args)).line())
    return 0


def _cmd_painpoints(args) -> int:
    if args.proposals:
        from voc.catalogue import proposals_yaml
        from voc.warehouse import open_warehouse, read_proposals

        with open_warehouse(_settings(args)) as con:
            rows = read_proposals(con)
        print(proposals_yaml(rows, args.min_clauses), end="")
        return 0
    from voc.pipeline import find_pain_points

    print(find_pain_points(_settings(args)).line())
    return 0


def _cmd_bursts(args) -> int:
    from voc.bursts import detect_bursts

    print(detect_bursts(_settings(args)).line())
    return 0


def _cmd_digest(args) -> int:
    from voc.pipeline import write_digest

    md, html = write_digest(_settings(args), args.week)
    print(f"digest: {html}\n        {md}")
    return 0


def _cmd_run(args) -> int:
    from voc.pipeline import run_all

    report = run_all(_settings(args), args.week)
    for line in (
        *[r.line() for r in report.ingest],
        report.enrich.line(),
        report.pain_points.line(),
        report.bursts.line(),
    ):
        print(line)
    print(f"digest: {report.digest[1]}\n        {report.digest[0]}\ndone in {report.seconds:.1f}s")
    return 0


def _cmd_train(args) -> int:
    if args.adapt_from_warehouse:
        from voc.domain import adapt_from_warehouse

        pairs = _labeled_pairs(args.check, args) if args.check else None
        check = ([p[0] for p in pairs], [p[1] for p in pairs]) if pairs else None
        print(adapt_from_warehouse(_settings(args), check=check, margin=args.margin).line())
        return 0
    if args.from_warehouse:
        from voc.domain import train_from_warehouse

        print(train_from_warehouse(_settings(args), margin=args.margin).line())
        return 0
    if not args.labeled:
        raise VocError("voc train: give labeled CSV files, or --from-warehouse")
    from voc.model.build import build
    from voc.model.io import DEFAULT_MODEL

    out = args.output or DEFAULT_MODEL
    for path in args.labeled:
        _require_columns(path, args)
    card = build(
        args.labeled,
        out,
        text_column=args.text_column,
        label_column=args.label_column,
        group_column=args.group_column,
    )
    print(
        f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) "
        f"from {card['n_train']:,} texts in {card['train_seconds']} s"
    )
    return 0


def _labeled_columns(args) -> dict[str, str]:
    wanted = {"--text-column": args.text_column, "--label-column": args.label_column}
    return wanted | ({"--group-column": args.group_column} if getattr(args, "group_column", None) else {})


def _require_columns(path: Path, args) -> None:
    from voc.analyze import read_columns

    read_columns(path, _labeled_columns(args))  # one-line InputError naming the file and the column


def _labeled_pairs(path: Path, args) -> list[tuple[str, int]]:
    """(text, 0/1 label) of the rows of a labeled file that have both; one clear line when none do."""
    from voc.analyze import read_columns

    cols = read_columns(path, _labeled_columns(args))
    texts, raw_labels = cols["--text-column"], cols["--label-column"]
    pairs = [(t, int(y.strip())) for t, y in zip(texts, raw_labels) if t.strip() and y.strip() in ("0", "1")]
    if not pairs:
        raise VocError(f"{path}: no rows with text and a 0/1 label in {args.label_column!r}")
    return pairs


def _cmd_eval(args) -> int:
    from voc.enrich import load_scorer
    from voc.model import evaluate

    pairs = _labeled_pairs(args.labeled, args)
    if args.sample and args.sample < len(pairs):
        import random

        pairs = random.Random(args.seed).sample(pairs, args.sample)
    # "blend": documents are scored as the pipeline scores them (whole text and clauses together)
    report = evaluate(
        load_scorer(model_path=args.model), [p[0] for p in pairs], [p[1] for p in pairs], mode="blend"
    )
    print(report.format())
    if args.floor is not None and report.macro_f1 < args.floor:
        print(
            f"voc: error: macro-F1 {report.macro_f1:.3f} is below the floor {args.floor:.3f}", file=sys.stderr
        )
        return 1
    return 0


def _cmd_analyze(args) -> int:
    from voc.analyze import analyze_file

    started = datetime.now()
    res = analyze_file(
        args.input,
        text_column=args.text_column,
        id_column=args.id_column,
        output=args.output,
        clauses_output=args.clauses,
        workers=args.workers,
    )
    secs = (datetime.now() - started).total_seconds()
    print(
        f"analyzed {res.rows} rows ({res.clauses} clauses, {res.negative_clauses} negative, "
        f"{res.pain_points} pain points) in {secs:.1f}s -> {args.output}",
        file=sys.stderr,
    )
    return 0


_COMMANDS = {
    "demo-data": _cmd_demo_data,
    "migrate": _cmd_migrate,
    "ingest": _cmd_ingest,
    "enrich": _cmd_enrich,
    "painpoints": _cmd_painpoints,
    "bursts": _cmd_bursts,
    "digest": _cmd_digest,
    "run": _cmd_run,
    "train": _cmd_train,
    "eval": _cmd_eval,
    "analyze": _cmd_analyze,
}

if __name__ == "__main__":
    sys.exit(main())
