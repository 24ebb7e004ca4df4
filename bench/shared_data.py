"""Where the research-only labeled corpora are: ``$VOC_SHARED_DATA``, or ``shared/data`` beside the repo.

The repository may be a checkout (``/work/main`` → ``/work/shared/data``) or a worktree one level
deeper (``/work/wt/<name>`` → ``/work/shared/data``); the first directory that exists wins. When
none does, the path beside the repository is returned so messages name the expected place.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shared_data() -> Path:
    """The directory holding ``online_shopping_9_cats.csv`` and friends (may not exist)."""
    env = os.environ.get("VOC_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates += [ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data"]
    return next((p for p in candidates if p.is_dir()), candidates[0])


DATA = shared_data()
