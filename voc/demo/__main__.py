"""``python -m voc.demo OUT_DIR [--items N] [--weeks W] [--seed S] [--end YYYY-MM-DD]``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from voc.demo.generate import generate_demo


def main(argv: list[str] | None = None) -> int:
    """Generate the demo corpus into OUT_DIR and print a one-screen summary."""
    parser = argparse.ArgumentParser(
        prog="python -m voc.demo", description="Write the synthetic demo feedback corpus (see docs/demo.md)."
    )
    parser.add_argument("out_dir", type=Path, help="folder to write reviews/, surveys/, social/ into")
    parser.add_argument("--items", type=int, default=6000, help="good feedback items (default 6000)")
    parser.add_argument("--weeks", type=int, default=10, help="ISO weeks (default 10)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument(
        "--end",
        type=date.fromisoformat,
        default=date(2026, 11, 22),
        help="a day of the last week (default 2026-11-22)",
    )
    args = parser.parse_args(argv)
    try:
        m = generate_demo(args.out_dir, n_items=args.items, weeks=args.weeks, end=args.end, seed=args.seed)
    except ValueError as err:
        parser.error(str(err))
    print(
        f"{m.n_items} items + {m.bad_rows} bad rows in {len(m.files)} files, {m.weeks[0]}..{m.weeks[-1]}"
        f" -> {args.out_dir}"
    )
    print(
        f"spike: {m.spike['label']} ({m.spike['key']}) x{m.spike['factor']} in {m.spike['week']}; "
        f"growing: {m.pain(m.growing).label}; declining: {m.pain(m.declining).label}"
    )
    if m.burst:
        b = m.burst
        print(
            f"coordinated burst: {b['posts']} posts from {b['accounts']} accounts "
            f"in {b['week']} ({b['product']})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
