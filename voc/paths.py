"""Where the project's data files live.

``lexicons/`` and ``warehouse/`` are data that analysts edit, kept at the top of the repository;
the package reads them from there (install with ``pip install -e .``).
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LEXICON_DIR = PROJECT_ROOT / "lexicons"
WAREHOUSE_DIR = PROJECT_ROOT / "warehouse"
MIGRATIONS_DIR = WAREHOUSE_DIR / "migrations"
VIEWS_DIR = WAREHOUSE_DIR / "views"
DEMO_DIR = PROJECT_ROOT / "demo"
