"""The Quick start's main job: write the demo corpus, then run the whole pipeline as a Prefect flow.

    python -m pipelines.demo [--items N] [--weeks W] [--fresh]

No server to start by hand: with no ``PREFECT_API_URL`` set, Prefect starts a temporary local
server for the run. Uses the project's ``voc.toml`` (demo sources, warehouse/voc.duckdb).
"""

from __future__ import annotations

import argparse
import sys
from time import perf_counter

import pipelines  # noqa: F401  (sets the Prefect defaults before prefect is imported)
from voc.config import load_settings
from voc.demo import generate_demo
from voc.errors import VocError
from voc.paths import DEMO_DIR, PROJECT_ROOT


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m pipelines.demo", description=__doc__.splitlines()[0])
    p.add_argument("--items", type=int, default=6000)
    p.add_argument("--weeks", type=int, default=10)
    p.add_argument("--fresh", action="store_true", help="delete the demo warehouse first")
    args = p.parse_args(argv)
    t0 = perf_counter()
    try:
        settings = load_settings(PROJECT_ROOT / "voc.toml")
        if args.fresh and settings.warehouse_path.exists():
            settings.warehouse_path.unlink()
        manifest = generate_demo(DEMO_DIR / "data", n_items=args.items, weeks=args.weeks)
        print(
            f"demo corpus: {manifest.n_items} items (+{manifest.bad_rows} deliberately bad rows)"
            f" in {DEMO_DIR / 'data'}",
            flush=True,
        )
        from pipelines.run_all import run_all_flow

        result = run_all_flow(config=str(settings.config_path))
    except VocError as err:
        print(f"voc: error: {err}", file=sys.stderr)
        return 2
    print(f"\nwarehouse: {settings.warehouse_path}")
    print(f"digest:    {result['digest']['html']}\n           {result['digest']['markdown']}")
    print(f"done in {perf_counter() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
